// Runs one program and measures its whole process tree (the program and all
// its descendants), the same way for lobby-kiosk and for Chromium:
//
//   node treemon.mjs [options] -- COMMAND ARGS...
//
//   --out FILE        the result as JSON (see the end of this file)
//   --cwd DIR         working directory of the program
//   --log FILE        the program's stdout and stderr go here
//   --frame-dir DIR   first frame = the first file that appears in DIR
//                     (lobby-kiosk under SDL's offscreen driver with
//                     SDL_VIDEO_OFFSCREEN_SAVE_FRAMES writes each presented
//                     frame there as a BMP)
//   --paint           first frame = the page's console line
//                     "lobby-paint first-contentful-paint epoch_ms=T"
//                     (Chromium with --enable-logging=stderr)
//   --after-frame MS  stop MS after the first frame (start-up runs)
//   --settle S        the idle CPU window starts S seconds after exec …
//   --idle S          … and lasts S seconds
//   --max S           stop after S seconds whatever happens
//   --pss-every MS    sample PSS every MS ms (default 1000; 0: never)
//   --env K=V         extra environment (repeatable)
//   --pgid-file FILE  the program's process group id, for the caller's
//                     clean-up trap
//
// Time zero is taken right before spawn (fork+exec), on the wall clock
// (performance.timeOrigin + performance.now(), the same clock Chromium's
// performance.timeOrigin is on), so "first frame" means exec → first frame
// of the notice board, for both programs.
//
// Every 50 ms the tree is walked from /proc (ppid links) and VmRSS summed
// over all its processes; the peak is kept.  Pss (from smaps_rollup, which
// does not count shared pages twice) is sampled only every --pss-every ms:
// reading smaps_rollup of Chromium's processes, with their many-GB address
// space reservations, costs about half a core at 20 Hz, which would slow
// down the very start-up being measured on a small machine.  CPU is utime+stime+cutime+cstime
// of /proc/PID/stat summed over the tree (cutime/cstime keep the time of
// children that exited and were reaped inside the tree), read at the start
// and the end of the idle window.
import { spawn } from 'node:child_process';
import { openSync, readFileSync, readdirSync, watch, writeFileSync } from 'node:fs';

const opt = { env: {}, paint: false, max: 600, pssEvery: 1000 };
const argv = process.argv.slice(2);
while (argv.length && argv[0] !== '--') {
  const k = argv.shift();
  const v = () => argv.shift();
  if (k === '--out') opt.out = v();
  else if (k === '--cwd') opt.cwd = v();
  else if (k === '--log') opt.log = v();
  else if (k === '--frame-dir') opt.frameDir = v();
  else if (k === '--paint') opt.paint = true;
  else if (k === '--after-frame') opt.afterFrame = Number(v());
  else if (k === '--settle') opt.settle = Number(v());
  else if (k === '--idle') opt.idle = Number(v());
  else if (k === '--max') opt.max = Number(v());
  else if (k === '--pgid-file') opt.pgidFile = v();
  else if (k === '--pss-every') opt.pssEvery = Number(v());
  else if (k === '--env') {
    const [ek, ...ev] = v().split('=');
    opt.env[ek] = ev.join('=');
  } else {
    console.error(`treemon: unknown option ${k}`);
    process.exit(2);
  }
}
argv.shift();
if (!argv.length || !opt.out) {
  console.error('usage: node treemon.mjs --out FILE [options] -- COMMAND ARGS...');
  process.exit(2);
}

const CLK_TCK = 100; // USER_HZ on Linux
const nowEpoch = () => performance.timeOrigin + performance.now();
const result = { command: argv.join(' '), samples: 0, peak_rss_kb: 0, peak_pss_kb: 0, peak_procs: 0, fonts: [] };

const read = (p) => {
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return null; // the process went away between listing and reading
  }
};

// The process tree under root: root and every process whose ppid chain leads to it.
function tree(root) {
  const kids = new Map();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const st = read(`/proc/${d}/stat`);
    if (!st) continue;
    const ppid = Number(st.slice(st.lastIndexOf(')') + 2).split(' ')[1]);
    if (!kids.has(ppid)) kids.set(ppid, []);
    kids.get(ppid).push(Number(d));
  }
  const out = [root];
  for (let i = 0; i < out.length; i++) out.push(...(kids.get(out[i]) ?? []));
  return out;
}

