// The console's shared pieces: translation, session, API client, DOM building, routing, the live feed and
// formatting. Every view imports from here; no view keeps its own copy of any of these.

// ---- translation (one table per language: /i18n/zh.json, /i18n/en.json) ----
const tables = {};
let currentLang = localStorage.getItem('cityloop.lang') === 'en' ? 'en' : 'zh';

/** Loads the translation table of a language (once). */
export async function loadLang(l) {
  if (!tables[l]) {
    const res = await fetch(`/i18n/${l}.json`, { cache: 'no-cache' });
    tables[l] = await res.json();
  }
}

/** The current language, `zh` (default) or `en`. */
export function lang() { return currentLang; }

/** Switches the language and re-renders the page. */
export async function setLang(l) {
  await loadLang(l);
  currentLang = l;
  localStorage.setItem('cityloop.lang', l);
  document.documentElement.lang = l === 'en' ? 'en' : 'zh-CN';
  render();
}

/** The text for a key in the current language, with `{name}` placeholders filled from params. */
export function t(key, params = {}) {
  let s = tables[currentLang]?.[key] ?? tables.zh?.[key];
  if (s === undefined) { console.warn('missing translation', key); s = key; }
  return s.replace(/\{(\w+)\}/g, (_, k) => (params[k] ?? `{${k}}`));
}

/** Fills every `[data-t]` element under root with its text (static markup in index.html). */
export function translateStatic(root = document) {
  root.querySelectorAll('[data-t]').forEach((el) => { el.textContent = t(el.dataset.t); });
}

// ---- session ----
/** The signed-in account and its bearer token, kept in localStorage so tabs share it. */
export const session = {
  get token() { return this.valid ? JSON.parse(localStorage.getItem('cityloop.session')).token : null; },
  get user() { return this.valid ? JSON.parse(localStorage.getItem('cityloop.session')).user : null; },
  get valid() {
    const raw = localStorage.getItem('cityloop.session');
    if (!raw) return false;
    const s = JSON.parse(raw);
    return !s.expiresAt || new Date(s.expiresAt) > new Date();
  },
  save(reply) { localStorage.setItem('cityloop.session', JSON.stringify({ token: reply.token, user: reply.user, expiresAt: reply.expiresAt })); },
  clear() { localStorage.removeItem('cityloop.session'); },
};

// ---- API ----
/** An error answered by the API: `status`, and from its JSON body `code`, `message` and `field`. */
export class ApiError extends Error {
  constructor(status, body) {
    super(body?.error?.message || `HTTP ${status}`);
    this.status = status;
    this.code = body?.error?.code;
    this.field = body?.error?.field;
  }
}

/**
 * Calls the API. `body` is sent as JSON unless it is a Blob, File, FormData or ArrayBuffer. Answers the parsed
 * JSON (or the Response with `raw`). A 401 on a signed-in call ends the session and returns to the sign-in page.
 */
export async function api(path, { method = 'GET', body, headers = {}, raw = false, auth = true, signal } = {}) {
  const h = { ...headers };
  if (auth && session.token) h.Authorization = `Bearer ${session.token}`;
  let payload = body;
  if (body !== undefined && !(body instanceof Blob) && !(body instanceof FormData) && !(body instanceof ArrayBuffer)) {
    payload = JSON.stringify(body);
    h['Content-Type'] = 'application/json';
  }
  const res = await fetch(path, { method, body: payload, headers: h, signal });
  if (res.status === 401 && auth && h.Authorization) {
    session.clear();
    navigate('#/login?expired=1');
    throw new ApiError(401, { error: { message: t('login.expired') } });
  }
  if (!res.ok) {
    let parsed = null;
    try { parsed = await res.json(); } catch { /* not JSON */ }
    throw new ApiError(res.status, parsed);
  }
  if (raw) return res;
  const text = await res.text();
  return text ? JSON.parse(text) : null;
}

/** A human message for an error: the API's message, with the field it names. */
export function errorText(err) {
  if (err instanceof ApiError) return err.field ? `${err.message} (${err.field})` : err.message;
  return err?.message || String(err);
}

// ---- DOM ----
/**
 * Builds an element: `h('button', {class: 'primary', onclick: fn}, 'text', child)`. Attributes starting with
 * `on` become listeners; `null`/`false` children and attributes are skipped; arrays are flattened.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'style' && typeof v === 'object') Object.assign(el.style, v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, v);
  }
  const add = (c) => {
    if (c === null || c === undefined || c === false) return;
    if (Array.isArray(c)) c.forEach(add);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  };
  children.forEach(add);
  return el;
}

/**
 * Text a user typed (a description, comment, name, address), shown isolated in a `<bdi>` (`.user-text`,
 * `unicode-bidi: isolate`): bidi controls inside it (U+202E…) can never reorder the line around it. Null for no text.
 */
