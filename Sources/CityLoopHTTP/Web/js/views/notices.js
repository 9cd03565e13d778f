// Rectification notices to haulage and sanitation companies: the morning after a day on which a company's
// vehicles broke the rules, it gets one notice listing those events, replies with what it did about them by the due
// time, and a supervisor closes the notice or sends the reply back with a note. #/notices lists them newest first —
// the company, the day of the events, how many of each kind, the due time (overdue ones in red) and where each
// stands — filtered by state (and by company for supervisors; a company's handler sees its own only). #/notices/:id
// shows one: its events, the reply, the replies sent back, and what the reader may do to it.
import { ApiError, api, departments, errorText, fmtTime, h, route, session, t, toast, userText } from '../core.js';
import { deptName } from './case-util.js';
import { READERS as FLEET_READERS } from './fleet.js';

/** Who reads notices: supervisors see every company's, a handler its own company's. */
export const READERS = ['dispatcher', 'shiftlead', 'leader', 'admin', 'handler'];
/** Who closes notices or sends them back. */
const SUPERVISORS = ['dispatcher', 'shiftlead', 'leader', 'admin'];
/** Who replies (the API lets admins reply for a company too). */
const REPLIERS = ['handler', 'admin'];
/** A notice's states, in the order it goes through them. */
const STATES = ['issued', 'replied', 'closed'];
/** The event kinds in the order the vehicle rules raise them. */
const KINDS = ['forbiddenZone', 'offRoute', 'speeding', 'dumpingSuspected', 'unpermittedTrip', 'tampered', 'offline', 'weighedEmpty', 'coverageShort'];

/** A notice's state as a badge. */
function stateBadge(state) {
  return h('span', { class: `badge notice-${state}`, 'data-testid': 'notice-state', dataset: { state } }, t(`notice.state.${state}`));
}

/** The red mark of a reply that is late. */
function overdueBadge() {
  return h('span', { class: 'badge overdue', 'data-testid': 'notice-overdue' }, t('notice.overdue'));
}

/** How many events of each kind, as labelled counts. */
function countBadges(counts) {
  const kinds = Object.keys(counts || {}).sort((a, b) => KINDS.indexOf(a) - KINDS.indexOf(b));
  return h('span', { class: 'notice-counts', 'data-testid': 'notice-counts' }, kinds.map((k) => h('span', {
    class: `badge notice-kind kind-${k}`, 'data-testid': 'notice-count', dataset: { kind: k, n: String(counts[k]) },
  }, t('notice.kindCount', { kind: t(`vehicle.event.${k}`), n: counts[k] }))));
}

