// The case form of the intake page: one queued case on the map (pin draggable to check the location), its matter
// class, description, photos, the open cases it may duplicate, and the intake actions (file, send for
// verification, reject, merge, void).
import { api, catalog, countdown, entryName, errorText, field, fmtTime, h, stateBadge, stateName, t, toast, userText } from '../core.js';
import { stateColor } from '../map.js';
import { matterPicker, sourceName } from './intake-matter.js';
import { locationPicker } from './intake-place.js';

/** The intake actions the form offers, in button order. */
const intakeActions = ['file', 'send_verify', 'reject', 'merge', 'void'];
/** Actions that need a reason in the comment. */
const needReason = new Set(['reject', 'void']);

/** Fetches a case's photos as thumbnails (object URLs, revoked by `urls`). */
function photoStrip(c, urls) {
  const dialogImg = h('div', { class: 'intake-photo-full' });
  const dialog = h('dialog', { class: 'intake-dialog', 'data-testid': 'form-photo-dialog', 'aria-label': t('intake.form.photo') },
    dialogImg, h('form', { method: 'dialog' }, h('button', { type: 'submit', 'data-testid': 'form-photo-close' }, t('common.close'))));
  const strip = h('ul', { class: 'intake-photos', 'data-testid': 'form-photos' });
  c.evidence.forEach((media, i) => {
    const alt = t('intake.form.photoAlt', { n: i + 1 });
    const button = h('button', { type: 'button', class: 'intake-thumb', 'aria-label': alt, 'data-testid': 'form-photo' }, t('common.loading'));
    strip.append(h('li', {}, button));
    const base = `/api/v1/cases/${encodeURIComponent(c.id)}/media/${encodeURIComponent(media)}`;
    api(`${base}?thumbnail=true`, { raw: true }).then(async (res) => {
      const url = URL.createObjectURL(await res.blob());
      urls.push(url);
      button.replaceChildren(h('img', { src: url, alt }));
    }).catch(() => { button.replaceChildren(h('span', { class: 'muted' }, t('intake.form.photoFailed'))); });
    button.addEventListener('click', async () => {
      dialogImg.replaceChildren(t('common.loading'));
      dialog.showModal();
      try {
        const res = await api(base, { raw: true });
        const blob = await res.blob();
        const url = URL.createObjectURL(blob);
        urls.push(url);
        dialogImg.replaceChildren(blob.type.startsWith('video/') ? h('video', { src: url, controls: true }) : h('img', { src: url, alt }));
      } catch (e) { dialogImg.replaceChildren(h('p', { class: 'error' }, errorText(e))); }
    });
  });
  if (!c.evidence.length) strip.append(h('li', { class: 'muted' }, t('intake.form.noPhotos')));
  return [strip, dialog];
}

/**
 * Opens the form of case `caseID` in `pane`. `onDone(caseID, detail, action)` runs after an action succeeded;
 * `onReload()` when the operator asks to reload a case someone else changed meanwhile.
 * Answers `{caseID, destroy(), changedElsewhere(state)}`.
 */
