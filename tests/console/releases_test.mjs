// Browser tests of the console's 物品放行 page and the guard's 门岗 page:
// Debian's chromium, headless, driven by playwright-core against a real
// lobbyd.  One pass is applied for and approved with lobbyd's clock set
// back a month (LOBBY_FAKE_NOW), then lobbyd is served again on the real
// clock, so that pass has expired.
//
//   node releases_test.mjs --lobbyd PATH --directory deploy/demo/directory.json --shots DIR
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLobbyd, idemKey } from './harness.mjs';
import { DESKTOP, PHONE, assert, finish, launchChromium, noOverflow, parseArgs, shooter, signIn, step } from './steps.mjs';

const args = parseArgs(process.argv.slice(2));
const shots = args.shots || join(tmpdir(), 'lobby-console-releases-shots');
const shot = shooter(shots);

const OLD_DAY = '2026-11-02';
const OLD_NOW = Date.parse(OLD_DAY + 'T10:00:00+08:00') / 1000;
const GUARD = {name: '门岗老张', password: 'guard-pass-1'};

// Dates and times as the site (Asia/Shanghai) reads them.
const pad = n => String(n).padStart(2, '0');
const shanghai = ms => new Date(ms + 8 * 3600e3);
function dayOf(offsetDays) {
  const d = shanghai(Date.now() + offsetDays * 86400e3);
  return d.getUTCFullYear() + '-' + pad(d.getUTCMonth() + 1) + '-' + pad(d.getUTCDate());
}
const md = date => Number(date.slice(5, 7)) + '/' + Number(date.slice(8, 10));
function mdhm(iso) {
  const d = shanghai(Date.parse(iso));
  return (d.getUTCMonth() + 1) + '/' + d.getUTCDate() + ' ' + pad(d.getUTCHours()) + ':' + pad(d.getUTCMinutes());
}

const APPLICATION = {unit: {building: '1', unit: '2', room: '301'}, items: '双人沙发一张、纸箱6个', plate: '粤B12345',
                     name: '王芳', phone: '13800138000'};

async function apply(server, overrides) {
  const r = await server.api('POST', '/api/v1/releases', Object.assign({date: dayOf(0)}, APPLICATION, overrides || {}),
                             server.kioskToken, {'Idempotency-Key': idemKey()});
  assert(r.status === 201 && r.json.status === 'submitted', 'applied at the kiosk: ' + r.status + ' ' + r.text);
  return r.json.number;
}

async function record(server, number) {
  const r = await server.api('GET', '/api/v1/releases/' + number);
  assert(r.status === 200, 'GET ' + number + ': ' + r.text);
  return r.json;
}

async function approve(server, number) {
  const r = await server.api('POST', '/api/v1/releases/' + number + '/events', {event: 'approve', verified: true});
  assert(r.status === 200 && /^\d{6}$/.test(r.json.code || ''), 'approved with a code: ' + r.text);
  return r.json.code;
}

// Waits until the server's record has the status, then returns it.
async function recordWith(server, number, status) {
  for (let i = 0; i < 50; i++) {
    const r = await record(server, number);
    if (r.status === status) return r;
    await new Promise(res => setTimeout(res, 100));
  }
  const r = await record(server, number);
  throw new Error(`${number} is ${r.status}, not ${status}`);
}

