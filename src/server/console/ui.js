// DOM helpers.  Every piece of data reaches the page through textContent
// or attribute setters, never through innerHTML.
'use strict';

const UI = {
  // el('div.card', {onclick: f, title: 'x'}, child, 'text', ...)
  el(spec, attrs, ...children) {
    const [tag, ...classes] = spec.split('.');
    const node = document.createElement(tag || 'div');
    if (classes.length) node.className = classes.join(' ');
    if (attrs) {
      for (const [k, v] of Object.entries(attrs)) {
        if (v === undefined || v === null || v === false) continue;
        if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
        else if (k === 'text') node.textContent = v;
        else if (k === 'value') node.value = v;
        else if (k === 'checked') node.checked = !!v;
        else if (k === 'dataset') Object.assign(node.dataset, v);
        else node.setAttribute(k, v === true ? '' : String(v));
      }
    }
    UI.append(node, children);
    return node;
  },
  append(node, children) {
    for (const c of children.flat(3)) {
      if (c === null || c === undefined || c === false) continue;
      node.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return node;
  },
  clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
    return node;
  },
  replace(node, ...children) {
    UI.clear(node);
    return UI.append(node, children);
  },
  button(label, onclick, cls) {
    return UI.el('button.btn' + (cls ? '.' + cls.split(' ').join('.') : ''), {type: 'button', onclick}, label);
  },
  field(label, input, hint) {
    return UI.el('label.field', null, UI.el('span.field-label', {text: label}), input,
                 hint ? UI.el('span.field-hint', {text: hint}) : null);
  },
  input(attrs) {
    return UI.el('input', Object.assign({type: 'text'}, attrs));
  },
  select(options, value, attrs) {
    const s = UI.el('select', attrs);
    for (const [v, label] of options) s.appendChild(UI.el('option', {value: v, text: label}));
    if (value !== undefined && value !== null) s.value = value;
    return s;
  },
  chip(text, cls) {
    return UI.el('span.chip' + (cls ? '.' + cls : ''), {text});
  },
  table(columns, rows, opts) {
    opts = opts || {};
    const head = UI.el('thead', null, UI.el('tr', null,
      columns.map(c => UI.el('th' + (c.cls ? '.' + c.cls : ''), {text: c.label}))));
    const body = UI.el('tbody');
    if (!rows.length) {
      body.appendChild(UI.el('tr.empty', null, UI.el('td', {colspan: columns.length, text: opts.empty || t('common.empty')})));
    }
    for (const row of rows) {
      const tr = UI.el('tr', opts.rowAttrs ? opts.rowAttrs(row) : null,
        columns.map(c => UI.el('td' + (c.cls ? '.' + c.cls : ''), {'data-label': c.label}, c.cell(row))));
      body.appendChild(tr);
    }
    return UI.el('div.table-wrap', null, UI.el('table.table' + (opts.cls ? '.' + opts.cls : ''), null, head, body));
  },

  toast(message, kind) {
    const box = document.getElementById('toasts');
    const n = UI.el('div.toast' + (kind ? '.' + kind : ''), {role: 'status', text: message});
    box.appendChild(n);
    setTimeout(() => n.remove(), 4000);
  },

  // A modal dialog; resolves with the value returned by onOk, or null.
  dialog({title, body, ok, okClass, onOk, wide}) {
    return new Promise(resolve => {
      const dlg = UI.el('dialog.modal' + (wide ? '.wide' : ''));
      const error = UI.el('p.form-error', {role: 'alert'});
      const close = value => { dlg.close(); dlg.remove(); resolve(value); };
      const okBtn = ok === null ? null : UI.button(ok || t('common.confirm'), async () => {
        okBtn.disabled = true;
        try {
          const v = onOk ? await onOk() : true;
          if (v !== undefined) close(v);
        } catch (e) {
          error.textContent = e.message;
        } finally {
          okBtn.disabled = false;
        }
      }, okClass || 'primary');
      UI.append(dlg, [
        UI.el('header.modal-head', null, UI.el('h2', {text: title}),
              UI.el('button.icon-btn', {type: 'button', 'aria-label': t('common.close'), onclick: () => close(null), text: '×'})),
        UI.el('div.modal-body', null, body, error),
        UI.el('footer.modal-foot', null, UI.button(ok === null ? t('common.close') : t('common.cancel'), () => close(null)), okBtn),
      ]);
      dlg.addEventListener('cancel', e => { e.preventDefault(); close(null); });
      document.body.appendChild(dlg);
      dlg.showModal();
      const first = dlg.querySelector('input, select, textarea');
      if (first) first.focus();
    });
  },
  // Fills nav with 第 1–50 条，共 517 条 and the pages either side; empty
  // when one page holds everything.  go(page) shows another page.
  pager(nav, {page, size, total, shown, go}) {
    const pages = Math.max(1, Math.ceil(total / size));
    if (total <= size && page === 0) return UI.replace(nav);
    const prev = UI.button(t('pager.prev'), () => go(page - 1), 'ghost');
    const next = UI.button(t('pager.next'), () => go(page + 1), 'ghost');
    prev.disabled = page === 0;
    next.disabled = page + 1 >= pages;
    prev.name = 'prev';
    next.name = 'next';
    const first = page * size + 1;
    UI.replace(nav, prev, UI.el('span.pager-where', {'aria-live': 'polite',
      text: t('pager.where', {from: first, to: first + shown - 1, total, page: page + 1, pages})}), next);
  },
  confirm(message, okLabel, okClass) {
    return UI.dialog({title: t('common.confirm'), body: UI.el('p', {text: message}), ok: okLabel, okClass});
  },

  // Times: the API speaks ISO with the site's offset.
  parseTime(iso) { return iso ? new Date(iso) : null; },
  fmtTime(iso, withDate) {
    const d = UI.parseTime(iso);
    if (!d) return '—';
    const p = n => String(n).padStart(2, '0');
    const hm = p(d.getHours()) + ':' + p(d.getMinutes());
    if (withDate === false) return hm;
    const today = new Date();
    if (d.toDateString() === today.toDateString() && withDate !== true) return hm;
    return (d.getMonth() + 1) + '/' + d.getDate() + ' ' + hm;
  },
  fmtDuration(ms) {
    const m = Math.floor(Math.abs(ms) / 60000);
    if (I18n.lang === 'zh') {
      if (m < 60) return m + '分';
      if (m < 1440) return Math.floor(m / 60) + '小时' + (m % 60 ? (m % 60) + '分' : '');
      return Math.floor(m / 1440) + '天' + Math.floor((m % 1440) / 60) + '小时';
    }
    if (m < 60) return m + 'm';
    if (m < 1440) return Math.floor(m / 60) + 'h ' + (m % 60) + 'm';
    return Math.floor(m / 1440) + 'd ' + Math.floor((m % 1440) / 60) + 'h';
  },
  // "2026-11-26T10:00" for <input type=datetime-local> from an ISO time.
  localInput(date) {
    const p = n => String(n).padStart(2, '0');
    return date.getFullYear() + '-' + p(date.getMonth() + 1) + '-' + p(date.getDate()) + 'T' +
           p(date.getHours()) + ':' + p(date.getMinutes());
  },
  // The reverse, as ISO with the browser's offset (the server accepts any).
  isoFromInput(value) {
    if (!value) return null;
    const d = new Date(value);
    const off = -d.getTimezoneOffset(), a = Math.abs(off), p = n => String(n).padStart(2, '0');
    return value.length === 16 ? value + ':00' + (off >= 0 ? '+' : '-') + p(Math.floor(a / 60)) + ':' + p(a % 60) : value;
  },
  // rows (arrays of cells) as a CSV file Excel opens: a byte-order mark,
  // CRLF, every cell quoted, and a cell that starts like a formula
  // (= + - @, tab, CR) made text with a leading quote, as lobbyd's csv.c.
  downloadCsv(filename, rows) {
    const cell = v => {
      let s = String(v === undefined || v === null ? '' : v);
      if (/^[=+\-@\t\r]/.test(s)) s = "'" + s;
      return '"' + s.replace(/"/g, '""') + '"';
    };
    const csv = '\ufeff' + rows.map(r => r.map(cell).join(',')).join('\r\n') + '\r\n';
    const a = UI.el('a', {href: URL.createObjectURL(new Blob([csv], {type: 'text/csv;charset=utf-8'})), download: filename});
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10000);
  },
  // The day after a "2026-12-03" date, as a date: an exclusive end.
  nextDay(date) {
    const d = new Date(date + 'T00:00:00');
    d.setDate(d.getDate() + 1);
    const p = n => String(n).padStart(2, '0');
    return d.getFullYear() + '-' + p(d.getMonth() + 1) + '-' + p(d.getDate());
  },
  today() {
    const d = new Date(), p = n => String(n).padStart(2, '0');
    return d.getFullYear() + '-' + p(d.getMonth() + 1) + '-' + p(d.getDate());
  },

  // A short beep made with WebAudio: no audio file needed.
  beep() {
    try {
      const Ctx = window.AudioContext || window.webkitAudioContext;
      UI.audio = UI.audio || new Ctx();
      const ctx = UI.audio, now = ctx.currentTime;
      for (const [at, freq] of [[0, 880], [0.18, 1175]]) {
        const osc = ctx.createOscillator(), gain = ctx.createGain();
        osc.type = 'sine';
        osc.frequency.value = freq;
        gain.gain.setValueAtTime(0.0001, now + at);
        gain.gain.exponentialRampToValueAtTime(0.25, now + at + 0.02);
        gain.gain.exponentialRampToValueAtTime(0.0001, now + at + 0.16);
        osc.connect(gain).connect(ctx.destination);
        osc.start(now + at);
        osc.stop(now + at + 0.17);
      }
    } catch (e) { /* no audio device: the visual cue remains */ }
  },
};
