// Return visits (回访): the desk's call list of completed repairs and
// replied complaints nobody has visited back for N days, the follow-ups
// that unhappy residents opened, and the month's satisfaction by category
// and by technician.  Residents rate at the kiosk themselves; this page is
// for the rest, so that 回访率 reaches 100 %.
'use strict';

// A repair's return visit is scored 1–5; the desk asks the same three
// questions as the kiosk, scored as lobby_complaint.c scores them.
const ReturnScore = {satisfied: 5, basically_satisfied: 3, unsatisfied: 1};

// The tab's badge: follow-ups opened by unhappy residents, which the desk
// must act on, refreshed on the "repairs" and "complaints" topics.
const ReturnWatch = {
  async check() {
    if (!App.office()) return;
    let repairs, complaints;
    try {
      [repairs, complaints] = await Api.latest(this, 'check', () => Promise.all([
        Api.get('/api/v1/repairs' + Api.query(Object.assign({follow_up: 1}, App.siteParams()))),
        Api.get('/api/v1/complaints' + Api.query(Object.assign({status: 'follow_up'}, App.siteParams())))]));
    } catch (e) { return; }
    const n = repairs.repairs.length + complaints.complaints.length;
    App.setBadge('returns', n);
  },
};

Views.returns = {
  tab: 'queue',
  days: 2,

  render(container, args) {
    this.tab = ['follow_up', 'satisfaction'].includes(args[0]) ? args[0] : 'queue';
    const tab = (id, href) => UI.el('a.tab' + (this.tab === id ? '.active' : ''), {href, text: t('returns.tab.' + id)});
    const head = UI.el('div.page-head', null, UI.el('h1', {text: t('returns.title')}),
      UI.el('div.tabs', null, tab('queue', '#/returns'), tab('follow_up', '#/returns/follow_up'),
            tab('satisfaction', '#/returns/satisfaction')));
    this.body = UI.el('div');
    UI.append(container, [head, this.body]);
    this.load();
  },

  onEvents(topics) {
    if (topics.includes('repairs') || topics.includes('complaints')) this.load();
  },

  load() {
    if (this.tab === 'satisfaction') return this.renderSatisfaction();
    return this.tab === 'follow_up' ? this.loadFollowUps() : this.loadQueue();
  },

  // One row for a repair or a complaint, so both lists share columns.
  fromRepair(r) {
    return {type: 'repair', number: r.ticket, site: r.site, unit: r.unit, name: r.name, phone: r.phone,
            what: t('rcat.' + r.category), description: r.description, who: r.technician,
            since: r.follow_up_at || r.updated_at, satisfaction: r.satisfaction, raw: r};
  },
  fromComplaint(c) {
    return {type: 'complaint', number: c.number, site: c.site, unit: c.unit, name: c.name, phone: c.phone,
            what: t('ckind.' + c.kind) + ' · ' + t('ccat.' + c.category), description: c.reply || c.description,
            who: c.responsible, since: c.status === 'replied' ? c.replied_at || c.updated_at : c.updated_at,
            satisfaction: c.satisfaction, raw: c};
  },

  // Longest waiting first.
  oldestFirst(rows) {
    return rows.sort((a, b) => String(a.since).localeCompare(String(b.since)));
  },

  async loadQueue() {
    const days = this.days ? {waiting_days: this.days} : {};
    let repairs, complaints, rates;
    try {
      [repairs, complaints, rates] = await Api.latest(this, 'load', () => Promise.all([
        Api.get('/api/v1/repairs' + Api.query(Object.assign({status: 'completed'}, days, App.siteParams()))),
        Api.get('/api/v1/complaints' + Api.query(Object.assign({status: 'replied'}, days, App.siteParams()))),
        this.monthRates()]));
    } catch (e) {
      if (e !== Api.STALE) UI.toast(e.message, 'error');
      return;
    }
    const rows = this.oldestFirst(repairs.repairs.map(r => this.fromRepair(r))
      .concat(complaints.complaints.map(c => this.fromComplaint(c))));
    const pick = UI.select([1, 2, 3, 7, 0].map(d => [String(d), d ? t('returns.days', {n: d}) : t('returns.days.any')]),
                           String(this.days), {name: 'waiting_days'});
    pick.addEventListener('change', () => { this.days = Number(pick.value); this.loadQueue(); });
    UI.replace(this.body,
      UI.el('div.stats', null,
        this.stat('returns.count.repairs', rows.filter(r => r.type === 'repair').length, 'accent'),
        this.stat('returns.count.complaints', rows.filter(r => r.type === 'complaint').length, 'accent'),
        this.stat('returns.rate.repairs', this.pct(rates.repairs)),
        this.stat('returns.rate.complaints', this.pct(rates.complaints))),
      UI.el('div.filters', null, UI.field(t('returns.waiting'), pick),
            UI.el('p.field-hint', {text: t('returns.queue.hint')})),
      UI.el('div.card.flush', null, UI.table(this.columns('queue'), rows,
        {cls: 'returns', empty: t('returns.queue.empty'), rowAttrs: r => ({'data-number': r.number})})));
  },

  async loadFollowUps() {
    let repairs, complaints;
    try {
      [repairs, complaints] = await Api.latest(this, 'load', () => Promise.all([
        Api.get('/api/v1/repairs' + Api.query(Object.assign({follow_up: 1}, App.siteParams()))),
        Api.get('/api/v1/complaints' + Api.query(Object.assign({status: 'follow_up'}, App.siteParams())))]));
    } catch (e) {
      if (e !== Api.STALE) UI.toast(e.message, 'error');
      return;
    }
    const rows = this.oldestFirst(repairs.repairs.map(r => this.fromRepair(r))
      .concat(complaints.complaints.map(c => this.fromComplaint(c))));
    UI.replace(this.body,
      UI.el('p.muted', {text: t('returns.follow_up.hint')}),
      UI.el('div.card.flush', null, UI.table(this.columns('follow_up'), rows,
        {cls: 'returns', empty: t('returns.follow_up.empty'), rowAttrs: r => ({'data-number': r.number})})));
  },

  columns(list) {
    const dash = () => UI.el('span.muted', {text: '—'});
    return [
      {label: t('returns.col.number'), cell: r => UI.el('span.mono', {text: r.number})},
      {label: t('returns.col.type'), cell: r => UI.chip(t('returns.type.' + r.type), 'rt-' + r.type)},
      ...App.siteColumn(),
      {label: t('returns.col.unit'), cell: r => r.unit ? App.unitText(r.unit) : dash()},
      {label: t('returns.col.what'), cls: 'wrap', cell: r => [UI.el('div', {text: r.what}),
        UI.el('div.clamp.muted', {text: r.description || '', title: r.description || ''})]},
      {label: t('returns.col.contact'), cell: r => r.phone
        ? [UI.el('div', {text: r.name || ''}), UI.el('a.mono.call', {href: 'tel:' + r.phone, text: r.phone})]
        : UI.el('span.muted', {text: t('returns.anonymous')})},
      {label: t(list === 'queue' ? 'returns.col.who' : 'returns.col.result'), cell: r => list === 'queue'
        ? r.who || dash() : this.result(r)},
      {label: t(list === 'queue' ? 'returns.col.done' : 'returns.col.since'), cell: r =>
        [UI.el('div', {text: UI.fmtTime(r.since, true)}),
         UI.el('div.muted', {text: t('returns.ago', {d: UI.fmtDuration(Date.now() - UI.parseTime(r.since))})})]},
      {label: '', cls: 'actions', cell: r => this.actionFor(list, r)},
    ];
  },

  result(r) {
    if (r.type === 'repair')
      return r.satisfaction ? UI.el('span.stars', {text: '★'.repeat(r.satisfaction) + '☆'.repeat(5 - r.satisfaction)}) : '—';
    return r.satisfaction ? UI.chip(t('csat.' + r.satisfaction), 'cs-follow_up') : '—';
  },

  actionFor(list, r) {
    if (list === 'follow_up')
      return r.type === 'repair' ? UI.button(t('returns.act.close'), () => this.closeRepair(r), 'primary')
                                 : UI.button(t('returns.act.reply'), () => this.replyAgain(r), 'primary');
    // An anonymous suggestion has no one to call: it is closed.
    if (!r.phone && r.type === 'complaint' && r.raw.kind !== 'complaint')
      return UI.button(t('complaints.act.close'), () => this.closeAnonymous(r), 'ghost');
    return UI.button(t('returns.act.record'), () => this.record(r), 'primary');
  },

  stat(key, value, cls) {
    return UI.el('div.stat.static' + (cls && value ? '.' + cls : ''), {'data-stat': key},
      UI.el('span.stat-value', {text: String(value)}), UI.el('span.stat-label', {text: t(key)}));
  },
  pct(v) {
    return v === null || v === undefined ? '—' : Math.round(100 * v) + '%';
  },

  // This month's 回访率 for repairs and for complaints.
  async monthRates() {
    const q = Api.query(Object.assign({month: UI.today().slice(0, 7)}, App.siteParams()));
    const [r, c] = await Promise.all([Api.get('/api/v1/repairs/summary' + q), Api.get('/api/v1/complaints/summary' + q)]);
    return {repairs: r.return_visit_rate, complaints: c.return_visit_rate};
  },

  eventPath(r) {
    return (r.type === 'repair' ? '/api/v1/repairs/' : '/api/v1/complaints/') + encodeURIComponent(r.number) + '/events';
  },

  // The outcome of a call: the resident's answer, a comment, and whether
  // the item is closed now (not when the resident is unhappy: that opens a
  // follow-up instead).
  async record(r) {
    const choices = UI.el('div.choices', {role: 'radiogroup'}, ComplaintCodes.satisfaction.map((s, i) =>
      UI.el('label.choice', null, UI.el('input', {type: 'radio', name: 'satisfaction', value: s, checked: i === 0}),
            UI.el('span', {text: t('csat.' + s)}))));
    const comment = UI.el('textarea', {rows: 3, maxlength: 200, name: 'comment'});
    const close = UI.el('input', {type: 'checkbox', name: 'close', checked: true});
    const closeBox = UI.el('label.check', null, close, UI.el('span', {text: t('returns.record.close')}));
    const unhappyHint = UI.el('p.field-hint', {text: t('returns.record.unhappy'), hidden: true});
    choices.addEventListener('change', () => {
      const unhappy = choices.querySelector('input:checked').value === 'unsatisfied';
      closeBox.hidden = unhappy;
      unhappyHint.hidden = !unhappy;
    });
    const ok = await UI.dialog({title: t('returns.act.record') + ' · ' + r.number, body: UI.el('div.form', null,
      UI.el('p.call-line', null, r.name || '', ' ', UI.el('a.mono', {href: 'tel:' + r.phone, text: r.phone})),
      UI.el('div.field', null, UI.el('span.field-label', {text: t('complaints.col.satisfaction')}), choices),
      UI.field(t('complaints.return.comment'), comment), closeBox, unhappyHint),
      onOk: async () => {
        const answer = choices.querySelector('input:checked').value;
        const body = {event: 'return_visit', satisfaction: r.type === 'repair' ? ReturnScore[answer] : answer};
        if (comment.value.trim()) body.comment = comment.value.trim();
        let done = await Api.post(this.eventPath(r), body);
        if (answer !== 'unsatisfied' && close.checked) done = await Api.post(this.eventPath(r), {event: 'close'});
        return {answer, status: done.status};
      }});
    if (!ok) return;
    UI.toast(t(ok.answer === 'unsatisfied' ? 'returns.recorded.follow_up' : 'returns.recorded', {n: r.number}), 'ok');
    this.load();
  },

  async closeAnonymous(r) {
    if (!await UI.confirm(t('returns.close.anonymous', {n: r.number}))) return;
    try {
      await Api.post(this.eventPath(r), {event: 'close'});
    } catch (e) { return UI.toast(e.message, 'error'); }
    UI.toast(t('cstatus.closed') + ' · ' + r.number, 'ok');
    this.load();
  },

  // A repair followed up (gone back, called again): closed with what was done.
  async closeRepair(r) {
    const note = UI.el('textarea', {rows: 3, maxlength: 200, required: true, name: 'note'});
    const ok = await UI.dialog({title: t('returns.act.close') + ' · ' + r.number, body: UI.el('div.form', null,
      UI.field(t('returns.close.note'), note)), onOk: async () => {
        if (!note.value.trim()) throw new Error(t('returns.close.note_needed'));
        return Api.post(this.eventPath(r), {event: 'close', note: note.value.trim()});
      }});
    if (!ok) return;
    UI.toast(t('status.closed') + ' · ' + r.number, 'ok');
    this.load();
  },

  // A complaint the resident was unhappy with is answered again; its
  // return visit comes round once more.
  async replyAgain(r) {
    const reply = UI.el('textarea', {rows: 5, maxlength: 500, required: true, name: 'reply'});
    const ok = await UI.dialog({title: t('returns.act.reply') + ' · ' + r.number, body: UI.el('div.form', null,
      UI.el('p.muted', {text: t('complaints.reply.hint')}), UI.field(t('complaints.col.reply'), reply)),
      onOk: async () => Api.post(this.eventPath(r), {event: 'reply', reply: reply.value.trim()})});
    if (!ok) return;
    UI.toast(t('cstatus.' + ok.status) + ' · ' + r.number, 'ok');
    this.load();
  },

  async renderSatisfaction() {
    const month = this.month || UI.today().slice(0, 7);
    const input = UI.input({type: 'month', value: month, name: 'month'});
    input.addEventListener('change', () => { this.month = input.value; this.renderSatisfaction(); });
    const q = Api.query(Object.assign({month}, App.siteParams()));
    let r, c;
    try {
      [r, c] = await Api.latest(this, 'load', () => Promise.all([
        Api.get('/api/v1/repairs/summary' + q), Api.get('/api/v1/complaints/summary' + q)]));
    } catch (e) {
      if (e !== Api.STALE) UI.toast(e.message, 'error');
      return;
    }
    const avg = v => v === null || v === undefined ? '—' : v.toFixed(1) + ' / 5';
    const sat = c.satisfaction || {};
    const visited = ComplaintCodes.satisfaction.reduce((n, k) => n + (sat[k] || 0), 0);
    const rows = (obj, label) => Object.entries(obj || {}).map(([k, v]) => ({k, label: label(k), count: v.count, average: v.average}))
      .sort((a, b) => b.count - a.count);
    const table = (cls, heading, list) => UI.el('section.card.flush.' + cls, null, UI.el('h3.card-title', {text: t(heading)}),
      UI.table([
        {label: t(heading === 'returns.sat.by_technician' ? 'repairs.col.technician' : 'repairs.col.category'), cell: x => x.label},
        {label: t('returns.sat.visits'), cell: x => String(x.count)},
        {label: t('summary.satisfaction'), cell: x => UI.el('span', {'data-average': x.average, text: avg(x.average)})},
      ], list, {rowAttrs: x => ({'data-key': x.k})}));
    UI.replace(this.body,
      UI.el('div.filters', null, UI.field(t('summary.month'), input)),
      UI.el('div.stats', null,
        this.stat('returns.sat.repairs_rate', this.pct(r.return_visit_rate)),
        this.stat('returns.sat.repairs_average', avg(r.satisfaction.average)),
        this.stat('returns.sat.complaints_rate', this.pct(c.return_visit_rate)),
        this.stat('returns.sat.complaints_satisfied', visited
          ? this.pct(((sat.satisfied || 0) + (sat.basically_satisfied || 0)) / visited) : '—')),
      UI.el('div.grid2', null,
        table('sat-category', 'returns.sat.by_category', rows(r.satisfaction.by_category, k => t('rcat.' + k))),
        table('sat-technician', 'returns.sat.by_technician', rows(r.satisfaction.by_technician, k => k))));
  },
};
