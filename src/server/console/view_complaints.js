// Complaints and suggestions (投诉建议): the ledger with overdue replies
// first (those lobbyd escalated to the managers marked 已升级), a record's timeline and the actions its status allows, what the
// front desk takes by phone or at the desk, and the monthly summary.
'use strict';

// The rules of src/common/lobby_complaint.c complaint_transition, so that
// only the actions the server would take are offered.
const ComplaintRules = {
  beforeReply: s => ['submitted', 'accepted', 'assigned'].includes(s),
  // complaint_awaits_reply: what can be overdue, and escalated and waiting.
  awaitsReply: s => ['submitted', 'accepted', 'assigned', 'follow_up'].includes(s),
  actions(kind, status) {
    const complaint = kind === 'complaint';
    const out = [];
    if (status === 'submitted') out.push('accept');
    if (this.beforeReply(status) || status === 'follow_up') out.push('assign');
    if (status === 'assigned' || status === 'follow_up' || (!complaint && this.beforeReply(status))) out.push('reply');
    if (status === 'replied') out.push('return_visit');
    if (status === 'return_visited' || (!complaint && status === 'replied')) out.push('close');
    if (!complaint && this.beforeReply(status)) out.push('answer_close');
    return out;
  },
};

// The tab's badge: complaints waiting to be accepted plus those past their
// reply time, refreshed on the "complaints" topic wherever the user is.
const ComplaintWatch = {
  async check() {
    if (!App.office()) return;
    let waiting, overdue;
    try {
      [waiting, overdue] = await Api.latest(this, 'check', () => Promise.all([
        Api.get('/api/v1/complaints' + Api.query(Object.assign({status: 'submitted'}, App.siteParams()))),
        Api.get('/api/v1/complaints' + Api.query(Object.assign({overdue: 1}, App.siteParams())))]));
    } catch (e) { return; }
    const numbers = new Set(waiting.complaints.concat(overdue.complaints).map(c => c.number));
    App.setBadge('complaints', numbers.size);
  },
};

const COMPLAINTS_NO_FILTER = {status: '', kind: '', category: '', overdue: false, escalated: false, q: ''};

