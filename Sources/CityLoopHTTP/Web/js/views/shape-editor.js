// An outline or a line drawn on the city map: a site's polygon (closed) or a permit's corridor (open). While drawing,
// each click on the map adds a corner at the end; a polygon is closed by clicking its first corner or the close
// button. Afterwards a corner is dragged to move it, chosen by a click (or Tab) and removed with Delete, the button or
// a right click, moved with the arrow keys, and a corner is added between two by clicking the small marker halfway.
// The corners are also a text of "latitude, longitude" lines, to type or paste. Points are WGS84 as the map shows
// them, which is what the API takes (as the camera form's map picker).
import { h, t } from '../core.js';

/** Seven decimals: about a centimetre, as the map picker keeps them. */
const round = (v) => +(+v).toFixed(7);
/** How far an arrow key moves a corner, in screen pixels. */
const NUDGE = 4;

/** Corners as text: one "lat, lon" a line. */
export const pointsText = (points) => points.map((p) => `${p.lat}, ${p.lon}`).join('\n');

/**
 * Corners read from text: "lat, lon" pairs, one a line or separated by semicolons (full-width commas and semicolons
 * too); null when a pair is not two numbers of the globe.
 */
export function parsePoints(text) {
  const pairs = text.split(/[\n;\uFF1B]+/).map((s) => s.trim()).filter(Boolean);
  const points = [];
  for (const pair of pairs) {
    const parts = pair.split(/[\s,\uFF0C]+/).filter(Boolean);
    if (parts.length !== 2) return null;
    const [lat, lon] = parts.map(Number);
    if (!Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180) return null;
    points.push({ lat: round(lat), lon: round(lon) });
  }
  return points;
}

/**
 * Edits a shape on `map`. Options: `closed` (a polygon, else a line), `points` to start from (a polygon's ring may
 * repeat its first corner at the end), `color`, `id` (of the corners' text box; `data-testid`s start with it),
 * `fields` (the API fields whose errors show under the text box), `labels` (translation keys: `text`, `hint`), and
 * `onChange(points)`. An empty shape starts in drawing mode. Answers `{element, points, set(points), fit(), recolor(color),
 * destroy()}`.
 */
