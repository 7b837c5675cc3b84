// Starts a real lobbyd for the browser tests: a fresh database, the demo
// directory, staff accounts with passwords, kiosks with tokens.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Every lobbyd still running when the test's process exits, a failed
// test included, is killed: none outlives its test.
const running = new Set();
process.on('exit', () => { for (const proc of running) proc.kill('SIGKILL'); });

// opts.env: extra environment for lobbyd (LOBBY_FAKE_NOW, say); the
// server's restart(env) serves the same database again with other ones.
export async function startLobbyd(lobbyd, directoryJson, opts) {
  const dir = mkdtempSync(join(tmpdir(), 'lobby-console-'));
  // Under with_postgres.sh (LOBBY_TEST_PG set), a new PostgreSQL database.
  const pg = process.env.LOBBY_TEST_PG;
  const db = pg ? execFileSync(new URL('../support/pg_cluster.sh', import.meta.url).pathname,
                               ['createdb', pg, 'c_' + process.pid + '_' + Date.now()]).toString().trim()
                : join(dir, 'lobby.db');
  const log = join(dir, 'lobbyd.log');
  const adminToken = execFileSync(lobbyd, ['admin-token', '--db', db, '--name', 'admin']).toString().trim();
  execFileSync(lobbyd, ['set-password', '--db', db, '--name', 'admin'], {input: 'admin-pass-1\n'});
  const { openSync } = await import('node:fs');
  const serve = async env => {
    const proc = spawn(lobbyd, ['serve', '--db', db, '--listen', '127.0.0.1:0'],
                       {stdio: ['ignore', 'pipe', openSync(log, 'a')], env: Object.assign({}, process.env, env || {})});
    running.add(proc);
    proc.on('exit', () => running.delete(proc));
    const url = await new Promise((resolve, reject) => {
      let out = '';
      proc.stdout.on('data', d => {
        out += d;
        const m = out.match(/listening on [\d.]+:(\d+)/);
        if (m) resolve('http://127.0.0.1:' + m[1]);
      });
      proc.on('exit', code => reject(new Error('lobbyd exited with ' + code)));
      setTimeout(() => reject(new Error('lobbyd did not start')), 10000);
    });
    return {proc, url};
  };
  const server = Object.assign({dir, db, log, adminToken}, await serve(opts && opts.env));
  // Ends lobbyd with SIGTERM and says how it went.
  const halt = async () => {
    const exited = new Promise(r => server.proc.on('exit', (code, signal) => r({code, signal})));
    server.proc.kill('SIGTERM');
    return exited;
  };
  server.restart = async env => {
    const {code} = await halt();
    if (code !== 0) throw new Error('lobbyd exited with ' + code + ' before a restart');
    Object.assign(server, await serve(env));
  };
  server.api = async (method, path, body, token, headers) => {
    const res = await fetch(server.url + path, {method, headers: Object.assign({'Authorization': 'Bearer ' + (token || adminToken),
      'Content-Type': 'application/json'}, headers || {}), body: body === undefined ? undefined : JSON.stringify(body)});
    const text = await res.text();
    let json = null;
    try { json = JSON.parse(text); } catch (e) { /* not JSON */ }
    return {status: res.status, json, text, headers: res.headers};
  };
  const must = async (method, path, body, status) => {
    const r = await server.api(method, path, body);
    if (r.status !== status) throw new Error(`${method} ${path}: ${r.status} ${r.text}`);
    return r.json;
  };
  await must('PUT', '/api/v1/directory', JSON.parse(readFileSync(directoryJson, 'utf8')), 200);
  server.kioskToken = (await must('POST', '/api/v1/kiosks', {name: 'lobby-1', building: '1', group: 'east'}, 201)).token;
  server.officeKioskToken = (await must('POST', '/api/v1/kiosks', {name: 'tower-a', building: 'A', group: ''}, 201)).token;
  for (const [name, role, password] of [['前台小王', 'front_desk', 'desk-pass-1'], ['李师傅', 'technician', 'tech-pass-1'],
                                        ['王师傅', 'technician', 'tech-pass-2']])
    await must('POST', '/api/v1/staff', {name, role, password}, 201);
  server.stop = async () => {
    const {code} = await halt();
    const text = readFileSync(log, 'utf8');
    const dirty = /Sanitizer|runtime error:/.test(text);
    if (!process.env.LOBBY_KEEP_TMP) rmSync(dir, {recursive: true, force: true});
    return {clean: code === 0 && !dirty, log: dirty ? text : ''};
  };
  return server;
}

let keyCounter = 0;
export function idemKey() {
  return 'console-test-' + process.pid + '-' + (++keyCounter);
}
