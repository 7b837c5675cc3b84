// Every form, given a bad value, answers in the user's language (issue 15):
// in Chinese and in English the console walks each form an admin has,
// sends it with one value lobbyd refuses, and checks what the person
// reads: the console's own sentence for that field, never the server's
// English message (which is caught from the network to compare).  Debian's
// chromium, headless, driven by playwright-core against a real lobbyd.
// Then an admin's account forms: creating says so, disabling asks first;
// and the audit log in words, filtered and exported.
//
//   node forms_test.mjs --lobbyd PATH --directory deploy/demo/directory.json --shots DIR
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLobbyd } from './harness.mjs';
import { DESKTOP, assert, finish, launchChromium, parseArgs, shooter, signIn, step } from './steps.mjs';

const args = parseArgs(process.argv.slice(2));
const shots = args.shots || join(tmpdir(), 'lobby-console-forms-shots');
const shot = shooter(shots);
const CJK = /[\u4e00-\u9fff]/;

const unit = async page => {
  await page.selectOption('dialog.modal select[name=building]', '1');
  await page.selectOption('dialog.modal select[name=unit]', '1');
  await page.selectOption('dialog.modal select[name=room]', '101');
};
const openByText = key => async page => {
  const label = await page.evaluate(k => t(k), key);
  await page.click(`.page-head button:has-text("${label}")`);
  await page.waitForSelector('dialog.modal[open]');
};
const ok = page => page.click('dialog.modal .modal-foot button.primary, dialog.modal .modal-foot button.danger');

// Each form: where it is, how it opens, the bad value, and words the
// person must read (zh, en) for that field.
const FORMS = [
  {name: 'new account, a password too short', view: 'admin', open: openByText('admin.create'),
   fill: async p => { await p.fill('dialog.modal input[name=name]', '新同事'); await p.fill('dialog.modal input[name=password]', 'abc'); },
   words: ['「密码」应为 8–128 个字', '"Password" must have 8 to 128 characters']},
  {name: 'new account, a name already taken', view: 'admin', open: openByText('admin.create'),
   fill: async p => { await p.fill('dialog.modal input[name=name]', '前台小王'); await p.fill('dialog.modal input[name=password]', 'Quiet-harbour-27'); },
   words: ['这个名称已被使用', 'That name is taken']},
  {name: 'new site, a code already taken', view: 'admin/sites', open: openByText('sites.add'),
   fill: async p => { await p.fill('dialog.modal input[name=code]', 'north'); await p.fill('dialog.modal input[name=name]', '又一个北区');
                      await p.fill('dialog.modal input[name=service_phone]', '0755-88887777'); },
   words: ['这个代码已被使用', 'That code is taken']},
  {name: 'new site, a bad service phone', view: 'admin/sites', open: openByText('sites.add'),
   fill: async p => { await p.fill('dialog.modal input[name=code]', 'south'); await p.fill('dialog.modal input[name=name]', '南区');
                      await p.fill('dialog.modal input[name=service_phone]', '12'); },
   words: ['「服务电话」应为手机号', '"Service phone" must be a mobile']},
  {name: 'kiosk enrolment, a name already taken', view: 'kiosks', open: openByText('kiosks.enrol'),
   fill: async p => { await p.fill('dialog.modal input[name=name]', 'lobby-1'); },
   words: ['这个名称已被使用', 'That name is taken']},
  {name: 'repair by phone, a bad phone', view: 'repairs', open: openByText('repairs.new'),
   fill: async p => { await unit(p); await p.fill('dialog.modal input[name=name]', '刘女士'); await p.fill('dialog.modal input[name=phone]', '12345');
                      await p.fill('dialog.modal textarea[name=description]', '门锁坏了'); },
   words: ['「电话」应为 11 位手机号', '"Phone" must be an 11-digit mobile']},
  {name: 'complaint, a bad phone', view: 'complaints', open: openByText('complaints.new'),
   fill: async p => { await unit(p); await p.fill('dialog.modal input[name=name]', '刘女士'); await p.fill('dialog.modal input[name=phone]', '12345');
                      await p.fill('dialog.modal textarea[name=description]', '楼道灯不亮'); },
   words: ['「电话」应为 11 位手机号', '"Phone" must be an 11-digit mobile']},
  {name: 'item release, a bad phone', view: 'releases', open: openByText('releases.new'),
   fill: async p => { await unit(p); await p.fill('dialog.modal textarea[name=items]', '旧沙发一张'); await p.fill('dialog.modal input[name=name]', '刘女士');
                      await p.fill('dialog.modal input[name=phone]', '12345'); },
   words: ['「电话」应为 11 位手机号', '"Phone" must be an 11-digit mobile']},
  {name: 'renovation, a bad manager phone', view: 'renovations', open: openByText('reno.new'),
   fill: async p => { await unit(p); await p.fill('dialog.modal input[name=company]', '好家装饰'); await p.fill('dialog.modal input[name=manager]', '周工');
                      await p.fill('dialog.modal input[name=manager_phone]', '12345'); await p.fill('dialog.modal textarea[name=works]', '厨房改造');
                      await p.fill('dialog.modal input[name=end]', new Date(Date.now() + 10 * 86400e3).toISOString().slice(0, 10)); },
   words: ['「负责人电话」应为 11 位手机号', '"Manager\'s phone" must be an 11-digit mobile']},
  {name: 'notice, an end already past', view: 'notices', open: openByText('notices.new'),
   fill: async p => { await p.fill('dialog.modal input[name=title]', '停水通知'); await p.fill('dialog.modal textarea[name=body]', '周六上午停水。');
                      await p.fill('dialog.modal input[name=ends_at]', '2020-01-01T08:00'); },
   words: ['结束时间须在将来', 'The end time must be in the future']},
  {name: 'invite, a bad phone', view: 'visitors/invite', open: async () => {},
   fill: async p => { await p.fill('input[name=name]', '陈七'); await p.fill('input[name=phone]', '12345'); await p.fill('input[name=host]', 'A座1102'); },
   submit: p => p.click('form button[type=submit]'),
   words: ['「电话」应为 11 位手机号', '"Phone" must be an 11-digit mobile']},
  {name: 'password change, a wrong current password', view: 'repairs',
   open: async p => { await p.click('details.menu summary'); await p.click('details.menu .menu-items button:first-child');
                      await p.waitForSelector('dialog.modal[open]'); },
   fill: async p => { const pw = p.locator('dialog.modal input[type=password]'); await pw.nth(0).fill('not-my-password'); await pw.nth(1).fill('Quiet-harbour-27'); },
   words: ['当前密码不正确', 'The current password is wrong']},
];

