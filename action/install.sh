#!/usr/bin/env bash
# Install ai-strategy for the GitHub Action into its own virtual environment, and put that
# environment first on PATH for the following steps (GITHUB_PATH).
#
# Inputs (environment): INPUT_SOURCE (a pip requirement: path, git URL, wheel) or INPUT_VERSION
# (a PyPI version, "v" prefix allowed); neither: the action's own checkout, GITHUB_ACTION_PATH.
set -euo pipefail

python=$(command -v python3 || command -v python || true)
if [ -z "$python" ]; then
  echo "::error title=ai-strategy::no python3 on PATH; keep setup-python enabled" >&2
  exit 2
fi

if [ -n "${INPUT_SOURCE:-}" ]; then
  requirement=$INPUT_SOURCE
elif [ -n "${INPUT_VERSION:-}" ]; then
  requirement="ai-strategy==${INPUT_VERSION#v}"
else
  requirement=${GITHUB_ACTION_PATH:?GITHUB_ACTION_PATH is not set}
fi

venv="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/ai-strategy-venv"
"$python" -m venv "$venv"
bin="$venv/bin"
[ -d "$bin" ] || bin="$venv/Scripts"  # Windows runners
echo "Installing $requirement"
"$bin/python" -m pip install --quiet --disable-pip-version-check "$requirement"
"$bin/ai-strategy" --version
if [ -n "${GITHUB_PATH:-}" ]; then
  echo "$bin" >> "$GITHUB_PATH"
fi
