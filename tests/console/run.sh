#!/bin/sh
# Runs the console's browser tests: installs playwright-core from the
# committed lock file when needed (no browser download: Debian's chromium
# is used), then drives it against a real lobbyd.
#   run.sh LOBBYD DIRECTORY_JSON SHOTS_DIR [LOBBY_KIOSK]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
if ! command -v node >/dev/null 2>&1; then
  echo "SKIP: node is not installed (deploy/install-deps.sh installs it)"
  exit 77
fi
if [ ! -d "$here/node_modules/playwright-core" ] || [ ! -d "$here/node_modules/axe-core" ]; then
  (cd "$here" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
fi
# The kiosk, when one is built: this build's, LOBBY_KIOSK_BIN, or build/.
kiosk=${4:-${LOBBY_KIOSK_BIN:-$here/../../build/bin/lobby-kiosk}}
[ -x "$kiosk" ] || kiosk=
exec node "$here/console_test.mjs" --lobbyd "$1" --directory "$2" --shots "$3" ${kiosk:+--kiosk "$kiosk"}
