# Helpers for the server.* tests: a real lobbyd on a free loopback port,
# started the way each test needs (config file, environment, user).
#
#   . server_lib.sh ; srv_init LOBBYD     # $WORK, $LOBBYD, cleanup on EXIT
#   srv_start ARGS...                     # serve ARGS, waits for the port: $PID $PORT $URL
#   srv_stop                              # SIGTERM and wait, $RC = exit status
#
# Everything lives in $WORK, removed at exit unless LOBBY_KEEP_TMP=1.

FAILURES=0
PID=

fail() {
  echo "FAIL: $*"
  FAILURES=$((FAILURES + 1))
}

ok() {
  echo "ok: $*"
}

srv_cleanup() {
  if [ -n "$PID" ]; then
    kill "$PID" 2>/dev/null
    wait "$PID" 2>/dev/null
  fi
  if [ -n "${NOTIFY_PID:-}" ]; then
    kill "$NOTIFY_PID" 2>/dev/null
    wait "$NOTIFY_PID" 2>/dev/null
  fi
  if [ "${LOBBY_KEEP_TMP:-0}" != 1 ]; then
    rm -rf "$WORK"
  else
    echo "kept $WORK"
  fi
}

srv_init() {
  LOBBYD=${1:?usage: srv_init LOBBYD}
  if [ ! -x "$LOBBYD" ]; then
    echo "SKIP: $LOBBYD is not built"
    exit 77
  fi
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/lobby-server.XXXXXX")
  chmod 755 "$WORK"
  trap srv_cleanup EXIT
}

# srv_start [PREFIX-COMMAND...] -- ARGS...: `PREFIX lobbyd serve ARGS`, with
# stdout to $WORK/out and stderr appended to $WORK/log ($LOG to change it).
srv_start() {
  local prefix=()
  while [ $# -gt 0 ] && [ "$1" != -- ]; do
    prefix+=("$1")
    shift
  done
  shift
  : > "$WORK/out"
  "${prefix[@]}" "$LOBBYD" serve --listen 127.0.0.1:0 "$@" > "$WORK/out" 2>> "${LOG:-$WORK/log}" &
  PID=$!
  local i
  for i in $(seq 1 200); do
    if grep -q '^listening on ' "$WORK/out"; then
      PORT=$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$WORK/out")
      URL="http://127.0.0.1:$PORT"
      return 0
    fi
    if ! kill -0 "$PID" 2>/dev/null; then
      wait "$PID"
      RC=$?
      PID=
      return 1
    fi
    sleep 0.05
  done
  return 1
}

srv_stop() {
  kill -TERM "$PID" 2>/dev/null
  wait "$PID"
  RC=$?
  PID=
}

# alive: lobbyd is still running and answers /healthz.
srv_alive() {
  kill -0 "$PID" 2>/dev/null && curl -sf -o /dev/null "$URL/healthz"
}

# wait_for FILE TEXT [TENTHS]: until FILE contains TEXT (default 5 s).
wait_for() {
  local i
  for i in $(seq 1 "${3:-50}"); do
    grep -qF -- "$2" "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

srv_finish() {
  # Under ASan+UBSan a report in any of lobbyd's logs is a failure.
  local reports
  reports=$(grep -l -e 'ERROR: AddressSanitizer' -e 'ERROR: LeakSanitizer' -e 'runtime error:' \
            "$WORK"/*.log "$WORK"/log "$WORK"/err 2>/dev/null)
  [ -z "$reports" ] || fail "sanitizer reports in: $reports"
  if [ "$FAILURES" -ne 0 ]; then
    echo "$FAILURES failure(s); lobbyd's log:"
    tail -30 "${LOG:-$WORK/log}"
    exit 1
  fi
  echo "all passed"
  exit 0
}
