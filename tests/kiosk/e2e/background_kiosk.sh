# shellcheck shell=bash
# Sourced by the e2e scripts that run the kiosk in the background
# (kill9.sh, windowed.sh): starts the lobbyd fixture, sets STATE (the
# kiosk's state directory) and kiosk_pid, and at exit kills the kiosk and
# stops lobbyd.  Needs KIOSK, LOBBYD, OUT, HERE and E2E_NAME.
. "$HERE/../../support/lobbyd_fixture.sh"
lobby_fixture_start "$LOBBYD"
rm -rf "$OUT" && mkdir -p "$OUT"
STATE="$LOBBY_TMP/kiosk-state"
kiosk_pid=

die() {
  echo "FAIL ($E2E_NAME): $*" >&2
  tail -20 "$OUT/kiosk.log" >&2 || true
  exit 1
}

stop_kiosk() {
  [ -n "$kiosk_pid" ] && kill -9 "$kiosk_pid" 2>/dev/null || true
  [ -n "$kiosk_pid" ] && wait "$kiosk_pid" 2>/dev/null || true
  kiosk_pid=
}
trap 'stop_kiosk; lobby_fixture_stop' EXIT
