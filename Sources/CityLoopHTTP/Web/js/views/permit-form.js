// A transport permit's form: its number, the truck it is issued to, the construction site the muck comes from
// and the disposal site it goes to (both drawn on the map), the approved corridor drawn as a line between them
// (shape-editor.js; a button starts it at the origin's middle and ends it at the destination's), the corridor's
// width, the days it is valid (days of the city: valid to a day means to that day's last second, city time) and its
// daily hours. Saved with PUT /api/v1/transport-permits, removed with DELETE after asking; what the server refuses
// is shown beside the field it names.
import { api, busy, h, t, toast } from '../core.js';
import { cityMap, remeasure } from '../map.js';
import { clearErrors, deleteButton, ffield, formError, showApiError, showErrors } from './admin-common.js';
import { cityDate, dayEnd, dayStart, faintSites, siteCentre, takenID, windowsEditor } from './fleet-admin-common.js';
import { SITE_COLORS, siteRings } from './fleet.js';
import { shapeEditor } from './shape-editor.js';

/** A text input choosing from `options` ([value, label]) by a datalist: type the ID, or pick by its label. */
function chooser(attrs, listID, options) {
  const list = h('datalist', { id: listID }, options.map(([value, label]) => h('option', { value }, label)));
  return { input: h('input', { ...attrs, list: listID, autocomplete: 'off', spellcheck: 'false' }), list };
}

/**
 * Draws the form of `permit` (null for a new one) into `box`. `vehicles` and `sites` are the registry's, `permits` the
 * permits there are (a new one may not take a number in use), `rules` the vehicle rules' settings (UTC offset, default
 * corridor width), `vehicle` the truck a new permit is for, if known. `onSaved(id)`, `onDeleted(id)` and `onClose()`
 * tell the list. Answers the function that removes the form's map.
 */
