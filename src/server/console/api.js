// Talks to lobbyd.  The session cookie is HttpOnly; state changes carry the
// session's CSRF token in X-CSRF-Token.
'use strict';

class ApiError extends Error {
  constructor(status, code, message, field) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

const Api = {
  csrf: '',
  onSignedOut: null,
  // Thrown by latest() for an answer that a newer call has overtaken.
  STALE: Object.freeze({stale: true}),

  // Runs load() so that, per owner and key, only the newest call settles:
  // a list reloaded on navigation and again on a live event must show the
  // second answer even when the first arrives last.
  async latest(owner, key, load) {
    const slot = '__latest_' + key;
    const mine = (owner[slot] = (owner[slot] || 0) + 1);
    const result = await load();
    if (owner[slot] !== mine) throw Api.STALE;
    return result;
  },

  // body: an object sent as JSON, or a Blob (a photo) sent as it is.
  async call(method, path, body, opts) {
    const headers = {};
    const raw = body instanceof Blob;
    if (body !== undefined) headers['Content-Type'] = raw ? body.type : 'application/json';
    if (method !== 'GET') headers['X-CSRF-Token'] = Api.csrf;
    if (opts && opts.idempotent) headers['Idempotency-Key'] = 'console-' + crypto.randomUUID();
    let res;
    try {
      res = await fetch(path, {method, headers, credentials: 'same-origin', signal: opts && opts.signal,
                               body: body === undefined || raw ? body : JSON.stringify(body)});
    } catch (e) {
      if (e.name === 'AbortError') throw e;
      throw new ApiError(0, 'network', t('error.network'));
    }
    const text = await res.text();
    let data = null;
    try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
    if (!res.ok) {
      const err = (data && data.error) || {};
      if (res.status === 401 && Api.onSignedOut && path !== '/api/v1/session') Api.onSignedOut();
      const e = new ApiError(res.status, err.code || 'http', I18n.apiError(res.status, err), err.field);
      // How long a rate limit lasts, in seconds (429's Retry-After).
      e.retryAfter = Number(res.headers.get('Retry-After')) || null;
      throw e;
    }
    return data;
  },
  get(path, opts) { return Api.call('GET', path, undefined, opts); },
  post(path, body, opts) { return Api.call('POST', path, body === undefined ? {} : body, opts); },
  // A picture as the body: a photo is POSTed, a notice's picture PUT in place.
  upload(path, blob, method) { return Api.call(method || 'POST', path, blob); },
  patch(path, body) { return Api.call('PATCH', path, body); },
  put(path, body) { return Api.call('PUT', path, body); },
  del(path) { return Api.call('DELETE', path); },
  query(params) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== '' && v !== null && v !== undefined && v !== false) q.set(k, v);
    const s = q.toString();
    return s ? '?' + s : '';
  },
};

// Waits on GET /api/v1/events and tells listeners which topics changed.
const Live = {
  seq: null,
  topics: {},
  listeners: new Set(),
  running: false,
  controller: null,
  onState: null,

  start() {
    if (Live.running) return;
    Live.running = true;
    Live.loop();
  },
  stop() {
    Live.running = false;
    if (Live.controller) Live.controller.abort();
  },
  async loop() {
    let failures = 0;
    while (Live.running) {
      Live.controller = new AbortController();
      try {
        const path = '/api/v1/events' + (Live.seq === null ? '' : Api.query({since: Live.seq, wait: 25}));
        const ev = await Api.get(path, {signal: Live.controller.signal});
        failures = 0;
        if (Live.onState) Live.onState(true);
        const changed = [];
        for (const k of ['repairs', 'complaints', 'releases', 'renovations', 'visits', 'notices', 'kiosks', 'staff'])
          if (Live.seq !== null && ev[k] !== Live.topics[k]) changed.push(k);
        Live.seq = ev.seq;
        Live.topics = ev;
        if (changed.length) for (const f of Live.listeners) f(changed);
      } catch (e) {
        if (!Live.running) return;
        if (e.status === 401) return;
        failures++;
        if (Live.onState) Live.onState(false);
        await new Promise(r => setTimeout(r, Math.min(10000, 500 * failures)));
      }
    }
  },
};
