// The AI review queue: the candidates the cameras' detections were grouped into, filtered by state,
// type, camera and sampling, each with its first snapshot; a candidate opens beside the list to be accepted, rejected
// or merged (detections-detail.js); below, the precision the review decisions measure by type, camera and model.
// The queue follows the live feed's `candidate` events (a candidate opened, grown by more detections, reviewed or
// filed automatically, on any node): it is read again at most once a second, new rows marked, and the candidate open
// beside it says when it was decided elsewhere.
import { api, errorText, fmtTime, h, live, route, t, userText } from '../core.js';
import { STATES, candidateBadge, pct, showCandidate, snapshotImage, typeName } from './detections-detail.js';

const READERS = ['operator', 'shiftlead', 'dispatcher', 'inspector', 'leader', 'admin'];
/** The least time between two reads of the queue the live feed causes. */
const LIVE_REFRESH_MS = 1000;

/** A precision table: `label(row)` names the row; the figures of PrecisionFigures as the API writes them. */
function precisionTable(rows, testid, heads, label) {
  if (!rows.length) return h('p', { class: 'muted', 'data-testid': `${testid}-none` }, t('precision.none'));
  const cols = ['reviewed', 'truePositives', 'falsePositives', 'precision', 'lowerBound', 'sampled'];
  return h('div', { class: 'table-wrap' }, h('table', { class: 'det-precision', 'data-testid': testid },
    h('thead', {}, h('tr', {}, heads.map((k) => h('th', { scope: 'col' }, t(`precision.col.${k}`))),
      cols.map((k) => h('th', { scope: 'col', class: 'num' }, t(`precision.col.${k}`))))),
    h('tbody', {}, rows.map((r) => {
      const f = r.figures;
      return h('tr', { 'data-testid': 'precision-row', dataset: { type: r.type || '', camera: r.camera || '', model: r.model || '', reviewed: String(f.reviewed) } },
        label(r).map((cell) => h('th', { scope: 'row' }, cell)),
        h('td', { class: 'num', 'data-testid': 'precision-reviewed' }, String(f.reviewed)),
        h('td', { class: 'num' }, String(f.truePositives)), h('td', { class: 'num' }, String(f.falsePositives)),
        h('td', { class: 'num', 'data-testid': 'precision-rate' }, pct(f.precision)), h('td', { class: 'num' }, pct(f.lowerBound)),
        h('td', { class: 'num' }, f.sampledReviewed ? t('precision.sampledValue', { rate: pct(f.sampledPrecision), n: f.sampledReviewed }) : '—'));
    }))));
}

