// Completion photos: the technician picks up to three, the console shrinks
// each to at most 1600 pixels a side (an upload over a lobby's Wi-Fi stays
// small) and lobbyd keeps its own JPEG of it; the desk sees them in the
// ticket.  lobbyd checks and re-encodes every picture whatever is sent.
'use strict';

const RepairPhotos = {
  MAX: 3,
  SIDE: 1600,

  path(ticket, id) {
    return '/api/v1/repairs/' + encodeURIComponent(ticket) + '/photos' + (id ? '/' + id : '');
  },

  // A file input for up to `room` photos, with what it says about them.
  picker(room) {
    const input = UI.el('input', {type: 'file', name: 'photos', multiple: true,
                                  accept: 'image/jpeg,image/png', capture: 'environment'});
    const note = UI.el('p.muted', {text: t('photos.hint')});
    input.addEventListener('change', () => {
      note.textContent = input.files.length > room ? t('photos.too_many', {n: room}) : t('photos.hint');
      note.classList.toggle('form-error', input.files.length > room);
    });
    return {el: UI.el('div.photo-pick', null, input, note), files: () => Array.from(input.files), room};
  },

  // The picture as a JPEG of at most side pixels (a photo's SIDE unless
  // told), turned upright; the file itself when the browser cannot read it
  // (lobbyd then says why).
  async shrink(file, side, quality) {
    let bitmap;
    try {
      bitmap = await createImageBitmap(file, {imageOrientation: 'from-image'});
    } catch (e) {
      return file;
    }
    const scale = Math.min(1, (side || RepairPhotos.SIDE) / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(bitmap.width * scale));
    canvas.height = Math.max(1, Math.round(bitmap.height * scale));
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    bitmap.close();
    const blob = await new Promise(done => canvas.toBlob(done, 'image/jpeg', quality || 0.85));
    return blob || file;
  },

  // Uploads the files one by one, telling progress through say(text).
  // Throws the first refusal: what was uploaded before it stays.
  async upload(ticket, files, say) {
    if (files.length > RepairPhotos.MAX) throw new Error(t('photos.too_many', {n: RepairPhotos.MAX}));
    for (let i = 0; i < files.length; i++) {
      if (say) say(t('photos.uploading', {i: i + 1, n: files.length}));
      await Api.upload(RepairPhotos.path(ticket), await RepairPhotos.shrink(files[i]));
    }
  },

  // The ticket's photos as thumbnails that open larger.
  gallery(ticket, photos) {
    if (!photos || !photos.length) return null;
    return UI.el('section.photos', null, UI.el('h3', {text: t('photos.title')}),
      UI.el('div.photo-row', null, photos.map((p, i) => UI.el('button.photo-thumb', {
        type: 'button', 'aria-label': t('photos.open', {n: i + 1}),
        onclick: () => RepairPhotos.enlarge(ticket, p, i)},
        UI.el('img', {src: RepairPhotos.path(ticket, p.id), alt: t('photos.open', {n: i + 1}),
                      width: p.width, height: p.height, loading: 'lazy'})))));
  },

  enlarge(ticket, photo, i) {
    UI.dialog({title: t('photos.title') + ' ' + (i + 1) + ' · ' + ticket, wide: true, ok: null,
      body: UI.el('img.photo-large', {src: RepairPhotos.path(ticket, photo.id), alt: t('photos.title') + ' ' + (i + 1),
                                      width: photo.width, height: photo.height})});
  },

  // "Add photos" on its own, for a ticket on site or completed.
  async add(ticket, have, done) {
    const pick = RepairPhotos.picker(RepairPhotos.MAX - have);
    const progress = UI.el('p.muted', {'aria-live': 'polite'});
    const ok = await UI.dialog({title: t('photos.add') + ' · ' + ticket, body: UI.el('div.form', null,
      UI.field(t('photos.pick'), pick.el), progress), onOk: async () => {
        const files = pick.files();
        if (files.length > pick.room) throw new Error(t('photos.too_many', {n: pick.room}));
        await RepairPhotos.upload(ticket, files, text => { progress.textContent = text; });
        return files.length;
      }});
    if (ok) {
      UI.toast(t('photos.added', {n: ok}), 'ok');
      if (done) done();
    }
  },
};