async function main() {
  // A month ago: a pass approved for that day, expired today.
  const server = await startLobbyd(args.lobbyd, args.directory, {env: {LOBBY_FAKE_NOW: String(OLD_NOW)}});
  const oldNumber = await apply(server, {date: OLD_DAY, items: '旧衣柜一个', name: '赵敏', phone: '13911112222'});
  assert(oldNumber === 'F-20261102-0001', 'numbered by the day it was applied for: ' + oldNumber);
  const oldCode = await approve(server, oldNumber);
  await server.restart({LOBBY_FAKE_NOW: ''});
  const old = await record(server, oldNumber);
  assert(old.status === 'approved' && old.expired === true, 'expired on the real clock: ' + JSON.stringify(old));
  // A second site, so that lists mix sites and show 小区.
  const site = await server.api('POST', '/api/v1/sites', {code: 'north', name: '北区花园', service_phone: '0755-88886666'});
  assert(site.status === 201, 'north: ' + site.text);

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
  let number = null, code = null, refusedNumber = null, deskNumber = null, tomorrowCode = null, cancelledCode = null;

  await step('a kiosk application raises the tab\'s badge live', async () => {
    await signIn(page, server, 'admin', 'admin-pass-1');
    await page.goto(server.url + '/console/#/repairs');
    await page.waitForSelector('table.repairs');
    const nav = await page.locator('.nav-link').evaluateAll(as => as.map(a => a.dataset.view));
    assert(nav.includes('releases') && !nav.includes('gate'), 'the desk has 物品放行 and no 门岗: ' + nav);
    assert((await page.textContent('.nav-link[data-view="releases"]')).trim() === '物品放行', 'the tab\'s name');
    await page.waitForTimeout(500);
    assert(!(await page.getAttribute('.nav-link[data-view="releases"]', 'class')).includes('has-badge'), 'nothing waits yet');
    number = await apply(server);
    // No navigation: the events long-poll's "releases" topic brings it.
    await page.waitForSelector('.nav-link[data-view="releases"].has-badge[data-badge="1"]', {timeout: 10000});
    assert(await page.locator('table.repairs').count() === 1, 'still on the repairs view');
    await page.click('.nav-link[data-view="releases"]');
    await page.waitForSelector(`tr[data-number="${number}"]`);
    const heads = await page.locator('table.releases th').allTextContents();
    assert(JSON.stringify(heads) === JSON.stringify(['编号', '小区', '房号', '放行物品', '放行日期', '车牌', '申请人', '来源', '状态', '申请时间']),
           'the columns: ' + heads);
    const row = await page.textContent(`tr[data-number="${number}"]`);
    for (const want of [number, '1号楼 2单元 301', '双人沙发一张、纸箱6个', md(dayOf(0)), '今天', '粤B12345', '王芳', '138****8000', '自助机', '待审核'])
      assert(row.includes(want), `the row has ${want}: ${row}`);
    assert(!row.includes('13800138000'), 'the phone is masked in the list');
    // Waiting first, though the expired one is listed too.
    const rows = await page.locator('table.releases tr[data-number]').evaluateAll(trs => trs.map(tr => tr.dataset.number));
    assert(JSON.stringify(rows) === JSON.stringify([number, oldNumber]), 'waiting first: ' + rows);
    assert((await page.textContent(`tr[data-number="${oldNumber}"]`)).includes('已过期'), 'the old pass reads 已过期');
    assert((await page.textContent('.stat[data-count="releases.count.submitted"] .stat-value')).trim() === '1', 'one waiting');
    shotPaths.push(await shot(page, 'desktop-releases'));
    await noOverflow(page);
  });

  await step('approval needs the box ticked, then makes the code', async () => {
    await page.click(`tr[data-number="${number}"]`);
    await page.waitForSelector('#drawer:not([hidden]) .drawer-actions');
    const actions = await page.locator('#drawer .drawer-actions button').allTextContents();
    assert(JSON.stringify(actions) === JSON.stringify(['批准', '拒绝']), 'a waiting application: ' + actions);
    const facts = await page.textContent('#drawer .facts');
    for (const want of ['王芳 13800138000', '1号楼 2单元 301', '双人沙发一张、纸箱6个', '粤B12345', '自助机', dayOf(0)])
      assert(facts.includes(want), 'the drawer has ' + want + ' in full: ' + facts);
    assert(await page.getAttribute('#drawer .facts a[href^="tel:"]', 'href') === 'tel:13800138000', 'the phone to call');
    const sent = [];
    page.on('request', req => { if (req.url().endsWith('/events') && req.method() === 'POST') sent.push(req.postDataJSON()); });
    await page.click('#drawer .drawer-actions button:has-text("批准")');
    await page.waitForSelector('dialog.modal input[name=verified]');
    assert((await page.textContent('dialog.modal .check.verify')).trim() === '已核实申请人为该房屋业主或住户', 'the box\'s words');
    assert(!(await page.isChecked('dialog.modal input[name=verified]')), 'not ticked for the desk');
    await page.click('dialog.modal button.primary');
    await page.waitForSelector('dialog.modal .form-error:not(:empty)');
    const error = (await page.textContent('dialog.modal .form-error')).trim();
    assert(error === '请先核实申请人为该房屋业主或住户，并勾选确认后再批准', 'refused without the box: ' + error);
    shotPaths.push(await shot(page, 'desktop-release-approve-unticked'));
    assert(sent.length === 0, 'nothing sent: ' + JSON.stringify(sent));
    assert((await record(server, number)).status === 'submitted', 'still waiting');
    // The server refuses it too.
    const bare = await server.api('POST', '/api/v1/releases/' + number + '/events', {event: 'approve'});
    assert(bare.status === 400 && bare.json.error.code === 'missing_field' && bare.json.error.field === 'verified',
           'the API wants verified: ' + bare.text);
    await page.check('dialog.modal input[name=verified]');
    await page.fill('dialog.modal textarea[name=note]', '已电话核实，业主本人');
    await page.click('dialog.modal button.primary');
    await page.waitForSelector('dialog.modal', {state: 'detached'});
    assert(sent.length === 1 && sent[0].event === 'approve' && sent[0].verified === true && sent[0].note === '已电话核实，业主本人',
           'approve sent with verified: ' + JSON.stringify(sent));
    const r = await recordWith(server, number, 'approved');
    code = r.code;
    assert(/^\d{6}$/.test(code) && r.decided_by === 'admin', 'a code and who decided: ' + JSON.stringify(r));
    await page.waitForSelector('#drawer .chip.rs-approved');
    assert((await page.textContent('#drawer .release-code.big')).trim() === code, 'the code in the drawer');
    assert(JSON.stringify(await page.locator('#drawer .drawer-actions button').allTextContents()) === '["取消放行"]', 'cancel is left');
    const timeline = await page.textContent('#drawer .timeline');
    for (const want of ['提交申请', '批准', '已电话核实，业主本人', 'admin · 管理员'])
      assert(timeline.includes(want), 'the timeline has ' + want + ': ' + timeline);
    await page.waitForSelector('.nav-link[data-view="releases"]:not(.has-badge)');
    shotPaths.push(await shot(page, 'desktop-release-drawer'));
    await page.click('#drawer .icon-btn');
  });

  await step('refusal asks a reason and asks again when it is empty', async () => {
    refusedNumber = await apply(server, {items: '旧冰箱一台', plate: '', name: '李雷', phone: '13700001111',
                                         unit: {building: '2', unit: '1', room: '101'}});
    await page.waitForSelector('.nav-link[data-view="releases"][data-badge="1"]', {timeout: 10000});
    await page.waitForSelector(`tr[data-number="${refusedNumber}"]`, {timeout: 10000});
    const first = await page.locator('table.releases tr[data-number]').first().getAttribute('data-number');
    assert(first === refusedNumber, 'the new waiting one leads: ' + first);
    await page.click(`tr[data-number="${refusedNumber}"]`);
    await page.click('#drawer .drawer-actions button:has-text("拒绝")');
    await page.waitForSelector('dialog.modal textarea[name=reason]');
    await page.click('dialog.modal .modal-foot button.danger');
    await page.waitForSelector('dialog.modal .form-error:not(:empty)');
    assert((await page.textContent('dialog.modal .form-error')).trim() === '请填写原因：申请人会在自助机上看到它', 'a reason is needed');
    assert((await record(server, refusedNumber)).status === 'submitted', 'still waiting');
    const reason = '房号与登记业主不符，请业主本人到前台办理';
    await page.fill('dialog.modal textarea[name=reason]', reason);
    await page.click('dialog.modal .modal-foot button.danger');
    await page.waitForSelector('dialog.modal', {state: 'detached'});
    const r = await recordWith(server, refusedNumber, 'refused');
    assert(r.reason === reason && r.code === null, 'refused with the reason: ' + JSON.stringify(r));
    await page.waitForSelector('#drawer .chip.rs-refused');
    assert((await page.textContent('#drawer .timeline')).includes(reason), 'the reason in the timeline');
    assert(await page.locator('#drawer .drawer-actions button').count() === 0, 'nothing to do once refused');
    const lookup = await server.api('GET', '/api/v1/releases/lookup?number=' + refusedNumber + '&phone_last4=1111', undefined,
                                    server.kioskToken);
    assert(lookup.status === 200 && lookup.json.reason === reason && lookup.json.status === 'refused', 'the resident reads it: ' + lookup.text);
    await page.waitForSelector('.nav-link[data-view="releases"]:not(.has-badge)');
    await page.click('#drawer .icon-btn');
  });

  await step('the desk takes an application down for tomorrow', async () => {
    const tomorrow = dayOf(1);
    await page.click('.page-head button:has-text("前台登记")');
    await page.waitForSelector('dialog.modal select[name=date]');
    const dates = await page.locator('dialog.modal select[name=date] option').evaluateAll(os => os.map(o => o.value));
    assert(dates.length === 15 && dates[0] === dayOf(0) && dates[14] === dayOf(14), 'today and 14 days: ' + dates);
    await page.selectOption('dialog.modal select[name=building]', '2');
    await page.selectOption('dialog.modal select[name=unit]', '2');
    await page.selectOption('dialog.modal select[name=room]', '202');
    await page.fill('dialog.modal textarea[name=items]', '书柜一个、办公椅两把');
    await page.selectOption('dialog.modal select[name=date]', tomorrow);
    await page.fill('dialog.modal input[name=plate]', '粤b67890');
    await page.fill('dialog.modal input[name=name]', '张伟');
    await page.fill('dialog.modal input[name=phone]', '13600002222');
    shotPaths.push(await shot(page, 'desktop-release-new'));
    const posted = page.waitForRequest(req => req.url().endsWith('/api/v1/releases') && req.method() === 'POST');
    const created = page.waitForResponse(res => res.url().endsWith('/api/v1/releases') && res.request().method() === 'POST');
    await page.click('dialog.modal button.primary');
    const req = await posted;
    assert(/^console-/.test(req.headers()['idempotency-key'] || ''), 'an Idempotency-Key: ' + JSON.stringify(req.headers()));
    const res = await created;
    assert(res.status() === 201, 'created: ' + res.status() + ' ' + await res.text());
    deskNumber = (await res.json()).number;
    await page.waitForSelector('dialog.modal', {state: 'detached'});
    const r = await record(server, deskNumber);
    assert(r.source === 'front_desk' && r.status === 'submitted' && r.date === tomorrow && r.plate === '粤B67890' &&
           r.unit.building === '2' && r.unit.unit === '2' && r.unit.room === '202' && r.name === '张伟' &&
           r.items === '书柜一个、办公椅两把', 'stored: ' + JSON.stringify(r));
    await page.waitForSelector(`tr[data-number="${deskNumber}"] >> text=前台`);
    tomorrowCode = await approve(server, deskNumber);
  });

  await step('a pass is cancelled with a reason', async () => {
    const n = await apply(server, {items: '床垫一张', name: '孙丽', phone: '13500003333', unit: {building: '1', unit: '1', room: '102'}});
    cancelledCode = await approve(server, n);
    await page.waitForSelector(`tr[data-number="${n}"] .chip.rs-approved`, {timeout: 10000});
    await page.click(`tr[data-number="${n}"]`);
    await page.waitForSelector('#drawer:not([hidden]) .release-code.big');
    await page.click('#drawer .drawer-actions button:has-text("取消放行")');
    await page.click('dialog.modal .modal-foot button.danger');
    await page.waitForSelector('dialog.modal .form-error:not(:empty)');
    assert((await page.textContent('dialog.modal .form-error')).trim() === '请填写原因：申请人会在自助机上看到它', 'a reason is needed');
    await page.fill('dialog.modal textarea[name=reason]', '业主来电，改期搬家');
    await page.click('dialog.modal .modal-foot button.danger');
    await page.waitForSelector('dialog.modal', {state: 'detached'});
    const r = await recordWith(server, n, 'cancelled');
    assert(r.reason === '业主来电，改期搬家', 'cancelled with the reason: ' + JSON.stringify(r));
    await page.waitForSelector('#drawer .chip.rs-cancelled');
    await page.click('#drawer .icon-btn');
  });

  await step('today\'s approved passes for the desk', async () => {
    await page.click('.tab[data-tab="today"]');
    await page.waitForSelector('table.releases-today');
    await page.waitForSelector(`table.releases-today tr[data-number="${number}"]`);
    const rows = await page.locator('table.releases-today tr[data-number]').evaluateAll(trs => trs.map(tr => tr.dataset.number));
    assert(JSON.stringify(rows) === JSON.stringify([number]), 'only today\'s approved pass: ' + rows);
    assert((await page.textContent(`tr[data-number="${number}"] .release-code`)).trim() === code, 'its code');
    assert((await page.textContent('.stat[data-count="releases.count.today"] .stat-value')).trim() === '1', 'one valid today');
    shotPaths.push(await shot(page, 'desktop-releases-today'));
  });

  await step('the admin makes a guard account (门岗)', async () => {
    await page.goto(server.url + '/console/#/admin/accounts');
    await page.click('.page-head button:has-text("新建账号")');
    await page.waitForSelector('dialog.modal select[name=role]');
    const roles = await page.locator('dialog.modal select[name=role] option').evaluateAll(os => os.map(o => [o.value, o.textContent]));
    assert(JSON.stringify(roles) === JSON.stringify([['front_desk', '前台'], ['technician', '维修师傅'], ['guard', '门岗'], ['admin', '管理员']]),
           'the roles: ' + JSON.stringify(roles));
    await page.fill('dialog.modal input[name=name]', GUARD.name);
    await page.selectOption('dialog.modal select[name=role]', 'guard');
    await page.fill('dialog.modal input[name=password]', GUARD.password);
    await page.click('dialog.modal button.primary');
    await page.waitForSelector('dialog.modal', {state: 'detached'});
    await page.waitForSelector(`tr[data-staff="${GUARD.name}"]`);
    assert((await page.textContent(`tr[data-staff="${GUARD.name}"]`)).includes('门岗'), 'listed as 门岗');
    const staff = (await server.api('GET', '/api/v1/staff')).json.staff.find(s => s.name === GUARD.name);
    assert(staff && staff.role === 'guard', 'stored as a guard: ' + JSON.stringify(staff));
  });

  const phone = await browser.newContext({viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
                                          locale: 'zh-CN', timezoneId: 'Asia/Shanghai'});
  const gate = await phone.newPage();
  watch(gate);
  const check = async value => {
    await gate.fill('input[name=code]', value);
    const before = await gate.locator('.gate-result').innerHTML();
    await gate.click('button.gate-check');
    await gate.waitForFunction(b => document.querySelector('.gate-result').innerHTML !== b && document.querySelector('.gate-card'), before);
    return (await gate.textContent('.gate-card')).trim();
  };

  await step('the guard, on a phone, checks a code and lets the things out', async () => {
    await signIn(gate, server, GUARD.name, GUARD.password);
    await gate.waitForSelector('.view-gate input[name=code]');
    const nav = await gate.locator('.nav-link').allTextContents();
    assert(JSON.stringify(nav) === '["门岗"]', 'the guard\'s one tab: ' + nav);
    assert(await gate.getAttribute('input[name=code]', 'inputmode') === 'numeric' &&
           await gate.getAttribute('input[name=code]', 'maxlength') === '6', 'one numeric input for 6 digits');
    const size = await gate.$eval('input[name=code]', n => parseFloat(getComputedStyle(n).fontSize));
    assert(size >= 40, 'large type: ' + size);
    const button = await gate.$eval('button.gate-check', n => n.getBoundingClientRect().height);
    assert(button >= 56, 'a big 查验 button: ' + button);
    await noOverflow(gate);
    shotPaths.push(await shot(gate, 'phone-gate'));
    const text = await check(code);
    assert(await gate.locator('.gate-card.ok').count() === 1, 'green: ' + text);
    for (const want of ['可以放行', '双人沙发一张、纸箱6个', '1号楼 2单元 301', '粤B12345', md(dayOf(0)), '王*'])
      assert(text.includes(want), 'the pass shows ' + want + ': ' + text);
    assert(!text.includes('王芳') && !text.includes('13800138000'), 'the name masked, no phone: ' + text);
    await noOverflow(gate);
    shotPaths.push(await shot(gate, 'phone-gate-valid'));
    await gate.click('button.gate-use:has-text("确认放行")');
    await gate.waitForSelector('.gate-card.done');
    assert((await gate.textContent('.gate-card.done .gate-verdict')).includes('已放行'), 'then 已放行');
    const r = await recordWith(server, number, 'used');
    assert(r.used_by === GUARD.name && r.used_at, 'used by the guard: ' + JSON.stringify(r));
    assert(r.events.map(e => e.event).join(',') === 'submit,approve,use' && r.events[2].by_role === 'guard',
           'the use event: ' + JSON.stringify(r.events));
    await noOverflow(gate);
    shotPaths.push(await shot(gate, 'phone-gate-done'));
    // A second check says when and by whom.
    await gate.click('button.gate-next');
    assert(await gate.inputValue('input[name=code]') === '', 'ready for the next one');
    const again = await check(code);
    assert(await gate.locator('.gate-card.bad').count() === 1, 'red: ' + again);
    const reason = (await gate.textContent('.gate-reason')).trim();
    assert(reason === `已于 ${mdhm(r.used_at)} 由 ${GUARD.name} 放行`, 'when and by whom: ' + reason);
    assert(await gate.locator('button.gate-use').count() === 0, 'no 确认放行 on a used pass');
    await noOverflow(gate);
    shotPaths.push(await shot(gate, 'phone-gate-used'));
  });

  await step('expired, not yet, cancelled and unknown codes are refused in plain words', async () => {
    await check(oldCode);
    assert((await gate.textContent('.gate-reason')).trim() === '已过期（放行日期 11/2）', 'expired');
    assert(await gate.locator('.gate-card.bad button.gate-use').count() === 0, 'nothing to confirm');
    shotPaths.push(await shot(gate, 'phone-gate-expired'));
    await check(tomorrowCode);
    assert((await gate.textContent('.gate-reason')).trim() === `未到放行日期（${md(dayOf(1))}）`, 'not yet');
    await check(cancelledCode);
    assert((await gate.textContent('.gate-reason')).trim() === '已被拒绝或取消', 'cancelled');
    const known = new Set((await server.api('GET', '/api/v1/releases')).json.releases.map(x => x.code).filter(Boolean));
    let unknown = 100000;
    while (known.has(String(unknown))) unknown++;
    await check(String(unknown));
    assert((await gate.textContent('.gate-reason')).trim() === '查无此放行码', 'unknown');
    shotPaths.push(await shot(gate, 'phone-gate-unknown'));
    await check('123');
    assert((await gate.textContent('.gate-reason')).trim() === '请输入 6 位数字放行码', 'six digits');
    await noOverflow(gate);
  });

  await step('the guard reaches nothing but the gate', async () => {
    await gate.goto(server.url + '/console/#/releases');
    await gate.waitForSelector('.view-gate input[name=code]');
    assert(await gate.locator('table.releases').count() === 0, 'no 物品放行 page');
    const statuses = await gate.evaluate(async () => Promise.all(['/api/v1/releases', '/api/v1/repairs', '/api/v1/visits',
      '/api/v1/events'].map(async p => (await fetch(p)).status)));
    assert(JSON.stringify(statuses) === '[403,403,403,403]', 'the API refuses the rest: ' + statuses);
    assert(await gate.locator('#live').count() === 0, 'no live indicator: the feed is not theirs');
  });

  await step('English at a click, on the gate and on the desk', async () => {
    await gate.click('.user-menu .link-btn');
    await gate.waitForSelector('.nav-link:has-text("Gate")');
    await gate.waitForSelector('button.gate-check:has-text("Check")');
    await check(code);
    const used = (await record(server, number)).used_at;
    assert((await gate.textContent('.gate-reason')).trim() === `Already let out on ${mdhm(used)} by ${GUARD.name}`, 'used, in English');
    await check(oldCode);
    assert((await gate.textContent('.gate-reason')).trim() === 'Expired (valid on 11/2)', 'expired, in English');
    const text = await gate.textContent('#view');
    assert(!/gate\.|releases\.|rstatus\./.test(text), 'no keys: ' + text);
    await noOverflow(gate);
    shotPaths.push(await shot(gate, 'phone-gate-en'));
    await gate.click('.user-menu .link-btn');
    await gate.waitForSelector('.nav-link:has-text("门岗")');

    await page.goto(server.url + '/console/#/releases');
    await page.waitForSelector(`tr[data-number="${number}"]`);
    await page.click('.user-menu .link-btn');
    await page.waitForSelector('.nav-link:has-text("Item release")');
    await page.waitForSelector(`tr[data-number="${number}"] >> text=Let out`);
    await page.click(`tr[data-number="${number}"]`);
    await page.waitForSelector('#drawer:not([hidden]) .timeline li:nth-child(3)');
    const desk = await page.textContent('#view');
    assert(!/releases\.|rstatus\.|revent\.|role\./.test(desk), 'no keys: ' + desk);
    assert(!/[\u4e00-\u9fff]/.test(await page.textContent('table.releases thead')), 'English headings');
    assert((await page.textContent('#drawer .timeline')).includes('Gate guard'), 'the guard\'s role in English');
    shotPaths.push(await shot(page, 'desktop-releases-en'));
    await page.click('.user-menu .link-btn');
    await page.waitForSelector('.nav-link:has-text("物品放行")');
  });

  await step('too many checks: the guard is told to wait', async () => {
    // The allowance refills one try every 2 s: on a slow machine one may
    // come back between the last refused try and the page's own check, so
    // drain and check again until the page's check is the refused one.
    let waited = false;
    for (let round = 0; round < 5 && !waited; round++) {
      let limited = null;
      for (let i = 0; i < 60 && !limited; i++) {
        const r = await gate.evaluate(async () => {
          const res = await fetch('/api/v1/gate/000001');
          return {status: res.status, retry: res.headers.get('Retry-After')};
        });
        if (r.status === 429) limited = r;
      }
      assert(limited && Number(limited.retry) > 0, 'rate-limited with Retry-After: ' + JSON.stringify(limited));
      await check(code);
      waited = await gate.locator('.gate-card.wait').count() === 1;
    }
    assert(waited, 'an amber card');
    const text = (await gate.textContent('.gate-reason')).trim();
    assert(/^查验太频繁，请等 \d+ 秒后再试$/.test(text), 'wait: ' + text);
    await noOverflow(gate);
    shotPaths.push(await shot(gate, 'phone-gate-wait'));
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
