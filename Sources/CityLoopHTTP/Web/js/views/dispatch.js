// #/dispatch for dispatchers and shift leads: cases awaiting dispatch (with the responsibility list's suggested
// department and one-click dispatch), return requests, extension requests and suspended cases, each answerable in
// place; the lists follow the live feed. #/deadlines lives in case-deadlines.js.
import { api, countdown, departments, errorText, fmtTime, h, route, session, stateBadge, t, toast, userText } from '../core.js';
import { actionName, actionPanel, takeAction } from './actions.js';
import {
  byDeadline, caseLink, debounce, departmentSelect, liveWithStatus, deptName, lastEvent, matterNames, placeNamer, suggestion, syncList, tabBar, urgencyName,
} from './case-util.js';
import './case-deadlines.js';

const TABS = ['pending', 'returns', 'extensions', 'suspended'];
const WATCHED = new Set(['pending_dispatch', 'return_requested', 'suspended', 'dispatched', 'in_progress']);
const EXTENSION_ACTIONS = new Set(['request_extension', 'approve_extension', 'refuse_extension']);

/** Every case in some states (paged through, up to `max`). */
async function casesIn(states, max = 3000) {
  const items = [];
  for (let offset = 0; offset < max; offset += 1000) {
    const page = await api(`/api/v1/cases?state=${states}&limit=1000&offset=${offset}`);
    items.push(...page.items);
    if (items.length >= page.total || !page.items.length) break;
  }
  return items;
}

/** What each tab lists. */
const SOURCES = {
  pending: () => casesIn('pending_dispatch'),
  returns: () => casesIn('return_requested'),
  extensions: async () => (await casesIn('dispatched,in_progress')).filter((c) => c.pendingExtensionHours),
  suspended: () => casesIn('suspended'),
};

