// A camera's form: ID, name, whether it counts, where it stands (click the map, drag the pin or type the
// coordinates) with where it looks drawn as a cone of its heading and range, the hours it is analysed, the detection
// types it may report, and the zones of its picture (camera-zones.js). Saved with PUT /api/v1/cameras; what the
// server refuses is shown beside the field it names, so the rules stay the server's.
import { api, busy, h, t, toast } from '../core.js';
import { clearErrors, ffield, formError, showApiError } from './admin-common.js';
import { locationPicker } from './intake-place.js';
import { tickedTypes, typeChoices, zoneEditor } from './camera-zones.js';

/** The mean Earth radius in metres (as the server places a camera's view point). */
const EARTH = 6371008.8;
/** The cone's half-angle in degrees: a camera's field of view is not registered, so the cone only shows the direction. */
const HALF_VIEW = 30;

/** The point `metres` from `p` along `bearing` degrees clockwise from north, on a sphere. */
function destination(p, bearing, metres) {
  const d = metres / EARTH;
  const th = (bearing * Math.PI) / 180;
  const p1 = (p.lat * Math.PI) / 180;
  const l1 = (p.lon * Math.PI) / 180;
  const p2 = Math.asin(Math.sin(p1) * Math.cos(d) + Math.cos(p1) * Math.sin(d) * Math.cos(th));
  const l2 = l1 + Math.atan2(Math.sin(th) * Math.sin(d) * Math.cos(p1), Math.cos(d) - Math.sin(p1) * Math.sin(p2));
  return [(p2 * 180) / Math.PI, (l2 * 180) / Math.PI];
}

/** The view cone of a camera at `p` looking along `heading` for `range` metres, as a Leaflet ring. */
export function viewCone(p, heading, range) {
  const ring = [[p.lat, p.lon]];
  for (let a = -HALF_VIEW; a <= HALF_VIEW; a += 5) ring.push(destination(p, heading + a, range));
  return ring;
}

/**
 * Draws the form of camera `reply` (a `GET /api/v1/cameras` item; null for a new camera) into `box`. `types` are the
 * detection types the server knows, `images` the page's snapshot cache; `onSaved(id)` runs after a save, `onClose()`
 * when the form is given up. Answers a function that removes the form's map.
 */
export async function cameraForm(box, { reply, types, images, onSaved, onClose }) {
  const cam = reply?.camera;
  const isNew = !cam;
  const id = h('input', { name: 'id', id: 'cam-id', value: cam?.id || '', readonly: !isNew, autocomplete: 'off', 'data-testid': 'cam-id' });
  const name = h('input', { name: 'name', id: 'cam-name', value: cam?.name || '', autocomplete: 'off', 'data-testid': 'cam-name' });
  const active = h('input', { type: 'checkbox', name: 'active', id: 'cam-active', checked: cam ? cam.active : true, 'data-testid': 'cam-active' });
  const heading = h('input', { type: 'number', name: 'heading', id: 'cam-heading', step: 'any', value: cam ? String(cam.heading) : '0', 'data-testid': 'cam-heading' });
  // A new camera starts at the server's default range (Camera.defaultRange); what is allowed, the server says.
  const range = h('input', { type: 'number', name: 'range', id: 'cam-range', step: 'any', value: cam ? String(cam.range) : '50', 'data-testid': 'cam-range' });
  const schedules = h('input', { name: 'schedules', id: 'cam-schedules', value: (cam?.schedules || []).join(', '), autocomplete: 'off', placeholder: '07:00-22:00', 'data-testid': 'cam-schedules' });
  const kinds = typeChoices('cam-types', types, new Set(cam?.types || []), 'types', 'camadmin.form.types', t('camadmin.form.typesHint'));
  const zones = zoneEditor({ cameraID: cam?.id || null, zones: cam?.zones || [], types, images });
  const mapBox = h('div', { class: 'cam-map-box', 'data-testid': 'cam-map-box' });
  const locationError = h('small', { class: 'field-error', id: 'cam-location-error', 'aria-live': 'polite' });
  const location = h('div', { id: 'cam-location', tabindex: '-1', 'aria-describedby': locationError.id }, mapBox, locationError);
  location.dataset.fields = 'location';
  const save = h('button', { type: 'submit', class: 'primary', 'data-testid': 'cam-save' }, t('common.save'));
  const title = isNew ? t('camadmin.form.new') : t('camadmin.form.edit', { name: cam.name });
  const form = h('form', { class: 'card admin-form cam-form', id: 'cam-form', novalidate: true, 'aria-label': title, 'data-testid': 'cam-form' },
    h('h3', {}, title),
    h('fieldset', {}, h('legend', {}, t('camadmin.form.camera')),
      h('div', { class: 'form-grid' },
        ffield('camadmin.form.id', id, { hint: isNew ? t('camadmin.form.idHint') : null }),
        ffield('camadmin.form.name', name),
        h('div', { class: 'field checkbox' }, active, h('label', { for: active.id }, t('camadmin.form.active'))))),
    h('fieldset', {}, h('legend', {}, t('camadmin.form.where')),
      h('p', { class: 'muted small' }, t('camadmin.form.whereHint')),
      h('div', { class: 'inline-fields' }, ffield('camadmin.form.heading', heading, { hint: t('camadmin.form.headingHint') }),
        ffield('camadmin.form.range', range, { hint: t('camadmin.form.rangeHint') })),
      location),
    h('fieldset', {}, h('legend', {}, t('camadmin.form.when')),
      ffield('camadmin.form.schedules', schedules, { hint: t('camadmin.form.schedulesHint'), names: ['hours'] }),
      kinds),
    h('fieldset', {}, h('legend', {}, t('camadmin.form.zones')), zones.element),
    formError('cam-form-error'),
    h('div', { class: 'buttons sticky' }, save, h('button', { type: 'button', 'data-testid': 'cam-close', onclick: () => onClose() }, t('common.cancel'))));
  box.replaceChildren(form);

  let picker = null;
  let cone = null;
  function drawCone() {
    // The picker tells of its first point while it is being made: the cone is drawn once it is there.
    if (!picker) return;
    const p = picker.point;
    const hd = Number(heading.value), r = Number(range.value);
    if (cone) { cone.remove(); cone = null; }
    if (!p || heading.value === '' || range.value === '' || !Number.isFinite(hd) || !Number.isFinite(r) || r <= 0) return;
    cone = L.polygon(viewCone(p, hd, r), { color: '#d97706', weight: 2, fillOpacity: 0.25, interactive: false }).addTo(picker.map);
  }
  picker = await locationPicker(mapBox, { point: cam ? cam.location : null, testid: 'cam-loc', onChange: () => drawCone() });
  heading.addEventListener('input', drawCone);
  range.addEventListener('input', drawCone);
  drawCone();

  const numberOrNull = (input) => (input.value.trim() === '' ? null : Number(input.value));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const body = {
      id: id.value.trim(), name: name.value.trim(), heading: numberOrNull(heading), range: numberOrNull(range),
      schedules: schedules.value.split(/[\s,\uFF0C;\uFF1B]+/).filter(Boolean), types: tickedTypes(kinds), zones: zones.zones(), active: active.checked,
    };
    // Without a point the server names the missing location.
    if (picker.point) body.location = { lat: picker.point.lat, lon: picker.point.lon };
    await busy(save, async () => {
      try {
        await api('/api/v1/cameras', { method: 'PUT', body: [body] });
        toast(t('camadmin.saved', { name: body.name }), 'ok');
        onSaved(body.id);
      } catch (err) { showApiError(form, err); }
    });
  });
  (isNew ? id : name).focus();
  return () => picker.destroy();
}
