#!/bin/sh
# The main job: installs packages, builds, starts lobbyd on a demo building
# (SQLite file, demo notices, an enrolled kiosk) and then the kiosk: in a
# window where there is a display, headless with screenshots in run/shots/
# where there is none.  lobbyd keeps running until Ctrl-C.
#
# DEMO_PORT (default 8080) sets the port; DEMO_EXIT=1 stops after the
# kiosk's screenshots instead of keeping lobbyd up.
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)

deploy/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$(nproc 2>/dev/null || echo 2)"

port=${DEMO_PORT:-8080}
run="$top/run"
mkdir -p "$run/shots" "$run/kiosk-state"
lobbyd="$top/build/sbin/lobbyd"
lobbyctl="$top/build/bin/lobbyctl"
kiosk="$top/build/bin/lobby-kiosk"
LOBBY_SERVER="http://127.0.0.1:$port"
export LOBBY_SERVER

"$lobbyd" serve --config config/lobbyd.ini --db "$run/lobby.db" --listen "127.0.0.1:$port" \
  >"$run/lobbyd.out" 2>"$run/lobbyd.log" &
lobbyd_pid=$!
trap 'kill $lobbyd_pid 2>/dev/null; wait $lobbyd_pid 2>/dev/null' EXIT INT TERM
for _ in $(seq 100); do
  curl -fsS "$LOBBY_SERVER/healthz" >/dev/null 2>&1 && break
  kill -0 "$lobbyd_pid" 2>/dev/null || { cat "$run/lobbyd.log"; exit 1; }
  sleep 0.1
done

# Seed the demo once: the directory, notices and a kiosk, all through
# lobbyctl as staff would do it.
if [ ! -f "$run/admin.token" ]; then
  kill "$lobbyd_pid"; wait "$lobbyd_pid" 2>/dev/null || true
  "$lobbyd" admin-token --db "$run/lobby.db" --name 管理员 >"$run/admin.token"
  "$lobbyd" serve --config config/lobbyd.ini --db "$run/lobby.db" --listen "127.0.0.1:$port" \
    >"$run/lobbyd.out" 2>>"$run/lobbyd.log" &
  lobbyd_pid=$!
  for _ in $(seq 100); do curl -fsS "$LOBBY_SERVER/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
  LOBBY_TOKEN=$(cat "$run/admin.token"); export LOBBY_TOKEN
  "$lobbyctl" directory load deploy/demo/directory.json
  "$lobbyctl" notice post --category outage --priority 3 --pinned \
    --title "11月28日上午停水通知" \
    --body "因市政管网检修，11月28日（周六）9:00至12:00，1号楼、2号楼全天停水三小时。请各位业主提前储水，关好水龙头，来水后先放水片刻。如有疑问请拨打24小时服务电话。"
  "$lobbyctl" notice post --category works --priority 2 \
    --title "电梯年度检验" \
    --body "12月1日至12月3日，1号楼两部电梯依次进行年度安全检验，每部约半天。检验期间请使用另一部电梯或楼梯，给您带来不便敬请谅解。"
  "$lobbyctl" notice post --category fees \
    --title "2027年度物业费缴纳通知" \
    --body "2027年度物业费即日起开始收缴，可在物业服务中心、微信公众号缴纳。12月31日前缴清全年费用的业主可参加新春抽奖活动。"
  "$lobbyctl" notice post --category safety \
    --title "冬季防火安全提示" \
    --body "天气干燥，请勿在楼道堆放杂物，不要私拉电线给电动车充电。离家前请检查燃气阀门和电器电源。楼道消防通道请保持畅通。"
  "$lobbyctl" notice post --category community \
    --title "社区迎新年联欢会" \
    --body "12月30日下午3点在小区中心花园举办迎新年联欢会，有猜灯谜、写春联和儿童游戏，欢迎全家参加。"
  "$lobbyctl" kiosk add lobby-1 --building 1 --group east --json | jq -r .token >"$run/kiosk.token"
fi
LOBBY_TOKEN=$(cat "$run/admin.token"); export LOBBY_TOKEN

# A second compound of the same company, so the console's site switcher
# has something to switch to (also into a demo database made before sites).
if ! "$lobbyctl" --json site list | jq -e '.sites[] | select(.code == "north")' >/dev/null; then
  "$lobbyctl" site add north --name 北苑 --phone 400-800-2222 --workday 08:00-20:00
  "$lobbyctl" --site north directory load deploy/demo/directory-north.json
  "$lobbyctl" --site north notice post --category works --priority 2 \
    --title "北苑地下车库照明改造" \
    --body "12月5日至12月6日更换地下车库照明灯具，施工期间部分车位临时停用，请按现场指引停车。"
  "$lobbyctl" --site north kiosk add north-1 --building N1 >/dev/null
fi

# A complaint being worked and a suggestion waiting, for the console's
# 投诉建议 page (also into a demo database made before complaints).
if [ "$("$lobbyctl" --json complaint list | jq '.complaints | length')" = 0 ]; then
  "$lobbyctl" complaint add --kind complaint --category noise_neighbours --building 1 --unit 2 \
    --room 301 --name 王芳 --phone 13800138000 --source front_desk \
    --text "楼上住户装修，每天晚上十点以后还在电钻施工，家里老人休息不好。" --json |
    jq -r .number >"$run/complaint.number"
  "$lobbyctl" complaint event "$(cat "$run/complaint.number")" assign --responsible 管理员 >/dev/null
  "$lobbyctl" complaint event "$(cat "$run/complaint.number")" reply \
    --reply "已联系楼上住户和施工队，施工时间调整为每天9:00至18:00，周末不施工。" >/dev/null
  "$lobbyctl" --site main complaint add --kind suggestion --category facilities \
    --text "建议在东门旁边加装一个快递柜，老人取快递不用走远路。" >/dev/null
