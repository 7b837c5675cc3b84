// The repair desk: counts, filters, the ledger with live SLA countdowns, a
// ticket's timeline and actions; technicians get their own jobs as cards.
// lobbyd pages, orders, searches and counts (GET /api/v1/repairs): the
// cards count every ticket that matches, never just the page shown.
'use strict';

const REPAIRS_PAGE = 50;
const REPAIRS_NO_FILTER = {status: '', category: '', urgency: '', building: '', from: '', to: '', overdue: false,
                           q: '', sort: 'priority'};

Views.repairs = {
  filters: Object.assign({}, REPAIRS_NO_FILTER),
  page: 0,
  total: 0,
  tab: 'ledger',
  list: [],
  openTicket: null,

  render(container, args) {
    this.container = container;
    const office = App.me.role !== 'technician';
    // A technician's jobs to do, apart from those done (newest first).
    this.tab = office ? (args[0] === 'summary' ? 'summary' : 'ledger') : (args[0] === 'done' ? 'done' : 'ledger');
    if (!office) this.filters = Object.assign({}, REPAIRS_NO_FILTER, this.tab === 'done' ? {status: 'done', sort: 'newest'} : {status: 'open'});
    const tab = (id, href, key) => UI.el('a.tab' + (this.tab === id ? '.active' : ''), {href, text: t(key)});
    const head = UI.el('div.page-head', null,
      UI.el('h1', {text: office ? t('repairs.title') : t('nav.my_repairs')}),
      UI.el('div.tabs', null, office
        ? [tab('ledger', '#/repairs', 'repairs.ledger'), tab('summary', '#/repairs/summary', 'repairs.summary')]
        : [tab('ledger', '#/repairs', 'repairs.mine.open'), tab('done', '#/repairs/done', 'repairs.mine.done')]),
      UI.el('div.spacer'),
      office && this.tab === 'ledger' ? UI.el('a.btn', {id: 'export', href: this.exportUrl(), download: 'repairs.csv', text: t('repairs.export')}) : null,
      office ? UI.button(t('repairs.new'), () => this.newTicket(), 'primary') : null);
    this.body = UI.el('div');
    UI.append(container, [head, this.body]);
    if (this.tab === 'summary') return this.renderSummary();
    this.counts = UI.el('div.stats');
    this.tableBox = UI.el('div.card.flush');
    this.pager = UI.el('nav.pager', {'aria-label': t('pager.label')});
    this.drawer = UI.el('aside.drawer', {id: 'drawer', hidden: true});
    UI.append(this.body, [office ? this.counts : null, office ? this.filterBar() : null, this.tableBox, this.pager, this.drawer]);
    App.every(1000, () => this.tickSla());
    this.load();
  },

  onEvents(topics) {
    if (!topics.includes('repairs')) return;
    if (this.tab === 'summary') return this.renderSummary();
    this.load();
    if (this.openTicket) this.showTicket(this.openTicket, true);
  },

  // The filters as lobbyd reads them; the export takes every match.
  params() {
    const f = this.filters;
    return Object.assign({status: f.status, category: f.category, urgency: f.urgency, building: f.building,
      from: f.from, to: f.to, overdue: f.overdue ? 1 : '', q: f.q.trim(), sort: f.sort}, App.siteParams());
  },

  exportUrl() {
    return '/api/v1/repairs/export.csv' + Api.query(this.params());
  },

  filterBar() {
    const f = this.filters;
    const bind = (node, key, prop) => {
      node.addEventListener('change', () => { f[key] = node[prop || 'value']; this.page = 0; this.load(); });
      return node;
    };
    // What a resident phones with: searched as it is typed, a moment
    // after the last key.
    const search = UI.input({type: 'search', value: f.q, name: 'q', maxlength: 64,
      placeholder: t('repairs.search.hint'), 'aria-label': t('repairs.search.label')});
    let typing = null;
    search.addEventListener('input', () => {
      clearTimeout(typing);
      typing = setTimeout(() => { f.q = search.value; this.page = 0; this.load(); }, 250);
    });
    const sort = UI.select([['priority', t('repairs.sort.priority')], ['newest', t('repairs.sort.newest')]], f.sort, {name: 'sort'});
    const buildings = [['', t('common.all')]].concat(App.buildingOptions());
    return UI.el('div.filters', null,
      UI.el('div.search-field', null, UI.field(t('repairs.search.label'), search)),
      UI.field(t('repairs.sort.label'), bind(sort, 'sort')),
      UI.field(t('repairs.filter.status'), bind(UI.select(App.options('status.', Codes.status, true), f.status, {name: 'status'}), 'status')),
      UI.field(t('repairs.filter.category'), bind(UI.select(App.options('rcat.', Codes.rcat, true), f.category, {name: 'category'}), 'category')),
      UI.field(t('repairs.filter.urgency'), bind(UI.select(App.options('urg.', Codes.urg, true), f.urgency, {name: 'urgency'}), 'urgency')),
      UI.field(t('repairs.filter.building'), bind(UI.select(buildings, f.building, {name: 'building'}), 'building')),
      UI.field(t('repairs.filter.from'), bind(UI.input({type: 'date', value: f.from, name: 'from'}), 'from')),
      UI.field(t('repairs.filter.to'), bind(UI.input({type: 'date', value: f.to, name: 'to'}), 'to')),
      UI.el('label.check', null, bind(UI.el('input', {type: 'checkbox', checked: f.overdue, name: 'overdue'}), 'overdue', 'checked'),
            UI.el('span', {text: t('repairs.filter.overdue')})),
      UI.button(t('common.reset'), () => {
        this.filters = Object.assign({}, REPAIRS_NO_FILTER);
        this.page = 0;
        App.route();
      }, 'ghost'));
  },

  async load() {
    const office = App.me.role !== 'technician';
    let answer;
    try {
      answer = await Api.latest(this, 'load', () => Api.get('/api/v1/repairs' +
        Api.query(Object.assign(this.params(), {limit: REPAIRS_PAGE, offset: this.page * REPAIRS_PAGE}))));
    } catch (e) {
      if (e !== Api.STALE) UI.toast(e.message, 'error');
      return;
    }
    // A change elsewhere can leave this page past the end: show the last.
    if (!answer.repairs.length && answer.total > 0 && this.page > 0) {
      this.page = Math.floor((answer.total - 1) / REPAIRS_PAGE);
      return this.load();
    }
    this.list = answer.repairs;
    this.total = answer.total;
    const exp = document.getElementById('export');
    if (exp) exp.href = this.exportUrl();
    if (office) this.renderCounts(answer.counts);
    this.renderTable();
    this.renderPager();
  },

  // Each card is a filter, and says which is chosen.
  renderCounts(c) {
    const f = this.filters;
    const today = UI.today();
    const chosen = patch => Object.keys(patch).every(k => f[k] === patch[k]) &&
      (patch.status !== undefined || f.status === '') && (patch.overdue !== undefined || !f.overdue) &&
      (patch.from !== undefined || f.from === '');
    const card = (key, value, cls, patch) => UI.el('button.stat' + (cls ? '.' + cls : '') + (chosen(patch) ? '.chosen' : ''),
      {type: 'button', 'aria-pressed': chosen(patch) ? 'true' : 'false', onclick: () => {
        Object.assign(this.filters, {status: '', overdue: false, from: '', to: ''}, patch);
        this.page = 0;
        App.route();
      }},
      UI.el('span.stat-value', {text: value}), UI.el('span.stat-label', {text: t(key)}));
    UI.replace(this.counts,
      card('repairs.count.submitted', c.submitted, 'accent', {status: 'submitted'}),
      card('repairs.count.open', c.open, null, {status: 'open'}),
      card('repairs.count.overdue', c.overdue, c.overdue ? 'danger' : null, {overdue: true}),
      card('repairs.count.today', c.today, null, {from: today, to: today}),
      card('repairs.count.done', c.completed, null, {status: 'done'}));
  },

  renderPager() {
    UI.pager(this.pager, {page: this.page, size: REPAIRS_PAGE, total: this.total, shown: this.list.length,
      go: page => { this.page = page; this.load(); this.tableBox.scrollIntoView({block: 'start'}); }});
  },

  slaCell(r) {
    return UI.el('span.sla', {'data-due': r.due_at, 'data-status': r.status, 'data-urgency': r.urgency,
                              'data-done': r.sla_done_at || undefined});
  },

  // The countdown stops once the SLA event happened: on site for an
  // emergency, completion for the rest.
  tickSla() {
    const now = Date.now();
    for (const n of document.querySelectorAll('.sla[data-due]')) {
      const running = ['submitted', 'accepted', 'dispatched'].includes(n.dataset.status) ||
        (n.dataset.status === 'on_site' && n.dataset.urgency !== 'emergency');
      if (!running) {
        // Kept or broken: when it was done against when it was due.
        const late = n.dataset.done ? new Date(n.dataset.done).getTime() - new Date(n.dataset.due).getTime() : null;
        n.textContent = late === null ? t('repairs.sla.met') : late <= 0 ? t('repairs.sla.kept')
          : t('repairs.sla.missed', {t: UI.fmtDuration(late)});
        n.className = 'sla' + (late === null ? '' : late <= 0 ? ' kept' : ' missed');
        continue;
      }
      const left = new Date(n.dataset.due).getTime() - now;
      n.textContent = left >= 0 ? t('repairs.sla.left', {t: UI.fmtDuration(left)}) : t('repairs.sla.over', {t: UI.fmtDuration(left)});
      n.className = 'sla ' + (left < 0 ? 'over' : left < 30 * 60000 ? 'soon' : 'ok');
      const row = n.closest('tr, .job');
      if (row) row.classList.toggle('overdue', left < 0);
    }
  },

  renderTable() {
    if (App.me.role === 'technician') return this.renderJobs();
    const cols = [
      {label: t('repairs.col.ticket'), cell: r => UI.el('span.mono', {text: r.ticket})},
      {label: t('repairs.col.status'), cell: r => this.statusChip(r)},
      ...App.siteColumn(),
      {label: t('repairs.col.unit'), cell: r => App.unitText(r.unit)},
      {label: t('repairs.col.category'), cell: r => t('rcat.' + r.category)},
      {label: t('repairs.col.urgency'), cell: r => UI.chip(t('urg.' + r.urgency), 'urg-' + r.urgency)},
      {label: t('repairs.col.description'), cls: 'wrap', cell: r => UI.el('span.clamp', {text: r.description, title: r.description})},
      {label: t('repairs.col.created'), cell: r => UI.fmtTime(r.created_at)},
      {label: t('repairs.col.sla'), cell: r => this.slaCell(r)},
      {label: t('repairs.col.technician'), cell: r => r.technician || '—'},
      {label: t('repairs.col.first_contact'), cell: r => r.first_contact || '—'},
      {label: t('repairs.col.source'), cell: r => t('src.' + r.source)},
    ];
    UI.replace(this.tableBox, UI.table(cols, this.list, {cls: 'repairs', rowAttrs: r => ({
      'data-ticket': r.ticket, class: 'clickable' + (r.overdue ? ' overdue' : ''), tabindex: 0,
      onclick: () => this.showTicket(r.ticket)})}));
    this.tickSla();
  },

  // A dispatched job says whether the technician took it; one handed back
  // says so, for the desk to dispatch it again.
  statusChip(r) {
    if (r.status === 'dispatched' && r.taken_at) return UI.chip(t('repairs.taken'), 'st-taken');
    if (r.status === 'accepted' && r.last_event === 'decline') return UI.chip(t('repairs.declined'), 'st-declined');
    return UI.chip(t('status.' + r.status), 'st-' + r.status);
  },

  // Technicians: one card per job with the actions they may take.
  renderJobs() {
    if (!this.list.length) return UI.replace(this.tableBox, UI.el('p.empty-state', {text: t('repairs.mine.empty')}));
    UI.replace(this.tableBox, UI.el('div.jobs', null, this.list.map(r => UI.el('article.job', {'data-ticket': r.ticket},
      UI.el('div.job-head', null, UI.el('span.mono', {text: r.ticket}), this.statusChip(r),
            UI.chip(t('urg.' + r.urgency), 'urg-' + r.urgency),
            r.photo_count ? UI.el('span.muted', {text: t('photos.count', {n: r.photo_count})}) : null),
      UI.el('div.job-where', {text: (App.manySites() ? App.siteName(r.site) + ' · ' : '') + App.unitText(r.unit) + ' · ' + t('rcat.' + r.category)}),
      UI.el('p.job-desc', {text: r.description}),
      UI.el('div.job-meta', null,
        UI.el('a', {href: 'tel:' + r.phone, text: r.name + ' ' + r.phone}), this.slaCell(r)),
      UI.el('div.job-actions', null,
        this.actionsFor(r).map(ev => UI.button(t('repairs.act.' + ev), () => this.act(r.ticket, ev, r),
                                               ev === 'decline' ? 'danger-ghost' : 'primary')),
        this.photosAllowed(r) ? UI.button(t('photos.add'), () => RepairPhotos.add(r.ticket, r.photo_count || 0, () => this.load()), 'ghost') : null,
        UI.button(t('repairs.detail'), () => this.showTicket(r.ticket), 'ghost'))))));
    this.tickSla();
  },

  // What the caller may record next: a technician takes a dispatched job
  // (接单) or hands it back, then is on site, then completes it.
  actionsFor(r) {
    if (App.me.role === 'technician') {
      if (r.status === 'dispatched') return r.taken_at ? ['on_site', 'decline'] : ['take', 'decline'];
      return {accepted: ['on_site'], on_site: ['complete']}[r.status] || [];
    }
    return {submitted: ['accept', 'cancel'], accepted: ['dispatch', 'on_site', 'cancel'],
            dispatched: ['dispatch', 'on_site', 'cancel'], on_site: ['complete', 'cancel'],
            completed: ['return_visit'], return_visit: ['close']}[r.status] || [];
  },

  // Photos go with the finished work, at most three.
  photosAllowed(r) {
    const count = r.photos ? r.photos.length : r.photo_count || 0;
    return (r.status === 'on_site' || r.status === 'completed') && count < RepairPhotos.MAX;
  },

  async showTicket(ticket, quiet) {
    let r;
    try {
      r = await Api.get('/api/v1/repairs/' + encodeURIComponent(ticket));
    } catch (e) {
      if (!quiet) UI.toast(e.message, 'error');
      return;
    }
    this.openTicket = ticket;
    const d = this.drawer;
    d.hidden = false;
    const info = (k, v) => [UI.el('dt', {text: t(k)}), UI.el('dd', null, v || '—')];
    UI.replace(d,
      UI.el('header.drawer-head', null, UI.el('div', null, UI.el('h2.mono', {text: r.ticket}),
        this.statusChip(r), ' ', UI.chip(t('urg.' + r.urgency), 'urg-' + r.urgency)),
        UI.el('button.icon-btn', {type: 'button', 'aria-label': t('common.close'), text: '×',
          onclick: () => { d.hidden = true; this.openTicket = null; }})),
      UI.el('div.drawer-actions', null, this.actionsFor(r).map(ev =>
        UI.button(t('repairs.act.' + ev), () => this.act(r.ticket, ev, r), ev === 'cancel' || ev === 'decline' ? 'danger-ghost' : 'primary')),
        this.photosAllowed(r) ? UI.button(t('photos.add'), () => RepairPhotos.add(r.ticket, r.photos.length, () => {
          this.load();
          this.showTicket(r.ticket, true);
        }), 'ghost') : null),
      UI.el('dl.facts', null,
        App.sites.length > 1 ? info('site.col', App.siteName(r.site)) : null,
        info('repairs.col.unit', App.unitText(r.unit)),
        info('repairs.col.category', t('rcat.' + r.category) + ' · ' + t('kind.' + r.kind)),
        info('repairs.col.reporter', r.name + ' ' + r.phone),
        info('repairs.col.description', r.description),
        info('repairs.col.created', UI.fmtTime(r.created_at, true)),
        info('repairs.col.sla', this.slaCell(r)),
        info('repairs.col.technician', r.technician),
        info('repairs.col.first_contact', r.first_contact),
        info('repairs.col.source', t('src.' + r.source)),
        r.satisfaction ? info('repairs.return.score', '★'.repeat(r.satisfaction) + '☆'.repeat(5 - r.satisfaction)) : null),
      RepairPhotos.gallery(r.ticket, r.photos),
      UI.el('h3', {text: t('repairs.timeline')}),
      UI.el('ol.timeline', null, r.timeline.map(ev => UI.el('li', null,
        UI.el('div.tl-head', null, UI.el('strong', {text: t('event.' + ev.event)}),
              UI.el('span.muted', {text: UI.fmtTime(ev.at, true)})),
        UI.el('div.tl-by', {text: (ev.by || '') + (ev.by_role && ev.by_role !== 'kiosk' ? ' · ' + t('role.' + ev.by_role) : ev.by_role === 'kiosk' ? ' · ' + t('src.kiosk') : '')}),
        ev.technician ? UI.el('div', {text: '→ ' + ev.technician}) : null,
        ev.satisfaction ? UI.el('div', {text: '★'.repeat(ev.satisfaction)}) : null,
        ev.comment ? UI.el('div.tl-note', {text: ev.comment}) : null,
        ev.reason ? UI.el('div.tl-note', {text: ev.reason}) : null,
        ev.note ? UI.el('div.tl-note', {text: ev.note}) : null))));
    this.tickSla();
  },

  // Asks for what the event needs, then records it.  Completing takes a
  // note and up to three photos, uploaded before the event is recorded.
  async act(ticket, event, r) {
    const body = {event};
    const note = UI.el('textarea', {rows: 2, maxlength: 200, name: 'note'});
    let fields = [UI.field(t(event === 'complete' ? 'repairs.done.note' : 'repairs.note'), note)];
    let tech, score, comment, reason, pick, progress;
    if (event === 'dispatch') {
      if (!App.technicians.length) return UI.toast(t('repairs.dispatch.none'), 'error');
      tech = UI.select(App.technicians.map(s => [s.name, s.name]), null, {name: 'technician'});
      fields.unshift(UI.field(t('repairs.dispatch.pick'), tech));
    } else if (event === 'return_visit') {
      score = UI.el('div.stars', {role: 'radiogroup'});
      for (let i = 1; i <= 5; i++)
        score.appendChild(UI.el('label.star', null, UI.el('input', {type: 'radio', name: 'score', value: i, checked: i === 5}),
                                UI.el('span', {text: i + '★'})));
      comment = UI.el('textarea', {rows: 2, maxlength: 200, name: 'comment'});
      fields = [UI.field(t('repairs.return.score'), score), UI.field(t('repairs.return.comment'), comment)];
    } else if (event === 'cancel' || event === 'decline') {
      reason = UI.el('textarea', {rows: 2, maxlength: 200, required: true, name: 'reason'});
      fields = [UI.field(t(event === 'cancel' ? 'repairs.cancel.reason' : 'repairs.decline.reason'), reason)];
    } else if (event === 'complete') {
      pick = RepairPhotos.picker(RepairPhotos.MAX - ((r && (r.photos ? r.photos.length : r.photo_count)) || 0));
      progress = UI.el('p.muted', {'aria-live': 'polite'});
      fields.push(UI.field(t('photos.pick'), pick.el), progress);
    }
    const ok = await UI.dialog({title: t('repairs.act.' + event) + ' · ' + ticket, body: UI.el('div.form', null, fields),
      okClass: event === 'cancel' || event === 'decline' ? 'danger' : 'primary', onOk: async () => {
        if (pick) {
          if (pick.files().length > pick.room) throw new Error(t('photos.too_many', {n: pick.room}));
          await RepairPhotos.upload(ticket, pick.files(), text => { progress.textContent = text; });
          pick = null; // uploaded: a retried completion does not send them again
        }
        if (tech) body.technician = tech.value;
        if (score) body.satisfaction = Number(score.querySelector('input:checked').value);
        if (comment && comment.value.trim()) body.comment = comment.value.trim();
        if (reason) body.reason = reason.value.trim();
        if (note.value.trim() && !score && !reason) body.note = note.value.trim();
        return Api.post('/api/v1/repairs/' + encodeURIComponent(ticket) + '/events', body);
      }});
    if (ok) {
      UI.toast(t(event === 'take' ? 'repairs.taken' : event === 'decline' ? 'repairs.declined' : 'status.' + ok.status) + ' · ' + ticket, 'ok');
      this.load();
      if (this.openTicket === ticket) this.showTicket(ticket);
    }
  },

  newTicket() {
    const where = App.unitPicker();
    const name = UI.input({maxlength: 32, name: 'name'});
    const phone = UI.input({type: 'tel', maxlength: 20, name: 'phone'});
    const category = UI.select(App.options('rcat.', Codes.rcat), 'water', {name: 'category'});
    const kind = UI.select(App.options('kind.', Codes.kind), 'in_unit', {name: 'kind'});
    const urgency = UI.select(App.options('urg.', Codes.urg), 'normal', {name: 'urgency'});
    const wFrom = UI.input({type: 'datetime-local', name: 'window_from'});
    const wTo = UI.input({type: 'datetime-local', name: 'window_to'});
    const windowBox = UI.el('div.grid2', {hidden: true}, UI.field(t('repairs.form.from'), wFrom), UI.field(t('repairs.form.to'), wTo));
    urgency.addEventListener('change', () => { windowBox.hidden = urgency.value !== 'appointment'; });
    const desc = UI.el('textarea', {rows: 3, maxlength: 500, name: 'description'});
    const source = UI.select([['phone', t('src.phone')], ['front_desk', t('src.front_desk')]], 'phone', {name: 'source'});
    UI.dialog({title: t('repairs.new'), wide: true, body: UI.el('div.form', null,
      where.fields,
      UI.el('div.grid2', null, UI.field(t('repairs.form.name'), name), UI.field(t('repairs.form.phone'), phone)),
      UI.el('div.grid3', null, UI.field(t('repairs.col.category'), category), UI.field(t('repairs.form.kind'), kind), UI.field(t('repairs.col.urgency'), urgency)),
      windowBox, UI.field(t('repairs.form.description'), desc), UI.field(t('repairs.form.source'), source)),
      onOk: async () => {
        const body = {unit: where.value(), name: name.value.trim(),
          phone: phone.value.trim(), category: category.value, kind: kind.value, urgency: urgency.value,
          preferred_time: urgency.value === 'appointment' ? {from: UI.isoFromInput(wFrom.value), to: UI.isoFromInput(wTo.value)} : null,
          description: desc.value.trim(), source: source.value};
        const r = await Api.post('/api/v1/repairs', body, {idempotent: true});
        UI.toast(t('repairs.created', {t: r.ticket}), 'ok');
        this.load();
        return r;
      }});
  },

  async renderSummary() {
    const month = this.month || UI.today().slice(0, 7);
    const input = UI.input({type: 'month', value: month, name: 'month'});
    input.addEventListener('change', () => { this.month = input.value; this.renderSummary(); });
    let s;
    try {
      s = await Api.get('/api/v1/repairs/summary' + Api.query(Object.assign({month}, App.siteParams())));
    } catch (e) {
      return UI.toast(e.message, 'error');
    }
    const mins = v => v === null ? '—' : t('summary.minutes', {n: v < 10 ? Math.round(v * 10) / 10 : Math.round(v)});
    const big = (key, value, sub) => UI.el('div.stat.static', null, UI.el('span.stat-value', {text: value}),
      UI.el('span.stat-label', {text: t(key)}), sub ? UI.el('span.stat-sub', {text: sub}) : null);
    const bars = (prefix, counts) => {
      const max = Math.max(1, ...Object.values(counts));
      const rows = Object.entries(counts).sort((a, b) => b[1] - a[1]);
      if (!rows.length) return UI.el('p.muted', {text: t('common.empty')});
      return UI.el('div.bars', null, rows.map(([k, v]) => {
        const fill = UI.el('span.bar-fill');
        fill.style.width = (100 * v / max) + '%';
        return UI.el('div.bar', null, UI.el('span.bar-label', {text: t(prefix + k)}), UI.el('span.bar-track', null, fill),
                     UI.el('span.bar-value', {text: v}));
      }));
    };
    UI.replace(this.body,
      UI.el('div.filters', null, UI.field(t('summary.month'), input)),
      UI.el('div.stats', null,
        big('summary.total', s.total),
        big('summary.accept', mins(s.median_minutes_to_accept)),
        big('summary.complete', mins(s.median_minutes_to_complete)),
        big('summary.sla', s.sla.rate === null ? '—' : Math.round(100 * s.sla.rate) + '%', t('summary.of', s.sla)),
        big('summary.satisfaction', s.satisfaction.average === null ? '—' : s.satisfaction.average.toFixed(1) + ' / 5')),
      UI.el('div.grid2', null,
        UI.el('section.card', null, UI.el('h3', {text: t('summary.by_category')}), bars('rcat.', s.by_category)),
        UI.el('section.card', null, UI.el('h3', {text: t('summary.by_status')}), bars('status.', s.by_status))),
      App.manySites() && Array.isArray(s.sites) ? this.siteSummary(s.sites, mins) : null);
  },

  // Every site's figures side by side, when the month covers several.
  siteSummary(sites, mins) {
    const cols = [
      {label: t('site.col'), cell: x => UI.el('strong', {text: x.name || x.code})},
      {label: t('summary.total'), cell: x => String(x.total)},
      {label: t('summary.accept'), cell: x => mins(x.median_minutes_to_accept)},
      {label: t('summary.complete'), cell: x => mins(x.median_minutes_to_complete)},
      {label: t('summary.sla'), cell: x => x.sla && x.sla.rate !== null ? Math.round(100 * x.sla.rate) + '%' : '—'},
      {label: t('summary.satisfaction'), cell: x => x.satisfaction && x.satisfaction.average !== null
        ? x.satisfaction.average.toFixed(1) + ' / 5' : '—'},
    ];
    return UI.el('section.card.flush.site-summary', null, UI.el('h3.card-title', {text: t('summary.by_site')}),
      UI.table(cols, sites, {rowAttrs: x => ({'data-site': x.code})}));
  },
};
