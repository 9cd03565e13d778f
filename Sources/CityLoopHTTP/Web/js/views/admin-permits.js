// Transport permits: every permit with its truck, its route from a construction site to a disposal site, the
// days it is valid and its daily hours, and whether it holds now; found by permit number, truck ID or plate, a page
// at a time. A permit opened (or a new one) in the form above the list (permit-form.js). `#/admin/permits?id=ZY-0001`
// opens that permit; `?vehicle=ZT-0001` lists that truck's permits.
import { api, h, t, userText } from '../core.js';
import { formSlot, pager } from './admin-common.js';
import { allVehicles, cityDate, vehicleRules, windowsCover } from './fleet-admin-common.js';
import { permitForm } from './permit-form.js';

/** Whether a permit holds at `now`: `valid`, `notYet`, `expired` or `offHours` (within its days, outside its hours). */
function permitState(p, now, offset) {
  if (now < new Date(p.validFrom)) return 'notYet';
  if (now > new Date(p.validTo)) return 'expired';
  return windowsCover(p.dailyHours, now, offset) ? 'valid' : 'offHours';
}

export async function permitsTab(root, { query = {} } = {}) {
  let permits = [];
  let vehicles = [];
  let sites = [];
  const rules = await vehicleRules();
  const offset = rules.utcOffsetSeconds;
  const search = h('input', {
    type: 'search', id: 'permit-search', value: query.vehicle || '', placeholder: t('fleetadmin.permit.search'), 'aria-label': t('fleetadmin.permit.search'),
    'data-testid': 'permit-search',
  });
  const count = h('p', { class: 'muted', 'aria-live': 'polite', 'data-testid': 'permit-count' });
  const tbody = h('tbody', {});
  const formBox = h('div', { id: 'permit-form-box' });
  const slot = formSlot(formBox);
  const pages = pager('permit-pager', draw);

  async function load() {
    [permits, vehicles, sites] = await Promise.all([api('/api/v1/transport-permits'), allVehicles(), api('/api/v1/vehicle-sites')]);
    draw();
  }

  function draw() {
    const plates = new Map(vehicles.map((v) => [v.id, v.plate]));
    const names = new Map(sites.map((s) => [s.id, s.name]));
    const q = search.value.trim().toLowerCase();
    const shown = permits.filter((p) => !q || `${p.id} ${p.vehicleID} ${plates.get(p.vehicleID) || ''}`.toLowerCase().includes(q));
    count.textContent = t('fleetadmin.permit.count', { shown: shown.length, total: permits.length });
    const now = new Date();
    tbody.replaceChildren(...pages.slice(shown).map((p) => {
      const state = permitState(p, now, offset);
      return h('tr', { 'data-testid': 'permit-row', dataset: { id: p.id, vehicle: p.vehicleID, state } },
        h('td', {}, userText(p.id)),
        h('td', {}, h('a', { href: `#/vehicle/${encodeURIComponent(p.vehicleID)}` }, userText(plates.get(p.vehicleID) || p.vehicleID)),
          h('small', { class: 'muted' }, userText(p.vehicleID))),
        h('td', {}, userText(names.get(p.originSiteID) || p.originSiteID), ' \u2192 ', userText(names.get(p.destinationSiteID) || p.destinationSiteID)),
        h('td', { 'data-testid': 'permit-row-days' }, t('fleetadmin.permit.days', { from: cityDate(p.validFrom, offset), to: cityDate(p.validTo, offset) })),
        h('td', {}, p.dailyHours?.length ? p.dailyHours.join(', ') : t('fleetadmin.allDay')),
        h('td', {}, h('span', { class: `badge permit-${state}`, 'data-testid': 'permit-row-state' }, t(`fleetadmin.permit.state.${state}`))),
        h('td', { class: 'actions' }, h('button', {
          type: 'button', 'data-testid': 'permit-edit', 'aria-label': t('fleetadmin.permit.editLabel', { id: p.id }), onclick: () => open(p),
        }, t('admin.edit'))));
    }));
  }

  function open(permit) {
    return slot.open((box) => permitForm(box, {
      permit, vehicles, sites, permits, rules, vehicle: permit ? null : query.vehicle,
      onSaved: async (id) => { slot.close(); await load(); tbody.querySelector(`tr[data-id="${CSS.escape(id)}"]`)?.classList.add('dirty'); },
      onDeleted: async () => { slot.close(); await load(); },
      onClose: slot.close,
    }));
  }

  search.addEventListener('input', () => { pages.reset(); draw(); });
  root.append(
    h('p', { class: 'muted' }, t('fleetadmin.permit.help')),
    h('div', { class: 'admin-toolbar' }, search,
      h('button', { type: 'button', class: 'primary', 'data-testid': 'permit-new', onclick: () => open(null) }, t('fleetadmin.permit.new'))),
    formBox, count,
    h('div', { class: 'table-wrap' }, h('table', { id: 'permit-table', class: 'admin-table', 'data-testid': 'permit-table' },
      h('thead', {}, h('tr', {}, ['id', 'vehicle', 'route', 'days', 'hours', 'now', 'actions'].map((k) => h('th', { scope: 'col' }, t(`fleetadmin.permit.col.${k}`))))),
      tbody)),
    pages.element);
  await load();
  if (query.id) {
    const permit = permits.find((p) => p.id === query.id);
    if (permit) await open(permit);
  }
  return () => slot.close();
}
