// The kiosk's goal against Chromium, shared by report.mjs (offscreen) and
// x11_report.mjs (a real X server): how many times lighter the kiosk is
// (Chromium ÷ kiosk) and whether that meets the goal.
//
// The goal: idle CPU at most 1/10 of Chromium's, PSS at most 1/8.

export const NEED = { cpu: 10, pss: 8 };

// Chromium ÷ kiosk with its verdict.  A kiosk that measured 0 (under one
// clock tick of CPU) is at least chromium ÷ one tick lighter: that lower
// bound is what is judged.
export function versus(chromium, kiosk, need, tick) {
  if (kiosk > 0) {
    const r = chromium / kiosk;
    return { ratio: r, text: `${r.toFixed(1)}×`, ok: r >= need };
  }
  const r = chromium / tick;
  return { ratio: r, text: `≥ ${r.toFixed(1)}× (kiosk under one tick)`, ok: r >= need };
}

export const mark = (v) => (v.ok ? 'ok' : 'MISS');

// One Markdown row: measure, kiosk, Chromium, Chromium ÷ kiosk, the goal, ok/MISS.
export function goalRow(what, kiosk, chromium, v, need) {
  return `| ${what} | ${kiosk} | ${chromium} | ${v.text} | ≥ ${need}× | ${mark(v)} |`;
}

export const goalHeader = ['| measure | lobby-kiosk | Chromium | Chromium ÷ kiosk | goal | verdict |', '| --- | ---: | ---: | ---: | ---: | --- |'];