export async function caseForm(pane, caseID, { onDone = () => {}, onClose = () => {}, onReload = () => {} } = {}) {
  const urls = [];
  let picker = null;
  const handle = {
    caseID,
    busy: false,
    destroy() { picker?.destroy(); urls.forEach((u) => URL.revokeObjectURL(u)); },
    changedElsewhere() {},
  };
  pane.replaceChildren(h('p', { class: 'muted' }, t('common.loading')));
  const [detail, cat] = await Promise.all([api(`/api/v1/cases/${encodeURIComponent(caseID)}`), catalog()]);
  if (!pane.isConnected) return handle;
  const c = detail.case;
  const actions = intakeActions.filter((a) => detail.availableActions.includes(a));
  const matterText = (code) => { const e = cat.matter(code); return `${code} ${e ? entryName(e) : detail.matterName || ''}`; };
  const correction = { matter: null, located: null };

  // ---- heading ----
  const title = h('h2', { id: 'intake-form-title', tabindex: '-1', 'data-testid': 'form-number' }, c.number);
  let badge = stateBadge(c.state);
  const head = h('div', { class: 'intake-form-head' },
    title, badge, ' ', h('span', { class: 'badge intake-source', 'data-testid': 'form-source' }, sourceName(c.source)),
    c.urgency && c.urgency !== 'normal' ? h('span', { class: `badge urgency-${c.urgency}` }, t(`intake.urgency.${c.urgency}`)) : null,
    h('div', { class: 'intake-meta' },
      h('span', {}, t('intake.form.received'), ' ', fmtTime(c.createdAt)),
      c.stepDueAt ? h('span', {}, t('intake.form.due'), ' ', countdown(c.stepDueAt)) : null,
      h('a', { href: `#/case/${encodeURIComponent(c.id)}`, 'data-testid': 'form-case-link' }, t('intake.form.openCase')),
      h('button', { type: 'button', class: 'link', 'data-testid': 'form-close', onclick: onClose }, t('common.close'))));
  const gone = h('p', { class: 'intake-warn', role: 'alert', 'data-testid': 'form-gone', hidden: true });

  // ---- what was reported ----
  const reporters = (c.reporters || []).filter((r) => r.name || r.phone);
  const facts = h('dl', { class: 'intake-facts' },
    h('dt', {}, t('intake.form.matter')), h('dd', { 'data-testid': 'form-matter' }, matterText(c.matterCode)),
    h('dt', {}, t('intake.form.description')), h('dd', { class: 'intake-description', 'data-testid': 'form-description' }, userText(c.description)),
    h('dt', {}, t('intake.form.address')), h('dd', { 'data-testid': 'form-address' }, userText(c.address) || (detail.areaNames || []).join(' · ') || t('common.none')),
    reporters.length ? [h('dt', {}, t('intake.form.reporter')),
      h('dd', { 'data-testid': 'form-reporter' }, reporters.map((r) => [r.name, r.phone].filter(Boolean).join(' · ')).join('; '))] : null);

  // ---- matter correction ----
  const matterNote = h('p', { class: 'intake-warn', hidden: true, 'data-testid': 'form-matter-changed' });
  const matterBox = h('div', { class: 'intake-matter-box', hidden: true });
  const matterToggle = h('button', {
    type: 'button', 'aria-expanded': 'false', 'data-testid': 'form-matter-toggle',
    onclick: async () => {
      const open = matterBox.hidden;
      matterBox.hidden = !open;
      matterToggle.setAttribute('aria-expanded', String(open));
      if (open && !matterBox.firstChild) {
        const p = await matterPicker({
          value: c.matterCode, testid: 'form-matter-picker',
          onChange: (code) => {
            correction.matter = code === c.matterCode ? null : code;
            matterNote.hidden = !correction.matter;
            matterNote.textContent = correction.matter ? t('intake.form.matterChanged', { matter: matterText(code) }) : '';
            updateNote();
          },
        });
        matterBox.append(p.element);
        p.focus();
      }
    },
  }, t('intake.form.changeMatter'));

  // ---- duplicates ----
  const dupList = h('ul', { class: 'intake-dups', 'data-testid': 'form-duplicates' }, h('li', { class: 'muted' }, t('common.loading')));

  // ---- actions ----
  const comment = h('textarea', { name: 'comment', 'data-testid': 'form-comment', rows: 3 });
  const commentError = h('p', { class: 'error', role: 'alert', 'data-testid': 'form-comment-error' });
  const note = h('p', { class: 'muted intake-note', 'data-testid': 'form-correction-note', hidden: true });
  const mergeBox = h('div', { class: 'intake-merge', hidden: true, 'data-testid': 'form-merge' });
  const buttons = actions.map((a) => h('button', {
    type: 'button', class: a === 'file' ? 'primary' : (a === 'void' || a === 'reject') ? 'danger' : '',
    'data-testid': `action-${a}`, id: `intake-action-${a}`,
    onclick: () => (a === 'merge' ? openMerge(null) : run(a)),
  }, t(`intake.action.${a}`)));
  const actionBar = h('div', { class: 'intake-actions' }, buttons.length ? buttons : h('p', { class: 'muted' }, t('intake.form.noActions')));

  function updateNote() {
    const parts = [];
    if (correction.located) parts.push(t('intake.form.correctLocation', { grid: correction.located.placement.gridCode }));
    if (correction.matter) parts.push(t('intake.form.correctMatter', { matter: matterText(correction.matter) }));
    note.hidden = !parts.length;
    note.textContent = parts.length ? `${t('intake.form.correctionNote')} ${parts.join('; ')}` : '';
  }

  /** The comment with the operator's corrections (the API cannot edit a case's location or matter yet). */
  function fullComment() {
    const text = comment.value.trim();
    const parts = [];
    if (correction.located) {
      const p = correction.located;
      parts.push(t('intake.form.correctLocation', { grid: p.placement.gridCode }) + ` (${picker.point.lat}, ${picker.point.lon})`);
    }
    if (correction.matter) parts.push(t('intake.form.correctMatter', { matter: matterText(correction.matter) }));
    return [text, parts.length ? `[${parts.join('; ')}]` : ''].filter(Boolean).join('\n');
  }

  async function run(action, extra = {}) {
    commentError.textContent = '';
    comment.removeAttribute('aria-invalid');
    if (needReason.has(action) && !comment.value.trim()) {
      commentError.textContent = t('intake.form.reasonRequired', { action: t(`intake.action.${action}`) });
      comment.setAttribute('aria-invalid', 'true');
      comment.focus();
      return;
    }
    const all = [...buttons, ...mergeBox.querySelectorAll('button')];
    all.forEach((b) => { b.disabled = true; });
    handle.busy = true;
    try {
      const body = { comment: fullComment() || undefined, ...extra };
      const res = await api(`/api/v1/cases/${encodeURIComponent(c.id)}/actions/${action}`, { method: 'POST', body });
      toast(t(`intake.done.${action}`, { number: c.number, state: stateName(res.case.state) }), 'ok');
      onDone(c.id, res, action);
    } catch (e) {
      commentError.textContent = errorText(e);
      toast(errorText(e), 'error');
      handle.busy = false;
      all.forEach((b) => { b.disabled = false; });
    }
  }

  /** Shows the merge confirmation, for a duplicate chosen in the list or a case number typed in. */
  function openMerge(target) {
    const number = h('input', { value: target ? target.number : '', 'data-testid': 'merge-target', autocomplete: 'off' });
    const confirm = h('button', { type: 'button', class: 'danger', 'data-testid': 'merge-confirm' }, t('intake.merge.confirm'));
    number.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); confirm.click(); } });
    const cancel = h('button', { type: 'button', 'data-testid': 'merge-cancel', onclick: () => { mergeBox.hidden = true; } }, t('common.cancel'));
    confirm.addEventListener('click', async () => {
      let id = target && target.number === number.value.trim() ? target.caseID : null;
      if (!id) {
        const n = number.value.trim();
        if (!n) { number.focus(); return; }
        try { id = (await api(`/api/v1/cases/${encodeURIComponent(n)}`)).case.id; } catch (e) {
          commentError.textContent = e.status === 404 ? t('intake.merge.notFound', { number: n }) : errorText(e);
          return;
        }
      }
      if (id === c.id) { commentError.textContent = t('intake.merge.self'); return; }
      run('merge', { targetCaseID: id });
    });
    mergeBox.replaceChildren(
      h('p', {}, t('intake.merge.explain', { number: c.number })),
      field('intake.merge.target', number), h('div', { class: 'intake-inline' }, confirm, cancel));
    mergeBox.hidden = false;
    (target ? confirm : number).focus();
  }

  const [photos, dialog] = photoStrip(c, urls);
  const locBox = h('div', { class: 'intake-loc' });
  const timeline = h('details', { class: 'intake-timeline' }, h('summary', {}, t('intake.form.timeline', { n: detail.timeline.length })),
    h('ol', {}, detail.timeline.map((e) => h('li', {},
      h('span', { class: 'muted' }, fmtTime(e.at)), ' ', userText(e.actorName) || e.actorRole, ' · ', t(`intake.event.${e.action}`),
      e.toState ? [' → ', stateName(e.toState)] : null, e.comment ? h('div', { class: 'intake-event-comment' }, userText(e.comment)) : null))));

  pane.replaceChildren(h('article', { class: 'intake-form', 'aria-labelledby': 'intake-form-title', 'data-testid': 'case-form', dataset: { caseId: c.id, number: c.number } },
    head, gone,
    h('div', { class: 'intake-form-body' },
      h('div', { class: 'intake-form-left' },
        h('h3', {}, t('intake.form.location')), locBox,
        h('h3', {}, t('intake.form.duplicates')), dupList),
      h('div', { class: 'intake-form-right' },
        facts,
        h('div', { class: 'intake-inline' }, matterToggle), matterNote, matterBox,
        h('h3', {}, t('intake.form.photos')), photos,
        h('h3', {}, t('intake.form.decide')),
        field('intake.form.comment', comment, t('intake.form.commentHint')), commentError, note,
        actionBar, mergeBox, timeline)),
    dialog));
  title.focus();
  handle.changedElsewhere = (state) => {
    gone.hidden = false;
    gone.replaceChildren(t('intake.form.changedElsewhere', { number: c.number, state: stateName(state) }), ' ',
      h('button', { type: 'button', class: 'link', 'data-testid': 'form-reload', onclick: onReload }, t('intake.form.reload')));
    const fresh = stateBadge(state);
    badge.replaceWith(fresh);
    badge = fresh;
    [...buttons, ...mergeBox.querySelectorAll('button')].forEach((b) => { b.disabled = true; });
  };

  if (!pane.isConnected) return handle;
  try {
    picker = await locationPicker(locBox, {
      point: c.point, original: c.placement, testid: 'form-loc',
      onChange: (_, located) => {
        correction.located = located && located.placement.gridCode !== c.placement.gridCode ? located : null;
        updateNote();
      },
    });
  } catch (e) {
    // Without the map the rest of the form still works.
    locBox.append(h('p', { class: 'error', role: 'alert' }, errorText(e)));
  }

  // Duplicates: listed, and drawn on the map around the pin.
  try {
    const dups = await api(`/api/v1/cases/${encodeURIComponent(c.id)}/duplicates`);
    const canMerge = actions.includes('merge');
    dupList.replaceChildren(...(dups.length ? dups.map((d) => h('li', { 'data-testid': 'form-duplicate', dataset: { caseId: d.caseID, number: d.number } },
      h('a', { href: `#/case/${encodeURIComponent(d.caseID)}` }, d.number), ' ', stateBadge(d.state), ' ',
      h('span', { class: 'muted' }, t('intake.form.distance', { m: Math.round(d.distanceMetres) })), ' ',
      canMerge ? h('button', { type: 'button', 'data-testid': 'duplicate-merge', onclick: () => openMerge(d) }, t('intake.merge.into')) : null))
      : [h('li', { class: 'muted' }, t('intake.form.noDuplicates'))]));
    const points = picker ? await Promise.all(dups.slice(0, 12).map((d) => api(`/api/v1/cases/${encodeURIComponent(d.caseID)}`).then((x) => x.case).catch(() => null))) : [];
    const bounds = [[c.point.lat, c.point.lon]];
    for (const other of points.filter(Boolean)) {
      L.circleMarker([other.point.lat, other.point.lon], { radius: 8, color: '#1f2933', weight: 1.5, fillColor: stateColor(other.state), fillOpacity: 0.9 })
        .bindTooltip(`${other.number} · ${stateName(other.state)}`).addTo(picker.map);
      bounds.push([other.point.lat, other.point.lon]);
    }
    if (bounds.length > 1) picker.map.fitBounds(bounds, { padding: [40, 40], maxZoom: 17 });
  } catch (e) {
    dupList.replaceChildren(h('li', { class: 'error' }, errorText(e)));
  }

  return handle;
}
