// Renovations (装修登记) and their workers' temporary passes (临时出入证).
// The desk registers a renovation for at most three calendar months,
// extends, finishes or cancels it, and issues each worker a pass with a
// printable card (the code and its QR).  Active renovations come ordered
// by their end: those ending within 7 days are highlighted and counted on
// the tab, expired ones are red.  A pass the kiosk refuses is an alert
// here, live (topic "renovations"), with its own mark on the tab.
'use strict';

// Dates as the site writes them, "YYYY-MM-DD", counted without clocks or
// time zones: the limits are calendar rules.
const RenoDates = {
  // The day n calendar months later; the 31st becomes the month's last
  // day (2026-11-30 + 3 → 2027-02-28), as src/common's rule has it.
  addMonths(date, n) {
    const [y, m, d] = date.split('-').map(Number);
    const months = y * 12 + (m - 1) + n;
    const year = Math.floor(months / 12), month = months % 12;
    const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
    return RenoDates.fmt(new Date(Date.UTC(year, month, Math.min(d, last))));
  },
  addDays(date, n) {
    const [y, m, d] = date.split('-').map(Number);
    return RenoDates.fmt(new Date(Date.UTC(y, m - 1, d + n)));
  },
  // Whole days from a to b (negative when b is earlier).
  between(a, b) {
    const day = s => { const [y, m, d] = s.split('-').map(Number); return Date.UTC(y, m - 1, d); };
    return Math.round((day(b) - day(a)) / 86400000);
  },
  fmt(d) {
    const p = n => String(n).padStart(2, '0');
    return d.getUTCFullYear() + '-' + p(d.getUTCMonth() + 1) + '-' + p(d.getUTCDate());
  },
  valid(s) {
    return /^\d{4}-\d{2}-\d{2}$/.test(s || '');
  },
  // The latest end a renovation (or an extension) may have.
  latestEnd(from) {
    return RenoDates.addMonths(from, 3);
  },
};

// The tab's marks: a count of active renovations ending within 7 days,
// and a "⚠ n" for kiosk refusals the desk has not yet acknowledged.
const RenovationWatch = {
  unseen: null,
  SEEN_KEY: 'lobby.reno.refusals_seen',

  // Refusals from the start of the site's day: older ones are history.
  since() {
    return UI.isoFromInput(UI.today() + 'T00:00');
  },
  seenAt() {
    return Date.parse(localStorage.getItem(this.SEEN_KEY) || '') || 0;
  },
  isNew(refusal) {
    return Date.parse(refusal.at) > this.seenAt();
  },
  acknowledge(refusals) {
    if (refusals.length) localStorage.setItem(this.SEEN_KEY, refusals[0].at);
    this.unseen = 0;
    App.setAlert('renovations', 0);
  },

  async check() {
    if (!App.office()) return;
    let ending, refusals;
    try {
      [ending, refusals] = await Api.latest(this, 'check', () => Promise.all([
        Api.get('/api/v1/renovations' + Api.query(Object.assign({status: 'active', ending_within_days: 7}, App.siteParams()))),
        Api.get('/api/v1/workers/refusals' + Api.query(Object.assign({since: this.since()}, App.siteParams())))]));
    } catch (e) { return; }
    this.count(ending.renovations, refusals.refusals);
  },

  // Sets both marks from lists the page or the check fetched; a refusal
  // newer than the last seen one beeps once.
  count(active, refusals) {
    App.setBadge('renovations', active.filter(r => r.ending_soon && !r.expired).length);
    const unseen = refusals.filter(x => this.isNew(x)).length;
    if (this.unseen !== null && unseen > this.unseen) {
      UI.beep();
      UI.toast(t('reno.alerts.new'), 'warn');
    }
    this.unseen = unseen;
    App.setAlert('renovations', unseen, t('reno.alerts'));
  },
};

