// Notices: the list, an editor with a live preview in kiosk proportions
// and a picture (a poster), the emergency broadcast and what every kiosk
// shows right now.
'use strict';

Views.notices = {
  state: 'active',

  render(container) {
    this.container = container;
    this.listBox = UI.el('section.card.flush');
    this.kioskBox = UI.el('section.card');
    UI.append(container, [
      UI.el('div.page-head', null, UI.el('h1', {text: t('notices.title')}),
        UI.el('div.tabs', null, ['active', 'all'].map(s => UI.el('a.tab' + (s === this.state ? '.active' : ''),
          {href: '#/notices', onclick: e => { e.preventDefault(); this.state = s; App.route(); }, text: t('notices.' + s)}))),
        UI.el('div.spacer'),
        UI.button(t('notices.emergency'), () => this.edit(null, true), 'danger'),
        UI.button(t('notices.new'), () => this.edit(null, false), 'primary')),
      UI.el('div.notices-layout', null, this.listBox,
        UI.el('div', null, UI.el('h2.section-title', {text: t('notices.kiosk_view')}), this.kioskBox))]);
    this.load();
  },

  onEvents(topics) {
    if (topics.includes('notices') || topics.includes('kiosks')) this.load();
  },

  async load() {
    try {
      const site = App.siteParams();
      const [list, kiosks] = await Api.latest(this, 'load', () => Promise.all([
        Api.get('/api/v1/notices' + Api.query(Object.assign({state: this.state}, site))),
        Api.get('/api/v1/kiosks' + Api.query(site))]));
      this.notices = list.notices;
      this.renderList();
      this.renderKiosks(kiosks.kiosks.filter(k => !k.revoked_at));
      this.reloadAtNextChange();
    } catch (e) { if (e !== Api.STALE) UI.toast(e.message, 'error'); }
  },

  // A scheduled notice starts, or one ends, with no change on the server
  // to announce it: the page loads again at that moment, so its state
  // and what each kiosk shows are never stale.
  reloadAtNextChange() {
    clearTimeout(this.changeTimer);
    const now = Date.now();
    const times = this.notices.flatMap(n => [n.starts_at, n.ends_at]).filter(Boolean)
      .map(v => new Date(v).getTime()).filter(ms => ms > now);
    if (!times.length) return;
    // A second after the boundary (the server's clock may be a little
    // behind this one), at most a day ahead (a timer's range).
    const wait = Math.min(Math.min(...times) - now + 1000, 86400000);
    const view = this;
    this.changeTimer = setTimeout(() => { if (App.view === view) view.load(); }, wait);
    App.timers.push(this.changeTimer);
  },

  stateOf(n) {
    const now = Date.now();
    if (n.withdrawn_at) return 'withdrawn';
    if (n.ends_at && new Date(n.ends_at).getTime() <= now) return 'expired';
    if (new Date(n.starts_at).getTime() > now) return 'scheduled';
    return 'published';
  },

  targetText(target) {
    if (!target || target.type === 'all') return t('notices.target.all');
    if (target.type === 'building') return App.buildingName(target.building);
    return t('notices.target.group') + ' ' + target.group;
  },

  renderList() {
    const cols = [
      {label: t('notices.f.title'), cls: 'wrap', cell: n => UI.el('div.notice-title', null,
        UI.el('span.cat-dot.cat-' + n.category), n.emergency ? UI.chip(t('notices.emergency_tag'), 'urg-emergency') : null,
        n.pinned ? UI.chip(t('notices.f.pinned'), 'pin') : null,
        n.image ? UI.chip(t('notices.image.tag'), 'has-image') : null, UI.el('span', {text: n.title}))},
      ...App.siteColumn(),
      {label: t('notices.f.category'), cell: n => t('ncat.' + n.category)},
      {label: t('notices.f.priority'), cell: n => t('priority.' + n.priority)},
      {label: t('notices.f.target'), cell: n => this.targetText(n.target)},
      {label: t('notices.f.starts'), cell: n => UI.fmtTime(n.starts_at, true)},
      {label: t('notices.col.ends'), cell: n => UI.fmtTime(n.ends_at, true)},
      {label: t('repairs.col.status'), cell: n => UI.chip(t('notices.' + this.stateOf(n)), 'ns-' + this.stateOf(n))},
      {label: '', cell: n => n.withdrawn_at ? '' : UI.el('div.row-actions', null,
        UI.button(t('common.edit'), () => this.edit(n, n.emergency), 'small'),
        UI.button(t('notices.withdraw'), () => this.withdraw(n), 'small danger-ghost'))},
    ];
    UI.replace(this.listBox, UI.table(cols, this.notices, {rowAttrs: n => ({'data-notice': n.id})}));
  },

  async withdraw(n) {
    if (!await UI.confirm(t('notices.withdraw.confirm') + ' ' + n.title, t('notices.withdraw'), 'danger')) return;
    try { await Api.post('/api/v1/notices/' + n.id + '/withdraw'); } catch (e) { UI.toast(e.message, 'error'); }
    this.load();
  },

  // Each kiosk's own feed, computed by the server as the kiosk gets it.
  async renderKiosks(kiosks) {
    if (!kiosks.length) return UI.replace(this.kioskBox, UI.el('p.muted', {text: t('common.empty')}));
    const feeds = await Promise.all(kiosks.map(k => Api.get('/api/v1/kiosks/' + encodeURIComponent(k.name) + '/feed').catch(() => null)));
    UI.replace(this.kioskBox, UI.el('ul.kiosk-feeds', null, kiosks.map((k, i) => {
      const f = feeds[i];
      return UI.el('li', {'data-kiosk': k.name},
        UI.el('div.kf-head', null, UI.el('span.dot' + (k.online ? '.on' : '')), UI.el('strong', {text: k.name}),
              UI.el('span.muted', {text: App.buildingName(k.building) + (k.group ? ' · ' + k.group : '')})),
        !f ? null : f.emergency ? UI.el('div.kf-emergency', {text: '⚠ ' + f.emergency.title}) :
          UI.el('ol.kf-list', null, f.notices.length ? f.notices.slice(0, 5).map(n => UI.el('li', null,
            UI.el('span.cat-dot.cat-' + n.category), UI.el('span', {text: n.title}))) : UI.el('li.muted', {text: t('preview.empty')})));
    })));
  },

  // The editor: the form on the left, the kiosk preview on the right.
  edit(notice, emergency) {
    const n = notice || {title: '', body: '', category: emergency ? 'safety' : 'other', priority: emergency ? 3 : 1,
      pinned: !!emergency, emergency, starts_at: null, ends_at: null, target: {type: 'all'}};
    const title = UI.input({maxlength: 60, value: n.title, name: 'title', required: true});
    const body = UI.el('textarea', {rows: 6, maxlength: 2000, name: 'body', required: true});
    body.value = n.body;
    const category = UI.select(App.options('ncat.', Codes.ncat), n.category, {name: 'category'});
    const priority = UI.select([0, 1, 2, 3].map(p => [String(p), t('priority.' + p)]), String(n.priority), {name: 'priority'});
    const pinned = UI.el('input', {type: 'checkbox', checked: n.pinned, name: 'pinned'});
    const starts = UI.input({type: 'datetime-local', name: 'starts_at', value: n.starts_at ? UI.localInput(new Date(n.starts_at)) : ''});
    const ends = UI.input({type: 'datetime-local', name: 'ends_at', value: n.ends_at ? UI.localInput(new Date(n.ends_at)) : ''});
    // A new emergency names its kiosks on purpose: no default reaches all.
    const choose = emergency && !notice;
    const ttype = UI.select((choose ? [['', t('notices.target.choose')]] : []).concat([['all', t('notices.target.all')],
      ['building', t('notices.target.building')], ['group', t('notices.target.group')]]), choose ? '' : n.target.type,
      {name: 'target_type'});
    const tbuilding = UI.select(App.buildingOptions(), n.target.building, {name: 'target_building'});
    const tgroup = UI.input({maxlength: 32, value: n.target.group || '', name: 'target_group'});
    // The site is set when the notice is made; an edit shows it.
    const site = notice ? {field: App.sites.length > 1 ? UI.field(t('site.col'),
      UI.el('div.site-fixed', {text: App.siteName(notice.site)})) : null, value: () => undefined} : App.siteForCreate(true);
    const reach = UI.el('p.reach', {'aria-live': 'polite'});
    const kiosks = Api.get('/api/v1/kiosks').then(r => r.kiosks, () => null);
    const noticeSite = () => notice ? notice.site : site.value();
    const syncTarget = async () => {
      tbuilding.hidden = ttype.value !== 'building';
      tgroup.hidden = ttype.value !== 'group';
      const n = NoticeReach.count(await kiosks, noticeSite(), ttype.value, tbuilding.value, tgroup.value.trim());
      reach.textContent = n === null ? '' : !ttype.value ? t('notices.target.choose_hint') : t('notices.reach', {n});
      reach.classList.toggle('none', n === 0 && !!ttype.value);
      // "Choose the audience" goes once one is chosen.
      const error = ttype.value && reach.closest('dialog') && reach.closest('dialog').querySelector('.form-error');
      if (error && error.textContent === t('notices.target.needed')) error.textContent = '';
    };
    for (const x of [ttype, tbuilding, tgroup]) x.addEventListener(x === tgroup ? 'input' : 'change', syncTarget);
    if (site.select) site.select.addEventListener('change', syncTarget);
    syncTarget();
    const preview = UI.el('div.kiosk-frame');
    let picture = null;
    const update = () => this.renderPreview(preview, {title: title.value, body: body.value, category: category.value,
      emergency: !!emergency, pinned: pinned.checked, image: picture ? picture.src() : null});
    picture = NoticePicture.field(notice, () => update());
    for (const x of [title, body, category, pinned]) x.addEventListener('input', update);
    update();
    const form = UI.el('div.form', null, site.field,
      UI.field(t('notices.f.title'), title), UI.field(t('notices.f.body'), body),
      UI.el('div.grid3', null, UI.field(t('notices.f.category'), category), UI.field(t('notices.f.priority'), priority),
            UI.el('label.check.inline', null, pinned, UI.el('span', {text: t('notices.f.pinned')}))),
      UI.el('div.grid2', null, UI.field(t('notices.f.starts'), starts), UI.field(t('notices.f.ends'), ends)),
      UI.field(t('notices.f.target'), UI.el('div.inline-fields', null, ttype, tbuilding, tgroup)), reach,
      picture.el);
    const collect = () => {
      const target = ttype.value === 'all' ? {type: 'all'} : ttype.value === 'building'
        ? {type: 'building', building: tbuilding.value} : {type: 'group', group: tgroup.value.trim()};
      const out = {title: title.value.trim(), body: body.value.trim(), category: category.value,
        priority: Number(priority.value), pinned: pinned.checked, emergency: !!emergency, target};
      if (starts.value) out.starts_at = UI.isoFromInput(starts.value);
      out.ends_at = ends.value ? UI.isoFromInput(ends.value) : null;
      if (!notice && !out.ends_at) delete out.ends_at;
      if (!notice && site.value()) out.site = site.value();
      return out;
    };
    const heading = emergency ? t('notices.emergency') : notice ? t('notices.edit') : t('notices.new');
    let made = null;
    UI.dialog({title: heading, wide: true, ok: emergency ? t('notices.emergency') : t('common.save'),
      okClass: emergency ? 'danger' : 'primary',
      body: UI.el('div.editor', null, form, UI.el('div.preview-col', null,
        UI.el('span.field-label', {text: t('notices.preview') + ' 1080×1920'}), preview)),
      onOk: async () => {
        if (!ttype.value) throw new Error(t('notices.target.needed'));
        const data = collect();
        if (emergency && !notice && !made) {
          const n = NoticeReach.count(await kiosks, noticeSite(), data.target.type, data.target.building, data.target.group);
          if (n === 0) throw new Error(t('notices.reach.none_emergency'));
          const sure = t(n === null ? 'notices.emergency.confirm' : 'notices.emergency.confirm_n', {n});
          if (!await UI.confirm(sure, t('notices.emergency'), 'danger')) return undefined;
        }
        // Saved once: should the picture then fail, OK again edits the
        // notice made here rather than posting a second one.
        const saved = notice || made ? await Api.patch('/api/v1/notices/' + (notice || made).id, data)
          : (made = await Api.post('/api/v1/notices', data));
        try {
          await picture.apply(saved.id);
        } catch (e) {
          this.load();
          throw new Error(t('notices.image.failed', {reason: e.message}));
        }
        UI.toast(t('common.saved'), 'ok');
        this.load();
        return saved;
      }});
  },

  // Kiosk proportions: portrait 1080×1920 scaled down; type sizes follow
  // the frame's width (container query units) so it looks like the kiosk.
  renderPreview(frame, n) {
    const now = new Date();
    const clock = String(now.getHours()).padStart(2, '0') + ':' + String(now.getMinutes()).padStart(2, '0');
    if (n.emergency) {
      return UI.replace(frame, UI.el('div.kiosk-screen.kiosk-emergency', null,
        UI.el('div.ke-icon', {text: '⚠'}), UI.el('div.ke-title', {text: n.title || '—'}),
        UI.el('div.ke-body', {text: n.body})));
    }
    const others = (this.notices || []).filter(x => !x.emergency && !x.withdrawn_at && x.title !== n.title).slice(0, 3);
    UI.replace(frame, UI.el('div.kiosk-screen', null,
      UI.el('div.ks-top', null, UI.el('span', {text: App.site ? App.siteName(App.site) : App.directory.length ? App.directory[0].name : ''}), UI.el('span', {text: clock})),
      UI.el('div.ks-card.current.cat-' + n.category, null,
        UI.el('div.ks-cat', {text: t('ncat.' + n.category) + (n.pinned ? ' · ' + t('notices.f.pinned') : '')}),
        UI.el('div.ks-title', {text: n.title || '—'}),
        n.image ? UI.el('img.ks-image', {src: n.image, alt: ''}) : null, UI.el('div.ks-body', {text: n.body})),
      others.map(o => UI.el('div.ks-card.cat-' + o.category, null, UI.el('div.ks-cat', {text: t('ncat.' + o.category)}),
                            UI.el('div.ks-title.small', {text: o.title})))));
  },
};

