// The follow page (扫码查进度) as a resident's phone shows it (issue 18):
// Debian's chromium at 390×844, scripts off as in a strict in-app
// browser, against a real lobbyd.  A repair filed at a kiosk; its page in
// Chinese, then English at a tap; the page again once the technician is
// on site; with scripts on, the open page turning to 完成 by itself when
// the work is recorded; the return visit given with one tap; a visitor's
// pass; a complaint with its answer; a wrong token.  Checked: the words, nothing wider than the
// screen, type and the language button large enough, axe-core (WCAG 2 A
// and AA) with no serious or critical violation, nothing of the resident
// but the last four digits.  Printed, not asserted: the page's weight and
// its first paint over a slow 4G link (Chromium's network emulation:
// 150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up).
//
//   node follow_page_test.mjs --lobbyd PATH --directory deploy/demo/directory.json --shots DIR
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLobbyd, idemKey } from './harness.mjs';
import { PHONE, assert, finish, launchChromium, noOverflow, parseArgs, shooter, step } from './steps.mjs';

const args = parseArgs(process.argv.slice(2));
const shots = args.shots || join(tmpdir(), 'lobby-follow-shots');
const shot = shooter(shots);
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const SLOW_4G = {offline: false, latency: 150, downloadThroughput: 1.6e6 / 8, uploadThroughput: 750e3 / 8};

const server = await startLobbyd(args.lobbyd, args.directory);
const browser = await launchChromium();
const paths = [];

const must = async (method, path, body, token, status) => {
  const r = await server.api(method, path, body, token, {'Idempotency-Key': idemKey()});
  assert(r.status === status, `${method} ${path}: ${r.status} ${r.text}`);
  return r.json;
};

const filed = await must('POST', '/api/v1/repairs', {unit: {building: '1', unit: '2', room: '301'}, name: '张三丰',
  phone: '13812345678', category: 'water', kind: 'in_unit', urgency: 'emergency',
  description: '厨房水管爆裂，水流到客厅'}, server.kioskToken, 201);
const pageUrl = server.url + '/f/' + filed.follow_token;
const context = await browser.newContext({viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
                                          javaScriptEnabled: false, locale: 'zh-CN'});
const page = await context.newPage();

