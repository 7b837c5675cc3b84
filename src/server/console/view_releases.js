// Item-release passes (物品放行): residents moving things out apply at a
// kiosk (or the desk takes it down); the desk checks that the applicant
// belongs to the unit before approving, which makes the 6-digit code the
// gate guard checks (view_gate.js).  Applications waiting come first and
// the tab's badge counts them live; today's passes are listed for the desk.
'use strict';

// The tab's badge: applications waiting for the desk, refreshed on the
// "releases" topic wherever the user is.
const ReleaseWatch = {
  async check() {
    if (!App.office()) return;
    let list;
    try {
      list = (await Api.latest(this, 'check', () => Api.get('/api/v1/releases' +
        Api.query(Object.assign({status: 'submitted'}, App.siteParams()))))).releases;
    } catch (e) { return; }
    App.setBadge('releases', list.length);
  },
};

Views.releases = {
  tab: 'ledger',
  filters: {status: '', date: ''},
  list: [],
  openNumber: null,

  render(container, args) {
    this.tab = args[0] === 'today' ? 'today' : 'ledger';
    const tab = (id, href) => UI.el('a.tab' + (this.tab === id ? '.active' : ''), {href, 'data-tab': id, text: t('releases.tab.' + id)});
    const head = UI.el('div.page-head', null, UI.el('h1', {text: t('releases.title')}),
      UI.el('div.tabs', null, tab('ledger', '#/releases'), tab('today', '#/releases/today')),
      UI.el('div.spacer'),
      UI.button(t('releases.new'), () => this.create(), 'primary'));
    this.counts = UI.el('div.stats.release-stats');
    this.tableBox = UI.el('div.card.flush');
    this.drawer = UI.el('aside.drawer', {id: 'drawer', hidden: true});
    UI.append(container, [head, this.counts,
      this.tab === 'ledger' ? this.filterBar() : UI.el('p.muted.release-hint', {text: t('releases.today.hint')}),
      this.tableBox, this.drawer]);
    this.openNumber = null;
    ReleaseWatch.check();
    this.load();
  },

  onEvents(topics) {
    if (!topics.includes('releases')) return;
    ReleaseWatch.check();
    this.load();
    if (this.openNumber) this.show(this.openNumber, true);
  },

  filterBar() {
    const f = this.filters;
    const status = UI.select([['', t('common.all')]].concat(ReleaseCodes.status.map(s => [s, t('rstatus.' + s)])), f.status, {name: 'status'});
    const date = UI.input({type: 'date', name: 'date', value: f.date});
    status.addEventListener('change', () => { f.status = status.value; this.load(); });
    date.addEventListener('change', () => { f.date = date.value; this.load(); });
    return UI.el('div.filters', null,
      UI.field(t('releases.col.status'), status), UI.field(t('releases.col.date'), date),
      UI.button(t('common.reset'), () => { this.filters = {status: '', date: ''}; App.route(); }, 'ghost'));
  },

  async load() {
    const f = this.filters;
    const get = params => Api.get('/api/v1/releases' + Api.query(Object.assign(params, App.siteParams())));
    let listed, waiting, today;
    try {
      [listed, waiting, today] = await Api.latest(this, 'load', () => Promise.all([
        this.tab === 'ledger' ? get({status: f.status, date: f.date}) : null,
        get({status: 'submitted'}), get({date: UI.today()})]));
    } catch (e) {
      if (e !== Api.STALE) UI.toast(e.message, 'error');
      return;
    }
    this.renderCounts(waiting.releases, today.releases);
    if (this.tab === 'today') return this.renderToday(today.releases.filter(r => r.status === 'approved' || r.status === 'used'));
    this.list = this.waitingFirst(listed.releases);
    this.renderTable();
  },

  // Applications waiting for the desk lead; otherwise newest first, as
  // the server lists them.
  waitingFirst(list) {
    const waiting = r => r.status === 'submitted' ? 1 : 0;
    return list.map((r, i) => [r, i]).sort((a, b) => (waiting(b[0]) - waiting(a[0])) || (a[1] - b[1])).map(x => x[0]);
  },

  renderCounts(waiting, today) {
    const card = (key, value, cls, onclick) => UI.el('button.stat' + (cls && value ? '.' + cls : ''), {type: 'button', onclick, 'data-count': key},
      UI.el('span.stat-value', {text: String(value)}), UI.el('span.stat-label', {text: t(key)}));
    const show = (tab, patch) => () => {
      this.filters = Object.assign({status: '', date: ''}, patch);
      location.hash = tab === 'today' ? '#/releases/today' : '#/releases';
      App.route();
    };
    UI.replace(this.counts,
      card('releases.count.submitted', waiting.length, 'accent', show('ledger', {status: 'submitted'})),
      card('releases.count.today', today.filter(r => r.status === 'approved' && !r.expired).length, null, show('today')),
      card('releases.count.used', today.filter(r => r.status === 'used').length, null, show('today')));
  },

  applicantCell(r) {
    return [UI.el('div', {text: r.name || '—'}), r.phone ? UI.el('div.mono.muted', {text: maskPhone(r.phone)}) : null];
  },

  renderTable() {
    const cols = [
      {label: t('releases.col.number'), cell: r => UI.el('span.mono', {text: r.number})},
      ...App.siteColumn(),
      {label: t('releases.col.unit'), cell: r => App.unitText(r.unit)},
      {label: t('releases.col.items'), cls: 'wrap', cell: r => UI.el('span.clamp', {text: r.items, title: r.items})},
      {label: t('releases.col.date'), cell: r => ReleaseFmt.dayLong(r.date)},
      {label: t('releases.col.plate'), cell: r => r.plate ? UI.el('span.mono', {text: r.plate}) : UI.el('span.muted', {text: '—'})},
      {label: t('releases.col.applicant'), cell: r => this.applicantCell(r)},
      {label: t('releases.col.source'), cell: r => t('src.' + r.source)},
      {label: t('releases.col.status'), cell: r => ReleaseFmt.chip(r)},
      {label: t('releases.col.created'), cell: r => UI.fmtTime(r.created_at, true)},
    ];
    UI.replace(this.tableBox, UI.table(cols, this.list, {cls: 'releases', rowAttrs: r => this.rowAttrs(r)}));
  },

  rowAttrs(r) {
    return {'data-number': r.number, class: 'clickable' + (r.status === 'submitted' ? ' waiting' : ''), tabindex: 0,
            onclick: () => this.show(r.number), onkeydown: e => { if (e.key === 'Enter') this.show(r.number); }};
  },

  // Today's passes: the code to read out when a resident asks, and
  // whether the gate has let the things out yet.
  renderToday(list) {
    const cols = [
      {label: t('releases.col.code'), cell: r => UI.el('span.release-code', {text: r.code || '—'})},
      {label: t('releases.col.number'), cell: r => UI.el('span.mono', {text: r.number})},
      ...App.siteColumn(),
      {label: t('releases.col.unit'), cell: r => App.unitText(r.unit)},
      {label: t('releases.col.items'), cls: 'wrap', cell: r => UI.el('span.clamp', {text: r.items, title: r.items})},
      {label: t('releases.col.plate'), cell: r => r.plate ? UI.el('span.mono', {text: r.plate}) : UI.el('span.muted', {text: '—'})},
      {label: t('releases.col.applicant'), cell: r => this.applicantCell(r)},
      {label: t('releases.col.status'), cell: r => r.status === 'used'
        ? [ReleaseFmt.chip(r), ' ', UI.el('span.muted', {text: t('releases.used_by', {t: UI.fmtTime(r.used_at), n: r.used_by || ''})})]
        : ReleaseFmt.chip(r)},
    ];
    UI.replace(this.tableBox, UI.table(cols, list, {cls: 'releases-today', empty: t('releases.today.empty'),
                                                    rowAttrs: r => this.rowAttrs(r)}));
  },

  async show(number, quiet) {
    let r;
    try {
      r = await Api.latest(this, 'show', () => Api.get('/api/v1/releases/' + encodeURIComponent(number)));
    } catch (e) {
      if (e !== Api.STALE && !quiet) UI.toast(e.message, 'error');
      return;
    }
    this.openNumber = number;
    const d = this.drawer;
    d.hidden = false;
    const info = (k, v) => [UI.el('dt', {text: t(k)}), UI.el('dd', null, v === null || v === undefined || v === '' ? '—' : v)];
    // The desk sees the applicant in full: it calls them to check.
    const applicant = [r.name || '', ' ', r.phone ? UI.el('a', {href: 'tel:' + r.phone, text: r.phone}) : null];
    UI.replace(d,
      UI.el('header.drawer-head', null, UI.el('div', null, UI.el('h2.mono', {text: r.number}), ReleaseFmt.chip(r)),
        UI.el('button.icon-btn', {type: 'button', 'aria-label': t('common.close'), text: '×',
          onclick: () => { d.hidden = true; this.openNumber = null; }})),
      UI.el('div.drawer-actions', null, this.actions(r).map(([ev, cls]) =>
        UI.button(t('releases.act.' + ev), () => this.act(r, ev), cls))),
      r.code && r.status === 'approved' && !r.expired
        ? UI.el('div.release-code-box', null, UI.el('span.field-label', {text: t('releases.col.code')}),
                UI.el('span.release-code.big', {text: r.code})) : null,
      UI.el('dl.facts', null,
        App.sites.length > 1 ? info('site.col', App.siteName(r.site)) : null,
        info('releases.col.unit', App.unitText(r.unit)),
        info('releases.col.applicant', applicant),
        info('releases.col.items', UI.el('span.pre', {text: r.items})),
        info('releases.col.date', r.date ? ReleaseFmt.dayLong(r.date) + ' (' + r.date + ')' : null),
        info('releases.col.plate', r.plate),
        info('releases.col.source', t('src.' + r.source)),
        info('releases.col.created', UI.fmtTime(r.created_at, true)),
        info('releases.col.decided', r.decided_at ? UI.fmtTime(r.decided_at, true) + ' · ' + (r.decided_by || '') : null),
        r.reason ? info('releases.col.reason', UI.el('span.pre', {text: r.reason})) : null,
        r.used_at ? info('releases.col.used', t('releases.used_by', {t: UI.fmtTime(r.used_at, true), n: r.used_by || ''})) : null),
      UI.el('h3', {text: t('releases.timeline')}),
      UI.el('ol.timeline', null, (r.events || []).map(ev => UI.el('li', {'data-event': ev.event},
        UI.el('div.tl-head', null, UI.el('strong', {text: t('revent.' + ev.event)}),
              UI.el('span.muted', {text: UI.fmtTime(ev.at, true)})),
        UI.el('div.tl-by', {text: App.eventWho(ev)}),
        ev.reason ? UI.el('div.tl-note', {text: ev.reason}) : null,
        ev.note ? UI.el('div.tl-note', {text: ev.note}) : null))));
  },

  // What the desk may do, as src/common's release rules allow: decide a
  // waiting application; cancel a pass not yet used nor past its day.
  actions(r) {
    if (r.status === 'submitted') return [['approve', 'primary'], ['refuse', 'danger-ghost']];
    if (r.status === 'approved' && !r.expired) return [['cancel', 'danger-ghost']];
    return [];
  },

  // Approving needs the box ticked: the desk has checked the applicant
  // lives in or owns the unit.  Refusing and cancelling need a reason,
  // which the resident reads at the kiosk.
  async act(r, event) {
    const body = {event};
    const fields = [];
    let verified = null, reason = null;
    const note = UI.el('textarea', {rows: 2, maxlength: 200, name: 'note'});
    if (event === 'approve') {
      verified = UI.el('input', {type: 'checkbox', name: 'verified'});
      fields.push(
        UI.el('dl.facts', null,
          UI.el('dt', {text: t('releases.col.unit')}), UI.el('dd', {text: App.unitText(r.unit)}),
          UI.el('dt', {text: t('releases.col.applicant')}), UI.el('dd', null, r.name || '', ' ',
            r.phone ? UI.el('a', {href: 'tel:' + r.phone, text: r.phone}) : null),
          UI.el('dt', {text: t('releases.col.items')}), UI.el('dd.pre', {text: r.items}),
          UI.el('dt', {text: t('releases.col.date')}), UI.el('dd', {text: ReleaseFmt.dayLong(r.date)})),
        UI.el('label.check.verify', null, verified, UI.el('span', {text: t('releases.approve.verified')})),
        UI.field(t('repairs.note'), note));
    } else {
      reason = UI.el('textarea', {rows: 3, maxlength: 200, name: 'reason', required: true});
      fields.push(UI.el('p', {text: t('releases.confirm.' + event)}),
                  UI.field(t('releases.col.reason'), reason, t('releases.reason.hint')));
    }
    const ok = await UI.dialog({title: t('releases.act.' + event) + ' · ' + r.number, ok: t('releases.act.' + event),
      okClass: event === 'approve' ? 'primary' : 'danger', body: UI.el('div.form', null, fields),
      onOk: async () => {
        if (verified) {
          if (!verified.checked) throw new Error(t('releases.approve.verify_needed'));
          body.verified = true;
          if (note.value.trim()) body.note = note.value.trim();
        }
        if (reason) {
          if (!reason.value.trim()) {
            reason.focus();
            throw new Error(t('releases.reason.needed'));
          }
          body.reason = reason.value.trim();
        }
        return Api.post('/api/v1/releases/' + encodeURIComponent(r.number) + '/events', body);
      }});
    if (!ok) return;
    UI.toast(ok.status === 'approved' && ok.code ? t('releases.approved', {n: r.number, c: ok.code})
                                                 : t('rstatus.' + ok.status) + ' · ' + r.number, 'ok');
    this.load();
    if (this.openNumber === r.number) this.show(r.number);
    ReleaseWatch.check();
  },

  // An application taken at the desk (or by phone): waiting like a
  // kiosk's until someone checks the applicant and approves it.
  create() {
    const where = App.unitPicker();
    const items = UI.el('textarea', {rows: 3, maxlength: 200, name: 'items', placeholder: t('releases.form.items_hint')});
    const date = UI.select(ReleaseFmt.dates().map(d => [d, ReleaseFmt.dayLong(d)]), UI.today(), {name: 'date'});
    const plate = UI.input({maxlength: 10, name: 'plate', autocomplete: 'off'});
    const name = UI.input({maxlength: 32, name: 'name'});
    const phone = UI.input({type: 'tel', maxlength: 20, name: 'phone'});
    const source = UI.select([['front_desk', t('src.front_desk')], ['phone', t('src.phone')]], 'front_desk', {name: 'source'});
    UI.dialog({title: t('releases.new'), wide: true, body: UI.el('div.form', null,
      where.fields,
      UI.field(t('releases.col.items'), items),
      UI.el('div.grid3', null, UI.field(t('releases.col.date'), date), UI.field(t('releases.form.plate'), plate),
            UI.field(t('releases.col.source'), source)),
      UI.el('div.grid2', null, UI.field(t('complaints.form.name'), name), UI.field(t('repairs.form.phone'), phone)),
      UI.el('p.field-hint', {text: t('releases.form.hint')})),
      onOk: async () => {
        const body = {items: items.value.trim(), date: date.value, name: name.value.trim(), phone: phone.value.trim(),
                      source: source.value};
        if (where.value()) body.unit = where.value();
        if (plate.value.trim()) body.plate = plate.value.trim().toUpperCase();
        const r = await Api.post('/api/v1/releases', body, {idempotent: true});
        UI.toast(t('releases.created', {n: r.number}), 'ok');
        this.load();
        ReleaseWatch.check();
        return r;
      }});
  },
};
