#!/bin/sh
# console.complaints: the 投诉建议 view and the working-day calendar in
# Chromium against a real lobbyd.
#   run_complaints.sh LOBBYD DIRECTORY_JSON SHOTS_DIR
set -eu
here=$(cd "$(dirname "$0")" && pwd)
if ! command -v node >/dev/null 2>&1; then
  echo "SKIP: node is not installed (deploy/install-deps.sh installs it)"
  exit 77
fi
if [ ! -d "$here/node_modules/playwright-core" ]; then
  (cd "$here" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
fi
exec node "$here/complaints_test.mjs" --lobbyd "$1" --directory "$2" --shots "$3"
