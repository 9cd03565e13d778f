// One inspector task on the phone: where it is (map, distance), what was reported and what the
// department did (photos, comments), and the decision with an on-site photo and a comment.
import { api, catalog, countdown, entryName, errorText, field, fmtTime, h, live, navigate, route, stateBadge, stateName, t, toast, userText } from '../core.js';
import { cityMap, pin } from '../map.js';
import { distance, fmtDistance, here, locateMe, outboxStatus, photoPicker, taskKind } from './inspector-parts.js';

/** The decisions per task kind, in button order. */
const DECISIONS = {
  verify: [['verify', 'primary'], ['refute', 'danger']],
  check: [['check_pass', 'primary'], ['check_fail', 'danger']],
};
const NEEDS_REASON = new Set(['refute', 'check_fail']);

/** Object URLs of the thumbnails on the page, revoked when the page closes. */
const shown = new Set();

/** Shows an evidence file of a case (fetched with the session's token) as a thumbnail that opens the full photo. */
function evidencePhoto(caseID, mediaID, label) {
  const img = h('img', { alt: label, loading: 'lazy' });
  const button = h('button', { type: 'button', class: 'fd-photo', 'aria-label': t('inspector.task.openPhoto', { label }), 'data-testid': 'task-photo', dataset: { media: mediaID } }, img);
  const path = `/api/v1/cases/${encodeURIComponent(caseID)}/media/${encodeURIComponent(mediaID)}`;
  api(`${path}?thumbnail=true`, { raw: true }).then(async (res) => { img.src = URL.createObjectURL(await res.blob()); shown.add(img.src); })
    .catch(() => { button.replaceChildren(h('span', { class: 'muted fd-small' }, t('inspector.task.photoMissing'))); });
  button.addEventListener('click', async () => {
    const full = h('img', { alt: label, class: 'fd-full' });
    const dialog = h('dialog', { class: 'fd-dialog', 'aria-label': label },
      full, h('form', { method: 'dialog' }, h('button', { class: 'fd-button', 'data-testid': 'photo-close' }, t('common.close'))));
    dialog.addEventListener('close', () => { if (full.src) URL.revokeObjectURL(full.src); dialog.remove(); });
    document.body.append(dialog);
    dialog.showModal();
    try { full.src = URL.createObjectURL(await (await api(path, { raw: true })).blob()); } catch (e) { dialog.prepend(h('p', { class: 'error' }, errorText(e))); }
  });
  return button;
}

function photoStrip(caseID, ids, labelKey) {
  if (!ids?.length) return h('p', { class: 'muted fd-small' }, t('inspector.task.noPhotos'));
  return h('div', { class: 'fd-photo-strip' }, ids.map((id, i) => evidencePhoto(caseID, id, t(labelKey, { n: i + 1 }))));
}

