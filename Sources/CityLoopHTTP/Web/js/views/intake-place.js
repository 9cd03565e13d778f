// The location picker of the intake pages: the city map with a draggable pin (click the map to move it), the unit
// grid / community / street / district the point falls in (GET /api/v1/locate, the grid highlighted), an address
// search on the city's place table and coordinate fields for keyboard users.
import { api, errorText, h, t, userText } from '../core.js';
import { cityMap, pin } from '../map.js';

const gridPlain = { color: '#9aa5b1', weight: 0.4, fill: false };
const gridChosen = { color: '#0b5cad', weight: 2.5, fill: true, fillColor: '#0b5cad', fillOpacity: 0.15 };

/** Where a point lies (`{names, placement}`), or null outside the city's grids. */
export async function locate(lat, lon) {
  try {
    return await api(`/api/v1/locate?lat=${lat}&lon=${lon}`, { auth: false });
  } catch (e) {
    if (e.status === 404 || e.status === 400 || e.status === 422) return null;
    throw e;
  }
}

/**
 * Draws the picker into `box` (which must be in the document). Options: `point` ({lat, lon}) to start from,
 * `original` (the case's placement, to flag a different grid), `search` (show the address search, with
 * `address` prefilled, or `addressInput` an input of the caller's to search with, and `candidates` [{name, address,
 * point}] offered), `onChange({lat, lon}, located)`,
 * `testid` (prefix of the data-testids). Answers `{map, city, point, located, set(point), destroy()}`.
 */
