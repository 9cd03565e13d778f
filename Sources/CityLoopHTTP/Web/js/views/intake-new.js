// The other two panes of the intake page: a new report taken on the phone (an operator's or hotline case), and
// a report whose address could not be placed, placed by hand on the map and filed as its sender's case.
import { api, catalog, entryName, errorText, field, fmtTime, h, requestID, roleName, stateBadge, t, toast, userText } from '../core.js';
import { matterPicker, sourceName } from './intake-matter.js';
import { locationPicker } from './intake-place.js';

/** The result of a report: its number, state, tracking code (to read to the caller) and possible duplicates. */
function resultCard(result, { again, open }) {
  const c = result.case;
  return h('div', { class: 'intake-result', 'data-testid': 'new-result', dataset: { caseId: c.id, number: c.number } },
    h('h3', { tabindex: '-1', id: 'intake-result-title' }, t(result.created ? 'intake.new.created' : 'intake.new.existing', { number: c.number })),
    h('p', {}, stateBadge(c.state)),
    result.trackingCode ? h('p', {}, t('intake.new.tracking'), ' ', h('strong', { class: 'intake-tracking', 'data-testid': 'new-tracking' }, result.trackingCode)) : null,
    result.trackingCode ? h('p', { class: 'muted' }, t('intake.new.trackingHint')) : null,
    result.duplicates?.length ? [h('p', {}, t('intake.new.duplicates')),
      h('ul', {}, result.duplicates.map((d) => h('li', {}, h('a', { href: `#/case/${encodeURIComponent(d.caseID)}` }, d.number), ' ',
        stateBadge(d.state), ' ', t('intake.form.distance', { m: Math.round(d.distanceMetres) }))))] : null,
    h('div', { class: 'intake-inline' },
      open ? h('button', { type: 'button', class: 'primary', 'data-testid': 'new-open', onclick: () => open(c.id) }, t('intake.new.openIt')) : null,
      h('a', { href: `#/case/${encodeURIComponent(c.id)}`, 'data-testid': 'new-case-link' }, t('intake.form.openCase')),
      again ? h('button', { type: 'button', 'data-testid': 'new-again', onclick: again }, t('intake.new.another')) : null));
}

/** Uploads chosen files as evidence; answers their media IDs. */
async function upload(files) {
  const ids = [];
  for (const f of files) {
    const m = await api('/api/v1/media', { method: 'POST', body: f, headers: { 'Content-Type': f.type || 'application/octet-stream' } });
    ids.push(m.id);
  }
  return ids;
}

/**
 * The new-report form for a call taken by an operator. `onCreated(result)` runs after the case is created;
 * `open(caseID)` opens it in the queue. Answers `{destroy()}`.
 */
export async function newReportForm(pane, { onCreated = () => {}, open = null, onClose = () => {} } = {}) {
  let picker = null;
  const handle = { destroy() { picker?.destroy(); } };
  const clientRequestID = requestID();
  const source = h('select', { name: 'source', 'data-testid': 'new-source' },
    ['operator', 'hotline'].map((s) => h('option', { value: s }, sourceName(s))));
  const name = h('input', { name: 'reporterName', autocomplete: 'off', 'data-testid': 'new-name' });
  const phone = h('input', { name: 'reporterPhone', type: 'tel', autocomplete: 'off', 'data-testid': 'new-phone' });
  const description = h('textarea', { name: 'description', required: true, rows: 3, 'data-testid': 'new-description' });
  const address = h('input', { type: 'search', name: 'address', autocomplete: 'off', 'data-testid': 'new-address' });
  const urgency = h('select', { name: 'urgency', 'data-testid': 'new-urgency' },
    ['normal', 'urgent', 'emergency'].map((u) => h('option', { value: u }, t(`intake.urgency.${u}`))));
  const photos = h('input', { type: 'file', accept: 'image/*,video/*', multiple: true, 'data-testid': 'new-photos' });
  const error = h('p', { class: 'error', role: 'alert', 'data-testid': 'new-error' });
  const submit = h('button', { type: 'submit', class: 'primary', id: 'intake-new-submit', 'data-testid': 'new-submit' }, t('intake.new.submit'));
  for (const el of [description, address]) el.addEventListener('input', () => el.removeAttribute('aria-invalid'));
  const matter = await matterPicker({ testid: 'new-matter', labelKey: 'intake.new.matter' });
  const locBox = h('div', { class: 'intake-loc' });

  const form = h('form', {
    class: 'intake-new', 'data-testid': 'new-report-form', novalidate: true,
    onsubmit: async (e) => {
      e.preventDefault();
      error.textContent = '';
      for (const el of [description, address]) el.removeAttribute('aria-invalid');
      const missing = [];
      if (!matter.value) missing.push(t('intake.new.matter'));
      if (!description.value.trim()) { missing.push(t('intake.form.description')); description.setAttribute('aria-invalid', 'true'); }
      if (!picker?.point || !picker.located) { missing.push(t('intake.new.point')); address.setAttribute('aria-invalid', 'true'); }
      if (missing.length) { error.textContent = t('intake.new.missing', { fields: missing.join(t('intake.listSep')) }); return; }
      submit.disabled = true;
      try {
        const evidence = await upload([...photos.files]);
        const result = await api('/api/v1/cases', {
          method: 'POST',
          body: {
            clientRequestID, matterCode: matter.value, description: description.value.trim(), lat: picker.point.lat, lon: picker.point.lon,
            address: address.value.trim() || undefined, urgency: urgency.value, source: source.value, evidence,
            reporterName: name.value.trim() || undefined, reporterPhone: phone.value.trim() || undefined,
          },
        });
        toast(t('intake.new.created', { number: result.case.number }), 'ok');
        picker.destroy();
        picker = null;
        pane.replaceChildren(resultCard(result, { open, again: () => newReportForm(pane, { onCreated, open, onClose }).then((x) => { handle.destroy = x.destroy; }) }));
        pane.querySelector('#intake-result-title').focus();
        onCreated(result);
      } catch (err) {
        error.textContent = errorText(err);
        submit.disabled = false;
      }
    },
  },
  h('div', { class: 'intake-form-head' },
    h('h2', { id: 'intake-new-title', tabindex: '-1' }, t('intake.new.title')),
    h('button', { type: 'button', class: 'link', 'data-testid': 'form-close', onclick: onClose }, t('common.close'))),
  h('div', { class: 'intake-form-body' },
    h('div', { class: 'intake-form-left' }, h('h3', {}, t('intake.new.where')), locBox),
    h('div', { class: 'intake-form-right' },
      h('div', { class: 'intake-row' }, field('intake.new.source', source), field('intake.new.urgency', urgency)),
      h('div', { class: 'intake-row' }, field('intake.new.name', name), field('intake.new.phone', phone)),
      matter.element,
      field('intake.form.description', description),
      field('intake.new.photos', photos),
      error, submit)));
  pane.replaceChildren(form);
  form.querySelector('#intake-new-title').focus();
  if (!pane.isConnected) return handle;
  try {
    picker = await locationPicker(locBox, { search: true, addressInput: address, testid: 'new-loc' });
  } catch (e) { locBox.append(h('p', { class: 'error', role: 'alert' }, errorText(e))); }
  return handle;
}