route('/inspector/task/:id', async (main, { params }) => {
  const cat = await catalog();
  const status = outboxStatus();
  let detail = await api(`/api/v1/cases/${encodeURIComponent(params.id)}`);
  const c = detail.case;
  const kind = taskKind(c.state);
  const changed = h('div', { class: 'fd-banner', id: 'task-changed', 'data-testid': 'task-changed', role: 'alert', hidden: true });
  const distanceText = h('span', { class: 'fd-distance', id: 'task-distance', 'data-testid': 'task-distance' });
  const mapBox = h('div', { class: 'fd-map', id: 'task-map', 'data-testid': 'task-map' });
  const evidence = photoPicker({ testid: 'evidence', labelKey: 'inspector.task.sitePhotos' });
  const comment = h('textarea', { id: 'task-comment', 'data-testid': 'task-comment', rows: 3, maxlength: 2000 });
  const error = h('p', { class: 'error', role: 'alert', id: 'task-error', 'data-testid': 'task-error' });
  let meMarker = null;
  let line = null;
  let cm = null;

  const handling = detail.timeline.filter((e) => ['report_handled', 'assist_feedback'].includes(e.action));
  const lastHandling = handling[handling.length - 1];
  const earlierChecks = detail.timeline.filter((e) => e.action === 'check_fail');

  function drawDistance() {
    if (!here.value || !c.point) { distanceText.textContent = t('inspector.task.distanceUnknown'); return; }
    distanceText.textContent = t('inspector.task.distance', { d: fmtDistance(distance(here.value, c.point)) });
    if (cm) {
      const me = [here.value.lat, here.value.lon];
      if (meMarker) meMarker.setLatLng(me);
      else meMarker = L.circleMarker(me, { radius: 8, color: '#fff', weight: 2, fillColor: '#0b5cad', fillOpacity: 1 }).bindTooltip(t('inspector.task.me')).addTo(cm.map);
      if (line) line.remove();
      line = L.polyline([me, [c.point.lat, c.point.lon]], { color: '#0b5cad', dashArray: '6 6', weight: 2, interactive: false }).addTo(cm.map);
      cm.map.fitBounds(L.latLngBounds([me, [c.point.lat, c.point.lon]]).pad(0.3), { maxZoom: 18 });
    }
  }

  async function decide(action, button) {
    error.textContent = '';
    if (NEEDS_REASON.has(action) && !comment.value.trim()) { error.textContent = t('inspector.task.needReason'); comment.focus(); return; }
    if (!navigator.onLine) { error.textContent = t('inspector.task.offline'); return; }
    const buttons = [...document.querySelectorAll('.fd-decisions button')];
    buttons.forEach((b) => { b.disabled = true; });
    button.setAttribute('aria-busy', 'true');
    try {
      const ids = [];
      for (const blob of evidence.photos()) {
        ids.push((await api('/api/v1/media', { method: 'POST', body: blob, headers: { 'Content-Type': blob.type || 'image/jpeg' } })).id);
      }
      const body = { evidence: ids };
      if (comment.value.trim()) body.comment = comment.value.trim();
      detail = await api(`/api/v1/cases/${encodeURIComponent(c.id)}/actions/${action}`, { method: 'POST', body });
      toast(t(`inspector.task.done.${action}`, { number: c.number, state: stateName(detail.case.state) }), 'ok');
      navigate('#/inspector');
    } catch (e) {
      error.textContent = errorText(e);
    } finally {
      buttons.forEach((b) => { b.disabled = false; });
      button.removeAttribute('aria-busy');
    }
  }

  const available = (DECISIONS[kind] || []).filter(([a]) => detail.availableActions.includes(a));
  const matterName = detail.matterName || entryName(cat.matter(c.matterCode)) || c.matterCode;

  main.append(h('div', { class: 'fd-page', 'data-testid': 'task-page', dataset: { id: c.id, state: c.state } },
    h('div', { class: 'fd-header' },
      h('a', { href: '#/inspector', class: 'fd-back', 'data-testid': 'task-back' }, t('inspector.task.back')),
      status.element),
    h('h1', {}, h('span', { class: `fd-kind ${kind}` }, t(`inspector.kind.${kind}`)), ' ', matterName),
    changed,
    h('div', { class: 'fd-task-grid' },
      h('section', { class: 'card fd-facts', 'aria-label': t('inspector.task.facts') },
        h('p', { class: 'fd-row' }, h('strong', { 'data-testid': 'task-number' }, c.number), stateBadge(c.state), c.stepDueAt ? countdown(c.stepDueAt) : null),
        h('p', { 'data-testid': 'task-description' }, userText(c.description)),
        h('dl', { class: 'fd-dl' },
          h('dt', {}, t('inspector.task.address')), h('dd', {}, userText(c.address) || t('common.none')),
          h('dt', {}, t('inspector.task.area')), h('dd', {}, (detail.areaNames || []).join(' · '), ' ', h('span', { class: 'muted' }, c.placement?.gridCode || '')),
          h('dt', {}, t('inspector.task.reportedAt')), h('dd', {}, fmtTime(c.createdAt)),
          c.reworkCount ? [h('dt', {}, t('inspector.task.rework')), h('dd', {}, String(c.reworkCount))] : null)),
      h('section', { class: 'card fd-task-photos' },
        h('h2', {}, t('inspector.task.reportPhotos')),
        photoStrip(c.id, c.evidence, 'inspector.task.reportPhoto'),
        kind === 'check' ? [
          h('h2', {}, t('inspector.task.handlingPhotos')),
          lastHandling ? h('p', { 'data-testid': 'task-handling-comment' }, fmtTime(lastHandling.at), ' · ', userText(lastHandling.comment)) : null,
          photoStrip(c.id, handling.flatMap((e) => e.evidence || []), 'inspector.task.handlingPhoto'),
          earlierChecks.length ? h('p', { class: 'muted fd-small' }, t('inspector.task.earlierFails', { n: earlierChecks.length })) : null,
        ] : null),
      h('section', { class: 'card fd-decide', 'aria-labelledby': 'decide-title' },
        h('h2', { id: 'decide-title' }, t(`inspector.task.decide.${kind}`)),
        available.length ? [
          evidence.element,
          field('inspector.task.comment', comment, t(`inspector.task.commentHint.${kind}`)),
          error,
          h('div', { class: 'fd-decisions' }, available.map(([a, cls]) => h('button', {
            type: 'button', class: `fd-button fd-big ${cls}`, id: `task-action-${a}`, 'data-testid': `task-action-${a}`,
            onclick: (e) => decide(a, e.currentTarget),
          }, t(`inspector.action.${a}`)))),
        ] : h('p', { class: 'muted', 'data-testid': 'task-no-action' }, t('inspector.task.noAction', { state: stateName(c.state) }))),
      h('section', { class: 'card fd-task-where', 'aria-label': t('inspector.task.where') },
        h('div', { class: 'fd-row' }, distanceText,
          h('button', { type: 'button', class: 'fd-button', 'data-testid': 'task-locate', onclick: async () => { try { here.value = await locateMe({ maximumAge: 0 }); drawDistance(); } catch (e) { toast(errorText(e), 'error'); } } }, t('inspector.tasks.locate')),
          c.point ? h('a', { class: 'fd-button', href: `geo:${c.point.lat},${c.point.lon}?q=${c.point.lat},${c.point.lon}` }, t('inspector.task.navigate')) : null),
        mapBox))));

  try {
    cm = await cityMap(mapBox, { label: 'inspector.task.mapLabel' });
    if (c.point) {
      pin(cm.map, [c.point.lat, c.point.lon], { title: matterName });
      cm.map.setView([c.point.lat, c.point.lon], 17);
    }
  } catch { mapBox.replaceChildren(h('p', { class: 'fd-map-error' }, t('inspector.loc.noMap'))); }
  drawDistance();
  if (!here.value) locateMe().then((p) => { here.value = p; drawDistance(); }).catch(() => {});

  const stop = live((ev) => {
    if (ev.type !== 'case' || ev.id !== c.id || ev.state === c.state) return;
    changed.hidden = false;
    changed.replaceChildren(t('inspector.task.changed', { state: stateName(ev.state) }), ' ',
      h('a', { href: '#/inspector' }, t('inspector.task.back')));
  });
  return () => { stop(); status.dispose(); shown.forEach((u) => URL.revokeObjectURL(u)); shown.clear(); };
}, { roles: ['inspector'], title: 'inspector.task.title' });
