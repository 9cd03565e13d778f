// Intake and filing: the intake queue of every channel (cases awaiting filing or verification, and reports whose address
// could not be placed), kept current by the live feed, with the case form, the placing form and the new-report
// form next to it.
import { api, countdown, entryName, catalog, fmtTime, h, live, route, stateBadge, t, userText } from '../core.js';
import { caseForm } from './intake-form.js';
import { sourceName, sources } from './intake-matter.js';
import { newReportForm, unplacedForm } from './intake-new.js';

const queueStates = ['pending_filing', 'pending_verification'];
const limit = 200;

/** Names of districts and streets by code (for the queue's rows). */
async function areaNames() {
  const [districts, streets] = await Promise.all([
    api('/api/v1/areas?level=district', { auth: false }), api('/api/v1/areas?level=street', { auth: false })]);
  return new Map([...districts, ...streets].map((a) => [a.code, a.name]));
}

/** Moves focus among the item buttons of a list with the arrow keys, Home and End (Enter opens the item). */
function arrowKeys(list) {
  list.addEventListener('keydown', (e) => {
    if (!['ArrowDown', 'ArrowUp', 'Home', 'End'].includes(e.key)) return;
    const items = [...list.querySelectorAll('.queue-open')];
    const i = items.indexOf(document.activeElement);
    if (i < 0) return;
    e.preventDefault();
    const j = e.key === 'Home' ? 0 : e.key === 'End' ? items.length - 1 : Math.min(items.length - 1, Math.max(0, i + (e.key === 'ArrowDown' ? 1 : -1)));
    items.forEach((b, k) => b.setAttribute('tabindex', k === j ? '0' : '-1'));
    items[j].focus();
  });
}

