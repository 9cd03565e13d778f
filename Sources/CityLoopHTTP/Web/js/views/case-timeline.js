// The case page's record parts: the photos before and after handling, and the full timeline (every event with who,
// when, what, from→to, comment, evidence, details and the deadline of the step it completed).
import { api, errorText, fmtTime, h, session, stateBadge, t, toast, userText } from '../core.js';
import { actionName } from './actions.js';
import { actorText, deptName, thumbnail } from './case-util.js';

/** Actions whose photos show the result (after); every other event's photos show the problem (before). */
const AFTER = new Set(['report_handled', 'check_pass', 'check_fail', 'assist_feedback']);

/** The photo sections: before (the report's evidence) and after (handling and check evidence). */
export function photoSections(detail) {
  const c = detail.case;
  const seen = new Set();
  const before = [];
  const after = [];
  const add = (list, id, label, report = false) => { if (!seen.has(id)) { seen.add(id); list.push({ id, label, report }); } };
  const publisher = PUBLISHERS.has(session.user?.role);
  for (const id of c.evidence || []) add(before, id, t('case.photoReport'), true);
  for (const e of detail.timeline || []) {
    for (const id of e.evidence || []) add(AFTER.has(e.action) ? after : before, id, `${actionName(e.action)} · ${fmtTime(e.at)}`);
  }
  const gallery = (items, testid) => (items.length
    ? h('ul', { class: 'gallery', 'data-testid': testid }, items.map((p, i) => h('li', {},
      thumbnail(c.id, p.id, `${p.label} (${i + 1})`), h('span', { class: 'caption' }, p.label),
      publisher && p.report ? publicToggle(c.id, p.id) : null)))
    : h('p', { class: 'muted', 'data-testid': `${testid}-none` }, t('case.noPhotos')));
  return h('section', { class: 'card case-photos', 'data-testid': 'case-photos', 'aria-labelledby': 'case-photos-h' },
    h('h2', { id: 'case-photos-h' }, t('case.photos')),
    h('div', { class: 'photo-columns' },
      h('div', {}, h('h3', {}, t('case.photosBefore'), ' ', h('span', { class: 'count' }, `(${before.length})`)), gallery(before, 'photos-before')),
      h('div', {}, h('h3', {}, t('case.photosAfter'), ' ', h('span', { class: 'count' }, `(${after.length})`)), gallery(after, 'photos-after'))));
}

/** Roles that may make a report photo public (Open311 `media_url`). */
const PUBLISHERS = new Set(['operator', 'shiftlead']);

/**
 * A report photo's public switch: shows whether the photo is public (with its public link) and makes it public
 * (a copy without metadata) or private again.
 */
function publicToggle(caseID, mediaID) {
  const path = `/api/v1/cases/${encodeURIComponent(caseID)}/media/${encodeURIComponent(mediaID)}/public`;
  const button = h('button', { type: 'button', class: 'link', 'data-testid': 'photo-public-toggle', disabled: true }, t('case.photoPublicLoading'));
  const link = h('a', { target: '_blank', rel: 'noopener', 'data-testid': 'photo-public-link', hidden: true }, t('case.photoPublicLink'));
  let state = null;
  const show = (s) => {
    state = s;
    button.disabled = false;
    button.textContent = t(s.isPublic ? 'case.photoMakePrivate' : 'case.photoMakePublic');
    link.hidden = !s.isPublic;
    if (s.url) link.href = s.url; else link.removeAttribute('href');
  };
  api(path).then(show).catch(() => { button.textContent = t('case.photoPublicUnknown'); });
  button.addEventListener('click', async () => {
    if (!state) return;
    button.disabled = true;
    try {
      show(await api(path, { method: state.isPublic ? 'DELETE' : 'POST' }));
      toast(t(state.isPublic ? 'case.photoNowPublic' : 'case.photoNowPrivate'));
    } catch (err) {
      button.disabled = false;
      toast(errorText(err), 'error');
    }
  });
  return h('span', { class: 'photo-public' }, button, ' ', link);
}