export async function permitForm(box, { permit, vehicles, sites, permits, rules, vehicle, onSaved, onDeleted, onClose }) {
  const isNew = !permit;
  const offset = rules.utcOffsetSeconds;
  const byID = new Map(sites.map((s) => [s.id, s]));
  const plates = new Map(vehicles.map((v) => [v.id, v.plate]));
  const id = h('input', { name: 'id', id: 'permit-id', value: permit?.id || '', readonly: !isNew, autocomplete: 'off', 'data-testid': 'permit-id' });
  const truck = chooser({ name: 'vehicleID', id: 'permit-vehicle', value: permit?.vehicleID || vehicle || '', 'data-testid': 'permit-vehicle' },
    'permit-vehicles', vehicles.map((v) => [v.id, v.plate]));
  const plate = h('span', { class: 'muted small', 'data-testid': 'permit-vehicle-plate', 'aria-live': 'polite' });
  const origin = chooser({ name: 'originSiteID', id: 'permit-origin', value: permit?.originSiteID || '', 'data-testid': 'permit-origin' },
    'permit-origins', sites.filter((s) => s.kind === 'constructionSite').map((s) => [s.id, s.name]));
  const destination = chooser({ name: 'destinationSiteID', id: 'permit-destination', value: permit?.destinationSiteID || '', 'data-testid': 'permit-destination' },
    'permit-destinations', sites.filter((s) => s.kind === 'disposalSite').map((s) => [s.id, s.name]));
  const width = h('input', {
    type: 'number', name: 'corridorMetres', id: 'permit-width', min: '1', step: 'any', value: permit?.corridorMetres ?? '',
    placeholder: String(rules.deviationMetres), 'data-testid': 'permit-width',
  });
  const today = cityDate(new Date().toISOString(), offset);
  const from = h('input', { type: 'date', name: 'validFrom', id: 'permit-from', value: permit ? cityDate(permit.validFrom, offset) : today, 'data-testid': 'permit-from' });
  const to = h('input', { type: 'date', name: 'validTo', id: 'permit-to', value: permit ? cityDate(permit.validTo, offset) : '', 'data-testid': 'permit-to' });
  const hours = windowsEditor({ id: 'permit-hours', name: 'dailyHours', windows: permit?.dailyHours, legend: t('fleetadmin.permit.hours'), hint: t('fleetadmin.permit.hoursHint') });
  const mapEl = h('div', { class: 'shape-map', 'data-testid': 'permit-map' });
  const connect = h('button', { type: 'button', 'data-testid': 'permit-connect' }, t('fleetadmin.permit.connect'));
  const route = h('fieldset', {}, h('legend', {}, t('fleetadmin.permit.route')),
    h('div', { class: 'form-grid' },
      ffield('fleetadmin.permit.origin', origin.input, { hint: t('fleetadmin.permit.originHint') }),
      ffield('fleetadmin.permit.destination', destination.input, { hint: t('fleetadmin.permit.destinationHint') }),
      ffield('fleetadmin.permit.width', width, { hint: t('fleetadmin.permit.widthHint', { m: rules.deviationMetres }) })),
    origin.list, destination.list,
    h('p', { class: 'muted small' }, t('fleetadmin.permit.corridorHint')),
    mapEl, h('div', { class: 'buttons' }, connect));
  const hoursLabel = `UTC${offset >= 0 ? '+' : '-'}${Math.abs(offset) / 3600}`;
  const save = h('button', { type: 'submit', class: 'primary', 'data-testid': 'permit-save' }, t('common.save'));
  const title = isNew ? t('fleetadmin.permit.new') : t('fleetadmin.permit.edit', { id: permit.id });
  const remove = isNew ? null : deleteButton('permit-delete', t('fleetadmin.permit.deleteQuestion', { id: permit.id }), async () => {
    try {
      await api(`/api/v1/transport-permits/${encodeURIComponent(permit.id)}`, { method: 'DELETE' });
      toast(t('fleetadmin.permit.deleted', { id: permit.id }), 'ok');
      onDeleted(permit.id);
    } catch (err) { showErrors(form, err); }
  });
  const form = h('form', { class: 'card admin-form fleet-form', id: 'permit-form', novalidate: true, 'aria-label': title, 'data-testid': 'permit-form' },
    h('h3', {}, title),
    h('fieldset', {}, h('legend', {}, t('fleetadmin.permit.permit')),
      h('div', { class: 'form-grid' },
        ffield('fleetadmin.permit.id', id, { hint: isNew ? t('fleetadmin.permit.idHint') : null }),
        h('div', {}, ffield('fleetadmin.permit.vehicle', truck.input, { hint: t('fleetadmin.permit.vehicleHint') }), plate, truck.list))),
    route,
    h('fieldset', {}, h('legend', {}, t('fleetadmin.permit.validity')),
      h('p', { class: 'muted small' }, t('fleetadmin.permit.validityHint', { zone: hoursLabel })),
      h('div', { class: 'form-grid' }, ffield('fleetadmin.permit.from', from), ffield('fleetadmin.permit.to', to))),
    hours.element,
    formError('permit-form-error'),
    h('div', { class: 'buttons sticky' }, save, h('button', { type: 'button', 'data-testid': 'permit-close', onclick: () => onClose() }, t('common.cancel')), remove));
  box.replaceChildren(form);

  const showPlate = () => { plate.textContent = plates.get(truck.input.value.trim()) || ''; };
  truck.input.addEventListener('input', showPlate);
  showPlate();

  const city = await cityMap(mapEl, { grids: false, label: 'fleetadmin.permit.mapLabel' });
  faintSites(city.map, sites);
  const ends = L.layerGroup().addTo(city.map);
  const corridor = shapeEditor(city.map, {
    closed: false, points: permit?.corridor || [], color: '#1c64f2', id: 'permit-corridor', fields: 'corridor',
    labels: { text: 'fleetadmin.permit.corridor', hint: 'fleetadmin.permit.corridorTextHint' },
  });
  route.append(corridor.element);

  /** The chosen origin and destination sites (undefined when the text names none). */
  const chosen = () => [byID.get(origin.input.value.trim()), byID.get(destination.input.value.trim())];
  function drawEnds(fit) {
    ends.clearLayers();
    const picked = chosen().filter(Boolean);
    for (const s of picked) {
      L.polygon(siteRings(s), { color: SITE_COLORS[s.kind], weight: 3, fillOpacity: 0.3, interactive: false }).addTo(ends);
    }
    mapEl.dataset.ends = String(picked.length);
    connect.disabled = picked.length < 2;
    if (!fit) return;
    const points = [...picked.flatMap((s) => s.boundary.outer), ...corridor.points];
    if (points.length) city.map.fitBounds(L.latLngBounds(points.map((p) => [p.lat, p.lon])), { maxZoom: 16, padding: [30, 30] });
  }
  for (const input of [origin.input, destination.input]) input.addEventListener('change', () => drawEnds(true));
  connect.addEventListener('click', () => {
    const [a, b] = chosen();
    if (!a || !b) return;
    const start = siteCentre(a), end = siteCentre(b);
    // The points drawn between stay; ends already at one of the two sites' middles are replaced, not repeated.
    const centres = sites.filter((s) => s.kind === 'constructionSite' || s.kind === 'disposalSite').map(siteCentre);
    const atACentre = (p) => centres.some((c) => Math.abs(c.lat - p.lat) < 1e-7 && Math.abs(c.lon - p.lon) < 1e-7);
    const middle = corridor.points.filter((p, i, all) => !((i === 0 || i === all.length - 1) && atACentre(p)));
    corridor.set([start, ...middle, end]);
    drawEnds(true);
  });
  drawEnds(true);

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const problems = [];
    if (!from.value) problems.push({ field: 'validFrom', message: t('fleetadmin.permit.chooseDate') });
    if (!to.value) problems.push({ field: 'validTo', message: t('fleetadmin.permit.chooseDate') });
    const number = id.value.trim();
    problems.push(...await takenID(isNew, number, (x) => permits.some((p) => p.id === x)));
    if (showErrors(form, problems)) return;
    // A day left as it was keeps the permit's own instant (which need not be a day's first or last second).
    const validFrom = permit && from.value === cityDate(permit.validFrom, offset) ? permit.validFrom : dayStart(from.value, offset);
    const validTo = permit && to.value === cityDate(permit.validTo, offset) ? permit.validTo : dayEnd(to.value, offset);
    const daily = hours.read();
    const body = {
      id: number, vehicleID: truck.input.value.trim(), originSiteID: origin.input.value.trim(), destinationSiteID: destination.input.value.trim(),
      corridor: corridor.points, corridorMetres: width.value.trim() === '' ? null : Number(width.value), validFrom, validTo,
      dailyHours: daily.length ? daily : null,
    };
    await busy(save, async () => {
      try {
        await api('/api/v1/transport-permits', { method: 'PUT', body: [body] });
        toast(t('fleetadmin.permit.saved', { id: body.id }), 'ok');
        onSaved(body.id);
      } catch (err) { showApiError(form, err); }
    });
  });
  (isNew ? id : truck.input).focus();
  // Measured before the form answers the function that removes its map, so the map is still there.
  await remeasure(city.map);
  return () => { corridor.destroy(); city.map.remove(); };
}
