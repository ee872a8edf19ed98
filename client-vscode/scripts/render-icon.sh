#!/usr/bin/env bash
# Renders media/icon.svg to media/icon.png (256x256, transparent) with headless chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
page="$profile/icon.html"
printf '<html><body style="margin:0;background:transparent">%s</body></html>' "$(cat media/icon.svg)" >"$page"
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$profile" \
  --default-background-color=00000000 --window-size=256,256 --screenshot="$PWD/media/icon.png" "file://$page" 2>/dev/null
