#!/bin/sh
# A browser test of the console in Chromium against a real lobbyd.
#   run_script.sh TEST.mjs LOBBYD DIRECTORY_JSON SHOTS_DIR
set -eu
here=$(cd "$(dirname "$0")" && pwd)
if ! command -v node >/dev/null 2>&1; then
  echo "SKIP: node is not installed (deploy/install-deps.sh installs it)"
  exit 77
fi
if [ ! -d "$here/node_modules/playwright-core" ] || [ ! -d "$here/node_modules/axe-core" ]; then
  (cd "$here" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
fi
exec node "$here/$1" --lobbyd "$2" --directory "$3" --shots "$4"
