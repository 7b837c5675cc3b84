// Writes the Chromium side of the kiosk benchmark: one static HTML page that
// looks like lobby-kiosk's home screen at 1080×1920 (header with site name,
// date and clock, the 24-hour service phone, the notice cards, four big
// buttons), built from the same feed JSON the kiosk is given with --feed.
//
//   node make_board.mjs FEED.json > board.html
//
// Sizes and colours are the kiosk's own at 1080×1920 (from its --dump-ui and
// src/kiosk/kiosk_app.h), so both sides draw the same picture.  What the page
// does while idle mirrors the kiosk's idle loop: the clock is redrawn at each
// minute boundary and, like the kiosk's rotate_s = 8, the highlighted notice
// moves on every 8 s.  The notices are in the HTML itself, so first paint is
// the notice board (no fetch), exactly as the kiosk's first frame is.
//
// The page reports, on the console (read from Chromium's stderr with
// --enable-logging=stderr), the wall-clock time of its first paints and
// whether the Noto Sans CJK SC faces were found:
//   lobby-paint first-contentful-paint epoch_ms=…
//   lobby-font LobbySans 400 loaded
import { readFileSync } from 'node:fs';

const feed = JSON.parse(readFileSync(process.argv[2], 'utf8'));

const esc = (s) =>
  String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

// The kiosk's category colours (kiosk_notice_color) and simple stand-ins for
// its vector icons, drawn as inline SVG so no extra font or file is loaded.
const categories = {
  works: ['#B45309', '<path d="M40 6 L62 70 H18 Z"/><rect x="10" y="70" width="60" height="6"/>'],
  outage: ['#1D4ED8', '<path d="M40 6 C40 6 16 38 16 52 a24 24 0 0 0 48 0 C64 38 40 6 40 6 Z"/>'],
  fees: ['#047857', '<circle cx="40" cy="40" r="30"/>'],
  safety: ['#B91C1C', '<path d="M40 4 L70 16 V40 C70 58 56 70 40 76 C24 70 10 58 10 40 V16 Z"/>'],
  community: ['#7C3AED', '<circle cx="26" cy="26" r="12"/><circle cx="54" cy="26" r="12"/><path d="M4 70 a22 22 0 0 1 44 0 Z M32 70 a22 22 0 0 1 44 0 Z"/>'],
  other: ['#475569', '<circle cx="40" cy="40" r="30"/>'],
};

// The start of a notice's body as one paragraph, as the kiosk's
// preview_text does: line breaks vanish.
const preview = (body) => String(body ?? '').replace(/\r?\n/g, '');

const site = feed.site?.name || '欢迎回家';
const building = feed.building?.name;
const title = building ? `${site} · ${building}` : site;
const phone = feed.site?.service_phone || '—';
const notices = feed.notices ?? [];

const cards = notices
  .map((n, i) => {
    const [color, icon] = categories[n.category] ?? categories.other;
    const pinned = n.pinned ? `<span class="pin" style="background:${color}">置顶</span>` : '';
    return `<div class="card${i === 0 && notices.length > 1 ? ' hl' : ''}">
  <div class="stripe" style="background:${color}"></div>
  <svg class="icon" viewBox="0 0 80 80" fill="${color}">${icon}</svg>
  <div class="text"><div class="ttl"><span class="t">${esc(n.title)}</span>${pinned}</div>
  <p class="body">${esc(preview(n.body))}</p></div>
</div>`;
  })
  .join('\n');

const actions = [
  ['报修', '#C2410C'],
  ['进度查询', '#1D4ED8'],
  ['访客登记', '#047857'],
  ['访客离开', '#6D28D9'],
]
  .map(([t, c]) => `<div class="act" style="background:${c}"><svg viewBox="0 0 80 80" fill="#fff"><circle cx="40" cy="40" r="26"/></svg><span>${t}</span></div>`)
  .join('\n');

