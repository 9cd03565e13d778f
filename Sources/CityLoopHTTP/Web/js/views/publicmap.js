// The public city map, no sign-in: public toilets, parks and green space, garbage points, kiosks and
// stalls and other public facilities; filter by category, search by name, or "nearest to me" with distances. A
// result opens on the map with its popup.
import { api, errorText, h, route, t } from '../core.js';
import { cityMap } from '../map.js';
import { fmtDistance, locateMe } from './inspector-parts.js';

const LIMIT = 300;
const PALETTE = ['#0b5cad', '#057a55', '#9f580a', '#9b1c1c', '#6c2bd9', '#0e7490', '#b45309', '#be185d', '#374151'];

route('/map', async (main, { query }) => {
  let classes = [];
  let items = [];
  let cls = query.class || '';
  let me = null;
  let cm = null;
  let layer = null;
  let meLayer = null;
  const markers = new Map();
  const colour = (code) => PALETTE[Math.max(0, classes.findIndex((c) => c.code === code)) % PALETTE.length];

  const search = h('input', { type: 'search', id: 'map-search', 'data-testid': 'map-search', autocomplete: 'off', value: query.q || '', placeholder: t('publicmap.searchPlaceholder') });
  const chips = h('div', { class: 'fd-chips', role: 'group', 'aria-label': t('publicmap.category'), 'data-testid': 'map-classes' });
  const near = h('button', { type: 'button', class: 'fd-button primary', id: 'map-near', 'data-testid': 'map-near' }, t('publicmap.near'));
  const note = h('p', { class: 'fd-small', id: 'map-note', 'data-testid': 'map-note', 'aria-live': 'polite' });
  const list = h('ul', { class: 'fd-results', id: 'map-results', 'data-testid': 'map-results' });
  const mapBox = h('div', { class: 'fd-map fd-public-map', id: 'public-map', 'data-testid': 'public-map' });

  function drawChips() {
    const chip = (code, label) => h('button', {
      type: 'button', class: 'fd-chip', 'aria-pressed': String(cls === code), 'data-testid': `map-class-${code || 'all'}`,
      onclick: () => { cls = code; drawChips(); load(); },
    }, code ? h('span', { class: 'fd-dot', style: { background: colour(code) }, 'aria-hidden': 'true' }) : null, label);
    chips.replaceChildren(chip('', t('publicmap.all')), ...classes.map((c) => chip(c.code, c.name)));
  }

  function popup(f) {
    return h('div', { class: 'fd-popup' },
      h('strong', {}, f.name), h('br'), h('span', {}, f.className),
      f.distance !== undefined && f.distance !== null ? [h('br'), h('span', {}, t('publicmap.away', { d: fmtDistance(f.distance) }))] : null);
  }

  function focus(f) {
    const m = markers.get(f.id);
    if (!cm || !m) return;
    cm.map.setView([f.lat, f.lon], Math.max(cm.map.getZoom(), 17));
    m.openPopup();
    list.querySelectorAll('[aria-current]').forEach((el) => el.removeAttribute('aria-current'));
    list.querySelector(`[data-id="${CSS.escape(f.id)}"]`)?.setAttribute('aria-current', 'true');
    if (window.innerWidth < 720) mapBox.scrollIntoView({ behavior: 'smooth', block: 'start' });
  }

  function draw() {
    list.replaceChildren(...(items.length ? items.map((f) => h('li', {},
      h('button', { type: 'button', class: 'fd-result', 'data-testid': 'map-result', dataset: { id: f.id, class: f.classCode }, onclick: () => focus(f) },
        h('span', { class: 'fd-dot', style: { background: colour(f.classCode) }, 'aria-hidden': 'true' }),
        h('span', { class: 'fd-result-name' }, f.name),
        h('span', { class: 'muted fd-small' }, f.className),
        f.distance !== undefined && f.distance !== null ? h('span', { class: 'fd-distance', 'data-testid': 'map-result-distance' }, fmtDistance(f.distance)) : null)))
      : [h('li', { class: 'muted', 'data-testid': 'map-empty' }, t('publicmap.none'))]));
    if (!cm) return;
    if (layer) layer.remove();
    markers.clear();
    layer = L.layerGroup();
    for (const f of items) {
      const m = L.circleMarker([f.lat, f.lon], { radius: 8, color: '#fff', weight: 2, fillColor: colour(f.classCode), fillOpacity: 0.95 })
        .bindPopup(() => popup(f)).bindTooltip(() => document.createTextNode(f.name));
      markers.set(f.id, m);
      layer.addLayer(m);
    }
    layer.addTo(cm.map);
    if (me && items.length) {
      const pts = [[me.lat, me.lon], ...items.slice(0, 5).map((f) => [f.lat, f.lon])];
      cm.map.fitBounds(L.latLngBounds(pts).pad(0.2), { maxZoom: 17 });
    }
  }

  let seq = 0;
  async function load() {
    const mine = ++seq;
    const p = new URLSearchParams({ limit: String(LIMIT) });
    if (search.value.trim()) p.set('q', search.value.trim());
    if (cls) p.set('class', cls);
    if (me) { p.set('lat', String(me.lat)); p.set('lon', String(me.lon)); }
    try {
      const reply = await api(`/api/v1/public/facilities?${p}`, { auth: false });
      if (mine !== seq) return;
      if (!classes.length && reply.classes?.length) { classes = reply.classes; drawChips(); }
      items = reply.items || [];
      const limited = items.length >= LIMIT;
      note.textContent = me ? t(limited ? 'publicmap.nearestN' : 'publicmap.countNear', { n: items.length })
        : t(limited ? 'publicmap.limited' : 'publicmap.count', { n: items.length });
      draw();
    } catch (e) {
      if (mine === seq) note.textContent = navigator.onLine ? errorText(e) : t('publicmap.offline');
    }
  }

  near.addEventListener('click', async () => {
    near.disabled = true;
    note.textContent = t('inspector.loc.asking');
    try {
      me = await locateMe({ maximumAge: 0 });
      if (cm) {
        if (meLayer) meLayer.remove();
        meLayer = L.layerGroup([
          L.circle([me.lat, me.lon], { radius: me.accuracy, color: '#0b5cad', weight: 1, fillOpacity: 0.08, interactive: false }),
          L.circleMarker([me.lat, me.lon], { radius: 8, color: '#fff', weight: 3, fillColor: '#1f2933', fillOpacity: 1 }).bindTooltip(t('inspector.task.me')),
        ]).addTo(cm.map);
      }
      await load();
    } catch (e) {
      note.textContent = errorText(e);
    } finally { near.disabled = false; }
  });
  let typing = null;
  search.addEventListener('input', () => { clearTimeout(typing); typing = setTimeout(load, 300); });

  main.append(h('div', { class: 'fd-page fd-mapview' },
    h('h1', {}, t('publicmap.title')),
    h('p', { class: 'muted' }, t('publicmap.intro')),
    h('div', { class: 'fd-map-layout' },
      h('div', { class: 'fd-map-controls' },
        h('form', { role: 'search', class: 'fd-map-search', onsubmit: (e) => { e.preventDefault(); load(); } },
          h('label', { for: search.id }, t('publicmap.search')),
          h('div', { class: 'fd-row' }, search, h('button', { type: 'submit', class: 'fd-button', 'data-testid': 'map-search-submit' }, t('common.search')))),
        chips,
        h('div', { class: 'fd-row' }, near, note)),
      mapBox,
      list),
    h('p', { class: 'fd-small muted' }, t('publicmap.complain'), ' ', h('a', { href: '#/report', 'data-testid': 'map-report' }, t('nav.report')))));
  drawChips();
  try {
    cm = await cityMap(mapBox, { grids: false, label: 'publicmap.mapLabel' });
  } catch { mapBox.replaceChildren(h('p', { class: 'fd-map-error' }, t('inspector.loc.noMap'))); }
  await load();
  return () => { clearTimeout(typing); };
}, { public: true, title: 'publicmap.title' });
