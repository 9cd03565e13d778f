// Pieces the field pages share (inspector and citizen reports, tasks, the public map): the photo picker, the
// location picker (phone GPS, a tap on the map, a draggable pin, typed coordinates), the searchable matter list,
// distances and the outbox status line.
import { api, errorText, h, session, t } from '../core.js';
import { cityMap, pin } from '../map.js';
import * as outbox from '../outbox.js';

const ACCEPTED = ['image/jpeg', 'image/png', 'image/webp', 'image/gif'];
const MAX_BYTES = 9.5 * 1024 * 1024;

// ---- inspector tasks ----
/** The states in which a case is an inspector's task. */
export const TASK_STATES = ['pending_verification', 'pending_check'];

/** What the inspector is asked to do for a case in this state: verify or check. */
export function taskKind(state) { return state === 'pending_check' ? 'check' : 'verify'; }

/** The inspector's last known position, shared by the task pages while the console is open. */
export const here = { value: null };

// ---- distances and the phone's position ----
/** Metres between two points (haversine). */
export function distance(a, b) {
  const r = 6371008.8;
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const s = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * r * Math.asin(Math.sqrt(s));
}

/** A distance in words: `850 m`, `1.2 km`. */
export function fmtDistance(m) {
  if (m === null || m === undefined || Number.isNaN(m)) return '';
  return m < 1000 ? t('inspector.dist.m', { n: Math.round(m) }) : t('inspector.dist.km', { n: (m / 1000).toFixed(m < 10000 ? 1 : 0) });
}

/** The phone's position `{lat, lon, accuracy}`; rejects with a readable message. */
export function locateMe({ timeout = 15000, maximumAge = 30000 } = {}) {
  return new Promise((resolve, reject) => {
    if (!navigator.geolocation) { reject(new Error(t('inspector.loc.unsupported'))); return; }
    if (window.isSecureContext === false) { reject(new Error(t('inspector.loc.insecure'))); return; }
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ lat: p.coords.latitude, lon: p.coords.longitude, accuracy: p.coords.accuracy }),
      (e) => reject(new Error(t(e.code === 1 ? 'inspector.loc.denied' : e.code === 3 ? 'inspector.loc.timeout' : 'inspector.loc.unavailable'))),
      { enableHighAccuracy: true, timeout, maximumAge },
    );
  });
}

/** Whether the page may read the position without asking (permission already granted). */
export async function locationGranted() {
  try { return (await navigator.permissions.query({ name: 'geolocation' })).state === 'granted'; } catch { return false; }
}

