// A site's form: ID, name, kind, its outline drawn on the city map over the other sites (shape-editor.js), and
// its daily hours: opening hours for a construction or disposal site, a weighbridge or a depot, forbidden hours for a
// forbidden zone. Saved with PUT /api/v1/vehicle-sites, removed with DELETE after asking; what the server refuses
// is shown beside the field it names.
import { api, busy, h, t, toast } from '../core.js';
import { cityMap, remeasure } from '../map.js';
import { clearErrors, deleteButton, ffield, formError, showApiError, showErrors } from './admin-common.js';
import { SITE_KINDS, faintSites, takenID, windowsEditor } from './fleet-admin-common.js';
import { SITE_COLORS } from './fleet.js';
import { shapeEditor } from './shape-editor.js';

/**
 * Draws the form of `site` (null for a new one) into `box`; `sites` are all the city's sites (the others are drawn
 * faintly, and a new site may not take an ID in use). `onSaved(id)`, `onDeleted(id)` and `onClose()` tell the list.
 * Answers the function that removes the form's map.
 */
export async function siteForm(box, { site, sites, onSaved, onDeleted, onClose }) {
  const isNew = !site;
  const id = h('input', { name: 'id', id: 'site-id', value: site?.id || '', readonly: !isNew, autocomplete: 'off', 'data-testid': 'site-id' });
  const name = h('input', { name: 'name', id: 'site-name', value: site?.name || '', autocomplete: 'off', 'data-testid': 'site-name' });
  const kind = h('select', { name: 'kind', id: 'site-kind', 'data-testid': 'site-kind' },
    SITE_KINDS.map((k) => h('option', { value: k, selected: k === (site?.kind || 'constructionSite') }, t(`fleet.site.${k}`))));
  const opening = windowsEditor({
    id: 'site-opening', name: 'openingHours', windows: site?.openingHours, legend: t('fleetadmin.site.openingHours'), hint: t('fleetadmin.site.openingHint'),
  });
  const forbidden = windowsEditor({
    id: 'site-forbidden', name: 'forbiddenHours', windows: site?.forbiddenHours, legend: t('fleetadmin.site.forbiddenHours'), hint: t('fleetadmin.site.forbiddenHint'),
  });
  const mapEl = h('div', { class: 'shape-map', 'data-testid': 'site-map' });
  const extraParts = site ? (site.boundary.holes || []).length + (site.boundary.otherParts || []).length : 0;
  const outline = h('fieldset', {}, h('legend', {}, t('fleetadmin.site.outline')),
    h('p', { class: 'muted small' }, t('fleetadmin.site.outlineHint')),
    extraParts ? h('p', { class: 'notice small', 'data-testid': 'site-extra-parts' }, t('fleetadmin.site.extraParts', { n: extraParts })) : null,
    mapEl);
  const save = h('button', { type: 'submit', class: 'primary', 'data-testid': 'site-save' }, t('common.save'));
  const title = isNew ? t('fleetadmin.site.new') : t('fleetadmin.site.edit', { name: site.name });
  const remove = isNew ? null : deleteButton('site-delete', t('fleetadmin.site.deleteQuestion', { name: site.name }), async () => {
    try {
      await api(`/api/v1/vehicle-sites/${encodeURIComponent(site.id)}`, { method: 'DELETE' });
      toast(t('fleetadmin.site.deleted', { name: site.name }), 'ok');
      onDeleted(site.id);
    } catch (err) { showErrors(form, err); }
  });
  const form = h('form', { class: 'card admin-form fleet-form', id: 'site-form', novalidate: true, 'aria-label': title, 'data-testid': 'site-form' },
    h('h3', {}, title),
    h('fieldset', {}, h('legend', {}, t('fleetadmin.site.site')),
      h('div', { class: 'form-grid' },
        ffield('fleetadmin.site.id', id, { hint: isNew ? t('fleetadmin.site.idHint') : null }),
        ffield('fleetadmin.site.name', name),
        ffield('fleetadmin.site.kind', kind))),
    outline,
    opening.element, forbidden.element,
    formError('site-form-error'),
    h('div', { class: 'buttons sticky' }, save, h('button', { type: 'button', 'data-testid': 'site-close', onclick: () => onClose() }, t('common.cancel')), remove));
  box.replaceChildren(form);

  const showHours = () => {
    const zone = kind.value === 'forbiddenZone';
    opening.element.hidden = zone;
    forbidden.element.hidden = !zone;
  };
  showHours();

  const city = await cityMap(mapEl, { grids: false, label: 'fleetadmin.site.mapLabel' });
  faintSites(city.map, sites.filter((s) => s.id !== site?.id));
  const editor = shapeEditor(city.map, {
    closed: true, points: site ? site.boundary.outer : [], color: SITE_COLORS[kind.value], id: 'site-boundary', fields: 'boundary',
    labels: { text: 'fleetadmin.site.corners', hint: 'fleetadmin.site.cornersHint' },
  });
  outline.append(editor.element);
  editor.fit();
  kind.addEventListener('change', () => { showHours(); editor.recolor(SITE_COLORS[kind.value]); });

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const zone = kind.value === 'forbiddenZone';
    const hours = (zone ? forbidden : opening).read();
    const boundary = { outer: editor.points, holes: site?.boundary.holes || [] };
    if (site?.boundary.otherParts?.length) boundary.otherParts = site.boundary.otherParts;
    // Saving replaces the whole site: what the form does not show (a forbidden zone's opening hours, another kind's
    // forbidden hours, fields it does not know) is sent as it was.
    const body = {
      ...site, id: id.value.trim(), name: name.value.trim(), kind: kind.value, boundary,
      [zone ? 'forbiddenHours' : 'openingHours']: hours.length ? hours : null,
    };
    if (showErrors(form, await takenID(isNew, body.id, (x) => sites.some((s) => s.id === x)))) return;
    await busy(save, async () => {
      try {
        await api('/api/v1/vehicle-sites', { method: 'PUT', body: [body] });
        toast(t('fleetadmin.site.saved', { name: body.name }), 'ok');
        onSaved(body.id);
      } catch (err) { showApiError(form, err); }
    });
  });
  (isNew ? id : name).focus();
  // Measured before the form answers the function that removes its map, so the map is still there.
  await remeasure(city.map);
  return () => { editor.destroy(); city.map.remove(); };
}

/** A site's hours as a short text: its forbidden hours for a forbidden zone, else its opening hours; "all day" for none. */
export function siteHours(s) {
  const w = s.kind === 'forbiddenZone' ? s.forbiddenHours : s.openingHours;
  return w && w.length ? w.join(', ') : t('fleetadmin.allDay');
}
