// #/case/:id — everything about one case for every signed-in role: facts, map, photos before and after, the current
// step's deadline, the full timeline and the action panel; printable as one clean record; live while it is open.
import { api, countdown, departments, errorText, fmtTime, h, live, route, session, stateBadge, t, toast, userText } from '../core.js';
import { cityMap, pin } from '../map.js';
import { actionPanel } from './actions.js';
import { photoSections, timelineSection } from './case-timeline.js';
import { debounce, deptName, matterLabel, sourceName, urgencyName } from './case-util.js';

const STAFF_ROLES = ['operator', 'shiftlead', 'dispatcher', 'handler', 'inspector', 'leader', 'admin', 'citizen', 'partner'];

/** Loads a case detail by ID or number. */
export function loadDetail(id) { return api(`/api/v1/cases/${encodeURIComponent(id)}`); }

/** A definition-list row, skipped when the value is empty. */
function row(labelKey, value, testid) {
  if (value === null || value === undefined || value === '' || (Array.isArray(value) && !value.length)) return null;
  return [h('dt', {}, t(labelKey)), h('dd', { 'data-testid': testid || null }, value)];
}

/** The reporters as the server shows them to this role (masked unless the role may see personal data). */
function reportersList(reporters) {
  if (!reporters?.length) return null;
  return h('ul', { class: 'plain' }, reporters.map((r) => h('li', {},
    [sourceName(r.source), userText(r.name), userText(r.phone), userText(r.email), r.ticket ? h('span', {}, t('case.ticket', { ticket: '' }), userText(r.ticket)) : null]
      .filter(Boolean).flatMap((part, i) => (i ? [' · ', part] : [part])),
    r.ticketDueAt ? h('span', { class: 'muted' }, ` · ${t('case.ticketDue', { due: fmtTime(r.ticketDueAt) })}`) : null)));
}

/** The facts card. */
async function factsSection(detail, depts) {
  const c = detail.case;
  const [district, street, community] = detail.areaNames || [];
  const p = c.placement || {};
  const matter = await matterLabel(c.matterCode);
  const assisting = (c.assistingDepartmentIDs || []).map((id) => deptName(depts, id)).join(t('case.separator'));
  return h('section', { class: 'card case-facts', 'data-testid': 'case-facts', 'aria-labelledby': 'case-facts-h' },
    h('h2', { id: 'case-facts-h' }, t('case.facts')),
    h('dl', { class: 'facts' },
      row('case.matter', matter, 'case-matter'),
      row('case.description', userText(c.description), 'case-description'),
      row('case.address', userText(c.address), 'case-address'),
      row('case.district', district ? `${district} (${p.districtCode})` : p.districtCode),
      row('case.street', street ? `${street} (${p.streetCode})` : p.streetCode),
      row('case.community', community ? `${community} (${p.communityCode})` : p.communityCode),
      row('case.grid', p.gridCode, 'case-grid'),
      row('case.coordinates', c.point ? `${c.point.lat.toFixed(6)}, ${c.point.lon.toFixed(6)}` : null),
      row('case.source', sourceName(c.source), 'case-source'),
      row('case.urgency', urgencyName(c.urgency), 'case-urgency'),
      row('case.reporters', reportersList(c.reporters), 'case-reporters'),
      row('case.component', c.componentID),
      row('case.department', c.leadDepartmentID ? deptName(depts, c.leadDepartmentID) : (c.noOwner ? t('case.noOwner') : t('case.noDepartment')), 'case-department'),
      row('case.assistingDepartments', assisting),
      row('case.createdAt', fmtTime(c.createdAt)),
      row('case.updatedAt', fmtTime(c.updatedAt)),
      row('case.closedAt', c.closedAt ? fmtTime(c.closedAt) : null),
      row('case.duplicateOf', c.duplicateOf ? h('a', { href: `#/case/${encodeURIComponent(c.duplicateOf)}` }, c.duplicateOf) : null),
      row('case.satisfaction', c.satisfaction ? t(`action.satisfaction.${c.satisfaction}`) : null, 'case-satisfaction')));
}

