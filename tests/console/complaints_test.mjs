// Browser tests of the console's 投诉建议 view and the working-day calendar:
// Debian's chromium, headless, driven by playwright-core against a real
// lobbyd.  One complaint is filed with lobbyd's clock set back a month
// (LOBBY_FAKE_NOW), then lobbyd is served again on the real clock, so that
// complaint is past its reply time.
//
//   node complaints_test.mjs --lobbyd PATH --directory deploy/demo/directory.json --shots DIR
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLobbyd, idemKey } from './harness.mjs';
import { DESKTOP, PHONE, assert, finish, launchChromium, noOverflow, parseArgs, shooter, signIn, step } from './steps.mjs';

const args = parseArgs(process.argv.slice(2));
const shots = args.shots || join(tmpdir(), 'lobby-console-complaints-shots');
const shot = shooter(shots);

// A Monday morning in the past: the complaint filed then was due the next
// working day and is overdue on any later real date.
const OLD_NOW = Date.parse('2026-11-02T10:00:00+08:00') / 1000;
const COMPLAINT = {kind: 'complaint', category: 'noise_neighbours', description: '楼上每晚11点后装修噪音，影响休息',
  unit: {building: '1', unit: '2', room: '301'}, name: '王芳', phone: '13800138000'};

async function fileComplaint(server, token, overrides) {
  const r = await server.api('POST', '/api/v1/complaints', Object.assign({}, COMPLAINT, overrides || {}), token,
                             {'Idempotency-Key': idemKey()});
  assert(r.status === 201, 'complaint filed: ' + r.text);
  return r.json.number;
}

async function record(server, number) {
  const r = await server.api('GET', '/api/v1/complaints/' + number);
  assert(r.status === 200, 'GET ' + number + ': ' + r.text);
  return r.json;
}

// Waits until the server's record has the status, then returns it.
async function recordWith(server, number, status) {
  for (let i = 0; i < 50; i++) {
    const c = await record(server, number);
    if (c.status === status) return c;
    await new Promise(r => setTimeout(r, 100));
  }
  const c = await record(server, number);
  throw new Error(`${number} is ${c.status}, not ${status}`);
}