// A notice's picture in the editor: the one it has (with a remove button)
// or one picked here, previewed at once and sent once the notice is
// saved.  The browser shrinks a camera's photo to the poster size lobbyd
// keeps, so the upload stays small; lobbyd checks and re-encodes it.
const NoticePicture = {
  SIDE: 1920,
  QUALITY: 0.92,   // a poster's small print survives a second encoding

  path(id) { return '/api/v1/notices/' + id + '/image'; },

  // The kept picture's URL pinned to its ETag, which the browser may keep.
  src(n) { return n && n.image ? n.image.url + '?v=' + encodeURIComponent(n.image.etag) : null; },

  // A picked file as a small data: URL, upright (the console's CSP shows
  // no blob: pictures); null when the browser cannot read it.
  async preview(file) {
    const small = await RepairPhotos.shrink(file, 540, 0.8);
    if (small === file) return null;
    return new Promise(done => {
      const reader = new FileReader();
      reader.onload = () => done(reader.result);
      reader.onerror = () => done(null);
      reader.readAsDataURL(small);
    });
  },

  field(notice, changed) {
    const input = UI.el('input', {type: 'file', name: 'image', accept: 'image/jpeg,image/png',
                                  'aria-label': t('notices.f.image')});
    const thumb = UI.el('img.notice-thumb', {alt: t('notices.image.alt')});
    const note = UI.el('p.muted', {'aria-live': 'polite'});
    let picked = null, pickedUrl = null, removing = false, picks = 0, choosing = Promise.resolve();
    const remove = UI.button(t('notices.image.remove'), () => {
      if (picked) {
        picked = pickedUrl = null;
        picks++;
        input.value = '';
      } else {
        removing = true;
      }
      show();
    }, 'small danger-ghost');
    remove.name = 'remove_image';
    const current = () => picked ? pickedUrl : removing ? null : NoticePicture.src(notice);
    const show = () => {
      const src = current();
      thumb.hidden = !src;
      remove.hidden = !src && !picked;
      if (src) thumb.src = src;
      note.textContent = t(picked ? 'notices.image.picked' : removing ? 'notices.image.removing' : 'notices.image.hint');
      changed();
    };
    const choose = async () => {
      const mine = ++picks;
      const file = input.files[0] || null;
      const url = file ? await NoticePicture.preview(file) : null;
      if (mine !== picks) return; // another file was picked meanwhile
      picked = file;
      pickedUrl = url;
      show();
    };
    input.addEventListener('change', () => { choosing = choose(); });
    show();
    return {
      el: UI.el('div.field.notice-picture', {role: 'group', 'aria-label': t('notices.f.image')},
        UI.el('span.field-label', {text: t('notices.f.image')}),
        UI.el('div.notice-picture-row', null, thumb, UI.el('div', null, input, remove, note))),
      src: current,
      // After the notice `id` is saved: the picked picture goes up, or the
      // removal is made; nothing when the picture was left alone.
      async apply(id) {
        await choosing; // a file picked just before saving counts
        if (picked)
          await Api.upload(NoticePicture.path(id),
                           await RepairPhotos.shrink(picked, NoticePicture.SIDE, NoticePicture.QUALITY), 'PUT');
        else if (removing && notice && notice.image)
          await Api.del(NoticePicture.path(id));
      },
    };
  },
};

