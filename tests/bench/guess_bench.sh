#!/usr/bin/env bash
# What one kiosk token gets through lobbyd's kiosk limits (issue 11) when
# it sends as fast as it can: wrong pass codes at POST /api/v1/visits/checkout
# and new visits at POST /api/v1/visits, with wrk for SECONDS each against
# a real lobbyd with the shipped limits.  Prints requests/s sent and how
# many were checked (404) or taken (201) versus refused (429).
#
#   tests/bench/guess_bench.sh LOBBYD [SECONDS]
set -euo pipefail
LOBBYD=$1 SECONDS_PER_RUN=${2:-5}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
LOBBY_FIXTURE_INI=$(sed -n '/^\[visits\]/,$p' "$ROOT/config/lobbyd.ini" | sed -n '/^\[metrics\]/q;p')
. "$ROOT/tests/support/lobbyd_fixture.sh"
lobby_fixture_start "$LOBBYD"
command -v wrk >/dev/null || lobby_fixture_fail "wrk is not installed"

# Counts answers by status across wrk's threads.
cat >"$LOBBY_TMP/count.lua" <<'LUA'
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args)
  c201, c404, c429, n = 0, 0, 0, 0
  body = args[1]
end
function request()
  n = n + 1
  -- wrk.format takes these instead of -H's, so the token is copied in.
  local headers = {["Content-Type"] = "application/json",
                   ["Idempotency-Key"] = string.format("bench-%d-%d", math.random(1e9), n)}
  for k, v in pairs(wrk.headers) do headers[k] = v end
  return wrk.format("POST", nil, headers, body)
end
function response(status)
  if status == 201 then c201 = c201 + 1 elseif status == 404 then c404 = c404 + 1
  elseif status == 429 then c429 = c429 + 1 end
end
function done(summary)
  local total = {[201] = 0, [404] = 0, [429] = 0}
  for _, t in ipairs(threads) do
    total[201] = total[201] + t:get("c201")
    total[404] = total[404] + t:get("c404")
    total[429] = total[429] + t:get("c429")
  end
  local line = string.format("sent=%d rps=%.0f", summary.requests,
                             summary.requests / (summary.duration / 1e6))
  for _, s in ipairs({201, 404, 429}) do line = line .. string.format(" %d=%d", s, total[s]) end
  print(line)
end
LUA

run() { # NAME PATH BODY
  local out
  out=$(wrk -t2 -c8 -d"${SECONDS_PER_RUN}s" -s "$LOBBY_TMP/count.lua" \
          -H "Authorization: Bearer $LOBBY_KIOSK_TOKEN" "$LOBBY_SERVER$2" -- "$3" | tail -n 1)
  printf '| %s | %s |\n' "$1" "$out"
}

echo "| one kiosk token, ${SECONDS_PER_RUN} s | answers |"
echo "| --- | --- |"
run "wrong pass codes" /api/v1/visits/checkout '{"pass_code":"3467AC9D"}'
run "new visits" /api/v1/visits \
  '{"name":"李四","phone":"13900001111","host":"1-2-301","purpose":"family"}'
