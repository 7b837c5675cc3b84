// console.tls: the staff console in Debian's chromium against lobbyd
// serving HTTPS itself ([tls]).  A CA and a server certificate are made at
// test time; lobbyd serves the chain (its certificate, then the CA's).
// Chromium told to trust the CA's key (--ignore-certificate-errors-spki-list,
// which matches a key anywhere in the served chain) signs in and gets a Secure,
// HttpOnly session cookie; a Chromium that does not trust it fails the
// page load with ERR_CERT_AUTHORITY_INVALID and never sees the form.
//
//   node console_tls.mjs --lobbyd PATH --tls-lib tests/server/tls_lib.sh --shots DIR
import { chromium } from 'playwright-core';
import { spawn, execFileSync } from 'node:child_process';
import { createHash, createPublicKey } from 'node:crypto';
import { mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, a, i, all) =>
  a.startsWith('--') ? pairs.concat([[a.slice(2), all[i + 1]]]) : pairs, []));
const CHROMIUM = process.env.LOBBY_CHROMIUM || '/usr/bin/chromium';
const shots = args.shots || join(tmpdir(), 'lobby-console-tls-shots');
mkdirSync(shots, {recursive: true});
const BASE_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
                   '--disable-sync', '--no-first-run'];

let failures = 0;
function ok(m) { console.log('ok: ' + m); }
function fail(m) { console.log('FAIL: ' + m); failures++; }

// The CA and a certificate for 127.0.0.1 it signs (tests/server/tls_lib.sh),
// the CA's appended to the server's as a chain.
function makeCerts(dir) {
  execFileSync('bash', ['-c', `. "$1" && tls_ca "$2" ca && tls_server_cert "$2" ca srv 4001 && cat "$2/ca.crt" >> "$2/srv.crt"`, 'certs',
                        args['tls-lib'], dir]);
}

// Chromium's form of a public-key hash: base64 SHA-256 of the DER SPKI.
function spkiHash(keyFile) {
  const der = createPublicKey(readFileSync(keyFile)).export({type: 'spki', format: 'der'});
  return createHash('sha256').update(der).digest('base64');
}

async function startLobbyd(dir) {
  const db = join(dir, 'lobby.db');
  const ini = join(dir, 'lobbyd.ini');
  writeFileSync(ini, `[server]\ndatabase = ${db}\n[tls]\ncert = ${dir}/srv.crt\nkey = ${dir}/srv.key\n`);
  execFileSync(args.lobbyd, ['admin-token', '--db', db, '--name', 'admin']);
  execFileSync(args.lobbyd, ['set-password', '--db', db, '--name', 'admin'], {input: 'admin-pass-1\n'});
  const proc = spawn(args.lobbyd, ['serve', '--config', ini, '--listen', '127.0.0.1:0'],
                     {stdio: ['ignore', 'pipe', openSync(join(dir, 'lobbyd.log'), 'a')]});
  const port = await new Promise((resolve, reject) => {
    let out = '';
    proc.stdout.on('data', d => {
      out += d;
      const m = out.match(/listening on .*:(\d+)/);
      if (m) resolve(m[1]);
    });
    proc.on('exit', code => reject(new Error('lobbyd exited with ' + code)));
    setTimeout(() => reject(new Error('lobbyd did not start')), 10000);
  });
  return {proc, url: `https://127.0.0.1:${port}`};
}

async function trusted(url, spki) {
  const browser = await chromium.launch({executablePath: CHROMIUM, headless: true,
    args: BASE_ARGS.concat(['--ignore-certificate-errors-spki-list=' + spki])});
  try {
    const ctx = await browser.newContext({locale: 'zh-CN', timezoneId: 'Asia/Shanghai'});
    const page = await ctx.newPage();
    await page.goto(url + '/console/');
    await page.fill('input[name=name]', 'admin');
    await page.fill('input[name=password]', 'admin-pass-1');
    await page.click('button[type=submit]');
    await page.waitForSelector('.topbar', {timeout: 15000});
    ok("the CA's key trusted: signed in over https");
    await page.screenshot({path: join(shots, 'tls_signed_in.png')});
    const c = (await ctx.cookies()).find(x => x.name === 'lobby_session');
    if (c && c.secure && c.httpOnly && c.sameSite === 'Strict')
      ok('the session cookie is Secure, HttpOnly, SameSite=Strict');
    else
      fail('session cookie: ' + JSON.stringify(c));
  } catch (e) {
    fail('signing in over https: ' + e.message.split('\n')[0]);
  } finally {
    await browser.close();
  }
}

async function untrusted(url) {
  const browser = await chromium.launch({executablePath: CHROMIUM, headless: true, args: BASE_ARGS});
  try {
    const page = await (await browser.newContext()).newPage();
    let error = '';
    await page.goto(url + '/console/').catch(e => { error = e.message; });
    if (/net::ERR_CERT_AUTHORITY_INVALID/.test(error))
      ok('not trusted: the page load fails with ERR_CERT_AUTHORITY_INVALID');
    else
      fail('not trusted: the page load gave ' + (error.split('\n')[0] || 'no error'));
  } finally {
    await browser.close();
  }
}

const dir = mkdtempSync(join(tmpdir(), 'lobby-console-tls-'));
let server;
try {
  makeCerts(dir);
  server = await startLobbyd(dir);
  await trusted(server.url, spkiHash(join(dir, 'ca.key')));
  await untrusted(server.url);
} catch (e) {
  fail(e.message);
} finally {
  if (server) server.proc.kill('SIGTERM');
  if (!process.env.LOBBY_KEEP_TMP) rmSync(dir, {recursive: true, force: true});
}
console.log('failures: ' + failures);
process.exit(failures ? 1 : 0);
