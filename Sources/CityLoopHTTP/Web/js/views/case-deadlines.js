// #/deadlines for dispatchers, shift leads and leaders: overdue and soon-due cases (GET /api/v1/cases/deadlines) with
// live countdowns, grouped by department (or, before dispatch, by the role acting next), with urge and supervise.
import { api, countdown, departments, errorText, fmtTime, h, roleName, route, session, stateBadge, t, toast } from '../core.js';
import { actionName, takeAction } from './actions.js';
import { caseLink, debounce, deptName, liveWithStatus, matterNames, placeNamer, sortedDepartments } from './case-util.js';

/** Who acts next in a state (as CaseState.nextRole). */
const NEXT_ROLE = {
  pending_verification: 'inspector', pending_check: 'inspector', pending_filing: 'operator', handled: 'operator',
  self_handled: 'shiftlead', pending_close: 'shiftlead', pending_dispatch: 'dispatcher', return_requested: 'dispatcher',
  suspended: 'dispatcher', dispatched: 'handler', in_progress: 'handler',
};
const URGE = new Set(['shiftlead', 'leader', 'dispatcher']);
const SUPERVISE = new Set(['leader', 'shiftlead']);

route('/deadlines', async (main, { query }) => {
  const role = session.user.role;
  // The page's root goes in at once: a page left before its data arrived stays detached and draws nothing.
  const root = h('div', { class: 'staff-page deadlines-page', 'data-testid': 'deadlines-page' }, h('p', { class: 'muted' }, t('common.loading')));
  main.append(root);
  const [depts, matter, place] = await Promise.all([departments(), matterNames(), placeNamer()]);
  if (!root.isConnected) return undefined;
  const deptFilter = h('select', { id: 'deadlines-department', 'data-testid': 'deadlines-department' },
    h('option', { value: '' }, t('dispatch.allDepartments')),
    sortedDepartments(depts).map((d) => h('option', { value: d.id }, deptName(depts, d.id))));
  const roleFilter = h('select', { id: 'deadlines-role', 'data-testid': 'deadlines-role' },
    h('option', { value: '' }, t('dispatch.allRoles')),
    ['operator', 'inspector', 'dispatcher', 'handler', 'shiftlead'].map((r) => h('option', { value: r }, roleName(r))));
  deptFilter.value = query.department || '';
  roleFilter.value = query.role || '';
  const status = h('p', { class: 'live-status muted', role: 'status', 'data-testid': 'live-status' }, t('dispatch.connecting'));
  const summary = h('div', { class: 'deadline-summary', 'data-testid': 'deadlines-summary' });
  const overdue = h('div', { class: 'deadline-groups', 'data-testid': 'deadlines-overdue' });
  const soon = h('div', { class: 'deadline-groups', 'data-testid': 'deadlines-soon' });
  const onFilter = () => {
    const q = new URLSearchParams();
    if (deptFilter.value) q.set('department', deptFilter.value);
    if (roleFilter.value) q.set('role', roleFilter.value);
    history.replaceState(null, '', `#/deadlines${q.toString() ? `?${q}` : ''}`);
    refresh();
  };
  deptFilter.addEventListener('change', onFilter);
  roleFilter.addEventListener('change', onFilter);

  root.replaceChildren(
    h('header', { class: 'page-head' }, h('h1', {}, t('dispatch.deadlines.title')), status,
      h('button', { type: 'button', id: 'deadlines-refresh', onclick: () => refresh() }, t('common.refresh'))),
    h('div', { class: 'filters' },
      h('div', { class: 'field' }, h('label', { for: deptFilter.id }, t('dispatch.department')), deptFilter),
      h('div', { class: 'field' }, h('label', { for: roleFilter.id }, t('dispatch.nextRole')), roleFilter)),
    summary,
    h('section', { class: 'deadline-section overdue', 'aria-labelledby': 'deadlines-overdue-h' },
      h('h2', { id: 'deadlines-overdue-h' }, t('dispatch.deadlines.overdue')), overdue),
    h('section', { class: 'deadline-section soon', 'aria-labelledby': 'deadlines-soon-h' },
      h('h2', { id: 'deadlines-soon-h' }, t('dispatch.deadlines.soon')), soon));

  /** A one-click urge or supervise button; the row shows the API's message on failure. */
  const actButton = (c, action, error) => {
    const b = h('button', { type: 'button', class: action === 'supervise' ? 'warn-button' : '', 'data-testid': `deadline-${action}` }, actionName(action));
    b.addEventListener('click', async () => {
      error.textContent = '';
      b.disabled = true;
      try {
        await takeAction(c.id, action, { comment: t(`dispatch.${action}Comment`) });
        toast(t('action.doneToast', { action: actionName(action), number: c.number }), 'ok');
        refresh();
      } catch (e) {
        error.textContent = errorText(e);
      } finally {
        b.disabled = false;
      }
    });
    return b;
  };

  const row = (c) => {
    const error = h('span', { class: 'field-error', role: 'alert' });
    return h('tr', { 'data-testid': 'deadline-row', 'data-case': c.id, 'data-key': c.id },
      h('td', {}, caseLink(c)),
      h('td', {}, stateBadge(c.state)),
      h('td', {}, matter(c.matterCode), h('div', { class: 'muted small' }, place(c.placement))),
      h('td', {}, h('div', {}, fmtTime(c.stepDueAt)), countdown(c.stepDueAt)),
      h('td', { class: 'num' }, c.urgeCount || 0, c.supervised ? h('span', { class: 'badge supervised' }, t('case.supervisedBadge')) : null),
      h('td', {}, h('div', { class: 'row-actions' },
        URGE.has(role) ? actButton(c, 'urge', error) : null,
        SUPERVISE.has(role) && !c.supervised ? actButton(c, 'supervise', error) : null, error)));
  };

  /** Groups cases by lead department, or by the role acting next when none is responsible yet; largest first. */
  const groups = (cases) => {
    const by = new Map();
    for (const c of cases) {
      const key = c.leadDepartmentID ? `d:${c.leadDepartmentID}` : `r:${NEXT_ROLE[c.state] || 'none'}`;
      if (!by.has(key)) by.set(key, []);
      by.get(key).push(c);
    }
    return [...by.entries()].sort((a, b) => b[1].length - a[1].length);
  };

  const render = (container, cases, kind) => {
    const focusKey = container.contains(document.activeElement) ? document.activeElement.closest('[data-key]')?.dataset.key : null;
    const focusTestid = document.activeElement?.dataset?.testid;
    if (!cases.length) { container.replaceChildren(h('p', { class: 'muted', 'data-testid': `deadlines-${kind}-empty` }, t(`dispatch.deadlines.${kind}Empty`))); return; }
    container.replaceChildren(...groups(cases).map(([key, list]) => {
      const name = key.startsWith('d:') ? deptName(depts, key.slice(2))
        : t('dispatch.group.role', { role: key === 'r:none' ? t('common.none') : roleName(key.slice(2)) });
      return h('section', { class: 'deadline-group', 'data-testid': 'deadline-group', 'data-group': key },
        h('h3', {}, name, ' ', h('span', { class: 'count' }, `(${list.length})`)),
        h('table', { class: 'deadline-table' },
          h('thead', {}, h('tr', {}, ['case.number', 'case.state', 'case.matter', 'dispatch.due', 'case.urges', 'dispatch.actions']
            .map((k) => h('th', { scope: 'col' }, t(k))))),
          h('tbody', {}, list.map(row))));
    }));
    if (focusKey) container.querySelector(`[data-key="${CSS.escape(focusKey)}"] [data-testid="${focusTestid}"]`)?.focus();
  };

  const refresh = async () => {
    try {
      const q = new URLSearchParams();
      if (deptFilter.value) q.set('department', deptFilter.value);
      if (roleFilter.value) q.set('role', roleFilter.value);
      const list = await api(`/api/v1/cases/deadlines${q.toString() ? `?${q}` : ''}`);
      const due = list.dueSoon || list.soon || [];
      const total = list.overdueTotal ?? list.overdue.length;
      summary.replaceChildren(...[
        h('div', { class: 'stat overdue' }, h('span', { class: 'n', 'data-testid': 'overdue-total' }, total), t('dispatch.deadlines.overdueCount')),
        h('div', { class: 'stat soon' }, h('span', { class: 'n', 'data-testid': 'soon-total' }, due.length), t('dispatch.deadlines.soonCount')),
        total > list.overdue.length ? h('p', { class: 'muted' }, t('dispatch.deadlines.shown', { n: list.overdue.length, total })) : null,
        h('p', { class: 'muted' }, t('dispatch.updatedAt', { at: fmtTime(list.now || new Date().toISOString()) }))].filter(Boolean));
      render(overdue, list.overdue, 'overdue');
      render(soon, due, 'soon');
    } catch (e) {
      toast(errorText(e), 'error');
    }
  };
  const again = debounce(refresh, 1000);
  // Live feed and timer stop themselves if the page went away without its cleanup being run.
  const stop = liveWithStatus(status, (ev) => {
    if (!root.isConnected) { cleanup(); return; }
    if (ev.type === 'case') again();
  });
  const timer = setInterval(() => (root.isConnected ? refresh() : cleanup()), 60000);
  function cleanup() { stop(); again.cancel(); clearInterval(timer); }
  refresh();
  return cleanup;
}, { roles: ['dispatcher', 'shiftlead', 'leader'], title: 'dispatch.deadlines.title' });
