// #/tasks for department handlers: the department's tasks — dispatched, in progress and rework — by deadline
// (overdue first, in red) with countdowns; accept in one click, report the result with photos, ask for an extension,
// return a wrong dispatch, or give assisting feedback. Finished tasks leave the list; new dispatches appear live.
import { api, countdown, departments, errorText, fmtTime, h, route, session, stateBadge, t, toast, userText } from '../core.js';
import { actionName, actionPanel, takeAction } from './actions.js';
import { byDeadline, caseLink, debounce, liveWithStatus, deptName, matterNames, placeNamer, syncList, urgencyName } from './case-util.js';

const STATES = 'dispatched,in_progress,return_requested';
const FILTERS = ['all', 'accept', 'progress', 'rework', 'overdue', 'assisting'];

/** Which filter chips a task belongs to. */
function kinds(c, dept) {
  const k = new Set(['all']);
  const lead = c.leadDepartmentID === dept;
  if (!lead) k.add('assisting');
  if (lead && c.state === 'dispatched') k.add('accept');
  if (lead && c.state === 'in_progress') k.add(c.reworkCount ? 'rework' : 'progress');
  if (c.stepDueAt && Date.parse(c.stepDueAt) < Date.now()) k.add('overdue');
  return k;
}

route('/tasks', async (main) => {
  const user = session.user;
  const dept = user.departmentID;
  // The page's root goes in at once: a page left before its data arrived stays detached and draws nothing.
  const root = h('div', { class: 'staff-page tasks-page', 'data-testid': 'tasks-page' }, h('p', { class: 'muted' }, t('common.loading')));
  main.append(root);
  const [depts, matter, place] = await Promise.all([departments(), matterNames(), placeNamer()]);
  if (!root.isConnected) return undefined;
  let filter = 'all';
  let items = [];
  const list = h('div', { class: 'work-list task-list', 'data-testid': 'task-list', 'aria-live': 'polite' });
  const empty = h('p', { class: 'muted empty', 'data-testid': 'tasks-empty', hidden: true }, t('tasks.empty'));
  const status = h('p', { class: 'live-status muted', role: 'status', 'data-testid': 'live-status' }, t('dispatch.connecting'));
  const chips = new Map();
  const chipBar = h('div', { class: 'chips', role: 'group', 'aria-label': t('tasks.filter') }, FILTERS.map((f) => {
    const count = h('span', { class: 'tab-count', 'data-testid': `tasks-count-${f}` }, '0');
    const b = h('button', {
      type: 'button', class: 'chip', 'aria-pressed': String(f === filter), 'data-testid': `tasks-filter-${f}`,
      onclick: () => { filter = f; for (const [k, c] of chips) c.button.setAttribute('aria-pressed', String(k === f)); applyFilter(); },
    }, t(`tasks.filter.${f}`), ' ', count);
    chips.set(f, { button: b, count });
    return b;
  }));
  root.replaceChildren(
    h('header', { class: 'page-head' },
      h('h1', {}, t('tasks.title'), dept ? h('span', { class: 'muted dept-name' }, ` · ${deptName(depts, dept)}`) : null), status,
      h('button', { type: 'button', id: 'tasks-refresh', onclick: () => refresh() }, t('common.refresh'))),
    h('p', { class: 'error', role: 'alert', hidden: !!dept }, dept ? '' : t('tasks.noDepartment')),
    chipBar, empty, list);

  const applyFilter = () => {
    let shown = 0;
    for (const el of list.children) {
      const on = (el.dataset.kinds || '').split(' ').includes(filter);
      el.hidden = !on;
      if (on) shown += 1;
    }
    empty.hidden = shown > 0;
    empty.textContent = items.length ? t('tasks.emptyFilter') : t('tasks.empty');
  };

  /** Opens one action's form under a task card (loading the case's detail for the actions allowed now). */
  const openForm = async (c, slot, action, button) => {
    if (slot.dataset.action === action) { slot.replaceChildren(); delete slot.dataset.action; button.setAttribute('aria-expanded', 'false'); return; }
    slot.closest('.work-item').querySelectorAll('[aria-expanded]').forEach((b) => b.setAttribute('aria-expanded', 'false'));
    button.setAttribute('aria-expanded', 'true');
    slot.dataset.action = action;
    slot.replaceChildren(h('p', { class: 'muted' }, t('common.loading')));
    try {
      const detail = await api(`/api/v1/cases/${encodeURIComponent(c.id)}`);
      if (!detail.availableActions.includes(action)) {
        slot.replaceChildren(h('p', { class: 'error', role: 'alert' }, t('tasks.notNow', { action: actionName(action), state: t(`state.${detail.case.state}`) })));
        return;
      }
      slot.replaceChildren(actionPanel(detail, {
        only: [action], open: action, heading: false,
        onDone: () => { slot.replaceChildren(); delete slot.dataset.action; refresh(); },
      }));
    } catch (e) {
      slot.replaceChildren(h('p', { class: 'error', role: 'alert' }, errorText(e)));
    }
  };

  const card = (c) => {
    const lead = c.leadDepartmentID === dept;
    const overdue = c.stepDueAt && Date.parse(c.stepDueAt) < Date.now();
    const slot = h('div', { class: 'row-more' });
    const error = h('p', { class: 'field-error', role: 'alert', 'data-testid': 'row-error' });
    const formButton = (action, cls, testid) => {
      const b = h('button', { type: 'button', class: cls, 'aria-expanded': 'false', 'data-testid': testid }, actionName(action));
      b.addEventListener('click', () => openForm(c, slot, action, b));
      return b;
    };
    const accept = h('button', { type: 'button', class: 'primary', 'data-testid': 'task-accept' }, actionName('accept'));
    accept.addEventListener('click', async () => {
      error.textContent = '';
      accept.disabled = true;
      try {
        await takeAction(c.id, 'accept', {});
        toast(t('action.doneToast', { action: actionName('accept'), number: c.number }), 'ok');
        await refresh();
      } catch (e) {
        error.textContent = errorText(e);
      } finally {
        accept.disabled = false;
      }
    });
    const buttons = [];
    if (c.state === 'return_requested') {
      buttons.push(h('p', { class: 'muted', 'data-testid': 'task-waiting' }, t('tasks.waitingReturn')));
    } else if (lead) {
      if (c.state === 'dispatched') buttons.push(accept);
      if (c.state === 'in_progress') buttons.push(formButton('report_handled', 'primary', 'task-report'));
      if (!c.pendingExtensionHours) buttons.push(formButton('request_extension', '', 'task-extension'));
      buttons.push(formButton('request_return', 'danger', 'task-return'));
    } else {
      buttons.push(formButton('assist_feedback', 'primary', 'task-assist'));
    }
    const el = h('article', {
      class: `work-item task${overdue ? ' overdue' : ''}${c.reworkCount ? ' rework' : ''}`, 'data-testid': 'task', 'data-case': c.id,
      'data-number': c.number, 'data-state': c.state, 'data-version': String(c.version), 'data-kinds': [...kinds(c, dept)].join(' '),
    },
    h('div', { class: 'task-due' }, c.stepDueAt ? [countdown(c.stepDueAt), h('div', { class: 'muted small' }, fmtTime(c.stepDueAt))] : t('dispatch.noDeadline')),
    h('div', { class: 'work-main' },
      h('div', { class: 'work-title' }, caseLink(c), ' ', stateBadge(c.state),
        c.reworkCount ? h('span', { class: 'badge rework', 'data-testid': 'task-rework' }, t('case.reworkBadge', { n: c.reworkCount })) : null,
        !lead ? h('span', { class: 'badge assisting' }, t('tasks.assisting')) : null,
        c.urgency && c.urgency !== 'normal' ? h('span', { class: `badge urgency-${c.urgency}` }, urgencyName(c.urgency)) : null,
        c.supervised ? h('span', { class: 'badge supervised' }, t('case.supervisedBadge')) : null,
        c.urgeCount ? h('span', { class: 'badge urged' }, t('tasks.urged', { n: c.urgeCount })) : null,
        c.pendingExtensionHours ? h('span', { class: 'badge pending', 'data-testid': 'task-pending-extension' }, t('tasks.extensionPending', { h: c.pendingExtensionHours })) : null),
      h('div', { class: 'work-matter' }, h('strong', {}, matter(c.matterCode)), ' · ', userText(c.description)),
      h('div', { class: 'work-place muted' }, c.address ? [userText(c.address), ' · '] : '', place(c.placement))),
    h('div', { class: 'work-actions' }, h('div', { class: 'row-controls' }, buttons), error),
    slot);
    return el;
  };

  /** A kept card is rebuilt when its case changed, unless a form is open in it. */
  const update = (el, c) => {
    if (el.dataset.version !== String(c.version) && !el.querySelector('.action-form')) return card(c);
    el.classList.toggle('overdue', !!c.stepDueAt && Date.parse(c.stepDueAt) < Date.now());
    el.dataset.kinds = [...kinds(c, dept)].join(' ');
    return null;
  };

  let first = true;
  const refresh = async () => {
    try {
      const page = await api(`/api/v1/cases?state=${STATES}&limit=1000`);
      items = page.items.filter((c) => c.leadDepartmentID === dept || (c.assistingDepartmentIDs || []).includes(dept));
      items.sort((a, b) => (a.state === 'return_requested') - (b.state === 'return_requested') || byDeadline(a, b));
      const fresh = syncList(list, items, (c) => c.id, card, update);
      const counts = Object.fromEntries(FILTERS.map((f) => [f, 0]));
      for (const c of items) for (const k of kinds(c, dept)) counts[k] += 1;
      for (const [f, { count }] of chips) count.textContent = String(counts[f]);
      if (fresh.length && !first) toast(t('tasks.newTasks', { n: fresh.length }), 'info');
      first = false;
      applyFilter();
    } catch (e) {
      toast(errorText(e), 'error');
    }
  };
  const again = debounce(refresh, 400);
  // Live feed and timer stop themselves if the page went away without its cleanup being run.
  const stop = liveWithStatus(status, (ev) => {
    if (!root.isConnected) { cleanup(); return; }
    if (ev.type !== 'case') return;
    if (ev.departmentID === dept || items.some((c) => c.id === ev.id)) again();
  });
  const timer = setInterval(() => (root.isConnected ? refresh() : cleanup()), 120000);
  function cleanup() { stop(); again.cancel(); clearInterval(timer); }
  refresh();
  return cleanup;
}, { roles: ['handler'], title: 'tasks.title' });
