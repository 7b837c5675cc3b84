// Browser tests of the console's 回访 page: the call list of completed
// repairs and replied complaints nobody has visited back, the outcome of a
// call recorded, the follow-ups an unhappy resident opens, and the month's
// satisfaction by category and by technician.  Debian's chromium, headless,
// driven by playwright-core against a real lobbyd.  The items are made with
// lobbyd's clock three days back (LOBBY_FAKE_NOW), then lobbyd is served
// again on the real clock, so they have waited three days.
//
//   node return_visits_test.mjs --lobbyd PATH --directory deploy/demo/directory.json --shots DIR
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLobbyd, idemKey } from './harness.mjs';
import { DESKTOP, PHONE, assert, finish, launchChromium, noOverflow, parseArgs, shooter, signIn, step } from './steps.mjs';

const args = parseArgs(process.argv.slice(2));
const shots = args.shots || join(tmpdir(), 'lobby-console-returns-shots');
const shot = shooter(shots);

const DAY = 86400;
const OLD_NOW = Math.floor(Date.now() / 1000) - 3 * DAY;
// The month (in Beijing time) the old items were made in.
const monthOf = epoch => new Date((epoch + 8 * 3600) * 1000).toISOString().slice(0, 7);
const UNIT = {building: '1', unit: '2', room: '301'};

async function must(server, method, path, body, status, token, headers) {
  const r = await server.api(method, path, body, token, headers);
  assert(r.status === status, `${method} ${path}: ${r.status} ${r.text}`);
  return r.json;
}

// A repair taken by phone, dispatched to the technician and completed.
const PROBLEMS = {water: '厨房水龙头漏水', door_lock: '入户门锁打不开', electric: '卫生间灯不亮', lift: '电梯按钮失灵'};
async function completedRepair(server, category, name, phone, technician) {
  const r = await must(server, 'POST', '/api/v1/repairs', {unit: UNIT, name, phone, category, kind: 'in_unit',
    urgency: 'normal', description: PROBLEMS[category], source: 'phone'}, 201, undefined, {'Idempotency-Key': idemKey()});
  const path = '/api/v1/repairs/' + r.ticket + '/events';
  for (const ev of [{event: 'accept'}, {event: 'dispatch', technician}, {event: 'on_site'}, {event: 'complete'}])
    await must(server, 'POST', path, ev, 200);
  return r.ticket;
}

// A complaint or suggestion filed at the kiosk and replied to.
async function repliedComplaint(server, body) {
  const c = await must(server, 'POST', '/api/v1/complaints', body, 201, server.kioskToken, {'Idempotency-Key': idemKey()});
  const path = '/api/v1/complaints/' + c.number + '/events';
  if (body.kind === 'complaint') await must(server, 'POST', path, {event: 'assign', responsible: '前台小王'}, 200);
  await must(server, 'POST', path, {event: 'reply', reply: '已处理，谢谢您的反馈。'}, 200);
  return c.number;
}

// The record once it has the status (the page acts, then the server has it).
async function recordWith(server, path, status) {
  let r;
  for (let i = 0; i < 50; i++) {
    r = await must(server, 'GET', path, undefined, 200);
    if (r.status === status) return r;
    await new Promise(res => setTimeout(res, 100));
  }
  throw new Error(`${path} is ${r.status}, not ${status}`);
}

const rowNumbers = page => page.locator('table.returns tr[data-number]').evaluateAll(trs => trs.map(tr => tr.dataset.number));
const same = (a, b) => JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());

