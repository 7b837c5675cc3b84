// Kiosks: status, enrolment (the token shown once with a kiosk.ini
// snippet), revocation, what each shows (its feed, or a screenshot of its
// screen now), and the building directory.
'use strict';

Views.kiosks = {
  render(container) {
    const admin = App.me.role === 'admin';
    this.listBox = UI.el('section.card.flush');
    this.dirBox = UI.el('section.card');
    UI.append(container, [
      UI.el('div.page-head', null, UI.el('h1', {text: t('kiosks.title')}), UI.el('div.spacer'),
        admin ? UI.button(t('kiosks.enrol'), () => this.enrol(), 'primary') : null),
      this.listBox,
      admin ? UI.el('h2.section-title', {text: t('kiosks.directory')}) : null,
      admin ? this.dirBox : null]);
    App.every(30000, () => this.load());
    this.load();
    if (admin) this.loadDirectory();
  },

  onEvents(topics) {
    if (topics.includes('kiosks')) this.load();
  },

  async load() {
    let list;
    try { list = (await Api.latest(this, 'load', () => Api.get('/api/v1/kiosks' + Api.query(App.siteParams())))).kiosks; } catch (e) { return e === Api.STALE || UI.toast(e.message, 'error'); }
    const admin = App.me.role === 'admin';
    const state = k => k.revoked_at ? UI.chip(t('kiosks.revoked'), 'muted') :
      UI.el('span.status', null, UI.el('span.dot' + (k.online ? '.on' : '')), t(k.online ? 'kiosks.online' : 'kiosks.offline'));
    const cols = [
      {label: t('kiosks.col.name'), cell: k => UI.el('strong', {text: k.name})},
      {label: t('kiosks.col.state'), cell: state},
      ...App.siteColumn(),
      {label: t('kiosks.col.building'), cell: k => App.buildingName(k.building)},
      {label: t('kiosks.col.group'), cell: k => k.group || '—'},
      {label: t('kiosks.col.seen'), cell: k => UI.fmtTime(k.last_seen_at, true)},
      {label: t('kiosks.col.version'), cell: k => k.version || '—'},
      {label: t('kiosks.col.queued'), cell: k => k.queued === null || k.queued === undefined ? '—' :
        UI.el('span' + (k.queued > 0 ? '.warn-text' : ''), {text: String(k.queued)})},
      {label: t('kiosks.col.uptime'), cell: k => this.uptime(k.uptime_s)},
      {label: t('kiosks.col.disk'), cell: k => this.diskFree(k.disk_free_mb)},
      {label: t('kiosks.col.audio'), cell: k => this.audio(k.audio)},
      {label: '', cell: k => k.revoked_at ? '' : UI.el('div.row-actions', null,
        UI.button(t('kiosks.shows'), () => this.shows(k), 'small'),
        UI.button(t('kiosks.screen'), () => KioskScreenshot.open(k), 'small'),
        admin ? UI.button(t('kiosks.revoke'), () => this.revoke(k), 'small danger-ghost') : null)},
    ];
    UI.replace(this.listBox, UI.table(cols, list, {rowAttrs: k => ({'data-kiosk': k.name, class: k.revoked_at ? 'dim' : ''})}));
  },

  // "3天2小时" / "3 d 2 h": how long since the kiosk started.
  uptime(s) {
    if (s === null || s === undefined) return '—';
    const d = Math.floor(s / 86400), h = Math.floor(s % 86400 / 3600), m = Math.floor(s % 3600 / 60);
    const text = d ? t('kiosks.uptime.dh', {d, h}) : h ? t('kiosks.uptime.hm', {h, m}) : t('kiosks.uptime.m', {m});
    return UI.el('span', {text, title: t('kiosks.uptime.hint')});
  },

  // Below this the kiosk may soon be unable to queue what residents submit offline.
  diskFree(mb) {
    if (mb === null || mb === undefined) return '—';
    const text = mb >= 10240 ? (mb / 1024).toFixed(0) + ' GB' : mb + ' MB';
    return UI.el('span' + (mb < 200 ? '.warn-text' : ''), {text, title: mb < 200 ? t('kiosks.disk.low') : ''});
  },

  audio(state) {
    if (!state) return '—';
    return UI.el('span' + (state === 'none' ? '.warn-text' : ''), {text: t('kiosks.audio.' + state)});
  },

  async shows(k) {
    let f;
    try { f = await Api.get('/api/v1/kiosks/' + encodeURIComponent(k.name) + '/feed'); } catch (e) { return UI.toast(e.message, 'error'); }
    const frame = UI.el('div.kiosk-frame');
    if (f.emergency) Views.notices.renderPreview(frame, f.emergency);
    else {
      UI.replace(frame, UI.el('div.kiosk-screen', null,
        UI.el('div.ks-top', null, UI.el('span', {text: f.building.name}), UI.el('span', {text: UI.fmtTime(f.server_time, false)})),
        f.notices.length ? f.notices.map((n, i) => UI.el('div.ks-card.cat-' + n.category + (i === 0 ? '.current' : ''), null,
          UI.el('div.ks-cat', {text: t('ncat.' + n.category) + (n.pinned ? ' · ' + t('notices.f.pinned') : '')}),
          UI.el('div.ks-title' + (i ? '.small' : ''), {text: n.title}), i === 0 ? UI.el('div.ks-body', {text: n.body}) : null))
          : UI.el('div.ks-empty', {text: t('preview.empty')})));
    }
    UI.dialog({title: t('kiosks.shows') + ' · ' + k.name, ok: null, body: UI.el('div.preview-col.center', null, frame)});
  },

  async revoke(k) {
    if (!await UI.confirm(t('kiosks.revoke.confirm') + ' ' + k.name, t('kiosks.revoke'), 'danger')) return;
    try { await Api.post('/api/v1/kiosks/' + encodeURIComponent(k.name) + '/revoke'); } catch (e) { UI.toast(e.message, 'error'); }
    this.load();
  },

  enrol() {
    const name = UI.input({maxlength: 32, name: 'name', placeholder: 'lobby-2', pattern: '[A-Za-z0-9_][A-Za-z0-9_-]*'});
    const building = UI.select(App.buildingOptions(), null, {name: 'building'});
    const group = UI.input({maxlength: 32, name: 'group', placeholder: 'east'});
    UI.dialog({title: t('kiosks.enrol'), body: UI.el('div.form', null, UI.field(t('kiosks.col.name'), name),
      UI.field(t('kiosks.col.building'), building), UI.field(t('kiosks.col.group'), group)),
      onOk: async () => {
        const r = await Api.post('/api/v1/kiosks', {name: name.value.trim(), building: building.value, group: group.value.trim()});
        this.load();
        this.showToken(r);
        return r;
      }});
  },

  showToken(r) {
    const snippet = '[server]\nurl = ' + location.origin + '\ntoken = ' + r.token + '\n';
    const pre = UI.el('pre.snippet', {id: 'kiosk-snippet', text: snippet});
    UI.dialog({title: t('kiosks.token.title'), ok: null, body: UI.el('div.form', null,
      UI.el('div.big-code.small', {id: 'kiosk-token', text: r.token}),
      UI.el('p.muted', {text: t('kiosks.token.hint')}), pre,
      UI.button(t('common.copy'), async () => {
        try { await navigator.clipboard.writeText(snippet); UI.toast(t('common.copied'), 'ok'); } catch (e) { /* select by hand */ }
      }))});
  },

  // The directory editor: buildings with their units and rooms.
  // One site's buildings at a time: PUT replaces the buildings of one site.
  async loadDirectory() {
    if (App.manySites()) {
      return UI.replace(this.dirBox, UI.el('p.muted.site-hint', {text: t('site.pick_for_directory')}));
    }
    try {
      this.dir = (await Api.get('/api/v1/directory' + Api.query(App.siteParams()))).buildings;
    } catch (e) { return UI.toast(e.message, 'error'); }
    this.renderDirectory();
  },

  renderDirectory() {
    const rooms = u => u.rooms.join(', ');
    const box = UI.el('div.directory');
    this.dir.forEach((b, bi) => {
      const code = UI.input({value: b.code, maxlength: 16, oninput: e => { b.code = e.target.value.trim(); }});
      const name = UI.input({value: b.name, maxlength: 40, oninput: e => { b.name = e.target.value; }});
      const approval = UI.el('input', {type: 'checkbox', checked: b.requires_approval, onchange: e => { b.requires_approval = e.target.checked; }});
      box.appendChild(UI.el('div.dir-building', null,
        UI.el('div.dir-row', null, UI.field(t('kiosks.directory.code'), code), UI.field(t('kiosks.directory.name'), name),
          UI.el('label.check.inline', null, approval, UI.el('span', {text: t('kiosks.directory.approval')})),
          UI.button(t('kiosks.directory.remove'), () => { this.dir.splice(bi, 1); this.renderDirectory(); }, 'small danger-ghost')),
        b.units.map((u, ui) => UI.el('div.dir-unit', null,
          UI.field(t('repairs.form.unit'), UI.input({value: u.code, maxlength: 16, oninput: e => { u.code = e.target.value.trim(); }})),
          UI.field(t('kiosks.directory.rooms'), UI.input({value: rooms(u), oninput: e => {
            u.rooms = e.target.value.split(/[\s,，]+/).filter(Boolean); }})),
          UI.el('button.btn.small.ghost', {type: 'button', text: '×', title: t('kiosks.directory.remove_unit'),
            'aria-label': t('kiosks.directory.remove_unit'),
            onclick: () => { b.units.splice(ui, 1); this.renderDirectory(); }}))),
        UI.button(t('kiosks.directory.unit'), () => { b.units.push({code: '', rooms: []}); this.renderDirectory(); }, 'small ghost')));
    });
    UI.replace(this.dirBox, box, UI.el('div.form-actions', null,
      UI.button(t('kiosks.directory.add'), () => { this.dir.push({code: '', name: '', requires_approval: false, units: []}); this.renderDirectory(); }, 'ghost'),
      UI.button(t('common.save'), async () => {
        try {
          // The site comes from the query; buildings go back without theirs.
          const buildings = this.dir.map(({code, name, requires_approval, units}) => ({code, name, requires_approval, units}));
          this.dir = (await Api.put('/api/v1/directory' + Api.query(App.siteParams()), {buildings})).buildings;
          await App.loadDirectory();
          UI.toast(t('common.saved'), 'ok');
          this.renderDirectory();
        } catch (e) { UI.toast(e.message, 'error'); }
      }, 'primary')));
  },
};