/** One event detail's label and value in words (departments by name, times formatted). */
function detailItem(key, value, depts) {
  switch (key) {
    case 'department': case 'fromDepartment':
      return [t(`case.detail.${key}`), deptName(depts, value)];
    case 'assisting':
      return [t('case.detail.assisting'), value.split(',').map((id) => deptName(depts, id)).join(t('case.separator'))];
    case 'extensionHours':
      return [t('case.detail.extensionHours'), t('case.hours', { h: value })];
    case 'newDueAt':
      return [t('case.detail.newDueAt'), fmtTime(new Date(Number(value) * 1000).toISOString())];
    case 'limitMinutes':
      return [t('case.detail.limitMinutes'), t('case.minutes', { m: value })];
    case 'satisfaction':
      return [t('case.detail.satisfaction'), t(`action.satisfaction.${value}`)];
    case 'source':
      return [t('case.detail.source'), t(`case.source.${value}`)];
    case 'selfHandled':
      return [t('case.detail.selfHandled'), value === 'true' ? t('case.yes') : t('case.no')];
    case 'rule': case 'grid': case 'matter': case 'rework': case 'targetCase':
      return [t(`case.detail.${key}`), value];
    default:
      return [key, value];
  }
}

/** The timeline: every event, oldest first. */
export function timelineSection(detail, depts) {
  const c = detail.case;
  const events = detail.timeline || [];
  const list = h('ol', { class: 'timeline', 'data-testid': 'timeline' });
  for (const e of events) {
    const details = Object.entries(e.details || {}).map(([k, v]) => detailItem(k, v, depts));
    let deadline = null;
    if (e.dueAt) {
      const late = Date.parse(e.at) - Date.parse(e.dueAt);
      deadline = h('p', { class: `event-deadline ${e.onTime === false ? 'late' : 'on-time'}`, 'data-testid': 'event-deadline' },
        t('case.stepDeadline', { due: fmtTime(e.dueAt) }), ' · ',
        e.onTime === false ? h('strong', {}, t('case.lateBy', { d: durationWords(late) })) : t('case.onTime'));
    }
    list.append(h('li', { class: `event action-${e.action}`, 'data-testid': 'timeline-event', 'data-action': e.action, 'data-seq': e.seq },
      h('div', { class: 'event-head' },
        h('time', { datetime: e.at, class: 'event-time' }, fmtTime(e.at)),
        h('strong', { class: 'event-action' }, actionName(e.action)),
        h('span', { class: 'event-actor' }, userText(actorText(e)))),
      h('div', { class: 'event-states' },
        e.fromState ? [stateBadge(e.fromState), h('span', { 'aria-label': t('case.to'), class: 'arrow' }, ' → ')] : null,
        stateBadge(e.toState)),
      e.comment ? h('blockquote', { class: 'event-comment' }, userText(e.comment)) : null,
      details.length ? h('dl', { class: 'event-details' }, details.map(([k, v]) => [h('dt', {}, k), h('dd', {}, userText(v))])) : null,
      deadline,
      e.evidence?.length ? h('div', { class: 'event-evidence' },
        e.evidence.map((id, i) => thumbnail(c.id, id, `${actionName(e.action)} · ${fmtTime(e.at)} (${i + 1})`))) : null));
  }
  return h('section', { class: 'card case-timeline', 'data-testid': 'case-timeline', 'aria-labelledby': 'case-timeline-h' },
    h('h2', { id: 'case-timeline-h' }, t('case.timeline'), ' ', h('span', { class: 'count' }, `(${events.length})`)),
    events.length ? list : h('p', { class: 'muted' }, t('case.noEvents')));
}

/** A duration in words without the "left"/"overdue" wording. */
export function durationWords(ms) {
  const abs = Math.abs(ms);
  const d = Math.floor(abs / 86400000);
  const hr = Math.floor((abs % 86400000) / 3600000);
  const min = Math.floor((abs % 3600000) / 60000);
  return d > 0 ? t('time.dh', { d, h: hr }) : hr > 0 ? t('time.hm', { h: hr, m: min }) : t('time.m', { m: min });
}
