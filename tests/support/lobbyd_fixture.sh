# Test fixture: a real lobbyd on a free loopback port with a fresh
# database, the demo directory, an admin token and an enrolled kiosk.
#
#   . tests/support/lobbyd_fixture.sh
#   lobby_fixture_start /path/to/lobbyd        # sets the variables below
#   ... $LOBBY_SERVER $LOBBY_TOKEN $LOBBY_KIOSK_TOKEN $LOBBY_DB $LOBBY_TMP ...
#   lobby_fixture_kill9 ; lobby_fixture_restart  # crash and come back on the same port
#   lobby_fixture_stop                          # also called on EXIT
#
# Needs curl and jq.  Everything lives in a temporary directory that is
# removed at exit unless LOBBY_KEEP_TMP=1.

LOBBY_FIXTURE_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LOBBY_DEMO_DIRECTORY="$LOBBY_FIXTURE_DIR/../../deploy/demo/directory.json"

lobby_fixture_fail() {
  echo "fixture: $*" >&2
  [ -f "$LOBBY_TMP/lobbyd.log" ] && tail -20 "$LOBBY_TMP/lobbyd.log" >&2
  exit 1
}

# Starts lobbyd and waits until it prints the port it bound.
lobby_fixture_launch() {
  local listen=$1
  : > "$LOBBY_TMP/lobbyd.out"
  "$LOBBYD" serve --config "$LOBBY_TMP/lobbyd.ini" --db "$LOBBY_DB" --listen "$listen" \
    > "$LOBBY_TMP/lobbyd.out" 2>> "$LOBBY_TMP/lobbyd.log" &
  LOBBY_PID=$!
  local i
  for i in $(seq 1 100); do
    if grep -q '^listening on ' "$LOBBY_TMP/lobbyd.out" 2>/dev/null; then
      LOBBY_PORT=$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$LOBBY_TMP/lobbyd.out")
      LOBBY_SERVER="http://127.0.0.1:$LOBBY_PORT"
      export LOBBY_SERVER LOBBY_PORT LOBBY_PID
      return 0
    fi
    kill -0 "$LOBBY_PID" 2>/dev/null || lobby_fixture_fail "lobbyd exited at start"
    sleep 0.05
  done
  lobby_fixture_fail "lobbyd did not start"
}

# api METHOD PATH [BODY] [extra curl args...]: staff call, prints the body.
lobby_api() {
  local method=$1 path=$2 body=${3:-}
  shift 3 2>/dev/null || shift $#
  if [ -n "$body" ]; then
    curl -sS -X "$method" -H "Authorization: Bearer $LOBBY_TOKEN" \
      -H 'Content-Type: application/json' --data-binary "$body" "$@" "$LOBBY_SERVER$path"
  else
    curl -sS -X "$method" -H "Authorization: Bearer $LOBBY_TOKEN" "$@" "$LOBBY_SERVER$path"
  fi
}

lobby_fixture_start() {
  LOBBYD=$1
  [ -x "$LOBBYD" ] || lobby_fixture_fail "no lobbyd at $LOBBYD"
  LOBBY_TMP=$(mktemp -d /tmp/lobby-test.XXXXXX)
  # Under with_postgres.sh (LOBBY_TEST_PG set), a new PostgreSQL database.
  if [ -n "${LOBBY_TEST_PG:-}" ]; then
    LOBBY_DB=$("$LOBBY_FIXTURE_DIR/pg_cluster.sh" createdb "$LOBBY_TEST_PG" "f_$$_${RANDOM}") ||
      lobby_fixture_fail "could not create a PostgreSQL database"
  else
    LOBBY_DB="$LOBBY_TMP/lobby.db"
  fi
  export LOBBYD LOBBY_TMP LOBBY_DB
  trap lobby_fixture_stop EXIT
  # Tests file far more a minute from one kiosk than a resident could;
  # LOBBY_FIXTURE_INI gives a test its own lobbyd.ini instead.
  printf '%s\n' "${LOBBY_FIXTURE_INI:-[limits]
kiosk_submissions_per_minute = 100000}" > "$LOBBY_TMP/lobbyd.ini"
  LOBBY_TOKEN=$("$LOBBYD" admin-token --db "$LOBBY_DB" --name admin 2>>"$LOBBY_TMP/lobbyd.log") ||
    lobby_fixture_fail "admin-token failed"
  export LOBBY_TOKEN
  lobby_fixture_launch 127.0.0.1:0
  lobby_api PUT /api/v1/directory "$(cat "$LOBBY_DEMO_DIRECTORY")" -o /dev/null -f ||
    lobby_fixture_fail "loading the demo directory failed"
  LOBBY_KIOSK_TOKEN=$(lobby_api POST /api/v1/kiosks '{"name":"lobby-1","building":"1","group":"east"}' -f | jq -r .token)
  [ -n "$LOBBY_KIOSK_TOKEN" ] && [ "$LOBBY_KIOSK_TOKEN" != null ] || lobby_fixture_fail "kiosk enrolment failed"
  export LOBBY_KIOSK_TOKEN
}

lobby_fixture_kill9() {
  kill -9 "$LOBBY_PID" 2>/dev/null || true
  wait "$LOBBY_PID" 2>/dev/null || true
  LOBBY_PID=
}

lobby_fixture_restart() {
  [ -n "${LOBBY_PID:-}" ] && lobby_fixture_kill9
  lobby_fixture_launch "127.0.0.1:$LOBBY_PORT"
}

lobby_fixture_stop() {
  if [ -n "${LOBBY_PID:-}" ]; then
    kill "$LOBBY_PID" 2>/dev/null || true
    wait "$LOBBY_PID" 2>/dev/null || true
    LOBBY_PID=
  fi
  if [ -n "${LOBBY_TMP:-}" ] && [ "${LOBBY_KEEP_TMP:-0}" != 1 ]; then
    rm -rf "$LOBBY_TMP"
  fi
}
