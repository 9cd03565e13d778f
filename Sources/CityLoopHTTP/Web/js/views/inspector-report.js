// The inspector's report form, phone first: photos from the camera, the position from the phone or the
// map, the matter class from a searchable list, a description and "self-handled". Every report goes through the
// outbox, so a report made without signal is kept on the phone and sent once the phone is online again.
import { catalog, entryName, field, h, lang, route, t, toast } from '../core.js';
import * as outbox from '../outbox.js';
import { locationPicker, matterPicker, outboxStatus, photoPicker, rememberMatter } from './inspector-parts.js';
import { queuePanel } from './inspector-queue.js';

/** The catalog's matter classes as picker entries; in English the major classes are named from the Open311 list. */
export async function matterEntries() {
  const cat = await catalog();
  const groups = new Map();
  if (lang() === 'en') {
    try {
      for (const s of await (await fetch('/open311/v2/services.json?locale=en')).json()) groups.set(s.service_code, s.group);
    } catch { /* Chinese class names then */ }
  }
  return [...cat.matters.values()].map((e) => ({ code: e.code, name: entryName(e), group: groups.get(e.code) || e.majorClass }));
}

route('/inspector/report', async (main, { query }) => {
  const entries = await matterEntries();
  const names = new Map(entries.map((e) => [e.code, e.name]));
  const status = outboxStatus();
  const photos = photoPicker({ testid: 'photos' });
  const loc = locationPicker({ testid: 'loc', auto: true });
  const matter = matterPicker(entries, { testid: 'matter' });
  const description = h('textarea', { id: 'report-description', 'data-testid': 'report-description', rows: 3, maxlength: 4000 });
  const address = h('input', { id: 'report-address', 'data-testid': 'report-address', autocomplete: 'off' });
  const urgency = h('select', { id: 'report-urgency', 'data-testid': 'report-urgency' },
    ['normal', 'urgent', 'emergency'].map((u) => h('option', { value: u }, t(`inspector.urgency.${u}`))));
  const selfHandled = h('input', { type: 'checkbox', id: 'report-self-handled', 'data-testid': 'report-self-handled' });
  const error = h('p', { class: 'error', role: 'alert', id: 'report-error', 'data-testid': 'report-error' });
  const result = h('div', { class: 'fd-result', id: 'report-result', 'data-testid': 'report-result', role: 'status', 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', class: 'primary fd-submit', id: 'report-submit', 'data-testid': 'report-submit' }, t('inspector.report.submit'));
  let editing = null;
  let lastID = null;

  const show = (state, ...content) => { result.dataset.state = state; result.className = `fd-result ${state}`; result.replaceChildren(...content); };

  const form = h('form', {
    class: 'card fd-form', id: 'report-form', 'data-testid': 'report-form', novalidate: true,
    onsubmit: async (e) => {
      e.preventDefault();
      error.textContent = '';
      const where = loc.value();
      const fail = (key, focus) => { error.textContent = t(key); focus?.focus?.(); };
      if (!where) return fail('inspector.report.needLocation', document.getElementById('loc-gps'));
      if (where.outside) return fail('inspector.loc.outside', document.getElementById('loc-gps'));
      if (!matter.value()) return fail('inspector.report.needMatter', document.getElementById('matter-search'));
      if (!description.value.trim()) return fail('inspector.report.needDescription', description);
      const report = {
        matterCode: matter.value(), description: description.value.trim(), lat: where.lat, lon: where.lon,
        address: address.value.trim() || undefined, urgency: urgency.value, selfHandled: selfHandled.checked || undefined,
      };
      submit.disabled = true;
      try {
        const item = await outbox.enqueue(report, photos.photos(), { clientRequestID: editing });
        lastID = item.clientRequestID;
        rememberMatter(report.matterCode);
        editing = null;
        photos.clear();
        description.value = '';
        address.value = '';
        selfHandled.checked = false;
        urgency.value = 'normal';
        matter.reset();
        show(navigator.onLine ? 'sending' : 'queued', t(navigator.onLine ? 'inspector.report.sending' : 'inspector.report.queued'));
      } catch (err) {
        error.textContent = t('inspector.report.storeFailed', { message: err.message || String(err) });
      } finally { submit.disabled = false; }
    },
  },
  photos.element,
  loc.element,
  matter.element,
  field('inspector.report.description', description),
  field('inspector.report.address', address, t('inspector.report.addressHint')),
  field('inspector.report.urgency', urgency),
  h('div', { class: 'fd-check' }, selfHandled, h('label', { for: selfHandled.id }, t('inspector.report.selfHandled'), h('small', {}, t('inspector.report.selfHandledHint')))),
  error,
  submit,
  result);

  async function edit(id) {
    const item = await outbox.get(id);
    if (!item) return;
    editing = id;
    photos.set(item.photos);
    await loc.set(item.report.lat, item.report.lon, { source: 'manual' });
    matter.set(item.report.matterCode);
    description.value = item.report.description;
    address.value = item.report.address || '';
    urgency.value = item.report.urgency || 'normal';
    selfHandled.checked = !!item.report.selfHandled;
    show('editing', t('inspector.report.editing', { error: item.error || '' }));
    form.scrollIntoView({ behavior: 'smooth' });
    description.focus();
  }

  const queue = queuePanel(names, { onEdit: edit });
  const off = outbox.onChange(async (ev) => {
    if (ev.type === 'sent') {
      const r = ev.result || {};
      const number = r.case?.number || '';
      if (ev.clientRequestID === lastID) {
        show('sent', h('strong', {}, t(r.created === false ? 'inspector.report.sentAgain' : 'inspector.report.sent', { number })),
          r.duplicates?.length ? h('p', { class: 'fd-small' }, t('inspector.report.duplicates', { n: r.duplicates.length })) : null);
      } else {
        toast(t('outbox.sentToast', { number }), 'ok');
      }
    } else if (ev.type === 'failed' && ev.clientRequestID === lastID) {
      show('failed', h('strong', {}, t('inspector.report.failed')), h('p', {}, ev.error || ''));
    } else if (ev.clientRequestID === lastID && result.dataset.state === 'sending') {
      const item = (await outbox.pending()).find((i) => i.clientRequestID === lastID);
      if (item && item.status === 'pending' && item.attempts > 0) show('queued', t('inspector.report.queued'));
    } else if (ev.type === 'offline' && result.dataset.state === 'sending') {
      show('queued', t('inspector.report.queued'));
    }
  });

  main.append(
    h('div', { class: 'fd-page' },
      h('div', { class: 'fd-header' }, h('h1', {}, t('inspector.report.title')), status.element),
      h('div', { class: 'fd-columns' },
        form,
        queue.element)));
  if (query.show === 'outbox') document.getElementById('outbox').scrollIntoView();
  if (query.edit) edit(query.edit);
  return () => { off(); status.dispose(); queue.dispose(); };
}, { roles: ['inspector'], title: 'inspector.report.title' });