async function main() {
  const server = await startLobbyd(args.lobbyd, args.directory, {env: {LOBBY_FAKE_NOW: String(OLD_NOW)}});
  const A = await completedRepair(server, 'water', '张伟', '13911110001', '李师傅');
  const B = await completedRepair(server, 'door_lock', '李娜', '13911110002', '王师傅');
  const C = await repliedComplaint(server, {kind: 'complaint', category: 'service_attitude', unit: UNIT,
    description: '门岗保安态度生硬', name: '陈静', phone: '13911110003'});
  const D = await repliedComplaint(server, {kind: 'suggestion', category: 'facilities', description: '建议在1号楼门口加装雨棚'});
  const F = await repliedComplaint(server, {kind: 'complaint', category: 'noise_neighbours', unit: UNIT,
    description: '楼上夜间噪音', name: '刘洋', phone: '13911110004'});
  // The resident of F rates it at a kiosk: unhappy, so it needs following up.
  await must(server, 'POST', '/api/v1/ratings', {number: F, phone_last4: '0004', satisfaction: 'unsatisfied',
    comment: '还是很吵'}, 200, server.kioskToken);
  await server.restart({LOBBY_FAKE_NOW: ''});
  // Completed today: not yet two days waiting.
  const E = await completedRepair(server, 'electric', '赵磊', '13911110005', '李师傅');

  const browser = await launchChromium();
  const desk = await browser.newContext({viewport: DESKTOP, locale: 'zh-CN', timezoneId: 'Asia/Shanghai'});
  const page = await desk.newPage();
  const pageErrors = [];
  page.on('pageerror', e => pageErrors.push(String(e)));
  page.on('console', m => { if (m.type() === 'error') pageErrors.push(m.text()); });
  const shotPaths = [];
  const recordDialog = async (number, answer, keepOpen) => {
    await page.click(`tr[data-number="${number}"] button:has-text("记录回访")`);
    await page.waitForSelector('dialog.modal input[name=satisfaction]');
    await page.check(`dialog.modal input[name=satisfaction][value=${answer}]`);
    if (keepOpen) await page.uncheck('dialog.modal input[name=close]');
  };

  await step('the call list has what waited two days, with the phone to call', async () => {
    await signIn(page, server, '前台小王', 'desk-pass-1');
    await page.click('.nav-link[data-view="returns"]');
    await page.waitForSelector(`table.returns tr[data-number="${A}"]`);
    const numbers = await rowNumbers(page);
    assert(same(numbers, [A, B, C, D]), 'two repairs and two complaints, not today\'s: ' + numbers);
    const heads = await page.locator('table.returns th').allTextContents();
    assert(JSON.stringify(heads) === JSON.stringify(['编号', '类型', '房号', '内容', '联系人', '处理人', '完成/答复', '']),
           'the columns: ' + heads);
    const a = await page.textContent(`tr[data-number="${A}"]`);
    for (const want of ['报修', '1号楼 2单元 301', '水', '张伟', '13911110001', '李师傅', '已过 3天', '记录回访'])
      assert(a.includes(want), `the row has ${want}: ${a}`);
    assert(await page.getAttribute(`tr[data-number="${A}"] a.call`, 'href') === 'tel:13911110001', 'a tap calls');
    const c = await page.textContent(`tr[data-number="${C}"]`);
    for (const want of ['投诉建议', '服务态度', '陈静', '前台小王', '已处理，谢谢您的反馈。'])
      assert(c.includes(want), `the complaint's row has ${want}: ${c}`);
    const d = await page.textContent(`tr[data-number="${D}"]`);
    assert(d.includes('匿名') && d.includes('结案') && !d.includes('记录回访'), 'an anonymous suggestion is closed, not called: ' + d);
    assert((await page.textContent('.stat[data-stat="returns.count.repairs"] .stat-value')).trim() === '2', 'two repairs');
    assert((await page.textContent('.stat[data-stat="returns.count.complaints"] .stat-value')).trim() === '2', 'two complaints');
    // The badge counts follow-ups: F, rated unhappy at the kiosk.
    await page.waitForSelector('.nav-link[data-view="returns"][data-badge="1"]');
    await noOverflow(page);
    shotPaths.push(await shot(page, 'desktop-returns'));
  });

  await step('"全部未回访" adds what was completed today', async () => {
    await page.selectOption('select[name=waiting_days]', '0');
    await page.waitForSelector(`tr[data-number="${E}"]`);
    assert(same(await rowNumbers(page), [A, B, C, D, E]), 'all five');
    await page.selectOption('select[name=waiting_days]', '2');
    await page.waitForSelector(`tr[data-number="${E}"]`, {state: 'detached'});
  });

  await step('a satisfied call is recorded and the repair closed', async () => {
    await recordDialog(A, 'satisfied');
    assert(await page.isVisible('dialog.modal input[name=close]'), 'closing is offered');
    await page.fill('dialog.modal textarea[name=comment]', '师傅很专业');
    shotPaths.push(await shot(page, 'desktop-return-record'));
    await page.click('dialog.modal button.primary');
    await page.waitForSelector('dialog.modal', {state: 'detached'});
    const r = await recordWith(server, '/api/v1/repairs/' + A, 'closed');
    assert(r.satisfaction === 5, 'scored 5: ' + r.satisfaction);
    const visit = r.timeline.find(ev => ev.event === 'return_visit');
    assert(visit && visit.comment === '师傅很专业' && visit.by === '前台小王', 'the visit by the desk: ' + JSON.stringify(visit));
    await page.waitForSelector(`tr[data-number="${A}"]`, {state: 'detached'});
  });

  await step('an unhappy call keeps the repair open and puts it on follow-up', async () => {
    await recordDialog(B, 'unsatisfied');
    assert(!(await page.isVisible('dialog.modal input[name=close]')), 'no closing when unhappy');
    assert((await page.textContent('dialog.modal .modal-body')).includes('转入「跟进」'), 'says where it goes');
    await page.click('dialog.modal button.primary');
    await page.waitForSelector('dialog.modal', {state: 'detached'});
    const r = await recordWith(server, '/api/v1/repairs/' + B, 'return_visit');
    assert(r.satisfaction === 1 && r.follow_up_at, 'scored 1, on follow-up: ' + JSON.stringify(r));
    await page.waitForSelector('.nav-link[data-view="returns"][data-badge="2"]');
  });

  await step('a complaint visited back, left open; an anonymous suggestion closed', async () => {
    await recordDialog(C, 'basically_satisfied', true);
    await page.click('dialog.modal button.primary');
    await page.waitForSelector('dialog.modal', {state: 'detached'});
    const c = await recordWith(server, '/api/v1/complaints/' + C, 'return_visited');
    assert(c.satisfaction === 'basically_satisfied', 'the answer: ' + c.satisfaction);
    await page.click(`tr[data-number="${D}"] button:has-text("结案")`);
    await page.waitForSelector('dialog.modal');
    assert((await page.textContent('dialog.modal')).includes('匿名'), 'asks first');
    await page.click('dialog.modal button.primary');
    await recordWith(server, '/api/v1/complaints/' + D, 'closed');
    await page.waitForSelector('table.returns tr.empty');
    assert((await page.textContent('table.returns')).includes('没有等待回访的工单或投诉'), 'the list is done');
  });

  await step('follow-ups: the complaint is answered again, the repair closed with what was done', async () => {
    await page.click('a.tab[href="#/returns/follow_up"]');
    await page.waitForSelector(`tr[data-number="${F}"]`);
    assert(same(await rowNumbers(page), [B, F]), 'the two unhappy ones');
    assert((await page.textContent(`tr[data-number="${F}"]`)).includes('不满意'), 'F\'s result');
    assert((await page.textContent(`tr[data-number="${B}"]`)).includes('★☆☆☆☆'), 'B\'s score');
    shotPaths.push(await shot(page, 'desktop-returns-follow-up'));
    await page.click(`tr[data-number="${F}"] button:has-text("再次答复")`);
    await page.fill('dialog.modal textarea[name=reply]', '已再次上门协调，楼上住户承诺晚十点后不再施工。');
    await page.click('dialog.modal button.primary');
    await page.waitForSelector('dialog.modal', {state: 'detached'});
    const f = await recordWith(server, '/api/v1/complaints/' + F, 'replied');
    assert(f.reply.startsWith('已再次上门协调'), 'the new reply: ' + f.reply);
    await page.click(`tr[data-number="${B}"] button:has-text("跟进完成并结案")`);
    await page.click('dialog.modal button.primary');
    await page.waitForSelector('dialog.modal .form-error:has-text("请填写跟进情况")');
    await page.fill('dialog.modal textarea[name=note]', '已重新更换锁芯，业主确认可以正常开门');
    await page.click('dialog.modal button.primary');
    await page.waitForSelector('dialog.modal', {state: 'detached'});
    const b = await recordWith(server, '/api/v1/repairs/' + B, 'closed');
    assert(b.timeline.some(ev => ev.event === 'close' && ev.note === '已重新更换锁芯，业主确认可以正常开门'), 'the note kept');
    await page.waitForSelector('table.returns tr.empty');
    await page.waitForSelector('.nav-link[data-view="returns"]:not(.has-badge)');
  });

  await step('the month\'s satisfaction by category and by technician', async () => {
    await page.click('a.tab[href="#/returns/satisfaction"]');
    await page.waitForSelector('input[name=month]');
    await page.fill('input[name=month]', monthOf(OLD_NOW));
    await page.dispatchEvent('input[name=month]', 'change');
    await page.waitForSelector('.sat-technician tr[data-key="李师傅"]');
    const row = async (table, key) => (await page.locator(`.${table} tr[data-key="${key}"] td`).allTextContents()).slice(1);
    assert(JSON.stringify(await row('sat-technician', '李师傅')) === JSON.stringify(['1', '5.0 / 5']), '李师傅: A scored 5');
    assert(JSON.stringify(await row('sat-technician', '王师傅')) === JSON.stringify(['1', '1.0 / 5']), '王师傅: B scored 1');
    assert(JSON.stringify(await row('sat-category', 'water')) === JSON.stringify(['1', '5.0 / 5']), 'water');
    assert(JSON.stringify(await row('sat-category', 'door_lock')) === JSON.stringify(['1', '1.0 / 5']), 'door lock');
    // E, completed and not yet visited, counts when it falls in the same month.
    const rate = monthOf(OLD_NOW) === monthOf(Math.floor(Date.now() / 1000)) ? '67%' : '100%';
    const shown = (await page.textContent('.stat[data-stat="returns.sat.repairs_rate"] .stat-value')).trim();
    assert(shown === rate, `回访率 ${shown}, not ${rate}`);
    await noOverflow(page);
    shotPaths.push(await shot(page, 'desktop-returns-satisfaction'));
  });

  await step('English at a click, with nothing left untranslated', async () => {
    await page.click('a.tab[href="#/returns"]');
    await page.click('.user-menu .link-btn');
    await page.waitForSelector('.nav-link:has-text("Return visits")');
    await page.waitForSelector('table.returns');
    const text = await page.textContent('#view');
    assert(!/returns\.|csat\.|rcat\./.test(text) && !/[\u4e00-\u9fff]/.test(await page.textContent('table.returns thead')), text);
    shotPaths.push(await shot(page, 'desktop-returns-en'));
    await page.click('.user-menu .link-btn');
    await page.waitForSelector('.nav-link:has-text("回访")');
  });

  await step('phone: the call list fits', async () => {
    await must(server, 'POST', '/api/v1/repairs/' + E + '/events', {event: 'return_visit', satisfaction: 4}, 200);
    const ctx = await browser.newContext({viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
                                          locale: 'zh-CN', timezoneId: 'Asia/Shanghai'});
    const p = await ctx.newPage();
    await signIn(p, server, '前台小王', 'desk-pass-1');
    const G = await completedRepair(server, 'lift', '孙丽', '13911110006', '李师傅');
    await p.goto(server.url + '/console/#/returns');
    await p.selectOption('select[name=waiting_days]', '0');
    await p.waitForSelector(`tr[data-number="${G}"]`);
    await noOverflow(p);
    shotPaths.push(await shot(p, 'phone-returns'));
    await ctx.close();
  });

  await step('a technician has no 回访 page', async () => {
    const ctx = await browser.newContext({viewport: DESKTOP, locale: 'zh-CN'});
    const p = await ctx.newPage();
    await signIn(p, server, '李师傅', 'tech-pass-1');
    assert(await p.locator('.nav-link[data-view="returns"]').count() === 0, 'no tab');
    await p.goto(server.url + '/console/#/returns');
    await p.waitForSelector('.nav-link.active');
    assert(await p.locator('table.returns').count() === 0, 'the route falls back to their own jobs');
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