// "Show the screen now": asks lobbyd for a screenshot, which the kiosk
// sends within seconds over its feed long-poll with every form field and
// the keyboard's candidates blanked; shown with the time it was taken
// until lobbyd deletes it ([screenshots] keep_seconds).
const KioskScreenshot = {
  WAIT_MS: 20000,
  POLL_MS: 1000,

  path(k) { return '/api/v1/kiosks/' + encodeURIComponent(k.name) + '/screenshot'; },

  async open(k) {
    const box = UI.el('div.screenshot-box', {id: 'kiosk-screenshot'},
      UI.el('p.muted', {text: t('kiosks.screen.asking')}));
    UI.dialog({title: t('kiosks.screen') + ' · ' + k.name, ok: null, wide: true, body: box});
    let shot;
    try { shot = await Api.post(this.path(k)); } catch (e) {
      return UI.replace(box, UI.el('p.form-error', {text: e.message}));
    }
    const until = Date.now() + this.WAIT_MS;
    while (box.isConnected && shot.state !== 'ready' && Date.now() < until) {
      await new Promise(done => setTimeout(done, this.POLL_MS));
      try { shot = await Api.get(this.path(k)); } catch (e) {
        return UI.replace(box, UI.el('p.form-error', {text: e.message}));
      }
    }
    if (!box.isConnected) return;
    if (shot.state !== 'ready') return UI.replace(box, UI.el('p.form-error', {text: t('kiosks.screen.no_answer')}));
    this.show(box, shot);
  },

  show(box, shot) {
    const taken = UI.parseTime(shot.taken_at), expires = UI.parseTime(shot.expires_at);
    const hms = d => d ? d.toLocaleTimeString(I18n.lang === 'zh' ? 'zh-CN' : 'en-GB', {hour12: false}) : '—';
    UI.replace(box,
      UI.el('p.screenshot-meta', null,
        UI.el('strong', {text: t('kiosks.screen.taken', {time: hms(taken)})}),
        UI.el('span.muted', {text: ' · ' + t('kiosks.screen.expires', {time: hms(expires)})})),
      shot.blanked > 0 ? UI.el('p.muted', {text: t('kiosks.screen.blanked', {n: shot.blanked})}) : null,
      UI.el('img.photo-large.screenshot', {src: shot.image + '?v=' + encodeURIComponent(shot.request_id),
        alt: t('kiosks.screen'), width: shot.width, height: shot.height}));
  },
};