// What the person reads after the refusal: the dialog's error line or
// the newest error toast.
async function shownError(page) {
  const h = await page.waitForFunction(() => {
    const line = document.querySelector('dialog.modal[open] p.form-error');
    if (line && line.textContent) return line.textContent;
    const toasts = document.querySelectorAll('.toast.error, .form-error');
    for (const n of [...toasts].reverse()) if (n.textContent) return n.textContent;
    return null;
  }, null, {timeout: 10000});
  return h.jsonValue();
}

async function closeDialogs(page) {
  while (await page.locator('dialog.modal[open]').count()) {
    await page.keyboard.press('Escape');
    await page.waitForTimeout(50);
  }
  await page.evaluate(() => { for (const n of document.querySelectorAll('.toast')) n.remove(); });
}

async function main() {
  const server = await startLobbyd(args.lobbyd, args.directory);
  const site = await server.api('POST', '/api/v1/sites', {code: 'north', name: '北区花园', service_phone: '0755-88886666'});
  assert(site.status === 201, 'the second site: ' + site.text);
  const browser = await launchChromium();
  const shotPaths = [];
  const pageErrors = [];

  for (const lang of ['zh', 'en']) {
    const ctx = await browser.newContext({viewport: DESKTOP, locale: lang === 'zh' ? 'zh-CN' : 'en-GB', timezoneId: 'Asia/Shanghai'});
    await ctx.addInitScript(l => localStorage.setItem('lobby.lang', l), lang);
    const page = await ctx.newPage();
    page.on('pageerror', e => pageErrors.push(String(e)));
    // The server's own words for each refusal, to make sure none is shown.
    const refused = [];
    page.on('response', async res => {
      if (res.status() < 400 || !res.url().includes('/api/')) return;
      try { const j = await res.json(); if (j && j.error) refused.push(j.error); } catch (e) { /* not JSON */ }
    });
    await signIn(page, server, 'admin', 'admin-pass-1');
    for (const form of FORMS) {
      await step(`${lang}: ${form.name}`, async () => {
        await closeDialogs(page);
        await page.goto(server.url + '/console/#/' + form.view);
        await page.waitForSelector('.page-head, form');
        await form.open(page);
        await form.fill(page);
        const before = refused.length;
        await (form.submit || ok)(page);
        const said = await shownError(page);
        // The response handler reads the body after the page has it.
        for (let i = 0; i < 40 && refused.length === before; i++) await page.waitForTimeout(50);
        assert(refused.length > before, 'lobbyd refused nothing: ' + said);
        const answer = refused[refused.length - 1];
        const want = form.words[lang === 'zh' ? 0 : 1];
        assert(said.includes(want), `reads ${JSON.stringify(said)}, not ${JSON.stringify(want)} (server: ${answer.code}/${answer.field})`);
        assert(!said.includes(answer.message) && !/^[a-z_0-9.]+: /.test(said), 'the server\'s words: ' + said);
        assert(lang === 'zh' ? CJK.test(said) : !CJK.test(said), 'in the other language: ' + said);
        if (form === FORMS[0] || form === FORMS[5]) shotPaths.push(await shot(page, `${lang}-error-${form.view.replace('/', '-')}`));
      });
    }
    await ctx.close();
  }

  await step('an account: creating says so, disabling asks first and can be called off', async () => {
    const ctx = await browser.newContext({viewport: DESKTOP, locale: 'zh-CN', timezoneId: 'Asia/Shanghai'});
    const page = await ctx.newPage();
    page.on('pageerror', e => pageErrors.push(String(e)));
    const sent = [];
    page.on('request', r => { if (/\/staff\/.*\/(disable|enable)$/.test(r.url())) sent.push(r.url()); });
    await signIn(page, server, 'admin', 'admin-pass-1');
    await page.goto(server.url + '/console/#/admin');
    await openByText('admin.create')(page);
    await page.fill('dialog.modal input[name=name]', '新同事');
    await page.fill('dialog.modal input[name=password]', 'Quiet-harbour-27');
    await ok(page);
    await page.waitForSelector('.toast.ok');
    const created = (await page.textContent('.toast.ok')).trim();
    assert(created === '已创建账号「新同事」（前台），请把初始密码当面告诉本人', 'created: ' + created);
    const row = 'tr[data-staff="新同事"]';
    await page.click(`${row} button:has-text("停用")`);
    await page.waitForSelector('dialog.modal[open] >> text=此人会立即退出登录');
    shotPaths.push(await shot(page, 'zh-admin-disable-confirm'));
    await page.click('dialog.modal .modal-foot button:not(.danger)');
    await page.waitForSelector('dialog.modal[open]', {state: 'detached'});
    assert(sent.length === 0, 'called off, nothing sent: ' + sent);
    await page.click(`${row} button:has-text("停用")`);
    await page.click('dialog.modal .modal-foot button.danger');
    await page.waitForSelector(`${row} button:has-text("启用")`);
    assert(sent.length === 1, 'disabled once: ' + sent);
    assert((await server.api('GET', '/api/v1/staff')).json.staff.find(x => x.name === '新同事').disabled === true, 'disabled in lobbyd');
    await page.click(`${row} button:has-text("启用")`);
    await page.waitForSelector(`${row} button:has-text("停用")`);
    assert(sent.length === 2, 'enabling asks nothing: ' + sent);
    await ctx.close();
  });

  await step('the audit log in words: filtered by who, kind and date, exported as CSV', async () => {
    const ctx = await browser.newContext({viewport: DESKTOP, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', acceptDownloads: true});
    const page = await ctx.newPage();
    page.on('pageerror', e => pageErrors.push(String(e)));
    await signIn(page, server, 'admin', 'admin-pass-1');
    await page.goto(server.url + '/console/#/admin/audit');
    await page.waitForSelector('table.audit tbody tr');
    const body = () => page.textContent('table.audit tbody');
    assert((await body()).includes('创建账号') && !(await body()).includes('account.create'), 'actions in words');
    await page.selectOption('select[name=action]', 'account');
    const accountLog = (await server.api('GET', '/api/v1/audit?action=account')).json;
    const accountEntries = accountLog.entries.length;
    assert(accountLog.total === accountEntries, 'lobbyd counts what matches: ' + accountLog.total);
    await page.waitForFunction(n => document.querySelectorAll('table.audit tbody tr').length === n, accountEntries);
    assert((await page.textContent('.audit-count')) === `显示 ${accountEntries} 条，共 ${accountEntries} 条`,
           'the count: ' + await page.textContent('.audit-count'));
    const actions = await page.locator('table.audit tbody tr td:nth-child(3)').allTextContents();
    assert(JSON.stringify(actions.slice(0, 3)) === JSON.stringify(['启用账号', '停用账号', '创建账号']) &&
           actions.every(a => ['启用账号', '停用账号', '创建账号', '重置密码'].includes(a)), 'the account actions: ' + actions);
    assert((await page.textContent('table.audit tbody tr:nth-child(3) td:nth-child(5)')).trim() === '前台', 'the role in words');
    shotPaths.push(await shot(page, 'zh-admin-audit-filtered'));
    const download = page.waitForEvent('download');
    await page.click('button.export-audit');
    const file = await (await download).path();
    const csv = (await import('node:fs')).readFileSync(file, 'utf8');
    const lines = csv.split('\r\n');
    assert(csv.startsWith('\ufeff"时间","操作人","操作","对象","说明","地址"'), 'the CSV head: ' + lines[0]);
    assert(lines.length === accountEntries + 2 && lines[2].includes('"停用账号","新同事"'), 'the CSV rows: ' + lines.slice(1).join(' | '));
    await page.selectOption('select[name=actor]', '前台小王');
    await page.waitForSelector('.audit-filters + div .empty-state');
    await page.selectOption('select[name=actor]', '');
    await page.selectOption('select[name=action]', '');
    await page.fill('input[name=from]', '2999-01-01');
    await page.dispatchEvent('input[name=from]', 'change');
    await page.waitForSelector('.audit-filters + div .empty-state');
    await ctx.close();
  });

  await step('no script errors in the page', async () => {
    assert(pageErrors.length === 0, pageErrors.join('\n'));
  });
  await browser.close();
  await finish(server, shotPaths, shots);
}

main().catch(e => { console.error(e); process.exit(1); });
