// Prints part 4b's Markdown tables (kiosk_vs_chromium_x11.sh) from
// treemon.mjs results.
//
//   node x11_report.mjs DIR ROUNDS RENDERER...
//
// DIR holds x11-chromium-N.json and x11-kiosk-RENDERER-N.json for N in
// 1..ROUNDS.  A row is the median of the rounds: the run with the median
// idle CPU gives the row's CPU, per-thread times and libraries; PSS and RSS
// are the medians of the rounds' own.  RSS is there because PSS splits a
// shared page among every process on the machine that maps it: the same
// kiosk reads lower while another program maps the same fonts or libraries.
import { readFileSync } from 'node:fs';
import { NEED, mark, versus } from './goal.mjs';

const [dir, roundsArg, ...renderers] = process.argv.slice(2);
const rounds = Number(roundsArg);
const load = (f) => JSON.parse(readFileSync(`${dir}/${f}`, 'utf8'));
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const need = (v, what) => {
  if (v === undefined || Number.isNaN(v)) throw new Error(`no ${what} measured`);
  return v;
};

// The GL stack a tree had mapped, in short: which API and whose driver.
const TAGS = [
  [/^libGLX_mesa/, 'GLX'],
  [/^libEGL_mesa/, 'EGL'],
  [/^libGLESv2/, 'GLESv2'],
  [/^(swrast_dri|kms_swrast_dri|libgallium)/, 'Mesa llvmpipe'],
  [/^libvk_swiftshader/, 'SwiftShader'],
  [/^libvulkan/, 'Vulkan loader'],
];
const stack = (libs) => {
  const tags = new Set();
  for (const l of libs ?? []) for (const [re, tag] of TAGS) if (re.test(l)) tags.add(tag);
  return tags.size ? [...tags].join(' + ') : 'no GL';
};

const f1 = (x) => x.toFixed(1);

function row(prefix) {
  const runs = [];
  for (let n = 1; n <= rounds; n++) {
    const r = load(`${prefix}-${n}.json`);
    need(r.cpu_idle_ticks, `idle CPU in ${prefix}-${n}`);
    runs.push(r);
  }
  const byCpu = [...runs].sort((a, b) => a.cpu_idle_ticks - b.cpu_idle_ticks);
  const mid = byCpu[(byCpu.length - 1) >> 1];
  return {
    run: mid,
    ticks: mid.cpu_idle_ticks,
    xTicks: mid.extra_pid_ticks,
    window: mid.idle_window_s,
    pss: median(runs.map((r) => r.peak_pss_kb)) / 1024,
    pssEnd: median(runs.map((r) => r.last_pss_kb)) / 1024,
    rss: median(runs.map((r) => r.peak_rss_kb)) / 1024,
    procs: Math.max(...runs.map((r) => r.peak_procs)),
    stack: stack(mid.libs),
    all: runs.map((r) => r.cpu_idle_ticks),
    allPss: runs.map((r) => f1(r.peak_pss_kb / 1024)),
  };
}

const c = row('x11-chromium');
const kiosks = renderers.map((r) => ({ name: r, ...row(`x11-kiosk-${r}`) }));

console.log(`| program | GL stack mapped | idle CPU over ${c.window} s, ticks (s) | Xvfb CPU, same window, ticks | peak PSS, MiB | PSS at the end, MiB | peak RSS, MiB | processes | CPU: Chromium ÷ kiosk (≥ ${NEED.cpu}×) | PSS: Chromium ÷ kiosk (≥ ${NEED.pss}×) |`);
console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
const cells = (x) => `${x.stack} | ${x.ticks} (${(x.ticks / 100).toFixed(2)}) | ${x.xTicks} | ${f1(x.pss)} | ${f1(x.pssEnd)} | ${f1(x.rss)} | ${x.procs}`;
console.log(`| Chromium --kiosk | ${cells(c)} | | |`);
for (const k of kiosks) {
  const cpu = versus(c.ticks, k.ticks, NEED.cpu, 1);
  const pss = versus(c.pss, k.pss, NEED.pss, 1);
  console.log(`| lobby-kiosk, renderer ${k.name} | ${cells(k)} | ${cpu.text} ${mark(cpu)} | ${pss.text} ${mark(pss)} |`);
}
if (rounds > 1) {
  console.log();
  console.log(`Idle CPU of each round, ticks: Chromium ${c.all.join(', ')}; ` +
    kiosks.map((k) => `${k.name} ${k.all.join(', ')}`).join('; ') + '.');
  console.log(`Peak PSS of each round, MiB: Chromium ${c.allPss.join(', ')}; ` +
    kiosks.map((k) => `${k.name} ${k.allPss.join(', ')}`).join('; ') + '.');
}

