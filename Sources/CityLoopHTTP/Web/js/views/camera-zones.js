// The zones of a camera's picture, drawn on its latest snapshot: click the picture to put a zone's corners
// (normalised 0…1 coordinates, x from the left, y from the top), finish, name it and pick the detection types it
// counts for; redraw or delete a zone. The corners can be typed too ("x,y x,y …"), for keyboard users and exact
// values. The picture is the newest snapshot of the camera's candidates, or a grey 16:9 box when it has none. The
// rules a zone must meet (how many corners, a name, …) are the server's: it names the zone's field when it refuses one.
import { api, h, t } from '../core.js';
import { snapshotImage, typeName } from './detections-detail.js';

const SVG = 'http://www.w3.org/2000/svg';
/** Outline colours of the zones, in turn. */
const COLORS = ['#1c64f2', '#e02424', '#0e9f6e', '#d97706', '#7e3af2', '#0694a2'];

/** A corner as text with at most four decimals. */
const num = (v) => String(+v.toFixed(4));
/** Corners as "x,y x,y …". */
export const pointsText = (points) => points.map((p) => `${num(p.x)},${num(p.y)}`).join(' ');

/** Corners read from "x,y x,y …"; null when the text is not pairs of numbers. */
export function parsePoints(text) {
  const pairs = text.trim().split(/[\s;]+/).filter(Boolean);
  const points = pairs.map((pair) => pair.split(',')).map(([x, y, extra]) => ({ x: Number(x), y: Number(y), extra }));
  if (points.some((p) => p.extra !== undefined || !Number.isFinite(p.x) || !Number.isFinite(p.y))) return null;
  return points.map(({ x, y }) => ({ x, y }));
}

/** The newest snapshot among a camera's candidates: `{candidateID, mediaID}`, or null. */
async function latestSnapshot(cameraID) {
  if (!cameraID) return null;
  const list = await api(`/api/v1/detection-candidates?camera=${encodeURIComponent(cameraID)}&limit=20`);
  const c = list.map((r) => r.candidate).find((x) => x.snapshots.length > 0);
  return c ? { candidateID: c.id, mediaID: c.snapshots[c.snapshots.length - 1].mediaID } : null;
}

/**
 * A group of checkboxes, one per detection type, under the legend `legendKey` with a hint; `checked` is a Set of types,
 * `fields` the API fields whose errors show in its error line.
 */
export function typeChoices(id, types, checked, fields, legendKey, hint) {
  const group = h('fieldset', { class: 'cam-types', id, tabindex: '-1', 'aria-describedby': `${id}-error` },
    h('legend', {}, t(legendKey)), hint ? h('small', { class: 'muted' }, hint) : null,
    h('div', { class: 'cam-type-list' }, types.map((k) => h('label', { class: 'inline' },
      h('input', { type: 'checkbox', value: k, checked: checked.has(k), 'data-testid': `${id}-${k}` }), typeName(k)))),
    h('small', { class: 'field-error', id: `${id}-error`, 'aria-live': 'polite' }));
  group.dataset.fields = fields;
  return group;
}

/** The types ticked in a group made by `typeChoices`. */
export const tickedTypes = (group) => [...group.querySelectorAll('input:checked')].map((i) => i.value);

/**
 * The zone editor of a camera (`cameraID` null for a new one): `zones` as the API gives them, `types` the detection
 * types known to the server, `images` the page's snapshot cache. Answers `{element, zones()}`; `zones()` reads the
 * zones as the API takes them.
 */
