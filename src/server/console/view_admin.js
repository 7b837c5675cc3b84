// Administration: staff accounts (and the sites each works for), the
// sites themselves, the working-day calendar, and the audit log.
'use strict';

Views.admin = {
  tab: 'accounts',
  tabs: ['accounts', 'sites', 'calendar', 'audit'],
  year: new Date().getFullYear(),

  render(container, args) {
    if (this.tabs.includes(args[0])) this.tab = args[0];
    const action = this.tab === 'accounts' ? UI.button(t('admin.create'), () => this.create(), 'primary')
      : this.tab === 'sites' && App.everySite() ? UI.button(t('sites.add'), () => this.editSite(null), 'primary')
      : this.tab === 'calendar' && App.everySite() ? UI.button(t('calendar.add'), () => this.editDay(null), 'primary') : null;
    UI.append(container, [
      UI.el('div.page-head', null, UI.el('h1', {text: t('nav.admin')}),
        UI.el('div.tabs', null, this.tabs.map(x => UI.el('a.tab' + (x === this.tab ? '.active' : ''),
          {href: '#/admin/' + x, 'data-tab': x, text: t('admin.' + x)}))),
        UI.el('div.spacer'), action),
      this.body = UI.el('section.card.flush' + (this.tab === 'calendar' ? '.calendar-card' : ''))]);
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
      else if (this.tab === 'sites') this.renderSites((await get('/api/v1/sites')).sites);
      else if (this.tab === 'calendar') this.renderCalendar(await get('/api/v1/calendar' + Api.query({year: this.year})));
      else AdminAudit.render(this.body);
    } catch (e) { if (e !== Api.STALE) UI.toast(e.message, 'error'); }
  },

  renderAccounts(list) {
    const cols = [
      {label: t('admin.name'), cell: s => UI.el('strong', {text: s.name})},
      {label: t('admin.role'), cell: s => t('role.' + s.role)},
      {label: t('staff.sites'), cls: 'wrap', cell: s => this.staffSites(s)},
      {label: t('repairs.col.status'), cell: s => UI.chip(s.disabled ? t('admin.disabled') : t('admin.active'), s.disabled ? 'muted' : 'ok')},
      {label: '', cell: s => UI.el('span.muted', {text: s.console ? t('admin.console') : t('admin.token_only')})},
      {label: t('audit.at'), cell: s => UI.fmtTime(s.created_at, true)},
      {label: '', cell: s => s.name === App.me.name ? '' : UI.el('div.row-actions', null,
        App.everySite() && App.sites.length > 1 ? UI.button(t('staff.sites.set'), () => this.setSites(s), 'small') : null,
        UI.button(t('admin.reset'), () => this.reset(s), 'small'),
        UI.button(s.disabled ? t('admin.enable') : t('admin.disable'), () => this.toggle(s), 'small' + (s.disabled ? '' : ' danger-ghost')))},
    ];
    UI.replace(this.body, UI.table(cols, list, {rowAttrs: s => ({'data-staff': s.name})}));
  },

  // "全部小区", or the names of the member's sites as tags.
  staffSites(s) {
    const sites = s.sites || [];
    if (!sites.length) return UI.el('span.muted', {text: t('site.all')});
    return UI.el('span.site-tags', null, sites.map(code => UI.el('span.site-tag', {text: App.siteName(code)})));
  },

  // Checkboxes, one per site; none ticked means every site.
  siteChecks(selected) {
    const box = UI.el('div.site-checks', {role: 'group'});
    for (const site of App.sites)
      box.appendChild(UI.el('label.check.site-check', null,
        UI.el('input', {type: 'checkbox', name: 'site', value: site.code, checked: selected.includes(site.code)}),
        UI.el('span', {text: App.siteName(site.code)})));
    return box;
  },
  checkedSites(box) {
    return Array.from(box.querySelectorAll('input[name=site]:checked')).map(x => x.value);
  },

  setSites(s) {
    const box = this.siteChecks(s.sites || []);
    UI.dialog({title: t('staff.sites.set') + ' · ' + s.name, body: UI.el('div.form', null,
      UI.field(t('staff.sites'), box, t('staff.sites.hint'))),
      onOk: async () => {
        const r = await Api.put('/api/v1/staff/' + encodeURIComponent(s.name) + '/sites', {sites: this.checkedSites(box)});
        UI.toast(t('common.saved'), 'ok');
        this.load();
        return r;
      }});
  },

  renderSites(list) {
    const hours = x => x.workday ? x.workday.start + ' – ' + x.workday.end : t('sites.hours.default');
    const cols = [
      {label: t('sites.code'), cell: x => UI.el('span.mono', {text: x.code})},
      {label: t('sites.name'), cell: x => UI.el('strong', {text: x.name || '—'})},
      {label: t('sites.phone'), cell: x => x.service_phone || '—'},
      {label: t('sites.hours'), cell: x => UI.el(x.workday ? 'span' : 'span.muted', {text: hours(x)})},
      {label: t('sites.visitors'), cell: x => this.visitorSettings(x)},
      {label: '', cell: x => UI.el('div.row-actions', null, UI.button(t('common.edit'), () => this.editSite(x), 'small'))},
    ];
    UI.replace(this.body, UI.table(cols, list, {cls: 'sites', rowAttrs: x => ({'data-site': x.code})}));
  },

  // "8 小时签离 · 保留 180 天", the company's values shown as such.
  visitorSettings(x) {
    const own = v => v !== null && v !== undefined;
    if (!own(x.auto_checkout_hours) && !own(x.visit_retention_days)) return UI.el('span.muted', {text: t('sites.visitors.company')});
    return [own(x.auto_checkout_hours) ? t('sites.checkout.value', {n: x.auto_checkout_hours}) : t('sites.checkout.company'),
            own(x.visit_retention_days) ? t('sites.retention.value', {n: x.visit_retention_days}) : t('sites.retention.company')].join(' · ');
  },

  // Adds a site (site null) or changes one's name, phone, hours and
  // visitor settings; an empty number means the company's setting.
  editSite(site) {
    const x = site || {code: '', name: '', service_phone: '', workday: null};
    const numberOrNull = v => v === '' ? null : Number(v);
    const checkout = UI.input({type: 'number', min: 1, max: 72, name: 'auto_checkout_hours', value: x.auto_checkout_hours,
                               placeholder: t('sites.company_value')});
    const retention = UI.input({type: 'number', min: 0, max: 3650, name: 'visit_retention_days', value: x.visit_retention_days,
                                placeholder: t('sites.company_value')});
    const code = UI.input({maxlength: 16, name: 'code', value: x.code, pattern: '[A-Za-z0-9_][A-Za-z0-9_-]*',
                           placeholder: 'north', disabled: !!site});
    const name = UI.input({maxlength: 40, name: 'name', value: x.name});
    const phone = UI.input({type: 'tel', maxlength: 32, name: 'service_phone', value: x.service_phone, placeholder: '400-000-0000'});
    const own = UI.el('input', {type: 'checkbox', name: 'own_hours', checked: !!x.workday});
    const start = UI.input({type: 'time', name: 'workday_start', value: x.workday ? x.workday.start : '08:30'});
    const end = UI.input({type: 'time', name: 'workday_end', value: x.workday ? x.workday.end : '18:00'});
    const times = UI.el('div.grid2', null, UI.field(t('sites.hours.start'), start), UI.field(t('sites.hours.end'), end));
    const companyHours = UI.el('p.field-hint', {text: t('sites.hours.hint')});
    const sync = () => { times.hidden = !own.checked; companyHours.hidden = own.checked; };
    own.addEventListener('change', sync);
    sync();
    UI.dialog({title: site ? t('sites.edit') + ' · ' + (x.name || x.code) : t('sites.add'), body: UI.el('div.form', null,
      UI.field(t('sites.code'), code, site ? null : t('sites.code.hint')), UI.field(t('sites.name'), name),
      UI.field(t('sites.phone'), phone, t('sites.phone.hint')),
      UI.el('label.check', null, own, UI.el('span', {text: t('sites.hours.own')})), times, companyHours,
      UI.el('div.grid2', null, UI.field(t('visitors.auto_checkout'), checkout), UI.field(t('visitors.retention'), retention)),
      UI.el('p.field-hint', {text: t('sites.visitors.hint')})),
      onOk: async () => {
        const body = {name: name.value.trim(), service_phone: phone.value.trim(),
          workday: own.checked ? {start: start.value, end: end.value} : null,
          auto_checkout_hours: numberOrNull(checkout.value), visit_retention_days: numberOrNull(retention.value)};
        let r;
        if (site) r = await Api.patch('/api/v1/sites/' + encodeURIComponent(x.code), body);
        else {
          for (const k of ['workday', 'auto_checkout_hours', 'visit_retention_days']) if (body[k] === null) delete body[k];
          r = await Api.post('/api/v1/sites', Object.assign({code: code.value.trim()}, body));
        }
        UI.toast(t('common.saved'), 'ok');
        await App.loadSites();
        App.renderShell();
        App.route();
        return r;
      }});
  },

  create() {
    const name = UI.input({maxlength: 32, name: 'name'});
    const role = UI.select(['front_desk', 'technician', 'guard', 'admin'].map(r => [r, t('role.' + r)]), 'front_desk', {name: 'role'});
    const password = UI.input({type: 'text', minlength: 8, name: 'password', autocomplete: 'off'});
    const sites = App.everySite() && App.sites.length > 1 ? this.siteChecks([]) : null;
    UI.dialog({title: t('admin.create'), body: UI.el('div.form', null, UI.field(t('admin.name'), name),
      UI.field(t('admin.role'), role), UI.field(t('admin.password'), password, t('password.new')),
      sites ? UI.field(t('staff.sites'), sites, t('staff.sites.hint')) : null),
      onOk: async () => {
        // The account and its sites are one write: it never reaches more.
        const r = await Api.post('/api/v1/staff', {name: name.value.trim(), role: role.value, password: password.value,
                                                   sites: sites ? this.checkedSites(sites) : []});
        UI.toast(t('admin.created', {n: r.name, r: t('role.' + r.role)}), 'ok');
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

  // Disabling signs the person out at once, so it is confirmed first;
  // enabling gives nothing away and is not.
  async toggle(s) {
    if (!s.disabled && !await UI.confirm(t('admin.disable.confirm', {n: s.name}), t('admin.disable'), 'danger')) return;
    try {
      await Api.post('/api/v1/staff/' + encodeURIComponent(s.name) + (s.disabled ? '/enable' : '/disable'));
      UI.toast(t(s.disabled ? 'admin.enabled' : 'admin.disabled.done', {n: s.name}), 'ok');
    } catch (e) { UI.toast(e.message, 'error'); }
    this.load();
  },

  // The year's holidays and make-up working days; every other date is a
  // working day Monday to Friday.  Only an admin of every site changes
  // them (the API refuses the others, and says so).
  renderCalendar(cal, saved) {
    const now = new Date().getFullYear();
    const years = [];
    for (let y = Math.min(now - 1, this.year); y <= Math.max(now + 2, this.year); y++) years.push([String(y), String(y)]);
    const year = UI.select(years, String(this.year), {name: 'year', 'aria-label': t('calendar.year')});
    year.addEventListener('change', () => { this.year = Number(year.value); this.load(); });
    const edit = App.everySite();
    const cols = [
      {label: t('calendar.date'), cell: d => UI.el('span.mono', {text: d.date})},
      {label: t('calendar.weekday'), cell: d => t('calendar.wd.' + new Date(d.date + 'T12:00:00').getDay())},
      {label: t('calendar.type'), cell: d => UI.chip(t(d.workday ? 'calendar.workday' : 'calendar.holiday'),
                                                      d.workday ? 'cal-workday' : 'cal-holiday')},
      {label: t('calendar.note'), cls: 'wrap', cell: d => d.note || ''},
      {label: '', cell: d => edit ? UI.el('div.row-actions', null,
        UI.button(t('common.edit'), () => this.editDay(d), 'small'),
        UI.button(t('calendar.remove'), () => this.removeDay(d), 'small danger-ghost')) : ''},
    ];
    const holidays = cal.days.filter(d => !d.workday).length;
    UI.replace(this.body,
      UI.el('div.card-bar', null, UI.field(t('calendar.year'), year),
        UI.el('p.muted.calendar-hint', {text: t('calendar.hint', {h: holidays, w: cal.days.length - holidays})}),
        edit ? null : UI.el('p.muted.calendar-hint', {text: t('calendar.read_only')})),
      UI.table(cols, cal.days, {cls: 'calendar', empty: t('calendar.empty'),
                                rowAttrs: d => ({'data-date': d.date, class: d.date === saved ? 'flash' : null})}));
    const row = saved && this.body.querySelector(`tr[data-date="${saved}"]`);
    if (row) row.scrollIntoView({block: 'center'});
  },

  // Adds a date (day null) or changes one's kind and note.
  editDay(day) {
    const date = UI.input({type: 'date', name: 'date', value: day ? day.date : '', required: true, disabled: !!day,
                           min: this.year + '-01-01', max: this.year + '-12-31'});
    const kind = UI.select([['holiday', t('calendar.holiday')], ['workday', t('calendar.workday')]],
                           day && day.workday ? 'workday' : 'holiday', {name: 'workday'});
    const note = UI.input({name: 'note', maxlength: 32, value: day ? day.note : '', placeholder: t('calendar.note.hint')});
    UI.dialog({title: day ? t('calendar.edit') + ' · ' + day.date : t('calendar.add'), body: UI.el('div.form', null,
      UI.field(t('calendar.date'), date), UI.field(t('calendar.type'), kind), UI.field(t('calendar.note'), note),
      UI.el('p.field-hint', {text: t('calendar.effect')})),
      onOk: async () => {
        if (!date.value) throw new Error(t('calendar.date.missing'));
        const r = await Api.put('/api/v1/calendar/' + encodeURIComponent(date.value),
                                {workday: kind.value === 'workday', note: note.value.trim()});
        UI.toast(t('common.saved'), 'ok');
        // Show the year of the date saved, with its row in view.
        this.year = Number(date.value.slice(0, 4));
        try {
          this.renderCalendar(await Api.latest(this, 'load', () => Api.get('/api/v1/calendar' + Api.query({year: this.year}))), date.value);
        } catch (e) { if (e !== Api.STALE) UI.toast(e.message, 'error'); }
        return r || true;
      }});
  },

  async removeDay(day) {
    if (!await UI.confirm(t('calendar.remove.confirm', {d: day.date}), t('calendar.remove'), 'danger')) return;
    try {
      await Api.del('/api/v1/calendar/' + encodeURIComponent(day.date));
      UI.toast(t('calendar.removed', {d: day.date}), 'ok');
    } catch (e) { UI.toast(e.message, 'error'); }
    this.load();
  },
};