function field(text, name) {
  const m = text && text.match(new RegExp(`^${name}:\\s+(\\d+)`, 'm'));
  return m ? Number(m[1]) : 0;
}

function cpuTicks(pids) {
  let t = 0;
  for (const p of pids) {
    const st = read(`/proc/${p}/stat`);
    if (!st) continue;
    const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
    // fields 14..17 of stat: utime stime cutime cstime (f[0] is field 3)
    t += Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
  }
  return t;
}

let lastTree = [];
let lastPss = -Infinity;
function sample(root) {
  const withPss = opt.pssEvery > 0 && performance.now() - lastPss >= opt.pssEvery;
  if (withPss) lastPss = performance.now();
  const pids = tree(root);
  lastTree = pids;
  let rss = 0,
    pss = 0,
    n = 0;
  for (const p of pids) {
    const status = read(`/proc/${p}/status`);
    if (!status) continue;
    n++;
    rss += field(status, 'VmRSS');
    if (withPss) pss += field(read(`/proc/${p}/smaps_rollup`), 'Pss');
  }
  result.samples++;
  if (rss > result.peak_rss_kb) result.peak_rss_kb = rss;
  if (pss > result.peak_pss_kb) result.peak_pss_kb = pss;
  if (n > result.peak_procs) result.peak_procs = n;
  return pids;
}

let child;
let finished = false;
function killTree(sig) {
  if (!child) return;
  try {
    process.kill(-child.pid, sig);
  } catch {}
  for (const p of lastTree) {
    try {
      process.kill(p, sig);
    } catch {}
  }
}

function finish(why) {
  if (finished) return;
  finished = true;
  result.stopped = why;
  try {
    sample(child.pid);
  } catch {}
  killTree('SIGTERM');
  setTimeout(() => {
    killTree('SIGKILL');
    writeFileSync(opt.out, JSON.stringify(result, null, 1) + '\n');
    process.exit(0);
  }, 1500);
}

function frameSeen(epoch) {
  if (result.first_frame_ms !== undefined) return;
  result.first_frame_ms = Math.round((epoch - result.exec_epoch_ms) * 10) / 10;
  if (opt.afterFrame !== undefined) setTimeout(() => finish('after first frame'), opt.afterFrame);
}

for (const s of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(s, () => finish(`signal ${s}`));

if (opt.frameDir)
  watch(opt.frameDir, (ev, name) => {
    if (name) frameSeen(nowEpoch());
  });

const logFd = opt.log ? openSync(opt.log, 'a') : 'ignore';
result.exec_epoch_ms = nowEpoch();
child = spawn(argv[0], argv.slice(1), {
  cwd: opt.cwd,
  env: { ...process.env, ...opt.env },
  detached: true, // its own process group, so the whole tree can be stopped
  stdio: ['ignore', logFd, opt.paint ? 'pipe' : logFd],
});
if (opt.pgidFile) writeFileSync(opt.pgidFile, `${child.pid}\n`);
child.on('exit', (code, sig) => {
  result.exit = sig ? `signal ${sig}` : `code ${code}`;
  if (!finished) finish('the program exited');
});

if (opt.paint) {
  // Chromium's log lines: … "lobby-paint first-contentful-paint epoch_ms=…" …
  let buf = '';
  child.stderr.on('data', (d) => {
    if (opt.log) writeFileSync(opt.log, d, { flag: 'a' });
    buf += d.toString();
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      let m = line.match(/lobby-paint first-contentful-paint epoch_ms=([\d.]+)/);
      if (m) frameSeen(Number(m[1]));
      m = line.match(/"lobby-font (.*?)"/);
      if (m) result.fonts.push(m[1]);
    }
  });
}

setInterval(() => {
  if (!finished) sample(child.pid);
}, 50);
sample(child.pid);

if (opt.settle !== undefined && opt.idle !== undefined) {
  setTimeout(() => {
    result.cpu_start_ticks = cpuTicks(tree(child.pid));
    result.cpu_start_procs = tree(child.pid).length;
    setTimeout(() => {
      const pids = tree(child.pid);
      result.cpu_end_procs = pids.length;
      result.cpu_idle_s = (cpuTicks(pids) - result.cpu_start_ticks) / CLK_TCK;
      result.idle_window_s = opt.idle;
      finish('idle window over');
    }, opt.idle * 1000);
  }, opt.settle * 1000);
}
setTimeout(() => finish('time limit'), opt.max * 1000);
