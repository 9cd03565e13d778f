// The drivers: every registered driver with their company, licence and phone (in full: only administrators
// see this page), found by name, ID, licence or phone and by company, a page at a time. A driver opened (or a new one)
// in the form above the list (driver-form.js). `#/admin/drivers?id=SJ-0001` opens that driver's form.
import { api, h, lang, t, userText } from '../core.js';
import { departmentLabel, formSlot, pager } from './admin-common.js';
import { companies } from './fleet-admin-common.js';
import { driverForm } from './driver-form.js';

export async function driversTab(root, { query = {} } = {}) {
  let drivers = [];
  const firms = await companies();
  const names = new Map(firms.map((d) => [d.id, departmentLabel(d, lang())]));
  const search = h('input', { type: 'search', id: 'driver-search', placeholder: t('fleetadmin.driver.search'), 'aria-label': t('fleetadmin.driver.search'), 'data-testid': 'driver-search' });
  const company = h('select', { id: 'driver-filter-company', 'aria-label': t('fleetadmin.driver.filterCompany'), 'data-testid': 'driver-filter-company' },
    h('option', { value: '' }, t('fleetadmin.driver.allCompanies')), firms.map((d) => h('option', { value: d.id }, departmentLabel(d, lang()))));
  const count = h('p', { class: 'muted', 'aria-live': 'polite', 'data-testid': 'driver-count' });
  const tbody = h('tbody', {});
  const formBox = h('div', { id: 'driver-form-box' });
  const slot = formSlot(formBox);
  const pages = pager('driver-pager', draw);

  async function load() {
    drivers = await api('/api/v1/drivers');
    draw();
  }

  function draw() {
    const q = search.value.trim().toLowerCase();
    const shown = drivers.filter((d) => (!company.value || d.companyID === company.value)
      && (!q || `${d.id} ${d.name} ${d.licenceNumber || ''} ${d.phone || ''}`.toLowerCase().includes(q)));
    count.textContent = t('fleetadmin.driver.count', { shown: shown.length, total: drivers.length });
    tbody.replaceChildren(...pages.slice(shown).map((d) => h('tr', { 'data-testid': 'driver-row', dataset: { id: d.id }, class: d.active ? '' : 'inactive' },
      h('td', {}, userText(d.id)),
      h('td', { 'data-testid': 'driver-row-name' }, userText(d.name)),
      h('td', {}, d.companyID ? userText(names.get(d.companyID) || d.companyID) : '\u2014'),
      h('td', {}, userText(d.licenceNumber) || '\u2014'),
      h('td', { 'data-testid': 'driver-row-phone' }, userText(d.phone) || '\u2014'),
      h('td', {}, h('span', { class: `badge ${d.active ? 'on' : 'off'}` }, t(d.active ? 'fleet.drivers.active' : 'fleet.drivers.inactive'))),
      h('td', { class: 'actions' }, h('button', {
        type: 'button', 'data-testid': 'driver-edit', 'aria-label': t('fleetadmin.driver.editLabel', { name: d.name }), onclick: () => open(d),
      }, t('admin.edit'))))));
  }

  function open(driver) {
    return slot.open((box) => driverForm(box, {
      driver, drivers, company: company.value,
      onSaved: async (id) => { slot.close(); await load(); tbody.querySelector(`tr[data-id="${CSS.escape(id)}"]`)?.classList.add('dirty'); },
      onClose: slot.close,
    }));
  }

  search.addEventListener('input', () => { pages.reset(); draw(); });
  company.addEventListener('change', () => { pages.reset(); draw(); });
  root.append(
    h('p', { class: 'muted' }, t('fleetadmin.driver.help')),
    h('div', { class: 'admin-toolbar' }, search, company,
      h('button', { type: 'button', class: 'primary', 'data-testid': 'driver-new', onclick: () => open(null) }, t('fleetadmin.driver.new'))),
    formBox, count,
    h('div', { class: 'table-wrap' }, h('table', { id: 'driver-table', class: 'admin-table', 'data-testid': 'driver-table' },
      h('thead', {}, h('tr', {}, ['id', 'name', 'company', 'licence', 'phone', 'state', 'actions'].map((k) => h('th', { scope: 'col' }, t(`fleetadmin.driver.col.${k}`))))),
      tbody)),
    pages.element);
  await load();
  if (query.id) {
    const driver = drivers.find((d) => d.id === query.id);
    if (driver) await open(driver);
  }
  return () => slot.close();
}
