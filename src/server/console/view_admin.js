// Administration: staff accounts and the audit log.
'use strict';

Views.admin = {
  tab: 'accounts',

  render(container, args) {
    if (args[0] === 'audit' || args[0] === 'accounts') this.tab = args[0];
    UI.append(container, [
      UI.el('div.page-head', null, UI.el('h1', {text: t('nav.admin')}),
        UI.el('div.tabs', null, ['accounts', 'audit'].map(x => UI.el('a.tab' + (x === this.tab ? '.active' : ''),
          {href: '#/admin/' + x, text: t('admin.' + x)}))),
        UI.el('div.spacer'),
        this.tab === 'accounts' ? UI.button(t('admin.create'), () => this.create(), 'primary') : null),
      this.body = UI.el('section.card.flush')]);
    this.before = 0;
    this.load();
  },

  onEvents(topics) {
    if (topics.includes('staff') && this.tab === 'accounts') this.load();
  },

  async load() {
    const get = path => Api.latest(this, 'load', () => Api.get(path));
    try {
      if (this.tab === 'accounts') this.renderAccounts((await get('/api/v1/staff')).staff);
      else this.renderAudit((await get('/api/v1/audit?limit=100')).entries, false);
    } catch (e) { if (e !== Api.STALE) UI.toast(e.message, 'error'); }
  },

  renderAccounts(list) {
    const cols = [
      {label: t('admin.name'), cell: s => UI.el('strong', {text: s.name})},
      {label: t('admin.role'), cell: s => t('role.' + s.role)},
      {label: t('repairs.col.status'), cell: s => UI.chip(s.disabled ? t('admin.disabled') : t('admin.active'), s.disabled ? 'muted' : 'ok')},
      {label: '', cell: s => UI.el('span.muted', {text: s.console ? t('admin.console') : t('admin.token_only')})},
      {label: t('audit.at'), cell: s => UI.fmtTime(s.created_at, true)},
      {label: '', cell: s => s.name === App.me.name ? '' : UI.el('div.row-actions', null,
        UI.button(t('admin.reset'), () => this.reset(s), 'small'),
        UI.button(s.disabled ? t('admin.enable') : t('admin.disable'), () => this.toggle(s), 'small' + (s.disabled ? '' : ' danger-ghost')))},
    ];
    UI.replace(this.body, UI.table(cols, list, {rowAttrs: s => ({'data-staff': s.name})}));
  },

  create() {
    const name = UI.input({maxlength: 32, name: 'name'});
    const role = UI.select(['front_desk', 'technician', 'admin'].map(r => [r, t('role.' + r)]), 'front_desk', {name: 'role'});
    const password = UI.input({type: 'text', minlength: 8, name: 'password', autocomplete: 'off'});
    UI.dialog({title: t('admin.create'), body: UI.el('div.form', null, UI.field(t('admin.name'), name),
      UI.field(t('admin.role'), role), UI.field(t('admin.password'), password, t('password.new'))),
      onOk: async () => {
        const r = await Api.post('/api/v1/staff', {name: name.value.trim(), role: role.value, password: password.value});
        this.load();
        return r;
      }});
  },

  reset(s) {
    const password = UI.input({type: 'text', minlength: 8, name: 'password', autocomplete: 'off'});
    UI.dialog({title: t('admin.reset') + ' · ' + s.name, body: UI.field(t('admin.new_password'), password),
      onOk: async () => {
        await Api.post('/api/v1/staff/' + encodeURIComponent(s.name) + '/password', {password: password.value});
        UI.toast(t('admin.reset.done'), 'ok');
        return true;
      }});
  },

  async toggle(s) {
    try {
      await Api.post('/api/v1/staff/' + encodeURIComponent(s.name) + (s.disabled ? '/enable' : '/disable'));
    } catch (e) { UI.toast(e.message, 'error'); }
    this.load();
  },

  renderAudit(entries, append) {
    this.entries = append ? this.entries.concat(entries) : entries;
    const cols = [
      {label: t('audit.at'), cell: e => UI.fmtTime(e.at, true)},
      {label: t('audit.actor'), cell: e => e.actor + (e.actor_role ? ' · ' + t('role.' + e.actor_role) : '')},
      {label: t('audit.action'), cell: e => UI.el('span.mono', {text: e.action})},
      {label: t('audit.target'), cell: e => e.target || '—'},
      {label: t('audit.detail'), cls: 'wrap', cell: e => e.detail || ''},
      {label: t('audit.address'), cell: e => UI.el('span.muted', {text: e.address})},
    ];
    const last = this.entries[this.entries.length - 1];
    UI.replace(this.body, UI.table(cols, this.entries, {cls: 'audit'}),
      entries.length === 100 && last ? UI.el('div.form-actions', null, UI.button(t('audit.more'), async () => {
        try { this.renderAudit((await Api.get('/api/v1/audit?limit=100&before=' + last.id)).entries, true); }
        catch (e) { UI.toast(e.message, 'error'); }
      }, 'ghost')) : null);
  },
};
