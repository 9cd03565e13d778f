// The inspector's phone pages: the task list of verifications and checks in their grids,
// nearest first, updated live; the report form (inspector-report.js) and the task screen (inspector-task.js).
import { api, catalog, countdown, entryName, errorText, h, live, route, stateBadge, t, toast, userText } from '../core.js';
import { TASK_STATES, distance, fmtDistance, here, locateMe, locationGranted, outboxStatus, taskKind } from './inspector-parts.js';
import './inspector-report.js';
import './inspector-task.js';

route('/inspector', async (main) => {
  const cat = await catalog();
  let items = [];
  let filter = 'all';
  const fresh = new Set();
  const status = outboxStatus();
  const list = h('ul', { class: 'fd-tasks', id: 'task-list', 'data-testid': 'task-list', 'aria-live': 'polite' });
  const summary = h('p', { class: 'fd-small', id: 'task-summary', 'data-testid': 'task-summary' });
  const where = h('p', { class: 'fd-small', id: 'task-where', 'data-testid': 'task-where' });
  const liveState = h('span', { class: 'fd-live', id: 'task-live', 'data-testid': 'task-live' }, t('inspector.tasks.connecting'));
  const filters = h('div', { class: 'fd-segments', role: 'group', 'aria-label': t('inspector.tasks.filter') });

  function drawFilters() {
    const counts = { all: items.length, verify: items.filter((c) => taskKind(c.state) === 'verify').length };
    counts.check = counts.all - counts.verify;
    filters.replaceChildren(...['all', 'verify', 'check'].map((k) => h('button', {
      type: 'button', class: 'fd-segment', 'aria-pressed': String(filter === k), 'data-testid': `task-filter-${k}`,
      onclick: () => { filter = k; draw(); },
    }, t(`inspector.tasks.filter.${k}`, { n: counts[k] }))));
  }

  function sorted() {
    const shown = items.filter((c) => filter === 'all' || taskKind(c.state) === filter);
    for (const c of shown) c.distance = here.value && c.point ? distance(here.value, c.point) : null;
    return shown.sort((a, b) => (here.value ? a.distance - b.distance : 0) || String(a.stepDueAt).localeCompare(String(b.stepDueAt)));
  }

  function draw() {
    drawFilters();
    const shown = sorted();
    summary.textContent = t('inspector.tasks.summary', { n: items.length });
    where.textContent = here.value
      ? t('inspector.tasks.nearest', { m: Math.round(here.value.accuracy || 0) })
      : t('inspector.tasks.byDeadline');
    list.replaceChildren(...(shown.length ? shown.map((c) => {
      const kind = taskKind(c.state);
      return h('li', {},
        h('a', {
          class: `fd-task ${fresh.has(c.id) ? 'fresh' : ''}`, href: `#/inspector/task/${encodeURIComponent(c.id)}`,
          'data-testid': 'task-item', dataset: { id: c.id, number: c.number, kind },
        },
        h('div', { class: 'fd-task-head' },
          h('span', { class: `fd-kind ${kind}` }, t(`inspector.kind.${kind}`)),
          fresh.has(c.id) ? h('span', { class: 'fd-new' }, t('inspector.tasks.new')) : null,
          c.distance !== null && c.distance !== undefined ? h('span', { class: 'fd-distance', 'data-testid': 'task-distance' }, fmtDistance(c.distance)) : null),
        h('strong', { class: 'fd-task-title' }, entryName(cat.matter(c.matterCode)) || c.matterCode),
        h('span', { class: 'fd-task-desc' }, userText(c.address || c.description)),
        h('div', { class: 'fd-task-foot' }, h('span', { class: 'muted' }, c.number), stateBadge(c.state), c.stepDueAt ? countdown(c.stepDueAt) : null)));
    }) : [h('li', { class: 'fd-empty', 'data-testid': 'task-empty' }, t(filter === 'all' ? 'inspector.tasks.none' : 'inspector.tasks.noneOfKind'))]));
  }

  async function load() {
    try {
      const reply = await api(`/api/v1/cases?state=${TASK_STATES.join(',')}&limit=500`);
      items = reply.items;
      draw();
    } catch (e) {
      list.replaceChildren(h('li', { class: 'error', role: 'alert' }, navigator.onLine ? errorText(e) : t('inspector.tasks.offline')));
    }
  }

  async function findMe(ask) {
    if (!ask && !(await locationGranted())) return;
    where.textContent = t('inspector.loc.asking');
    try { here.value = await locateMe(); } catch (e) { if (ask) toast(errorText(e), 'error'); }
    draw();
  }

  let timer = null;
  const reloadSoon = () => { clearTimeout(timer); timer = setTimeout(load, 400); };
  const stop = live((ev) => {
    if (ev.type !== 'case') return;
    const listed = items.some((c) => c.id === ev.id);
    if (TASK_STATES.includes(ev.state) && !listed) {
      fresh.add(ev.id);
      toast(t('inspector.tasks.arrived', { kind: t(`inspector.kind.${taskKind(ev.state)}`), number: ev.number }), 'info');
      reloadSoon();
    } else if (listed) {
      reloadSoon();
    }
  }, { onOpen: () => { liveState.textContent = t('inspector.tasks.live'); liveState.classList.add('on'); } });

  main.append(h('div', { class: 'fd-page' },
    h('div', { class: 'fd-header' },
      h('h1', {}, t('inspector.tasks.title')),
      status.element),
    h('a', { class: 'fd-button primary fd-big', href: '#/inspector/report', id: 'goto-report', 'data-testid': 'goto-report' }, t('inspector.tasks.report')),
    h('div', { class: 'fd-toolbar' },
      filters,
      h('button', { type: 'button', class: 'fd-button', id: 'task-locate', 'data-testid': 'task-locate', onclick: () => findMe(true) }, t('inspector.tasks.locate')),
      h('button', { type: 'button', class: 'fd-button', id: 'task-refresh', 'data-testid': 'task-refresh', onclick: load }, t('common.refresh'))),
    h('div', { class: 'fd-row fd-small' }, summary, liveState),
    where,
    list));
  draw();
  await load();
  findMe(false);
  const online = () => load();
  window.addEventListener('online', online);
  // The live feed brings new tasks at once; a slow poll covers a feed that cannot connect (a proxy, a phone waking up).
  const poll = setInterval(() => { if (navigator.onLine && document.visibilityState === 'visible') load(); }, 60000);
  return () => { stop(); status.dispose(); clearTimeout(timer); clearInterval(poll); window.removeEventListener('online', online); };
}, { roles: ['inspector'], title: 'inspector.tasks.title' });