process.stdout.write(`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=1080">
<title>Lobby notice board</title>
<style>
/* The kiosk's font: face 2 (SC) of /usr/share/fonts/opentype/noto/NotoSansCJK-{Regular,Bold}.ttc. */
@font-face { font-family: LobbySans; font-weight: 400; src: local("Noto Sans CJK SC"), local("NotoSansCJKsc-Regular"); }
@font-face { font-family: LobbySans; font-weight: 700; src: local("Noto Sans CJK SC Bold"), local("NotoSansCJKsc-Bold"); }
* { box-sizing: border-box; margin: 0; }
html, body { width: 1080px; height: 1920px; overflow: hidden; background: #F3F1EC; color: #1A1A1A;
  font-family: LobbySans, sans-serif; }
header { position: absolute; left: 0; top: 0; width: 1080px; height: 150px; background: #0B3D91; color: #fff; }
#site { position: absolute; left: 40px; top: 12px; width: 424px; height: 75px; font-size: 52px; font-weight: 700;
  line-height: 75px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
#date { position: absolute; left: 40px; top: 87px; width: 424px; font-size: 32px; color: #DCE6F7; line-height: 51px;
  white-space: nowrap; }
#clock { position: absolute; left: 488px; top: 12px; width: 288px; height: 126px; font-size: 96px; font-weight: 700;
  line-height: 126px; text-align: right; }
#lang { position: absolute; left: 800px; top: 15px; width: 240px; height: 120px; border-radius: 16px; background: #1E56B8;
  font-size: 32px; font-weight: 700; display: flex; align-items: center; justify-content: center; }
#phone { position: absolute; left: 40px; top: 190px; width: 1000px; height: 120px; background: #FFF7E6;
  border: 3px solid #F59E0B; border-radius: 16px; color: #7C2D12; font-size: 52px; font-weight: 700;
  display: flex; align-items: center; justify-content: center; gap: 24px; }
#head { position: absolute; left: 40px; top: 334px; font-size: 40px; font-weight: 700; line-height: 60px; }
#list { position: absolute; left: 40px; top: 406px; width: 1000px; height: 832px; overflow: hidden; }
.card { position: relative; height: 200px; margin-bottom: 24px; background: #fff; border: 2px solid #D6D3CC;
  border-radius: 16px; overflow: hidden; display: flex; align-items: center; padding: 24px 24px 24px 36px; }
.card.hl { background: #FFFBEB; border: 5px solid #F59E0B; }
.stripe { position: absolute; left: 0; top: 0; width: 16px; height: 100%; }
.icon { width: 80px; height: 80px; flex: none; margin-right: 24px; }
.text { flex: 1; min-width: 0; }
.ttl { display: flex; align-items: center; height: 58px; }
.t { flex: 1; font-size: 40px; font-weight: 700; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.pin { flex: none; color: #fff; font-size: 24px; font-weight: 700; border-radius: 6px; padding: 0 18px; line-height: 48px; }
.body { font-size: 32px; color: #4B5563; line-height: 47px; display: -webkit-box; -webkit-line-clamp: 2;
  -webkit-box-orient: vertical; overflow: hidden; }
#acts { position: absolute; left: 40px; top: 1262px; width: 1000px; height: 618px; display: grid;
  grid-template-columns: 1fr 1fr; grid-template-rows: 1fr 1fr; gap: 24px; }
.act { border-radius: 16px; color: #fff; font-size: 52px; font-weight: 700; display: flex; flex-direction: column;
  align-items: center; justify-content: center; gap: 24px; }
.act svg { width: 104px; height: 104px; }
</style></head>
<body>
<header><div id="site">${esc(title)}</div><div id="date"></div><div id="clock"></div><div id="lang">English</div></header>
<div id="phone"><svg viewBox="0 0 80 80" width="72" height="72" fill="#C2410C"><rect x="22" y="6" width="36" height="68" rx="6"/></svg>24小时服务电话 ${esc(phone)}</div>
<div id="head">通知公告</div>
<div id="list">
${cards}
</div>
<div id="acts">
${actions}
</div>
<script>
// The kiosk's clock: site time at UTC+8 (utc_offset_min = 480), redrawn at
// each minute boundary and not more often.
const OFFSET_MS = 480 * 60000;
const WEEKDAYS = ['星期日', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六'];
function drawClock() {
  const t = new Date(Date.now() + OFFSET_MS);
  const p = (n) => String(n).padStart(2, '0');
  document.getElementById('clock').textContent = p(t.getUTCHours()) + ':' + p(t.getUTCMinutes());
  document.getElementById('date').textContent =
    t.getUTCFullYear() + '年' + (t.getUTCMonth() + 1) + '月' + t.getUTCDate() + '日 ' + WEEKDAYS[t.getUTCDay()];
  setTimeout(drawClock, 60000 - (Date.now() % 60000));
}
drawClock();
// The kiosk's notice rotation while nobody touches it (rotate_s = 8): the
// next card is highlighted and brought into view.
const cards = document.querySelectorAll('.card');
let hl = 0;
if (cards.length > 1)
  setInterval(() => {
    cards[hl].classList.remove('hl');
    hl = (hl + 1) % cards.length;
    cards[hl].classList.add('hl');
    const list = document.getElementById('list'), c = cards[hl];
    if (c.offsetTop < list.scrollTop || c.offsetTop + c.offsetHeight > list.scrollTop + list.clientHeight)
      list.scrollTop = c.offsetTop;
  }, 8000);
// Measurement hooks, read from Chromium's stderr.
new PerformanceObserver((l) => {
  for (const e of l.getEntries())
    console.log('lobby-paint ' + e.name + ' epoch_ms=' + (performance.timeOrigin + e.startTime).toFixed(1));
}).observe({ type: 'paint', buffered: true });
document.fonts.ready.then(() => {
  for (const f of document.fonts) console.log('lobby-font ' + f.family + ' ' + f.weight + ' ' + f.status);
});
</script>
</body></html>
`);