Views.renovations = {
  tab: 'active',
  list: [],
  active: [],
  refusals: [],
  openNumber: null,

  render(container, args) {
    this.tab = args[0] === 'all' ? 'all' : 'active';
    const tab = (id, href) => UI.el('a.tab' + (this.tab === id ? '.active' : ''), {href, 'data-tab': id, text: t('reno.tab.' + id)});
    const head = UI.el('div.page-head', null, UI.el('h1', {text: t('reno.title')}),
      UI.el('div.tabs', null, tab('active', '#/renovations'), tab('all', '#/renovations/all')),
      UI.el('div.spacer'),
      UI.button(t('reno.new'), () => this.create(), 'primary'));
    this.counts = UI.el('div.stats.reno-stats');
    this.alerts = UI.el('section.card.reno-alerts', {'aria-live': 'polite'});
    this.tableBox = UI.el('div.card.flush');
    this.drawer = UI.el('aside.drawer', {id: 'drawer', hidden: true});
    UI.append(container, [head, this.counts, this.alerts, this.tableBox, this.drawer]);
    this.openNumber = null;
    this.load();
  },

  onEvents(topics) {
    if (!topics.includes('renovations')) return;
    this.load();
    if (this.openNumber) this.show(this.openNumber, true);
  },

  async load() {
    const get = params => Api.get('/api/v1/renovations' + Api.query(Object.assign(params, App.siteParams())));
    let active, listed, refusals;
    try {
      [active, listed, refusals] = await Api.latest(this, 'load', () => Promise.all([
        get({status: 'active'}), this.tab === 'all' ? get({}) : null,
        Api.get('/api/v1/workers/refusals' + Api.query(Object.assign({since: RenovationWatch.since()}, App.siteParams())))]));
    } catch (e) {
      if (e !== Api.STALE) UI.toast(e.message, 'error');
      return;
    }
    this.active = active.renovations;
    this.refusals = refusals.refusals;
    this.list = this.tab === 'all' ? listed.renovations : this.active;
    RenovationWatch.count(this.active, this.refusals);
    this.renderCounts();
    this.renderAlerts();
    this.renderTable();
  },

  renderCounts() {
    const a = this.active;
    const card = (key, value, cls) => UI.el('div.stat.static' + (cls && value ? '.' + cls : ''), {'data-count': key},
      UI.el('span.stat-value', {text: String(value)}), UI.el('span.stat-label', {text: t(key)}));
    UI.replace(this.counts,
      card('reno.count.active', a.length, 'accent'),
      card('reno.count.ending', a.filter(r => r.ending_soon && !r.expired).length, 'warn'),
      card('reno.count.expired', a.filter(r => r.expired).length, 'danger'),
      card('reno.count.on_site', a.reduce((n, r) => n + (r.workers_on_site || 0), 0)));
  },

  // Today's refusals at the kiosks, newest first; the ones the desk has
  // not acknowledged are marked until 知道了.
  renderAlerts() {
    const list = this.refusals;
    const unseen = list.filter(x => RenovationWatch.isNew(x)).length;
    UI.replace(this.alerts,
      UI.el('header.reno-alerts-head', null,
        UI.el('h2', {text: t('reno.alerts')}),
        unseen ? UI.el('span.alert-count', {text: String(unseen)}) : null,
        UI.el('span.spacer'),
        unseen ? UI.button(t('reno.alerts.ack'), () => { RenovationWatch.acknowledge(list); this.renderAlerts(); }, 'small') : null),
      list.length
        ? UI.el('ul.refusals', null, list.map(x => this.refusalItem(x)))
        : UI.el('p.muted.reno-alerts-empty', {text: t('reno.alerts.empty')}));
  },

  refusalItem(x) {
    const w = x.worker || {};
    return UI.el('li.refusal' + (RenovationWatch.isNew(x) ? '.new' : ''), {'data-worker': w.id},
      UI.el('span.refusal-time', {text: UI.fmtTime(x.at)}),
      UI.chip(this.refusalReason(x.reason), 'zr-refused'),
      UI.el('strong', {text: w.name || '—'}),
      w.phone ? UI.el('span.mono.muted', {text: maskPhone(w.phone)}) : null,
      UI.el('span', {text: [x.company, App.unitText(x.unit)].filter(Boolean).join(' · ')}),
      x.kiosk ? UI.el('span.muted', {text: t('reno.alert.kiosk', {k: x.kiosk})}) : null,
      x.renovation ? UI.el('button.link-btn.mono', {type: 'button', text: x.renovation, onclick: () => this.show(x.renovation)}) : null);
  },

  // The reason in the desk's words; an unknown code as the server sent it.
  refusalReason(code) {
    const label = t('zrefusal.' + code);
    return label === 'zrefusal.' + code ? code : label;
  },

  // "剩 3 天", "今天到期", "已过期 2 天": how long an active one has.
  left(r) {
    if (r.status !== 'active') return UI.el('span.muted', {text: '—'});
    const n = RenoDates.between(UI.today(), r.end);
    if (n < 0) return UI.el('span.reno-left.over', {text: t('reno.left.over', {n: -n})});
    if (n === 0) return UI.el('span.reno-left.soon', {text: t('reno.left.today')});
    return UI.el('span.reno-left' + (r.ending_soon ? '.soon' : ''), {text: t('reno.left.days', {n})});
  },

  chip(r) {
    const s = r.status === 'active' && r.expired ? 'expired' : r.status === 'active' && r.ending_soon ? 'ending_soon' : r.status;
    return UI.chip(t('zstatus.' + s), 'zs-' + s);
  },

  period(r) {
    return r.start + ' ~ ' + r.end;
  },

  renderTable() {
    const cols = [
      {label: t('reno.col.number'), cell: r => UI.el('span.mono', {text: r.number})},
      ...App.siteColumn(),
      {label: t('reno.col.unit'), cell: r => App.unitText(r.unit)},
      {label: t('reno.col.company'), cls: 'wrap', cell: r => r.company},
      {label: t('reno.col.manager'), cell: r => [UI.el('div', {text: r.manager}), UI.el('div.mono.muted', {text: maskPhone(r.manager_phone)})]},
      {label: t('reno.col.works'), cls: 'wrap', cell: r => r.works ? UI.el('span.clamp', {text: r.works, title: r.works}) : UI.el('span.muted', {text: '—'})},
      {label: t('reno.col.period'), cell: r => UI.el('span.mono', {text: this.period(r)})},
      {label: t('reno.col.left'), cell: r => this.left(r)},
      {label: t('reno.col.workers'), cell: r => t('reno.workers.count', {a: r.workers_active || 0, n: r.workers_on_site || 0})},
      {label: t('reno.col.status'), cell: r => this.chip(r)},
    ];
    const cls = r => 'clickable' + (r.status === 'active' && r.expired ? ' expired' : r.status === 'active' && r.ending_soon ? ' ending-soon' : '') +
      (r.status !== 'active' ? ' dim' : '');
    UI.replace(this.tableBox, UI.table(cols, this.list, {cls: 'renovations',
      empty: t(this.tab === 'all' ? 'common.empty' : 'reno.empty.active'),
      rowAttrs: r => ({'data-number': r.number, class: cls(r), tabindex: 0,
                       onclick: () => this.show(r.number), onkeydown: e => { if (e.key === 'Enter') this.show(r.number); }})}));
  },

  async show(number, quiet) {
    let r;
    try {
      r = await Api.latest(this, 'show', () => Api.get('/api/v1/renovations/' + encodeURIComponent(number)));
    } catch (e) {
      if (e !== Api.STALE && !quiet) UI.toast(e.message, 'error');
      return;
    }
    this.openNumber = number;
    this.record = r;
    const d = this.drawer;
    d.hidden = false;
    const info = (k, v) => [UI.el('dt', {text: t(k)}), UI.el('dd', null, v === null || v === undefined || v === '' ? '—' : v)];
    const workers = r.workers || [];
    UI.replace(d,
      UI.el('header.drawer-head', null, UI.el('div', null, UI.el('h2.mono', {text: r.number}), this.chip(r)),
        UI.el('button.icon-btn', {type: 'button', 'aria-label': t('common.close'), text: '×',
          onclick: () => { d.hidden = true; this.openNumber = null; }})),
      UI.el('div.drawer-actions', null, this.actions(r).map(([act, cls]) =>
        UI.button(t('reno.act.' + act), () => this[act](r), (cls + ' act-' + act).trim()))),
      UI.el('dl.facts', null,
        App.sites.length > 1 ? info('site.col', App.siteName(r.site)) : null,
        info('reno.col.unit', App.unitText(r.unit)),
        info('reno.col.company', r.company),
        info('reno.col.manager', [r.manager, ' ', UI.el('a', {href: 'tel:' + r.manager_phone, text: r.manager_phone})]),
        info('reno.col.works', r.works ? UI.el('span.pre', {text: r.works}) : null),
        info('reno.col.period', [UI.el('span.mono', {text: this.period(r)}), ' ', this.left(r)]),
        info('reno.col.created', UI.fmtTime(r.created_at, true))),
      UI.el('h3', {text: t('reno.workers') + ' (' + workers.length + ')'}),
      workers.length ? UI.el('ul.workers', null, workers.map(w => this.workerItem(r, w)))
                     : UI.el('p.muted', {text: t('reno.workers.empty')}),
      UI.el('h3', {text: t('reno.timeline')}),
      UI.el('ol.timeline', null, (r.events || []).map(ev => UI.el('li', {'data-event': ev.event},
        UI.el('div.tl-head', null, UI.el('strong', {text: t('zevent.' + ev.event)}),
              UI.el('span.muted', {text: UI.fmtTime(ev.at, true)})),
        UI.el('div.tl-by', {text: App.eventWho(ev)}),
        ev.old_end || ev.new_end ? UI.el('div.tl-note.mono', {text: t('reno.ev.extend', {a: ev.old_end || '', b: ev.new_end || ''})}) : null,
        ev.reason ? UI.el('div.tl-note', {text: ev.reason}) : null,
        ev.note ? UI.el('div.tl-note', {text: ev.note}) : null))));
  },

  // What the desk may do with an active renovation: an expired one can
  // still be extended, finished or cancelled, but takes no new passes.
  actions(r) {
    if (r.status !== 'active') return [];
    return [r.expired ? null : ['issue', 'primary'], ['extend', ''], ['finish', ''], ['cancel', 'danger-ghost']].filter(Boolean);
  },

  workerStatus(w) {
    return w.status === 'revoked' ? 'revoked' : w.expired ? 'expired' : 'active';
  },

  workerItem(r, w) {
    const s = this.workerStatus(w);
    const usable = r.status === 'active' && !r.expired;
    return UI.el('li.worker', {'data-worker': w.id},
      UI.el('div.worker-head', null,
        UI.el('strong', {text: w.name}),
        UI.el('a.mono', {href: 'tel:' + w.phone, text: w.phone}),
        UI.chip(t('wstatus.' + s), 'ws-' + s),
        w.on_site ? UI.chip(t('reno.worker.on_site'), 'ok') : null),
      UI.el('div.worker-line', null,
        UI.el('span.field-label', {text: t('reno.worker.code')}), UI.el('span.pass-code', {text: w.pass_code}),
        UI.el('span.field-label', {text: t('reno.worker.valid_until')}), UI.el('span.mono', {text: w.valid_until})),
      UI.el('div.worker-line.muted', {text: t('reno.worker.last', {i: w.last_in ? UI.fmtTime(w.last_in, true) : '—',
                                                                  o: w.last_out ? UI.fmtTime(w.last_out, true) : '—'})}),
      w.reason ? UI.el('div.tl-note', {text: w.reason}) : null,
      UI.el('div.worker-actions', null,
        s === 'active' ? UI.button(t('reno.worker.card'), () => this.card(r, w), 'small act-card') : null,
        w.status === 'active' && usable ? UI.button(t('reno.worker.renew'), () => this.renew(r, w), 'small act-renew') : null,
        w.status === 'active' ? UI.button(t('reno.worker.revoke'), () => this.revoke(r, w), 'small danger-ghost act-revoke') : null));
  },

  // A date input; the browser's picker keeps to min and max, and the
  // dialogs check again before sending (a typed date ignores them).
  dateInput(name, value, min, max) {
    return UI.input({type: 'date', name, value: value || '', min: min || undefined, max: max || undefined});
  },

  refresh(number) {
    this.load();
    if (this.openNumber === number) this.show(number, true);
    RenovationWatch.check();
  },

  // A renovation for a unit of the directory: the end is held to three
  // calendar months after the start here, before anything is sent.
  create() {
    const where = App.unitPicker();
    const company = UI.input({maxlength: 64, name: 'company'});
    const manager = UI.input({maxlength: 32, name: 'manager'});
    const phone = UI.input({type: 'tel', maxlength: 20, name: 'manager_phone'});
    const works = UI.el('textarea', {rows: 2, maxlength: 200, name: 'works', placeholder: t('reno.form.works_hint')});
    const start = this.dateInput('start', UI.today());
    const end = this.dateInput('end', '', UI.today(), RenoDates.latestEnd(UI.today()));
    const latest = UI.el('span.field-hint.reno-latest');
    const limits = () => {
      if (!RenoDates.valid(start.value)) return;
      end.min = start.value;
      end.max = RenoDates.latestEnd(start.value);
      latest.textContent = t('reno.latest', {d: end.max});
    };
    start.addEventListener('change', limits);
    start.addEventListener('input', limits);
    limits();
    UI.dialog({title: t('reno.new'), wide: true, body: UI.el('div.form', null,
      where.fields,
      UI.el('div.grid3', null, UI.field(t('reno.col.company'), company), UI.field(t('reno.col.manager'), manager),
            UI.field(t('reno.col.manager_phone'), phone)),
      UI.field(t('reno.col.works'), works),
      UI.el('div.grid2', null, UI.field(t('reno.col.start'), start),
            UI.el('label.field', null, UI.el('span.field-label', {text: t('reno.col.end')}), end, latest)),
      UI.el('p.field-hint', {text: t('reno.form.hint')})),
      onOk: async () => {
        if (!where.value()) throw new Error(t('reno.form.unit_needed'));
        if (!RenoDates.valid(start.value) || !RenoDates.valid(end.value)) throw new Error(t('reno.form.dates_needed'));
        if (end.value < start.value) throw new Error(t('reno.form.end_before_start'));
        const max = RenoDates.latestEnd(start.value);
        if (end.value > max) {
          end.focus();
          throw new Error(t('reno.form.end_too_late', {s: start.value, d: max}));
        }
        const body = {unit: where.value(), company: company.value.trim(), manager: manager.value.trim(),
                      manager_phone: phone.value.trim(), start: start.value, end: end.value};
        if (works.value.trim()) body.works = works.value.trim();
        const r = await Api.post('/api/v1/renovations', body, {idempotent: true});
        UI.toast(t('reno.created', {n: r.number}), 'ok');
        this.refresh(r.number);
        return r;
      }});
  },

  // A later end, at most three months after the current one, and why.
  async extend(r) {
    const max = RenoDates.latestEnd(r.end);
    const end = this.dateInput('end', '', RenoDates.addDays(r.end, 1), max);
    const reason = UI.el('textarea', {rows: 2, maxlength: 200, name: 'reason', required: true});
    const ok = await UI.dialog({title: t('reno.act.extend') + ' · ' + r.number, ok: t('reno.act.extend'), body: UI.el('div.form', null,
      UI.el('dl.facts', null, UI.el('dt', {text: t('reno.extend.current')}), UI.el('dd.mono', {text: r.end})),
      UI.field(t('reno.extend.new'), end, t('reno.latest', {d: max})),
      UI.field(t('reno.reason'), reason, t('reno.extend.hint'))),
      onOk: () => {
        if (!RenoDates.valid(end.value)) throw new Error(t('reno.extend.needed'));
        if (end.value <= r.end) throw new Error(t('reno.extend.not_later', {d: r.end}));
        if (end.value > max) throw new Error(t('reno.extend.too_late', {d: max}));
        if (!reason.value.trim()) throw new Error(t('reno.reason.needed'));
        return Api.post('/api/v1/renovations/' + encodeURIComponent(r.number) + '/events',
                         {event: 'extend', end: end.value, reason: reason.value.trim()});
      }});
    if (!ok) return;
    UI.toast(t('reno.extended', {d: ok.end}), 'ok');
    this.refresh(r.number);
  },

  finish(r) {
    return this.close(r, 'finish');
  },
  cancel(r) {
    return this.close(r, 'cancel');
  },

  // Finishing (a note if any) or cancelling (a reason) revokes every pass.
  async close(r, event) {
    const live = (r.workers || []).filter(w => w.status === 'active').length;
    const text = UI.el('textarea', {rows: 2, maxlength: 200, name: event === 'cancel' ? 'reason' : 'note'});
    const ok = await UI.dialog({title: t('reno.act.' + event) + ' · ' + r.number, ok: t('reno.act.' + event),
      okClass: event === 'cancel' ? 'danger' : 'primary', body: UI.el('div.form', null,
        UI.el('p', {text: t('reno.' + event + '.confirm', {n: live})}),
        UI.field(t(event === 'cancel' ? 'reno.reason' : 'reno.note'), text)),
      onOk: () => {
        const body = {event};
        if (event === 'cancel') {
          if (!text.value.trim()) throw new Error(t('reno.reason.needed'));
          body.reason = text.value.trim();
        } else if (text.value.trim()) body.note = text.value.trim();
        return Api.post('/api/v1/renovations/' + encodeURIComponent(r.number) + '/events', body);
      }});
    if (!ok) return;
    UI.toast(t('zstatus.' + ok.status) + ' · ' + r.number, 'ok');
    this.refresh(r.number);
  },

  // A worker's pass: valid until the renovation's end unless shorter.
  async issue(r) {
    const name = UI.input({maxlength: 32, name: 'name'});
    const phone = UI.input({type: 'tel', maxlength: 20, name: 'phone'});
    const until = this.dateInput('valid_until', r.end, UI.today(), r.end);
    const w = await UI.dialog({title: t('reno.issue.title') + ' · ' + r.number, ok: t('reno.act.issue'), body: UI.el('div.form', null,
      UI.el('div.grid2', null, UI.field(t('reno.worker.name'), name), UI.field(t('reno.worker.phone'), phone)),
      UI.field(t('reno.worker.valid_until'), until, t('reno.issue.hint', {d: r.end}))),
      onOk: () => {
        if (!name.value.trim()) throw new Error(t('reno.issue.name_needed'));
        if (!phone.value.trim()) throw new Error(t('reno.issue.phone_needed'));
        this.checkUntil(until.value, r.end);
        return Api.post('/api/v1/renovations/' + encodeURIComponent(r.number) + '/workers',
                         {name: name.value.trim(), phone: phone.value.trim(), valid_until: until.value}, {idempotent: true});
      }});
    if (!w) return;
    UI.toast(t('reno.issued', {c: w.pass_code}), 'ok');
    this.refresh(r.number);
    this.card(r, w);
  },

  checkUntil(value, end) {
    if (!RenoDates.valid(value)) throw new Error(t('reno.issue.until_needed'));
    if (value < UI.today()) throw new Error(t('reno.issue.past'));
    if (value > end) throw new Error(t('reno.issue.too_late', {d: end}));
  },

  async renew(r, w) {
    const until = this.dateInput('valid_until', r.end, UI.today(), r.end);
    const ok = await UI.dialog({title: t('reno.worker.renew') + ' · ' + w.name, ok: t('reno.worker.renew'), body: UI.el('div.form', null,
      UI.el('dl.facts', null, UI.el('dt', {text: t('reno.worker.valid_until')}), UI.el('dd.mono', {text: w.valid_until})),
      UI.field(t('reno.renew.new'), until, t('reno.issue.hint', {d: r.end}))),
      onOk: () => {
        this.checkUntil(until.value, r.end);
        return Api.post('/api/v1/workers/' + w.id + '/renew', {valid_until: until.value});
      }});
    if (!ok) return;
    UI.toast(t('reno.renewed', {d: ok.valid_until}), 'ok');
    this.refresh(r.number);
  },

  async revoke(r, w) {
    const reason = UI.el('textarea', {rows: 2, maxlength: 200, name: 'reason', required: true});
    const ok = await UI.dialog({title: t('reno.worker.revoke') + ' · ' + w.name, ok: t('reno.worker.revoke'), okClass: 'danger',
      body: UI.el('div.form', null, UI.el('p', {text: t('reno.revoke.confirm', {n: w.name})}), UI.field(t('reno.reason'), reason)),
      onOk: () => {
        if (!reason.value.trim()) throw new Error(t('reno.reason.needed'));
        return Api.post('/api/v1/workers/' + w.id + '/revoke', {reason: reason.value.trim()});
      }});
    if (!ok) return;
    UI.toast(t('reno.revoked', {n: w.name}), 'ok');
    this.refresh(r.number);
  },

  // The printable 临时出入证, previewed in a dialog; 打印 prints that card
  // alone on an A6 page (console.css, "print: the pass card").
  card(r, w) {
    const card = PassCard.make(r, w);
    UI.dialog({title: t('reno.card.title') + ' · ' + w.name, ok: t('common.print'), body: UI.el('div.pass-preview', null, card),
      onOk: () => { PassCard.print(card); return undefined; }}).then(() => PassCard.clear());
  },
};

