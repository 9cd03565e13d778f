// A vehicle's form: ID, plate, kind, the terminal's phone number, the company (a contractor), the load
// capacity and sensor, the registered driver assigned to it (chosen among the company's drivers) and a driver's name
// as free text for one not in the registry. Saved with PUT /api/v1/vehicles; what the server refuses is shown beside
// the field it names.
import { api, busy, h, t, toast } from '../core.js';
import { clearErrors, ffield, formError, showApiError, showErrors } from './admin-common.js';
import { VEHICLE_KINDS, companies, companySelect, takenID } from './fleet-admin-common.js';

/**
 * Draws the form of `vehicle` (null for a new one) into `box`; `onSaved(id)` and `onClose()` tell the list. Answers
 * nothing to remove (the form has no map).
 */
export async function vehicleForm(box, { vehicle, onSaved, onClose }) {
  const v = vehicle;
  const isNew = !v;
  const id = h('input', { name: 'id', id: 'vehicle-form-id', value: v?.id || '', readonly: !isNew, autocomplete: 'off', 'data-testid': 'vf-id' });
  const plate = h('input', { name: 'plate', id: 'vehicle-form-plate', value: v?.plate || '', autocomplete: 'off', 'data-testid': 'vf-plate' });
  const kind = h('select', { name: 'kind', id: 'vehicle-form-kind', 'data-testid': 'vf-kind' },
    VEHICLE_KINDS.map((k) => h('option', { value: k, selected: k === (v?.kind || 'muckTruck') }, t(`fleet.kind.${k}`))));
  const phone = h('input', { name: 'terminalPhone', id: 'vehicle-form-phone', value: v?.terminalPhone || '', inputmode: 'numeric', autocomplete: 'off', 'data-testid': 'vf-phone' });
  const company = companySelect({ name: 'companyID', id: 'vehicle-form-company', 'data-testid': 'vf-company' }, await companies(v?.companyID), v?.companyID || '');
  const capacity = h('input', { type: 'number', name: 'capacityTonnes', id: 'vehicle-form-capacity', min: '0', step: 'any', value: v?.capacityTonnes ?? '', 'data-testid': 'vf-capacity' });
  const sensor = h('input', { type: 'checkbox', name: 'hasLoadSensor', id: 'vehicle-form-sensor', checked: v ? v.hasLoadSensor : true, 'data-testid': 'vf-sensor' });
  const driver = h('select', { name: 'driverID', id: 'vehicle-form-driver', 'data-testid': 'vf-driver' });
  const driverName = h('input', { name: 'driver', id: 'vehicle-form-driver-name', value: v?.driver || '', autocomplete: 'off', 'data-testid': 'vf-driver-name' });
  const save = h('button', { type: 'submit', class: 'primary', 'data-testid': 'vf-save' }, t('common.save'));
  const title = isNew ? t('fleetadmin.vehicle.new') : t('fleetadmin.vehicle.edit', { plate: v.plate });
  const form = h('form', { class: 'card admin-form fleet-form', id: 'vehicle-form', novalidate: true, 'aria-label': title, 'data-testid': 'vf-form' },
    h('h3', {}, title),
    h('fieldset', {}, h('legend', {}, t('fleetadmin.vehicle.vehicle')),
      h('div', { class: 'form-grid' },
        ffield('fleetadmin.vehicle.id', id, { hint: isNew ? t('fleetadmin.idHint') : null }),
        ffield('fleetadmin.vehicle.plate', plate),
        ffield('fleetadmin.vehicle.kind', kind),
        ffield('fleetadmin.vehicle.phone', phone, { hint: t('fleetadmin.vehicle.phoneHint') }),
        ffield('fleetadmin.vehicle.capacity', capacity),
        h('div', { class: 'field checkbox' }, sensor, h('label', { for: sensor.id }, t('fleetadmin.vehicle.sensor'))))),
    h('fieldset', {}, h('legend', {}, t('fleetadmin.vehicle.companyAndDriver')),
      h('div', { class: 'form-grid' },
        ffield('fleetadmin.vehicle.company', company),
        ffield('fleetadmin.vehicle.driver', driver, { hint: t('fleetadmin.vehicle.driverHint') }),
        ffield('fleetadmin.vehicle.driverName', driverName, { hint: t('fleetadmin.vehicle.driverNameHint') }))),
    formError('vehicle-form-error'),
    h('div', { class: 'buttons sticky' }, save, h('button', { type: 'button', 'data-testid': 'vf-close', onclick: () => onClose() }, t('common.cancel'))));
  box.replaceChildren(form);

  // The company's drivers (those without a company when none is chosen), active ones first; the driver chosen (the one
  // assigned now, until the user picks another or none) is kept as a choice even from another company, so that
  // changing the company neither drops them unasked nor brings back one the user took off.
  let chosenDriver = v?.driverID || '';
  driver.addEventListener('change', () => { chosenDriver = driver.value; });
  let seq = 0;
  async function loadDrivers() {
    const mine = ++seq;
    const keep = chosenDriver;
    driver.disabled = true;
    let list = [];
    try {
      list = company.value ? await api(`/api/v1/drivers?company=${encodeURIComponent(company.value)}`) : (await api('/api/v1/drivers')).filter((d) => !d.companyID);
    } catch (err) { showErrors(form, [{ field: 'driverID', message: err.message }]); }
    if (mine !== seq) return;
    if (keep && !list.some((d) => d.id === keep)) {
      const other = await api(`/api/v1/drivers/${encodeURIComponent(keep)}`).then((r) => r.driver).catch(() => ({ id: keep, name: keep, active: true }));
      if (mine !== seq) return;
      list.push({ ...other, otherCompany: true });
    }
    list.sort((a, b) => Number(b.active) - Number(a.active) || a.name.localeCompare(b.name));
    driver.replaceChildren(h('option', { value: '' }, t('fleetadmin.vehicle.noDriver')),
      ...list.map((d) => h('option', { value: d.id, selected: d.id === keep }, [
        `${d.name} (${d.id})`, d.active ? '' : ` \u00b7 ${t('fleet.drivers.inactive')}`, d.otherCompany ? ` \u00b7 ${t('fleetadmin.vehicle.otherCompany')}` : '',
      ].join(''))));
    driver.disabled = false;
    form.dataset.drivers = String(list.length);
  }
  company.addEventListener('change', loadDrivers);
  await loadDrivers();

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const text = (input) => (input.value.trim() === '' ? null : input.value.trim());
    const body = {
      id: id.value.trim(), plate: plate.value.trim(), kind: kind.value, terminalPhone: text(phone), companyID: company.value || null,
      capacityTonnes: capacity.value.trim() === '' ? null : Number(capacity.value), hasLoadSensor: sensor.checked,
      driver: text(driverName), driverID: driver.value || null,
    };
    await busy(save, async () => {
      try {
        // The registry is read a page at a time: the ID is looked up. Only a 404 says it is free; any other failure
        // (the network, a 400) is shown and nothing is saved.
        const inUse = (x) => api(`/api/v1/vehicles/${encodeURIComponent(x)}`).then(() => true, (err) => {
          if (err.status === 404) return false;
          throw err;
        });
        if (showErrors(form, await takenID(isNew, body.id, inUse))) return;
        await api('/api/v1/vehicles', { method: 'PUT', body: [body] });
        toast(t('fleetadmin.vehicle.saved', { plate: body.plate }), 'ok');
        onSaved(body.id);
      } catch (err) { showApiError(form, err); }
    });
  });
  (isNew ? id : plate).focus();
  return null;
}