// --- the kiosk per thread -----------------------------------------------------
// Threads are grouped by what they are: the main thread of the kiosk's
// process is the UI thread; the network thread is made by the net-start
// thread (joined once it has) and inherits its name; the rest go by their
// comm with a trailing number made "*" (llvmpipe-0, -1, …).  A thread
// nobody named has the program's name.
const KNOWN = [
  [/^net-start$/, 'network (inherits the name net-start)'],
  [/^llvmpipe-\*$/, 'llvmpipe-* (Mesa rasteriser)'],
  [/:disk\$\*$/, '$& (Mesa shader cache)'],
];
function group(t, rootPid) {
  const where = t.pid === rootPid ? '' : ` (process ${t.proc})`;
  if (t.pid === rootPid && t.tid === t.pid) return 'UI (main thread)';
  if (t.name === t.proc) return `unnamed${where}`;
  let label = t.name.replace(/\d+$/, '*');
  for (const [re, what] of KNOWN) if (re.test(label)) label = label.replace(re, what);
  return label + where;
}

const groups = new Map(); // label -> Map(renderer -> {ticks, threads})
for (const k of kiosks) {
  const r = k.run;
  for (const t of need(r.thread_ticks, `per-thread CPU of ${k.name}`)) {
    const label = group(t, r.pid);
    if (!groups.has(label)) groups.set(label, new Map());
    const g = groups.get(label);
    const e = g.get(k.name) ?? { ticks: 0, threads: 0 };
    e.ticks += t.ticks;
    e.threads += 1;
    g.set(k.name, e);
  }
}
const order = [...groups.keys()].sort((a, b) => {
  const sum = (l) => [...groups.get(l).values()].reduce((s, e) => s + e.ticks, 0);
  return sum(b) - sum(a) || a.localeCompare(b);
});
console.log();
console.log(`lobby-kiosk's CPU per thread over the ${c.window} idle seconds, ticks (threads), from the run in the table above:`);
console.log();
console.log(`| thread | ${kiosks.map((k) => k.name).join(' | ')} |`);
console.log(`| --- |${kiosks.map(() => ' ---: |').join('')}`);
for (const label of order) {
  const g = groups.get(label);
  console.log(`| ${label} | ${kiosks.map((k) => (g.has(k.name) ? `${g.get(k.name).ticks} (${g.get(k.name).threads})` : '')).join(' | ')} |`);
}
// The rest: threads and processes that ended inside the window, and the
// kernel's rounding (it scales a process's times and each thread's
// separately, so the threads can add up to a few ticks more or less).
const listed = (k) => k.run.thread_ticks.reduce((s, t) => s + t.ticks, 0);
console.log(`| the rest: ended threads or processes, and rounding (a few ticks either way) | ${kiosks.map((k) => k.ticks - listed(k)).join(' | ')} |`);
console.log(`| whole tree | ${kiosks.map((k) => k.ticks).join(' | ')} |`);

console.log();
const fonts = c.run.fonts ?? [];
const fontsOk = fonts.length > 0 && fonts.every((f) => f.endsWith(' loaded'));
console.log(`Chromium's fonts: ${[...new Set(fonts)].join('; ') || 'none reported'}${fontsOk ? '' : ' — WARNING: Noto Sans CJK SC not loaded'}. ` +
  `Libraries mapped at the end of the window (GL and drivers): Chromium ${(c.run.libs ?? []).join(', ') || 'none'}; ` +
  kiosks.map((k) => `${k.name} ${(k.run.libs ?? []).join(', ') || 'none'}`).join('; ') + '.');
console.log();
// Each renderer's GL stack as it should be; a renderer SDL could not make
// falls back to another one silently, which this shows.
const EXPECTED = { opengl: /GLX/, opengles2: /GLESv2/, 'software-xshm': /^no GL$/ };
for (const k of kiosks) {
  const want = EXPECTED[k.name];
  if (want && !want.test(k.stack)) console.log(`WARNING: renderer ${k.name} mapped "${k.stack}": SDL may have fallen back to another renderer.`);
}
const best = kiosks.filter((k) => versus(c.ticks, k.ticks, NEED.cpu, 1).ok && versus(c.pss, k.pss, NEED.pss, 1).ok);
console.log(`Goal (idle CPU ≥ ${NEED.cpu}× and PSS ≥ ${NEED.pss}× lighter than Chromium) met by: ${best.map((k) => k.name).join(', ') || 'no renderer'}.`);
