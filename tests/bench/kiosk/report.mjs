// Prints part 4's Markdown tables from treemon.mjs results.
//
//   node report.mjs DIR
//
// DIR holds start-{kiosk,chromium}-{fresh,kept}-N.json (start-up rounds),
// idle-kiosk.json and idle-chromium.json (the long runs) and
// kiosk-headless.txt (the kiosk's own kiosk-run line).
import { readFileSync, readdirSync } from 'node:fs';
import { NEED, goalHeader, goalRow, versus } from './goal.mjs';

const dir = process.argv[2];
const load = (f) => JSON.parse(readFileSync(`${dir}/${f}`, 'utf8'));
const rounds = (side, kind) =>
  readdirSync(dir)
    .filter((f) => f.startsWith(`start-${side}-${kind}-`) && f.endsWith('.json'))
    .map(load);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const need = (v, what) => {
  if (v === undefined || Number.isNaN(v)) throw new Error(`no ${what} measured`);
  return v;
};

const side = (name) => {
  const fresh = rounds(name, 'fresh');
  const kept = rounds(name, 'kept');
  const st = [...fresh, ...kept];
  const ff = fresh.map((r) => need(r.first_frame_ms, `first frame in a ${name} start-up round`));
  const ffKept = kept.map((r) => need(r.first_frame_ms, `first frame in a ${name} start-up round`));
  const idle = load(`idle-${name}.json`);
  return {
    ff,
    ffMedian: median(ff),
    ffKept,
    ffKeptMedian: median(ffKept),
    rss: Math.max(idle.peak_rss_kb, ...st.map((r) => r.peak_rss_kb)) / 1024,
    pss: idle.peak_pss_kb / 1024, // sampled once a second, in the long run only
    procs: Math.max(idle.peak_procs, ...st.map((r) => r.peak_procs)),
    cpu: need(idle.cpu_idle_s, `idle CPU for ${name}`),
    window: idle.idle_window_s,
    cpuProcs: `${idle.cpu_start_procs}→${idle.cpu_end_procs}`,
    fonts: st.flatMap((r) => r.fonts ?? []),
  };
};

const k = side('kiosk');
const c = side('chromium');
const f1 = (x) => x.toFixed(1);
const f2 = (x) => x.toFixed(2);
const ratio = (a, b) => (b > 0 ? `${(a / b).toFixed(3)} (1/${(b / a).toFixed(1)})` : 'n/a');
const cpuRatio = k.cpu > 0 ? ratio(k.cpu, c.cpu) : `< ${(0.01 / c.cpu).toFixed(3)} (kiosk under one 10 ms tick)`;

console.log(`| measure | lobby-kiosk | Chromium | kiosk / Chromium |`);
console.log(`| --- | ---: | ---: | ---: |`);
console.log(`| peak RSS of the process tree (sum of VmRSS), MiB | ${f1(k.rss)} | ${f1(c.rss)} | ${ratio(k.rss, c.rss)} |`);
console.log(`| peak PSS of the process tree (shared pages split; 1-s samples), MiB | ${f1(k.pss)} | ${f1(c.pss)} | ${ratio(k.pss, c.pss)} |`);
console.log(`| processes in the tree (peak) | ${k.procs} | ${c.procs} | |`);
console.log(`| exec → first frame of the notice board, fresh state dir / profile (first boot), ms, median of ${k.ff.length} | ${f1(k.ffMedian)} | ${f1(c.ffMedian)} | ${ratio(k.ffMedian, c.ffMedian)} |`);
console.log(`| exec → first frame, state dir / profile kept from an earlier run (restart), ms, median of ${k.ffKept.length} | ${f1(k.ffKeptMedian)} | ${f1(c.ffKeptMedian)} | ${ratio(k.ffKeptMedian, c.ffKeptMedian)} |`);
console.log(`| CPU over ${k.window} idle s (utime+stime, whole tree), s | ${f2(k.cpu)} | ${f2(c.cpu)} | ${cpuRatio} |`);
console.log();
console.log(`Start-up rounds, exec → first frame in ms: fresh — kiosk ${k.ff.map(f1).join(', ')}; Chromium ${c.ff.map(f1).join(', ')}. ` +
  `Kept — kiosk ${k.ffKept.map(f1).join(', ')}; Chromium ${c.ffKept.map(f1).join(', ')}.`);
console.log();
const goal = (a, b) => (a <= b / 10 ? `met (${(b / a).toFixed(1)}× lighter)` : `NOT met (only ${(b / a).toFixed(1)}×)`);
console.log(`Goal "kiosk at most a tenth of Chromium": peak RSS ${goal(k.rss, c.rss)}; start-up, first boot ${goal(k.ffMedian, c.ffMedian)}; ` +
  `start-up, restart ${goal(k.ffKeptMedian, c.ffKeptMedian)}.`);
const fontsOk = c.fonts.length > 0 && c.fonts.every((f) => f.endsWith(' loaded'));
console.log(`Chromium's fonts: ${[...new Set(c.fonts)].join('; ') || 'none reported'}${fontsOk ? '' : ' — WARNING: Noto Sans CJK SC not loaded'}.`);
let own = '';
try {
  own = readFileSync(`${dir}/kiosk-headless.txt`, 'utf8').match(/^kiosk-run .*$/m)?.[0] ?? '';
} catch {}
console.log();
console.log(`Issue 3 closing note (lobby-kiosk alone, same run): idle CPU ${f2(k.cpu)} s over ${k.window} s ` +
  `(${f2((k.cpu / k.window) * 100)} % of one core), peak RSS ${f1(k.rss)} MiB, exec → first frame ${f1(k.ffMedian)} ms (first boot) / ${f1(k.ffKeptMedian)} ms (restart), medians. ` +
  `Its own headless report: \`${own || 'missing'}\`.`);

// The goal, judged the same way as on a real X server (x11_report.mjs):
// Chromium ÷ kiosk, idle CPU ≥ 10×, PSS ≥ 8×.
const kTicks = Math.round(k.cpu * 100);
const cTicks = Math.round(c.cpu * 100);
const cpuV = versus(cTicks, kTicks, NEED.cpu, 1);
const pssV = versus(c.pss, k.pss, NEED.pss, 1);
console.log();
console.log(`Goal (same run, Chromium ÷ kiosk):`);
console.log();
goalHeader.forEach((l) => console.log(l));
console.log(goalRow(`idle CPU over ${k.window} s, ticks of 10 ms (s)`, `${kTicks} (${f2(k.cpu)})`, `${cTicks} (${f2(c.cpu)})`, cpuV, NEED.cpu));
console.log(goalRow('peak PSS of the process tree, MiB', f1(k.pss), f1(c.pss), pssV, NEED.pss));