// The card itself: bilingual whatever the console's language, for the
// worker carries it and the guard reads it.
const PassCard = {
  make(r, w) {
    const site = App.sites.find(s => s.code === r.site);
    const row = (label, value, cls) => UI.el('div.pc-row', null, UI.el('span.pc-label', {text: label}),
                                             UI.el('span.pc-value' + (cls ? '.' + cls : ''), {text: value}));
    return UI.el('article.pass-card', {'data-code': w.pass_code},
      UI.el('header.pc-head', null,
        UI.el('div.pc-title', {text: t('pass.title')}), UI.el('div.pc-title-en', {text: t('pass.title_en')}),
        site && site.name ? UI.el('div.pc-site', {text: site.name}) : null),
      UI.el('div.pc-body', null,
        row(t('pass.name'), w.name, 'pc-name'),
        row(t('pass.company'), r.company),
        row(t('pass.unit'), App.unitText(r.unit)),
        row(t('pass.valid_until'), w.valid_until, 'pc-until')),
      UI.el('div.pc-code-box', null,
        UI.el('img.pc-qr', {src: '/api/v1/qr.svg?text=' + encodeURIComponent(w.pass_code), alt: t('pass.qr_alt', {c: w.pass_code}),
                            width: 160, height: 160}),
        UI.el('div.pc-code-side', null, UI.el('span.pc-label', {text: t('pass.code')}),
              UI.el('div.pc-code', {text: w.pass_code}))),
      UI.el('footer.pc-foot', null,
        UI.el('div', {text: t('pass.rules')}),
        site && site.service_phone ? UI.el('div.pc-phone', {text: t('pass.phone', {p: site.service_phone})}) : null));
  },

  // A copy of the card outside the dialog, the only thing printed while
  // <body> has .print-card, on an A6 page: the @page rule is added to the
  // console's own sheet for this print only (the evacuation list prints
  // on the printer's paper), through the CSSOM, which the page's CSP
  // allows where an inline <style> would be refused.
  print(card) {
    let area = document.getElementById('print-area');
    if (!area) area = document.body.appendChild(UI.el('div.print-area', {id: 'print-area'}));
    UI.replace(area, card.cloneNode(true));
    document.body.classList.add('print-card');
    PassCard.pageRule(true);
    window.addEventListener('afterprint', () => PassCard.clear(), {once: true});
    window.print();
  },
  clear() {
    document.body.classList.remove('print-card');
    PassCard.pageRule(false);
    const area = document.getElementById('print-area');
    if (area) area.remove();
  },
  pageRule(on) {
    const sheet = [...document.styleSheets].find(s => /console\.css$/.test(s.href || ''));
    if (!sheet) return;
    // A6 as its size: Chromium knows no "A6" keyword.
    const at = [...sheet.cssRules].findIndex(r => r instanceof CSSPageRule && r.style.getPropertyValue('size') === '105mm 148mm');
    if (on && at < 0) sheet.insertRule('@page { size: 105mm 148mm; margin: 0; }', sheet.cssRules.length);
    if (!on && at >= 0) sheet.deleteRule(at);
  },
};
