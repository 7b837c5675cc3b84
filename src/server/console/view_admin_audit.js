// 操作日志, the admin's audit log: who did what and when, in words (an
// action's name, its detail's codes as labels), filtered by who, by kind
// of action and by dates, and exported as CSV in the same words.  lobbyd
// stores codes ("repair.event", "dispatch -> 李师傅"); the words are here.
'use strict';

const AuditWords = {
  // The kinds of action the filter offers: the part before the dot.
  kinds: ['session', 'account', 'repair', 'complaint', 'release', 'renovation', 'worker', 'visit', 'invite',
          'rollcall', 'notice', 'kiosk', 'site', 'directory', 'calendar', 'settings'],

  action(code) {
    const key = 'audit.do.' + code;
    return key in LobbyStrings[I18n.lang] ? t(key) : code;
  },

  // A label for a code when the console has one, else the code.
  label(prefix, code) {
    const key = prefix + code;
    return code && key in LobbyStrings[I18n.lang] ? t(key) : code;
  },

  // "dispatch -> 李师傅" and the like, in words; unknown shapes as they are.
  detail(e) {
    const d = e.detail || '';
    if (!d) return '';
    const [kind] = e.action.split('.');
    const arrow = (prefix, s) => {
      const [ev, who] = s.split(' -> ');
      return this.label(prefix, ev.trim()) + (who ? ' → ' + who : '');
    };
    switch (e.action) {
    case 'account.create': return this.label('role.', d);
    case 'repair.create': { const [src, cat] = d.split(' '); return this.label('src.', src) + ' · ' + this.label('rcat.', cat); }
    case 'repair.event': return arrow('event.', d);
    case 'repair.photo': return d.replace(/^photo (\d+)x(\d+)$/, '$1 × $2');
    case 'notice.image': return d.replace(/^image (\d+)x(\d+)$/, '$1 × $2');
    case 'complaint.create': {
      const [src, k, cat] = d.split(' ');
      return [this.label('src.', src), this.label('ckind.', k), this.label('ccat.', cat)].filter(Boolean).join(' · ');
    }
    case 'complaint.event': {
      const sat = /(satisfied|basically_satisfied|unsatisfied)$/.exec(d);
      const rest = sat ? d.slice(0, -sat[1].length) : d;
      return arrow('cevent.', rest) + (sat ? ' · ' + this.label('csat.', sat[1]) : '');
    }
    case 'release.create': { const [src, date] = d.split(' '); return this.label('src.', src) + ' · ' + date; }
    case 'release.event': return this.label('revent.', d);
    case 'renovation.event': { const [ev, end] = d.split(' '); return this.label('zevent.', ev) + (end ? ' · ' + end : ''); }
    case 'renovation.create': return d.replace('..', ' – ');
    case 'worker.issue': case 'worker.renew': return d.replace(/^valid until /, t('audit.valid_until') + ' ');
    case 'calendar.set': return this.label('calendar.', d);
    case 'account.sites': return d.replace(/^sites ?/, '') || t('site.all');
    case 'rollcall.mark': {
      const [who, what] = d.split(' ');
      return (who === 'worker' ? t('visitors.workers') : t('visitors.kind.visitor')) + ' · ' + this.label('audit.rollcall.', what);
    }
    default:
      if (kind === 'notice') return d.replace(/^\[emergency\] /, t('notices.emergency_tag') + ' · ');
      if (e.action === 'settings.update') {
        return d.replace(/auto_checkout_hours=(\d+)/, (m, h) => t('audit.auto_checkout', {h}))
                .replace(/retention_days=(\d+)/, (m, n) => t('audit.retention', {n}));
      }
      return d;
    }
  },

  // The target with what it is: a notice's number, a kiosk's name.
  target(e) {
    if (!e.target) return '—';
    const [kind] = e.action.split('.');
    if (kind === 'notice') return t('audit.target.notice', {id: e.target});
    if (kind === 'visit' || kind === 'invite') return t('audit.target.' + kind, {id: e.target.slice(0, 10)});
    if (e.action === 'rollcall.mark' && e.target.startsWith('v_')) return t('audit.target.visit', {id: e.target.slice(0, 10)});
    return e.target;
  },

  who(e) {
    return e.actor + (e.actor_role ? ' · ' + t('role.' + e.actor_role) : '');
  },
};