/**
 * The pane of one unplaced report: what was sent, and the map to place it. `onPlaced(id, result)` runs after it
 * was placed and filed. Answers `{id, destroy()}`.
 */
export async function unplacedForm(pane, entry, { onPlaced = () => {}, onClose = () => {} } = {}) {
  let picker = null;
  const handle = { id: entry.id, destroy() { picker?.destroy(); } };
  const cat = await catalog();
  let input = {};
  try { input = typeof entry.input === 'string' ? JSON.parse(entry.input || '{}') : (entry.input || {}); } catch { /* shown without details */ }
  const m = input.matterCode ? cat.matter(input.matterCode) : null;
  const place = h('button', { type: 'button', class: 'primary', disabled: true, 'data-testid': 'unplaced-place', id: 'intake-unplaced-place' },
    t('intake.unplaced.place'));
  const error = h('p', { class: 'error', role: 'alert', 'data-testid': 'unplaced-error' });
  const locBox = h('div', { class: 'intake-loc' });
  place.addEventListener('click', async () => {
    if (!picker?.point || !picker.located) return;
    error.textContent = '';
    place.disabled = true;
    try {
      const result = await api(`/api/v1/unplaced/${encodeURIComponent(entry.id)}/place`, { method: 'POST', body: { lat: picker.point.lat, lon: picker.point.lon } });
      toast(t('intake.unplaced.placed', { number: result.case.number }), 'ok');
      onPlaced(entry.id, result);
    } catch (e) {
      error.textContent = errorText(e);
      place.disabled = false;
    }
  });
  pane.replaceChildren(h('article', { class: 'intake-form', 'data-testid': 'unplaced-form', dataset: { id: entry.id }, 'aria-labelledby': 'intake-unplaced-title' },
    h('div', { class: 'intake-form-head' },
      h('h2', { id: 'intake-unplaced-title', tabindex: '-1' }, t('intake.unplaced.heading')),
      h('button', { type: 'button', class: 'link', 'data-testid': 'form-close', onclick: onClose }, t('common.close'))),
    h('div', { class: 'intake-form-body' },
      h('div', { class: 'intake-form-left' }, h('h3', {}, t('intake.unplaced.where')), locBox),
      h('div', { class: 'intake-form-right' },
        h('dl', { class: 'intake-facts' },
          h('dt', {}, t('intake.unplaced.address')), h('dd', { class: 'intake-given-address', 'data-testid': 'unplaced-address' }, userText(entry.address)),
          h('dt', {}, t('intake.unplaced.received')), h('dd', {}, fmtTime(entry.receivedAt)),
          h('dt', {}, t('intake.unplaced.sender')), h('dd', {}, `${entry.actor?.name || ''} · ${roleName(entry.actor?.role)}`),
          input.source ? [h('dt', {}, t('intake.unplaced.source')), h('dd', {}, sourceName(input.source))] : null,
          input.ticket ? [h('dt', {}, t('intake.unplaced.ticket')), h('dd', {}, input.ticket)] : null,
          h('dt', {}, t('intake.form.matter')), h('dd', {}, m ? `${m.code} ${entryName(m)}` : input.matterCode || ''),
          h('dt', {}, t('intake.form.description')), h('dd', { class: 'intake-description' }, userText(input.description)),
          input.reporterName || input.reporterPhone
            ? [h('dt', {}, t('intake.form.reporter')), h('dd', {}, [input.reporterName, input.reporterPhone].filter(Boolean).join(' · '))] : null),
        h('p', { class: 'muted' }, t('intake.unplaced.explain')),
        error, place))));
  pane.querySelector('#intake-unplaced-title').focus();
  if (!pane.isConnected) return handle;
  try {
    picker = await locationPicker(locBox, {
      search: true, address: entry.address, candidates: entry.candidates || [], testid: 'unplaced-loc',
      onChange: (_, located) => { place.disabled = !located; },
    });
  } catch (e) { locBox.append(h('p', { class: 'error', role: 'alert' }, errorText(e))); }
  return handle;
}
