// Browser tests of the console's 装修 page and the workers on the 访客
// evacuation list: Debian's chromium, headless, driven by playwright-core
// against a real lobbyd.  Two renovations and a worker's pass are made
// with lobbyd's clock set back 60 days (LOBBY_FAKE_NOW), then lobbyd is
// served again on the real clock: one renovation ends in 3 days, the
// other ended 2 days ago, and the pass (valid 10 days) has expired.
//
//   node renovations_test.mjs --lobbyd PATH --directory deploy/demo/directory.json --shots DIR
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLobbyd, idemKey } from './harness.mjs';
import { DESKTOP, PHONE, assert, finish, launchChromium, noOverflow, parseArgs, shooter, signIn, step } from './steps.mjs';

const args = parseArgs(process.argv.slice(2));
const shots = args.shots || join(tmpdir(), 'lobby-console-renovations-shots');
const shot = shooter(shots);

// Dates as the site (Asia/Shanghai) reads them.
const pad = n => String(n).padStart(2, '0');
function dayOf(offsetDays) {
  const d = new Date(Date.now() + 8 * 3600e3 + offsetDays * 86400e3);
  return d.getUTCFullYear() + '-' + pad(d.getUTCMonth() + 1) + '-' + pad(d.getUTCDate());
}
function addDays(date, n) {
  const [y, m, d] = date.split('-').map(Number);
  const x = new Date(Date.UTC(y, m - 1, d + n));
  return x.getUTCFullYear() + '-' + pad(x.getUTCMonth() + 1) + '-' + pad(x.getUTCDate());
}
// Three calendar months on, the 31st held to the month's last day.
function addMonths(date, n) {
  const [y, m, d] = date.split('-').map(Number);
  const months = y * 12 + m - 1 + n, year = Math.floor(months / 12), month = months % 12;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return year + '-' + pad(month + 1) + '-' + pad(Math.min(d, last));
}

const OLD_DAY = dayOf(-60);
const OLD_NOW = Date.parse(OLD_DAY + 'T10:00:00+08:00') / 1000;
const SOON = {unit: {building: '1', unit: '2', room: '301'}, company: '鑫美装饰工程有限公司', manager: '陈志强',
              manager_phone: '13911110000', works: '厨卫改造、墙面翻新', start: OLD_DAY, end: dayOf(3)};
const OVER = {unit: {building: '2', unit: '1', room: '101'}, company: '安居装修队', manager: '刘海',
              manager_phone: '13922220000', works: '阳台封窗', start: OLD_DAY, end: dayOf(-2)};

async function register(server, body) {
  const r = await server.api('POST', '/api/v1/renovations', body, undefined, {'Idempotency-Key': idemKey()});
  assert(r.status === 201 && r.json.status === 'active', 'registered: ' + r.status + ' ' + r.text);
  return r.json.number;
}

async function issue(server, number, body) {
  const r = await server.api('POST', '/api/v1/renovations/' + number + '/workers', body, undefined, {'Idempotency-Key': idemKey()});
  assert(r.status === 201 && /^[0-9A-Za-z]{8}$/.test(r.json.pass_code || ''), 'pass issued: ' + r.status + ' ' + r.text);
  return r.json;
}

async function record(server, number) {
  const r = await server.api('GET', '/api/v1/renovations/' + number);
  assert(r.status === 200, 'GET ' + number + ': ' + r.text);
  return r.json;
}

// Waits until the server's record passes the test, then returns it.
async function recordWhere(server, number, test, what) {
  for (let i = 0; i < 50; i++) {
    const r = await record(server, number);
    if (test(r)) return r;
    await new Promise(res => setTimeout(res, 100));
  }
  throw new Error(number + ' never ' + what + ': ' + JSON.stringify(await record(server, number)));
}

function attendance(server, code) {
  return server.api('POST', '/api/v1/workers/attendance', {pass_code: code}, server.kioskToken);
}

// The pages of a PDF Chromium made, and the first page's size in points.
function pdfPages(path) {
  const text = readFileSync(path).toString('latin1');
  const pages = (text.match(/\/Type\s*\/Page\b/g) || []).length;
  const box = /\/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]/.exec(text);
  return {pages, width: box ? Number(box[3]) - Number(box[1]) : 0, height: box ? Number(box[4]) - Number(box[2]) : 0};
}

