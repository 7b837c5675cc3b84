// Visitors: approvals with a visible and audible cue, who is on site (an
// evacuation list that prints, renovation workers checked in at a kiosk
// included), today's log, invites and settings.
'use strict';

// Watches pending visits from any page: a new one beeps and marks the nav.
const VisitorWatch = {
  pending: null,
  async check() {
    if (!App.office()) return;
    let list;
    try { list = (await Api.latest(this, 'check', () => Api.get('/api/v1/visits' + Api.query(Object.assign({state: 'pending'}, App.siteParams()))))).visits; } catch (e) { return; }
    App.setBadge('visitors', list.length);
    if (this.pending !== null && list.length > this.pending) {
      UI.beep();
      UI.toast(t('visitors.new_pending'), 'warn');
    }
    this.pending = list.length;
  },
};

// The visitor log's page, and the most one CSV export takes.
const VISIT_LOG_PAGE = 100;
const VISIT_EXPORT_MAX = 20000;

Views.visitors = {
  tab: 'pending',
  tabs: ['pending', 'onsite', 'today', 'invite', 'settings'],

  render(container, args) {
    this.container = container;
    if (this.tabs.includes(args[0])) this.tab = args[0];
    const visible = this.tabs.filter(x => x !== 'settings' || App.me.role === 'admin');
    UI.append(container, [
      UI.el('div.page-head.no-print', null, UI.el('h1', {text: t('nav.visitors')}),
        UI.el('div.tabs', null, visible.map(x => UI.el('a.tab' + (x === this.tab ? '.active' : ''),
          {href: '#/visitors/' + x, text: t(x === 'invite' ? 'visitors.invite' : x === 'settings' ? 'visitors.settings' : 'visitors.' + x)})))),
      this.body = UI.el('div')]);
    VisitorWatch.check();
    this.load();
  },

  onEvents(topics) {
    if (topics.includes('visits')) {
      VisitorWatch.check();
      if (this.tab !== 'invite' && this.tab !== 'settings') this.load();
      // The form keeps what is typed; only the list below it reloads.
      if (this.tab === 'invite') this.loadInvites();
    }
  },

  async load() {
    const get = path => Api.latest(this, 'load', () => Api.get(path));
    try {
      const site = App.siteParams();
      if (this.tab === 'pending') return this.renderPending((await get('/api/v1/visits' + Api.query(Object.assign({state: 'pending'}, site)))).visits);
      if (this.tab === 'onsite') {
        const onsite = await get('/api/v1/visits/onsite' + Api.query(site));
        return this.renderOnsite(onsite.visits, onsite.workers || [], onsite.rollcall || []);
      }
      if (this.tab === 'today') {
        const range = this.logRange || (this.logRange = {from: UI.today(), to: UI.today(), q: '', page: 0});
        const log = await get('/api/v1/visits' + Api.query(Object.assign({from: range.from, to: UI.nextDay(range.to),
          q: range.q.trim(), limit: VISIT_LOG_PAGE, offset: range.page * VISIT_LOG_PAGE}, site)));
        return this.renderLog(log);
      }
      if (this.tab === 'invite') return this.renderInvite();
      if (this.tab === 'settings') return this.renderSettings(await get('/api/v1/settings'));
    } catch (e) {
      if (e !== Api.STALE) UI.toast(e.message, 'error');
    }
  },

  who(v) {
    return [UI.el('strong', {text: v.name}), UI.el('span.muted', {text: ' ' + v.phone})];
  },

  renderPending(list) {
    if (!list.length) return UI.replace(this.body, UI.el('p.empty-state', {text: t('visitors.pending.empty')}));
    UI.replace(this.body, UI.el('div.cards', null, list.map(v => UI.el('article.card.visit.pending', {'data-visit': v.id},
      UI.el('div.visit-head', null, this.who(v), UI.chip(t('purpose.' + v.purpose))),
      App.manySites() ? UI.el('div.visit-line', null, UI.el('span.site-tag', {text: App.siteName(v.site)})) : null,
      UI.el('div.visit-line', {text: t('visitors.col.host') + '：' + v.host}),
      UI.el('div.visit-line.muted', {text: t('visitors.col.party') + ' ' + v.party_size +
        (v.plate ? ' · ' + v.plate : '') + (v.kiosk ? ' · ' + v.kiosk : '') + ' · ' + UI.fmtTime(v.created_at)}),
      UI.el('div.visit-actions', null,
        UI.button(t('visitors.approve'), () => this.decide(v, true), 'primary'),
        UI.button(t('visitors.refuse'), () => this.decide(v, false), 'danger-ghost'))))));
  },

  async decide(v, approve) {
    if (approve) {
      try {
        await Api.post('/api/v1/visits/' + v.id + '/approve');
        UI.toast(t('visitors.approve') + ' · ' + v.name, 'ok');
      } catch (e) { UI.toast(e.message, 'error'); }
      return this.load();
    }
    const reason = UI.input({maxlength: 200, name: 'reason'});
    const ok = await UI.dialog({title: t('visitors.refuse') + ' · ' + v.name, okClass: 'danger',
      body: UI.field(t('visitors.refuse.reason'), reason),
      onOk: () => Api.post('/api/v1/visits/' + v.id + '/refuse', {reason: reason.value.trim()})});
    if (ok) this.load();
  },

  async checkout(v) {
    if (!await UI.confirm(t('visitors.checkout.confirm') + ' ' + v.name)) return;
    try {
      await Api.post('/api/v1/visits/' + v.id + '/checkout');
    } catch (e) { UI.toast(e.message, 'error'); }
    this.load();
  },

  // A worker who left without signing out at a kiosk: the desk signs
  // them out so the evacuation list is right.
  async checkoutWorker(w) {
    if (!await UI.confirm(t('visitors.worker_checkout.confirm', {n: w.name}))) return;
    try {
      await Api.post('/api/v1/workers/' + w.id + '/checkout');
    } catch (e) { UI.toast(e.message, 'error'); }
    this.load();
  },

  // Everyone to account for in an evacuation: visits, then the workers
  // of renovations (施工人员) checked in with their passes; where each is
  // going and since when.  Both print and export; neither shows a pass
  // code (a printed code would let anyone sign its visitor out).
  renderOnsite(list, workers, marks) {
    this.onsite = {list, workers};
    const people = list.reduce((n, v) => n + v.party_size, 0);
    // The roll-call: a tick per visit or worker, shared by every desk and
    // phone doing it (each change is audited and arrives live).
    const marked = new Map(marks.map(m => [m.kind + ':' + m.id, m]));
    const tick = (kind, id, name) => {
      const m = marked.get(kind + ':' + id);
      return UI.el('button.tick' + (m ? '.safe' : ''), {type: 'button', 'aria-pressed': m ? 'true' : 'false',
        'aria-label': t(m ? 'rollcall.unmark' : 'rollcall.mark', {n: name}),
        title: m ? t('rollcall.by', {who: m.marked_by, at: UI.fmtTime(m.marked_at)}) : '',
        text: m ? '✓ ' + t('rollcall.safe') : t('rollcall.unknown'), onclick: () => this.mark(kind, id, !m)});
    };
    const done = list.filter(v => marked.has('visit:' + v.id)).length + workers.filter(w => marked.has('worker:' + w.id)).length;
    const total = list.length + workers.length;
    const since = at => UI.fmtTime(at, true) + ' · ' + t('visitors.for', {d: UI.fmtDuration(Date.now() - new Date(at).getTime())});
    const cols = [
      {label: t('rollcall.col'), cell: v => tick('visit', v.id, v.name)},
      ...App.siteColumn(),
      {label: t('visitors.col.name'), cell: v => v.name},
      {label: t('visitors.col.party'), cell: v => String(v.party_size)},
      {label: t('visitors.col.where'), cell: v => v.host},
      {label: t('visitors.col.since'), cell: v => since(v.checked_in_at)},
      {label: t('visitors.col.phone'), cell: v => v.phone},
      {label: t('visitors.col.plate'), cell: v => v.plate || '—'},
      {label: '', cls: 'no-print', cell: v => UI.button(t('visitors.checkout'), () => this.checkout(v), 'small')},
    ];
    const workerCols = [
      {label: t('rollcall.col'), cell: w => tick('worker', String(w.id), w.name)},
      ...App.siteColumn(),
      {label: t('visitors.col.name'), cell: w => [w.name, ' ', UI.chip(t('visitors.workers'), 'worker-tag')]},
      {label: t('visitors.col.where'), cell: w => App.unitText(w.unit)},
      {label: t('visitors.col.since'), cell: w => since(w.checked_in_at)},
      {label: t('visitors.col.phone'), cell: w => w.phone},
      {label: t('visitors.col.company'), cls: 'wrap', cell: w => w.company},
      {label: t('visitors.col.renovation'), cell: w => UI.el('span.mono', {text: w.renovation})},
      {label: '', cls: 'no-print', cell: w => UI.button(t('visitors.checkout'), () => this.checkoutWorker(w), 'small')},
    ];
    UI.replace(this.body,
      UI.el('div.print-head', null,
        UI.el('h2', {text: t('visitors.evacuation')}),
        UI.el('span.muted.evacuation-count', {text: t('visitors.evacuation.total', {t: people + workers.length}) + ' · ' +
          t('visitors.evacuation.count', {n: list.length, p: people}) + ' · ' +
          t('visitors.evacuation.workers', {w: workers.length}) + ' · ' + new Date().toLocaleString()}),
        UI.el('strong.rollcall-count' + (total && done === total ? '.all' : ''), {text: t('rollcall.count', {d: done, n: total})}),
        UI.el('div.spacer'),
        UI.button(t('rollcall.reset'), () => this.resetRollcall(), 'no-print ghost rollcall-reset'),
        UI.button(t('visitors.evacuation.export'), () => this.exportOnsite(), 'no-print export-onsite'),
        UI.button(t('common.print'), () => window.print(), 'no-print')),
      UI.el('div.card.flush', null, UI.table(cols, list, {cls: 'evacuation'})),
      UI.el('h3.section-title.workers-title', {text: t('visitors.workers') + ' · ' + workers.length}),
      UI.el('div.card.flush', null, UI.table(workerCols, workers, {cls: 'evacuation evacuation-workers',
        empty: t('visitors.workers.empty'), rowAttrs: w => ({'data-worker': w.id, class: 'worker-row'})})));
  },

  async mark(kind, id, safe) {
    try {
      await Api.post('/api/v1/rollcall/marks', {kind, id, safe});
    } catch (e) { UI.toast(e.message, 'error'); }
    this.load();
  },

  async resetRollcall() {
    if (!await UI.confirm(t('rollcall.reset.confirm'), t('rollcall.reset'), 'danger')) return;
    try {
      await Api.post('/api/v1/rollcall/reset' + Api.query(App.siteParams()));
    } catch (e) { UI.toast(e.message, 'error'); }
    this.load();
  },

  // The list as it is on the screen, one row a person or party, for a
  // spreadsheet at the assembly point.
  exportOnsite() {
    const {list, workers} = this.onsite;
    const site = r => App.manySites() ? [App.siteName(r.site)] : [];
    const head = [...(App.manySites() ? [t('site.col')] : []), t('visitors.col.kind'), t('visitors.col.name'),
      t('visitors.col.party'), t('visitors.col.where'), t('visitors.col.since'), t('visitors.col.phone'), t('visitors.col.company')];
    UI.downloadCsv('evacuation-' + UI.today() + '.csv', [head].concat(
      list.map(v => [...site(v), t('visitors.kind.visitor'), v.name, v.party_size, v.host, v.checked_in_at, v.phone, '']),
      workers.map(w => [...site(w), t('visitors.workers'), w.name, 1, App.unitText(w.unit), w.checked_in_at, w.phone, w.company])));
  },

  // The visitor log: a date range (today at first), a search lobbyd does
  // (name, phone or its last 4, where, plate), pages of VISIT_LOG_PAGE
  // with lobbyd's count of every match, CSV of every match.  The dates
  // and the search box are made once, so typing keeps its focus while the
  // rows below them are replaced.
  renderLog(log) {
    if (!this.logBox || !this.body.contains(this.logBox)) this.renderLogFilters();
    this.renderLogRows(log);
  },

  renderLogFilters() {
    const range = this.logRange;
    const date = key => {
      const input = UI.input({type: 'date', name: 'log_' + key, value: range[key], max: UI.today()});
      input.addEventListener('change', () => { if (input.value) { range[key] = input.value; range.page = 0; this.load(); } });
      return input;
    };
    const search = UI.input({type: 'search', name: 'log_q', value: range.q, maxlength: 64, placeholder: t('visitors.log.search_hint'),
      'aria-label': t('visitors.log.search')});
    // Searched a moment after the last key; Api.latest keeps a slow
    // answer to an older query from replacing a newer one.
    let typing = null;
    search.addEventListener('input', () => {
      clearTimeout(typing);
      typing = setTimeout(() => { range.q = search.value; range.page = 0; this.load(); }, 250);
    });
    this.logBox = UI.el('div');
    this.logPager = UI.el('nav.pager', {'aria-label': t('pager.label')});
    UI.replace(this.body,
      UI.el('div.filters', null,
        UI.field(t('repairs.filter.from'), date('from')), UI.field(t('repairs.filter.to'), date('to')),
        UI.el('div.search-field', null, UI.field(t('visitors.log.search'), search)),
        UI.el('div.spacer'),
        UI.button(t('visitors.evacuation.export'), () => this.exportLog(), 'export-log')),
      this.logBox, this.logPager);
  },

  renderLogRows(log) {
    const shown = log.visits;
    const cols = [
      {label: t('visitors.col.in'), cell: v => UI.fmtTime(v.checked_in_at || v.created_at, true)},
      {label: t('visitors.col.out'), cell: v => UI.fmtTime(v.checked_out_at, true)},
      ...App.siteColumn(),
      {label: t('visitors.col.name'), cell: v => v.name},
      {label: t('visitors.col.phone'), cell: v => v.phone},
      {label: t('visitors.col.host'), cell: v => v.host},
      {label: t('visitors.col.purpose'), cell: v => t('purpose.' + v.purpose)},
      {label: t('visitors.col.party'), cell: v => String(v.party_size)},
      {label: t('visitors.col.state'), cell: v => UI.chip(t('vstate.' + v.state), 'vs-' + v.state)},
      {label: '', cell: v => v.state === 'approved' ? UI.button(t('visitors.checkout'), () => this.checkout(v), 'small') : ''},
    ];
    UI.replace(this.logBox,
      UI.el('p.muted.log-count', {text: t('visitors.log.count', {n: log.total})}),
      UI.el('div.card.flush', null, UI.table(cols, shown, {cls: 'visit-log', rowAttrs: v => ({'data-visit': v.id})})));
    const range = this.logRange;
    UI.pager(this.logPager, {page: range.page, size: VISIT_LOG_PAGE, total: log.total, shown: shown.length,
      go: page => { range.page = page; this.load(); this.logBox.scrollIntoView({block: 'start'}); }});
  },

  // Every visit that matches, page after page, up to VISIT_EXPORT_MAX.
  async exportLog() {
    const r = this.logRange;
    const rows = [];
    try {
      for (let offset = 0; offset < VISIT_EXPORT_MAX; offset += 1000) {
        const page = await Api.get('/api/v1/visits' + Api.query(Object.assign({from: r.from, to: UI.nextDay(r.to),
          q: r.q.trim(), limit: 1000, offset}, App.siteParams())));
        rows.push(...page.visits);
        if (!page.more) break;
      }
    } catch (e) {
      return UI.toast(e.message, 'error');
    }
    const head = [...(App.manySites() ? [t('site.col')] : []), t('visitors.col.in'), t('visitors.col.out'), t('visitors.col.name'),
      t('visitors.col.phone'), t('visitors.col.host'), t('visitors.col.purpose'), t('visitors.col.party'), t('visitors.col.plate'),
      t('visitors.col.state')];
    UI.downloadCsv('visitors-' + r.from + '-' + r.to + '.csv', [head].concat(rows.map(v => [
      ...(App.manySites() ? [App.siteName(v.site)] : []), v.checked_in_at || v.created_at, v.checked_out_at || '', v.name, v.phone,
      v.host, t('purpose.' + v.purpose), v.party_size, v.plate || '', t('vstate.' + v.state)])));
  },

  renderInvite() {
    const name = UI.input({maxlength: 32, name: 'name'});
    const phone = UI.input({type: 'tel', name: 'phone'});
    const host = UI.input({maxlength: 64, name: 'host'});
    const purpose = UI.select(App.options('purpose.', Codes.purpose), 'business', {name: 'purpose'});
    const party = UI.input({type: 'number', min: 1, max: 20, value: 1, name: 'party_size'});
    const plate = UI.input({maxlength: 10, name: 'plate'});
    const until = UI.input({type: 'datetime-local', name: 'valid_until', value: UI.localInput(new Date(Date.now() + 86400000))});
    const site = App.siteForCreate(false);
    const result = UI.el('div.invite-result', {hidden: true});
    const error = UI.el('p.form-error', {role: 'alert'});
    const form = UI.el('form.card.form.narrow', {onsubmit: async e => {
      e.preventDefault();
      error.textContent = '';
      try {
        const r = await Api.post('/api/v1/invites', {name: name.value.trim(), phone: phone.value.trim(), host: host.value.trim(),
          purpose: purpose.value, party_size: Number(party.value), plate: plate.value.trim() || null,
          valid_until: UI.isoFromInput(until.value), site: site.value()});
        result.hidden = false;
        UI.replace(result, UI.el('span.field-label', {text: t('visitors.invite.code')}),
          UI.el('div.big-code', {id: 'invite-code', text: r.invite_code}), UI.el('p.muted', {text: t('visitors.invite.hint')}),
          r.valid_until_at ? UI.el('p.muted', {text: t('visitors.invite.valid') + ' ' + UI.fmtTime(r.valid_until_at, true)}) : null);
        for (const field of [name, phone, host, plate]) field.value = '';
        this.loadInvites();
      } catch (err) { error.textContent = err.message; }
    }},
      site.field,
      UI.el('div.grid2', null, UI.field(t('visitors.col.name'), name), UI.field(t('visitors.col.phone'), phone)),
      UI.field(t('visitors.col.host'), host),
      UI.el('div.grid3', null, UI.field(t('visitors.col.purpose'), purpose), UI.field(t('visitors.col.party'), party), UI.field(t('visitors.col.plate'), plate)),
      UI.field(t('visitors.invite.valid'), until), error,
      UI.el('button.btn.primary', {type: 'submit', text: t('visitors.invite.create')}));
    this.invites = UI.el('div.card.flush.invites');
    UI.replace(this.body, UI.el('div.split', null, form, result),
      UI.el('h3.section-title', {text: t('invites.title')}), this.invites);
    this.loadInvites();
  },

  // The invites sent, newest first, each with its state; one not yet used
  // can be revoked (a changed plan, a code sent to the wrong person).
  async loadInvites() {
    let list;
    try {
      list = (await Api.latest(this, 'invites', () => Api.get('/api/v1/invites' + Api.query(App.siteParams())))).invites;
    } catch (e) { if (e !== Api.STALE) UI.toast(e.message, 'error'); return; }
    if (!this.invites) return;
    const now = Date.now();
    const stateOf = i => i.used_at ? 'used' : i.revoked_at ? 'revoked' : new Date(i.valid_until_at).getTime() < now ? 'expired' : 'active';
    const chipClass = {active: 'ok', used: 'muted', revoked: 'vs-refused', expired: 'muted'};
    const cols = [
      ...App.siteColumn(),
      {label: t('visitors.invite.code'), cell: i => UI.el('span.mono', {text: i.code})},
      {label: t('visitors.col.name'), cell: i => i.name},
      {label: t('visitors.col.host'), cell: i => i.host},
      {label: t('visitors.invite.valid'), cell: i => UI.fmtTime(i.valid_until_at, true)},
      {label: t('invites.by'), cell: i => i.created_by || '—'},
      {label: t('visitors.col.state'), cell: i => UI.chip(t('invites.state.' + stateOf(i)), chipClass[stateOf(i)])},
      {label: '', cell: i => stateOf(i) === 'active' ? UI.button(t('invites.revoke'), () => this.revokeInvite(i), 'small danger-ghost') : ''},
    ];
    UI.replace(this.invites, UI.table(cols, list, {empty: t('invites.empty'), rowAttrs: i => ({'data-invite': i.code})}));
  },

  async revokeInvite(i) {
    if (!await UI.confirm(t('invites.revoke.confirm', {n: i.name, c: i.code}), t('invites.revoke'), 'danger')) return;
    try {
      await Api.post('/api/v1/invites/' + encodeURIComponent(i.code) + '/revoke');
      UI.toast(t('invites.revoked', {n: i.name}), 'ok');
    } catch (e) { UI.toast(e.message, 'error'); }
    this.loadInvites();
  },

  renderSettings(s) {
    const hours = UI.input({type: 'number', min: 1, max: 72, value: s.auto_checkout_hours, name: 'auto_checkout_hours'});
    const days = UI.input({type: 'number', min: 0, max: 3650, value: s.visit_retention_days, name: 'visit_retention_days'});
    UI.replace(this.body, UI.el('form.card.form.narrow', {onsubmit: async e => {
      e.preventDefault();
      try {
        await Api.put('/api/v1/settings', {auto_checkout_hours: Number(hours.value), visit_retention_days: Number(days.value)});
        UI.toast(t('common.saved'), 'ok');
      } catch (err) { UI.toast(err.message, 'error'); }
    }}, UI.field(t('visitors.auto_checkout'), hours), UI.field(t('visitors.retention'), days),
      UI.el('button.btn.primary', {type: 'submit', text: t('common.save')})));
  },
};
