#!/usr/bin/env bash
# Render a study's report.html in headless Chromium (Debian package `chromium`) and save
# screenshots at phone and desktop widths, to look at the report as a reader does:
#   tests/browser/screenshot.sh notebooks-out/us-house-2022 /tmp/shots
# Not part of `cargo test`: CI machines need not have a browser.
set -euo pipefail
report_dir="${1:-notebooks-out/us-house-2022}"
out="${2:-/tmp/rankaudit-shots}"
command -v chromium >/dev/null || { echo "chromium is not installed (apt-get install chromium)" >&2; exit 1; }
mkdir -p "$out"
html="$(cd "$report_dir" && pwd)/report.html"
[ -f "$html" ] || { echo "$html not found: run the audit first" >&2; exit 1; }
for width in 420 1280; do
  chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$(mktemp -d)" --hide-scrollbars \
    --window-size="$width,2400" --screenshot="$out/report-$width.png" "file://$html" 2>/dev/null
  echo "$out/report-$width.png"
done
