#!/usr/bin/env bash
# Runs the real lobbyctl against a real lobbyd on a temporary database.
#
#   lobbyctl_integration.sh LOBBYD LOBBYCTL
#
# Uses tests/support/lobbyd_fixture.sh.  Exits 77 (skipped) when lobbyd is
# not built.
set -u

LOBBYD=${1:?usage: $0 LOBBYD LOBBYCTL}
CTL=${2:?usage: $0 LOBBYD LOBBYCTL}
HERE=$(cd "$(dirname "$0")" && pwd)
FIXTURE="$HERE/../support/lobbyd_fixture.sh"

if [ ! -x "$LOBBYD" ]; then
  echo "SKIP: $LOBBYD is not built"
  exit 77
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/lobbyctl-it.XXXXXX")
SERVER_PID=
cleanup() {
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2>/dev/null
    wait "$SERVER_PID" 2>/dev/null
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

FAILURES=0
OUT="$WORK/out"
ERR="$WORK/err"

fail() {
  echo "FAIL: $*"
  echo "  stdout: $(head -c 2000 "$OUT")"
  echo "  stderr: $(head -c 2000 "$ERR")"
  FAILURES=$((FAILURES + 1))
}

# ctl WANT_EXIT ARGS...: runs lobbyctl, checks its exit code.
ctl() {
  local want=$1
  shift
  "$CTL" "$@" >"$OUT" 2>"$ERR"
  local rc=$?
  if [ "$rc" -ne "$want" ]; then
    fail "lobbyctl $* exited $rc, wanted $want"
    return 1
  fi
  return 0
}

out_has() { grep -qF -- "$1" "$OUT" || fail "stdout lacks '$1'"; }
out_lacks() { ! grep -qF -- "$1" "$OUT" || fail "stdout has '$1'"; }
err_has() { grep -qF -- "$1" "$ERR" || fail "stderr lacks '$1'"; }

# JSON checks use jq, or python3 when jq is missing.
json_ok() {
  if command -v jq >/dev/null; then
    jq -e . "$OUT" >/dev/null 2>&1
  else
    python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$OUT" 2>/dev/null
  fi || fail "stdout is not JSON"
}

# json_get EXPR: a value from $OUT, EXPR in jq syntax limited to .a.b / .a[0].b
json_get() {
  if command -v jq >/dev/null; then
    jq -r "$1" "$OUT"
  else
    python3 - "$1" "$OUT" <<'PY'
import json, re, sys
v = json.load(open(sys.argv[2]))
for part in re.findall(r'\.([A-Za-z_]+)|\[(\d+)\]', sys.argv[1]):
    v = v[part[0]] if part[0] else v[int(part[1])]
print(v)
PY
  fi
}

# The shared fixture: lobbyd on a free port, the demo directory, an admin
# token and a kiosk "lobby-1".  It sets its own EXIT trap; chain ours.
# shellcheck source=../support/lobbyd_fixture.sh
. "$FIXTURE"
lobby_fixture_start "$LOBBYD"
trap 'lobby_fixture_stop; cleanup' EXIT
export LOBBY_SERVER LOBBY_TOKEN
export COLUMNS=200

kiosk_curl() { # TOKEN METHOD PATH [BODY] [IDEMPOTENCY-KEY]
  local args=(-sS -X "$2" -H "Authorization: Bearer $1" -H "Content-Type: application/json")
  [ -n "${4:-}" ] && args+=(--data "$4")
  [ -n "${5:-}" ] && args+=(-H "Idempotency-Key: $5")
  curl "${args[@]}" "$LOBBY_SERVER$3" >"$OUT" 2>"$ERR"
}

echo "== directory"
ctl 0 directory load "$HERE/directory.json" && out_has "2 buildings, 5 rooms"
ctl 0 directory show && out_has "1号楼" && out_has "required"
ctl 0 directory show --json && json_ok
printf '{"buildings": [' >"$WORK/bad.json"
ctl 1 directory load "$WORK/bad.json" && err_has "bad.json:1:"

echo "== auth and reachability"
LOBBY_TOKEN= ctl 4 notice list && err_has "LOBBY_TOKEN"
ctl 4 notice list --token ls_not_a_real_token && err_has "HTTP 401"
ctl 3 notice list --server http://127.0.0.1:1 && err_has "cannot reach the server"
LOBBY_SERVER= ctl 1 notice list && err_has "LOBBY_SERVER"

echo "== a kiosk waiting on the feed is woken by lobbyctl"
etag=$(curl -sS -D - -o /dev/null -H "Authorization: Bearer $LOBBY_KIOSK_TOKEN" "$LOBBY_SERVER/api/v1/feed" |
       tr -d '\r' | sed -n 's/^[Ee][Tt][Aa][Gg]: //p')
curl -sS -o "$WORK/woken.json" -w '%{http_code} %{time_total}\n' \
  -H "Authorization: Bearer $LOBBY_KIOSK_TOKEN" -H "If-None-Match: $etag" \
  "$LOBBY_SERVER/api/v1/feed?wait=30" >"$WORK/woken.status" &
poll_pid=$!
for _ in $(seq 100); do
  [ "$(curl -sS "$LOBBY_SERVER/healthz" | jq .waiting)" -ge 1 ] && break
  sleep 0.05
done
ctl 0 notice post --title "长轮询唤醒" --body "由 lobbyctl 发布" --category community
wait "$poll_pid"
read -r code secs <"$WORK/woken.status"
[ "$code" = 200 ] || fail "the waiting kiosk got HTTP $code, wanted 200"
grep -qF "长轮询唤醒" "$WORK/woken.json" || fail "the woken feed lacks the new notice"
awk "BEGIN { exit !($secs < 2) }" || fail "the kiosk waited $secs s after the post"

echo "== notices"
ctl 0 notice post --title "明天停水" --body "9:00-12:00 停水，请提前储水" --category outage \
  --priority 2 --pinned --building 1
out_has "posted"
NOTICE_ID=$(grep -o 'notice [0-9]*' "$OUT" | grep -o '[0-9]*')
ctl 0 notice post --title "Fire drill" --body "Friday 10:00" --category safety --json && json_ok
printf '物业服务中心通知：\n本周六上午消防演练。\n' >"$WORK/body.txt"
ctl 0 notice post --title "消防演练" --body-file "$WORK/body.txt" --category safety --emergency &&
  out_has "emergency"
ctl 1 notice post --title x --body-file "$WORK/missing.txt" && err_has "cannot read"
ctl 1 notice post --title x && err_has "--body TEXT or --body-file FILE"
ctl 1 notice post --title x --body y --category water && err_has "use one of: works, outage"
ctl 1 notice post --title x --body y --priority 7 && err_has "0 to 3"
ctl 1 notice post --title x --body y --building 1 --group east && err_has "not both"
ctl 0 notice list && out_has "明天停水" && out_has "pinned" && out_has "building 1"
ctl 0 notice list --json && json_ok
if [ -n "$NOTICE_ID" ]; then
  ctl 0 notice withdraw "$NOTICE_ID" && out_has "withdrawn"
  ctl 0 notice list && out_lacks "明天停水"
  ctl 0 notice list --all && out_has "明天停水"
else
  fail "no notice id in the post output"
fi
ctl 2 notice withdraw 999999 && err_has "HTTP 404"
ctl 1 notice withdraw abc && err_has "ID: 'abc' is not a whole number"

echo "== notice pictures"
# Small pictures the photo fuzzer starts from: 24 × 16, and the same
# stored sideways with EXIF orientation 6.
PICS="$HERE/../fuzz/corpus/fuzz_photo"
notices_now() { curl -sS -H "Authorization: Bearer $LOBBY_TOKEN" "$LOBBY_SERVER/api/v1/notices?state=all" | jq '.notices | length'; }
feed_image() { # ID: the notice's "image" in the kiosk's feed, as compact JSON ("null" for none)
  curl -sS -H "Authorization: Bearer $LOBBY_KIOSK_TOKEN" "$LOBBY_SERVER/api/v1/feed" |
    jq -c --argjson id "$1" '.notices[] | select(.id == $id) | .image'
}
ctl 0 notice post --title "业主大会海报" --body "详见海报" --category community --image "$PICS/small.jpg"
out_has "with its picture (24 × 16)"
PIC_ID=$(grep -o 'notice [0-9]*' "$OUT" | grep -o '[0-9]*')
[ "$(feed_image "$PIC_ID" | jq -r '"\(.width)x\(.height) \(.url)"')" = "24x16 /api/v1/notices/$PIC_ID/image" ] ||
  fail "the feed does not list the picture: $(feed_image "$PIC_ID")"
ctl 0 notice list && out_has "picture"
ctl 0 notice image "$PIC_ID" "$PICS/exif6.jpg" && out_has "notice $PIC_ID: picture set (16 × 24)"
ctl 0 notice image "$PIC_ID" "$PICS/alpha.png" --json && json_ok &&
  [ "$(json_get .image.width)" = 24 ] || fail "--json does not answer the notice with its picture"
curl -sS -o "$WORK/kept.jpg" -H "Authorization: Bearer $LOBBY_KIOSK_TOKEN" \
  "$LOBBY_SERVER/api/v1/notices/$PIC_ID/image"
[ "$(head -c 3 "$WORK/kept.jpg" | od -An -tx1 | tr -d ' ')" = ffd8ff ] || fail "the kiosk does not get a JPEG"
before=$(notices_now)
ctl 1 notice post --title x --body y --image "$WORK/missing.jpg" && err_has "--image: cannot read"
ctl 1 notice post --title x --body y --image "$WORK/body.txt" && err_has "is not a JPEG or PNG picture"
ctl 1 notice image "$PIC_ID" && err_has "give a picture FILE or --remove"
ctl 1 notice image "$PIC_ID" "$PICS/small.jpg" --remove && err_has "give a picture FILE or --remove"
[ "$(notices_now)" = "$before" ] || fail "a refused --image still posted a notice"
# A picture cut short passes lobbyctl's look at its first bytes; lobbyd
# refuses it, and the notice posted first stays, without it.
head -c 300 "$PICS/small.jpg" >"$WORK/cut.jpg"
ctl 2 notice image "$PIC_ID" "$WORK/cut.jpg" && err_has "HTTP 400 invalid_image" && err_has "[field: image]"
ctl 2 notice post --title "残缺海报" --body y --image "$WORK/cut.jpg" &&
  err_has "was posted without its picture" && err_has "lobbyctl notice image"
[ "$(notices_now)" = $((before + 1)) ] || fail "the notice before its refused picture is not kept"
ctl 0 notice image "$PIC_ID" --remove && out_has "notice $PIC_ID: picture removed"
[ "$(feed_image "$PIC_ID")" = null ] || fail "the removed picture is still in the feed"
ctl 2 notice image 999999 "$PICS/small.jpg" && err_has "HTTP 404"

echo "== kiosks"
ctl 0 kiosk add ctl-lobby --building 1 --group east && out_has "token = lk_" && out_has "[server]"
KIOSK1=$(grep -o 'lk_[A-Za-z0-9_-]*' "$OUT" | head -n 1)
ctl 0 kiosk add ctl-office --building 2
KIOSK2=$(grep -o 'lk_[A-Za-z0-9_-]*' "$OUT" | head -n 1)
ctl 0 kiosk add ctl-temp --building 1 --json && json_ok
ctl 1 kiosk add "bad name" --building 1
ctl 2 kiosk add ctl-lobby --building 1
ctl 0 kiosk list && out_has "ctl-lobby" && out_has "ctl-office"
ctl 0 kiosk list --json && json_ok
ctl 0 kiosk revoke ctl-temp && out_has "revoked"
if ctl 0 kiosk list; then
  grep -F "ctl-temp" "$OUT" | grep -qF revoked || fail "ctl-temp not shown revoked"
fi
ctl 2 kiosk revoke no-such-kiosk
ctl 4 notice list --token "$KIOSK1" && err_has "HTTP 403"

echo "== repairs"
ctl 1 repair add --building 1 --unit 2 --room 301 --name 张三 --phone 1381234567 \
  --category water --description 漏水 && err_has "13812345678"
ctl 1 repair add --building 1 --unit 2 --room 301 --name 张三 --phone 13812345678 \
  --category plumbing --description 漏水 && err_has "water, electric"
ctl 0 repair add --building 1 --unit 2 --room 301 --name 张三 --phone 13812345678 \
  --category water --description "厨房水龙头漏水" --idempotency-key ctl-it-key-0001
out_has "submitted"
TICKET=$(grep -o 'R-[0-9]*-[0-9]*' "$OUT" | head -n 1)
ctl 0 repair add --building 1 --unit 2 --room 301 --name 张三 --phone 13812345678 \
  --category water --description "厨房水龙头漏水" --idempotency-key ctl-it-key-0001
out_has "$TICKET" && out_has "already received"
ctl 2 repair add --building 1 --unit 2 --room 301 --name 张三 --phone 13812345678 \
  --category water --description "另一件事" --idempotency-key ctl-it-key-0001 && err_has "HTTP 422"
ctl 2 repair add --building 9 --unit 1 --room 101 --name 李四 --phone 13900001111 \
  --category lift --description 电梯异响
ctl 0 repair add --building 1 --kind public_area --name 李四 --phone 010-12345678 \
  --category lift --urgency emergency --description "电梯困人" --json && json_ok
ctl 0 repair list && out_has "$TICKET" && out_has "138****5678" && out_lacks "13812345678"
ctl 0 repair list --full && out_has "13812345678"
ctl 0 repair list --category lift && out_lacks "$TICKET"
ctl 0 repair list --json && json_ok
# A narrow terminal cuts the description, by display width, with "…".
COLUMNS=100 ctl 0 repair list && out_has "…"
"$CTL" repair list >&- 2>"$ERR"
[ $? -eq 3 ] || fail "a closed stdout should give exit 3"
ctl 1 repair list --status finished && err_has "submitted, accepted"
ctl 0 repair show "$TICKET" && out_has "厨房水龙头漏水" && out_has "submitted" && out_has "138****5678"
ctl 0 repair show "$TICKET" --json && json_ok
ctl 1 repair show R-1 && err_has "R-20261126-0042"
ctl 2 repair show R-20000101-9999
ctl 2 repair event "$TICKET" close && err_has "HTTP 409 invalid_transition" && err_has "lobbyctl: "
grep -qE 'HTTP 409 invalid_transition\): .+' "$ERR" || fail "no server message for the rejected event"
ctl 2 repair event "$TICKET" close --json && json_ok && out_has '"invalid_transition"'
ctl 1 repair event "$TICKET" cancel && err_has "--reason is required"
ctl 1 repair event "$TICKET" accept --technician x && err_has "only with the 'dispatch' event"
ctl 0 staff add 王师傅 --role technician && out_has "ls_"
TECH=$(grep -o 'ls_[A-Za-z0-9_-]*' "$OUT" | head -n 1)
ctl 1 staff add 某人 --role boss && err_has "admin, front_desk, technician, guard"
ctl 0 repair event "$TICKET" accept --note "已受理" && out_has "accepted"
ctl 0 repair event "$TICKET" dispatch --technician 王师傅 && out_has "dispatched"
ctl 1 repair event "$TICKET" decline --token "$TECH" && err_has "--reason is required"
ctl 1 repair event "$TICKET" take --reason x && err_has "only with the 'cancel' and 'decline' events"
ctl 0 repair event "$TICKET" decline --reason "需要电工" --token "$TECH" && out_has "accepted"
ctl 2 repair show "$TICKET" --token "$TECH" && err_has "404"
ctl 0 repair event "$TICKET" dispatch --technician 王师傅 && out_has "dispatched"
ctl 0 repair event "$TICKET" take --token "$TECH" && out_has "dispatched"
ctl 0 repair show "$TICKET" --json && out_has '"taken_at":"' && out_has '"reason":"需要电工"'
ctl 0 repair event "$TICKET" on_site --token "$TECH" && out_has "on_site"
ctl 0 repair list --token "$TECH" && out_has "$TICKET"
ctl 0 repair event "$TICKET" complete --token "$TECH" && out_has "completed"
ctl 0 repair event "$TICKET" return_visit --satisfaction 5 --comment 很好 && out_has "return_visit"
ctl 0 repair event "$TICKET" close --json && json_ok
ctl 0 repair show "$TICKET" && out_has "closed" && out_has "王师傅"

echo "== visits and invites"
ctl 1 invite add --name 王五 --phone 123 --host 1-2-301 --purpose family && err_has "13812345678"
ctl 1 invite add --name 王五 --phone 13700002222 --host 1-2-301 --purpose party && err_has "business, family"
ctl 1 invite add --name 王五 --phone 13700002222 --host 1-2-301 --purpose family --party-size 30
ctl 0 invite add --name 王五 --phone 13700002222 --host 1-2-301 --purpose family --party-size 2 \
  --plate 粤B12345
out_has "invite code:"
INVITE=$(grep -o 'invite code: [A-Z0-9]*' "$OUT" | awk '{print $3}')
kiosk_curl "$KIOSK1" POST /api/v1/visits/invite-checkin "{\"invite_code\": \"$INVITE\"}" ctl-it-inv-0001
VISIT1=$(grep -o '"id": *"[^"]*"' "$OUT" | head -n 1 | sed 's/.*"\([^"]*\)"$/\1/')
[ -n "$VISIT1" ] || fail "invite check-in gave no visit id"
ctl 0 visit onsite && out_has "$VISIT1" && out_has "137****2222"
ctl 0 visit list --state approved && out_has "$VISIT1"
ctl 0 visit list --date "$(TZ=Asia/Shanghai date +%Y-%m-%d)" --json && json_ok
ctl 1 visit list --date 2026-13-01 && err_has "YYYY-MM-DD"
ctl 1 visit list --state gone && err_has "pending, approved"
ctl 0 visit checkout "$VISIT1" && out_has "checked out"
ctl 2 visit checkout "$VISIT1" && err_has "HTTP 409"
kiosk_curl "$KIOSK2" POST /api/v1/visits \
  '{"name": "赵六", "phone": "13600003333", "host": "2-1-1001", "purpose": "business", "party_size": 1, "plate": null}' \
  ctl-it-visit-0001
VISIT2=$(grep -o '"id": *"[^"]*"' "$OUT" | head -n 1 | sed 's/.*"\([^"]*\)"$/\1/')
kiosk_curl "$KIOSK2" POST /api/v1/visits \
  '{"name": "钱七", "phone": "13600004444", "host": "2-1-1001", "purpose": "delivery", "party_size": 1, "plate": null}' \
  ctl-it-visit-0002
VISIT3=$(grep -o '"id": *"[^"]*"' "$OUT" | head -n 1 | sed 's/.*"\([^"]*\)"$/\1/')
ctl 0 visit list --state pending && out_has "$VISIT2" && out_has "$VISIT3"
ctl 0 visit approve "$VISIT2" && out_has "approved"
ctl 1 visit refuse "$VISIT3" && err_has "--reason is required"
ctl 0 visit refuse "$VISIT3" --reason "主人不在" && out_has "refused"
ctl 2 visit approve v_nonexistent

echo "== sites"
ctl 0 site list && out_has "main"
ctl 0 site add north --name 北区花园 --phone 0755-88886666 --workday 08:00-17:30
out_has "site north added: 北区花园, working hours 08:00-17:30"
ctl 2 site add north --name 重名 && err_has "HTTP 409"
ctl 1 site add south && err_has "--name is required"
ctl 1 site add south --name 南区 --workday 18:00-08:00 && err_has "must be after the start"
ctl 1 site set north && err_has "nothing to change"
ctl 0 site list && out_has "北区花园" && out_has "0755-88886666" && out_has "08:00-17:30"
ctl 0 site list --json && json_ok && [ "$(json_get '.sites[1].workday.start')" = "08:00" ] ||
  fail "site list --json: north's workday"
ctl 0 site set north --workday none && out_has "working hours the company's"
ctl 0 site set north --workday 09:00-18:00 --phone 0755-88887777 && out_has "09:00-18:00"
ctl 2 site set nowhere --name x && err_has "HTTP 404"
ctl 0 site set north --checkout-hours 6 --retention-days 30
ctl 0 site list && grep -F "北区花园" "$OUT" | grep -qE '09:00-18:00 +6 +30' ||
  fail "site list: north's own visitor settings"
ctl 0 site set north --checkout-hours none --json && json_ok &&
  [ "$(json_get '.auto_checkout_hours')" = null ] && [ "$(json_get '.visit_retention_days')" = 30 ] ||
  fail "site set --checkout-hours none: back to the company's"
ctl 1 site set north --checkout-hours 73 && err_has "--checkout-hours: '73' is not a whole number from 1 to 72"
ctl 1 site add south --name 南区 --retention-days none && err_has "--retention-days"
ctl 1 site add south --name 南区 --phone 400-800-1234转2 && err_has "is not a service phone"
ctl 0 --site north directory load "$HERE/directory_north.json" && out_has "1 buildings, 2 rooms"
ctl 0 directory show && out_has "SITE" && out_has "北区1栋"
grep -F "北区1栋" "$OUT" | grep -qF north || fail "building N1 not shown in site north"
ctl 0 directory show --site north && out_has "北区1栋" && out_lacks "1号楼"
ctl 2 directory load "$HERE/directory_north.json" --site main && err_has "HTTP 409"

echo "== a notice for one site"
ctl 0 notice post --title "北区停电检修" --body "周六 9:00-11:00" --category outage --site north
out_has "posted"
ctl 0 notice post --title "全公司通知" --body "国庆值班安排" --category other && out_has "posted"
ctl 0 notice list --site north && out_has "北区停电检修" && out_has "全公司通知"
grep -F "北区停电检修" "$OUT" | grep -qF north || fail "the north notice is not shown with its site"
grep -F "全公司通知" "$OUT" | grep -qF " all " || fail "the company-wide notice is not shown for all sites"
ctl 0 notice list --site main && out_lacks "北区停电检修" && out_has "全公司通知"
LOBBY_SITE=main ctl 0 notice list && out_lacks "北区停电检修"
LOBBY_SITE=main ctl 0 notice list --site north && out_has "北区停电检修"
ctl 2 notice list --site nowhere && err_has "HTTP 404"
ctl 1 notice list --site "北区" && err_has "--site: '北区' is not a valid code"

echo "== lists narrowed with --site"
ctl 0 kiosk add north-gate --building N1 && out_has "token = lk_"
NKIOSK=$(grep -o 'lk_[A-Za-z0-9_-]*' "$OUT" | head -n 1)
ctl 0 kiosk list --site north && out_has "north-gate" && out_lacks "ctl-lobby" && out_has "SITE"
ctl 0 kiosk list --site main && out_has "ctl-lobby" && out_lacks "north-gate"
ctl 0 repair add --building N1 --unit 1 --room 101 --name 周八 --phone 13811112222 \
  --category electric --description "北区插座没电"
NTICKET=$(grep -o 'R-[0-9]*-[0-9]*' "$OUT" | head -n 1)
ctl 0 repair list && out_has "$TICKET" && out_has "$NTICKET" && out_has "SITE"
grep -F "$NTICKET" "$OUT" | grep -qF north || fail "the north ticket is not shown with its site"
ctl 0 repair list --site north && out_has "$NTICKET" && out_lacks "$TICKET"
ctl 0 repair list --site main && out_has "$TICKET" && out_lacks "$NTICKET"
ctl 0 repair show "$NTICKET" && out_has "north"
kiosk_curl "$NKIOSK" POST /api/v1/visits \
  '{"name": "吴九", "phone": "13600005555", "host": "N1-1-101", "purpose": "family", "party_size": 1, "plate": null}' \
  ctl-it-visit-north-0001
NVISIT=$(grep -o '"id": *"[^"]*"' "$OUT" | head -n 1 | sed 's/.*"\([^"]*\)"$/\1/')
[ -n "$NVISIT" ] || fail "the north kiosk's visit gave no id"
ctl 0 visit list --site north && out_has "$NVISIT" && out_lacks "$VISIT1"
ctl 0 visit list --site main && out_has "$VISIT1" && out_lacks "$NVISIT"

echo "== a front desk that works for one site"
# Made with its site in one write: its token never reaches site main.
ctl 2 staff add 北区前台 --role front_desk --sites north,nowhere && err_has "HTTP 404"
ctl 1 staff add 北区前台 --role front_desk --sites 'north;' && err_has "--sites"
ctl 0 staff add 北区前台 --role front_desk --sites north
DESK=$(grep -o 'ls_[A-Za-z0-9_-]*' "$OUT" | head -n 1)
ctl 4 repair list --token "$DESK" --site main && err_has "HTTP 403"
ctl 0 staff sites 北区前台 north && out_has "staff 北区前台 now works for: north"
ctl 1 staff sites 北区前台 && err_has "the site codes or --all"
ctl 1 staff sites 北区前台 north,north && err_has "listed twice"
ctl 2 staff sites 北区前台 north,nowhere
ctl 4 staff sites 北区前台 main --token "$DESK" && err_has "HTTP 403"
ctl 0 repair list --token "$DESK" && out_has "$NTICKET" && out_lacks "$TICKET"
ctl 0 repair list --token "$DESK" --site north && out_has "$NTICKET"
ctl 4 repair list --token "$DESK" --site main && err_has "HTTP 403" && err_has "site main" && err_has "drop --site"
LOBBY_SITE=main ctl 4 visit list --token "$DESK" && err_has "HTTP 403"
ctl 4 kiosk list --token "$DESK" --site main && err_has "HTTP 403"
ctl 2 repair show "$TICKET" --token "$DESK" && err_has "HTTP 404"
ctl 0 notice list --token "$DESK" && out_has "北区停电检修" && out_has "全公司通知"
ctl 0 invite add --token "$DESK" --name 郑十 --phone 13700006666 --host N1-1-102 --purpose family
out_has "invite code:"
ctl 0 staff sites 北区前台 --all && out_has "staff 北区前台 now works for every site"
ctl 0 repair list --token "$DESK" && out_has "$TICKET" && out_has "$NTICKET"

echo "== complaints and suggestions"
ctl 1 complaint add --kind complaint --category noise_neighbours --text 楼上装修噪音 && err_has "--building is required"
ctl 1 complaint add --kind complaint --category noise --text x --building 1 --unit 2 --room 301 \
  --name 王芳 --phone 13800138000 && err_has "noise_neighbours"
ctl 1 complaint add --kind suggestion --category parking --text x --phone 13800138000 && err_has "--name is required"
ctl 0 complaint add --kind complaint --category noise_neighbours --text "楼上每晚装修到十一点" \
  --building 1 --unit 2 --room 301 --name 王芳 --phone 13800138000 --idempotency-key ctl-it-complaint-1
out_has "recorded, reply due"
COMPLAINT=$(grep -o 'C-[0-9]*-[0-9]*' "$OUT" | head -n 1)
ctl 0 complaint add --kind complaint --category noise_neighbours --text "楼上每晚装修到十一点" \
  --building 1 --unit 2 --room 301 --name 王芳 --phone 13800138000 --idempotency-key ctl-it-complaint-1
out_has "$COMPLAINT" && out_has "already received"
ctl 2 complaint add --kind suggestion --category parking --text "建议增加访客车位" && err_has "site is required"
ctl 0 complaint add --kind suggestion --category parking --text "建议增加访客车位" --site main && out_has "recorded"
SUGGESTION=$(grep -o 'C-[0-9]*-[0-9]*' "$OUT" | head -n 1)
ctl 0 complaint list && out_has "$COMPLAINT" && out_has "138****8000" && out_lacks "13800138000"
ctl 0 complaint list --kind suggestion && out_has "$SUGGESTION" && out_lacks "$COMPLAINT"
ctl 1 complaint list --status open && err_has "submitted, accepted"
ctl 0 complaint list --json && json_ok
ctl 1 complaint show R-20261126-0042 && err_has "C-20261204-0007"
ctl 2 complaint show C-20000101-9999
ctl 2 complaint event "$COMPLAINT" reply --reply 已处理 && err_has "HTTP 409 invalid_transition"
ctl 1 complaint event "$COMPLAINT" assign && err_has "--responsible is required"
ctl 1 complaint event "$COMPLAINT" accept --reply x && err_has "--reply goes only with"
ctl 2 complaint event "$COMPLAINT" assign --responsible 没有这个人 && err_has "responsible"
ctl 0 complaint event "$COMPLAINT" assign --responsible 王师傅 && out_has "assigned"
ctl 0 complaint event "$COMPLAINT" reply --reply "已联系楼上住户，晚上十点后停工" && out_has "replied"
ctl 1 complaint event "$COMPLAINT" return_visit --satisfaction happy && err_has "basically_satisfied"
ctl 0 complaint event "$COMPLAINT" return_visit --satisfaction satisfied --comment 好多了 && out_has "return_visited"
ctl 0 complaint event "$COMPLAINT" close && out_has "closed"
ctl 0 complaint show "$COMPLAINT" && out_has "晚上十点后停工" && out_has "satisfied" && out_has "王师傅" \
  && out_has "138****8000"
ctl 0 complaint event "$SUGGESTION" answer_close --reply "感谢建议，已纳入明年计划" && out_has "closed"
ctl 4 complaint list --token "$TECH" && err_has "HTTP 403"

echo "== item-release passes"
TODAY8=$(date -u -d '+8 hours' +%F)
apply_release() { # PHONE KEY: a kiosk applies for today; prints the number
  kiosk_curl "$LOBBY_KIOSK_TOKEN" POST /api/v1/releases \
    "{\"unit\":{\"building\":\"1\",\"unit\":\"2\",\"room\":\"301\"},\"items\":\"旧沙发一张\",\"date\":\"$TODAY8\",\"name\":\"王芳\",\"phone\":\"$1\"}" "$2"
  jq -r .number "$OUT"
}
F1=$(apply_release 13800138000 ctl-it-release-1)
F2=$(apply_release 13900139000 ctl-it-release-2)
ctl 0 release list --status submitted && out_has "$F1" && out_has "$F2" && out_has "138****8000" && out_lacks "13800138000"
ctl 1 release list --status expired && err_has "submitted, approved"
ctl 1 release list --date 2026-13-01 && err_has "--date"
ctl 1 release approve "$F1" && err_has "--verified is required"
ctl 1 release approve C-20261204-0001 --verified && err_has "F-20261204-0007"
ctl 0 release approve "$F1" --verified --note 已核对房产证 && out_has "approved; release code" && out_has "$TODAY8"
ctl 2 release approve "$F1" --verified && err_has "HTTP 409 invalid_transition"
ctl 1 release refuse "$F2" && err_has "--reason is required"
ctl 0 release refuse "$F2" --reason 非本户住户 && out_has "$F2 is now refused"
ctl 0 release cancel "$F1" --reason 业主来电取消 && out_has "$F1 is now cancelled"
ctl 0 release list --status refused && out_has "$F2" && out_lacks "$F1"
ctl 0 release list --json && json_ok
ctl 4 release list --token "$TECH" && err_has "HTTP 403"

echo "== renovations and workers' passes"
IN2M=$(date -u -d '+8 hours +2 months' +%F)
IN4M=$(date -u -d '+8 hours +4 months' +%F)
ctl 1 renovation add --building 1 --unit 2 --room 301 --company 美家装饰 --manager 李强 \
  --manager-phone 13900139000 --start "$TODAY8" --end "$IN4M" && err_has "at most three months later"
ctl 1 renovation add --building 1 --unit 2 --room 301 --company 美家装饰 --manager 李强 \
  --start "$TODAY8" --end "$IN2M" && err_has "--manager-phone is required"
ctl 0 renovation add --building 1 --unit 2 --room 301 --company 美家装饰 --manager 李强 \
  --manager-phone 13900139000 --works 厨卫改造 --start "$TODAY8" --end "$IN2M" &&
  out_has "registered, $TODAY8 to $IN2M"
Z1=$(grep -o 'Z-[0-9]*-[0-9]*' "$OUT")
ctl 0 renovation list && out_has "$Z1" && out_has "美家装饰" && out_has "139****9000" && out_lacks "13900139000"
ctl 0 renovation list --ending-within 7 && out_lacks "$Z1"
ctl 1 renovation list --ending-within 0 && err_has "--ending-within"
ctl 1 renovation list --status expired && err_has "active, finished"
ctl 1 renovation extend "$Z1" --end "$IN4M" && err_has "--reason is required"
ctl 0 renovation extend "$Z1" --end "$IN4M" --reason 业主追加阳台改造 && out_has "$Z1 now ends on $IN4M"
ctl 2 renovation extend "$Z1" --end "$IN2M" --reason 提前 && err_has "HTTP 400"
ctl 1 renovation extend F-20261204-0001 --end "$IN4M" --reason x && err_has "Z-20261204-0007"
ctl 0 worker add "$Z1" --name 王建国 --phone 13700137000 && out_has "code " && out_has "valid until $IN4M"
PASS=$(sed -n 's/.*code \([A-Z0-9]*\),.*/\1/p' "$OUT")
WID=$(sed -n 's/^pass \([0-9]*\) .*/\1/p' "$OUT")
[ "${#PASS}" = 8 ] || fail "no 8-character pass code in: $(cat "$OUT")"
ctl 1 worker add "$Z1" --name 王建国 --phone 123 && err_has "--phone"
ctl 2 worker add "$Z1" --name 王建国 --phone 13700137000 --valid-until 2099-01-01 && err_has "HTTP 400"
kiosk_curl "$LOBBY_KIOSK_TOKEN" POST /api/v1/workers/attendance "{\"pass_code\":\"$PASS\"}"
[ "$(jq -r .action "$OUT")" = in ] || fail "the worker did not check in: $(cat "$OUT")"
ctl 0 renovation list && out_has "1/1"
ctl 1 worker revoke "$WID" && err_has "--reason is required"
ctl 0 worker revoke "$WID" --reason 已离职 && out_has "pass $WID is now revoked"
ctl 2 worker revoke "$WID" --reason 已离职 && err_has "HTTP 409 invalid_transition"
ctl 0 renovation list --json && json_ok
ctl 4 renovation list --token "$TECH" && err_has "HTTP 403"

echo "== working-day calendar"
ctl 0 calendar list --year 2026 && out_has "2026-10-01" && out_has "国庆节" && out_has "holiday"
ctl 0 calendar set 2026-12-31 holiday --note 年终盘点 && out_has "holiday"
ctl 0 calendar list && out_has "年终盘点"
ctl 0 calendar clear 2026-12-31 && out_has "weekday rule"
ctl 2 calendar clear 2026-12-31 && err_has "HTTP 404"
ctl 1 calendar set 2026-02-30 holiday && err_has "DATE"
ctl 1 calendar set 2026-12-31 vacation && err_has "holiday, workday"
ctl 4 calendar set 2026-12-31 holiday --token "$TECH" && err_has "HTTP 403"

echo "== help"
ctl 0 --help && out_has "4  authentication" && out_has "--site CODE" && out_has "staff sites NAME"
ctl 1 frobnicate && err_has "unknown command"

if [ "$FAILURES" -ne 0 ]; then
  echo "$FAILURES check(s) failed"
  [ -f "$WORK/lobbyd.log" ] && { echo "--- lobbyd log (tail)"; tail -n 40 "$WORK/lobbyd.log"; }
  exit 1
fi
echo "all lobbyctl integration checks passed"
