#!/bin/sh
# console.tls: the console's browser test against lobbyd serving HTTPS.
#   run_tls.sh LOBBYD SHOTS_DIR
set -eu
here=$(cd "$(dirname "$0")" && pwd)
if ! command -v node >/dev/null 2>&1 || ! command -v openssl >/dev/null 2>&1; then
  echo "SKIP: node or openssl is not installed (deploy/install-deps.sh installs them)"
  exit 77
fi
if [ ! -d "$here/node_modules/playwright-core" ] || [ ! -d "$here/node_modules/axe-core" ]; then
  (cd "$here" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
fi
exec node "$here/console_tls.mjs" --lobbyd "$1" --tls-lib "$here/../server/tls_lib.sh" --shots "$2"
