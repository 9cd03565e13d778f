// A driver's form: ID, name, driving licence number, phone (shown in full: only administrators open this
// form), company and whether they still drive for it, with the trucks assigned to them now. Saved with
// PUT /api/v1/drivers; what the server refuses is shown beside the field it names.
import { api, busy, h, t, toast, userText } from '../core.js';
import { clearErrors, ffield, formError, showApiError, showErrors } from './admin-common.js';
import { companies, companySelect, takenID } from './fleet-admin-common.js';

/**
 * Draws the form of `driver` (null for a new one) into `box`; `drivers` are the registered ones (a new driver may not
 * take an ID in use). `onSaved(id)` and `onClose()` tell the list. Answers nothing to remove.
 */
export async function driverForm(box, { driver, drivers, company: preset, onSaved, onClose }) {
  const d = driver;
  const isNew = !d;
  const id = h('input', { name: 'id', id: 'driver-form-id', value: d?.id || '', readonly: !isNew, autocomplete: 'off', 'data-testid': 'df-id' });
  const name = h('input', { name: 'name', id: 'driver-form-name', value: d?.name || '', autocomplete: 'off', 'data-testid': 'df-name' });
  const licence = h('input', { name: 'licenceNumber', id: 'driver-form-licence', value: d?.licenceNumber || '', autocomplete: 'off', spellcheck: 'false', 'data-testid': 'df-licence' });
  const phone = h('input', { type: 'tel', name: 'phone', id: 'driver-form-phone', value: d?.phone || '', autocomplete: 'off', 'data-testid': 'df-phone' });
  const chosen = d ? d.companyID || '' : preset || '';
  const company = companySelect({ name: 'companyID', id: 'driver-form-company', 'data-testid': 'df-company' }, await companies(chosen), chosen);
  const active = h('input', { type: 'checkbox', name: 'active', id: 'driver-form-active', checked: d ? d.active : true, 'data-testid': 'df-active' });
  const trucks = h('p', { class: 'muted small', 'data-testid': 'df-vehicles' });
  const save = h('button', { type: 'submit', class: 'primary', 'data-testid': 'df-save' }, t('common.save'));
  const title = isNew ? t('fleetadmin.driver.new') : t('fleetadmin.driver.edit', { name: d.name });
  const form = h('form', { class: 'card admin-form fleet-form', id: 'driver-form', novalidate: true, 'aria-label': title, 'data-testid': 'df-form' },
    h('h3', {}, title),
    h('fieldset', {}, h('legend', {}, t('fleetadmin.driver.driver')),
      h('div', { class: 'form-grid' },
        ffield('fleetadmin.driver.id', id, { hint: isNew ? t('fleetadmin.idHint') : null }),
        ffield('fleetadmin.driver.name', name),
        ffield('fleetadmin.driver.licence', licence, { hint: t('fleetadmin.driver.licenceHint') }),
        ffield('fleetadmin.driver.phone', phone, { hint: t('fleetadmin.driver.phoneHint') }),
        ffield('fleetadmin.driver.company', company),
        h('div', { class: 'field checkbox' }, active, h('label', { for: active.id }, t('fleetadmin.driver.active')))),
      isNew ? null : trucks),
    formError('driver-form-error'),
    h('div', { class: 'buttons sticky' }, save, h('button', { type: 'button', 'data-testid': 'df-close', onclick: () => onClose() }, t('common.cancel'))));
  box.replaceChildren(form);

  if (!isNew) {
    api(`/api/v1/drivers/${encodeURIComponent(d.id)}`).then((r) => {
      trucks.replaceChildren(t('fleetadmin.driver.trucks'), ' ', ...(r.vehicles.length
        ? r.vehicles.flatMap((v, i) => [i ? ', ' : null, h('a', { href: `#/admin/vehicles?id=${encodeURIComponent(v)}` }, userText(v))]).filter(Boolean)
        : [t('fleetadmin.driver.noTrucks')]));
    }).catch(() => {});
  }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const text = (input) => (input.value.trim() === '' ? null : input.value.trim());
    const body = {
      id: id.value.trim(), name: name.value.trim(), licenceNumber: text(licence), phone: text(phone), companyID: company.value || null, active: active.checked,
    };
    if (showErrors(form, await takenID(isNew, body.id, (x) => drivers.some((o) => o.id === x)))) return;
    await busy(save, async () => {
      try {
        await api('/api/v1/drivers', { method: 'PUT', body: [body] });
        toast(t('fleetadmin.driver.saved', { name: body.name }), 'ok');
        onSaved(body.id);
      } catch (err) { showApiError(form, err); }
    });
  });
  (isNew ? id : name).focus();
  return null;
}