/** The current step: its deadline with a countdown, the handling deadline, and the counters. */
function deadlineSection(detail) {
  const c = detail.case;
  const counters = h('ul', { class: 'counters', 'data-testid': 'case-counters' },
    h('li', {}, h('span', { class: 'n', 'data-testid': 'case-extensions' }, c.extensionCount || 0), t('case.extensions')),
    h('li', {}, h('span', { class: 'n', 'data-testid': 'case-rework' }, c.reworkCount || 0), t('case.rework')),
    h('li', {}, h('span', { class: 'n', 'data-testid': 'case-urges' }, c.urgeCount || 0), t('case.urges')),
    h('li', {}, h('span', { class: 'n' }, c.supervised ? t('case.yes') : t('case.no')), t('case.supervised')));
  const step = c.stepDueAt
    ? h('p', { class: 'step-due', 'data-testid': 'case-step-due' }, t('case.stepDue', { state: t(`state.${c.state}`), due: fmtTime(c.stepDueAt) }), ' ',
      countdown(c.stepDueAt))
    : h('p', { class: 'muted', 'data-testid': 'case-step-due' }, c.closedAt ? t('case.ended', { state: t(`state.${c.state}`), at: fmtTime(c.closedAt) }) : t('case.noStepDeadline'));
  const handling = ['dispatched', 'in_progress', 'return_requested', 'suspended'].includes(c.state);
  return h('section', { class: `card case-deadline${detail.overdue ? ' overdue' : ''}`, 'data-testid': 'case-deadline', 'aria-labelledby': 'case-deadline-h' },
    h('h2', { id: 'case-deadline-h' }, t('case.currentStep')),
    step,
    handling && c.handlingDueAt && c.handlingDueAt !== c.stepDueAt
      ? h('p', { 'data-testid': 'case-handling-due' }, t('case.handlingDue', { due: fmtTime(c.handlingDueAt) })) : null,
    handling && c.handlingLimitMinutes ? h('p', { class: 'muted' }, t('case.handlingLimit', { m: c.handlingLimitMinutes })) : null,
    c.pendingExtensionHours ? h('p', { class: 'pending-extension', 'data-testid': 'case-pending-extension' },
      t('case.pendingExtension', { h: c.pendingExtensionHours })) : null,
    c.suspendedAt ? h('p', {}, t('case.suspendedSince', { at: fmtTime(c.suspendedAt) })) : null,
    counters);
}

