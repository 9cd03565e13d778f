// The fleet page's drivers: who drives each company's trucks, their licence, phone (masked but to admins)
// and which trucks are theirs now.
import { api, departments, errorText, h, isAdmin, lang, t, userText } from '../core.js';

/** The drivers panel of the fleet page; `vehicles` are the registry's (a driver's trucks are those naming them). */
export function driversPanel(vehicles) {
  const body = h('div', { class: 'table-wrap' });
  const note = h('p', { class: 'muted', 'data-testid': 'fleet-drivers-note' }, t('common.loading'));
  const error = h('p', { class: 'error', role: 'alert' });
  const panel = h('section', { class: 'card fleet-drivers', 'data-testid': 'fleet-drivers', 'aria-label': t('fleet.drivers') },
    h('h2', {}, t('fleet.drivers')), note, error, body);
  const trucks = new Map();
  for (const v of vehicles) if (v.driverID) trucks.set(v.driverID, [...(trucks.get(v.driverID) || []), v]);

  async function load() {
    const [drivers, depts] = await Promise.all([api('/api/v1/drivers'), departments().catch(() => new Map())]);
    if (!drivers.length) { note.textContent = t('fleet.drivers.none'); return; }
    note.hidden = true;
    const company = (cid) => {
      if (!cid) return '—';
      const d = depts.get(cid);
      return userText(d ? (lang() === 'en' && d.nameEn ? d.nameEn : d.name) : cid);
    };
    body.replaceChildren(h('table', { 'data-testid': 'fleet-drivers-table' },
      h('thead', {}, h('tr', {}, ['name', 'company', 'licence', 'phone', 'vehicles', 'state'].map((k) => h('th', { scope: 'col' }, t(`fleet.drivers.col.${k}`))))),
      h('tbody', {}, drivers.map((d) => h('tr', { 'data-testid': 'fleet-driver', dataset: { id: d.id, active: String(d.active) } },
        h('td', { 'data-testid': 'fleet-driver-name' }, isAdmin() ? h('a', { href: `#/admin/drivers?id=${encodeURIComponent(d.id)}` }, userText(d.name)) : userText(d.name)),
        h('td', {}, company(d.companyID)),
        h('td', {}, d.licenceNumber ? userText(d.licenceNumber) : '—'),
        h('td', {}, d.phone ? userText(d.phone) : '—'),
        h('td', { 'data-testid': 'fleet-driver-vehicles' }, ...(trucks.get(d.id) || []).flatMap((v, i) => [
          i ? ', ' : null, h('a', { href: `#/vehicle/${encodeURIComponent(v.id)}` }, userText(v.plate))]).filter(Boolean)),
        h('td', {}, t(d.active ? 'fleet.drivers.active' : 'fleet.drivers.inactive')))))));
  }
  const loaded = load().catch((e) => { note.hidden = true; error.textContent = errorText(e); });
  return { panel, loaded };
}
