#!/usr/bin/env bash
# Every screen that needs no server, at 1080x1920, 1920x1080 and 1280x800
# in Chinese and English: the kiosk's no-overflow step after each screen,
# then --dump-ui of the last one checked from its JSON.
#   layout_sizes.sh KIOSK TESTS_KIOSK_DIR OUTDIR
set -euo pipefail
KIOSK=$1 DIR=$2 OUT=$3
rm -rf "$OUT" && mkdir -p "$OUT"
FEED="$DIR/data/demo_feed.json"

tour() { # lang suffix
  local L=$1 S=$2
  if [ "$L" = zh ]; then
    cat <<EOS
lang zh
no-overflow
shot home_$S
tap "停水通知：11月28日9:00至17:00二次供水设备检修"
no-overflow
shot notice_$S
tap "返回首页"
tap "1号楼、2号楼电梯更新改造工程安排（12月1日起分批施工）"
expect "小区将分批对1号楼、2号楼的电梯进行更新改造"
no-overflow
shot notice_long_$S
tap "下一页"
no-overflow
shot notice_long_page2_$S
drag 500 600 500 300 200
sleep 500
no-overflow
tap "返回首页"
expect-not "3号楼外墙维修施工"
drag 300 700 300 300 200
sleep 800
expect "3号楼外墙维修施工"
no-overflow
shot home_scrolled_$S
tap "报修"
tap "1号楼"
tap "2单元"
no-overflow
shot repair_where_$S
tap "301"
tap "下一步"
no-overflow
shot repair_category_$S
tap "家用电器"
tap "下一步"
tap "预约"
tap "明天"
tap "晚上 18:00–21:00"
no-overflow
shot repair_urgency_$S
tap "下一步"
tap "常用姓氏"
tap "黄"
tap "女士"
no-overflow
shot repair_contact_$S
tap "ABC"
no-overflow
tap "手机或电话"
type "0755-1234567"
no-overflow
tap "下一步"
tap "常用描述"
tap "空调不制冷"
tap "燃气灶打不着"
tap "ABC"
no-overflow
shot repair_desc_$S
layout 拼音
key "w"
key "e"
key "i"
key "x"
key "i"
key "u"
no-overflow
shot kb_pinyin_$S
key "›"
no-overflow
shot kb_pinyin_page2_$S
key "‹"
candidate "维修"
$(for c in d i a n t i t i n g z a i b a n c e n g; do echo "key \"$c\""; done)
no-overflow
shot kb_pinyin_sentences_$S
candidate "电梯停在半层"
expect "维修电梯停在半层"
layout ABC
key "大写"
no-overflow
shot kb_abc_$S
layout 123
no-overflow
shot kb_num_$S
layout 符号
no-overflow
shot kb_symbols_$S
tap "下一步"
no-overflow
shot repair_review_$S
tap "首页"
tap "进度查询"
type "202611260042"
no-overflow
shot status_$S
tap "排队编号 Q-"
no-overflow
tap "首页"
tap "访客登记"
no-overflow
shot visit_start_$S
tap "我有邀请码"
no-overflow
shot visit_invite_$S
tap "上一步"
tap "填写访客信息"
type "Wang"
tap "手机或电话"
no-overflow
type "139"
tap "下一步"
expect "电话号码不对"
no-overflow
shot visit_error_$S
type "00001111"
tap "下一步"
tap "拜访公司"
no-overflow
tap "拜访住户"
tap "2号楼"
tap "1单元"
tap "202"
no-overflow
shot visit_host_$S
tap "下一步"
tap "面试"
no-overflow
shot visit_details_$S
tap "下一步"
no-overflow
shot visit_plate_$S
tap "没有开车，跳过"
no-overflow
shot visit_review_$S
tap "首页"
tap "访客离开"
type "K7M"
tap "确认离开"
expect "通行码是 8 位字母数字"
no-overflow
shot checkout_$S
tap "施工人员签到 / 签离"
expect "请输入临时出入证上的通行码"
no-overflow
shot worker_entry_$S
type "K7M"
tap "确认"
expect "通行码是 8 位字母和数字，请核对出入证后再输入"
no-overflow
shot worker_error_$S
type "3QX4A"
tap "确认"
expect "现在无法签到签离。请到前台登记，\n或拨打服务电话 400-800-1234"
no-overflow
shot worker_offline_$S
tap "重试"
expect "K7M3QX4A"
tap "取消"
tap "访客登记"
tap "施工人员签到 / 签离"
expect "请输入临时出入证上的通行码"
expect-not "K7M3QX4A"
tap "首页"
tap "投诉建议"
tap "建议"
no-overflow
shot complaint_kind_$S
tap "下一步"
tap "噪音邻里"
no-overflow
shot complaint_category_$S
tap "下一步"
tap "常用描述"
tap "楼上噪音"
tap "晚上11点后装修"
no-overflow
shot complaint_desc_$S
tap "下一步"
expect "请选择您的房号（选填）"
no-overflow
shot complaint_where_optional_$S
tap "不填，下一步"
expect "建议可匿名提交"
no-overflow
shot complaint_contact_optional_$S
tap "不留姓名，下一步"
expect "匿名提交"
no-overflow
shot complaint_review_anonymous_$S
tap "上一步"
tap "上一步"
tap "上一步"
tap "上一步"
tap "上一步"
tap "投诉"
tap "下一步"
tap "下一步"
tap "下一步"
tap "1号楼"
tap "2单元"
tap "301"
no-overflow
shot complaint_where_$S
tap "下一步"
tap "下一步"
expect "请填写您的称呼"
no-overflow
shot complaint_contact_error_$S
tap "常用姓氏"
tap "王"
tap "女士"
tap "手机或电话"
type "13800138000"
tap "下一步"
expect "138****8000"
no-overflow
shot complaint_review_$S
tap "首页"
tap "进度查询"
tap "投诉建议 C-"
type "202612020001"
no-overflow
shot status_complaint_$S
tap "物品放行 F-"
type "202612030001"
no-overflow
shot status_release_entry_$S
tap "首页"
tap "物品放行"
expect "请选择您的房号"
tap "1号楼"
tap "2单元"
tap "301"
no-overflow
shot release_where_$S
tap "下一步"
tap "下一步"
expect "请写下要搬出的物品（200字以内）"
no-overflow
shot release_items_error_$S
tap "常用物品"
tap "沙发"
tap "冰箱"
no-overflow
shot release_items_$S
layout 拼音
key "x"
key "i"
key "a"
key "n"
key "g"
no-overflow
shot release_items_pinyin_$S
candidate "箱"
tap "下一步"
tap "下一步"
expect "请点选搬出的日期"
no-overflow
shot release_date_error_$S
tap "11月28日\n周六"
no-overflow
shot release_date_$S
tap "下一步"
expect "没有车辆，跳过"
no-overflow
shot release_plate_empty_$S
tap "省份简称"
tap "粤"
tap "ABC"
key "B"
no-overflow
shot release_plate_$S
tap "下一步"
tap "下一步"
expect "请填写您的称呼"
no-overflow
shot release_contact_error_$S
tap "常用姓氏"
tap "王"
tap "女士"
tap "手机或电话"
type "13800138000"
tap "下一步"
expect "138****8000"
expect "11月28日 周六"
no-overflow
shot release_review_$S
tap "首页"
EOS
  else
    cat <<EOS
lang en
no-overflow
shot home_en_$S
tap "Repair request"
tap "Building 1"
tap "Unit 1"
tap "101"
tap "Next"
no-overflow
shot repair_category_en_$S
tap "Appliances"
tap "Next"
tap "Appointment"
tap "Tomorrow"
tap "Evening 18–21"
no-overflow
shot repair_urgency_en_$S
tap "Next"
tap "Next"
expect "Please enter your name"
no-overflow
shot repair_contact_en_$S
tap "Surnames"
tap "Wang"
tap "Phone number"
type "13812345678"
tap "Next"
tap "Phrases"
tap "Air con not cooling"
no-overflow
shot repair_desc_en_$S
tap "Next"
no-overflow
shot repair_review_en_$S
tap "Home"
tap "Check status"
no-overflow
shot status_en_$S
tap "Home"
tap "Visitor check-in"
no-overflow
tap "I have an invitation code"
no-overflow
tap "Home"
tap "Visitor check-out"
no-overflow
shot checkout_en_$S
tap "Contractor workers: sign in / out"
expect "Enter the code on your temporary pass"
no-overflow
shot worker_entry_en_$S
type "K7M"
tap "Confirm"
expect "The pass code has 8 letters and digits; please check your pass."
no-overflow
shot worker_error_en_$S
type "3QX4A"
tap "Confirm"
expect "No connection"
no-overflow
shot worker_offline_en_$S
tap "Done"
tap "Visitor check-in"
tap "Contractor workers: sign in / out"
no-overflow
tap "Home"
tap "Complaints & suggestions"
tap "Suggestion"
no-overflow
shot complaint_kind_en_$S
tap "Next"
tap "Noise, neighbours"
no-overflow
shot complaint_category_en_$S
tap "Next"
tap "Phrases"
tap "Noise from upstairs"
no-overflow
shot complaint_desc_en_$S
tap "Next"
no-overflow
shot complaint_where_optional_en_$S
tap "Skip"
expect "Suggestions may be anonymous"
no-overflow
shot complaint_contact_optional_en_$S
tap "Stay anonymous, next"
expect "Anonymous"
no-overflow
shot complaint_review_anonymous_en_$S
tap "Back"
tap "Back"
tap "Back"
tap "Back"
tap "Back"
tap "Complaint"
tap "Next"
tap "Next"
tap "Next"
tap "Building 1"
tap "Unit 2"
tap "301"
no-overflow
shot complaint_where_en_$S
tap "Next"
expect "Your name and phone, so we can answer you"
tap "Surnames"
tap "Wang"
tap "Phone number"
type "13812345678"
tap "Next"
expect "138****5678"
no-overflow
shot complaint_review_en_$S
tap "Home"
tap "Check status"
tap "Complaint C-"
no-overflow
shot status_complaint_en_$S
tap "Release F-"
no-overflow
shot status_release_entry_en_$S
tap "Home"
tap "Moving out"
tap "Building 1"
tap "Unit 2"
tap "301"
no-overflow
shot release_where_en_$S
tap "Next"
tap "Items"
tap "Sofa"
tap "Fridge"
no-overflow
shot release_items_en_$S
tap "Next"
tap "Next"
expect "Please choose the day the items leave"
no-overflow
tap "Nov 27\nTomorrow, Fri"
no-overflow
shot release_date_en_$S
tap "Next"
expect "No vehicle, skip"
no-overflow
shot release_plate_en_$S
tap "No vehicle, skip"
tap "Surnames"
tap "Wang"
tap "Phone number"
type "13812345678"
no-overflow
shot release_contact_en_$S
tap "Next"
expect "138****5678"
expect "Fri, Nov 27"
no-overflow
shot release_review_en_$S
tap "Home"
EOS
  fi
}