route('/case/:id', async (main, { params }) => {
  // The page's root goes in at once: a page left before its data arrived stays detached and draws nothing.
  const root = h('article', { class: 'case-page', 'data-testid': 'case-page' }, h('p', { class: 'muted' }, t('common.loading')));
  main.append(root);
  let detail = await loadDetail(params.id);
  const depts = await departments().catch(() => new Map());
  if (!root.isConnected) return undefined;
  const user = session.user;

  const title = h('h1', { id: 'case-title' });
  const badges = h('div', { class: 'case-badges' });
  const printButton = h('button', { type: 'button', id: 'case-print', 'data-testid': 'case-print', class: 'no-print', onclick: () => window.print() }, t('common.print'));
  const refreshButton = h('button', { type: 'button', id: 'case-refresh', class: 'no-print', onclick: () => reload(true) }, t('common.refresh'));
  const changed = h('p', { class: 'live-note no-print', role: 'status', 'data-testid': 'case-changed', hidden: true });
  const printHead = h('div', { class: 'print-only print-head' });
  const facts = h('div', { class: 'case-facts-slot' });
  const mapEl = h('div', { id: 'case-map', class: 'case-map', 'data-testid': 'case-map' });
  const deadline = h('div', {});
  const photos = h('div', {});
  const panelSlot = h('div', { id: 'case-actions' });
  const timeline = h('div', {});

  root.replaceChildren(
    printHead,
    h('header', { class: 'case-head' }, h('div', {}, title, badges),
      h('div', { class: 'case-tools no-print' }, refreshButton, printButton)),
    changed,
    h('div', { class: 'case-top' }, facts,
      h('section', { class: 'card case-map-card', 'aria-label': t('case.location') }, h('h2', {}, t('case.location')), mapEl)),
    deadline, panelSlot, photos, timeline);

  let marker = null;
  let leaflet = null;
  const drawMap = async () => {
    const c = detail.case;
    if (!c.point) { mapEl.replaceWith(h('p', { class: 'muted' }, t('case.noLocation'))); return; }
    try {
      if (!leaflet) {
        leaflet = await cityMap(mapEl, { label: 'case.location' });
        printMedia.addEventListener('change', onPrint);
      }
      const ll = [c.point.lat, c.point.lon];
      if (marker) marker.setLatLng(ll); else marker = pin(leaflet.map, ll, { title: c.number });
      leaflet.gridLayer(c.placement?.gridCode)?.setStyle({ color: '#0b5cad', weight: 2.5, fill: true, fillColor: '#0b5cad', fillOpacity: 0.08 });
      leaflet.map.setView(ll, 16, { animate: false });
    } catch (e) {
      mapEl.replaceChildren(h('p', { class: 'muted' }, t('case.mapUnavailable'), ' ', errorText(e)));
    }
  };
  // The printed map is another size: re-centre it on the case at once (no animation, which print would not wait for).
  const printMedia = window.matchMedia('print');
  const onPrint = () => {
    if (!leaflet || !detail.case.point) return;
    leaflet.map.invalidateSize({ animate: false, pan: false });
    leaflet.map.setView([detail.case.point.lat, detail.case.point.lon], 16, { animate: false });
  };

  const draw = async () => {
    const c = detail.case;
    document.title = `${t('case.title', { number: c.number })} · ${t('app.name')}`;
    title.textContent = t('case.title', { number: c.number });
    badges.replaceChildren(...[
      h('span', { id: 'case-state', 'data-testid': 'case-state', 'data-state': c.state }, stateBadge(c.state)),
      detail.overdue ? h('span', { class: 'badge overdue', 'data-testid': 'case-overdue' }, t('case.overdue')) : null,
      c.urgency && c.urgency !== 'normal' ? h('span', { class: `badge urgency-${c.urgency}` }, urgencyName(c.urgency)) : null,
      c.supervised ? h('span', { class: 'badge supervised' }, t('case.supervisedBadge')) : null,
      c.reworkCount ? h('span', { class: 'badge rework' }, t('case.reworkBadge', { n: c.reworkCount })) : null,
      c.noOwner ? h('span', { class: 'badge no-owner' }, t('case.noOwner')) : null].filter(Boolean));
    printHead.replaceChildren(h('strong', {}, t('case.printTitle')), h('span', {},
      t('case.printedBy', { at: fmtTime(new Date().toISOString()), who: `${user.displayName || user.username}` })));
    facts.replaceChildren(await factsSection(detail, depts));
    deadline.replaceChildren(deadlineSection(detail));
    photos.replaceChildren(photoSections(detail));
    timeline.replaceChildren(timelineSection(detail, depts));
    // A form someone is filling in is kept; the note says the case changed underneath it.
    const openForm = panelSlot.querySelector('.action-form');
    if (!openForm) panelSlot.replaceChildren(actionPanel(detail, { onDone: (next) => { detail = next; changed.hidden = true; draw(); } }));
  };

  const reload = async (manual) => {
    try {
      const next = await loadDetail(detail.case.id);
      const formOpen = !!panelSlot.querySelector('.action-form');
      const moved = next.case.version !== detail.case.version;
      detail = next;
      if (formOpen && moved && !manual) {
        changed.hidden = false;
        changed.replaceChildren(t('case.changedWhileEditing', { state: t(`state.${next.case.state}`) }), ' ',
          h('button', { type: 'button', class: 'link', onclick: () => reload(true) }, t('case.reloadNow')));
      } else {
        changed.hidden = true;
        if (manual) panelSlot.replaceChildren();
      }
      await draw();
      drawMap();
    } catch (e) {
      toast(errorText(e), 'error');
    }
  };
  const soon = debounce(() => reload(false), 300);

  await draw();
  if (!root.isConnected) return undefined;
  drawMap();
  const stop = live((ev) => {
    if (!root.isConnected) { cleanup(); return; }
    if (ev.type === 'case' && (ev.id === detail.case.id || ev.number === detail.case.number)) soon();
  });
  function cleanup() {
    stop();
    soon.cancel();
    printMedia.removeEventListener('change', onPrint);
    if (leaflet) { leaflet.map.remove(); leaflet = null; }
  }
  return cleanup;
}, { roles: STAFF_ROLES, title: 'case.pageTitle' });
