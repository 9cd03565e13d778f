// The citizens' report page, public: a photo, the place (phone or map), the matter class from the city's
// public service list and a description. Signed-in accounts report through the core API (via the outbox, so a
// report made without signal is sent later); visitors who are not signed in post through Open311, which the city
// may close to anonymous posts (403: then they are asked to sign in). The tracking code is shown on success.
import { field, h, lang, route, session, t } from '../core.js';
import * as outbox from '../outbox.js';
import { locationPicker, matterPicker, outboxStatus, photoPicker, rememberMatter } from './inspector-parts.js';
import { queuePanel } from './inspector-queue.js';
import { rememberReport } from './citizen-track.js';

const DRAFT = 'cityloop.reportDraft';

/** The public service list (matter classes citizens may report) in the current language. */
async function services() {
  const res = await fetch(`/open311/v2/services.json?locale=${lang()}`);
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return (await res.json()).map((s) => ({ code: s.service_code, name: s.service_name, group: s.group }));
}

/** Posts through Open311 (no account): answers `{code, number, notice}` or throws an Error with `status`. */
async function postOpen311(form) {
  let res;
  try {
    res = await fetch(`/open311/v2/requests.json?locale=${lang()}`, { method: 'POST', body: form });
  } catch {
    throw Object.assign(new Error(t('citizen.report.network')), { status: 0 });
  }
  let body = null;
  try { body = await res.json(); } catch { /* not JSON */ }
  if (!res.ok) {
    const message = Array.isArray(body) && body[0]?.description ? body[0].description : `HTTP ${res.status}`;
    throw Object.assign(new Error(message), { status: res.status });
  }
  const r = Array.isArray(body) ? body[0] : body;
  return { code: r?.service_request_id ? r.token : null, number: r?.service_request_id || null, notice: r?.service_notice || '' };
}

/** The success box: the tracking code, big, with the link to follow it. */
function trackingBox(code, number) {
  const copy = h('button', {
    type: 'button', class: 'fd-button', 'data-testid': 'tracking-copy',
    onclick: async () => { try { await navigator.clipboard.writeText(code); copy.textContent = t('citizen.report.copied'); } catch { /* no clipboard */ } },
  }, t('citizen.report.copy'));
  return h('div', { class: 'fd-tracking', 'data-testid': 'report-success' },
    h('p', {}, t('citizen.report.thanks', { number: number || '' })),
    h('p', { class: 'fd-small' }, t('citizen.report.codeLabel')),
    h('p', { class: 'fd-code', id: 'tracking-code', 'data-testid': 'tracking-code' }, code),
    h('div', { class: 'fd-row' },
      h('a', { class: 'fd-button primary', id: 'track-link', 'data-testid': 'track-link', href: `#/track?code=${encodeURIComponent(code)}` }, t('citizen.report.follow')),
      copy),
    h('p', { class: 'muted fd-small' }, t('citizen.report.keepCode')));
}