route('/dispatch', async (main) => {
  const role = session.user.role;
  const canDispatch = role === 'dispatcher';
  // The page's root goes in at once: a page left before its data arrived stays detached and draws nothing.
  const root = h('div', { class: 'staff-page dispatch-page', 'data-testid': 'dispatch-page' }, h('p', { class: 'muted' }, t('common.loading')));
  main.append(root);
  const [depts, matter, place] = await Promise.all([departments(), matterNames(), placeNamer()]);
  if (!root.isConnected) return undefined;
  const lists = {};
  const panels = {};
  const empty = {};
  const status = h('p', { class: 'live-status muted', role: 'status', 'data-testid': 'live-status' }, t('dispatch.connecting'));
  const tabs = tabBar(TABS.map((id) => ({ id, label: t(`dispatch.tab.${id}`) })), {
    idPrefix: 'dispatch', label: t('dispatch.title'),
    onSelect: (id) => {
      for (const k of TABS) panels[k].hidden = k !== id;
      history.replaceState(null, '', `#/dispatch?tab=${id}`);
    },
  });
  for (const id of TABS) {
    lists[id] = h('div', { class: 'work-list', 'data-testid': `list-${id}` });
    empty[id] = h('p', { class: 'muted empty', 'data-testid': `empty-${id}`, hidden: true }, t(`dispatch.empty.${id}`));
    panels[id] = h('section', {
      role: 'tabpanel', id: `dispatch-panel-${id}`, 'aria-labelledby': `dispatch-tab-${id}`, class: 'tab-panel', hidden: true, tabindex: '0',
    }, h('p', { class: 'muted tab-help' }, t(`dispatch.help.${id}`)), empty[id], lists[id]);
  }
  root.replaceChildren(
    h('header', { class: 'page-head' }, h('h1', {}, t('dispatch.title')), status,
      h('button', { type: 'button', id: 'dispatch-refresh', class: 'no-print', onclick: () => refresh() }, t('common.refresh'))),
    tabs.element, ...TABS.map((id) => panels[id]));

  const refresh = async (only = TABS) => {
    await Promise.all(only.map(async (id) => {
      try {
        const items = (await SOURCES[id]()).sort(byDeadline);
        tabs.setCount(id, items.length);
        empty[id].hidden = items.length > 0;
        const fresh = syncList(lists[id], items, (c) => c.id, (c) => item(id, c), (el, c) => update(el, c));
        if (fresh.length && id === 'pending') toast(t('dispatch.newPending', { n: fresh.length }), 'info');
      } catch (e) {
        toast(errorText(e), 'error');
      }
    }));
  };

  /** Updates a kept row's changing parts (deadline, counters). */
  const update = (el, c) => {
    const due = el.querySelector('.due');
    if (due && due.dataset.due !== (c.stepDueAt || '')) due.replaceWith(dueCell(c));
  };

  const dueCell = (c) => h('span', { class: 'due', 'data-due': c.stepDueAt || '' },
    c.stepDueAt ? [h('span', { class: 'muted' }, `${t('dispatch.due')} ${fmtTime(c.stepDueAt)} `), countdown(c.stepDueAt)] : t('dispatch.noDeadline'));

  /** One case in a tab: its summary, the one-click answers and an expandable full action panel. */
  const item = (tab, c) => {
    const error = h('p', { class: 'field-error', role: 'alert', 'data-testid': 'row-error' });
    const more = h('div', { class: 'row-more' });
    const reason = h('div', { class: 'row-reason' });
    const art = h('article', { class: `work-item tab-${tab}${c.noOwner ? ' no-owner' : ''}`, 'data-testid': 'work-item', 'data-case': c.id, 'data-number': c.number },
      h('div', { class: 'work-main' },
        h('div', { class: 'work-title' }, caseLink(c), ' ', stateBadge(c.state),
          c.noOwner ? h('span', { class: 'badge no-owner' }, t('case.noOwner')) : null,
          c.urgency && c.urgency !== 'normal' ? h('span', { class: `badge urgency-${c.urgency}` }, urgencyName(c.urgency)) : null,
          c.supervised ? h('span', { class: 'badge supervised' }, t('case.supervisedBadge')) : null,
          c.reworkCount ? h('span', { class: 'badge rework' }, t('case.reworkBadge', { n: c.reworkCount })) : null),
        h('div', { class: 'work-matter' }, h('strong', {}, matter(c.matterCode)), ' · ', userText(c.description)),
        h('div', { class: 'work-place muted' }, c.address ? [userText(c.address), ' · '] : '', place(c.placement)),
        h('div', { class: 'work-meta' }, dueCell(c),
          c.leadDepartmentID ? h('span', { class: 'dept' }, `${t('dispatch.department')} ${deptName(depts, c.leadDepartmentID)}`) : null,
          tab === 'extensions' ? h('strong', { class: 'ext-hours', 'data-testid': 'ext-hours' }, t('dispatch.extensionHours', { h: c.pendingExtensionHours })) : null,
          tab === 'suspended' && c.suspendedAt ? h('span', {}, t('case.suspendedSince', { at: fmtTime(c.suspendedAt) })) : null),
        reason),
      h('div', { class: 'work-actions' }, controls(tab, c, error, more), error),
      more);
    if (tab !== 'pending') loadReason(tab, c, reason);
    return art;
  };

  /** The handler's reason for a return or extension, or the suspension's reason, from the case's timeline. */
  const loadReason = async (tab, c, el) => {
    try {
      const detail = await api(`/api/v1/cases/${encodeURIComponent(c.id)}`);
      const ev = lastEvent(detail, { returns: 'request_return', extensions: 'request_extension', suspended: 'suspend' }[tab]);
      if (ev) {
        el.replaceChildren(h('span', { class: 'muted' }, `${t(`dispatch.reason.${tab}`)} · `, userText(ev.actorName), ` · ${fmtTime(ev.at)}`),
          h('blockquote', { 'data-testid': 'row-reason' }, userText(ev.comment) || t('dispatch.noReason')));
      }
    } catch { /* the row works without it */ }
  };

  /** Opens (or closes) the full action panel under a row; `open` names the form to open. */
  const toggleMore = async (c, slot, button, open) => {
    if (slot.childElementCount && !open) { slot.replaceChildren(); button.setAttribute('aria-expanded', 'false'); return; }
    button.setAttribute('aria-expanded', 'true');
    slot.replaceChildren(h('p', { class: 'muted' }, t('common.loading')));
    try {
      const detail = await api(`/api/v1/cases/${encodeURIComponent(c.id)}`);
      slot.replaceChildren(actionPanel(detail, { open, heading: false, onDone: () => { slot.replaceChildren(); refresh(); } }));
    } catch (e) {
      slot.replaceChildren(h('p', { class: 'error' }, errorText(e)));
    }
  };

  /** A one-click action button: posts, shows the API's message in the row on failure, refreshes on success. */
  const quick = (c, action, label, cls, error, body = () => ({}), testid = `quick-${action}`) => {
    const b = h('button', { type: 'button', class: cls, 'data-testid': testid }, label);
    b.addEventListener('click', async () => {
      error.textContent = '';
      b.disabled = true;
      try {
        await takeAction(c.id, action, body());
        toast(t('action.doneToast', { action: actionName(action), number: c.number }), 'ok');
        b.closest('.work-item')?.classList.add('done');
        refresh();
      } catch (e) {
        error.textContent = errorText(e);
        if (e.field) b.closest('.work-item')?.querySelector(`[name="${e.field}"]`)?.setAttribute('aria-invalid', 'true');
      } finally {
        b.disabled = false;
      }
    });
    return b;
  };

  const controls = (tab, c, error, more) => {
    const moreButton = h('button', { type: 'button', class: 'link more', 'aria-expanded': 'false', 'data-testid': 'row-more' }, t('dispatch.more'));
    moreButton.addEventListener('click', () => toggleMore(c, more, moreButton));
    const openForm = (action, label, cls) => {
      const b = h('button', { type: 'button', class: cls, 'data-testid': `open-${action}` }, label);
      b.addEventListener('click', () => toggleMore(c, more, moreButton, action));
      return b;
    };
    if (!canDispatch) return h('div', { class: 'row-controls' }, moreButton);
    if (tab === 'pending') {
      const select = departmentSelect(depts, { auto: true, testid: 'dispatch-department' });
      select.setAttribute('aria-label', t('action.department'));
      const hint = h('span', { class: 'suggestion muted', 'data-testid': 'suggestion' }, t('common.loading'));
      suggestion(c).then((s) => {
        if (s) {
          select.value = s.departmentID;
          hint.textContent = t('dispatch.suggested', { department: deptName(depts, s.departmentID) });
          hint.dataset.department = s.departmentID;
        } else {
          hint.textContent = t('dispatch.noSuggestion');
          hint.classList.add('warn');
        }
      });
      select.addEventListener('change', () => select.removeAttribute('aria-invalid'));
      // After an approved return: who gave it back, beside the suggestion (often the same department).
      const returned = c.returnedByDepartmentID
        ? h('span', { class: 'returned-by warn', 'data-testid': 'returned-by', dataset: { department: c.returnedByDepartmentID } },
          t('dispatch.returnedBy', { department: deptName(depts, c.returnedByDepartmentID) }))
        : null;
      return h('div', { class: 'row-controls' }, returned, hint, select,
        quick(c, 'dispatch', t('action.dispatch'), 'primary', error, () => (select.value ? { departmentID: select.value } : {}), 'dispatch-go'),
        moreButton);
    }
    if (tab === 'returns') {
      return h('div', { class: 'row-controls' },
        quick(c, 'approve_return', t('action.approve_return'), 'primary', error),
        openForm('refuse_return', t('action.refuse_return'), 'danger'), moreButton);
    }
    if (tab === 'extensions') {
      return h('div', { class: 'row-controls' },
        quick(c, 'approve_extension', t('action.approve_extension'), 'primary', error),
        openForm('refuse_extension', t('action.refuse_extension'), 'danger'), moreButton);
    }
    return h('div', { class: 'row-controls' }, quick(c, 'resume', t('action.resume'), 'primary', error), moreButton);
  };

  const soon = debounce((tabsToRefresh) => refresh(tabsToRefresh), 500);
  // Live feed and timer stop themselves if the page went away without its cleanup being run.
  const stop = liveWithStatus(status, (ev) => {
    if (!root.isConnected) { cleanup(); return; }
    if (ev.type !== 'case') return;
    if (WATCHED.has(ev.state) || WATCHED.has(ev.previousState) || EXTENSION_ACTIONS.has(ev.action)) soon();
  });
  const timer = setInterval(() => (root.isConnected ? refresh() : cleanup()), 120000);
  function cleanup() { stop(); soon.cancel(); clearInterval(timer); }

  const asked = new URLSearchParams(location.hash.split('?')[1] || '').get('tab');
  tabs.select(TABS.includes(asked) ? asked : 'pending');
  refresh();
  return cleanup;
}, { roles: ['dispatcher', 'shiftlead'], title: 'dispatch.title' });