route('/notices', async (main, { query }) => {
  const role = session.user.role;
  const supervisor = SUPERVISORS.includes(role);
  // The page's root goes in at once: a page left before its data arrived stays detached and draws nothing.
  const root = h('div', { class: 'staff-page notices-page', 'data-testid': 'notices-page' }, h('p', { class: 'muted' }, t('common.loading')));
  main.append(root);
  const depts = await departments().catch(() => new Map());
  if (!root.isConnected) return;
  const company = (id) => userText(deptName(depts, id));

  // ---- filters ----
  const opt = (value, label) => h('option', { value }, label);
  const state = h('select', { id: 'notice-filter-state', 'data-testid': 'notice-filter-state' }, opt('', t('notice.any')),
    STATES.map((s) => opt(s, t(`notice.state.${s}`))));
  state.value = STATES.includes(query.state) ? query.state : '';
  const companies = [...depts.values()].filter((d) => d.contractor);
  const companySelect = supervisor
    ? h('select', { id: 'notice-filter-company', 'data-testid': 'notice-filter-company' }, opt('', t('notice.any')),
      companies.map((d) => opt(d.id, deptName(depts, d.id))))
    : null;
  if (companySelect && companies.some((d) => d.id === query.company)) companySelect.value = query.company;
  const cell = (control, key) => h('div', { class: 'field' }, h('label', { for: control.id }, t(key)), control);
  const filters = h('form', { class: 'card notice-filters', role: 'search', 'aria-label': t('notice.filters'), onsubmit: (e) => e.preventDefault() },
    cell(state, 'notice.filter.state'), companySelect ? cell(companySelect, 'notice.filter.company') : null,
    h('button', { type: 'button', 'data-testid': 'notice-refresh', onclick: () => load() }, t('common.refresh')));
  [state, companySelect].forEach((c) => c?.addEventListener('change', () => load()));

  // ---- the list ----
  const count = h('p', { class: 'muted', 'data-testid': 'notice-count-total', role: 'status' });
  const error = h('p', { class: 'error', role: 'alert' });
  const empty = h('p', { class: 'muted', 'data-testid': 'notice-empty', hidden: true }, t('notice.none'));
  const body = h('tbody', {});
  const table = h('table', { class: 'notice-list', 'data-testid': 'notice-list' },
    h('thead', {}, h('tr', {}, ['company', 'day', 'events', 'issued', 'due', 'state'].map((k) => h('th', { scope: 'col' }, t(`notice.col.${k}`))),
      h('th', { scope: 'col' }, h('span', { class: 'intake-sr' }, t('notice.open'))))),
    body);
  const tableWrap = h('div', { class: 'table-wrap', hidden: true }, table);

  function row({ notice: n, overdue }) {
    const href = `#/notices/${encodeURIComponent(n.id)}`;
    return h('tr', { 'data-testid': 'notice-row', class: overdue ? 'notice-row overdue' : 'notice-row', dataset: { id: n.id, state: n.state, overdue: String(overdue) } },
      h('td', { 'data-testid': 'notice-company' }, company(n.companyID)),
      h('td', { 'data-testid': 'notice-day' }, n.day),
      h('td', {}, countBadges(n.counts)),
      h('td', {}, fmtTime(n.issuedAt)),
      h('td', { 'data-testid': 'notice-due' }, fmtTime(n.dueAt), overdue ? [' ', overdueBadge()] : null),
      h('td', {}, stateBadge(n.state)),
      h('td', {}, h('a', {
        href, 'data-testid': 'notice-open', 'aria-label': t('notice.openLabel', { company: deptName(depts, n.companyID), day: n.day }),
      }, t('notice.open'))));
  }

  // Loads overlap (a filter changed twice); only the latest may paint.
  let loads = 0;
  async function load() {
    const mine = ++loads;
    const q = new URLSearchParams({ limit: '200' });
    if (state.value) q.set('state', state.value);
    if (companySelect?.value) q.set('company', companySelect.value);
    try {
      const list = await api(`/api/v1/company-notices?${q}`);
      if (mine !== loads) return;
      error.textContent = '';
      body.replaceChildren(...list.map(row));
      empty.hidden = list.length > 0;
      tableWrap.hidden = list.length === 0;
      count.textContent = t('notice.count', { n: list.length });
      table.dataset.count = String(list.length);
    } catch (e) { if (mine === loads) error.textContent = errorText(e); }
  }

  const own = role === 'handler' && session.user.departmentID;
  root.replaceChildren(
    h('h1', {}, t('notice.title'), own ? h('span', { class: 'muted dept-name' }, ' · ', company(own)) : null),
    h('p', { class: 'muted small' }, t(supervisor ? 'notice.intro.supervisor' : 'notice.intro.company')),
    filters,
    h('section', { class: 'card', 'aria-label': t('notice.title') }, count, error, empty, tableWrap));
  await load();
}, { roles: READERS, title: 'notice.title' });