// What axe-core finds serious or critical.  The page runs no script of its
// own (and its policy allows none), so axe runs in a second, scripted
// context on the same HTML.
async function axeViolations(html) {
  const ctx = await browser.newContext({viewport: PHONE, bypassCSP: true});
  const p = await ctx.newPage();
  await p.setContent(html);
  await p.addScriptTag({content: AXE});
  const found = await p.evaluate(async () => (await window.axe.run(document,
    {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa']}})).violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => v.id + ': ' + v.help));
  await ctx.close();
  return found;
}

async function checkLayout(name) {
  await noOverflow(page);
  const sizes = await page.evaluate(() => ({
    body: parseFloat(getComputedStyle(document.body).fontSize),
    button: document.querySelector('header a').getBoundingClientRect().height,
  }));
  assert(sizes.body >= 18, `${name}: body type is ${sizes.body} px`);
  assert(sizes.button >= 44, `${name}: the language button is ${sizes.button} px tall`);
  const violations = await axeViolations(await page.content());
  assert(violations.length === 0, `${name}: axe: ${violations.join('; ')}`);
  const text = await page.textContent('body');
  assert(!text.includes('张三丰') && !text.includes('13812345678') && !text.includes('水管爆裂'),
         `${name}: the page shows the resident's name, phone or words`);
}

await step('the page in Chinese: received, the promise, the last four digits', async () => {
  const res = await page.goto(pageUrl);
  assert(res.status() === 200, 'status ' + res.status());
  const text = await page.textContent('body');
  for (const want of ['报修进度', filed.ticket, '报修已收到，客服会尽快受理', '前到场', '尾号 5678', '24 小时服务电话'])
    assert(text.includes(want), 'missing ' + want);
  await checkLayout('zh');
  paths.push(await shot(page, 'follow_zh_submitted'));
});

await step('English at a tap', async () => {
  await page.click('text=English');
  await page.waitForLoadState();
  assert(page.url().endsWith('?lang=en'), 'url ' + page.url());
  const text = await page.textContent('body');
  for (const want of ['Repair progress', 'We have your request.', 'Promised: on site by', 'Phone: ending 5678'])
    assert(text.includes(want), 'missing ' + want);
  await checkLayout('en');
  paths.push(await shot(page, 'follow_en_submitted'));
});

await step('the technician on site, in both languages', async () => {
  await must('POST', `/api/v1/repairs/${filed.ticket}/events`, {event: 'accept'}, undefined, 200);
  await must('POST', `/api/v1/repairs/${filed.ticket}/events`, {event: 'dispatch', technician: '李师傅'}, undefined, 200);
  await must('POST', `/api/v1/repairs/${filed.ticket}/events`, {event: 'on_site'}, undefined, 200);
  await page.goto(pageUrl);
  let text = await page.textContent('body');
  for (const want of ['维修师傅已到场', '师傅到场时间：', '已按承诺时间完成', '已派单', '已受理'])
    assert(text.includes(want), 'missing ' + want);
  assert(!text.includes('李师傅'), 'the page names the technician');
  await checkLayout('zh on site');
  paths.push(await shot(page, 'follow_zh_on_site'));
  await page.click('text=English');
  await page.waitForLoadState();
  text = await page.textContent('body');
  assert(text.includes('The technician is on site.') && text.includes('The promise was kept.'), 'English on site');
  await checkLayout('en on site');
  paths.push(await shot(page, 'follow_en_on_site'));
});

await step('with scripts on, the open page follows the repair by itself', async () => {
  const ctx = await browser.newContext({viewport: PHONE, deviceScaleFactor: 2, isMobile: true});
  const p = await ctx.newPage();
  const errors = [];
  p.on('pageerror', e => errors.push(String(e)));
  p.on('console', m => { if (m.type() === 'error') errors.push(m.text()); });
  await p.goto(pageUrl);
  assert((await p.textContent('body')).includes('维修师傅已到场'), 'before');
  await p.waitForTimeout(1500); /* its long-poll is waiting */
  await must('POST', `/api/v1/repairs/${filed.ticket}/events`, {event: 'complete', note: '已更换水管'}, undefined, 200);
  await p.waitForFunction(() => document.body.textContent.includes('维修已完成'), null, {timeout: 15000});
  assert(errors.length === 0, 'script errors: ' + errors.join('; '));
  paths.push(await shot(p, 'follow_zh_completed_live'));
  await ctx.close();
});

await step('the return visit from the phone: one tap on 满意', async () => {
  await page.goto(pageUrl);
  assert((await page.textContent('body')).includes('您对这次维修满意吗？'), 'the question');
  await checkLayout('zh rating');
  const button = await page.evaluate(() => document.querySelector('.rate button').getBoundingClientRect().height);
  assert(button >= 48, 'the rating buttons are ' + button + ' px tall');
  paths.push(await shot(page, 'follow_zh_rate'));
  await page.click('button[value=satisfied]');
  await page.waitForLoadState();
  assert(page.url() === pageUrl, 'back on the page: ' + page.url());
  const text = await page.textContent('body');
  assert(text.includes('已回访，感谢您的评价') && !text.includes('您对这次维修满意吗？'), 'thanked, no form');
  const t = await must('GET', `/api/v1/repairs/${filed.ticket}`, undefined, undefined, 200);
  assert(t.status === 'return_visit' && t.satisfaction === 5, 'the ledger: ' + t.status + ' ' + t.satisfaction);
  paths.push(await shot(page, 'follow_zh_rated'));
});

await step("a visitor's pass as the guard sees it, in both languages", async () => {
  const visit = await must('POST', '/api/v1/visits', {name: '欧阳娜娜', phone: '13900001111', host: '1-2-301',
    purpose: 'family', party_size: 2, plate: '京A12345'}, server.kioskToken, 201);
  await page.goto(server.url + '/f/' + visit.follow_token);
  let text = await page.textContent('body');
  for (const want of ['访客通行证', '通行证有效', '有效至：', '欧***', '1-2-301', visit.pass_code])
    assert(text.includes(want), 'missing ' + want);
  assert(!text.includes('欧阳娜娜') && !text.includes('13900001111') && !text.includes('京A12345'),
         'the pass shows the whole name, the phone or the plate');
  await checkLayout('pass zh');
  paths.push(await shot(page, 'pass_zh'));
  await page.click('text=English');
  await page.waitForLoadState();
  text = await page.textContent('body');
  assert(text.includes('Pass valid') && text.includes('Valid until: '), 'English pass');
  await checkLayout('pass en');
  paths.push(await shot(page, 'pass_en'));
});

await step('a complaint answered, on the phone, in both languages', async () => {
  const c = await must('POST', '/api/v1/complaints', {kind: 'complaint', category: 'noise_neighbours',
    description: '楼上每晚十一点后还在装修', unit: {building: '1', unit: '2', room: '301'}, name: '王芳',
    phone: '13800138000'}, server.kioskToken, 201);
  const events = `/api/v1/complaints/${c.number}/events`;
  await must('POST', events, {event: 'accept'}, undefined, 200);
  await must('POST', events, {event: 'assign', responsible: 'admin'}, undefined, 200);
  await must('POST', events, {event: 'reply', reply: '已联系楼上住户，装修时间改为早九点到晚六点。\n如仍有噪音请随时致电。'},
             undefined, 200);
  await page.goto(server.url + '/f/' + c.follow_token);
  let text = await page.textContent('body');
  for (const want of ['投诉建议进度', c.number, '物业已答复', '装修时间改为早九点到晚六点', '您对这次答复满意吗？', '尾号 8000'])
    assert(text.includes(want), 'missing ' + want);
  assert(!text.includes('王芳') && !text.includes('13800138000') && !text.includes('十一点后'),
         'the page shows the name, phone or what was written');
  await checkLayout('complaint zh');
  paths.push(await shot(page, 'complaint_zh'));
  await page.click('text=English');
  await page.waitForLoadState();
  text = await page.textContent('body');
  assert(text.includes('We have answered.') && text.includes('Are you happy with our answer?'), 'English');
  await checkLayout('complaint en');
  paths.push(await shot(page, 'complaint_en'));
});

await step('a wrong token: a plain 404 page', async () => {
  const res = await page.goto(server.url + '/f/AAAAAAAAAAAAAAAAAAAAAA');
  assert(res.status() === 404, 'status ' + res.status());
  assert((await page.textContent('body')).includes('页面不存在'), 'words');
  await noOverflow(page);
  paths.push(await shot(page, 'follow_missing'));
});

await step('weight and first paint over slow 4G (printed)', async () => {
  const ctx = await browser.newContext({viewport: PHONE, deviceScaleFactor: 2, isMobile: true});
  const p = await ctx.newPage();
  const cdp = await ctx.newCDPSession(p);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', {cacheDisabled: true});
  await cdp.send('Network.emulateNetworkConditions', SLOW_4G);
  let bytes = 0, requests = 0;
  cdp.on('Network.loadingFinished', e => { bytes += e.encodedDataLength; requests++; });
  const t0 = Date.now();
  await p.goto(pageUrl, {waitUntil: 'load'});
  const loaded = Date.now() - t0;
  await p.waitForFunction(() => performance.getEntriesByName('first-contentful-paint').length > 0, null,
                          {timeout: 5000}).catch(() => {});
  const paint = await p.evaluate(() => {
    const e = performance.getEntriesByName('first-contentful-paint')[0];
    return e ? Math.round(e.startTime) : -1;
  });
  console.log(`follow page: ${requests} request(s), ${bytes} bytes on the wire, first contentful paint ` +
              `${paint} ms, load ${loaded} ms (slow 4G: 150 ms RTT, 1.6 Mbit/s)`);
  await ctx.close();
});

await browser.close();
await finish(server, paths, shots);