fi

# An item-release pass waiting for the desk and one approved for today,
# for the console's 物品放行 and 门岗 pages (the desk enters them as if
# taken by phone; lobbyctl has no release add).
if [ "$("$lobbyctl" --json release list | jq '.releases | length')" = 0 ]; then
  release_add() { # DATE ITEMS PHONE KEY
    curl -fsS -X POST -H "Authorization: Bearer $LOBBY_TOKEN" -H "Content-Type: application/json" \
      -H "Idempotency-Key: $4" --data "{\"unit\":{\"building\":\"1\",\"unit\":\"2\",\"room\":\"301\"},\"items\":\"$2\",\"date\":\"$1\",\"name\":\"王芳\",\"phone\":\"$3\",\"source\":\"phone\"}" \
      "$LOBBY_SERVER/api/v1/releases" | jq -r .number
  }
  today=$(date -u -d '+8 hours' +%F)
  tomorrow=$(date -u -d '+32 hours' +%F)
  release_add "$tomorrow" "旧沙发一张、纸箱五个" 13800138000 demo-release-1 >/dev/null
  approved=$(release_add "$today" "电视机一台、书柜一个" 13800138000 demo-release-2)
  "$lobbyctl" release approve "$approved" --verified --note "已核对业主身份"
fi

# A renovation ending in five days (the 装修 page's highlight) with two
# workers, one of whom is on site; the other's pass expired yesterday, so
# the kiosk refuses it (a pass cannot be issued already expired, so its
# date is moved back in the database).
if [ "$("$lobbyctl" --json renovation list | jq '.renovations | length')" = 0 ]; then
  start=$(date -u -d '+8 hours -30 days' +%F)
  end=$(date -u -d '+8 hours +5 days' +%F)
  number=$("$lobbyctl" --json renovation add --building 1 --unit 2 --room 301 --company 美家装饰 \
    --manager 李强 --manager-phone 13900139000 --works "厨卫改造、阳台封窗" --start "$start" --end "$end" \
    --idempotency-key demo-renovation-1 | jq -r .number)
  on_site=$("$lobbyctl" --json worker add "$number" --name 王建国 --phone 13700137000 \
    --idempotency-key demo-worker-1 | jq -r .pass_code)
  expired=$("$lobbyctl" --json worker add "$number" --name 赵六 --phone 13600136000 \
    --idempotency-key demo-worker-2 | jq -r .id)
  curl -fsS -X POST -H "Authorization: Bearer $(cat "$run/kiosk.token")" -H "Content-Type: application/json" \
    --data "{\"pass_code\":\"$on_site\"}" "$LOBBY_SERVER/api/v1/workers/attendance" >/dev/null || true
  if command -v sqlite3 >/dev/null; then
    sqlite3 "$run/lobby.db" "UPDATE worker_passes SET valid_until = '$(date -u -d '+8 hours -1 day' +%F)' WHERE id = $expired"
  fi
fi

# Console logins (the staff console at /console/).  set-password works on
# the database while lobbyd runs; it is idempotent, so every demo run
# resets these demo passwords.
echo "${DEMO_ADMIN_PASSWORD:-lobby-admin}" | "$lobbyd" set-password --db "$run/lobby.db" --name 管理员
echo "lobby-desk" | "$lobbyd" set-password --db "$run/lobby.db" --name 前台 --role front_desk
echo "lobby-tech" | "$lobbyd" set-password --db "$run/lobby.db" --name 李师傅 --role technician
echo "lobby-desk-north" | "$lobbyd" set-password --db "$run/lobby.db" --name 北苑前台 --role front_desk
echo "lobby-guard" | "$lobbyd" set-password --db "$run/lobby.db" --name 门岗老张 --role guard
"$lobbyctl" staff sites 北苑前台 north >/dev/null
echo "console: $LOBBY_SERVER/console/ (管理员 / ${DEMO_ADMIN_PASSWORD:-lobby-admin}, 前台 / lobby-desk, 李师傅 / lobby-tech, 门岗老张 / lobby-guard at the gate; 北苑前台 / lobby-desk-north sees compound 北苑 only)"

echo "lobbyd: $LOBBY_SERVER (admin token in run/admin.token, log in run/lobbyd.log)"

if [ ! -x "$kiosk" ]; then
  echo "lobby-kiosk is not built; lobbyd keeps running (Ctrl-C stops it)"
  wait "$lobbyd_pid"
  exit 0
fi

kiosk_args="--config config/kiosk.ini --server $LOBBY_SERVER --token $(cat "$run/kiosk.token") --state-dir $run/kiosk-state"
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  # shellcheck disable=SC2086
  "$kiosk" $kiosk_args
else
  echo "no display: running the kiosk headless, screenshots in run/shots/"
  # shellcheck disable=SC2086
  "$kiosk" $kiosk_args --headless --size 1080x1920 --script deploy/demo/tour.kiosk --shots "$run/shots"
  ls "$run/shots"
  if [ "${DEMO_EXIT:-0}" != 1 ]; then
    echo "lobbyd keeps running at $LOBBY_SERVER (Ctrl-C stops it)"
    wait "$lobbyd_pid"
  fi
fi
