// The fleet registry: vehicles in ID order, 50 a page as the API reads them (GET /api/v1/vehicles?after=),
// from an ID typed in; each with its plate, kind, company, driver and terminal. A vehicle opened (or a new one) in
// the form above the list (vehicle-form.js). `#/admin/vehicles?id=ZT-0001` opens that vehicle's form.
import { api, departments, errorText, h, lang, t, userText } from '../core.js';
import { departmentLabel, formSlot } from './admin-common.js';
import { vehicleForm } from './vehicle-form.js';

/** Vehicles a page. */
const SIZE = 50;

export async function vehiclesTab(root, { query = {} } = {}) {
  // The page shown starts after `cursor` (null: the first vehicle); `back` holds the cursors of the pages before it.
  let cursor = null;
  let back = [];
  let from = '';
  let rows = [];
  let more = false;
  let seq = 0;
  const [depts, drivers] = await Promise.all([departments().catch(() => new Map()), api('/api/v1/drivers').catch(() => [])]);
  const driverNames = new Map(drivers.map((d) => [d.id, d.name]));
  const start = h('input', { type: 'search', id: 'vehicle-from-id', placeholder: t('fleetadmin.vehicle.fromID'), 'aria-label': t('fleetadmin.vehicle.fromID'), 'data-testid': 'vehicle-from-id' });
  const go = h('button', { type: 'button', 'data-testid': 'vehicle-from-go' }, t('fleetadmin.vehicle.go'));
  const status = h('p', { class: 'muted', 'aria-live': 'polite', 'data-testid': 'vehicle-page-status' });
  const tbody = h('tbody', {});
  const prev = h('button', { type: 'button', 'data-testid': 'vehicle-pager-prev' }, t('admin.prev'));
  const next = h('button', { type: 'button', 'data-testid': 'vehicle-pager-next' }, t('admin.next'));
  const formBox = h('div', { id: 'vehicle-form-box' });
  const slot = formSlot(formBox);

  /**
   * The page after `at` (null: the first), and one vehicle more when there is a next page: with a start typed, the
   * vehicle of exactly that ID first (the API lists IDs after the one it is given).
   */
  async function page(at) {
    const after = at ?? (from || null);
    const exact = at === null && from ? await api(`/api/v1/vehicles/${encodeURIComponent(from)}`).then((r) => [r.vehicle], () => []) : [];
    const list = await api(`/api/v1/vehicles?limit=${SIZE + 1 - exact.length}${after ? `&after=${encodeURIComponent(after)}` : ''}`);
    return [...exact, ...list];
  }

  /**
   * Shows the page after `at`, `before` being the cursors of the pages before it; they become the pager's once the page
   * is read. The pager's buttons wait meanwhile (a second click would push the same cursor twice), and only the last
   * page asked for is shown.
   */
  async function show(at = cursor, before = back) {
    const mine = ++seq;
    prev.disabled = true;
    next.disabled = true;
    try {
      const got = await page(at);
      if (mine !== seq) return;
      [cursor, back, rows, more] = [at, before, got.slice(0, SIZE), got.length > SIZE];
      draw();
    } catch (err) {
      if (mine === seq) status.textContent = errorText(err);
    } finally {
      if (mine === seq) {
        prev.disabled = !back.length;
        next.disabled = !more;
      }
    }
  }

  function draw() {
    status.textContent = rows.length ? t('fleetadmin.vehicle.pageStatus', { first: rows[0].id, last: rows[rows.length - 1].id }) : t('fleetadmin.vehicle.none');
    tbody.replaceChildren(...rows.map((v) => h('tr', { 'data-testid': 'vehicle-row', dataset: { id: v.id } },
      h('td', {}, userText(v.id)),
      h('td', { 'data-testid': 'vehicle-row-plate' }, h('a', { href: `#/vehicle/${encodeURIComponent(v.id)}` }, userText(v.plate))),
      h('td', {}, t(`fleet.kind.${v.kind}`)),
      h('td', {}, v.companyID ? userText(departmentLabel(depts.get(v.companyID), lang()) || v.companyID) : '\u2014'),
      h('td', { 'data-testid': 'vehicle-row-driver' }, v.driverID ? userText(driverNames.get(v.driverID) || v.driverID) : userText(v.driver) || '\u2014'),
      h('td', {}, userText(v.terminalPhone) || '\u2014'),
      h('td', { class: 'actions' }, h('button', {
        type: 'button', 'data-testid': 'vehicle-edit', 'aria-label': t('fleetadmin.vehicle.editLabel', { plate: v.plate }), onclick: () => open(v),
      }, t('admin.edit'))))));
  }

  function open(vehicle) {
    return slot.open((box) => vehicleForm(box, {
      vehicle,
      onSaved: async (id) => {
        slot.close();
        // The driver may be a new name to show.
        for (const d of await api('/api/v1/drivers').catch(() => [])) driverNames.set(d.id, d.name);
        await show();
        tbody.querySelector(`tr[data-id="${CSS.escape(id)}"]`)?.classList.add('dirty');
      },
      onClose: slot.close,
    }));
  }

  const restart = () => { from = start.value.trim(); return show(null, []); };
  go.addEventListener('click', restart);
  start.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); restart(); } });
  start.addEventListener('search', restart);
  next.addEventListener('click', () => show(rows[rows.length - 1].id, [...back, cursor]));
  prev.addEventListener('click', () => show(back[back.length - 1] ?? null, back.slice(0, -1)));
  root.append(
    h('p', { class: 'muted' }, t('fleetadmin.vehicle.help')),
    h('div', { class: 'admin-toolbar' }, start, go,
      h('button', { type: 'button', class: 'primary', 'data-testid': 'vehicle-new', onclick: () => open(null) }, t('fleetadmin.vehicle.new'))),
    formBox, status,
    h('div', { class: 'table-wrap' }, h('table', { id: 'vehicle-table', class: 'admin-table', 'data-testid': 'vehicle-table' },
      h('thead', {}, h('tr', {}, ['id', 'plate', 'kind', 'company', 'driver', 'terminal', 'actions'].map((k) => h('th', { scope: 'col' }, t(`fleetadmin.vehicle.col.${k}`))))),
      tbody)),
    h('div', { class: 'pager' }, prev, next));
  await show();
  if (query.id) {
    const found = rows.find((v) => v.id === query.id) || await api(`/api/v1/vehicles/${encodeURIComponent(query.id)}`).then((r) => r.vehicle, () => null);
    if (found) await open(found);
  }
  return () => slot.close();
}
