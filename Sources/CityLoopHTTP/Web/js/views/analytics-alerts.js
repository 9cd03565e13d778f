// The early warnings on the analytics page: newest first, each with what was seen against what was expected,
// and for leaders, shift leads and admins a button turning it into a supervision task (a case for an inspector to
// check on site). New warnings from the live feed appear at the top without a reload.
import { api, busy, errorText, fmtTime, h, live, session, t, toast } from '../core.js';
import { syncList } from './case-util.js';
import { majorName } from './intake-matter.js';
import { num } from './analytics-charts.js';

const TASK_ROLES = ['leader', 'shiftlead', 'admin'];

/** The alerts card's contents. Answers `{element, load(), close()}`. */
export function alertsView() {
  const canTask = TASK_ROLES.includes(session.user?.role);
  const list = h('ol', { class: 'an-alerts', id: 'an-alerts', 'data-testid': 'an-alerts' });
  const empty = h('p', { class: 'muted', id: 'an-alerts-empty', hidden: true }, t('analytics.alerts.none'));
  const status = h('p', { class: 'live-status muted', id: 'an-live', 'data-testid': 'an-live', 'data-state': 'connecting', role: 'status' }, t('analytics.alerts.connecting'));
  const announce = h('p', { class: 'intake-sr', 'aria-live': 'assertive', id: 'an-alerts-announce' });
  const error = h('p', { class: 'error', role: 'alert' });
  const scan = canTask ? h('button', { type: 'button', id: 'an-scan', 'data-testid': 'an-scan', onclick: (e) => busy(e.currentTarget, scanNow) }, t('analytics.alerts.scan')) : null;

  const area = (a) => (a.area ? a.areaName || a.area : t('analytics.wholeCity'));
  const matter = (a) => (a.matter.length === 2 ? majorName(a.matter, a.matterName) : a.matterName || a.matter);

  function taskPart(a) {
    if (a.taskCaseID) {
      return h('p', { class: 'an-task', 'data-testid': 'an-alert-task' }, t('analytics.alerts.taskMade'), ' ',
        h('a', { href: `#/case/${encodeURIComponent(a.taskCaseID)}`, 'data-testid': 'an-alert-task-link' }, a.taskCaseNumber || a.taskCaseID));
    }
    if (!canTask) return null;
    return h('button', {
      type: 'button', class: 'primary', 'data-testid': 'an-alert-make-task', 'aria-label': t('analytics.alerts.makeTaskFor', { area: area(a), matter: matter(a) }),
      onclick: (e) => busy(e.currentTarget, () => makeTask(a, e.currentTarget)),
    }, t('analytics.alerts.makeTask'));
  }

  function item(a) {
    return h('li', { class: `an-alert severity-${a.severity}`, 'data-testid': 'an-alert', dataset: { id: a.id, severity: a.severity, task: a.taskCaseID || '' } },
      h('div', { class: 'an-alert-head' },
        h('span', { class: `badge an-severity severity-${a.severity}` }, t(`analytics.severity.${a.severity}`)),
        h('strong', {}, `${area(a)} \u00B7 ${matter(a)}`),
        h('span', { class: 'muted' }, t('analytics.alerts.window', { from: fmtTime(a.from), to: fmtTime(a.to) }))),
      h('p', {}, t('analytics.alerts.figures', { observed: num(a.observed), expected: num(a.expected, 1), ratio: num(a.ratio, 2), p: Number(a.pValue).toPrecision(2) })),
      h('p', { class: 'muted small' }, t('analytics.alerts.raised', { at: fmtTime(a.raisedAt) })),
      h('div', { class: 'an-alert-task' }, taskPart(a)));
  }

  async function makeTask(a, button) {
    const done = await api(`/api/v1/analytics/alerts/${encodeURIComponent(a.id)}/task`, { method: 'POST' });
    const li = button.closest('li');
    const fresh = item(done);
    fresh.dataset.key = a.id;
    li.replaceWith(fresh);
    toast(t('analytics.alerts.taskToast', { number: done.taskCaseNumber }), 'ok');
    fresh.querySelector('[data-testid=an-alert-task-link]')?.focus();
  }

  async function load() {
    try {
      const alerts = await api('/api/v1/analytics/alerts');
      error.textContent = '';
      const fresh = syncList(list, alerts, (a) => a.id, item, (el, a) => (el.dataset.task !== (a.taskCaseID || '') ? item(a) : el));
      empty.hidden = alerts.length > 0;
      list.dataset.count = String(alerts.length);
      if (fresh.length) {
        const first = alerts.find((a) => a.id === fresh[0]);
        announce.textContent = t('analytics.alerts.arrived', { n: fresh.length, first: `${area(first)} \u00B7 ${matter(first)}` });
      }
    } catch (e) { error.textContent = errorText(e); }
  }

  async function scanNow() {
    const raised = await api('/api/v1/analytics/alerts/scan', { method: 'POST' });
    await load();
    toast(t('analytics.alerts.scanned', { n: raised.length }), raised.length ? 'ok' : 'info');
  }

  let timer = null;
  const stop = live((ev) => {
    if (ev.type !== 'alert') return;
    // A scan raises several at once: fetch the list once they are all out.
    clearTimeout(timer);
    timer = setTimeout(load, 300);
  }, { onOpen: () => { status.dataset.state = 'open'; status.textContent = t('analytics.alerts.live'); status.classList.add('on'); } });

  const element = h('div', {}, h('div', { class: 'an-alerts-bar' }, status, scan), announce, error, empty, list);
  return { element, load, close() { clearTimeout(timer); stop(); } };
}