route('/intake', async (main, { query }) => {
  const [cat, areas] = await Promise.all([catalog(), areaNames().catch(() => new Map())]);
  const st = {
    cases: new Map(), total: 0, unplaced: [], fresh: new Set(), newCount: 0, selected: null, form: null, closed: false,
    tab: query.tab === 'unplaced' ? 'unplaced' : 'cases',
    filters: { source: sources.includes(query.source) ? query.source : '', state: queueStates.includes(query.state) ? query.state : '', text: '', sort: 'due' },
  };
  const baseTitle = document.title;

  // ---- page frame ----
  const banner = h('button', { type: 'button', class: 'intake-banner', id: 'intake-new-banner', 'data-testid': 'intake-new-banner', hidden: true, onclick: showFresh });
  const announcer = h('div', { class: 'intake-sr', 'aria-live': 'polite', 'data-testid': 'intake-announce' });
  const liveState = h('span', { class: 'intake-live', 'data-testid': 'intake-live', dataset: { state: 'connecting' } }, t('intake.live.connecting'));
  const pane = h('section', { class: 'intake-detail', id: 'intake-detail', 'aria-label': t('intake.detail') });
  const tabCases = h('button', { type: 'button', role: 'tab', id: 'intake-tab-cases', 'data-testid': 'intake-tab-cases', 'aria-controls': 'intake-panel-cases' });
  const tabUnplaced = h('button', { type: 'button', role: 'tab', id: 'intake-tab-unplaced', 'data-testid': 'intake-tab-unplaced', 'aria-controls': 'intake-panel-unplaced' });
  const caseList = h('ul', { class: 'queue-list', id: 'intake-queue-list', 'data-testid': 'intake-queue', 'aria-label': t('intake.queue.cases') });
  const unplacedList = h('ul', { class: 'queue-list', id: 'intake-unplaced-list', 'data-testid': 'intake-unplaced', 'aria-label': t('intake.queue.unplaced') });
  const caseCount = h('p', { class: 'muted', id: 'intake-count', 'data-testid': 'intake-count', 'aria-live': 'polite' });
  const unplacedCount = h('p', { class: 'muted', 'data-testid': 'intake-unplaced-count' });
  arrowKeys(caseList);
  arrowKeys(unplacedList);

  const sourceSel = h('select', { id: 'intake-filter-source', 'data-testid': 'intake-filter-source' },
    h('option', { value: '' }, t('intake.filter.allSources')), sources.map((s) => h('option', { value: s, selected: st.filters.source === s }, sourceName(s))));
  const stateSel = h('select', { id: 'intake-filter-state', 'data-testid': 'intake-filter-state' },
    h('option', { value: '' }, t('intake.filter.allStates')), queueStates.map((s) => h('option', { value: s, selected: st.filters.state === s }, t(`state.${s}`))));
  const textInput = h('input', { type: 'search', id: 'intake-filter-text', 'data-testid': 'intake-filter-text', autocomplete: 'off', placeholder: t('intake.filter.textHint') });
  const sortSel = h('select', { id: 'intake-sort', 'data-testid': 'intake-sort' },
    ['due', 'newest', 'oldest'].map((s) => h('option', { value: s }, t(`intake.sort.${s}`))));
  sourceSel.addEventListener('change', () => { st.filters.source = sourceSel.value; loadCases(); });
  stateSel.addEventListener('change', () => { st.filters.state = stateSel.value; loadCases(); });
  textInput.addEventListener('input', () => { st.filters.text = textInput.value.trim().toLowerCase(); renderCases(); });
  sortSel.addEventListener('change', () => { st.filters.sort = sortSel.value; renderCases(); });
  const lbl = (id, key) => h('label', { for: id }, t(key));

  const panelCases = h('div', { role: 'tabpanel', id: 'intake-panel-cases', 'aria-labelledby': 'intake-tab-cases' },
    h('div', { class: 'intake-filters' },
      h('div', {}, lbl('intake-filter-source', 'intake.filter.source'), sourceSel),
      h('div', {}, lbl('intake-filter-state', 'intake.filter.state'), stateSel),
      h('div', {}, lbl('intake-filter-text', 'intake.filter.text'), textInput),
      h('div', {}, lbl('intake-sort', 'intake.filter.sort'), sortSel)),
    caseCount, caseList);
  const panelUnplaced = h('div', { role: 'tabpanel', id: 'intake-panel-unplaced', 'aria-labelledby': 'intake-tab-unplaced' },
    h('p', { class: 'muted' }, t('intake.unplaced.intro')), unplacedCount, unplacedList);
  const tabs = h('div', { role: 'tablist', class: 'intake-tabs', 'aria-label': t('intake.queue.label') }, tabCases, tabUnplaced);
  tabs.addEventListener('keydown', (e) => {
    if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
    e.preventDefault();
    setTab(st.tab === 'cases' ? 'unplaced' : 'cases');
    (st.tab === 'cases' ? tabCases : tabUnplaced).focus();
  });
  tabCases.addEventListener('click', () => setTab('cases'));
  tabUnplaced.addEventListener('click', () => setTab('unplaced'));

  main.append(
    h('div', { class: 'intake-head' },
      h('h1', {}, t('intake.title')), banner, liveState,
      h('div', { class: 'intake-head-actions' },
        h('button', { type: 'button', class: 'primary', id: 'intake-new-report', 'data-testid': 'intake-new-report', onclick: openNew }, t('intake.newReport')),
        h('button', { type: 'button', id: 'intake-refresh', 'data-testid': 'intake-refresh', onclick: () => reload(true) }, t('common.refresh')))),
    h('div', { class: 'intake-layout' },
      h('section', { class: 'intake-queue', 'aria-label': t('intake.queue.label') }, tabs, panelCases, panelUnplaced),
      pane),
    announcer);
  placeholder();

  // ---- rendering ----
  function placeholder(text = t('intake.detail.empty')) {
    pane.replaceChildren(h('div', { class: 'intake-empty card' }, h('p', {}, text)));
  }

  function setTab(tab) {
    st.tab = tab;
    tabCases.setAttribute('aria-selected', String(tab === 'cases'));
    tabUnplaced.setAttribute('aria-selected', String(tab === 'unplaced'));
    tabCases.tabIndex = tab === 'cases' ? 0 : -1;
    tabUnplaced.tabIndex = tab === 'unplaced' ? 0 : -1;
    panelCases.hidden = tab !== 'cases';
    panelUnplaced.hidden = tab !== 'unplaced';
  }

  function tabLabels() {
    const fc = [...st.cases.keys()].filter((id) => st.fresh.has(id)).length;
    const fu = st.unplaced.filter((u) => st.fresh.has(u.id)).length;
    const label = (key, n, fresh, testid) => [t(key), ' ', h('span', { class: 'badge', 'data-testid': testid }, String(n)),
      fresh ? h('span', { class: 'badge intake-fresh-badge' }, t('intake.newShort', { n: fresh })) : ''];
    tabCases.replaceChildren(...label('intake.tab.cases', st.cases.size, fc, 'intake-cases-badge'));
    tabUnplaced.replaceChildren(...label('intake.tab.unplaced', st.unplaced.length, fu, 'intake-unplaced-badge'));
    banner.hidden = st.newCount === 0;
    banner.textContent = t('intake.newCount', { n: st.newCount });
    document.title = st.newCount ? `(${st.newCount}) ${baseTitle}` : baseTitle;
  }

  const matterOf = (code) => { const e = cat.matter(code); return e ? entryName(e) : code; };
  const visibleCases = () => {
    const q = st.filters.text;
    const list = [...st.cases.values()].filter((c) => !q || [c.number, c.description, c.address, c.matterCode, matterOf(c.matterCode)]
      .some((v) => v && String(v).toLowerCase().includes(q)));
    const time = (v, dflt) => (v ? new Date(v).getTime() : dflt);
    if (st.filters.sort === 'due') list.sort((a, b) => time(a.stepDueAt, Infinity) - time(b.stepDueAt, Infinity));
    else if (st.filters.sort === 'newest') list.sort((a, b) => time(b.createdAt, 0) - time(a.createdAt, 0));
    else list.sort((a, b) => time(a.createdAt, 0) - time(b.createdAt, 0));
    return list;
  };

  /** Re-renders a list keeping the focused item focused. */
  function keepFocus(list, draw) {
    const focusedID = list.contains(document.activeElement) ? document.activeElement.closest('li')?.dataset.id : null;
    draw();
    const buttons = [...list.querySelectorAll('.queue-open')];
    let tabStop = buttons.find((b) => b.getAttribute('aria-current') === 'true') || buttons[0];
    if (focusedID) {
      const again = list.querySelector(`li[data-id="${CSS.escape(focusedID)}"] .queue-open`);
      if (again) { tabStop = again; again.focus(); }
    }
    buttons.forEach((b) => b.setAttribute('tabindex', b === tabStop ? '0' : '-1'));
  }

  function renderCases() {
    const list = visibleCases();
    keepFocus(caseList, () => caseList.replaceChildren(...list.map((c) => {
      const fresh = st.fresh.has(c.id);
      const current = st.selected?.kind === 'case' && st.selected.id === c.id;
      const where = [areas.get(c.placement?.districtCode), areas.get(c.placement?.streetCode)].filter(Boolean).join(' · ');
      return h('li', {
        class: `queue-item${fresh ? ' fresh' : ''}${current ? ' current' : ''}`, id: `queue-${c.id}`, 'data-testid': 'queue-item',
        dataset: { id: c.id, caseId: c.id, number: c.number, state: c.state, source: c.source },
      },
      h('button', { type: 'button', class: 'queue-open', 'aria-current': current ? 'true' : null, onclick: () => selectCase(c.id) },
        h('span', { class: 'queue-line queue-first' }, h('strong', {}, c.number), ' ', stateBadge(c.state), ' ',
          h('span', { class: 'badge intake-source' }, sourceName(c.source)),
          c.urgency && c.urgency !== 'normal' ? h('span', { class: `badge urgency-${c.urgency}` }, t(`intake.urgency.${c.urgency}`)) : null,
          fresh ? h('span', { class: 'badge intake-fresh-badge' }, t('intake.new')) : null),
        h('span', { class: 'queue-line' }, `${c.matterCode} ${matterOf(c.matterCode)}`),
        h('span', { class: 'queue-line muted' }, userText(c.address), c.address && where ? ' — ' : null, where || null),
        h('span', { class: 'queue-line queue-when muted' }, fmtTime(c.createdAt), c.stepDueAt ? [' · ', countdown(c.stepDueAt)] : null,
          c.evidence?.length ? [' · ', t('intake.queue.photos', { n: c.evidence.length })] : null)),
      h('a', { class: 'queue-link', href: `#/case/${encodeURIComponent(c.id)}`, tabindex: '-1', 'aria-label': t('intake.queue.casePage', { number: c.number }) }, t('intake.queue.casePageShort')));
    })));
    if (!list.length) caseList.append(h('li', { class: 'muted queue-empty' }, t('intake.queue.empty')));
    caseCount.textContent = st.total > st.cases.size
      ? t('intake.queue.countOf', { n: list.length, total: st.total }) : t('intake.queue.count', { n: list.length });
    tabLabels();
  }

  function renderUnplaced() {
    keepFocus(unplacedList, () => unplacedList.replaceChildren(...st.unplaced.map((u) => {
      let input = {};
      try { input = typeof u.input === 'string' ? JSON.parse(u.input || '{}') : (u.input || {}); } catch { /* shown without details */ }
      const fresh = st.fresh.has(u.id);
      const current = st.selected?.kind === 'unplaced' && st.selected.id === u.id;
      return h('li', { class: `queue-item${fresh ? ' fresh' : ''}${current ? ' current' : ''}`, 'data-testid': 'unplaced-item', dataset: { id: u.id } },
        h('button', { type: 'button', class: 'queue-open', 'aria-current': current ? 'true' : null, onclick: () => selectUnplaced(u.id) },
          h('span', { class: 'queue-line queue-first' }, h('strong', {}, userText(u.address)), fresh ? h('span', { class: 'badge intake-fresh-badge' }, t('intake.new')) : null),
          h('span', { class: 'queue-line' }, input.matterCode ? `${input.matterCode} ${matterOf(input.matterCode)}` : ''),
          h('span', { class: 'queue-line muted' }, userText((input.description || '').slice(0, 80))),
          h('span', { class: 'queue-line muted' }, fmtTime(u.receivedAt), ' · ', input.source ? sourceName(input.source) : userText(u.actor?.name))));
    })));
    if (!st.unplaced.length) unplacedList.append(h('li', { class: 'muted queue-empty' }, t('intake.unplaced.empty')));
    unplacedCount.textContent = t('intake.unplaced.count', { n: st.unplaced.length });
    tabLabels();
  }

  function announce(text) {
    announcer.textContent = '';
    setTimeout(() => { announcer.textContent = text; }, 50);
  }

  function addFresh(id, text) {
    st.fresh.add(id);
    st.newCount += 1;
    announce(text);
  }

  function showFresh() {
    st.newCount = 0;
    const tab = [...st.cases.keys()].some((id) => st.fresh.has(id)) || !st.unplaced.some((u) => st.fresh.has(u.id)) ? 'cases' : 'unplaced';
    setTab(tab);
    tabLabels();
    const list = tab === 'cases' ? caseList : unplacedList;
    const first = list.querySelector('.queue-item.fresh .queue-open') || list.querySelector('.queue-open');
    list.scrollTop = 0;
    if (first) first.focus();
  }

  // ---- loading ----
  const matches = (c) => (st.filters.state ? c.state === st.filters.state : queueStates.includes(c.state))
    && (!st.filters.source || c.source === st.filters.source);

  async function loadCases(mark = false) {
    const params = new URLSearchParams({ state: st.filters.state || queueStates.join(','), limit: String(limit) });
    if (st.filters.source) params.set('source', st.filters.source);
    const res = await api(`/api/v1/cases?${params}`);
    if (st.closed) return;
    const before = new Set(st.cases.keys());
    st.cases = new Map(res.items.map((c) => [c.id, c]));
    st.total = res.total;
    if (mark) for (const c of res.items) if (!before.has(c.id)) addFresh(c.id, t('intake.announce.case', { number: c.number, source: sourceName(c.source), matter: matterOf(c.matterCode) }));
    renderCases();
  }

  async function loadUnplaced(mark = false) {
    let list = [];
    try { list = await api(`/api/v1/unplaced?limit=${limit}`); } catch { list = []; }
    if (st.closed) return;
    const before = new Set(st.unplaced.map((u) => u.id));
    st.unplaced = list;
    if (mark) for (const u of list) if (!before.has(u.id)) addFresh(u.id, t('intake.announce.unplaced', { address: u.address }));
    renderUnplaced();
  }

  async function reload(mark = false) { await Promise.all([loadCases(mark), loadUnplaced(mark)]); }

  // ---- the detail pane ----
  function closeForm() { st.form?.destroy(); st.form = null; }
  function remember(q) { history.replaceState(null, '', `#/intake${q ? `?${q}` : ''}`); }
  function clearSelection() { closeForm(); st.selected = null; remember(''); renderCases(); renderUnplaced(); placeholder(); }

  async function selectCase(id) {
    closeForm();
    st.selected = { kind: 'case', id };
    if (st.fresh.delete(id)) st.newCount = Math.max(0, st.newCount - 1);
    renderCases();
    remember(`case=${encodeURIComponent(id)}`);
    const box = h('div', {});
    pane.replaceChildren(box);
    try {
      const form = await caseForm(box, id, { onDone: acted, onClose: clearSelection, onReload: () => selectCase(id) });
      if (box.isConnected) st.form = form; else form.destroy();
    } catch (e) {
      if (box.isConnected) box.replaceChildren(h('p', { class: 'error', role: 'alert' }, e.message));
    }
  }

  async function selectUnplaced(id) {
    const entry = st.unplaced.find((u) => u.id === id);
    if (!entry) return;
    closeForm();
    st.selected = { kind: 'unplaced', id };
    if (st.fresh.delete(id)) st.newCount = Math.max(0, st.newCount - 1);
    renderUnplaced();
    remember('tab=unplaced');
    const box = h('div', {});
    pane.replaceChildren(box);
    const form = await unplacedForm(box, entry, { onPlaced: placed, onClose: clearSelection });
    if (box.isConnected) st.form = form; else form.destroy();
  }

  async function openNew() {
    closeForm();
    st.selected = { kind: 'new' };
    renderCases();
    renderUnplaced();
    const box = h('div', {});
    pane.replaceChildren(box);
    const form = await newReportForm(box, { open: (id) => { setTab('cases'); selectCase(id); }, onClose: clearSelection });
    if (box.isConnected) st.form = form; else form.destroy();
  }

  /** After an intake action: the case leaves the queue (or stays with its new state) and the next one is offered. */
  function acted(id, detail, action) {
    const order = visibleCases().map((c) => c.id);
    const at = order.indexOf(id);
    const c = detail.case;
    if (matches(c)) st.cases.set(id, c);
    else { st.cases.delete(id); st.total = Math.max(0, st.total - 1); }
    st.fresh.delete(id);
    closeForm();
    st.selected = null;
    remember('');
    renderCases();
    const rest = visibleCases().map((x) => x.id).filter((x) => x !== id);
    const next = rest[Math.min(Math.max(at, 0), rest.length - 1)];
    donePane(t(`intake.done.${action}`, { number: c.number, state: t(`state.${c.state}`) }), next ? () => selectCase(next) : null,
      next ? st.cases.get(next).number : null);
  }

  function placed(id, result) {
    st.unplaced = st.unplaced.filter((u) => u.id !== id);
    st.fresh.delete(id);
    closeForm();
    st.selected = null;
    remember('tab=unplaced');
    renderUnplaced();
    const c = result.case;
    if (matches(c) && !st.cases.has(c.id)) { st.cases.set(c.id, c); st.total += 1; renderCases(); }
    const next = st.unplaced[0];
    donePane(t('intake.unplaced.placed', { number: c.number }), next ? () => selectUnplaced(next.id) : null, next ? next.address : null, c.id);
  }

  function donePane(message, next, nextLabel, caseID = null) {
    const nextButton = next ? h('button', { type: 'button', class: 'primary', id: 'intake-next', 'data-testid': 'intake-next', onclick: next }, t('intake.next', { item: nextLabel })) : null;
    pane.replaceChildren(h('div', { class: 'intake-empty card', 'data-testid': 'intake-done' },
      h('p', { class: 'intake-done', tabindex: '-1' }, message),
      caseID ? h('p', {}, h('a', { href: `#/case/${encodeURIComponent(caseID)}` }, t('intake.form.openCase'))) : null,
      nextButton || h('p', { class: 'muted' }, t('intake.queue.empty'))));
    (nextButton || pane.querySelector('.intake-done')).focus();
  }

  // ---- live feed ----
  async function onEvent(ev) {
    if (st.closed) return;
    if (ev.type === 'unplaced') { await loadUnplaced(true); return; }
    if (ev.type !== 'case') return;
    // A placed report becomes a new case without an event of its own: refresh the list of reports to place.
    if (!ev.previousState && st.unplaced.length) loadUnplaced(false).catch(() => {});
    const have = st.cases.get(ev.id);
    const mine = st.form && st.form.caseID === ev.id;
    if (have) {
      if (mine && st.form.busy) return; // our own action; its reply updates the queue
      if (!queueStates.includes(ev.state) || (st.filters.state && ev.state !== st.filters.state)) {
        st.cases.delete(ev.id);
        st.total = Math.max(0, st.total - 1);
        st.fresh.delete(ev.id);
        if (mine) st.form.changedElsewhere(ev.state);
      } else if (have.state !== ev.state) {
        st.cases.set(ev.id, { ...have, state: ev.state, stepDueAt: ev.stepDueAt || have.stepDueAt });
        if (mine) st.form.changedElsewhere(ev.state);
        // Verified on site: it now waits for filing, so it is news for the operator.
        else if (ev.state === 'pending_filing') addFresh(ev.id, t('intake.announce.verified', { number: have.number }));
      }
      renderCases();
      return;
    }
    if (!queueStates.includes(ev.state)) return;
    let c;
    try { c = (await api(`/api/v1/cases/${encodeURIComponent(ev.id)}`)).case; } catch { return; }
    if (st.closed || st.cases.has(c.id) || !matches(c)) return;
    st.cases.set(c.id, c);
    st.total += 1;
    addFresh(c.id, t('intake.announce.case', { number: c.number, source: sourceName(c.source), matter: matterOf(c.matterCode) }));
    renderCases();
  }
  const stop = live(onEvent, {
    onOpen: () => { liveState.dataset.state = 'open'; liveState.textContent = t('intake.live.open'); },
  });
  // A safety net for events missed while the feed reconnected.
  const timer = setInterval(() => { if (!document.hidden) reload(true).catch(() => {}); }, 120000);

  setTab(st.tab);
  await reload(false);
  if (query.case) selectCase(query.case);

  return () => {
    st.closed = true;
    stop();
    clearInterval(timer);
    closeForm();
    document.title = baseTitle;
  };
}, { roles: ['operator', 'shiftlead'], title: 'intake.title' });