async function main() {
  // A month ago: the complaint that is overdue today.
  const server = await startLobbyd(args.lobbyd, args.directory, {env: {LOBBY_FAKE_NOW: String(OLD_NOW)}});
  const oldNumber = await fileComplaint(server, server.kioskToken, {category: 'cleaning', description: '2号楼楼道垃圾三天没人清理',
    name: '赵敏', phone: '13911112222'});
  assert(oldNumber === 'C-20261102-0001', 'numbered by the day it was filed: ' + oldNumber);
  await server.restart({LOBBY_FAKE_NOW: ''});
  const old = await record(server, oldNumber);
  assert(old.overdue === true && old.status === 'submitted', 'overdue on the real clock: ' + JSON.stringify(old));
  // A second site, so that lists mix sites and show 小区.
  const site = await server.api('POST', '/api/v1/sites', {code: 'north', name: '北区花园', service_phone: '0755-88886666'});
  assert(site.status === 201, 'north: ' + site.text);

  const browser = await launchChromium();
  const desk = await browser.newContext({viewport: DESKTOP, locale: 'zh-CN', timezoneId: 'Asia/Shanghai'});
  const page = await desk.newPage();
  const pageErrors = [];
  page.on('pageerror', e => pageErrors.push(String(e)));
  page.on('console', m => { if (m.type() === 'error') pageErrors.push(m.text()); });
  const shotPaths = [];
  let number = null;

  await step('a complaint filed at a kiosk raises the tab\'s badge live', async () => {
    await signIn(page, server, 'admin', 'admin-pass-1');
    await page.goto(server.url + '/console/#/repairs');
    await page.waitForSelector('table.repairs');
    // The overdue one counts (submitted and overdue: once).
    await page.waitForSelector('.nav-link[data-view="complaints"].has-badge[data-badge="1"]');
    await page.waitForTimeout(500);
    number = await fileComplaint(server, server.kioskToken);
    // No navigation: the events long-poll's "complaints" topic brings it.
    await page.waitForSelector('.nav-link[data-view="complaints"][data-badge="2"]', {timeout: 10000});
    assert(await page.locator('table.repairs').count() === 1, 'still on the repairs view');
    await page.click('.nav-link[data-view="complaints"]');
    await page.waitForSelector(`tr[data-number="${number}"]`);
    const row = await page.textContent(`tr[data-number="${number}"]`);
    for (const want of [number, '投诉', '噪音邻里', '1号楼 2单元 301', '138****8000', '已提交'])
      assert(row.includes(want), `the row has ${want}: ${row}`);
    assert(!row.includes('13800138000'), 'the phone is masked in the list');
    const heads = await page.locator('table.complaints th').allTextContents();
    assert(JSON.stringify(heads) === JSON.stringify(['编号', '小区', '类型', '类别', '房号', '电话', '内容', '责任人', '状态', '答复期限']),
           'the columns: ' + heads);
    const main = (await server.api('GET', '/api/v1/sites')).json.sites.find(x => x.code === 'main');
    const siteCell = (await page.textContent(`tr[data-number="${number}"] td[data-label="小区"]`)).trim();
    assert(siteCell === (main.name || 'main'), 'filed at the main site: ' + siteCell);
  });

  await step('an overdue complaint is red, says 超时 and comes first', async () => {
    const rows = await page.locator('table.complaints tr[data-number]').evaluateAll(trs => trs.map(tr => tr.dataset.number));
    assert(JSON.stringify(rows) === JSON.stringify([oldNumber, number]), 'overdue first, though older: ' + rows);
    const cls = await page.getAttribute(`tr[data-number="${oldNumber}"]`, 'class');
    assert(cls.split(' ').includes('overdue'), 'the row is marked: ' + cls);
    assert(!(await page.getAttribute(`tr[data-number="${number}"]`, 'class')).split(' ').includes('overdue'), 'the new one is not');
    const due = await page.textContent(`tr[data-number="${oldNumber}"] td[data-label="答复期限"]`);
    assert(due.includes('超时') && due.includes('11/3'), 'due cell: ' + due);
    const colour = await page.$eval(`tr[data-number="${oldNumber}"] td`, td => getComputedStyle(td).backgroundColor);
    assert(colour === 'rgb(255, 246, 245)', 'a red row: ' + colour);
    const chip = await page.$eval(`tr[data-number="${oldNumber}"] .due .chip`, n => getComputedStyle(n).backgroundColor);
    assert(chip === 'rgb(197, 34, 31)', 'a red 超时: ' + chip);
    assert((await page.textContent('.stat[data-count="complaints.count.overdue"] .stat-value')).trim() === '1', 'one overdue');
    // lobbyd's sweep escalated it to the managers when it started again:
    // 已升级 beside 超时 (the list reloads on the complaints topic).
    await page.waitForSelector(`tr[data-number="${oldNumber}"] .due .chip.escalated`, {timeout: 10000});
    const dueNow = await page.textContent(`tr[data-number="${oldNumber}"] td[data-label="答复期限"]`);
    assert(dueNow.includes('超时') && dueNow.includes('已升级'), 'escalated beside overdue: ' + dueNow);
    assert(await page.locator(`tr[data-number="${number}"] .chip.escalated`).count() === 0, 'the new one is not escalated');
    assert((await page.textContent('.stat[data-count="complaints.count.escalated"] .stat-value')).trim() === '1', 'one escalated');
    await page.click('.stat[data-count="complaints.count.escalated"]');
    await page.waitForSelector(`tr[data-number="${number}"]`, {state: 'detached'});
    assert(await page.isChecked('input[name=escalated]'), 'the card checks 只看已升级');
    await page.click(`tr[data-number="${oldNumber}"]`);
    await page.waitForSelector('#drawer:not([hidden]) .drawer-head .chip.escalated');
    const escalation = await page.textContent('#drawer .timeline li[data-event="escalate"]');
    assert(escalation.includes('超时升级') && escalation.includes('lobbyd · 系统') && escalation.includes('答复超时'),
           'the timeline shows the escalation: ' + escalation);
    assert(await page.locator('#drawer .timeline li[data-event="escalate"]').count() === 1, 'escalated once');
    await page.click('#drawer .icon-btn');
    await page.uncheck('input[name=escalated]');
    await page.waitForSelector(`tr[data-number="${number}"]`);
    shotPaths.push(await shot(page, 'desktop-complaints'));
    await noOverflow(page);
    await page.check('input[name=overdue]');
    await page.waitForSelector(`tr[data-number="${number}"]`, {state: 'detached'});
    const only = await page.locator('table.complaints tr[data-number]').evaluateAll(trs => trs.map(tr => tr.dataset.number));
    assert(JSON.stringify(only) === JSON.stringify([oldNumber]), 'overdue only: ' + only);
    await page.uncheck('input[name=overdue]');
    await page.waitForSelector(`tr[data-number="${number}"]`);
  });

  await step('assign, reply, return visit and close through the drawer', async () => {
    await page.click(`tr[data-number="${number}"]`);
    await page.waitForSelector('#drawer:not([hidden]) .drawer-actions');
    const actions = await page.locator('#drawer .drawer-actions button').allTextContents();
    assert(JSON.stringify(actions) === JSON.stringify(['受理', '指定责任人']), 'a submitted complaint: ' + actions);
    assert((await page.textContent('#drawer .facts')).includes('王芳 13800138000'), 'the contact in full for the desk');
    // Assign: the office first, then the technicians.
    await page.click('#drawer .drawer-actions button:has-text("指定责任人")');
    // The dialog opens once the staff list is in.
    await page.waitForSelector('dialog.modal select[name=responsible] optgroup', {state: 'attached'});
    const groups = await page.locator('dialog.modal select[name=responsible] optgroup').evaluateAll(gs => gs.map(g =>
      [g.label, Array.from(g.querySelectorAll('option')).map(o => o.value)]));
    assert(groups.length === 2 && groups[0][0] === '客服与管理' && groups[0][1].includes('前台小王') && groups[0][1].includes('admin') &&
           groups[1][0] === '维修师傅' && groups[1][1].includes('李师傅'), 'staff, office first: ' + JSON.stringify(groups));
    await page.selectOption('dialog.modal select[name=responsible]', '前台小王');
    await page.fill('dialog.modal textarea[name=note]', '请今天联系业主');
    await page.click('dialog.modal button.primary');
    await page.waitForSelector('dialog.modal', {state: 'detached'});
    let c = await recordWith(server, number, 'assigned');
    assert(c.responsible === '前台小王', 'responsible stored: ' + c.responsible);
    await page.waitForSelector('#drawer .chip.cs-assigned');
    // The badge counts submitted and overdue ones: only the old one now.
    await page.waitForSelector('.nav-link[data-view="complaints"][data-badge="1"]');
    // Reply: what the resident will read.
    await page.click('#drawer .drawer-actions button:has-text("答复")');
    const reply = '已联系楼上住户，装修将在晚上8点前结束。';
    await page.fill('dialog.modal textarea[name=reply]', reply);
    assert((await page.textContent('dialog.modal .counter')).trim() === reply.length + ' / 500', 'the counter');
    assert(await page.getAttribute('dialog.modal textarea[name=reply]', 'maxlength') === '500', '500 at most');
    shotPaths.push(await shot(page, 'desktop-complaint-reply'));
    await page.click('dialog.modal button.primary');
    await page.waitForSelector('dialog.modal', {state: 'detached'});
    c = await recordWith(server, number, 'replied');
    assert(c.reply === reply && c.replied_at, 'reply stored: ' + JSON.stringify(c));
    await page.waitForSelector('#drawer .chip.cs-replied');
    const lookup = await server.api('GET', '/api/v1/complaints/lookup?number=' + number + '&phone_last4=8000', undefined, server.kioskToken);
    assert(lookup.status === 200 && lookup.json.reply === reply, 'the resident reads it: ' + lookup.text);
    // Return visit.
    await page.click('#drawer .drawer-actions button:has-text("回访")');
    await page.check('dialog.modal input[name=satisfaction][value=basically_satisfied]');
    await page.fill('dialog.modal textarea[name=comment]', '希望以后提前通知');
    await page.click('dialog.modal button.primary');
    await page.waitForSelector('dialog.modal', {state: 'detached'});
    c = await recordWith(server, number, 'return_visited');
    assert(c.satisfaction === 'basically_satisfied', 'satisfaction stored: ' + c.satisfaction);
    await page.waitForSelector('#drawer .chip.cs-return_visited');
    // Close.
    assert(JSON.stringify(await page.locator('#drawer .drawer-actions button').allTextContents()) === '["结案"]', 'only close is left');
    await page.click('#drawer .drawer-actions button:has-text("结案")');
    await page.click('dialog.modal button.primary');
    await page.waitForSelector('dialog.modal', {state: 'detached'});
    c = await recordWith(server, number, 'closed');
    assert(JSON.stringify(c.events.map(e => e.event)) === JSON.stringify(['submit', 'assign', 'reply', 'return_visit', 'close']),
           'the events: ' + JSON.stringify(c.events));
    await page.waitForSelector('#drawer .chip.cs-closed');
    await page.waitForSelector('#drawer .timeline li:nth-child(5)');
    assert(await page.locator('#drawer .drawer-actions button').count() === 0, 'nothing to do once closed');
    const timeline = await page.textContent('#drawer .timeline');
    for (const want of ['提交', '指定责任人', '责任人：前台小王', '请今天联系业主', '答复', reply, '回访', '基本满意', '希望以后提前通知', '结案', 'admin · 管理员'])
      assert(timeline.includes(want), 'the timeline has ' + want + ': ' + timeline);
    shotPaths.push(await shot(page, 'desktop-complaint-drawer'));
    await page.click('#drawer .icon-btn');
  });

  await step('a refused action says why in Chinese', async () => {
    await page.click(`tr[data-number="${oldNumber}"]`);
    await page.waitForSelector('#drawer:not([hidden]) .drawer-actions button:has-text("受理")');
    await page.click('#drawer .drawer-actions button:has-text("受理")');
    await page.waitForSelector('dialog.modal');
    // A colleague accepts it first.
    const r = await server.api('POST', '/api/v1/complaints/' + oldNumber + '/events', {event: 'accept'});
    assert(r.status === 200, 'accepted by the API: ' + r.text);
    await page.click('dialog.modal button.primary');
    await page.waitForSelector('dialog.modal .form-error:not(:empty)');
    const error = (await page.textContent('dialog.modal .form-error')).trim();
    assert(error === '当前状态不能进行这个操作，可能已有同事处理过，请刷新后再试', 'the error: ' + error);
    shotPaths.push(await shot(page, 'desktop-complaint-conflict'));
    await page.click('dialog.modal .modal-foot button:not(.primary)');
    await page.waitForSelector('#drawer .chip.cs-accepted');
    await page.click('#drawer .icon-btn');
  });

  await step('an unsatisfied return visit reopens a complaint for follow-up', async () => {
    await page.click(`tr[data-number="${oldNumber}"]`);
    await page.waitForSelector('#drawer:not([hidden]) .chip.cs-accepted');
    assert(JSON.stringify(await page.locator('#drawer .drawer-actions button').allTextContents()) === '["指定责任人"]',
           'an accepted complaint is assigned before it is answered');
    await page.click('#drawer .drawer-actions button:has-text("指定责任人")');
    await page.selectOption('dialog.modal select[name=responsible]', '前台小王');
    await page.click('dialog.modal button.primary');
    await page.waitForSelector('#drawer .chip.cs-assigned');
    await page.click('#drawer .drawer-actions button:has-text("答复")');
    await page.fill('dialog.modal textarea[name=reply]', '已安排保洁今天清理2号楼楼道。');
    await page.click('dialog.modal button.primary');
    await page.waitForSelector('#drawer .chip.cs-replied');
    await page.click('#drawer .drawer-actions button:has-text("回访")');
    await page.check('dialog.modal input[name=satisfaction][value=unsatisfied]');
    await page.fill('dialog.modal textarea[name=comment]', '只清理了一半');
    await page.click('dialog.modal button.primary');
    await page.waitForSelector('dialog.modal', {state: 'detached'});
    const c = await recordWith(server, oldNumber, 'follow_up');
    assert(c.satisfaction === 'unsatisfied' && c.overdue === true, 'reopened, still past its reply time: ' + JSON.stringify(c));
    await page.waitForSelector('#drawer .chip.cs-follow_up');
    assert(JSON.stringify(await page.locator('#drawer .drawer-actions button').allTextContents()) === '["指定责任人","答复"]',
           'answered again');
    await page.waitForSelector(`tr[data-number="${oldNumber}"].overdue >> text=跟进中`);
    await page.waitForSelector('.nav-link[data-view="complaints"][data-badge="1"]');
    await page.click('#drawer .icon-btn');
  });

  let suggestion = null;
  await step('the front desk records a suggestion by phone and answers and closes it', async () => {
    await page.click('.page-head button:has-text("新建")');
    await page.waitForSelector('dialog.modal select[name=kind]');
    // A complaint without a unit is refused, in Chinese.
    await page.fill('dialog.modal textarea[name=description]', '小区东门晚上灯太暗');
    await page.click('dialog.modal button.primary');
    await page.waitForSelector('dialog.modal .form-error:not(:empty)');
    const error = (await page.textContent('dialog.modal .form-error')).trim();
    assert(/^请填写「(房号|姓名|电话)」$/.test(error), 'a complaint needs contact details: ' + error);
    await page.selectOption('dialog.modal select[name=kind]', 'suggestion');
    await page.selectOption('dialog.modal select[name=category]', 'facilities');
    await page.selectOption('dialog.modal select[name=source]', 'phone');
    await page.selectOption('dialog.modal select[name=site]', 'main');
    shotPaths.push(await shot(page, 'desktop-complaint-new'));
    const created = page.waitForResponse(res => res.url().endsWith('/api/v1/complaints') && res.request().method() === 'POST' &&
                                         res.status() === 201);
    await page.click('dialog.modal button.primary');
    suggestion = (await (await created).json()).number;
    await page.waitForSelector('dialog.modal', {state: 'detached'});
    let c = await record(server, suggestion);
    assert(c.kind === 'suggestion' && c.category === 'facilities' && c.source === 'phone' && c.unit === null &&
           c.name === null && c.phone === null && c.site === 'main' && c.status === 'submitted', 'stored: ' + JSON.stringify(c));
    await page.click(`tr[data-number="${suggestion}"]`);
    await page.waitForSelector('#drawer:not([hidden]) .drawer-actions');
    const actions = await page.locator('#drawer .drawer-actions button').allTextContents();
    assert(JSON.stringify(actions) === JSON.stringify(['受理', '指定责任人', '答复', '答复并结案']), 'a suggestion: ' + actions);
    await page.click('#drawer .drawer-actions button:has-text("答复并结案")');
    const reply = '谢谢建议，已安排电工本周更换东门路灯。';
    await page.fill('dialog.modal textarea[name=reply]', reply);
    await page.click('dialog.modal button.primary');
    await page.waitForSelector('dialog.modal', {state: 'detached'});
    c = await recordWith(server, suggestion, 'closed');
    assert(c.reply === reply, 'the reply is stored: ' + JSON.stringify(c));
    assert(JSON.stringify(c.events.map(e => e.event)) === JSON.stringify(['submit', 'answer_close']), 'one step: ' + JSON.stringify(c.events));
    await page.waitForSelector('#drawer .chip.cs-closed');
    await page.click('#drawer .icon-btn');
  });

  await step('the monthly summary', async () => {
    const month = new Date().toLocaleDateString('sv-SE', {timeZone: 'Asia/Shanghai'}).slice(0, 7);
    await page.goto(server.url + '/console/#/complaints/summary');
    await page.waitForSelector('.complaint-stats');
    const s = (await server.api('GET', '/api/v1/complaints/summary?month=' + month)).json;
    assert(s.total === 2 && s.by_kind.complaint === 1 && s.by_kind.suggestion === 1, 'the server: ' + JSON.stringify(s));
    const stat = async key => (await page.textContent(`.stat[data-stat="${key}"] .stat-value`)).trim();
    assert(await stat('complaints.sum.total') === '2', 'total');
    assert(await stat('complaints.sum.return_rate') === (s.return_visit_rate === null ? '—' : Math.round(100 * s.return_visit_rate) + '%'),
           'return-visit rate');
    assert(await stat('complaints.sum.on_time') === (s.on_time_rate === null ? '—' : Math.round(100 * s.on_time_rate) + '%'), 'on time');
    assert(await stat('complaints.sum.satisfied') === '100%', 'one return visit, basically satisfied');
    const bars = async cls => page.locator(`.${cls} .bar`).evaluateAll(bs => bs.map(b =>
      [b.querySelector('.bar-label').textContent, b.querySelector('.bar-value').textContent]));
    assert(JSON.stringify(await bars('sum-kind')) === '[["投诉","1"],["建议","1"]]', 'by kind');
    assert(JSON.stringify(await bars('sum-category')) === '[["噪音邻里","1"],["设施设备","1"]]', 'by category');
    assert(JSON.stringify(await bars('sum-satisfaction')) === '[["满意","0"],["基本满意","1"],["不满意","0"]]', 'satisfaction');
    shotPaths.push(await shot(page, 'desktop-complaint-summary'));
    // November holds the overdue one alone.
    const listed = page.waitForResponse(res => res.url().includes('/api/v1/complaints/summary?month=2026-11'));
    await page.fill('input[name=month]', '2026-11');
    await page.dispatchEvent('input[name=month]', 'change');
    await listed;
    await page.waitForFunction(() => document.querySelector('.stat[data-stat="complaints.sum.total"] .stat-value').textContent === '1');
    assert(JSON.stringify(await bars('sum-category')) === '[["保洁卫生","1"]]', 'November by category');
  });

  await step('the site switcher narrows the list', async () => {
    await page.goto(server.url + '/console/#/complaints');
    await page.waitForSelector(`tr[data-number="${number}"]`);
    const listed = page.waitForRequest(req => req.url().includes('/api/v1/complaints?') && req.url().includes('site=north'));
    await page.selectOption('#site-switch', 'north');
    await listed;
    await page.waitForSelector(`tr[data-number="${number}"]`, {state: 'detached'});
    assert(!(await page.locator('table.complaints th').allTextContents()).includes('小区'), 'no 小区 column for one site');
    // North has nothing waiting: the badge goes once the count for north is in.
    await page.waitForSelector('.nav-link[data-view="complaints"]:not(.has-badge)');
    assert(await page.getAttribute('.nav-link[data-view="complaints"]', 'data-badge') === '', 'no badge for north');
    await page.selectOption('#site-switch', '');
    await page.waitForSelector(`tr[data-number="${number}"]`);
  });

  await step('the search box: lobbyd finds a complaint by phone, its last 4, name, room or number', async () => {
    const qian = await fileComplaint(server, server.adminToken, {unit: {building: '2', unit: '1', room: '101'},
      name: '钱多多', phone: '13655556666', source: 'phone'});
    await page.goto(server.url + '/console/#/complaints');
    await page.waitForSelector(`tr[data-number="${qian}"]`);
    const shown = () => page.locator('table.complaints tr[data-number]').evaluateAll(trs => trs.map(tr => tr.dataset.number).sort());
    // Typed, the query goes to lobbyd, and the rows are its answer.
    const search = async (q, want) => {
      const asked = page.waitForResponse(res => res.url().includes('/api/v1/complaints?') &&
                                               new URL(res.url()).searchParams.get('q') === q);
      await page.fill('input[name=q]', q);
      await asked;
      // The rows themselves, not their count: the last search may have
      // shown as many, and under load they are still there a moment.
      const sorted = [...want].sort();
      await page.waitForFunction(w => JSON.stringify([...document.querySelectorAll('table.complaints tr[data-number]')]
        .map(tr => tr.dataset.number).sort()) === JSON.stringify(w), sorted, {timeout: 10000}).catch(() => {});
      assert(JSON.stringify(await shown()) === JSON.stringify([...want].sort()), `q=${q}: ${await shown()}`);
    };
    await search('6666', [qian]);
    await search('13655556666', [qian]);
    await search('钱', [qian]);
    await search('2-1-101', [qian]);
    await search(qian, [qian]);
    await search('赵', [oldNumber]);
    const room = (await server.api('GET', '/api/v1/complaints?q=1-2-301')).json.complaints.map(c => c.number);
    assert(room.includes(oldNumber) && room.includes(number) && !room.includes(qian), 'lobbyd by room: ' + room);
    await search('1-2-301', room);
    await search('多多', []);
    assert(await page.evaluate(() => document.activeElement && document.activeElement.name === 'q'), 'the box keeps its focus');
    await page.fill('input[name=q]', '');
    await page.waitForSelector(`tr[data-number="${oldNumber}"]`);
    await page.waitForSelector(`tr[data-number="${qian}"]`);
  });

  await step('the calendar editor adds, changes and removes a day', async () => {
    const year = new Date().getFullYear();
    const day = `${year}-12-12`;
    const listed = async () => (await server.api('GET', '/api/v1/calendar?year=' + year)).json.days;
    assert(!(await listed()).some(d => d.date === day), day + ' is not an override yet');
    await page.goto(server.url + '/console/#/admin/calendar');
    await page.waitForSelector('table.calendar');
    assert(await page.inputValue('select[name=year]') === String(year), 'this year');
    if (year === 2026) {
      const row = await page.textContent('tr[data-date="2026-10-01"]');
      assert(row.includes('放假') && row.includes('国庆节') && row.includes('星期四'), 'seeded: ' + row);
    }
    await page.click('.page-head button:has-text("添加日期")');
    await page.fill('dialog.modal input[name=date]', day);
    await page.selectOption('dialog.modal select[name=workday]', 'workday');
    await page.fill('dialog.modal input[name=note]', '年终盘点调休上班');
    await page.click('dialog.modal button.primary');
    await page.waitForSelector(`tr[data-date="${day}"]`);
    let stored = (await listed()).find(d => d.date === day);
    assert(stored && stored.workday === true && stored.note === '年终盘点调休上班', 'stored: ' + JSON.stringify(stored));
    assert((await page.textContent(`tr[data-date="${day}"]`)).includes('调休上班'), 'shown as a make-up day');
    shotPaths.push(await shot(page, 'desktop-calendar'));
    await page.click(`tr[data-date="${day}"] button:has-text("编辑")`);
    await page.selectOption('dialog.modal select[name=workday]', 'holiday');
    await page.click('dialog.modal button.primary');
    await page.waitForSelector(`tr[data-date="${day}"] .chip.cal-holiday`);
    stored = (await listed()).find(d => d.date === day);
    assert(stored && stored.workday === false && stored.note === '年终盘点调休上班', 'changed: ' + JSON.stringify(stored));
    await page.click(`tr[data-date="${day}"] button:has-text("删除")`);
    await page.click('dialog.modal button.danger');
    await page.waitForSelector(`tr[data-date="${day}"]`, {state: 'detached'});
    assert(!(await listed()).some(d => d.date === day), 'removed on the server');
    // A day a colleague removed meanwhile: the API's refusal is shown.
    const put = await server.api('PUT', '/api/v1/calendar/' + day, {workday: false, note: '临时放假'});
    assert(put.status === 200, 'put: ' + put.text);
    await page.reload();
    await page.waitForSelector(`tr[data-date="${day}"]`);
    assert((await server.api('DELETE', '/api/v1/calendar/' + day)).status === 204, 'removed by the API');
    await page.click(`tr[data-date="${day}"] button:has-text("删除")`);
    await page.click('dialog.modal button.danger');
    await page.waitForSelector('.toast.error');
    const error = (await page.textContent('.toast.error')).trim();
    assert(error === '找不到这条记录', 'the error: ' + error);
    await page.waitForSelector(`tr[data-date="${day}"]`, {state: 'detached'});
    // Another year is another list.
    const next = page.waitForResponse(res => res.url().includes('/api/v1/calendar?year=' + (year + 1)));
    await page.selectOption('select[name=year]', String(year + 1));
    assert((await next).status() === 200, 'next year listed');
    await page.waitForSelector('table.calendar');
  });

  await step('an admin of one site sees the calendar but may not change it', async () => {
    const made = await server.api('POST', '/api/v1/staff', {name: '北区主管', role: 'admin', password: 'north-admin-1', sites: ['north']});
    assert(made.status === 201, 'staff: ' + made.text);
    const ctx = await browser.newContext({viewport: DESKTOP, locale: 'zh-CN', timezoneId: 'Asia/Shanghai'});
    const p = await ctx.newPage();
    await signIn(p, server, '北区主管', 'north-admin-1');
    await p.goto(server.url + '/console/#/admin/calendar');
    await p.waitForSelector('table.calendar');
    assert(await p.locator('.page-head button:has-text("添加日期")').count() === 0, 'no add button');
    assert(await p.locator('table.calendar button').count() === 0, 'no row buttons');
    assert((await p.textContent('.card-bar')).includes('只有负责全部小区的管理员可以修改工作日历'), 'says why');
    const r = await p.evaluate(async () => {
      const res = await fetch('/api/v1/calendar/2026-12-12', {method: 'PUT', headers: {'Content-Type': 'application/json',
        'X-CSRF-Token': Api.csrf}, body: JSON.stringify({workday: true, note: 'x'})});
      return res.status;
    });
    assert(r === 403, 'the API refuses: ' + r);
    shotPaths.push(await shot(p, 'desktop-calendar-site-admin'));
    await ctx.close();
  });

  await step('English at a click, with nothing left untranslated', async () => {
    await page.goto(server.url + '/console/#/complaints');
    await page.waitForSelector(`tr[data-number="${number}"]`);
    await page.click('.user-menu .link-btn');
    await page.waitForSelector('.nav-link:has-text("Complaints")');
    await page.waitForSelector(`tr[data-number="${oldNumber}"] >> text=Overdue`);
    await page.click(`tr[data-number="${number}"]`);
    await page.waitForSelector('#drawer:not([hidden]) .timeline');
    const text = await page.textContent('#view');
    assert(!/complaints\.|ckind\.|ccat\.|cstatus\.|cevent\.|csat\./.test(text), 'no keys: ' + text);
    assert(!/[\u4e00-\u9fff]/.test(await page.textContent('table.complaints thead')), 'English headings');
    shotPaths.push(await shot(page, 'desktop-complaints-en'));
    await page.goto(server.url + '/console/#/admin/calendar');
    await page.waitForSelector('table.calendar');
    shotPaths.push(await shot(page, 'desktop-calendar-en'));
    await page.click('.user-menu .link-btn');
    await page.waitForSelector('.nav-link:has-text("投诉建议")');
  });

  await step('phone: the list and the drawer fit', async () => {
    const ctx = await browser.newContext({viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
                                          locale: 'zh-CN', timezoneId: 'Asia/Shanghai'});
    const p = await ctx.newPage();
    await signIn(p, server, '前台小王', 'desk-pass-1');
    await p.goto(server.url + '/console/#/complaints');
    await p.waitForSelector(`tr[data-number="${oldNumber}"]`);
    await noOverflow(p);
    shotPaths.push(await shot(p, 'phone-complaints'));
    await p.click(`tr[data-number="${oldNumber}"]`);
    await p.waitForSelector('#drawer:not([hidden]) .timeline');
    await noOverflow(p);
    shotPaths.push(await shot(p, 'phone-complaint-drawer'));
    await ctx.close();
  });

  await step('no script errors in the page', async () => {
    const real = pageErrors.filter(e => !/status of (401|403|404|409|429|400)/.test(e));
    assert(real.length === 0, real.join('\n'));
  });

  await browser.close();
  await finish(server, shotPaths, shots);
}

main().catch(e => { console.error(e); process.exit(1); });
