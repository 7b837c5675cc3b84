// Browser tests of the repair desk at volume (issue 15): 517 tickets, the
// 2 overdue ones the oldest.  The cards count every ticket, not the page;
// the desk's order puts the overdue first; pages of 50; the search box
// finds the resident who phones; each card filters what it counts.
// Debian's chromium, headless, driven by playwright-core against a real
// lobbyd.  The overdue tickets are filed with lobbyd's clock two days back
// (LOBBY_FAKE_NOW), then lobbyd is served again on the real clock.
//
//   node repairs_test.mjs --lobbyd PATH --directory deploy/demo/directory.json --shots DIR
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLobbyd, idemKey } from './harness.mjs';
import { DESKTOP, PHONE, assert, finish, launchChromium, noOverflow, parseArgs, shooter, signIn, step } from './steps.mjs';

const args = parseArgs(process.argv.slice(2));
const shots = args.shots || join(tmpdir(), 'lobby-console-repairs-shots');
const shot = shooter(shots);

const TICKETS = 517;
const OVERDUE = 2;
const ROOMS = ['101', '102', '201', '202', '301', '302'];

async function file(server, i, extra) {
  const body = Object.assign({unit: {building: String(1 + i % 2), unit: String(1 + (i >> 1) % 2), room: ROOMS[(i >> 2) % 6]},
    name: '住户' + i, phone: '1380000' + String(i).padStart(4, '0'), category: 'water', kind: 'in_unit',
    urgency: 'normal', description: '厨房水龙头漏水 ' + i, source: 'phone'}, extra || {});
  const r = await server.api('POST', '/api/v1/repairs', body, undefined, {'Idempotency-Key': idemKey()});
  assert(r.status === 201, 'filed: ' + r.text);
  return r.json.ticket;
}

const tickets = page => page.locator('table.repairs tr[data-ticket]').evaluateAll(trs => trs.map(tr => tr.dataset.ticket));
const statValue = async (page, n) => (await page.locator('.stats .stat').nth(n).locator('.stat-value').textContent()).trim();

