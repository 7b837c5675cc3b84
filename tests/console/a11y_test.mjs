// Every page of the console, for every role, at 1366×768 and on a 390 px
// phone (issue 15): axe-core (WCAG 2 A and AA, contrast included) finds no
// serious or critical violation, nothing is wider than the window, and no
// script error is thrown.  The pages are found by walking the navigation
// and each page's tabs, so a new page is checked without listing it here.
// Debian's chromium, headless, driven by playwright-core against a real
// lobbyd holding a little of everything (tickets, a complaint, visitors
// waiting and on site, a release, a renovation, notices).
//
//   node a11y_test.mjs --lobbyd PATH --directory deploy/demo/directory.json --shots DIR
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLobbyd, idemKey } from './harness.mjs';
import { PHONE, assert, finish, launchChromium, parseArgs, shooter, signIn, step } from './steps.mjs';

const args = parseArgs(process.argv.slice(2));
const shots = args.shots || join(tmpdir(), 'lobby-console-a11y-shots');
const shot = shooter(shots);
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const LAPTOP = {width: 1366, height: 768};

const ROLES = [['admin', 'admin', 'admin-pass-1'], ['front_desk', '前台小王', 'desk-pass-1'],
               ['technician', '李师傅', 'tech-pass-1'], ['guard', '门岗老陈', 'guard-pass-1']];

async function seed(server) {
  const must = async (method, path, body, token, status) => {
    const r = await server.api(method, path, body, token, {'Idempotency-Key': idemKey()});
    assert(r.status === status, `${method} ${path}: ${r.status} ${r.text}`);
    return r.json;
  };
  await must('POST', '/api/v1/staff', {name: '门岗老陈', role: 'guard', password: 'guard-pass-1'}, undefined, 201);
  const unit = {building: '1', unit: '2', room: '301'};
  const repair = body => must('POST', '/api/v1/repairs', Object.assign({unit, name: '张三', phone: '13812345678',
    category: 'water', kind: 'in_unit', urgency: 'normal', description: '厨房水龙头漏水'}, body), server.kioskToken, 201);
  const a = await repair({});
  await repair({urgency: 'emergency', category: 'electric', description: '楼道配电箱冒烟'});
  await must('POST', `/api/v1/repairs/${a.ticket}/events`, {event: 'accept'}, undefined, 200);
  await must('POST', `/api/v1/repairs/${a.ticket}/events`, {event: 'dispatch', technician: '李师傅'}, undefined, 200);
  await must('POST', '/api/v1/complaints', {kind: 'complaint', category: 'noise_neighbours', unit, name: '王五',
    phone: '13900001111', description: '楼上深夜装修噪音'}, server.kioskToken, 201);
  await must('POST', '/api/v1/visits', {name: '赵六', phone: '13700002222', host: '1-2-301', purpose: 'family',
    party_size: 1, plate: null}, server.kioskToken, 201);
  // Today at the site (UTC+8), not in UTC: from 00:00 to 08:00 there the
  // UTC date is yesterday, which a release pass may not be for.
  const siteToday = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
  await must('POST', '/api/v1/releases', {unit, items: '旧沙发一张', date: siteToday,
    name: '王五', phone: '13900001111', source: 'front_desk'}, undefined, 201);
  await must('POST', '/api/v1/notices', {title: '12月5日电梯维保', body: '1号楼东侧电梯停运维保。', category: 'works'}, undefined, 201);
}

// The console's pages as this role reaches them: each nav link, then each
// tab its page shows.
async function pagesOf(page, server) {
  const views = await page.$$eval('.nav-link', as => as.map(a => a.getAttribute('href')));
  const out = [];
  for (const v of views) {
    await page.goto(server.url + '/console/' + v);
    await page.waitForTimeout(400);
    out.push(v);
    for (const tab of await page.$$eval('.page-head .tabs a.tab[href^="#/"]', as => as.map(a => a.getAttribute('href'))))
      if (!out.includes(tab)) out.push(tab);
  }
  return out;
}

async function axeProblems(page) {
  if (!await page.evaluate(() => !!window.axe)) await page.addScriptTag({path: AXE});
  const result = await page.evaluate(() => window.axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa']}}));
  return result.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' — ' + (n.failureSummary || '').split('\n')[1]).join('; ')}`);
}

async function main() {
  const server = await startLobbyd(args.lobbyd, args.directory);
  await seed(server);
  const browser = await launchChromium();
  const shotPaths = [];
  const pageErrors = [];
  let visited = 0;

  for (const [role, name, password] of ROLES) for (const [layout, viewport] of [['laptop', LAPTOP], ['phone', PHONE]]) {
    await step(`${role} at ${layout}: every page passes axe and fits`, async () => {
      // axe is injected as a script: the console's CSP would refuse it.
      const ctx = await browser.newContext({viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', bypassCSP: true});
      const page = await ctx.newPage();
      page.on('pageerror', e => pageErrors.push(`${role} ${layout}: ${e}`));
      await signIn(page, server, name, password);
      const problems = [];
      for (const hash of await pagesOf(page, server)) {
        await page.goto(server.url + '/console/' + hash);
        await page.waitForTimeout(500);
        visited++;
        for (const p of await axeProblems(page)) problems.push(`${hash}: ${p}`);
        const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        if (over > 0) problems.push(`${hash}: wider than the window by ${over} px`);
        if (layout === 'phone' && role === 'admin' && hash.startsWith('#/visitors'))
          shotPaths.push(await shot(page, `phone-admin-${hash.slice(2).replace('/', '-')}`));
      }
      await ctx.close();
      assert(problems.length === 0, problems.length + ' problems:\n  ' + [...new Set(problems)].join('\n  '));
    });
  }

  await step('every page was reached and no script error was thrown', async () => {
    assert(visited >= 40, 'pages visited: ' + visited);
    assert(pageErrors.length === 0, pageErrors.join('\n'));
  });
  await browser.close();
  await finish(server, shotPaths, shots);
}

main().catch(e => { console.error(e); process.exit(1); });
