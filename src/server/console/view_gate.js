// The gate (门岗): the guard's one page, made for a phone held in one
// hand.  The guard types the resident's 6-digit release code, reads what
// may leave (green) or why not (red, in plain words), and marks the pass
// used once the things are out.  The name is masked by the server: the
// guard needs to match a face to a pass, not to learn who lives where.
'use strict';

Views.gate = {
  render(container) {
    this.code = UI.input({name: 'code', inputmode: 'numeric', pattern: '[0-9]*', maxlength: 6, autocomplete: 'off',
                          placeholder: '······', 'aria-label': t('gate.code'), enterkeyhint: 'go'});
    // Digits only: a pasted "123 456" or "123-456" still reads as a code.
    this.code.addEventListener('input', () => {
      const digits = this.code.value.replace(/\D/g, '').slice(0, 6);
      if (digits !== this.code.value) this.code.value = digits;
    });
    this.result = UI.el('div.gate-result', {'aria-live': 'polite'});
    const form = UI.el('form.gate-form', {onsubmit: e => { e.preventDefault(); this.check(); }},
      UI.el('label.gate-label', {text: t('gate.prompt')}), this.code,
      UI.el('button.btn.primary.gate-check', {type: 'submit', text: t('gate.check')}));
    UI.append(container, [UI.el('h1.gate-title', {text: t('gate.title')}), form, this.result]);
    this.code.focus();
  },

  async check() {
    const code = this.code.value;
    if (!/^\d{6}$/.test(code)) return this.refused(t('gate.code_needed'), null);
    let r;
    try {
      r = await Api.latest(this, 'check', () => Api.get('/api/v1/gate/' + code));
    } catch (e) {
      if (e !== Api.STALE) this.failed(e);
      return;
    }
    if (r.valid) this.passable(code, r);
    else this.refused(this.reason(r), r);
  },

  // The reason a pass does not open the gate, as the guard says it.
  reason(r) {
    switch (r.reason) {
      case 'used': return t('gate.reason.used', {t: UI.fmtTime(r.used_at, true), n: r.used_by || '—'});
      case 'expired': return t('gate.reason.expired', {d: ReleaseFmt.day(r.date)});
      case 'not_yet': return t('gate.reason.not_yet', {d: ReleaseFmt.day(r.date)});
      case 'not_approved': return t('gate.reason.not_approved');
      case 'refused': case 'cancelled': return t('gate.reason.refused');
      default: return t('gate.reason.other');
    }
  },

  failed(e) {
    if (e.code === 'release_not_found') return this.refused(t('gate.not_found'), null);
    if (e.status === 429) return this.refused(t('gate.wait', {n: e.retryAfter || 60}), null, 'wait');
    this.refused(e.message, null);
  },

  // What the pass lets out: the guard compares it with the van.
  facts(r) {
    const row = (key, value, cls) => [UI.el('dt', {text: t(key)}), UI.el('dd' + (cls ? '.' + cls : ''), {text: value || '—'})];
    return UI.el('dl.gate-facts', null,
      row('releases.col.items', r.items, 'gate-items'),
      row('releases.col.unit', this.unitText(r.unit)),
      row('releases.col.plate', r.plate, 'mono'),
      row('releases.col.date', r.date ? ReleaseFmt.dayLong(r.date) : null),
      row('gate.applicant', r.name));
  },

  // The building's name from the directory (guards may read it); a
  // building missing from it (renamed since) shows its code as "1栋".
  unitText(u) {
    if (!u) return '';
    const known = App.directory.some(b => b.code === u.building);
    if (known) return App.unitText(u);
    const parts = [u.building_name || t('gate.building', {b: u.building})];
    if (u.unit) parts.push(u.unit + (I18n.lang === 'zh' ? '单元' : ''));
    if (u.room) parts.push(u.room);
    return parts.join(I18n.lang === 'zh' ? ' ' : ' / ');
  },

  passable(code, r) {
    const use = UI.el('button.btn.gate-use', {type: 'button', text: t('gate.use'), onclick: () => this.use(code, use)});
    UI.replace(this.result, UI.el('section.gate-card.ok', {'data-result': 'valid', 'data-number': r.number},
      UI.el('div.gate-verdict', null, UI.el('span.gate-icon', {'aria-hidden': 'true', text: '✓'}), t('gate.valid')),
      this.facts(r), use));
  },

  refused(text, r, kind) {
    UI.replace(this.result, UI.el('section.gate-card.bad' + (kind ? '.' + kind : ''),
      {'data-result': kind || (r ? r.reason : 'none'), 'data-number': r ? r.number : null},
      UI.el('div.gate-verdict', null, UI.el('span.gate-icon', {'aria-hidden': 'true', text: kind === 'wait' ? '!' : '✕'}),
            t(kind === 'wait' ? 'gate.wait_title' : 'gate.invalid')),
      UI.el('p.gate-reason', {text}),
      r ? this.facts(r) : null));
    this.code.select();
  },

  // Marks the pass used.  Another guard may have been quicker: the 409
  // is answered by checking again, which says when and by whom.
  async use(code, button) {
    button.disabled = true;
    let r;
    try {
      r = await Api.post('/api/v1/gate/' + code + '/use', {});
    } catch (e) {
      button.disabled = false;
      if (e.status === 409) return this.check();
      return this.failed(e);
    }
    const next = UI.el('button.btn.gate-next', {type: 'button', text: t('gate.next'), onclick: () => {
      this.code.value = '';
      UI.clear(this.result);
      this.code.focus();
    }});
    UI.replace(this.result, UI.el('section.gate-card.done', {'data-result': 'used', 'data-number': r.number},
      UI.el('div.gate-verdict', null, UI.el('span.gate-icon', {'aria-hidden': 'true', text: '✓'}), t('gate.done')),
      UI.el('p.gate-reason', {text: t('gate.done_at', {t: UI.fmtTime(r.used_at, false)})}),
      this.facts(r), next));
  },
};