route('/report', async (main) => {
  const signedIn = session.valid;
  const list = await services().catch(() => []);
  const names = new Map(list.map((s) => [s.code, s.name]));
  const status = signedIn ? outboxStatus({ link: '#/report' }) : null;
  const photos = photoPicker({ testid: 'photos', max: signedIn ? 6 : 1, labelKey: signedIn ? 'inspector.photo.label' : 'citizen.report.photoOne' });
  const loc = locationPicker({ testid: 'loc', grids: false });
  const matter = matterPicker(list, { testid: 'matter' });
  const description = h('textarea', { id: 'report-description', 'data-testid': 'report-description', rows: 3, maxlength: 4000 });
  const name = h('input', { id: 'report-name', 'data-testid': 'report-name', autocomplete: 'given-name' });
  const phone = h('input', { id: 'report-phone', 'data-testid': 'report-phone', type: 'tel', autocomplete: 'tel', inputmode: 'tel' });
  const email = h('input', { id: 'report-email', 'data-testid': 'report-email', type: 'email', autocomplete: 'email' });
  const error = h('div', { class: 'error', role: 'alert', id: 'report-error', 'data-testid': 'report-error' });
  const result = h('div', { id: 'report-result', 'data-testid': 'report-result', role: 'status', 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', class: 'primary fd-submit', id: 'report-submit', 'data-testid': 'report-submit' }, t('citizen.report.submit'));
  let lastID = null;

  const done = (code, number, matterCode) => {
    rememberReport({ code, number, matter: names.get(matterCode) || '' });
    result.dataset.state = 'sent';
    result.replaceChildren(trackingBox(code, number));
    result.scrollIntoView({ behavior: 'smooth', block: 'center' });
  };
  const reset = () => { photos.clear(); description.value = ''; matter.reset(); };

  const form = h('form', {
    class: 'card fd-form', id: 'report-form', 'data-testid': 'report-form', novalidate: true,
    onsubmit: async (e) => {
      e.preventDefault();
      error.replaceChildren();
      const where = loc.value();
      const fail = (key, focus) => { error.textContent = t(key); focus?.focus?.(); };
      if (!where) return fail('inspector.report.needLocation', document.getElementById('loc-gps'));
      if (where.outside) return fail('inspector.loc.outside', document.getElementById('loc-gps'));
      if (!matter.value()) return fail('inspector.report.needMatter', document.getElementById('matter-search'));
      if (!description.value.trim()) return fail('inspector.report.needDescription', description);
      submit.disabled = true;
      try {
        if (signedIn) {
          const item = await outbox.enqueue({ matterCode: matter.value(), description: description.value.trim(), lat: where.lat, lon: where.lon }, photos.photos());
          lastID = item.clientRequestID;
          rememberMatter(matter.value());
          result.dataset.state = navigator.onLine ? 'sending' : 'queued';
          result.replaceChildren(h('p', { class: 'fd-result' }, t(navigator.onLine ? 'inspector.report.sending' : 'citizen.report.queued')));
          return;
        }
        const body = new FormData();
        body.append('service_code', matter.value());
        body.append('lat', String(where.lat));
        body.append('long', String(where.lon));
        body.append('description', description.value.trim());
        if (name.value.trim()) body.append('first_name', name.value.trim());
        if (phone.value.trim()) body.append('phone', phone.value.trim());
        if (email.value.trim()) body.append('email', email.value.trim());
        const photo = photos.photos()[0];
        if (photo) body.append('media', photo, photo.name || 'photo.jpg');
        const r = await postOpen311(body);
        rememberMatter(matter.value());
        if (r.code) done(r.code, r.number, matter.value());
        else { result.dataset.state = 'received'; result.replaceChildren(h('p', { class: 'fd-result' }, r.notice)); }
        reset();
      } catch (err) {
        if (err.status === 403) {
          const next = encodeURIComponent('#/report');
          sessionStorage.setItem(DRAFT, JSON.stringify({ matterCode: matter.value(), description: description.value, lat: where.lat, lon: where.lon }));
          error.replaceChildren(h('p', { 'data-testid': 'report-needs-signin' }, t('citizen.report.needsSignIn')),
            h('a', { class: 'fd-button primary', href: `#/login?next=${next}`, 'data-testid': 'report-signin' }, t('nav.signIn')));
        } else if (err.status === 429) {
          error.textContent = t('citizen.report.tooMany');
        } else {
          error.textContent = err.message || String(err);
        }
      } finally { submit.disabled = false; }
    },
  },
  photos.element,
  loc.element,
  list.length ? matter.element : h('p', { class: 'error' }, t('citizen.report.noServices')),
  field('citizen.report.description', description, t('citizen.report.descriptionHint')),
  signedIn
    ? h('p', { class: 'muted fd-small', 'data-testid': 'report-as' }, t('citizen.report.asAccount', { name: session.user.displayName || session.user.username }))
    : h('fieldset', { class: 'fd-contact' },
      h('legend', {}, t('citizen.report.contact')),
      h('p', { class: 'muted fd-small' }, t('citizen.report.contactHint')),
      field('citizen.report.name', name), field('citizen.report.phone', phone), field('citizen.report.email', email),
      h('p', { class: 'fd-small' }, t('citizen.report.signInHint'), ' ', h('a', { href: `#/login?next=${encodeURIComponent('#/report')}` }, t('nav.signIn')))),
  error,
  submit,
  result);

  const queue = signedIn ? queuePanel(names, { trackLinks: true }) : null;
  // A visitor sent to sign in by a 403 comes back to the text and place they had entered (photos must be added again).
  const draft = (() => { try { return JSON.parse(sessionStorage.getItem(DRAFT) || 'null'); } catch { return null; } })();
  if (draft && signedIn) {
    sessionStorage.removeItem(DRAFT);
    matter.set(draft.matterCode);
    description.value = draft.description || '';
    loc.ready.then(() => loc.set(draft.lat, draft.lon, { source: 'manual' }));
    result.dataset.state = 'draft';
    result.replaceChildren(h('p', { class: 'fd-result editing', 'data-testid': 'report-draft' }, t('citizen.report.draftBack')));
  }

  const off = outbox.onChange(async (ev) => {
    if (ev.clientRequestID !== lastID) return;
    if (ev.type === 'sent' && ev.result?.trackingCode) { done(ev.result.trackingCode, ev.result.case?.number, ev.result.case?.matterCode); reset(); return; }
    if (ev.type === 'failed') { result.dataset.state = 'failed'; result.replaceChildren(h('p', { class: 'error' }, ev.error || '')); return; }
    const item = (await outbox.pending()).find((i) => i.clientRequestID === lastID);
    if (item && item.status === 'pending' && item.attempts > 0 && result.dataset.state === 'sending') {
      result.dataset.state = 'queued';
      result.replaceChildren(h('p', { class: 'fd-result' }, t('citizen.report.queued')));
    }
  });

  main.append(h('div', { class: 'fd-page fd-narrow' },
    h('div', { class: 'fd-header' }, h('h1', {}, t('citizen.report.title')), status ? status.element : null),
    h('p', { class: 'muted' }, t('citizen.report.intro')),
    form,
    queue ? queue.element : null));
  return () => { off(); status?.dispose(); queue?.dispose(); };
}, { public: true, title: 'citizen.report.title' });