async function main() {
  // 60 days ago: two renovations and one worker's pass for 10 days.
  const server = await startLobbyd(args.lobbyd, args.directory, {env: {LOBBY_FAKE_NOW: String(OLD_NOW)}});
  const soonNumber = await register(server, SOON);
  assert(soonNumber === 'Z-' + OLD_DAY.replace(/-/g, '') + '-0001', 'numbered by the day it was registered: ' + soonNumber);
  const overNumber = await register(server, OVER);
  const oldPass = await issue(server, soonNumber, {name: '王建国', phone: '13700000001', valid_until: addDays(OLD_DAY, 10)});
  await server.restart({LOBBY_FAKE_NOW: ''});
  const soon = await record(server, soonNumber), over = await record(server, overNumber);
  assert(soon.ending_soon === true && soon.expired === false, 'ends soon on the real clock: ' + JSON.stringify(soon));
  assert(over.expired === true && over.status === 'active', 'expired on the real clock: ' + JSON.stringify(over));
  assert(soon.workers.length === 1 && soon.workers[0].expired === true, 'the old pass expired: ' + JSON.stringify(soon.workers));
  const sites = (await server.api('GET', '/api/v1/sites')).json.sites;
  const servicePhone = sites[0].service_phone;
  assert(servicePhone, 'the site has a service phone: ' + JSON.stringify(sites));

  const browser = await launchChromium();
  const desk = await browser.newContext({viewport: DESKTOP, locale: 'zh-CN', timezoneId: 'Asia/Shanghai'});
  const page = await desk.newPage();
  const pageErrors = [];
  const watch = p => {
    p.on('pageerror', e => pageErrors.push(String(e)));
    p.on('console', m => { if (m.type() === 'error') pageErrors.push(m.text()); });
  };
  watch(page);
  const shotPaths = [];
  let newNumber = null, worker = null;

  await step('the 装修 tab: ending soon highlighted and counted, expired red', async () => {
    await signIn(page, server, 'admin', 'admin-pass-1');
    await page.goto(server.url + '/console/#/repairs');
    await page.waitForSelector('table.repairs');
    const nav = await page.locator('.nav-link').evaluateAll(as => as.map(a => a.dataset.view));
    assert(nav.indexOf('renovations') === nav.indexOf('releases') + 1, '装修 after 物品放行: ' + nav);
    // Counted on the tab from any page: the one ending in 3 days, not the expired one.
    await page.waitForSelector('.nav-link[data-view="renovations"].has-badge[data-badge="1"]');
    await page.click('.nav-link[data-view="renovations"]');
    await page.waitForSelector(`tr[data-number="${soonNumber}"]`);
    const heads = await page.locator('table.renovations th').allTextContents();
    assert(JSON.stringify(heads) === JSON.stringify(['编号', '房号', '装修单位', '负责人', '施工内容', '工期', '到期', '施工人员', '状态']),
           'the columns: ' + heads);
    const rows = await page.locator('table.renovations tr[data-number]').evaluateAll(trs => trs.map(tr => tr.dataset.number));
    assert(JSON.stringify(rows) === JSON.stringify([overNumber, soonNumber]), 'ordered by end: ' + rows);
    const soonRow = page.locator(`tr[data-number="${soonNumber}"]`);
    assert((await soonRow.getAttribute('class')).split(' ').includes('ending-soon'), 'ending soon is highlighted');
    const soonText = await soonRow.textContent();
    for (const want of [soonNumber, '1号楼 2单元 301', '鑫美装饰工程有限公司', '陈志强', '139****0000', '厨卫改造、墙面翻新',
                        OLD_DAY + ' ~ ' + dayOf(3), '剩 3 天', '0 人有效 · 0 人在场', '即将到期'])
      assert(soonText.includes(want), `the row has ${want}: ${soonText}`);
    assert(!soonText.includes('13911110000'), 'the phone is masked in the list');
    const overRow = page.locator(`tr[data-number="${overNumber}"]`);
    assert((await overRow.getAttribute('class')).split(' ').includes('expired'), 'expired is marked');
    const color = await overRow.locator('td').first().evaluate(td => getComputedStyle(td).color);
    assert(color === 'rgb(197, 34, 31)', 'expired is red: ' + color);
    const overText = await overRow.textContent();
    assert(overText.includes('已过期 2 天') && overText.includes('已过期'), 'expired 2 days: ' + overText);
    const stat = async key => (await page.textContent(`.stat[data-count="${key}"] .stat-value`)).trim();
    assert(await stat('reno.count.active') === '2' && await stat('reno.count.ending') === '1' && await stat('reno.count.expired') === '1',
           'the counts');
    assert((await page.textContent('.reno-alerts')).includes('今天没有被拒绝的签到'), 'no refusals yet');
    await noOverflow(page);
    shotPaths.push(await shot(page, 'desktop-renovations'));
  });

  await step('register: the three-month limit refused in the form, the server\'s words on a 400', async () => {
    const today = dayOf(0), latest = addMonths(today, 3);
    const sent = [];
    page.on('request', req => { if (req.url().endsWith('/api/v1/renovations') && req.method() === 'POST') sent.push(req.postDataJSON()); });
    await page.click('.page-head button:has-text("登记装修")');
    await page.waitForSelector('dialog.modal input[name=end]');
    assert(await page.inputValue('dialog.modal input[name=start]') === today, 'starts today');
    assert((await page.textContent('dialog.modal .reno-latest')).trim() === `最晚 ${latest}（最长三个月）`, 'the latest end shown');
    assert(await page.getAttribute('dialog.modal input[name=end]', 'max') === latest, 'the picker stops there');
    await page.selectOption('dialog.modal select[name=building]', '2');
    await page.selectOption('dialog.modal select[name=unit]', '2');
    await page.selectOption('dialog.modal select[name=room]', '202');
    await page.fill('dialog.modal input[name=company]', '美家装饰');
    await page.fill('dialog.modal input[name=manager]', '赵工');
    await page.fill('dialog.modal input[name=manager_phone]', '123');
    await page.fill('dialog.modal textarea[name=works]', '全屋翻新');
    await page.fill('dialog.modal input[name=end]', addDays(latest, 1));
    await page.click('dialog.modal button.primary');
    await page.waitForSelector('dialog.modal .form-error:not(:empty)');
    const error = (await page.textContent('dialog.modal .form-error')).trim();
    assert(error === `装修期最长三个月：开工日期为 ${today} 时，完工日期最晚为 ${latest}`, 'refused in the form: ' + error);
    assert(sent.length === 0, 'nothing sent: ' + JSON.stringify(sent));
    shotPaths.push(await shot(page, 'desktop-renovation-new-too-long'));
    // The server refuses the same, naming the latest date.
    const body = {unit: {building: '2', unit: '2', room: '202'}, company: '美家装饰', manager: '赵工', manager_phone: '13811112222',
                  start: today, end: addDays(latest, 1)};
    const api = await server.api('POST', '/api/v1/renovations', body, undefined, {'Idempotency-Key': idemKey()});
    assert(api.status === 400 && api.json.error.field === 'end' && api.json.error.message.includes(latest),
           'the API names the latest end: ' + api.text);
    // A bad phone passes the form; the console says what is wrong in its
    // own words, never the server's English.
    await page.fill('dialog.modal input[name=end]', latest);
    const bad = await server.api('POST', '/api/v1/renovations', Object.assign({}, body, {end: latest, manager_phone: '123'}), undefined,
                                 {'Idempotency-Key': idemKey()});
    assert(bad.status === 400 && bad.json.error.field === 'manager_phone', 'the phone refused: ' + bad.text);
    await page.click('dialog.modal button.primary');
    await page.waitForFunction(() => document.querySelector('dialog.modal .form-error').textContent.trim() !== '' &&
      !document.querySelector('dialog.modal .form-error').textContent.includes('三个月'));
    assert((await page.textContent('dialog.modal .form-error')).trim() ===
           '「负责人电话」应为 11 位手机号（如 13812345678）或带区号的座机（如 010-12345678）',
           'the phone\'s words: ' + await page.textContent('dialog.modal .form-error'));
    assert(sent.length === 1, 'sent once: ' + JSON.stringify(sent));
    await page.fill('dialog.modal input[name=manager_phone]', '13811112222');
    const created = page.waitForResponse(res => res.url().endsWith('/api/v1/renovations') && res.request().method() === 'POST' &&
                                                res.status() === 201);
    await page.click('dialog.modal button.primary');
    newNumber = (await (await created).json()).number;
    await page.waitForSelector('dialog.modal', {state: 'detached'});
    assert(newNumber === 'Z-' + today.replace(/-/g, '') + '-0001', 'today\'s first: ' + newNumber);
    const r = await record(server, newNumber);
    assert(r.unit.building === '2' && r.unit.unit === '2' && r.unit.room === '202' && r.company === '美家装饰' && r.manager === '赵工' &&
           r.manager_phone === '13811112222' && r.works === '全屋翻新' && r.start === today && r.end === latest,
           'stored: ' + JSON.stringify(r));
    await page.waitForSelector(`tr[data-number="${newNumber}"]`);
    const rows = await page.locator('table.renovations tr[data-number]').evaluateAll(trs => trs.map(tr => tr.dataset.number));
    assert(JSON.stringify(rows) === JSON.stringify([overNumber, soonNumber, newNumber]), 'the latest end last: ' + rows);
  });

  await step('extend: a later end with a reason, and the tab\'s count drops', async () => {
    await page.click(`tr[data-number="${soonNumber}"]`);
    await page.waitForSelector('#drawer:not([hidden]) .drawer-actions');
    const actions = await page.locator('#drawer .drawer-actions button').allTextContents();
    assert(JSON.stringify(actions) === JSON.stringify(['发放出入证', '延期', '完工', '取消登记']), 'the actions: ' + actions);
    const facts = await page.textContent('#drawer .facts');
    for (const want of ['1号楼 2单元 301', '鑫美装饰工程有限公司', '陈志强 13911110000', '厨卫改造、墙面翻新', OLD_DAY + ' ~ ' + dayOf(3)])
      assert(facts.includes(want), 'the drawer has ' + want + ': ' + facts);
    assert((await page.textContent('#drawer .worker')).includes('已过期'), 'the old pass reads 已过期');
    shotPaths.push(await shot(page, 'desktop-renovation-drawer'));
    const max = addMonths(dayOf(3), 3);
    await page.click('#drawer .act-extend');
    await page.waitForSelector('dialog.modal input[name=end]');
    assert((await page.textContent('dialog.modal')).includes(`最晚 ${max}（最长三个月）`), 'the latest shown');
    await page.fill('dialog.modal input[name=end]', addDays(max, 1));
    await page.fill('dialog.modal textarea[name=reason]', '业主增加阳台改造');
    await page.click('dialog.modal button.primary');
    await page.waitForSelector('dialog.modal .form-error:not(:empty)');
    assert((await page.textContent('dialog.modal .form-error')).trim() === `每次延期最长三个月：最晚延至 ${max}`, 'too late');
    await page.fill('dialog.modal input[name=end]', dayOf(30));
    await page.fill('dialog.modal textarea[name=reason]', '');
    await page.click('dialog.modal button.primary');
    await page.waitForFunction(() => document.querySelector('dialog.modal .form-error').textContent.trim() === '请填写原因');
    assert((await record(server, soonNumber)).end === dayOf(3), 'nothing sent yet');
    await page.fill('dialog.modal textarea[name=reason]', '业主增加阳台改造');
    await page.click('dialog.modal button.primary');
    await page.waitForSelector('dialog.modal', {state: 'detached'});
    const r = await recordWhere(server, soonNumber, x => x.end === dayOf(30), 'extended');
    const ev = r.events[r.events.length - 1];
    assert(ev.event === 'extend' && ev.old_end === dayOf(3) && ev.new_end === dayOf(30) && ev.reason === '业主增加阳台改造',
           'the extension: ' + JSON.stringify(ev));
    assert(r.ending_soon === false, 'no longer ending soon');
    await page.waitForSelector(`#drawer .timeline li[data-event="extend"]`);
    const tl = await page.textContent('#drawer .timeline li[data-event="extend"]');
    assert(tl.includes(`完工日期 ${dayOf(3)} → ${dayOf(30)}`) && tl.includes('业主增加阳台改造') && tl.includes('admin · 管理员'),
           'the timeline: ' + tl);
    await page.waitForSelector('.nav-link[data-view="renovations"]:not(.has-badge)');
    assert(!(await page.locator(`tr[data-number="${soonNumber}"]`).getAttribute('class')).includes('ending-soon'), 'not highlighted now');
  });

  await step('issue a pass and print its card (A6, the QR loaded)', async () => {
    await page.click('#drawer .act-issue');
    await page.waitForSelector('dialog.modal input[name=valid_until]');
    assert(await page.inputValue('dialog.modal input[name=valid_until]') === dayOf(30), 'valid until the end by default');
    await page.fill('dialog.modal input[name=name]', '李建军');
    await page.fill('dialog.modal input[name=phone]', '13600001111');
    await page.fill('dialog.modal input[name=valid_until]', dayOf(31));
    await page.click('dialog.modal button.primary');
    await page.waitForSelector('dialog.modal .form-error:not(:empty)');
    assert((await page.textContent('dialog.modal .form-error')).trim() === `出入证有效期不能晚于装修完工日期 ${dayOf(30)}`, 'not past the end');
    await page.fill('dialog.modal input[name=valid_until]', dayOf(20));
    const issued = page.waitForResponse(res => res.url().endsWith('/workers') && res.request().method() === 'POST');
    await page.click('dialog.modal button.primary');
    const res = await issued;
    assert(res.status() === 201 && /^console-/.test(res.request().headers()['idempotency-key'] || ''), 'issued with a key: ' + res.status());
    worker = await res.json();
    assert(worker.name === '李建军' && worker.valid_until === dayOf(20) && worker.status === 'active', 'the worker: ' + JSON.stringify(worker));
    // The card opens at once.
    await page.waitForSelector(`dialog.modal .pass-card[data-code="${worker.pass_code}"]`);
    const card = await page.textContent('dialog.modal .pass-card');
    for (const want of ['临时出入证', '李建军', '鑫美装饰工程有限公司', '1号楼 2单元 301', dayOf(20), worker.pass_code, servicePhone])
      assert(card.includes(want), 'the card has ' + want + ': ' + card);
    assert(await page.getAttribute('dialog.modal .pc-qr', 'src') === '/api/v1/qr.svg?text=' + encodeURIComponent(worker.pass_code), 'the QR');
    await page.waitForFunction(() => { const i = document.querySelector('dialog.modal .pc-qr'); return i.complete && i.naturalWidth > 0; },
                               null, {timeout: 5000});
    const size = await page.$eval('dialog.modal .pc-code', n => parseFloat(getComputedStyle(n).fontSize));
    assert(size >= 24, 'the pass code large: ' + size);
    shotPaths.push(await shot(page, 'desktop-pass-card'));
    await page.evaluate(() => { window.__prints = 0; window.print = () => { window.__prints++; }; });
    await page.click('dialog.modal button.primary');
    assert(await page.evaluate(() => window.__prints) === 1, 'printed once');
    await page.emulateMedia({media: 'print'});
    const shown = await page.evaluate(() => ({
      app: getComputedStyle(document.getElementById('app')).display,
      dialog: getComputedStyle(document.querySelector('dialog.modal')).display,
      area: getComputedStyle(document.getElementById('print-area')).display,
      qr: document.querySelector('#print-area .pc-qr').naturalWidth,
      card: document.querySelector('#print-area .pass-card').textContent,
    }));
    assert(shown.app === 'none' && shown.dialog === 'none' && shown.area === 'block', 'only the card prints: ' + JSON.stringify(shown));
    assert(shown.qr > 0 && shown.card.includes(worker.pass_code), 'the printed card has its QR and code: ' + JSON.stringify(shown));
    shotPaths.push(await shot(page, 'print-pass-card'));
    const pdf = join(shots, 'print-pass-card.pdf');
    await page.pdf({path: pdf, preferCSSPageSize: true, printBackground: true});
    const pages = pdfPages(pdf);
    // A6 is 105 × 148 mm: 297.6 × 419.5 points.
    assert(pages.pages === 1 && Math.abs(pages.width - 297.6) < 1.5 && Math.abs(pages.height - 419.5) < 1.5,
           'one A6 page: ' + JSON.stringify(pages));
    await page.emulateMedia({media: 'screen'});
    await page.click('dialog.modal .modal-foot button:not(.primary)');
    await page.waitForSelector('dialog.modal', {state: 'detached'});
    assert(await page.locator('#print-area').count() === 0 && !(await page.evaluate(() => document.body.className.includes('print-card'))),
           'the print copy goes with the dialog');
    await page.waitForSelector(`#drawer .worker[data-worker="${worker.id}"]`);
    const item = await page.textContent(`#drawer .worker[data-worker="${worker.id}"]`);
    assert(item.includes('李建军') && item.includes('13600001111') && item.includes(worker.pass_code) && item.includes('有效'),
           'the worker in the drawer: ' + item);
  });

  await step('a worker checks in at the kiosk and is on the 访客 on-site list live, printed too', async () => {
    await page.goto(server.url + '/console/#/visitors/onsite');
    await page.waitForSelector('table.evacuation-workers');
    assert((await page.textContent('table.evacuation-workers')).includes('没有施工人员在场'), 'nobody yet');
    const r = await attendance(server, worker.pass_code);
    assert(r.status === 200 && r.json.action === 'in' && r.json.name === '李**' && r.json.company === '鑫美装饰工程有限公司',
           'checked in: ' + r.text);
    // No navigation: the check-in bumps "visits".
    await page.waitForSelector(`table.evacuation-workers tr[data-worker="${worker.id}"]`, {timeout: 10000});
    const row = await page.textContent(`tr[data-worker="${worker.id}"]`);
    for (const want of ['李建军', '施工人员', '13600001111', '鑫美装饰工程有限公司', '1号楼 2单元 301', soonNumber])
      assert(row.includes(want), 'the row has ' + want + ': ' + row);
    assert(!row.includes(worker.pass_code), 'no pass code on the evacuation list: ' + row);
    const head = await page.textContent('.print-head');
    assert(head.includes('共 1 人在场') && head.includes('施工人员 1 人'), 'counted in the head: ' + head);
    const onsite = (await server.api('GET', '/api/v1/visits/onsite')).json;
    assert(onsite.workers.length === 1 && onsite.workers[0].id === worker.id, 'the API lists the worker: ' + JSON.stringify(onsite));
    // Ticked at the roll-call like a visitor.
    await page.click(`tr[data-worker="${worker.id}"] button.tick`);
    await page.waitForSelector(`tr[data-worker="${worker.id}"] button.tick.safe`);
    const marks = (await server.api('GET', '/api/v1/visits/onsite')).json.rollcall;
    assert(marks.length === 1 && marks[0].kind === 'worker' && marks[0].id === String(worker.id), 'the worker marked: ' + JSON.stringify(marks));
    shotPaths.push(await shot(page, 'desktop-onsite-workers'));
    await page.emulateMedia({media: 'print'});
    const printed = await page.evaluate(() => getComputedStyle(document.querySelector('table.evacuation-workers')).display);
    assert(printed !== 'none', 'the workers print: ' + printed);
    await page.screenshot({path: join(shots, 'print-evacuation-workers.png'), fullPage: true});
    shotPaths.push(join(shots, 'print-evacuation-workers.png'));
    await page.emulateMedia({media: 'screen'});
  });

  await step('the desk signs out a worker who left without signing out', async () => {
    await page.click(`tr[data-worker="${worker.id}"] button:has-text("签离")`);
    await page.waitForSelector('dialog.modal');
    assert((await page.textContent('dialog.modal')).includes('李建军'), 'asks about the worker by name');
    await page.click('dialog.modal button.primary');
    await page.waitForSelector(`tr[data-worker="${worker.id}"]`, {state: 'detached'});
    const onsite = (await server.api('GET', '/api/v1/visits/onsite')).json;
    assert(onsite.workers.length === 0, 'nobody on site: ' + JSON.stringify(onsite.workers));
    // The next day at the kiosk the same pass signs in again.
    const r = await attendance(server, worker.pass_code);
    assert(r.status === 200 && r.json.action === 'in', 'signed in again: ' + r.text);
    await page.waitForSelector(`tr[data-worker="${worker.id}"]`, {timeout: 10000});
  });

  await step('expired and revoked passes are refused; the alert appears live with its mark', async () => {
    await page.goto(server.url + '/console/#/repairs');
    await page.waitForSelector('table.repairs');
    await page.waitForTimeout(500);
    const r = await attendance(server, oldPass.pass_code);
    assert(r.status === 409 && r.json.error.code === 'worker_pass_expired' && r.json.contact === servicePhone &&
           /^[\u4e00-\u9fff]/.test(r.json.error.message), 'refused, Chinese first, with the phone: ' + r.text);
    await page.waitForSelector('.nav-link[data-view="renovations"] .nav-alert', {timeout: 10000});
    assert((await page.textContent('.nav-link[data-view="renovations"] .nav-alert')).trim() === '⚠ 1', 'one alert on the tab');
    assert(await page.locator('table.repairs').count() === 1, 'still on the repairs view');
    await page.click('.nav-link[data-view="renovations"]');
    await page.waitForSelector(`.refusal.new[data-worker="${oldPass.id}"]`);
    const alert = await page.textContent(`.refusal[data-worker="${oldPass.id}"]`);
    for (const want of ['出入证已过期', '王建国', '137****0001', '鑫美装饰工程有限公司', '1号楼 2单元 301', 'lobby-1', soonNumber])
      assert(alert.includes(want), 'the alert has ' + want + ': ' + alert);
    assert((await page.textContent('.reno-alerts .alert-count')).trim() === '1', 'counted on the list');
    // Revoked while on site: checking out still works, checking in not.
    await page.click(`tr[data-number="${soonNumber}"]`);
    await page.waitForSelector(`#drawer .worker[data-worker="${worker.id}"] .act-revoke`);
    assert((await page.textContent(`#drawer .worker[data-worker="${worker.id}"]`)).includes('在场'), 'on site in the drawer');
    await page.click(`#drawer .worker[data-worker="${worker.id}"] .act-revoke`);
    await page.click('dialog.modal button.danger');
    await page.waitForFunction(() => document.querySelector('dialog.modal .form-error').textContent.trim() === '请填写原因');
    await page.fill('dialog.modal textarea[name=reason]', '违反小区施工时间规定');
    await page.click('dialog.modal button.danger');
    await page.waitForSelector('dialog.modal', {state: 'detached'});
    const rec = await recordWhere(server, soonNumber, x => x.workers.some(w => w.id === worker.id && w.status === 'revoked'), 'revoked');
    assert(rec.workers.find(w => w.id === worker.id).reason === '违反小区施工时间规定', 'the reason kept');
    const out = await attendance(server, worker.pass_code);
    assert(out.status === 200 && out.json.action === 'out', 'a revoked pass still checks out: ' + out.text);
    const again = await attendance(server, worker.pass_code);
    assert(again.status === 409 && again.json.error.code === 'worker_pass_revoked', 'then refused: ' + again.text);
    // On the page: the list and the mark move without navigation.
    await page.waitForSelector(`.refusal.new[data-worker="${worker.id}"]`, {timeout: 10000});
    await page.waitForFunction(() => (document.querySelector('.nav-link[data-view="renovations"] .nav-alert') || {}).textContent === '⚠ 2');
    const order = await page.locator('.refusal').evaluateAll(ls => ls.map(l => Number(l.dataset.worker)));
    assert(JSON.stringify(order) === JSON.stringify([worker.id, oldPass.id]), 'newest first: ' + order);
    assert((await page.textContent(`.refusal[data-worker="${worker.id}"]`)).includes('出入证已注销'), 'revoked, in words');
    await page.waitForSelector(`#drawer .worker[data-worker="${worker.id}"] .chip.ws-revoked`);
    shotPaths.push(await shot(page, 'desktop-renovation-refusals'));
    await page.click('#drawer .icon-btn');
    await page.click('.reno-alerts button:has-text("知道了")');
    await page.waitForSelector('.nav-link[data-view="renovations"] .nav-alert', {state: 'detached'});
    assert(await page.locator('.refusal.new').count() === 0 && await page.locator('.refusal').count() === 2, 'seen, still listed');
  });

  await step('renew an expired pass, then it checks in', async () => {
    await page.click(`tr[data-number="${soonNumber}"]`);
    await page.waitForSelector(`#drawer .worker[data-worker="${oldPass.id}"] .act-renew`);
    await page.click(`#drawer .worker[data-worker="${oldPass.id}"] .act-renew`);
    await page.waitForSelector('dialog.modal input[name=valid_until]');
    await page.fill('dialog.modal input[name=valid_until]', dayOf(30));
    await page.click('dialog.modal button.primary');
    await page.waitForSelector('dialog.modal', {state: 'detached'});
    await recordWhere(server, soonNumber, x => x.workers.some(w => w.id === oldPass.id && w.valid_until === dayOf(30) && !w.expired), 'renewed');
    await page.waitForSelector(`#drawer .worker[data-worker="${oldPass.id}"] .chip.ws-active`);
    const r = await attendance(server, oldPass.pass_code);
    assert(r.status === 200 && r.json.action === 'in', 'checked in after renewal: ' + r.text);
  });

  await step('finish revokes every pass; cancel needs a reason', async () => {
    await page.click('#drawer .act-finish');
    await page.waitForSelector('dialog.modal textarea[name=note]');
    assert((await page.textContent('dialog.modal')).includes('本装修有效的 1 张出入证将全部失效'), 'says what it revokes');
    await page.fill('dialog.modal textarea[name=note]', '验收合格');
    await page.click('dialog.modal button.primary');
    await page.waitForSelector('dialog.modal', {state: 'detached'});
    const r = await recordWhere(server, soonNumber, x => x.status === 'finished', 'finished');
    assert(r.workers.every(w => w.status === 'revoked'), 'every pass revoked: ' + JSON.stringify(r.workers));
    assert(r.events[r.events.length - 1].note === '验收合格', 'the note');
    await page.waitForSelector('#drawer .chip.zs-finished');
    assert(await page.locator('#drawer .drawer-actions button').count() === 0, 'nothing left to do');
    await page.waitForSelector(`table.renovations tr[data-number="${soonNumber}"]`, {state: 'detached'});
    await page.click('#drawer .icon-btn');
    await page.click(`tr[data-number="${overNumber}"]`);
    await page.waitForSelector('#drawer .act-cancel');
    const actions = await page.locator('#drawer .drawer-actions button').allTextContents();
    assert(JSON.stringify(actions) === JSON.stringify(['延期', '完工', '取消登记']), 'an expired one takes no passes: ' + actions);
    await page.click('#drawer .act-cancel');
    await page.click('dialog.modal button.danger');
    await page.waitForFunction(() => document.querySelector('dialog.modal .form-error').textContent.trim() === '请填写原因');
    await page.fill('dialog.modal textarea[name=reason]', '业主取消装修');
    await page.click('dialog.modal button.danger');
    await page.waitForSelector('dialog.modal', {state: 'detached'});
    const c = await recordWhere(server, overNumber, x => x.status === 'cancelled', 'cancelled');
    assert(c.events[c.events.length - 1].reason === '业主取消装修', 'the reason');
    await page.click('#drawer .icon-btn');
    await page.click('.tab[data-tab="all"]');
    await page.waitForSelector(`tr[data-number="${soonNumber}"] .chip.zs-finished`);
    await page.waitForSelector(`tr[data-number="${overNumber}"] .chip.zs-cancelled`);
    assert((await page.textContent('.stat[data-count="reno.count.active"] .stat-value')).trim() === '1', 'one in progress');
  });

  await step('English at a click', async () => {
    await page.click('.user-menu .link-btn');
    await page.waitForSelector('.nav-link:has-text("Renovations")');
    await page.waitForSelector(`tr[data-number="${soonNumber}"] >> text=Finished`);
    await page.click(`tr[data-number="${newNumber}"]`);
    await page.waitForSelector('#drawer:not([hidden]) .act-issue');
    const text = await page.textContent('#view');
    assert(!/reno\.|zstatus\.|zevent\.|wstatus\.|zrefusal\.|role\./.test(text), 'no keys: ' + text);
    assert(!/[\u4e00-\u9fff]/.test(await page.textContent('table.renovations thead')), 'English headings');
    assert((await page.textContent('.reno-alerts')).includes('Refused check-ins'), 'the alerts in English');
    shotPaths.push(await shot(page, 'desktop-renovations-en'));
    await page.click('.user-menu .link-btn');
    await page.waitForSelector('.nav-link:has-text("装修")');
  });

  const phone = await browser.newContext({viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
                                          locale: 'zh-CN', timezoneId: 'Asia/Shanghai'});
  const mobile = await phone.newPage();
  watch(mobile);

  await step('the front desk on a phone: no overflow', async () => {
    await signIn(mobile, server, '前台小王', 'desk-pass-1');
    await mobile.goto(server.url + '/console/#/renovations/all');
    await mobile.waitForSelector(`tr[data-number="${newNumber}"]`);
    await noOverflow(mobile);
    shotPaths.push(await shot(mobile, 'phone-renovations'));
    await mobile.click(`tr[data-number="${newNumber}"]`);
    await mobile.waitForSelector('#drawer:not([hidden]) .act-issue');
    await noOverflow(mobile);
    shotPaths.push(await shot(mobile, 'phone-renovation-drawer'));
    await mobile.click('#drawer .act-issue');
    await mobile.fill('dialog.modal input[name=name]', '孙师傅');
    await mobile.fill('dialog.modal input[name=phone]', '13500002222');
    await mobile.click('dialog.modal button.primary');
    await mobile.waitForSelector('dialog.modal .pass-card');
    await mobile.waitForFunction(() => { const i = document.querySelector('dialog.modal .pc-qr'); return i.complete && i.naturalWidth > 0; });
    await noOverflow(mobile);
    const fits = await mobile.$eval('dialog.modal .pass-card', n => n.getBoundingClientRect().right <= window.innerWidth);
    assert(fits, 'the card fits the phone');
    shotPaths.push(await shot(mobile, 'phone-pass-card'));
    await mobile.click('dialog.modal .modal-foot button:not(.primary)');
    // 王建国 checked in after his renewal and has not left: his pass was
    // revoked with the finish, but he stays on the list until he signs out.
    await mobile.goto(server.url + '/console/#/visitors/onsite');
    await mobile.waitForSelector(`table.evacuation-workers tr[data-worker="${oldPass.id}"]`);
    await noOverflow(mobile);
    shotPaths.push(await shot(mobile, 'phone-onsite'));
  });

  await step('no script errors in the pages', async () => {
    const real = pageErrors.filter(e => !/status of (400|401|403|404|409|429)/.test(e));
    assert(real.length === 0, real.join('\n'));
  });

  await phone.close();
  await browser.close();
  await finish(server, shotPaths, shots);
}

main().catch(e => { console.error(e); process.exit(1); });