async function main() {
  const server = await startLobbyd(args.lobbyd, args.directory,
    {env: {LOBBY_FAKE_NOW: String(Math.floor(Date.now() / 1000) - 2 * 86400)}});
  const overdue = [];
  for (let i = 0; i < OVERDUE; i++) overdue.push(await file(server, i));
  await server.restart({LOBBY_FAKE_NOW: ''});
  for (let i = OVERDUE; i < TICKETS - 1; i++) await file(server, i);
  const needle = await file(server, 9999, {unit: {building: 'A', unit: '10', room: '1003'}, name: '赵敏',
    phone: '13912349999', description: '卫生间天花板漏水'});

  const browser = await launchChromium();
  const desk = await browser.newContext({viewport: DESKTOP, locale: 'zh-CN', timezoneId: 'Asia/Shanghai'});
  const page = await desk.newPage();
  const pageErrors = [];
  page.on('pageerror', e => pageErrors.push(String(e)));
  page.on('console', m => { if (m.type() === 'error') pageErrors.push(m.text()); });
  const shotPaths = [];

  await step('the cards count all 517 tickets and the overdue lead the list', async () => {
    await signIn(page, server, '前台小王', 'desk-pass-1');
    await page.click('.nav-link[data-view="repairs"]');
    await page.waitForSelector('table.repairs tr[data-ticket]');
    await page.waitForSelector('.pager-where');
    // 待受理, 处理中, 已超时, 今日新增, 已完工
    assert(await statValue(page, 0) === String(TICKETS), 'to accept: ' + await statValue(page, 0));
    assert(await statValue(page, 1) === String(TICKETS), 'open: ' + await statValue(page, 1));
    assert(await statValue(page, 2) === String(OVERDUE), 'overdue: ' + await statValue(page, 2));
    assert(await page.locator('.stats .stat').nth(2).evaluate(n => n.classList.contains('danger')), 'the overdue card is red');
    assert(await statValue(page, 3) === String(TICKETS - OVERDUE), 'today: ' + await statValue(page, 3));
    const rows = await tickets(page);
    assert(rows.length === 50, 'a page of 50: ' + rows.length);
    assert(rows[0] === overdue[0] && rows[1] === overdue[1], 'the overdue first, oldest first: ' + rows.slice(0, 3));
    assert((await page.textContent('.pager-where')).includes('共 517 条'), 'the pager: ' + await page.textContent('.pager-where'));
    await noOverflow(page);
    shotPaths.push(await shot(page, 'desktop-repairs-volume'));
  });

  await step('pages of 50 run to the 11th, which holds 17', async () => {
    const first = await tickets(page);
    await page.click('.pager button[name=next]');
    await page.waitForFunction(t => !document.querySelector(`tr[data-ticket="${t}"]`), first[0]);
    const second = await tickets(page);
    assert(second.length === 50 && !second.some(t => first.includes(t)), 'page 2 is new tickets');
    assert((await page.textContent('.pager-where')).includes('第 51–100 条'), 'page 2: ' + await page.textContent('.pager-where'));
    for (let p = 2; p < 11; p++) {
      const before = (await tickets(page))[0];
      await page.click('.pager button[name=next]');
      await page.waitForFunction(t => !document.querySelector(`tr[data-ticket="${t}"]`), before);
    }
    assert((await tickets(page)).length === 17, 'the last page');
    assert(await page.isDisabled('.pager button[name=next]'), 'no page after the last');
  });

  await step('the search box finds the resident who phones', async () => {
    for (const q of ['9999', '13912349999', 'A-10-1003', '赵', '赵敏', needle]) {
      await page.fill('input[name=q]', q);
      await page.waitForFunction(t => {
        const rows = document.querySelectorAll('table.repairs tr[data-ticket]');
        return rows.length === 1 && rows[0].dataset.ticket === t;
      }, needle, {timeout: 5000});
      assert(await statValue(page, 1) === '1', `the cards count the match of ${q}`);
    }
    assert(await page.locator('.pager button').count() === 0, 'one page, no pager');
    shotPaths.push(await shot(page, 'desktop-repairs-search'));
    await page.fill('input[name=q]', '');
    await page.waitForFunction(() => document.querySelectorAll('table.repairs tr[data-ticket]').length === 50);
  });

  await step('each card filters what it counts', async () => {
    await page.locator('.stats .stat').nth(2).click();
    await page.waitForFunction(() => document.querySelectorAll('table.repairs tr[data-ticket]').length === 2);
    assert(JSON.stringify(await tickets(page)) === JSON.stringify(overdue), 'the overdue card lists the two');
    assert(await page.locator('.stats .stat').nth(2).getAttribute('aria-pressed') === 'true', 'and says it is chosen');
    await page.locator('.stats .stat').nth(3).click();
    await page.waitForFunction(() => document.querySelector('.pager-where') &&
      document.querySelector('.pager-where').textContent.includes('共 515 条'));
    assert(!(await tickets(page)).some(t => overdue.includes(t)), 'today\'s card leaves out the older two');
    await page.locator('.stats .stat').nth(4).click();
    await page.waitForSelector('table.repairs tr[data-ticket]', {state: 'detached'});
  });

  await step('the keyboard opens a ticket (Enter) and closes it (Escape); the page says where it is', async () => {
    await page.click('.filters button:has-text("重置")');
    await page.waitForFunction(() => document.querySelectorAll('table.repairs tr[data-ticket]').length === 50);
    const first = (await tickets(page))[0];
    await page.focus(`tr[data-ticket="${first}"]`);
    await page.keyboard.press('Enter');
    await page.waitForSelector('#drawer:not([hidden]) h2.mono');
    assert((await page.textContent('#drawer h2.mono')) === first, 'the drawer shows the focused row\'s ticket');
    await page.keyboard.press('Escape');
    await page.waitForSelector('#drawer', {state: 'hidden'});
    await page.focus(`tr[data-ticket="${first}"]`);
    await page.keyboard.press(' ');
    await page.waitForSelector('#drawer:not([hidden])');
    await page.keyboard.press('Escape');
    await page.waitForSelector('#drawer', {state: 'hidden'});
    assert((await page.title()).startsWith('报修工单'), 'the title names the page: ' + await page.title());
    assert(await page.getAttribute('.nav-link[data-view="repairs"]', 'aria-current') === 'page', 'aria-current on the tab');
    await page.click('.nav-link[data-view="complaints"]');
    await page.waitForFunction(() => document.title.startsWith('投诉建议'));
    assert(await page.getAttribute('.nav-link[data-view="repairs"]', 'aria-current') === null, 'moved off the repairs tab');
    await page.click('.nav-link[data-view="repairs"]');
    await page.waitForSelector('table.repairs tr[data-ticket]');
  });

  await step('on a phone the desk page fits', async () => {
    const ctx = await browser.newContext({viewport: PHONE, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', isMobile: true});
    const p = await ctx.newPage();
    await signIn(p, server, '前台小王', 'desk-pass-1');
    await p.click('.nav-link[data-view="repairs"]').catch(() => p.goto(server.url + '/console/#/repairs'));
    await p.waitForSelector('table.repairs tr[data-ticket]');
    await noOverflow(p);
    shotPaths.push(await shot(p, 'phone-repairs-volume'));
    await ctx.close();
  });

  await step('disabled while signed in: back to sign-in without a script error, then told why', async () => {
    const name = encodeURIComponent('前台小王');
    const off = await server.api('POST', `/api/v1/staff/${name}/disable`);
    assert(off.status === 200, 'disabled: ' + off.text);
    await page.waitForSelector('form.signin-card', {timeout: 30000});
    await page.fill('input[name=name]', '前台小王');
    await page.fill('input[name=password]', 'desk-pass-1');
    await page.click('button[type=submit]');
    await page.waitForFunction(() => (document.querySelector('.form-error') || {}).textContent === '此账号已停用，请联系管理员恢复');
    shotPaths.push(await shot(page, 'desktop-signin-disabled'));
    const on = await server.api('POST', `/api/v1/staff/${name}/enable`);
    assert(on.status === 200, 'enabled again: ' + on.text);
  });

  await step('no script errors in the page', async () => {
    const real = pageErrors.filter(e => !/status of (401|403|404|409|429|400)/.test(e));
    assert(real.length === 0, real.join('\n'));
  });

  await browser.close();
  await finish(server, shotPaths, shots);
}

main().catch(e => { console.error(e); process.exit(1); });