route('/notices/:id', async (main, { params }) => {
  const role = session.user.role;
  const opensVehicles = FLEET_READERS.includes(role);
  const root = h('div', { class: 'staff-page notice-page', 'data-testid': 'notice-page' }, h('p', { class: 'muted' }, t('common.loading')));
  main.append(root);
  // A company's handler may not read the fleet registry: its notices name the vehicles by ID.
  const [depts, vehicles] = await Promise.all([
    departments().catch(() => new Map()),
    opensVehicles ? api('/api/v1/vehicles?limit=5000').then((l) => new Map(l.map((v) => [v.id, v]))).catch(() => new Map()) : new Map()]);
  if (!root.isConnected) return;
  // Kept across redraws: what went wrong with the last action stays readable under the notice as it is now.
  const message = h('p', { class: 'error', role: 'alert', 'data-testid': 'notice-error' });
  // What the user had typed when the notice was read again after a stale version: not lost with the redraw.
  const drafts = {};

  function vehicleCell(id) {
    const label = userText(vehicles.get(id)?.plate || id);
    return opensVehicles ? h('a', { href: `#/vehicle/${encodeURIComponent(id)}`, 'data-testid': 'notice-vehicle' }, label)
      : h('span', { 'data-testid': 'notice-vehicle' }, label);
  }

  function eventTable(n) {
    const total = Object.values(n.counts || {}).reduce((a, b) => a + b, 0);
    return [
      h('p', { class: 'muted small' }, t('notice.eventsNote', { n: total, shown: n.events.length })),
      h('div', { class: 'table-wrap' }, h('table', { 'data-testid': 'notice-events' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('vehicle.col.time')), h('th', { scope: 'col' }, t('notice.col.vehicle')),
          h('th', { scope: 'col' }, t('vehicle.col.kind')), h('th', { scope: 'col' }, t('vehicle.col.detail')))),
        h('tbody', {}, n.events.map(({ seq, event: e }) => h('tr', { 'data-testid': 'notice-event', dataset: { kind: e.kind, seq: String(seq), vehicle: e.vehicleID } },
          h('td', {}, fmtTime(e.time)),
          h('td', {}, vehicleCell(e.vehicleID)),
          h('td', { 'data-testid': 'notice-event-kind' }, t(`vehicle.event.${e.kind}`)),
          h('td', {}, e.measured !== undefined && e.limit !== undefined ? t('vehicle.measured', { measured: e.measured, limit: e.limit }) : '')))))),
    ];
  }

  function replySection(n) {
    const current = n.reply
      ? h('div', { 'data-testid': 'notice-reply' },
        h('p', { class: 'notice-text', 'data-testid': 'notice-reply-text' }, userText(n.reply)),
        h('p', { class: 'muted small' }, t('notice.repliedBy', { by: n.repliedBy || '', time: fmtTime(n.repliedAt) })))
      : h('p', { class: 'muted', 'data-testid': 'notice-no-reply' }, t('notice.noReply'));
    const closed = n.closedAt ? h('p', { class: 'muted small', 'data-testid': 'notice-closed-by' }, t('notice.closedBy', { by: n.closedBy || '', time: fmtTime(n.closedAt) })) : null;
    const history = n.rejections.length
      ? h('ol', { class: 'notice-history', 'data-testid': 'notice-history' }, n.rejections.map((r) => h('li', { 'data-testid': 'notice-rejection' },
        h('dl', { class: 'facts' },
          h('dt', {}, t('notice.rejected.reply')), h('dd', { class: 'notice-text', 'data-testid': 'notice-rejected-reply' }, userText(r.reply)),
          h('dt', {}, t('notice.rejected.note')), h('dd', { class: 'notice-text', 'data-testid': 'notice-rejected-note' }, userText(r.note))),
        h('p', { class: 'muted small' }, t('notice.rejected.by', { by: r.by, time: fmtTime(r.at) })))))
      : h('p', { class: 'muted', 'data-testid': 'notice-no-history' }, t('notice.noHistory'));
    return [
      h('section', { class: 'card', 'aria-label': t('notice.reply') }, h('h2', {}, t('notice.reply')), current, closed),
      h('section', { class: 'card', 'aria-label': t('notice.history') }, h('h2', {}, t('notice.history')), history),
    ];
  }

  /** Sends an action naming the version shown; a stale version (409) shows the server's reason over the notice read again. */
  async function act(n, path, text, button, input) {
    message.textContent = '';
    input?.removeAttribute('aria-invalid');
    button.disabled = true;
    try {
      await api(`/api/v1/company-notices/${encodeURIComponent(n.id)}/${path}`, { method: 'POST', body: text === undefined ? { version: n.version } : { version: n.version, text } });
      delete drafts[path];
      toast(t(`notice.done.${path === 'send-back' ? 'sendBack' : path}`), 'ok');
      await draw();
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) {
        if (input) drafts[path] = input.value;
        await draw().catch(() => {});
        message.textContent = `${errorText(e)} · ${t('notice.reloaded')}`;
      } else if (e instanceof ApiError && e.status === 422 && input) {
        message.textContent = t('notice.textInvalid');
        input.setAttribute('aria-invalid', 'true');
        input.focus();
      } else {
        message.textContent = errorText(e);
      }
    } finally { button.disabled = false; }
  }

  function actions(n) {
    const parts = [];
    if (n.state === 'issued' && REPLIERS.includes(role)) {
      const text = h('textarea', { id: 'notice-reply-input', 'data-testid': 'notice-reply-input', maxlength: '2000', rows: '4', 'aria-describedby': 'notice-reply-hint' });
      text.value = drafts.reply || '';
      const send = h('button', { type: 'submit', class: 'primary', 'data-testid': 'notice-reply-submit' }, t('notice.submitReply'));
      parts.push(h('form', { class: 'notice-form', 'data-testid': 'notice-reply-form', onsubmit: (e) => { e.preventDefault(); act(n, 'reply', text.value, send, text); } },
        h('div', { class: 'field' }, h('label', { for: text.id }, t('notice.replyText')), text,
          h('small', { id: 'notice-reply-hint' }, t('notice.replyHint'))), send));
    } else if (n.state === 'replied' && SUPERVISORS.includes(role)) {
      const close = h('button', { type: 'button', class: 'primary', 'data-testid': 'notice-close', onclick: () => act(n, 'close', undefined, close) }, t('notice.close'));
      const note = h('textarea', { id: 'notice-note-input', 'data-testid': 'notice-note-input', maxlength: '2000', rows: '3' });
      note.value = drafts['send-back'] || '';
      const back = h('button', { type: 'submit', class: 'danger', 'data-testid': 'notice-send-back' }, t('notice.sendBack'));
      parts.push(h('p', {}, close),
        h('form', { class: 'notice-form', 'data-testid': 'notice-send-back-form', onsubmit: (e) => { e.preventDefault(); act(n, 'send-back', note.value, back, note); } },
          h('div', { class: 'field' }, h('label', { for: note.id }, t('notice.note')), note), back));
    } else {
      const key = n.state === 'closed' ? 'notice.closedNote' : n.state === 'replied' ? 'notice.waitingReview' : 'notice.waitingReply';
      parts.push(h('p', { class: 'muted', 'data-testid': 'notice-waiting' }, t(key)));
    }
    return h('section', { class: 'card notice-actions', 'data-testid': 'notice-actions', 'aria-label': t('notice.actions') },
      h('h2', {}, t('notice.actions')), message, parts);
  }

  async function draw() {
    const { notice: n, overdue } = await api(`/api/v1/company-notices/${encodeURIComponent(params.id)}`);
    if (!root.isConnected) return;
    const fact = (key, ...value) => [h('dt', {}, t(key)), h('dd', {}, ...value)];
    root.dataset.state = n.state;
    root.dataset.version = String(n.version);
    root.replaceChildren(
      h('p', {}, h('a', { href: '#/notices' }, t('notice.back'))),
      h('h1', { 'data-testid': 'notice-title' }, t('notice.one'), ' ', userText(deptName(depts, n.companyID))),
      h('div', { class: 'notice-layout' },
        h('div', {},
          h('section', { class: 'card' }, h('dl', { class: 'facts', 'data-testid': 'notice-facts' },
            fact('notice.id', userText(n.id)),
            fact('notice.col.company', userText(deptName(depts, n.companyID))),
            fact('notice.col.day', n.day),
            fact('notice.col.issued', fmtTime(n.issuedAt)),
            fact('notice.col.due', h('span', { 'data-testid': 'notice-due' }, fmtTime(n.dueAt)), overdue ? [' ', overdueBadge()] : null),
            fact('notice.col.state', stateBadge(n.state)),
            fact('notice.col.events', countBadges(n.counts)))),
          actions(n)),
        h('div', {}, replySection(n))),
      h('section', { class: 'card', 'aria-label': t('notice.events') }, h('h2', {}, t('notice.events')), eventTable(n)));
  }

  await draw();
}, { roles: READERS, title: 'notice.one' });