for size in 1080x1920 1920x1080 1280x800; do
  {
    echo 'clock "2026-11-26T10:00:00+08:00"'
    tour zh "$size"
    tour en "$size"
    echo "lang zh"
  } | sed 's/^no-overflow$/no-overflow\ndump/' > "$OUT/tour-$size.kiosk"
  "$KIOSK" --headless --size "$size" --feed "$FEED" --state-dir "$OUT/state" --script "$OUT/tour-$size.kiosk" --shots "$OUT" --dump-ui \
    > "$OUT/dump-$size.json" 2> "$OUT/kiosk-$size.log" || { tail -20 "$OUT/kiosk-$size.log" >&2; exit 1; }
  # Every "dump" step and the final --dump-ui: no overflow, and every
  # button, chip and key at least 80 px tall (in proportion on smaller screens).
  python3 - "$OUT/dump-$size.json" "$size" <<'EOP'
import json, math, sys
text = open(sys.argv[1]).read()
keys_seen = set()
w, h = map(int, sys.argv[2].split('x'))
dec, pos, docs = json.JSONDecoder(), 0, []
while True:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    if pos >= len(text):
        break
    d, pos = dec.raw_decode(text, pos)
    docs.append(d)
assert len(docs) > 20, "expected a dump per screen, got %d" % len(docs)
for d in docs:
    assert d["width"] == w and d["height"] == h, "dump is for the wrong size"
    bad = [x for x in d["widgets"] if x["overflow"]]
    assert not bad and d["overflow_count"] == 0, "%s: overflow: %r" % (d["screen"], bad)
    # 80 px on a 1080-pixel-wide portrait screen, in proportion elsewhere.
    least = 80 * min(w, h) // 1080
    small = [x for x in d["widgets"] if x.get("tappable") and x["rect"][3] < least and x["role"] in ("button", "chip", "key")]
    assert not small, "%s: touch targets under %d px: %r" % (d["screen"], least, small)
    # Keyboard keys: 64 px at 1080 wide, and never under 9 mm on the
    # default 21.5-inch panel of this pixel size.
    px_per_mm = math.hypot(w, h) / 21.5 / 25.4
    key_min = max(-(-64 * min(w, h) // 1080), math.ceil(9 * px_per_mm))
    tiny = [x for x in d["widgets"] if x["role"] == "key" and min(x["rect"][2], x["rect"][3]) < key_min]
    assert not tiny, "%s: keys under %d px: %r" % (d["screen"], key_min, tiny)
    keys_seen.update(x["text"] for x in d["widgets"] if x["role"] == "key")
assert any(x["text"] == "报修" and x.get("tappable") for x in docs[-1]["widgets"]), "no repair button at the end"
# The contractor worker's screens were walked: the code, an error, offline.
for step in ("worker-entry", "worker-offline"):
    assert any(d["screen"] == step for d in docs), "never on " + step
# Every layout was checked: pinyin (分词), ABC (Q after shift), 123 and symbols.
for k in ("分词", "Q", "7", "《"):
    assert k in keys_seen, "the %s key was never on screen" % k
print("%s: %d screens checked" % (sys.argv[2], len(docs)))
EOP
  grep -q '^kiosk-run first_frame_ms=' "$OUT/kiosk-$size.log" || { echo "no kiosk-run line" >&2; exit 1; }
done
echo ok
