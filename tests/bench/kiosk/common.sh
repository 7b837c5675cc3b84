# shellcheck shell=bash
# Shared by tests/bench/kiosk_vs_chromium.sh, kiosk_vs_chromium_x11.sh and
# kiosk_frames.sh (sourced, not run).  Needs $TOP (the source tree), $BUILD
# (a build tree), $TMP (a scratch directory the caller removes), and for
# treemon $HERE (tests/bench) and $OUT (where results are kept).

# Debian packages by name, installed only when missing (as run.sh does for
# wrk and nginx).  Arguments: pairs of COMMAND:PACKAGE.
bench_need() {
  local pair missing=()
  for pair in "$@"; do
    command -v "${pair%%:*}" >/dev/null || missing+=("${pair#*:}")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "installing ${missing[*]}" >&2
    apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

# The kiosk, lobbyd and lobbyctl of $BUILD must be built.
bench_need_built() {
  local b
  for b in "$BUILD/bin/lobby-kiosk" "$BUILD/sbin/lobbyd" "$BUILD/bin/lobbyctl"; do
    [ -x "$b" ] || { echo "$0: $b is not built" >&2; exit 1; }
  done
}

# One line naming the machine, for runs outside tests/bench/run.sh.
bench_machine() {
  echo "Machine: $(nproc) cores, $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -n 1)," \
       "$(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr);" \
       "commit $(git -C "$TOP" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$TOP" diff --quiet 2>/dev/null || echo ' (uncommitted changes in the tree)');" \
       "$(date -u +%Y-%m-%dT%H:%MZ)"
}

# Starts a throw-away lobbyd the way deploy/demo.sh does — with
# config/lobbyd.ini, so the site name and service phone are the demo's —
# on a free loopback port with a fresh database in $TMP/lobbyd, loads the
# demo directory and enrols kiosk lobby-1.  Sets LOBBY_SERVER, LOBBY_TOKEN
# (admin), KIOSK_TOKEN and DEMO_LOBBYD_PID.  (tests/support/lobbyd_fixture.sh
# starts lobbyd without a config file, which would show the default site.)
demo_lobbyd_start() {
  local dir="$TMP/lobbyd" lobbyd="$BUILD/sbin/lobbyd"
  mkdir -p "$dir"
  LOBBY_TOKEN=$("$lobbyd" admin-token --db "$dir/lobby.db" --name 管理员 2>>"$dir/lobbyd.log")
  "$lobbyd" serve --config "$TOP/config/lobbyd.ini" --db "$dir/lobby.db" --listen 127.0.0.1:0 \
    >"$dir/lobbyd.out" 2>>"$dir/lobbyd.log" &
  DEMO_LOBBYD_PID=$!
  for _ in $(seq 100); do
    grep -q '^listening on ' "$dir/lobbyd.out" 2>/dev/null && break
    kill -0 "$DEMO_LOBBYD_PID" 2>/dev/null || { cat "$dir/lobbyd.log" >&2; return 1; }
    sleep 0.05
  done
  LOBBY_SERVER="http://127.0.0.1:$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$dir/lobbyd.out")"
  export LOBBY_SERVER LOBBY_TOKEN
  "$BUILD/bin/lobbyctl" directory load "$TOP/deploy/demo/directory.json" >/dev/null
  KIOSK_TOKEN=$("$BUILD/bin/lobbyctl" kiosk add lobby-1 --building 1 --group east --json | jq -r .token)
  if [ -z "$KIOSK_TOKEN" ] || [ "$KIOSK_TOKEN" = null ]; then
    echo "kiosk enrolment failed" >&2
    return 1
  fi
}

demo_lobbyd_stop() {
  if [ -n "${DEMO_LOBBYD_PID:-}" ]; then
    kill "$DEMO_LOBBYD_PID" 2>/dev/null || true
    wait "$DEMO_LOBBYD_PID" 2>/dev/null || true
    DEMO_LOBBYD_PID=
  fi
}

# Posts the demo notices exactly as deploy/demo.sh posts them: its
# `"$lobbyctl" notice post … --body "…"` commands are taken from the script
# itself, so the benchmark shows whatever the demo shows.
post_demo_notices() {
  # shellcheck disable=SC2034 # used by the eval'd commands as "$lobbyctl"
  local lobbyctl="$BUILD/bin/lobbyctl" posts
  posts=$(awk '/"\$lobbyctl" notice post/ {p = 1} p {print} /--body/ {p = 0}' "$TOP/deploy/demo.sh")
  [ -n "$posts" ] || { echo "no notice posts found in deploy/demo.sh" >&2; return 1; }
  eval "$posts" >/dev/null
}

# The feed lobby-1 gets now, as the kiosk fetches it.
fetch_feed() {
  curl -fsS -H "Authorization: Bearer $KIOSK_TOKEN" "$LOBBY_SERVER/api/v1/feed" >"$1"
}

# treemon NAME [treemon options] -- COMMAND…: one measured run, result in
# $OUT/NAME.json, log in $OUT/NAME.log.
treemon() {
  local name=$1
  shift
  timeout 300 node "$HERE/kiosk/treemon.mjs" --out "$OUT/$name.json" --log "$OUT/$name.log" \
    --pgid-file "$TMP/$name.pgid" "$@"
  # treemon has stopped the whole tree; forget the group id so the clean-up
  # never signals a group id the system has since given to someone else.
  rm -f "$TMP/$name.pgid"
}