route('/detections', async (main, { query }) => {
  const [cameraList, policies] = await Promise.all([api('/api/v1/cameras'), api('/api/v1/detection-policies')]);
  const cameras = new Map(cameraList.map((c) => [c.camera.id, c]));
  const cameraName = (id) => cameras.get(id)?.camera.name || id;
  const images = new Map();

  // ---- filters ----
  const opt = (value, label) => h('option', { value }, label);
  const state = h('select', { id: 'det-filter-state', 'data-testid': 'det-filter-state' }, STATES.map((s) => opt(s, t(`detection.state.${s}`))));
  state.value = STATES.includes(query.state) ? query.state : 'pending';
  const type = h('select', { id: 'det-filter-type', 'data-testid': 'det-filter-type' }, opt('', t('detection.any')),
    Object.keys(policies).sort().map((k) => opt(k, typeName(k))));
  const camera = h('select', { id: 'det-filter-camera', 'data-testid': 'det-filter-camera' }, opt('', t('detection.any')),
    cameraList.map((c) => opt(c.camera.id, c.camera.name)));
  if (query.type && policies[query.type]) type.value = query.type;
  if (query.camera && cameras.has(query.camera)) camera.value = query.camera;
  const sampled = h('input', { type: 'checkbox', id: 'det-filter-sampled', 'data-testid': 'det-filter-sampled' });
  const cell = (control, key) => h('div', { class: 'field' }, h('label', { for: control.id }, t(key)), control);
  const filters = h('form', { class: 'card det-filters', role: 'search', 'aria-label': t('detection.filters'), onsubmit: (e) => e.preventDefault() },
    cell(state, 'detection.filter.state'), cell(type, 'detection.filter.type'), cell(camera, 'detection.filter.camera'),
    h('div', { class: 'field det-check' }, h('label', { for: sampled.id }, sampled, ' ', t('detection.filter.sampled'))),
    h('button', { type: 'button', 'data-testid': 'det-refresh', onclick: () => { load(); loadPrecision(); } }, t('common.refresh')));
  [state, type, camera, sampled].forEach((c) => c.addEventListener('change', () => load()));

  // ---- the queue ----
  const count = h('span', { class: 'muted', 'data-testid': 'det-count' });
  const error = h('p', { class: 'error', role: 'alert' });
  const body = h('tbody', {});
  const table = h('table', { class: 'det-list', id: 'det-list', 'data-testid': 'det-list' },
    h('thead', {}, h('tr', {}, ['snapshot', 'type', 'camera', 'zone', 'count', 'firstSeen', 'lastSeen', 'bestScore', 'state']
      .map((k) => h('th', { scope: 'col' }, t(`detection.col.${k}`))), h('th', { scope: 'col' }, h('span', { class: 'intake-sr' }, t('detection.open'))))),
    body);
  const tableWrap = h('div', { class: 'table-wrap' }, table);
  const empty = h('p', { class: 'muted', 'data-testid': 'det-empty', hidden: true }, t('detection.none'));
  const pane = h('section', { class: 'card det-detail', 'data-testid': 'det-detail', 'aria-label': t('detection.detail'), hidden: true, tabindex: '-1' });

  function open(id) {
    body.querySelectorAll('tr[aria-selected]').forEach((tr) => tr.removeAttribute('aria-selected'));
    body.querySelector(`tr[data-id="${CSS.escape(id)}"]`)?.setAttribute('aria-selected', 'true');
    showCandidate(pane, id, { cameras, images, onReviewed: () => { load(); loadPrecision(); } })
      .then(() => pane.focus({ preventScroll: true }))
      .catch((e) => pane.replaceChildren(h('p', { class: 'error', role: 'alert' }, errorText(e))));
  }

  function row({ candidate: c }, fresh) {
    const name = cameraName(c.key.cameraID);
    const openButton = h('button', {
      type: 'button', class: 'link', 'data-testid': 'det-open',
      'aria-label': t('detection.openLabel', { type: typeName(c.key.type), camera: name }),
      onclick: (e) => { e.stopPropagation(); open(c.id); },
    }, t('detection.open'));
    return h('tr', {
      'data-testid': 'det-row', class: fresh ? 'det-row det-fresh' : 'det-row', dataset: { id: c.id, state: c.state.status, type: c.key.type, fresh: fresh ? 'true' : null },
      onclick: () => open(c.id),
    },
      h('td', { class: 'det-thumb' }, snapshotImage(c.id, c.snapshots[0]?.mediaID, t('detection.col.snapshot'), images, { loading: 'lazy' }, true)),
      h('td', {}, h('strong', { 'data-testid': 'det-type' }, typeName(c.key.type)),
        c.key.sampled ? [' ', h('span', { class: 'badge det-sampled', title: t('detection.sampledHint'), 'data-testid': 'det-sampled' }, t('detection.sampled'))] : null),
      h('td', {}, userText(name)),
      h('td', {}, c.key.zoneID ? userText(c.key.zoneID) : t('detection.wholePicture')),
      h('td', { class: 'num', 'data-testid': 'det-count' }, String(c.count)),
      h('td', { class: 'det-when' }, fmtTime(c.firstSeen)), h('td', { class: 'det-when' }, fmtTime(c.lastSeen)),
      h('td', { class: 'num' }, pct(c.bestScore)),
      h('td', {}, candidateBadge(c.state)),
      h('td', {}, openButton));
  }

  // Loads overlap (a filter changed twice, a review done); only the latest may paint.
  let loads = 0;
  // The candidates shown under the current filters: a later read of the same filters marks the others as new.
  let shown = { query: null, ids: new Set() };
  async function load() {
    const mine = ++loads;
    const q = new URLSearchParams({ state: state.value, limit: '200' });
    if (type.value) q.set('type', type.value);
    if (camera.value) q.set('camera', camera.value);
    if (sampled.checked) q.set('sampled', 'true');
    try {
      const list = await api(`/api/v1/detection-candidates?${q}`);
      if (mine !== loads) return;
      error.textContent = '';
      const same = shown.query === q.toString();
      body.replaceChildren(...list.map((r) => row(r, same && !shown.ids.has(r.candidate.id))));
      shown = { query: q.toString(), ids: new Set(list.map((r) => r.candidate.id)) };
      body.querySelector(`tr[data-id="${CSS.escape(pane.dataset.id || '')}"]`)?.setAttribute('aria-selected', 'true');
      empty.hidden = list.length > 0;
      tableWrap.hidden = list.length === 0;
      count.textContent = t('detection.count', { n: list.length });
      table.dataset.count = String(list.length);
    } catch (e) { if (mine === loads) error.textContent = errorText(e); }
  }

  // ---- precision ----
  const precision = h('div', { 'data-testid': 'precision' });
  async function loadPrecision() {
    try {
      const p = await api('/api/v1/detection-precision');
      precision.replaceChildren(
        h('h3', {}, t('precision.byType')), precisionTable(p.byType, 'precision-by-type', ['type'], (r) => [typeName(r.type)]),
        h('h3', {}, t('precision.byCamera')), precisionTable(p.byCamera, 'precision-by-camera', ['camera'], (r) => [userText(cameraName(r.camera))]),
        h('h3', {}, t('precision.byTypeModel')),
        precisionTable(p.byTypeAndModel, 'precision-by-type-model', ['type', 'model'], (r) => [typeName(r.type), userText(r.model)]));
    } catch (e) { precision.replaceChildren(h('p', { class: 'error', role: 'alert' }, errorText(e))); }
  }

  // ---- live ----
  const feed = h('span', { class: 'muted small det-live', role: 'status', 'data-testid': 'det-live', dataset: { live: 'connecting' } }, t('detection.live.connecting'));
  let refreshTimer = null;
  let lastRefresh = 0;
  let precisionDue = false;
  let opened = false;
  /** Reads the queue again within a second, once for every event that came meanwhile. */
  function refreshSoon(decided) {
    precisionDue = precisionDue || decided;
    if (refreshTimer) return;
    refreshTimer = setTimeout(() => {
      refreshTimer = null;
      lastRefresh = Date.now();
      load();
      if (precisionDue) { precisionDue = false; loadPrecision(); }
    }, Math.max(0, LIVE_REFRESH_MS - (Date.now() - lastRefresh)));
  }
  /** The candidate open beside the queue: its count follows; a decision made elsewhere is said, with a reload. */
  function notePane(ev) {
    if (pane.hidden || pane.dataset.id !== ev.id) return;
    const n = pane.querySelector('[data-testid=det-detail-count]');
    if (n && Number.isInteger(ev.count)) n.textContent = String(ev.count);
    const before = pane.querySelector('.facts [data-testid=det-state]')?.dataset.state;
    if (!before || before === ev.status || pane.querySelector('[data-testid=det-changed]')) return;
    pane.querySelector('[data-testid=det-detail-title]')?.after(h('p', { class: 'det-changed', role: 'status', 'data-testid': 'det-changed' },
      t('detection.changedElsewhere', { state: t(`detection.state.${ev.status}`) }), ' ',
      h('button', { type: 'button', class: 'link', onclick: () => open(ev.id) }, t('detection.reload'))));
  }
  const showFeed = (state) => { feed.dataset.live = state; feed.textContent = t(`detection.live.${state}`); };
  const stopLive = live((ev) => {
    if (ev.type !== 'candidate') return;
    notePane(ev);
    refreshSoon(ev.status !== 'pending');
  }, {
    types: ['candidate'],
    onOpen: () => {
      showFeed('on');
      // Reconnected: what changed while the feed was down comes with one more read.
      if (opened) refreshSoon(true);
      opened = true;
    },
    onError: () => showFeed('off'),
  });

  main.append(h('div', { class: 'staff-page det-page' },
    h('h1', {}, t('detection.title')),
    filters,
    h('div', { class: 'det-layout' },
      h('section', { class: 'card det-queue', 'aria-label': t('detection.queue') }, h('h2', {}, t('detection.queue')), h('p', { class: 'det-status' }, count, ' · ', feed),
        error, empty, tableWrap),
      pane),
    h('section', { class: 'card', 'aria-label': t('precision.title') }, h('h2', {}, t('precision.title')),
      h('p', { class: 'muted small' }, t('precision.hint')), precision)));
  await Promise.all([load(), loadPrecision()]);
  if (query.open) open(query.open);
  return () => {
    stopLive();
    clearTimeout(refreshTimer);
    images.forEach((url) => url.then((u) => URL.revokeObjectURL(u), () => {}));
  };
}, { roles: READERS, title: 'detection.title' });
