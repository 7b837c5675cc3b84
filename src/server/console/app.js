// The console shell: sign-in, navigation by role, live updates.
'use strict';

const Views = {};
const App = {
  me: null,
  sites: [],      // the sites the user reaches: [{code, name, service_phone, workday}]
  site: '',       // the one chosen in the header; '' = every site reached
  directory: [],
  technicians: [],
  view: null,
  timers: [],

  // The office: admins and the front desk, who see the ledgers and their
  // badges.  Technicians and guards have one page each.
  office() {
    return !!App.me && (App.me.role === 'admin' || App.me.role === 'front_desk');
  },

  navFor(role) {
    if (role === 'technician') return [['repairs', 'nav.my_repairs']];
    // The gate guard checks release codes and reaches nothing else.
    if (role === 'guard') return [['gate', 'nav.gate']];
    const items = [['repairs', 'nav.repairs'], ['complaints', 'nav.complaints'], ['returns', 'nav.returns'],
                   ['releases', 'nav.releases'], ['renovations', 'nav.renovations'], ['visitors', 'nav.visitors'],
                   ['notices', 'nav.notices'], ['kiosks', 'nav.kiosks']];
    if (role === 'admin') items.push(['admin', 'nav.admin']);
    return items;
  },

  async boot() {
    document.documentElement.lang = I18n.lang === 'zh' ? 'zh-CN' : 'en';
    document.title = t('app.title');
    Api.onSignedOut = () => App.showSignIn();
    Live.onState = ok => App.setLive(ok);
    Live.listeners.add(topics => App.onEvents(topics));
    window.addEventListener('hashchange', () => App.route());
    document.addEventListener('keydown', e => App.onKey(e));
    try {
      const me = await Api.get('/api/v1/session');
      await App.signedIn(me);
    } catch (e) {
      App.showSignIn();
    }
  },

  showSignIn() {
    Live.stop();
    App.me = null;
    const root = document.getElementById('app');
    const name = UI.input({name: 'name', autocomplete: 'username', required: true});
    const password = UI.input({type: 'password', name: 'password', autocomplete: 'current-password', required: true});
    const error = UI.el('p.form-error', {role: 'alert'});
    const form = UI.el('form.signin-card', {onsubmit: async e => {
      e.preventDefault();
      error.textContent = '';
      try {
        const me = await Api.call('POST', '/api/v1/session', {name: name.value.trim(), password: password.value});
        password.value = '';
        await App.signedIn(me);
      } catch (err) {
        error.textContent = err.status === 429 ? t('signin.limited') : err.status === 401 ? t('signin.failed')
          : err.code === 'account_disabled' ? t('signin.disabled') : err.message;
      }
    }},
      UI.el('div.signin-brand', null, UI.el('div.logo', {text: '物'}), UI.el('div', null,
        UI.el('h1', {text: t('app.title')}), UI.el('p.muted', {text: t('signin.title')}))),
      UI.field(t('signin.name'), name),
      UI.field(t('signin.password'), password),
      error,
      UI.el('button.btn.primary.block', {type: 'submit', text: t('signin.submit')}),
      UI.el('button.link-btn', {type: 'button', text: t('lang.switch'), onclick: () => { I18n.toggle(); App.showSignIn(); }}));
    UI.replace(root, UI.el('div.signin-page', null, form));
    name.focus();
  },

  async signedIn(me) {
    App.me = me;
    Api.csrf = me.csrf_token;
    await App.loadShared();
    App.renderShell();
    Live.seq = null;
    // The events feed is not the guard's: their page changes only when
    // they check a code.
    if (App.me.role !== 'guard') Live.start();
    App.route();
    VisitorWatch.pending = null;
    App.checkBadges();
  },

  // Every tab's badge, after sign-in and when the site changes.
  checkBadges() {
    VisitorWatch.check();
    ComplaintWatch.check();
    ReturnWatch.check();
    ReleaseWatch.check();
    RenovationWatch.check();
  },

  // Each await may end in a 401 that signs out (App.me null): an admin
  // disabled this account meanwhile.
  async loadShared() {
    await App.loadSites();
    App.directory = [];
    App.technicians = [];
    await App.loadDirectory();
    if (!App.me || App.me.role === 'guard') return;
    if (App.me.role !== 'technician') {
      try {
        App.technicians = (await Api.get('/api/v1/staff')).staff.filter(s => s.role === 'technician' && !s.disabled);
      } catch (e) { /* dispatch shows "no technicians" */ }
    }
  },

  // The sites this user reaches, and the one chosen before (kept in
  // localStorage per browser) when it is still one of them.
  async loadSites() {
    try {
      App.sites = (await Api.get('/api/v1/sites')).sites;
    } catch (e) { App.sites = []; }
    const kept = localStorage.getItem('lobby.site') || '';
    App.site = App.sites.length > 1 && App.sites.some(s => s.code === kept) ? kept : '';
  },

  // The buildings of the chosen site (of every site reached when none is).
  async loadDirectory() {
    try {
      App.directory = (await Api.get('/api/v1/directory' + Api.query({site: App.site}))).buildings;
    } catch (e) { App.directory = []; }
  },

  async chooseSite(code) {
    App.site = code;
    localStorage.setItem('lobby.site', code);
    await App.loadDirectory();
    App.route();
    App.checkBadges();
  },

  // The switcher: only for someone who reaches more than one site.  One
  // who works for a single site of several sees its name instead.
  siteSwitcher() {
    if (App.sites.length === 1 && !App.everySite())
      return UI.el('span.site-current', {title: t('site.col'), text: App.siteName(App.sites[0].code)});
    if (App.sites.length < 2) return null;
    const select = UI.select([['', t('site.all')]].concat(App.sites.map(s => [s.code, App.siteName(s.code)])), App.site,
      {id: 'site-switch', name: 'site', 'aria-label': t('site.switch'), onchange: e => App.chooseSite(e.target.value)});
    return UI.el('label.site-switch', {title: t('site.switch')}, UI.el('span.site-icon', {'aria-hidden': 'true', text: '⌂'}), select);
  },

  // Lists add this to their query: {site: code} or nothing.
  siteParams() {
    return App.site ? {site: App.site} : {};
  },
  // Whether lists mix records of several sites, so rows need a 小区 column.
  manySites() {
    return App.site === '' && App.sites.length > 1;
  },
  // The staff member reaches every site (an empty list in the session).
  everySite() {
    return !App.me.sites || App.me.sites.length === 0;
  },
  siteName(code) {
    if (code === null || code === undefined) return t('site.all');
    const s = App.sites.find(x => x.code === code);
    return s && s.name ? s.name : code;
  },
  // The 小区 column for a list, present only when it mixes sites.
  siteColumn() {
    return App.manySites() ? [{label: t('site.col'), cell: r => UI.el('span.site-tag', {text: App.siteName(r.site)})}] : [];
  },
  // Where a create goes: the site chosen in the header; with every site
  // chosen, a notice (allowAll) is for every site when the user reaches
  // them all, and anything else asks which site.  Returns the field to
  // show (null for someone with one site) and value(): the code to send,
  // or undefined to send none.
  siteForCreate(allowAll) {
    if (App.sites.length < 2) return {field: null, value: () => undefined};
    const fixed = (code, text) => ({value: () => code,
      field: UI.field(t('site.col'), UI.el('div.site-fixed', {'data-site': code || '', text}))});
    if (App.site) return fixed(App.site, App.siteName(App.site));
    if (allowAll && App.everySite()) return fixed(undefined, t('site.all'));
    const select = UI.select(App.sites.map(s => [s.code, App.siteName(s.code)]), App.sites[0].code, {name: 'site'});
    return {field: UI.field(t('site.col'), select), value: () => select.value, select};
  },

  renderShell() {
    const root = document.getElementById('app');
    const nav = UI.el('nav.nav', {'aria-label': 'main'},
      App.navFor(App.me.role).map(([id, key]) => UI.el('a.nav-link', {href: '#/' + id, 'data-view': id, text: t(key)})));
    const menu = UI.el('div.user-menu', null,
      App.me.role === 'guard' ? null : UI.el('span.live', {id: 'live', title: t('live.on'), text: t('live.on')}),
      UI.el('button.link-btn', {type: 'button', text: t('lang.switch'), onclick: () => { I18n.toggle(); App.renderShell(); App.route(); }}),
      UI.el('details.menu', null,
        UI.el('summary', null, UI.el('span.avatar', {text: App.me.name.slice(0, 1)}),
              UI.el('span.user-name', {text: App.me.name}), UI.el('span.role', {text: t('role.' + App.me.role)})),
        UI.el('div.menu-items', null,
          UI.button(t('menu.password'), () => App.changePassword(), 'ghost'),
          UI.button(t('menu.signout'), () => App.signOut(), 'ghost'))));
    UI.replace(root,
      UI.el('header.topbar', null, UI.el('div.brand', null, UI.el('div.logo', {text: '物'}),
             UI.el('span.brand-name', {text: t('app.title')})),
      // A guard's checks span the sites they work for: nothing to switch.
      App.me.role === 'guard' ? null : App.siteSwitcher(), nav, menu),
      UI.el('div.emergency-slot', {id: 'emergency'}),
      UI.el('main.content', {id: 'view'}));
    EmergencyWatch.check();
  },

  setLive(ok) {
    const n = document.getElementById('live');
    if (!n) return;
    n.classList.toggle('off', !ok);
    n.title = ok ? t('live.on') : t('live.off');
    n.textContent = ok ? t('live.on') : t('live.off');
  },

  route() {
    if (!App.me) return;
    const allowed = App.navFor(App.me.role).map(n => n[0]);
    const parts = location.hash.replace(/^#\/?/, '').split('/');
    const id = allowed.includes(parts[0]) ? parts[0] : allowed[0];
    for (const a of document.querySelectorAll('.nav-link')) {
      a.classList.toggle('active', a.dataset.view === id);
      if (a.dataset.view === id) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
    // A title per page: the browser's tabs and history tell them apart.
    const nav = App.navFor(App.me.role).find(n => n[0] === id);
    document.title = t(nav[1]) + ' · ' + t('app.title');
    for (const timer of App.timers) clearInterval(timer);
    App.timers = [];
    App.view = Views[id];
    const container = document.getElementById('view');
    UI.clear(container);
    container.className = 'content view-' + id;
    App.view.render(container, parts.slice(1));
  },

  every(ms, fn) { App.timers.push(setInterval(fn, ms)); },

  // The keyboard does what the mouse does: Enter or Space opens a row
  // (rows that open something are focusable and .clickable), Escape
  // closes the open drawer or user menu.  A dialog handles its own.
  onKey(e) {
    const target = e.target;
    if ((e.key === 'Enter' || e.key === ' ') && target.classList && target.classList.contains('clickable') &&
        target.tagName === 'TR') {
      e.preventDefault();
      target.click();
      return;
    }
    if (e.key !== 'Escape' || document.querySelector('dialog[open]')) return;
    const drawer = document.querySelector('.drawer:not([hidden])');
    if (drawer) {
      const close = drawer.querySelector('.drawer-head .icon-btn');
      if (close) close.click(); else drawer.hidden = true;
      return;
    }
    for (const menu of document.querySelectorAll('details[open]')) menu.open = false;
  },

  // The count on a tab (none at 0), which the watches keep live.
  setBadge(view, n) {
    const link = document.querySelector(`.nav-link[data-view="${view}"]`);
    if (!link) return;
    link.dataset.badge = n ? String(n) : '';
    link.classList.toggle('has-badge', n > 0);
  },

  // A second mark on a tab, for alerts rather than work waiting: "⚠ 2".
  setAlert(view, n, title) {
    const link = document.querySelector(`.nav-link[data-view="${view}"]`);
    if (!link) return;
    let mark = link.querySelector('.nav-alert');
    if (!n) {
      if (mark) mark.remove();
      return;
    }
    if (!mark) mark = link.appendChild(UI.el('span.nav-alert'));
    mark.textContent = '⚠ ' + n;
    mark.title = title || '';
  },

  onEvents(topics) {
    if (!App.me) return;
    if (topics.includes('staff') && App.me.role !== 'technician') App.loadShared();
    if (topics.includes('visits') && App.view !== Views.visitors) VisitorWatch.check();
    if (topics.includes('complaints') && App.view !== Views.complaints) ComplaintWatch.check();
    if (topics.includes('repairs') || topics.includes('complaints')) ReturnWatch.check();
    if (topics.includes('releases') && App.view !== Views.releases) ReleaseWatch.check();
    if (topics.includes('renovations') && App.view !== Views.renovations) RenovationWatch.check();
    if (topics.includes('notices')) EmergencyWatch.check();
    if (App.view && App.view.onEvents) App.view.onEvents(topics);
  },

  async signOut() {
    try { await Api.del('/api/v1/session'); } catch (e) { /* signed out anyway */ }
    App.showSignIn();
  },

  changePassword() {
    const current = UI.input({type: 'password', autocomplete: 'current-password'});
    const fresh = UI.input({type: 'password', autocomplete: 'new-password', minlength: 8});
    UI.dialog({title: t('menu.password'), body: UI.el('div.form', null,
      UI.field(t('password.current'), current), UI.field(t('password.new'), fresh)),
      onOk: async () => {
        await Api.post('/api/v1/session/password', {current: current.value, new: fresh.value});
        UI.toast(t('password.changed'), 'ok');
        return true;
      }});
  },

  // Helpers shared by views.
  buildingName(code) {
    const b = App.directory.find(x => x.code === code);
    return b ? b.name : code;
  },
  // [code, label] for a building select; the site's name leads when
  // buildings of several sites are listed.
  buildingOptions() {
    return App.directory.map(b => [b.code, App.manySites() ? App.siteName(b.site) + ' · ' + b.name : b.name]);
  },
  // Building, unit and room selects filled from the directory, for the
  // forms the desk fills in for a resident.  opts.none labels a "no unit"
  // choice (complaints may have none).  value() is {building, unit, room},
  // or null when no building is chosen.
  unitPicker(opts) {
    opts = opts || {};
    const b = UI.select((opts.none ? [['', opts.none]] : []).concat(App.buildingOptions()), opts.none ? '' : null, {name: 'building'});
    const u = UI.select([], null, {name: 'unit'});
    const room = UI.select([], null, {name: 'room'});
    const options = (node, values) => UI.replace(node, [['', '—']].concat(values.map(v => [v, v]))
      .map(([v, l]) => UI.el('option', {value: v, text: l})));
    const building = () => App.directory.find(x => x.code === b.value) || {units: []};
    const fillRooms = () => {
      const unit = building().units.find(x => x.code === u.value) || {rooms: []};
      options(room, unit.rooms);
      room.value = unit.rooms.length ? unit.rooms[0] : '';
    };
    const fillUnits = () => {
      const units = building().units;
      options(u, units.map(x => x.code));
      u.value = units.length ? units[0].code : '';
      u.disabled = room.disabled = !b.value;
      fillRooms();
    };
    b.addEventListener('change', fillUnits);
    u.addEventListener('change', fillRooms);
    fillUnits();
    return {building: b, fields: UI.el('div.grid3', null, UI.field(t('repairs.form.building'), b),
                                       UI.field(t('repairs.form.unit'), u), UI.field(t('repairs.form.room'), room)),
            value: () => b.value ? {building: b.value, unit: u.value, room: room.value} : null};
  },
  // Who recorded a timeline event: "admin · 管理员", "lobby-1 · 自助机".
  eventWho(ev) {
    if (ev.by_role === 'kiosk') return (ev.by ? ev.by + ' · ' : '') + t('src.kiosk');
    return (ev.by || '') + (ev.by_role ? ' · ' + t('role.' + ev.by_role) : '');
  },
  unitText(u) {
    if (!u) return '';
    const parts = [App.buildingName(u.building)];
    if (u.unit) parts.push(u.unit + (I18n.lang === 'zh' ? '单元' : ''));
    if (u.room) parts.push(u.room);
    return parts.join(I18n.lang === 'zh' ? ' ' : ' / ');
  },
  options(prefix, codes, withAll) {
    const list = codes.map(c => [c, t(prefix + c)]);
    return withAll ? [['', t('common.all')]].concat(list) : list;
  },
};

const Codes = {
  status: ['submitted', 'accepted', 'dispatched', 'on_site', 'completed', 'return_visit', 'closed', 'cancelled'],
  rcat: ['water', 'electric', 'door_lock', 'lift', 'appliance', 'public_area', 'other'],
  urg: ['emergency', 'normal', 'appointment'],
  kind: ['in_unit', 'public_area', 'warranty'],
  ncat: ['works', 'outage', 'fees', 'safety', 'community', 'other'],
  purpose: ['business', 'family', 'delivery', 'interview', 'other'],
};

// Complaints and suggestions (投诉建议), shared by their page and 回访.
const ComplaintCodes = {
  kind: ['complaint', 'suggestion', 'praise', 'enquiry'],
  category: ['service_attitude', 'cleaning', 'security_order', 'noise_neighbours', 'parking', 'fees', 'facilities', 'other'],
  status: ['submitted', 'accepted', 'assigned', 'replied', 'return_visited', 'closed', 'follow_up'],
  satisfaction: ['satisfied', 'basically_satisfied', 'unsatisfied'],
};

// "138****8000" as lobby_phone_mask writes it: a mainland mobile keeps its
// first three and last four digits, anything else only its last four.
function maskPhone(phone) {
  if (!phone) return '';
  if (/^1[3-9]\d{9}$/.test(phone)) return phone.slice(0, 3) + '****' + phone.slice(7);
  if (phone.length <= 4) return '****';
  return phone.slice(0, -4).replace(/[^-]/g, '*') + phone.slice(-4);
}

// Item-release passes (物品放行), shared by the desk's page and the gate.
const ReleaseCodes = {
  status: ['submitted', 'approved', 'used', 'refused', 'cancelled'],
  // A pass is dated from the site's today to this many days ahead.
  daysAhead: 14,
};

// How the desk and the gate write a pass's day and status.
const ReleaseFmt = {
  // "12/2" for 2026-12-02: the day, as the gate reads it.
  day(date) {
    if (!date) return '—';
    const [, m, d] = date.split('-').map(Number);
    return m + '/' + d;
  },
  weekday(date) {
    return t('calendar.wd.' + new Date(date + 'T12:00:00').getDay());
  },
  // "12/2 星期三", with 今天 when it is today.
  dayLong(date) {
    if (!date) return '—';
    return ReleaseFmt.day(date) + ' ' + ReleaseFmt.weekday(date) + (date === UI.today() ? ' · ' + t('releases.today') : '');
  },
  // An approved pass whose day has passed reads 已过期, not 已批准.
  chip(r) {
    const s = r.expired ? 'expired' : r.status;
    return UI.chip(t('rstatus.' + s), 'rs-' + s);
  },
  // The dates a pass may carry: today and the next daysAhead days.
  dates() {
    const out = [];
    const d = new Date();
    const p = n => String(n).padStart(2, '0');
    for (let i = 0; i <= ReleaseCodes.daysAhead; i++) {
      out.push(d.getFullYear() + '-' + p(d.getMonth() + 1) + '-' + p(d.getDate()));
      d.setDate(d.getDate() + 1);
    }
    return out;
  },
};

document.addEventListener('DOMContentLoaded', () => App.boot());