export async function locationPicker(box, { point = null, original = null, search = false, address = '', addressInput = null, candidates = [], onChange = () => {}, testid = 'loc' } = {}) {
  const mapEl = h('div', { class: 'intake-map', 'data-testid': `${testid}-map` });
  const where = h('div', { class: 'intake-where', 'data-testid': `${testid}-where`, 'aria-live': 'polite' });
  const state = { point, located: null, marker: null, grid: null, seq: 0 };
  const latInput = h('input', { type: 'number', step: 'any', inputmode: 'decimal', 'data-testid': `${testid}-lat` });
  const lonInput = h('input', { type: 'number', step: 'any', inputmode: 'decimal', 'data-testid': `${testid}-lon` });
  const hits = h('ul', { class: 'intake-hits', 'data-testid': `${testid}-hits` });

  const hitList = (list) => {
    hits.replaceChildren(...list.map((p) => h('li', {},
      h('button', {
        type: 'button', class: 'link', 'data-testid': `${testid}-hit`,
        onclick: () => { set({ lat: p.point ? p.point.lat : p.lat, lon: p.point ? p.point.lon : p.lon }, true); },
      }, userText(p.name), p.address && p.address !== p.name ? h('span', { class: 'muted' }, ' — ', userText(p.address)) : null))));
  };

  let searchRow = null;
  if (search) {
    const q = addressInput || h('input', { type: 'search', value: address, 'data-testid': `${testid}-address`, autocomplete: 'off' });
    const go = h('button', { type: 'button', 'data-testid': `${testid}-address-go` }, t('intake.loc.find'));
    const run = async () => {
      const text = q.value.trim();
      if (!text) return;
      go.disabled = true;
      try {
        const found = await api(`/api/v1/places/search?q=${encodeURIComponent(text)}&limit=6`);
        hitList(found);
        if (!found.length) hits.replaceChildren(h('li', { class: 'muted' }, t('intake.loc.noPlace')));
      } catch (e) {
        hits.replaceChildren(h('li', { class: 'error' }, errorText(e)));
      } finally { go.disabled = false; }
    };
    go.addEventListener('click', run);
    q.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); run(); } });
    const qid = q.id || `${testid}-q-${Math.random().toString(36).slice(2, 7)}`;
    q.id = qid;
    searchRow = h('div', { class: 'field intake-address-search' },
      h('label', { for: qid }, t(addressInput ? 'intake.new.address' : 'intake.loc.addressSearch')), h('div', { class: 'intake-inline' }, q, go), hits);
    if (candidates.length) hitList(candidates);
  }

  const coordID = `${testid}-c-${Math.random().toString(36).slice(2, 7)}`;
  latInput.id = `${coordID}-lat`;
  lonInput.id = `${coordID}-lon`;
  const coordGo = h('button', {
    type: 'button', 'data-testid': `${testid}-coords-go`,
    onclick: () => {
      const lat = parseFloat(latInput.value);
      const lon = parseFloat(lonInput.value);
      if (Number.isFinite(lat) && Number.isFinite(lon)) set({ lat, lon }, true);
    },
  }, t('intake.loc.coordsGo'));
  // Enter in a coordinate box places the point; it must not submit the form the picker stands in.
  for (const input of [latInput, lonInput]) {
    input.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); coordGo.click(); } });
  }
  const coords = h('details', { class: 'intake-coords' },
    h('summary', {}, t('intake.loc.coords')),
    h('div', { class: 'intake-inline' },
      h('label', { for: latInput.id }, t('intake.loc.lat')), latInput,
      h('label', { for: lonInput.id }, t('intake.loc.lon')), lonInput, coordGo));

  box.append(...[searchRow, h('p', { class: 'muted intake-map-hint' }, t('intake.loc.hint')), mapEl, where, coords].filter(Boolean));
  const city = await cityMap(mapEl, { label: 'intake.loc.mapLabel' });

  const highlight = (code) => {
    if (state.grid === code) return;
    if (state.grid) city.gridLayer(state.grid)?.setStyle(gridPlain);
    state.grid = code;
    const layer = code ? city.gridLayer(code) : null;
    if (layer) { layer.setStyle(gridChosen); layer.bringToFront(); }
  };

  const showWhere = (located) => {
    if (!state.point) { where.replaceChildren(h('span', { class: 'muted' }, t('intake.loc.none'))); return; }
    if (!located) { where.replaceChildren(h('span', { class: 'error' }, t('intake.loc.outside'))); return; }
    const p = located.placement;
    const moved = original && original.gridCode !== p.gridCode;
    where.replaceChildren(
      h('span', {}, t('intake.loc.suggested'), ' '),
      h('strong', { 'data-testid': `${testid}-grid` }, p.gridCode), ' · ',
      h('span', { 'data-testid': `${testid}-names` }, (located.names || []).join(' · ')),
      moved ? h('p', { class: 'intake-warn', 'data-testid': `${testid}-moved` }, t('intake.loc.moved', { grid: original.gridCode })) : '',
    );
  };

  async function set(p, pan = false) {
    state.point = { lat: +(+p.lat).toFixed(7), lon: +(+p.lon).toFixed(7) };
    latInput.value = state.point.lat;
    lonInput.value = state.point.lon;
    const ll = [state.point.lat, state.point.lon];
    if (state.marker) state.marker.setLatLng(ll);
    else state.marker = pin(city.map, ll, { onMove: (m) => set({ lat: m.lat, lon: m.lng }), title: t('intake.loc.pin') });
    if (pan) city.map.setView(ll, Math.max(city.map.getZoom(), 16));
    const seq = ++state.seq;
    where.replaceChildren(h('span', { class: 'muted' }, t('common.loading')));
    let located = null;
    try { located = await locate(state.point.lat, state.point.lon); } catch (e) { where.replaceChildren(h('span', { class: 'error' }, errorText(e))); return; }
    if (seq !== state.seq) return;
    state.located = located;
    highlight(located ? located.placement.gridCode : null);
    showWhere(located);
    onChange(state.point, located);
  }

  // A click on the whole city also zooms in, so the pin can then be put on the exact spot.
  city.map.on('click', (e) => set({ lat: e.latlng.lat, lon: e.latlng.lng }, city.map.getZoom() < 15));
  if (point) {
    city.map.setView([point.lat, point.lon], 16);
    await set(point);
  } else {
    showWhere(null);
  }
  // The pane may have been laid out after the map measured it.
  setTimeout(() => city.map.invalidateSize(), 50);

  return {
    map: city.map,
    city,
    get point() { return state.point; },
    get located() { return state.located; },
    set,
    destroy() { try { city.map.remove(); } catch { /* already gone */ } },
  };
}