export function userText(text, attrs = {}) {
  if (text === null || text === undefined || text === '') return null;
  return h('bdi', { ...attrs, class: attrs.class ? `user-text ${attrs.class}` : 'user-text' }, String(text));
}

/** A labelled form field: `field('case.description', h('textarea', {name: 'description'}))`. */
export function field(labelKey, control, hint) {
  const id = control.id || `f-${Math.random().toString(36).slice(2, 9)}`;
  control.id = id;
  return h('div', { class: 'field' }, h('label', { for: id }, t(labelKey)), control, hint ? h('small', {}, hint) : null);
}

/** Shows a short message at the corner; `kind` is info, ok or error. */
export function toast(message, kind = 'info') {
  const box = document.getElementById('toasts');
  const el = h('div', { class: `toast ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, message);
  box.append(el);
  setTimeout(() => el.remove(), kind === 'error' ? 8000 : 4000);
}

/** Runs an async action from a button: disables it meanwhile, toasts the error and rethrows nothing. */
export async function busy(button, action) {
  if (button) button.disabled = true;
  try { return await action(); } catch (e) { toast(errorText(e), 'error'); return undefined; } finally { if (button) button.disabled = false; }
}

// ---- routing (hash routes: #/path/param?query) ----
const routes = [];
let cleanup = null;
let renderSeq = 0;
let layout = null;

/**
 * Registers a page. `pattern` such as `/case/:id`; `view(main, {params, query})` renders into the main element and
 * may return a cleanup function. `roles` limits who may open it; `public` pages need no sign-in.
 */
export function route(pattern, view, { roles = null, public: isPublic = false, title } = {}) {
  const names = [];
  const re = new RegExp('^' + pattern.replace(/:(\w+)/g, (_, n) => { names.push(n); return '([^/]+)'; }) + '$');
  routes.push({ pattern, re, names, view, roles, isPublic, title });
}

/** Goes to a hash route. */
export function navigate(hash) {
  if (location.hash === hash) render(); else location.hash = hash;
}

/** Sets the function drawing the top bar (called on every render). */
export function setLayout(fn) { layout = fn; }

/** The page each role lands on after signing in. */
export function homeFor(role) {
  return {
    operator: '#/intake', shiftlead: '#/intake', dispatcher: '#/dispatch', handler: '#/tasks', inspector: '#/inspector',
    leader: '#/screen', admin: '#/admin', citizen: '#/report', partner: '#/report',
  }[role] || '#/report';
}

/** Renders the page the hash names. */
export async function render() {
  const seq = ++renderSeq;
  if (cleanup) { try { cleanup(); } catch { /* ignore */ } cleanup = null; }
  const [path, qs] = (location.hash.slice(1) || '/').split('?');
  const query = Object.fromEntries(new URLSearchParams(qs || ''));
  const main = document.getElementById('main');
  let match = null;
  let params = {};
  for (const r of routes) {
    const m = path.match(r.re);
    if (m) { match = r; params = Object.fromEntries(r.names.map((n, i) => [n, decodeURIComponent(m[i + 1])])); break; }
  }
  if (!match) { navigate(session.valid ? homeFor(session.user.role) : '#/login'); return; }
  if (!match.isPublic && !session.valid) {
    const expired = localStorage.getItem('cityloop.session') ? '&expired=1' : '';
    session.clear();
    navigate(`#/login?next=${encodeURIComponent(location.hash)}${expired}`);
    return;
  }
  if (match.roles && !match.roles.includes(session.user.role)) { navigate(homeFor(session.user.role)); return; }
  translateStatic();
  document.title = `${match.title ? t(match.title) + ' · ' : ''}${t('app.name')}`;
  if (layout) layout(match);
  main.replaceChildren();
  main.dataset.page = match.pattern;
  main.setAttribute('aria-busy', 'true');
  try {
    const c = await match.view(main, { params, query });
    // The hash changed while this page was loading: its cleanup runs now, not when a later page leaves.
    if (seq !== renderSeq) { if (typeof c === 'function') c(); return; }
    cleanup = typeof c === 'function' ? c : null;
  } catch (e) {
    main.append(h('p', { class: 'error', role: 'alert' }, errorText(e)));
  } finally {
    if (seq === renderSeq) main.removeAttribute('aria-busy');
  }
}

/** Starts the console: loads the language tables and renders on every hash change. */
export async function start() {
  await loadLang('zh');
  if (currentLang !== 'zh') await loadLang(currentLang);
  document.documentElement.lang = currentLang === 'en' ? 'en' : 'zh-CN';
  window.addEventListener('hashchange', render);
  await render();
}

// ---- live feed (server-sent events) ----
/**
 * Subscribes to the live feed of case changes the account may see; `onEvent(event)` gets each parsed event
 * (`{type, id, number, state, previousState, action, matterCode, gridCode, districtCode, departmentID, lat, lon, at}`).
 * `types` names the events wanted: by default `case`, `unplaced`, `alert` and `alarm`; the fleet map asks for
 * `vehicles` (`{type, positions: [VehiclePosition], at}`, every 2 s while vehicles move), which no other page wants;
 * the review queue asks for `candidate` (`{type, id, status, detectionType, camera, zone, sampled, count, score, lastSeen,
 * caseID, at}`: a detection candidate opened, grown, reviewed or filed; sent only to the roles that read the queue).
 * The server sends those two only to the pages that ask. Reconnects by itself. Returns the function that closes it.
 */
export function live(onEvent, { onOpen, onError, types = ['case', 'unplaced', 'alert', 'alarm'] } = {}) {
  if (!session.valid) return () => {};
  const vehicles = types.includes('vehicles') ? '&vehicles=true' : '';
  const candidates = types.includes('candidate') ? '&candidates=true' : '';
  const source = new EventSource(`/api/v1/live?access_token=${encodeURIComponent(session.token)}${vehicles}${candidates}`);
  for (const type of types) source.addEventListener(type, (e) => onEvent(JSON.parse(e.data)));
  if (onOpen) source.addEventListener('open', onOpen);
  // EventSource reconnects by itself; pages show the gap (e.g. a "reconnecting" indicator).
  if (onError) source.addEventListener('error', onError);
  return () => source.close();
}

// ---- formatting ----
/** A date and time in the current language. */
export function fmtTime(iso) {
  if (!iso) return '';
  return new Date(iso).toLocaleString(currentLang === 'en' ? 'en-GB' : 'zh-CN', { hour12: false, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
}

/** A duration in words (the time.* keys); negative durations are overdue. */
export function fmtDuration(ms) {
  const abs = Math.abs(ms);
  const d = Math.floor(abs / 86400000);
  const hr = Math.floor((abs % 86400000) / 3600000);
  const min = Math.floor((abs % 3600000) / 60000);
  const parts = d > 0 ? t('time.dh', { d, h: hr }) : hr > 0 ? t('time.hm', { h: hr, m: min }) : t('time.m', { m: min });
  return ms < 0 ? t('time.overdueBy', { d: parts }) : t('time.left', { d: parts });
}

/** A countdown element to a deadline, updated every 30 s while it is on the page. */
export function countdown(dueAt) {
  const el = h('span', { class: 'countdown' });
  const tick = () => {
    if (!el.isConnected && el.dataset.started) return;
    el.dataset.started = '1';
    const ms = new Date(dueAt) - new Date();
    el.textContent = fmtDuration(ms);
    el.classList.toggle('overdue', ms < 0);
    el.classList.toggle('soon', ms >= 0 && ms < 4 * 3600000);
    setTimeout(tick, 30000);
  };
  if (dueAt) tick();
  return el;
}

/** A case state's name. */
export function stateName(state) { return t(`state.${state}`); }

/** A badge for a case state. */
export function stateBadge(state) { return h('span', { class: `badge state-${state}` }, stateName(state)); }

/** A role's name. */
export function roleName(role) { return t(`role.${role}`); }

// ---- reference data shared by pages (loaded once per page load) ----
let catalogPromise = null;
/** The catalog: `{entries, matter(code), component(code)}`. */
export function catalog() {
  if (!catalogPromise) {
    catalogPromise = api('/api/v1/catalog', { auth: false }).then((entries) => {
      const matters = new Map(entries.filter((e) => e.kind === 'matter').map((e) => [e.code, e]));
      const components = new Map(entries.filter((e) => e.kind === 'component').map((e) => [e.code, e]));
      return { entries, matter: (c) => matters.get(c), component: (c) => components.get(c), matters, components };
    });
  }
  return catalogPromise;
}

/** A catalog entry's name in the current language (the national name when it has no English one). */
export function entryName(entry) {
  if (!entry) return '';
  return currentLang === 'en' && entry.nameEn ? entry.nameEn : entry.name;
}

let departmentsPromise = null;
/** Departments by ID (signed in). */
export function departments() {
  if (!departmentsPromise) {
    departmentsPromise = api('/api/v1/departments').then((list) => new Map(list.map((d) => [d.id, d])));
  }
  return departmentsPromise;
}

/** Forgets the departments read: the next `departments()` reads them again (after they were saved). */
export function forgetDepartments() { departmentsPromise = null; }

/** Whether the signed-in account is an administrator (pages then link to the administration's forms). */
export const isAdmin = () => session.user?.role === 'admin';

/** A new random ID for idempotent requests (`clientRequestID`). */
export function requestID() {
  return crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}