// The emergency banner, on every page of the desk and the admin while a
// broadcast is live, whatever site is chosen in the switcher: a gas leak
// in another compound is still this desk's business.  It goes when the
// broadcast is cleared here, withdrawn elsewhere, or reaches its end.
const EmergencyWatch = {
  timer: null,

  async check() {
    const box = document.getElementById('emergency');
    if (!box || !App.office()) return;
    let list;
    try {
      list = (await Api.latest(this, 'check', () => Api.get('/api/v1/notices?state=active'))).notices.filter(n => n.emergency);
    } catch (e) { return; }
    this.render(box, list);
    this.checkAtEnd(list);
  },

  render(box, list) {
    if (!list.length) return UI.clear(box);
    const title = n => (App.manySites() ? (n.site ? App.siteName(n.site) : t('site.all')) + ' · ' : '') + n.title;
    UI.replace(box, UI.el('div.emergency-banner', {role: 'alert'},
      UI.el('strong', {text: t('notices.emergency.active')}),
      UI.el('span.emergency-titles', {text: list.map(title).join(' / ')}),
      UI.el('div.spacer'),
      UI.el('a.on-danger-link', {href: '#/notices', text: t('notices.emergency.view')}),
      UI.button(t('notices.emergency.clear'), () => this.clear(list), 'on-danger')));
  },

  // An emergency with an end time leaves the banner then, with no event
  // from the server to say so.
  checkAtEnd(list) {
    clearTimeout(this.timer);
    const now = Date.now();
    const ends = list.map(n => n.ends_at).filter(Boolean).map(v => new Date(v).getTime()).filter(ms => ms > now);
    if (ends.length) this.timer = setTimeout(() => this.check(), Math.min(Math.min(...ends) - now + 1000, 86400000));
  },

  async clear(list) {
    if (!await UI.confirm(t('notices.emergency.clear_confirm'), t('notices.emergency.clear'), 'danger')) return;
    for (const n of list) {
      try { await Api.post('/api/v1/notices/' + n.id + '/withdraw'); } catch (e) { UI.toast(e.message, 'error'); }
    }
    this.check();
  },
};

// How many kiosks a notice reaches: lobbyd's rule for a kiosk's feed
// (store notice_for_kiosk) over the kiosks this person can see.  Null
// when the kiosk list could not be read.
const NoticeReach = {
  count(kiosks, site, type, building, group) {
    if (!kiosks) return null;
    return kiosks.filter(k => !k.revoked_at && (!site || k.site === site) &&
      (type === 'all' || (type === 'building' && k.building === building) ||
       (type === 'group' && group !== '' && k.group === group))).length;
  },
};