const AdminAudit = {
  filters: {actor: '', action: '', from: '', to: ''},
  PAGE: 100,
  EXPORT_MAX: 20000,

  render(body) {
    this.body = body;
    this.tableBox = UI.el('div');
    UI.replace(body, this.filterBar(), this.tableBox);
    this.load(false);
  },

  // lobbyd's "to" is exclusive: the day after the last one chosen.
  params(before, limit) {
    const f = this.filters;
    return Api.query({actor: f.actor, action: f.action, from: f.from, to: f.to ? UI.nextDay(f.to) : '', before, limit});
  },

  filterBar() {
    const f = this.filters;
    const bind = (node, key) => { node.addEventListener('change', () => { f[key] = node.value; this.load(false); }); return node; };
    const people = [['', t('common.all')]].concat((this.staff || []).map(s => [s.name, s.name]));
    const actor = UI.select(people, f.actor, {name: 'actor'});
    Api.get('/api/v1/staff').then(r => {
      this.staff = r.staff;
      for (const s of r.staff) if (![...actor.options].some(o => o.value === s.name)) actor.add(new Option(s.name, s.name));
      actor.value = f.actor;
    }, () => {});
    const kinds = [['', t('common.all')]].concat(AuditWords.kinds.map(k => [k, t('audit.kind.' + k)]));
    return UI.el('div.filters.audit-filters', null,
      UI.field(t('audit.actor'), bind(actor, 'actor')),
      UI.field(t('audit.kind'), bind(UI.select(kinds, f.action, {name: 'action'}), 'action')),
      UI.field(t('repairs.filter.from'), bind(UI.input({type: 'date', value: f.from, name: 'from'}), 'from')),
      UI.field(t('repairs.filter.to'), bind(UI.input({type: 'date', value: f.to, name: 'to'}), 'to')),
      UI.button(t('common.reset'), () => { this.filters = {actor: '', action: '', from: '', to: ''}; this.render(this.body); }, 'ghost'),
      UI.el('div.spacer'),
      UI.button(t('audit.export'), () => this.exportCsv(), 'ghost export-audit'));
  },

  async load(more) {
    const last = more && this.entries[this.entries.length - 1];
    let answer;
    try {
      answer = await Api.latest(this, 'load', () => Api.get('/api/v1/audit' + this.params(last ? last.id : '', this.PAGE)));
    } catch (e) { if (e !== Api.STALE) UI.toast(e.message, 'error'); return; }
    this.entries = more ? this.entries.concat(answer.entries) : answer.entries;
    this.total = answer.total;
    this.renderTable(this.entries.length < answer.total);
  },

  renderTable(hasMore) {
    const cols = [
      {label: t('audit.at'), cell: e => UI.fmtTime(e.at, true)},
      {label: t('audit.actor'), cell: e => AuditWords.who(e)},
      {label: t('audit.action'), cell: e => UI.el('span', {title: e.action, text: AuditWords.action(e.action)})},
      {label: t('audit.target'), cell: e => AuditWords.target(e)},
      {label: t('audit.detail'), cls: 'wrap', cell: e => AuditWords.detail(e)},
      {label: t('audit.address'), cell: e => UI.el('span.muted', {text: e.address})},
    ];
    UI.replace(this.tableBox,
      this.entries.length ? UI.el('p.muted.audit-count', {text: t('audit.count', {n: this.entries.length, total: this.total})}) : null,
      this.entries.length ? UI.table(cols, this.entries, {cls: 'audit'}) : UI.el('p.empty-state', {text: t('common.empty')}),
      hasMore ? UI.el('div.form-actions', null, UI.button(t('audit.more'), () => this.load(true), 'ghost')) : null);
  },

  // Every entry the filters match (up to EXPORT_MAX), in the words the
  // table shows.
  async exportCsv() {
    const rows = [];
    let before = '', capped = false;
    try {
      for (;;) {
        const page = (await Api.get('/api/v1/audit' + this.params(before, 500))).entries;
        rows.push(...page);
        if (page.length < 500) break;
        if (rows.length >= this.EXPORT_MAX) { capped = true; break; }
        before = page[page.length - 1].id;
      }
    } catch (e) { return UI.toast(e.message, 'error'); }
    const head = ['audit.at', 'audit.actor', 'audit.action', 'audit.target', 'audit.detail', 'audit.address'].map(k => t(k));
    UI.downloadCsv('audit-' + UI.today() + '.csv', [head].concat(rows.slice(0, this.EXPORT_MAX).map(e =>
      [e.at, AuditWords.who(e), AuditWords.action(e.action), AuditWords.target(e), AuditWords.detail(e), e.address])));
    if (capped) UI.toast(t('audit.export.capped', {n: this.EXPORT_MAX}), 'warn');
  },
};