// ---- photos ----
/** Makes a picked photo acceptable to the server: re-encodes as JPEG only when too large or of another type. */
async function prepare(file) {
  if (ACCEPTED.includes(file.type) && file.size <= MAX_BYTES) return file;
  try {
    const bitmap = await createImageBitmap(file);
    const scale = Math.min(1, 2560 / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    canvas.getContext('2d').drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    return await new Promise((resolve) => canvas.toBlob((b) => resolve(b || file), 'image/jpeg', 0.85));
  } catch { return file; }
}

/**
 * Photo picker: "take a photo" (the phone's camera) and "choose from the album", previews with a remove button.
 * Answers `{element, photos(), set(blobs), clear()}`.
 */
export function photoPicker({ max = 6, testid = 'photos', labelKey = 'inspector.photo.label' } = {}) {
  let photos = [];
  const list = h('ul', { class: 'fd-thumbs', 'data-testid': `${testid}-list`, 'aria-live': 'polite' });
  const note = h('p', { class: 'muted fd-small', id: `${testid}-note` });
  const draw = () => {
    list.replaceChildren(...photos.map((p, i) => h('li', { class: 'fd-thumb' },
      h('img', { src: p.url, alt: t('inspector.photo.preview', { n: i + 1 }) }),
      h('button', {
        type: 'button', class: 'fd-thumb-remove', 'aria-label': t('inspector.photo.remove', { n: i + 1 }), 'data-testid': `${testid}-remove`,
        onclick: () => { URL.revokeObjectURL(p.url); photos.splice(i, 1); draw(); },
      }, '×'))));
    note.textContent = photos.length ? t('inspector.photo.count', { n: photos.length, max }) : t('inspector.photo.none');
    for (const input of inputs) input.disabled = photos.length >= max;
  };
  const add = async (files) => {
    for (const f of files) {
      if (photos.length >= max) { note.textContent = t('inspector.photo.max', { max }); break; }
      const blob = await prepare(f);
      photos.push({ blob, url: URL.createObjectURL(blob) });
    }
    draw();
  };
  const input = (capture, suffix, key) => {
    const el = h('input', {
      type: 'file', accept: 'image/*', capture: capture ? 'environment' : null, multiple: max > 1, class: 'fd-visually-hidden',
      id: `${testid}-${suffix}`, 'data-testid': `${testid}-${suffix}`,
      onchange: async () => { await add([...el.files]); el.value = ''; },
    });
    return [el, h('label', { for: el.id, class: `fd-button ${capture ? 'primary' : ''}` }, t(key))];
  };
  const [camera, cameraLabel] = input(true, 'camera', 'inspector.photo.take');
  const [album, albumLabel] = input(false, 'album', 'inspector.photo.album');
  const inputs = [camera, album];
  const element = h('fieldset', { class: 'fd-photos', 'data-testid': testid },
    h('legend', {}, t(labelKey)),
    h('div', { class: 'fd-row' }, camera, cameraLabel, album, albumLabel), note, list);
  draw();
  return {
    element,
    photos: () => photos.map((p) => p.blob),
    set(blobs) { photos.forEach((p) => URL.revokeObjectURL(p.url)); photos = blobs.map((b) => ({ blob: b, url: URL.createObjectURL(b) })); draw(); },
    clear() { this.set([]); },
  };
}

// ---- location ----
/**
 * Location picker: GPS with its accuracy, a tap on the city map (the pin can be dragged), or typed coordinates; each
 * change is located (`GET /api/v1/locate`) and the grid, street and community are shown. Answers
 * `{element, ready, value(), set(lat, lon), locate()}` (`grids: false` leaves the unit grids off the map); `value()` is `{lat, lon, accuracy, source, placement, names,
 * outside}` or null.
 */
export function locationPicker({ testid = 'loc', onChange, auto = false, grids = true } = {}) {
  let state = null;
  let marker = null;
  let circle = null;
  let cm = null;
  let seq = 0;
  const status = h('p', { class: 'fd-small', id: `${testid}-status`, 'data-testid': `${testid}-status`, 'aria-live': 'polite' }, t('inspector.loc.hint'));
  const place = h('p', { class: 'fd-place', id: `${testid}-place`, 'data-testid': `${testid}-place`, 'aria-live': 'polite' });
  const mapBox = h('div', { class: 'fd-map', id: `${testid}-map`, 'data-testid': `${testid}-map` });
  const lat = h('input', { type: 'number', step: 'any', inputmode: 'decimal', id: `${testid}-lat`, 'data-testid': `${testid}-lat` });
  const lon = h('input', { type: 'number', step: 'any', inputmode: 'decimal', id: `${testid}-lon`, 'data-testid': `${testid}-lon` });
  const gps = h('button', { type: 'button', class: 'fd-button primary', id: `${testid}-gps`, 'data-testid': `${testid}-gps`, onclick: () => locate() }, t('inspector.loc.gps'));

  async function set(la, lo, { source = 'map', accuracy = null, pan = false } = {}) {
    if (!Number.isFinite(la) || !Number.isFinite(lo)) return;
    const mine = ++seq;
    state = { lat: la, lon: lo, accuracy, source, placement: null, names: [], outside: false };
    lat.value = la.toFixed(6);
    lon.value = lo.toFixed(6);
    if (cm) {
      if (marker) marker.setLatLng([la, lo]);
      else marker = pin(cm.map, [la, lo], { onMove: (ll) => set(ll.lat, ll.lng, { source: 'map' }) });
      if (circle) { circle.remove(); circle = null; }
      if (accuracy) circle = L.circle([la, lo], { radius: accuracy, color: '#0b5cad', weight: 1, fillOpacity: 0.08, interactive: false }).addTo(cm.map);
      if (pan) cm.map.setView([la, lo], Math.max(cm.map.getZoom(), 17));
    }
    place.textContent = t('inspector.loc.locating');
    place.classList.remove('error');
    onChange?.(state);
    try {
      const r = await api(`/api/v1/locate?lat=${la}&lon=${lo}`, { auth: false });
      if (mine !== seq) return;
      state.placement = r.placement;
      state.names = r.names || [];
      place.textContent = t('inspector.loc.place', { names: state.names.join(' · '), grid: r.placement.gridCode });
    } catch (e) {
      if (mine !== seq) return;
      if (e.status === 400 || e.status === 404 || e.status === 422) {
        state.outside = true;
        place.textContent = t('inspector.loc.outside');
        place.classList.add('error');
      } else {
        place.textContent = t('inspector.loc.unplaced');
      }
    }
    onChange?.(state);
  }

  async function locate() {
    gps.disabled = true;
    status.textContent = t('inspector.loc.asking');
    try {
      const p = await locateMe({ maximumAge: 0 });
      status.textContent = t('inspector.loc.accuracy', { m: Math.round(p.accuracy) });
      status.classList.toggle('warn', p.accuracy > 50);
      await set(p.lat, p.lon, { source: 'gps', accuracy: p.accuracy, pan: true });
    } catch (e) {
      status.textContent = errorText(e);
      status.classList.add('warn');
    } finally { gps.disabled = false; }
  }

  const element = h('fieldset', { class: 'fd-location', 'data-testid': testid },
    h('legend', {}, t('inspector.loc.label')),
    h('div', { class: 'fd-row' }, gps), status, mapBox, place,
    h('details', { class: 'fd-coords' },
      h('summary', { 'data-testid': `${testid}-manual` }, t('inspector.loc.manual')),
      h('div', { class: 'fd-row' },
        h('div', { class: 'field' }, h('label', { for: lat.id }, t('inspector.loc.lat')), lat),
        h('div', { class: 'field' }, h('label', { for: lon.id }, t('inspector.loc.lon')), lon),
        h('button', {
          type: 'button', class: 'fd-button', 'data-testid': `${testid}-apply`,
          onclick: () => set(parseFloat(lat.value), parseFloat(lon.value), { source: 'manual', pan: true }),
        }, t('inspector.loc.apply')))));

  const ready = (async () => {
    await new Promise((r) => requestAnimationFrame(r));
    try {
      cm = await cityMap(mapBox, { label: 'inspector.loc.mapLabel', grids });
      cm.map.on('click', (e) => set(e.latlng.lat, e.latlng.lng, { source: 'map' }));
      if (state) await set(state.lat, state.lon, { source: state.source, accuracy: state.accuracy, pan: true });
    } catch (e) {
      mapBox.replaceChildren(h('p', { class: 'fd-map-error' }, t('inspector.loc.noMap')));
    }
    if (auto && !state && (await locationGranted())) locate();
  })();

  return { element, ready, value: () => state, set: (la, lo, opts) => set(la, lo, { pan: true, ...opts }), locate, map: () => cm };
}

// ---- matter classes ----
function recentKey() { return `cityloop.recentMatters.${session.valid ? session.user.id : 'anon'}`; }
function recentCounts() { try { return JSON.parse(localStorage.getItem(recentKey()) || '{}'); } catch { return {}; } }

/** Counts a use of a matter class, for the "frequently used" list. */
export function rememberMatter(code) {
  const counts = recentCounts();
  counts[code] = (counts[code] || 0) + 1;
  localStorage.setItem(recentKey(), JSON.stringify(counts));
}

/**
 * A searchable list of matter classes: `entries` are `{code, name, group}`. Frequently used classes come first.
 * Answers `{element, value(), set(code), focus()}`.
 */
export function matterPicker(entries, { testid = 'matter', onChange } = {}) {
  let selected = null;
  const byCode = new Map(entries.map((e) => [e.code, e]));
  const search = h('input', { type: 'search', id: `${testid}-search`, 'data-testid': `${testid}-search`, autocomplete: 'off', placeholder: t('inspector.matter.placeholder') });
  const chosen = h('p', { class: 'fd-chosen', id: `${testid}-selected`, 'data-testid': `${testid}-selected`, 'aria-live': 'polite' });
  const list = h('div', { class: 'fd-options', id: `${testid}-options`, role: 'group', 'aria-label': t('inspector.matter.options') });
  search.setAttribute('aria-controls', list.id);

  const option = (e) => h('button', {
    type: 'button', class: 'fd-option', tabindex: '-1', 'aria-pressed': String(selected === e.code),
    'data-testid': `${testid}-option-${e.code}`, dataset: { code: e.code },
    onclick: () => choose(e.code),
  }, h('span', {}, e.name), h('small', {}, `${e.code}${e.group ? ' · ' + e.group : ''}`));

  function draw() {
    const q = search.value.trim().toLowerCase();
    const counts = recentCounts();
    const children = [];
    if (!q) {
      const frequent = Object.entries(counts).sort((a, b) => b[1] - a[1]).map(([c]) => byCode.get(c)).filter(Boolean).slice(0, 8);
      if (frequent.length) children.push(h('h3', {}, t('inspector.matter.frequent')), ...frequent.map(option));
    }
    const hits = entries.filter((e) => !q || e.name.toLowerCase().includes(q) || e.code.startsWith(q) || (e.group || '').toLowerCase().includes(q))
      .sort((a, b) => (counts[b.code] || 0) - (counts[a.code] || 0) || a.code.localeCompare(b.code));
    let group = null;
    for (const e of hits.slice(0, q ? 80 : 400)) {
      if (!q && e.group !== group) { group = e.group; children.push(h('h3', {}, group || '')); }
      children.push(option(e));
    }
    if (!hits.length) children.push(h('p', { class: 'muted' }, t('inspector.matter.noMatch')));
    list.replaceChildren(...children);
    const first = list.querySelector('[aria-pressed="true"]') || list.querySelector('.fd-option');
    if (first) first.tabIndex = 0;
  }

  function choose(code) {
    selected = byCode.has(code) ? code : null;
    const e = byCode.get(code);
    chosen.textContent = e ? t('inspector.matter.chosen', { name: e.name, code: e.code }) : t('inspector.matter.none');
    chosen.classList.toggle('empty', !e);
    list.querySelectorAll('.fd-option').forEach((b) => {
      b.setAttribute('aria-pressed', String(b.dataset.code === selected));
      b.tabIndex = b.dataset.code === selected ? 0 : -1;
    });
    onChange?.(selected);
  }

  list.addEventListener('keydown', (ev) => {
    if (!['ArrowDown', 'ArrowUp', 'Home', 'End'].includes(ev.key)) return;
    const buttons = [...list.querySelectorAll('.fd-option')];
    let i = buttons.indexOf(document.activeElement);
    i = ev.key === 'Home' ? 0 : ev.key === 'End' ? buttons.length - 1 : i + (ev.key === 'ArrowDown' ? 1 : -1);
    if (i < 0 && ev.key === 'ArrowUp') { search.focus(); ev.preventDefault(); return; }
    const target = buttons[Math.max(0, Math.min(buttons.length - 1, i))];
    if (target) { buttons.forEach((b) => { b.tabIndex = -1; }); target.tabIndex = 0; target.focus(); ev.preventDefault(); }
  });
  search.addEventListener('input', draw);
  search.addEventListener('keydown', (ev) => {
    if (ev.key === 'ArrowDown') { list.querySelector('.fd-option')?.focus(); ev.preventDefault(); }
    if (ev.key === 'Enter') { ev.preventDefault(); const only = list.querySelectorAll('.fd-option'); if (only.length >= 1 && search.value.trim()) choose(only[0].dataset.code); }
  });

  const element = h('fieldset', { class: 'fd-matter', 'data-testid': testid },
    h('legend', {}, t('inspector.matter.label')),
    h('div', { class: 'field' }, h('label', { for: search.id }, t('inspector.matter.search')), search),
    chosen, list);
  draw();
  choose(null);
  return {
    element,
    value: () => selected,
    set: (code) => { choose(code); draw(); },
    /** Clears the choice and the search (after a report was made: the frequently used classes show first again). */
    reset: () => { search.value = ''; choose(null); draw(); },
    focus: () => search.focus(),
  };
}

// ---- the outbox status line ----
/**
 * The line at the head of the field pages: online or offline, and how many reports wait to be sent (linking to the
 * queue). Answers `{element, dispose}`.
 */
export function outboxStatus({ link = '#/inspector/report' } = {}) {
  const element = h('div', { class: 'fd-outbox-status', id: 'outbox-status', 'data-testid': 'outbox-status', role: 'status', 'aria-live': 'polite' });
  const draw = async () => {
    const items = session.valid ? await outbox.pending() : [];
    const waiting = items.filter((i) => i.status !== 'failed').length;
    const failed = items.length - waiting;
    element.classList.toggle('offline', !navigator.onLine);
    element.replaceChildren(
      h('span', { class: `fd-net ${navigator.onLine ? 'on' : 'off'}`, 'data-testid': 'net-state' }, t(navigator.onLine ? 'outbox.online' : 'outbox.offline')),
      waiting || failed
        ? h('a', { href: `${link}?show=outbox`, class: 'fd-waiting', onclick: (e) => { const box = document.getElementById('outbox'); if (box) { e.preventDefault(); box.scrollIntoView(); box.focus(); } } },
          h('span', { id: 'outbox-count', 'data-testid': 'outbox-count', dataset: { count: String(waiting) } }, t('outbox.waiting', { n: waiting })),
          failed ? h('span', { class: 'fd-failed', 'data-testid': 'outbox-failed-count' }, t('outbox.failedCount', { n: failed })) : null)
        : h('span', { id: 'outbox-count', 'data-testid': 'outbox-count', dataset: { count: '0' }, class: 'muted' }, t('outbox.empty')));
  };
  const off = outbox.onChange(() => draw());
  draw();
  return { element, dispose: off };
}