export function zoneEditor({ cameraID, zones, types, images }) {
  const state = {
    zones: zones.map((z) => ({ id: z.id, name: z.name, points: z.points.map((p) => ({ ...p })), types: new Set(z.types || []) })),
    drawing: null, // index of the zone being drawn, or -1 for a new one
    draft: [],
  };
  const overlay = document.createElementNS(SVG, 'svg');
  overlay.setAttribute('viewBox', '0 0 1 1');
  overlay.setAttribute('preserveAspectRatio', 'none');
  overlay.setAttribute('class', 'cam-overlay');
  overlay.setAttribute('aria-hidden', 'true');
  const dots = h('div', { class: 'cam-dots', 'aria-hidden': 'true' });
  const picture = h('div', { class: 'cam-picture', 'data-testid': 'cam-picture' }, h('span', { class: 'muted small cam-picture-note' }, t('common.loading')));
  const frame = h('div', {
    class: 'cam-frame', 'data-testid': 'cam-frame', role: 'img', 'aria-label': t('camadmin.zones.pictureLabel'),
    onclick: (e) => addPoint(e),
  }, picture, overlay, dots);
  const status = h('p', { class: 'muted small', role: 'status', 'data-testid': 'cam-draw-status' });
  const list = h('ol', { class: 'cam-zone-list', 'data-testid': 'cam-zone-list' });
  const listError = h('small', { class: 'field-error', id: 'cam-zones-box-error' });
  const listBox = h('div', { id: 'cam-zones-box', tabindex: '-1' }, list, listError);
  listBox.dataset.fields = 'zones';
  const newZone = h('button', { type: 'button', 'data-testid': 'cam-zone-new', onclick: () => startDrawing(-1) }, t('camadmin.zones.new'));
  const undo = h('button', { type: 'button', 'data-testid': 'cam-zone-undo', onclick: () => { state.draft.pop(); paint(); } }, t('camadmin.zones.undo'));
  const finish = h('button', { type: 'button', class: 'primary', 'data-testid': 'cam-zone-finish', onclick: () => finishDrawing() }, t('camadmin.zones.finish'));
  const cancel = h('button', { type: 'button', 'data-testid': 'cam-zone-cancel', onclick: () => { state.drawing = null; state.draft = []; paint(); } }, t('common.cancel'));

  // The picture: the camera's newest snapshot, else the grey box the frame is by itself.
  latestSnapshot(cameraID).then((shot) => {
    if (!shot) { picture.replaceChildren(h('span', { class: 'muted small cam-picture-note', 'data-testid': 'cam-no-snapshot' }, t('camadmin.zones.noSnapshot'))); return; }
    const img = snapshotImage(shot.candidateID, shot.mediaID, t('camadmin.zones.snapshotAlt'), images, { draggable: 'false', 'data-testid': 'cam-snapshot' });
    // The frame takes the picture's proportions, so that 0…1 spans exactly the picture.
    img.addEventListener('load', () => { frame.style.aspectRatio = `${img.naturalWidth} / ${img.naturalHeight}`; frame.dataset.loaded = 'true'; });
    picture.replaceChildren(img);
  }).catch(() => picture.replaceChildren(h('span', { class: 'muted small cam-picture-note' }, t('detection.imageFailed'))));

  function addPoint(e) {
    if (state.drawing === null) return;
    const r = frame.getBoundingClientRect();
    const clamp = (v) => Math.min(1, Math.max(0, v));
    state.draft.push({ x: +clamp((e.clientX - r.left) / r.width).toFixed(4), y: +clamp((e.clientY - r.top) / r.height).toFixed(4) });
    paint();
  }

  function startDrawing(index) {
    state.drawing = index;
    state.draft = [];
    paint();
    frame.scrollIntoView({ block: 'nearest' });
  }

  function finishDrawing() {
    // Three corners make the least polygon there is to show; what else a zone needs, the server says on saving.
    if (state.draft.length < 3) return;
    if (state.drawing === -1) {
      const used = new Set(state.zones.map((z) => z.id));
      let n = state.zones.length + 1;
      while (used.has(`zone-${n}`)) n += 1;
      state.zones.push({ id: `zone-${n}`, name: t('camadmin.zones.defaultName', { n }), points: state.draft, types: new Set() });
    } else {
      state.zones[state.drawing].points = state.draft;
    }
    const drawn = state.drawing === -1 ? state.zones.length - 1 : state.drawing;
    state.drawing = null;
    state.draft = [];
    paint();
    list.querySelector(`[data-index="${drawn}"] input[name=zoneName]`)?.select();
  }

  function polygon(points, color, { dashed = false, closed = true } = {}) {
    const el = document.createElementNS(SVG, closed ? 'polygon' : 'polyline');
    el.setAttribute('points', points.map((p) => `${p.x},${p.y}`).join(' '));
    el.setAttribute('stroke', color);
    el.setAttribute('fill', closed ? color : 'none');
    el.setAttribute('fill-opacity', '0.18');
    el.setAttribute('vector-effect', 'non-scaling-stroke');
    el.setAttribute('stroke-width', '2');
    if (dashed) el.setAttribute('stroke-dasharray', '6 4');
    return el;
  }

  function zoneItem(z, i) {
    const color = COLORS[i % COLORS.length];
    const name = h('input', { name: 'zoneName', id: `cam-zone-${i}-name`, value: z.name, autocomplete: 'off', 'data-testid': 'cam-zone-name' });
    name.addEventListener('input', () => { z.name = name.value; });
    name.dataset.fields = `zones[${i}] zones[${i}].name zones[${i}].id`;
    const points = h('input', { name: 'zonePoints', id: `cam-zone-${i}-points`, value: pointsText(z.points), autocomplete: 'off', spellcheck: 'false', 'data-testid': 'cam-zone-points' });
    points.dataset.fields = `zones[${i}].points`;
    points.addEventListener('change', () => {
      const parsed = parsePoints(points.value);
      const err = document.getElementById(`${points.id}-error`);
      if (!parsed) { points.setAttribute('aria-invalid', 'true'); err.textContent = t('camadmin.zones.pointsFormat'); return; }
      points.removeAttribute('aria-invalid');
      err.textContent = '';
      z.points = parsed;
      paint();
    });
    const kinds = typeChoices(`cam-zone-${i}-types`, types, z.types, `zones[${i}].types`, 'camadmin.zones.types', t('camadmin.zones.typesHint'));
    kinds.addEventListener('change', () => { z.types = new Set(tickedTypes(kinds)); });
    const fieldWith = (labelKey, control, hint) => h('div', { class: 'field' },
      h('label', { for: control.id }, t(labelKey)), control, hint ? h('small', {}, hint) : null,
      h('small', { class: 'field-error', id: `${control.id}-error`, 'aria-live': 'polite' }));
    for (const c of [name, points]) c.setAttribute('aria-describedby', `${c.id}-error`);
    return h('li', { class: 'cam-zone', 'data-testid': 'cam-zone', dataset: { index: String(i), id: z.id, points: String(z.points.length) } },
      h('div', { class: 'cam-zone-head' }, h('span', { class: 'legend-square', style: { background: color }, 'aria-hidden': 'true' }),
        h('strong', {}, t('camadmin.zones.zoneN', { n: i + 1 })), h('span', { class: 'muted small' }, z.id),
        h('span', { class: 'muted small' }, t('camadmin.zones.corners', { n: z.points.length }))),
      h('div', { class: 'form-grid' },
        fieldWith('camadmin.zones.name', name),
        fieldWith('camadmin.zones.points', points, t('camadmin.zones.pointsHint'))),
      kinds,
      h('div', { class: 'buttons' },
        h('button', { type: 'button', 'data-testid': 'cam-zone-redraw', onclick: () => startDrawing(i) }, t('camadmin.zones.redraw')),
        h('button', {
          type: 'button', class: 'danger-outline', 'data-testid': 'cam-zone-delete',
          onclick: () => { state.zones.splice(i, 1); if (state.drawing !== null && state.drawing >= i) state.drawing = null; paint(); },
        }, t('camadmin.zones.delete'))));
  }

  function paint() {
    const drawing = state.drawing !== null;
    overlay.replaceChildren(...state.zones.map((z, i) => (drawing && state.drawing === i ? null : polygon(z.points, COLORS[i % COLORS.length]))).filter(Boolean));
    if (drawing && state.draft.length) overlay.append(polygon(state.draft, '#f59e0b', { dashed: true, closed: state.draft.length >= 3 }));
    dots.replaceChildren(...state.draft.map((p) => h('span', { class: 'cam-dot', 'data-testid': 'cam-dot', style: { left: `${p.x * 100}%`, top: `${p.y * 100}%` } })));
    frame.classList.toggle('drawing', drawing);
    frame.dataset.draft = String(state.draft.length);
    undo.hidden = cancel.hidden = finish.hidden = !drawing;
    newZone.hidden = drawing;
    undo.disabled = !state.draft.length;
    finish.disabled = state.draft.length < 3;
    status.textContent = drawing
      ? t(state.drawing === -1 ? 'camadmin.zones.drawingNew' : 'camadmin.zones.drawingAgain', { n: state.draft.length, zone: state.drawing + 1 })
      : (state.zones.length ? t('camadmin.zones.count', { n: state.zones.length }) : t('camadmin.zones.none'));
    list.replaceChildren(...state.zones.map(zoneItem));
  }
  paint();

  const element = h('div', { class: 'cam-zones' },
    h('p', { class: 'muted small' }, t('camadmin.zones.help')),
    frame, status,
    h('div', { class: 'buttons' }, newZone, undo, finish, cancel),
    listBox);
  return {
    element,
    /** The zones as the API takes them (a zone with no types ticked counts for every type). */
    zones: () => state.zones.map((z) => ({ id: z.id, name: z.name.trim(), points: z.points, types: z.types.size ? [...z.types] : null })),
  };
}