export function shapeEditor(map, { closed = true, points = [], color = '#1c64f2', id = 'shape', fields = '', labels = {}, onChange = () => {} } = {}) {
  const pts = points.map((p) => ({ lat: p.lat, lon: p.lon }));
  const [a, b] = [pts[0], pts[pts.length - 1]];
  if (closed && pts.length > 1 && a.lat === b.lat && a.lon === b.lon) pts.pop();
  const state = { drawing: pts.length === 0, selected: null, focus: null };
  const least = closed ? 3 : 2;
  const line = (closed ? L.polygon([], { color, weight: 3, fillOpacity: 0.2, interactive: false }) : L.polyline([], { color, weight: 4, interactive: false })).addTo(map);
  const corners = L.layerGroup().addTo(map);
  const container = map.getContainer();

  const status = h('p', { class: 'muted small', role: 'status', 'data-testid': `${id}-status` });
  const draw = h('button', { type: 'button', 'data-testid': `${id}-draw`, onclick: () => { state.drawing = true; paint(); } }, t('shape.draw'));
  const finish = h('button', { type: 'button', class: 'primary', 'data-testid': `${id}-finish`, onclick: () => { state.drawing = false; paint(); changed(); } },
    t(closed ? 'shape.close' : 'shape.finish'));
  const undo = h('button', { type: 'button', 'data-testid': `${id}-undo`, onclick: () => { pts.pop(); state.selected = null; paint(); changed(); } }, t('shape.undo'));
  const remove = h('button', { type: 'button', 'data-testid': `${id}-remove`, onclick: () => removeAt(state.selected) }, t('shape.remove'));
  const clear = h('button', {
    type: 'button', class: 'danger-outline', 'data-testid': `${id}-clear`,
    onclick: () => { pts.length = 0; state.selected = null; state.drawing = true; paint(); changed(); },
  }, t('shape.clear'));
  const text = h('textarea', { id, rows: 4, spellcheck: 'false', autocomplete: 'off', 'data-testid': `${id}-text`, 'aria-describedby': `${id}-error ${id}-hint` });
  text.dataset.fields = fields;
  const textError = h('small', { class: 'field-error', id: `${id}-error`, 'aria-live': 'polite' });
  text.addEventListener('change', () => {
    const parsed = parsePoints(text.value);
    if (!parsed) { text.setAttribute('aria-invalid', 'true'); textError.textContent = t('shape.textFormat'); return; }
    text.removeAttribute('aria-invalid');
    textError.textContent = '';
    set(parsed);
    fit();
  });

  function changed() { onChange(result()); }

  // A polygon's ring is open, as the API stores it (Polygon.swift): the first corner is not repeated at the end.
  function result() { return pts.slice(); }

  function removeAt(i) {
    if (i === null || i === undefined || !pts[i]) return;
    pts.splice(i, 1);
    state.selected = null;
    state.focus = pts.length ? Math.min(i, pts.length - 1) : null;
    paint();
    changed();
  }

  function insertAt(i, p) {
    pts.splice(i, 0, p);
    state.selected = i;
    state.focus = i;
    paint();
    changed();
  }

  function icon(cls) { return L.divIcon({ className: cls, iconSize: null }); }

  function vertex(p, i) {
    const m = L.marker([p.lat, p.lon], {
      draggable: true, keyboard: true, icon: icon(`shape-vertex${state.selected === i ? ' selected' : ''}${i === 0 ? ' first' : ''}`),
      title: t('shape.corner', { n: i + 1 }),
    });
    m.on('drag', () => { const ll = m.getLatLng(); pts[i] = { lat: round(ll.lat), lon: round(ll.lng) }; line.setLatLngs(pts.map((q) => [q.lat, q.lon])); });
    m.on('dragend', () => { state.selected = i; paint(); changed(); });
    m.on('click', () => {
      if (state.drawing && closed && i === 0 && pts.length >= least) { state.drawing = false; paint(); changed(); return; }
      state.selected = state.selected === i ? null : i;
      state.focus = i;
      paint();
    });
    m.on('contextmenu', () => removeAt(i));
    m.on('add', () => {
      const el = m.getElement();
      el.setAttribute('role', 'button');
      el.setAttribute('aria-label', t('shape.cornerLabel', { n: i + 1, lat: p.lat, lon: p.lon }));
      el.dataset.testid = `${id}-vertex`;
      el.dataset.index = String(i);
      el.addEventListener('keydown', (e) => keyOnVertex(e, i));
      if (state.focus === i) el.focus({ preventScroll: true });
    });
    return m;
  }

  function keyOnVertex(e, i) {
    const moves = { ArrowUp: [0, -NUDGE], ArrowDown: [0, NUDGE], ArrowLeft: [-NUDGE, 0], ArrowRight: [NUDGE, 0] };
    if (e.key === 'Delete' || e.key === 'Backspace') {
      removeAt(i);
    } else if (moves[e.key]) {
      const at = map.latLngToContainerPoint([pts[i].lat, pts[i].lon]).add(moves[e.key]);
      const ll = map.containerPointToLatLng(at);
      pts[i] = { lat: round(ll.lat), lon: round(ll.lng) };
      state.selected = i;
      state.focus = i;
      paint();
      changed();
    } else if (e.key === 'Enter' || e.key === ' ') {
      state.selected = state.selected === i ? null : i;
      state.focus = i;
      paint();
    } else {
      return;
    }
    // The map would pan on the arrows, and a form around it would take Enter as a submit.
    e.preventDefault();
    e.stopPropagation();
  }

  function midpoint(p, q, i) {
    const at = { lat: round((p.lat + q.lat) / 2), lon: round((p.lon + q.lon) / 2) };
    const m = L.marker([at.lat, at.lon], { keyboard: true, icon: icon('shape-mid'), title: t('shape.insert') });
    m.on('click', () => insertAt(i, at));
    m.on('add', () => {
      const el = m.getElement();
      el.setAttribute('role', 'button');
      el.setAttribute('aria-label', t('shape.insertLabel', { n: i }));
      el.dataset.testid = `${id}-mid`;
      el.addEventListener('keydown', (e) => {
        if (e.key !== 'Enter' && e.key !== ' ') return;
        e.preventDefault();
        e.stopPropagation();
        insertAt(i, at);
      });
    });
    return m;
  }

  function paint() {
    line.setLatLngs(pts.map((p) => [p.lat, p.lon]));
    corners.clearLayers();
    if (!state.drawing) {
      const n = closed ? pts.length : pts.length - 1;
      for (let i = 0; i < n && pts.length >= 2; i++) corners.addLayer(midpoint(pts[i], pts[(i + 1) % pts.length], i + 1));
    }
    pts.forEach((p, i) => corners.addLayer(vertex(p, i)));
    state.focus = null;
    container.classList.toggle('shape-drawing', state.drawing);
    container.dataset.corners = String(pts.length);
    container.dataset.drawing = String(state.drawing);
    draw.hidden = state.drawing;
    finish.hidden = !state.drawing;
    finish.disabled = pts.length < least;
    undo.disabled = !pts.length;
    remove.disabled = state.selected === null;
    clear.disabled = !pts.length;
    status.textContent = state.drawing
      ? t(closed ? 'shape.drawingPolygon' : 'shape.drawingLine', { n: pts.length })
      : t(pts.length ? 'shape.editing' : 'shape.empty', { n: pts.length });
    if (document.activeElement !== text) text.value = pointsText(pts);
  }

  function onMapClick(e) {
    if (!state.drawing) return;
    pts.push({ lat: round(e.latlng.lat), lon: round(e.latlng.lng) });
    state.selected = null;
    paint();
    changed();
  }
  map.on('click', onMapClick);

  function set(next) {
    pts.length = 0;
    pts.push(...next.map((p) => ({ lat: round(p.lat), lon: round(p.lon) })));
    const [f, l] = [pts[0], pts[pts.length - 1]];
    if (closed && pts.length > 1 && f.lat === l.lat && f.lon === l.lon) pts.pop();
    state.selected = null;
    state.drawing = false;
    paint();
    changed();
  }

  function fit() {
    if (pts.length) map.fitBounds(L.latLngBounds(pts.map((p) => [p.lat, p.lon])), { maxZoom: 17, padding: [40, 40] });
  }

  paint();
  const element = h('div', { class: 'shape-editor', 'data-testid': `${id}-editor` },
    status,
    h('div', { class: 'buttons' }, draw, finish, undo, remove, clear),
    h('div', { class: 'field' },
      h('label', { for: id }, t(labels.text || 'shape.text')), text,
      h('small', { id: `${id}-hint` }, t(labels.hint || 'shape.textHint')), textError));
  return {
    element,
    /** The shape as the API takes it (a polygon's ring open: its first corner not repeated). */
    get points() { return result(); },
    set,
    fit,
    /** Draws the shape in another colour (a site whose kind changed). */
    recolor(c) { line.setStyle({ color: c }); },
    destroy() { map.off('click', onMapClick); line.remove(); corners.remove(); },
  };
}