Views.complaints = {
  filters: Object.assign({}, COMPLAINTS_NO_FILTER),
  tab: 'ledger',
  list: [],
  all: [],
  openNumber: null,

  render(container, args) {
    this.container = container;
    this.tab = args[0] === 'summary' ? 'summary' : 'ledger';
    const head = UI.el('div.page-head', null,
      UI.el('h1', {text: t('complaints.title')}),
      UI.el('div.tabs', null,
        UI.el('a.tab' + (this.tab === 'ledger' ? '.active' : ''), {href: '#/complaints', text: t('complaints.ledger')}),
        UI.el('a.tab' + (this.tab === 'summary' ? '.active' : ''), {href: '#/complaints/summary', text: t('complaints.summary')})),
      UI.el('div.spacer'),
      UI.button(t('complaints.new'), () => this.create(), 'primary'));
    this.body = UI.el('div');
    UI.append(container, [head, this.body]);
    ComplaintWatch.check();
    if (this.tab === 'summary') return this.renderSummary();
    this.counts = UI.el('div.stats');
    this.tableBox = UI.el('div.card.flush');
    this.drawer = UI.el('aside.drawer', {id: 'drawer', hidden: true});
    UI.append(this.body, [this.counts, this.filterBar(), this.tableBox, this.drawer]);
    this.openNumber = null;
    this.load();
  },

  onEvents(topics) {
    if (!topics.includes('complaints')) return;
    ComplaintWatch.check();
    if (this.tab === 'summary') return this.renderSummary();
    this.load();
    if (this.openNumber) this.show(this.openNumber, true);
  },

  filterBar() {
    const f = this.filters;
    const bind = (node, key, prop) => {
      node.addEventListener('change', () => { f[key] = node[prop || 'value']; this.load(); });
      return node;
    };
    // What a resident phones with, searched by lobbyd as on the repair
    // desk: a moment after the last key.
    const search = UI.input({type: 'search', value: f.q, name: 'q', maxlength: 64,
      placeholder: t('complaints.search.hint'), 'aria-label': t('complaints.search.label')});
    let typing = null;
    search.addEventListener('input', () => {
      clearTimeout(typing);
      typing = setTimeout(() => { f.q = search.value; this.load(); }, 250);
    });
    return UI.el('div.filters', null,
      UI.el('div.search-field', null, UI.field(t('complaints.search.label'), search)),
      UI.field(t('complaints.col.status'), bind(UI.select(App.options('cstatus.', ComplaintCodes.status, true), f.status, {name: 'status'}), 'status')),
      UI.field(t('complaints.col.kind'), bind(UI.select(App.options('ckind.', ComplaintCodes.kind, true), f.kind, {name: 'kind'}), 'kind')),
      UI.field(t('complaints.col.category'), bind(UI.select(App.options('ccat.', ComplaintCodes.category, true), f.category, {name: 'category'}), 'category')),
      UI.el('label.check', null, bind(UI.el('input', {type: 'checkbox', checked: f.overdue, name: 'overdue'}), 'overdue', 'checked'),
            UI.el('span', {text: t('complaints.filter.overdue')})),
      App.me.role === 'admin' ? UI.el('label.check', null,
        bind(UI.el('input', {type: 'checkbox', checked: f.escalated, name: 'escalated'}), 'escalated', 'checked'),
        UI.el('span', {text: t('complaints.filter.escalated')})) : null,
      UI.button(t('common.reset'), () => {
        this.filters = Object.assign({}, COMPLAINTS_NO_FILTER);
        App.route();
      }, 'ghost'));
  },

  async load() {
    const f = this.filters;
    try {
      const [filtered, all] = await Api.latest(this, 'load', () => Promise.all([
        Api.get('/api/v1/complaints' + Api.query(Object.assign({status: f.status, kind: f.kind, category: f.category,
          overdue: f.overdue ? 1 : '', escalated: f.escalated ? 1 : '', q: f.q.trim()}, App.siteParams()))),
        Api.get('/api/v1/complaints' + Api.query(App.siteParams()))]));
      this.list = this.overdueFirst(filtered.complaints);
      this.all = all.complaints;
    } catch (e) {
      if (e !== Api.STALE) UI.toast(e.message, 'error');
      return;
    }
    this.renderCounts();
    this.renderTable();
  },

  // Overdue rows lead; otherwise the server's order (newest first) stays.
  overdueFirst(list) {
    return list.map((c, i) => [c, i]).sort((a, b) => (b[0].overdue - a[0].overdue) || (a[1] - b[1])).map(x => x[0]);
  },

  renderCounts() {
    const n = pred => this.all.filter(pred).length;
    const card = (key, value, cls, onclick) => UI.el('button.stat' + (cls ? '.' + cls : ''), {type: 'button', onclick, 'data-count': key},
      UI.el('span.stat-value', {text: value}), UI.el('span.stat-label', {text: t(key)}));
    const setFilter = patch => () => { this.filters = Object.assign({}, COMPLAINTS_NO_FILTER, patch); App.route(); };
    const overdue = n(c => c.overdue);
    // The managers' card: escalated by lobbyd and still not replied.
    const escalated = n(c => c.escalated_at && ComplaintRules.awaitsReply(c.status));
    UI.replace(this.counts,
      card('complaints.count.submitted', n(c => c.status === 'submitted'), 'accent', setFilter({status: 'submitted'})),
      card('complaints.count.overdue', overdue, overdue ? 'danger' : null, setFilter({overdue: true})),
      App.me.role === 'admin'
        ? card('complaints.count.escalated', escalated, escalated ? 'danger' : null, setFilter({escalated: true})) : null,
      card('complaints.count.follow_up', n(c => c.status === 'follow_up'), null, setFilter({status: 'follow_up'})),
      card('complaints.count.replied', n(c => c.status === 'replied'), null, setFilter({status: 'replied'})),
      card('complaints.count.today', n(c => (c.created_at || '').slice(0, 10) === UI.today()), null, setFilter({})));
  },

  // The reply due time, or 超时 (and 已升级 once lobbyd escalated it)
  // with the time that passed.
  dueCell(c) {
    if (c.overdue)
      return UI.el('span.due.over', null, UI.chip(t('complaints.overdue'), 'danger'), ' ',
                   c.escalated_at ? [this.escalatedChip(c), ' '] : null,
                   UI.el('span', {text: UI.fmtTime(c.reply_due_at, true)}));
    if (!ComplaintRules.awaitsReply(c.status))
      return UI.el('span.muted', {text: c.replied_at ? t('complaints.replied_at', {t: UI.fmtTime(c.replied_at, true)}) : '—'});
    return UI.el('span.due', {text: UI.fmtTime(c.reply_due_at, true)});
  },

  // 已升级, with when lobbyd escalated it on hover.
  escalatedChip(c) {
    const chip = UI.chip(t('complaints.escalated'), 'escalated');
    chip.title = UI.fmtTime(c.escalated_at, true);
    return chip;
  },

  statusChip(status) {
    return UI.chip(t('cstatus.' + status), 'cs-' + status);
  },

  renderTable() {
    const cols = [
      {label: t('complaints.col.number'), cell: c => UI.el('span.mono', {text: c.number})},
      ...App.siteColumn(),
      {label: t('complaints.col.kind'), cell: c => UI.chip(t('ckind.' + c.kind), 'ck-' + c.kind)},
      {label: t('complaints.col.category'), cell: c => t('ccat.' + c.category)},
      {label: t('complaints.col.unit'), cell: c => c.unit ? App.unitText(c.unit) : UI.el('span.muted', {text: '—'})},
      {label: t('complaints.col.phone'), cell: c => c.phone ? UI.el('span.mono', {text: maskPhone(c.phone)}) : UI.el('span.muted', {text: '—'})},
      {label: t('complaints.col.description'), cls: 'wrap', cell: c => UI.el('span.clamp', {text: c.description, title: c.description})},
      {label: t('complaints.col.responsible'), cell: c => c.responsible || UI.el('span.muted', {text: '—'})},
      {label: t('complaints.col.status'), cell: c => this.statusChip(c.status)},
      {label: t('complaints.col.due'), cell: c => this.dueCell(c)},
    ];
    UI.replace(this.tableBox, UI.table(cols, this.list, {cls: 'complaints', rowAttrs: c => ({
      'data-number': c.number, class: 'clickable' + (c.overdue ? ' overdue' : ''), tabindex: 0,
      onclick: () => this.show(c.number),
      onkeydown: e => { if (e.key === 'Enter') this.show(c.number); }})}));
  },

  async show(number, quiet) {
    let c;
    try {
      c = await Api.latest(this, 'show', () => Api.get('/api/v1/complaints/' + encodeURIComponent(number)));
    } catch (e) {
      if (e !== Api.STALE && !quiet) UI.toast(e.message, 'error');
      return;
    }
    this.openNumber = number;
    const d = this.drawer;
    d.hidden = false;
    const info = (k, v) => [UI.el('dt', {text: t(k)}), UI.el('dd', null, v === null || v === undefined || v === '' ? '—' : v)];
    const contact = c.name || c.phone ? [c.name || '', ' ', c.phone ? UI.el('a', {href: 'tel:' + c.phone, text: c.phone}) : null] : null;
    UI.replace(d,
      UI.el('header.drawer-head', null, UI.el('div', null, UI.el('h2.mono', {text: c.number}),
        this.statusChip(c.status), ' ', UI.chip(t('ckind.' + c.kind), 'ck-' + c.kind),
        c.overdue ? [' ', UI.chip(t('complaints.overdue'), 'danger')] : null,
        c.escalated_at ? [' ', this.escalatedChip(c)] : null),
        UI.el('button.icon-btn', {type: 'button', 'aria-label': t('common.close'), text: '×',
          onclick: () => { d.hidden = true; this.openNumber = null; }})),
      UI.el('div.drawer-actions', null, ComplaintRules.actions(c.kind, c.status).map(ev =>
        UI.button(t('complaints.act.' + ev), () => this.act(c, ev), 'primary'))),
      UI.el('dl.facts', null,
        App.sites.length > 1 ? info('site.col', App.siteName(c.site)) : null,
        info('complaints.col.category', t('ccat.' + c.category)),
        info('complaints.col.unit', c.unit ? App.unitText(c.unit) : null),
        info('complaints.col.contact', contact),
        info('complaints.col.description', UI.el('span.pre', {text: c.description})),
        info('complaints.col.source', t('src.' + c.source)),
        info('complaints.col.created', UI.fmtTime(c.created_at, true)),
        info('complaints.col.due', this.dueCell(c)),
        info('complaints.col.responsible', c.responsible),
        info('complaints.col.reply', c.reply ? UI.el('span.pre', {text: c.reply}) : null),
        info('complaints.col.replied', c.replied_at ? UI.fmtTime(c.replied_at, true) : null),
        info('complaints.col.satisfaction', c.satisfaction ? t('csat.' + c.satisfaction) : null),
        info('complaints.col.updated', UI.fmtTime(c.updated_at, true))),
      UI.el('h3', {text: t('complaints.timeline')}),
      UI.el('ol.timeline', null, (c.events || []).map(ev => UI.el('li', {'data-event': ev.event},
        UI.el('div.tl-head', null, UI.el('strong', {text: t('cevent.' + ev.event)}),
              UI.el('span.muted', {text: UI.fmtTime(ev.at, true)})),
        UI.el('div.tl-by', {text: App.eventWho(ev)}),
        ev.responsible ? UI.el('div', {text: t('complaints.tl.responsible', {n: ev.responsible})}) : null,
        ev.satisfaction ? UI.el('div', {text: t('csat.' + ev.satisfaction)}) : null,
        ev.reply ? UI.el('div.tl-note.reply', {text: ev.reply}) : null,
        ev.comment ? UI.el('div.tl-note', {text: ev.comment}) : null,
        ev.note ? UI.el('div.tl-note', {text: ev.note}) : null))));
  },

  // The staff a complaint of this site may be given to: those who work
  // for it (no sites = every site), the office before the technicians.
  async responsibleOptions(site) {
    const staff = (await Api.get('/api/v1/staff')).staff
      .filter(s => !s.disabled && (!s.sites || !s.sites.length || s.sites.includes(site)));
    // Guards answer nothing: their account reaches only the gate.
    const office = staff.filter(s => s.role === 'admin' || s.role === 'front_desk'), techs = staff.filter(s => s.role === 'technician');
    const select = UI.el('select', {name: 'responsible'});
    for (const [label, group] of [[t('complaints.assign.office'), office], [t('role.technician'), techs]]) {
      if (!group.length) continue;
      select.appendChild(UI.el('optgroup', {label}, group.map(s =>
        UI.el('option', {value: s.name, text: s.name + ' · ' + t('role.' + s.role)}))));
    }
    return {select, count: staff.length};
  },

  // Asks for what the event needs, then records it.
  async act(c, event) {
    const body = {event};
    const fields = [];
    let responsible, reply, comment, satisfaction;
    const note = UI.el('textarea', {rows: 2, maxlength: 200, name: 'note'});
    if (event === 'assign') {
      let r;
      try { r = await this.responsibleOptions(c.site); } catch (e) { return UI.toast(e.message, 'error'); }
      if (!r.count) return UI.toast(t('complaints.assign.none'), 'error');
      responsible = r.select;
      if (c.responsible) responsible.value = c.responsible;
      fields.push(UI.field(t('complaints.assign.pick'), responsible), UI.field(t('repairs.note'), note));
    } else if (event === 'reply' || event === 'answer_close') {
      reply = UI.el('textarea', {rows: 5, maxlength: 500, name: 'reply', required: true});
      const counter = UI.el('span.field-hint.counter', {text: '0 / 500'});
      reply.addEventListener('input', () => { counter.textContent = reply.value.length + ' / 500'; });
      fields.push(UI.el('p.muted', {text: t('complaints.reply.hint')}), UI.field(t('complaints.col.reply'), reply), counter);
    } else if (event === 'return_visit') {
      satisfaction = UI.el('div.choices', {role: 'radiogroup'}, ComplaintCodes.satisfaction.map((s, i) =>
        UI.el('label.choice', null, UI.el('input', {type: 'radio', name: 'satisfaction', value: s, checked: i === 0}),
              UI.el('span', {text: t('csat.' + s)}))));
      comment = UI.el('textarea', {rows: 3, maxlength: 200, name: 'comment'});
      // A group, not a <label>: a click between the choices must not pick the first.
      fields.push(UI.el('div.field', null, UI.el('span.field-label', {text: t('complaints.col.satisfaction')}), satisfaction),
                  UI.field(t('complaints.return.comment'), comment),
                  UI.el('p.field-hint', {text: t('complaints.return.hint')}));
    } else {
      fields.push(UI.el('p', {text: t('complaints.confirm.' + event)}), UI.field(t('repairs.note'), note));
    }
    const ok = await UI.dialog({title: t('complaints.act.' + event) + ' · ' + c.number, body: UI.el('div.form', null, fields),
      onOk: async () => {
        if (responsible) body.responsible = responsible.value;
        if (reply) body.reply = reply.value.trim();
        if (satisfaction) body.satisfaction = satisfaction.querySelector('input:checked').value;
        if (comment && comment.value.trim()) body.comment = comment.value.trim();
        if (!reply && !satisfaction && note.value.trim()) body.note = note.value.trim();
        return Api.post('/api/v1/complaints/' + encodeURIComponent(c.number) + '/events', body);
      }});
    if (ok) {
      UI.toast(t('cstatus.' + ok.status) + ' · ' + c.number, 'ok');
      this.load();
      if (this.openNumber === c.number) this.show(c.number);
      ComplaintWatch.check();
    }
  },

  // One taken by phone or at the desk.  A complaint needs the unit, name
  // and phone; the other kinds may be anonymous.
  create() {
    const kind = UI.select(App.options('ckind.', ComplaintCodes.kind), 'complaint', {name: 'kind'});
    const category = UI.select(App.options('ccat.', ComplaintCodes.category), 'service_attitude', {name: 'category'});
    const where = App.unitPicker({none: t('complaints.form.no_unit')});
    where.building.addEventListener('change', () => syncSite());
    const name = UI.input({maxlength: 32, name: 'name'});
    const phone = UI.input({type: 'tel', maxlength: 20, name: 'phone'});
    const desc = UI.el('textarea', {rows: 4, maxlength: 500, name: 'description'});
    const source = UI.select([['phone', t('src.phone')], ['front_desk', t('src.front_desk')]], 'phone', {name: 'source'});
    const site = App.siteForCreate(false);
    const siteBox = UI.el('div', null, site.field);
    const hint = UI.el('p.field-hint');
    // The unit names the site; without one, the site is asked for.
    const syncSite = () => { siteBox.hidden = !!where.value() || !site.field; };
    const syncKind = () => { hint.textContent = t(kind.value === 'complaint' ? 'complaints.form.contact_needed' : 'complaints.form.anonymous'); };
    kind.addEventListener('change', syncKind);
    syncSite();
    syncKind();
    UI.dialog({title: t('complaints.new'), wide: true, body: UI.el('div.form', null,
      UI.el('div.grid3', null, UI.field(t('complaints.col.kind'), kind), UI.field(t('complaints.col.category'), category),
            UI.field(t('complaints.col.source'), source)),
      where.fields,
      siteBox,
      UI.el('div.grid2', null, UI.field(t('complaints.form.name'), name), UI.field(t('repairs.form.phone'), phone)),
      hint,
      UI.field(t('complaints.col.description'), desc)),
      onOk: async () => {
        const body = {kind: kind.value, category: category.value, description: desc.value.trim(), source: source.value};
        if (where.value()) body.unit = where.value();
        else if (site.value() !== undefined) body.site = site.value();
        if (name.value.trim() || phone.value.trim()) { body.name = name.value.trim(); body.phone = phone.value.trim(); }
        const r = await Api.post('/api/v1/complaints', body, {idempotent: true});
        UI.toast(t('complaints.created', {n: r.number}), 'ok');
        this.load();
        ComplaintWatch.check();
        return r;
      }});
  },

  async renderSummary() {
    const month = this.month || UI.today().slice(0, 7);
    const input = UI.input({type: 'month', value: month, name: 'month'});
    input.addEventListener('change', () => { this.month = input.value; this.renderSummary(); });
    let s;
    try {
      s = await Api.latest(this, 'summary', () =>
        Api.get('/api/v1/complaints/summary' + Api.query(Object.assign({month}, App.siteParams()))));
    } catch (e) {
      if (e !== Api.STALE) UI.toast(e.message, 'error');
      return;
    }
    const pct = v => v === null || v === undefined ? '—' : Math.round(100 * v) + '%';
    const m = s.reply_minutes_median;
    const median = m === null ? '—' : m < 60 ? t('summary.minutes', {n: Math.round(m)}) : UI.fmtDuration(m * 60000);
    const big = (key, value, sub) => UI.el('div.stat.static', {'data-stat': key}, UI.el('span.stat-value', {text: value}),
      UI.el('span.stat-label', {text: t(key)}), sub ? UI.el('span.stat-sub', {text: sub}) : null);
    // Every value in order when all count, else only those with rows.
    const bars = (prefix, counts, order, all) => {
      const rows = order.filter(k => all || counts[k]).map(k => [k, counts[k] || 0]);
      if (!rows.length) return UI.el('p.muted', {text: t('common.empty')});
      const max = Math.max(1, ...rows.map(r => r[1]));
      return UI.el('div.bars', null, rows.map(([k, v]) => {
        const fill = UI.el('span.bar-fill');
        fill.style.width = (100 * v / max) + '%';
        return UI.el('div.bar', {'data-key': k}, UI.el('span.bar-label', {text: t(prefix + k)}), UI.el('span.bar-track', null, fill),
                     UI.el('span.bar-value', {text: v}));
      }));
    };
    const sat = s.satisfaction || {};
    const visited = ComplaintCodes.satisfaction.reduce((n, k) => n + (sat[k] || 0), 0);
    UI.replace(this.body,
      UI.el('div.filters', null, UI.field(t('summary.month'), input)),
      UI.el('div.stats.complaint-stats', null,
        big('complaints.sum.total', String(s.total)),
        big('complaints.sum.median', median),
        big('complaints.sum.on_time', pct(s.on_time_rate), t('complaints.sum.of', {a: s.replied_on_time, b: s.replied})),
        big('complaints.sum.return_rate', pct(s.return_visit_rate)),
        big('complaints.sum.satisfied', visited ? pct(((sat.satisfied || 0) + (sat.basically_satisfied || 0)) / visited) : '—',
            t('complaints.sum.visits', {n: visited}))),
      UI.el('div.grid3', null,
        UI.el('section.card.sum-kind', null, UI.el('h3', {text: t('complaints.sum.by_kind')}), bars('ckind.', s.by_kind || {}, ComplaintCodes.kind)),
        UI.el('section.card.sum-category', null, UI.el('h3', {text: t('complaints.sum.by_category')}),
              bars('ccat.', s.by_category || {}, ComplaintCodes.category)),
        UI.el('section.card.sum-satisfaction', null, UI.el('h3', {text: t('complaints.sum.satisfaction')}),
              visited ? bars('csat.', sat, ComplaintCodes.satisfaction, true) : UI.el('p.muted', {text: t('common.empty')}))));
  },
};
