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
//   --threads         also CPU per thread over the idle window (every task
//                     of every process in the tree, names from comm)
//   --extra-pid PID   also the CPU of PID (not in the tree: the X server)
//                     over the same idle window
//   --libs REGEX      at the end of the idle window, the mapped files of
//                     the tree whose name matches REGEX (which GL stack a
//                     renderer loaded)
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
  else if (k === '--threads') opt.threads = true;
  else if (k === '--extra-pid') opt.extraPid = Number(v());
  else if (k === '--libs') opt.libs = new RegExp(v());
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
const result = { command: argv.join(' '), samples: 0, peak_rss_kb: 0, peak_pss_kb: 0, last_pss_kb: 0, peak_procs: 0, fonts: [] };

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

// Ticks of one process's own threads (utime+stime of /proc/PID/stat, not
// its reaped children's).
function ownTicks(pid) {
  const st = read(`/proc/${pid}/stat`);
  if (!st) return 0;
  const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
  return Number(f[11]) + Number(f[12]);
}

// utime+stime of every thread of every process in pids, keyed pid/tid,
// with the thread's name (its comm) and its process's name.
function threadTicks(pids) {
  const out = new Map();
  for (const p of pids) {
    const procName = (read(`/proc/${p}/comm`) ?? '?').trim();
    let tids = [];
    try {
      tids = readdirSync(`/proc/${p}/task`);
    } catch {
      continue; // the process went away
    }
    for (const t of tids) {
      const st = read(`/proc/${p}/task/${t}/stat`);
      if (!st) continue;
      const name = st.slice(st.indexOf('(') + 1, st.lastIndexOf(')'));
      const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
      out.set(`${p}/${t}`, { pid: p, tid: Number(t), proc: procName, name, ticks: Number(f[11]) + Number(f[12]) });
    }
  }
  return out;
}

// Per-thread CPU over the window: every thread alive at its end (threads
// that started inside it count from zero), and per process the ticks of
// threads that ended inside it (the process's own total minus its live
// threads', since a thread's time stays in its process when it exits).
function threadDeltas(start, end, procStart, procEnd) {
  const threads = [];
  const live = new Map();
  for (const [k, e] of end) {
    const s = start.get(k);
    threads.push({ ...e, ticks: e.ticks - (s ? s.ticks : 0), new_in_window: !s });
    live.set(e.pid, (live.get(e.pid) ?? 0) + e.ticks - (s ? s.ticks : 0));
  }
  const exited = [];
  for (const [pid, t] of procEnd) {
    const rest = t - (procStart.get(pid) ?? 0) - (live.get(pid) ?? 0);
    if (rest > 0) exited.push({ pid, ticks: rest });
  }
  return { threads, exited };
}

function libsMapped(pids, re) {
  const found = new Set();
  for (const p of pids) {
    for (const line of (read(`/proc/${p}/maps`) ?? '').split('\n')) {
      const file = line.split(/\s+/)[5];
      if (file && re.test(file)) found.add(file.slice(file.lastIndexOf('/') + 1));
    }
  }
  return [...found].sort();
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
  if (withPss) result.last_pss_kb = pss;
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
result.pid = child.pid;
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
    // The parts are read after the whole at the start and before it at
    // the end, so that the parts never add up to more than the whole.
    const startPids = tree(child.pid);
    result.cpu_start_ticks = cpuTicks(startPids);
    result.cpu_start_procs = startPids.length;
    const procStart = new Map(startPids.map((p) => [p, ownTicks(p)]));
    const threadsStart = opt.threads ? threadTicks(startPids) : null;
    const extraStart = opt.extraPid ? ownTicks(opt.extraPid) : 0;
    setTimeout(() => {
      const pids = tree(child.pid);
      if (threadsStart) {
        const threadsEnd = threadTicks(pids);
        const procEnd = new Map(pids.map((p) => [p, ownTicks(p)]));
        const d = threadDeltas(threadsStart, threadsEnd, procStart, procEnd);
        result.thread_ticks = d.threads;
        result.exited_thread_ticks = d.exited;
      }
      result.cpu_end_procs = pids.length;
      result.cpu_idle_ticks = cpuTicks(pids) - result.cpu_start_ticks;
      result.cpu_idle_s = result.cpu_idle_ticks / CLK_TCK;
      result.idle_window_s = opt.idle;
      if (opt.extraPid) result.extra_pid_ticks = ownTicks(opt.extraPid) - extraStart;
      if (opt.libs) result.libs = libsMapped(pids, opt.libs);
      finish('idle window over');
    }, opt.idle * 1000);
  }, opt.settle * 1000);
}
setTimeout(() => finish('time limit'), opt.max * 1000);
