// One detection candidate of the AI review queue: its facts, its snapshots with the detected objects'
// boxes drawn over them, its detections, and the review (accept → a case, reject with a reason, merge into a case).
// Also the pieces the queue shares: snapshot images (fetched with the session's token) and type, state and score words.
import { api, errorText, fmtTime, h, session, t, userText } from '../core.js';
import { matterLabel } from './case-util.js';

/** The roles the review route accepts. */
export const REVIEWERS = ['operator', 'shiftlead', 'inspector', 'admin'];
/** The candidate states, as the API filters them. */
export const STATES = ['pending', 'accepted', 'rejected', 'merged', 'auto_filed'];
const REASONS = ['falsePositive', 'duplicate', 'notInScope', 'lowQuality', 'other'];

/** A detection type's label in the current language. */
export const typeName = (type) => t(`detection.type.${type}`);
/** A 0…1 figure as a percentage with one decimal, or a dash. */
export const pct = (x) => (x === null || x === undefined ? '—' : `${(x * 100).toFixed(1)}%`);
/** A candidate state's badge. */
export const candidateBadge = (state) => h('span', { class: `badge cand-${state.status}`, 'data-testid': 'det-state', dataset: { state: state.status } },
  t(`detection.state.${state.status}`));

// Snapshots load at most four at once (the queue's are thumbnails).
let running = 0;
const waiting = [];
function limited(task) {
  return new Promise((resolve, reject) => {
    const go = () => {
      running += 1;
      task().then(resolve, reject).finally(() => { running -= 1; if (waiting.length) waiting.shift()(); });
    };
    if (running < 4) go(); else waiting.push(go);
  });
}

/**
 * An image of a candidate's snapshot (`GET /api/v1/detection-candidates/{id}/snapshots/{media}` with the session's
 * token, a thumbnail when `thumbnail`, as an object URL kept in `cache`, a Map key → Promise of the URL, for the page
 * to reuse and revoke); a note in its place when it fails to load.
 */
export function snapshotImage(candidateID, mediaID, alt, cache, attrs = {}, thumbnail = false) {
  if (!mediaID) return h('span', { class: 'muted small det-noimage' }, t('detection.noSnapshot'));
  const img = h('img', { alt, ...attrs, dataset: { media: mediaID } });
  const key = `${mediaID}${thumbnail ? '?thumbnail' : ''}`;
  if (!cache.has(key)) {
    const path = `/api/v1/detection-candidates/${encodeURIComponent(candidateID)}/snapshots/${encodeURIComponent(mediaID)}${thumbnail ? '?thumbnail=true' : ''}`;
    const url = limited(() => api(path, { raw: true }).then((r) => r.blob())).then((b) => URL.createObjectURL(b));
    url.catch(() => cache.delete(key));
    cache.set(key, url);
  }
  cache.get(key).then((url) => { img.src = url; })
    .catch(() => img.replaceWith(h('span', { class: 'muted small det-noimage' }, t('detection.imageFailed'))));
  return img;
}

/** The case a candidate was filed as or merged into, as a link showing its number once known. */
function caseLink(caseID) {
  const link = h('a', { href: `#/case/${encodeURIComponent(caseID)}`, 'data-testid': 'det-case-link', dataset: { case: caseID } },
    t('detection.openCase', { number: caseID }));
  api(`/api/v1/cases/${encodeURIComponent(caseID)}`).then((d) => { if (d?.case?.number) link.textContent = t('detection.openCase', { number: d.case.number }); })
    .catch(() => {});
  return link;
}

/** A snapshot with the boxes of the detections that sent it, as rectangles over the picture. */
function snapshotFigure(candidateID, s, n, detections, images) {
  const alt = t('detection.snapshotAlt', { n, time: fmtTime(s.time), score: pct(s.score) });
  const boxes = detections.filter((d) => d.snapshot === s.mediaID).flatMap((d) => d.input.boxes);
  const frame = h('div', { class: 'det-frame' }, snapshotImage(candidateID, s.mediaID, alt, images),
    boxes.map((b) => h('div', {
      class: 'det-box', 'data-testid': 'det-box', 'aria-hidden': 'true',
      style: { left: `${b.x * 100}%`, top: `${b.y * 100}%`, width: `${b.width * 100}%`, height: `${b.height * 100}%` },
    }, b.label || b.score !== undefined ? h('span', { class: 'det-box-label' }, userText(b.label), b.score !== undefined ? ` ${pct(b.score)}` : '') : null)));
  return h('figure', { class: 'det-shot', 'data-testid': 'det-snapshot', dataset: { media: s.mediaID, boxes: String(boxes.length) } },
    frame, h('figcaption', { class: 'small' }, alt, boxes.length ? ` · ${t('detection.boxes', { n: boxes.length })}` : ''));
}

/** The review form of a pending candidate; `send(body)` posts it. */
function reviewForm(reply, send) {
  const reason = h('select', { name: 'reason', 'data-testid': 'det-reason' }, REASONS.map((r) => h('option', { value: r }, t(`detection.reason.${r}`))));
  const note = h('textarea', { name: 'note', maxlength: '500', rows: '2', 'data-testid': 'det-note' });
  const caseRef = h('input', { name: 'caseID', autocomplete: 'off', placeholder: t('detection.mergeHint'), 'data-testid': 'det-merge-case' });
  const id = (p) => `det-${p}-${reply.candidate.id}`;
  reason.id = id('reason'); note.id = id('note'); caseRef.id = id('case');
  const version = reply.version;
  return h('section', { class: 'det-review', 'aria-label': t('detection.review') },
    h('h3', {}, t('detection.review')),
    h('div', { class: 'actions' }, h('button', {
      type: 'button', class: 'primary', 'data-testid': 'det-accept', onclick: (e) => send(e.currentTarget, { decision: 'accept', version }),
    }, t('detection.accept'))),
    h('form', {
      class: 'det-reject', 'data-testid': 'det-reject-form',
      onsubmit: (e) => {
        e.preventDefault();
        const text = note.value.trim();
        if (reason.value === 'other' && !text) { send(null, null, t('detection.noteRequired')); note.focus(); return; }
        send(e.submitter, { decision: 'reject', reason: reason.value, note: text || undefined, version });
      },
    }, h('div', { class: 'field' }, h('label', { for: reason.id }, t('detection.reason')), reason),
    h('div', { class: 'field' }, h('label', { for: note.id }, t('detection.note')), note),
    h('button', { type: 'submit', class: 'danger', 'data-testid': 'det-reject' }, t('detection.reject'))),
    h('form', {
      class: 'det-merge', 'data-testid': 'det-merge-form',
      onsubmit: (e) => {
        e.preventDefault();
        if (!caseRef.value.trim()) { send(null, null, t('detection.mergeCaseRequired')); caseRef.focus(); return; }
        send(e.submitter, { decision: 'merge', caseID: caseRef.value.trim(), version });
      },
    }, h('div', { class: 'field' }, h('label', { for: caseRef.id }, t('detection.mergeCase')), caseRef),
    h('button', { type: 'submit', 'data-testid': 'det-merge' }, t('detection.merge'))));
}

/**
 * Shows candidate `id` in `pane`: `cameras` (Map ID → camera reply) names its camera, `images` caches the snapshots,
 * `onReviewed()` runs after a review succeeded. `done` is the message of the review just made.
 */
export async function showCandidate(pane, id, { cameras, images, onReviewed = () => {}, done = null }) {
  pane.hidden = false;
  pane.dataset.id = id;
  pane.replaceChildren(h('p', { class: 'muted' }, t('common.loading')));
  const reply = await api(`/api/v1/detection-candidates/${encodeURIComponent(id)}`);
  if (pane.dataset.id !== id) return;
  const c = reply.candidate;
  const detections = reply.detections || [];
  const cameraName = cameras.get(c.key.cameraID)?.camera.name || c.key.cameraID;
  const error = h('p', { class: 'error', role: 'alert', 'data-testid': 'det-error' });
  const result = h('p', { class: 'det-result', role: 'status', 'data-testid': 'det-result' }, done);

  async function send(button, body, localError) {
    error.textContent = localError || '';
    if (!body) return;
    if (button) button.disabled = true;
    try {
      const after = await api(`/api/v1/detection-candidates/${encodeURIComponent(id)}/review`, { method: 'POST', body });
      const s = after.candidate.state;
      const message = s.status === 'rejected' ? t('detection.rejectedDone', { reason: t(`detection.reason.${s.reason}`) })
        : t(s.status === 'merged' ? 'detection.mergedDone' : 'detection.acceptedDone');
      await showCandidate(pane, id, { cameras, images, onReviewed, done: [message, s.caseID ? [' ', caseLink(s.caseID)] : null] });
      onReviewed(after);
    } catch (e) {
      error.textContent = errorText(e);
      if (e.status === 409) {
        error.append(' ', h('button', { type: 'button', class: 'link', onclick: () => showCandidate(pane, id, { cameras, images, onReviewed }) }, t('detection.reload')));
      }
    } finally { if (button && button.isConnected) button.disabled = false; }
  }

  const fact = (key, ...value) => [h('dt', {}, t(key)), h('dd', {}, ...value)];
  const canReview = REVIEWERS.includes(session.user.role);
  pane.replaceChildren(...[
    h('h2', { 'data-testid': 'det-detail-title' }, typeName(c.key.type), ' · ', userText(cameraName)),
    result,
    h('dl', { class: 'facts' },
      fact('detection.fact.state', candidateBadge(c.state), c.key.sampled ? [' ', h('span', { class: 'badge det-sampled' }, t('detection.sampled'))] : null),
      fact('detection.fact.matter', await matterLabel(c.matterCode)),
      fact('detection.fact.count', h('span', { 'data-testid': 'det-detail-count' }, String(c.count))),
      fact('detection.fact.seen', t('detection.fact.seenRange', { first: fmtTime(c.firstSeen), last: fmtTime(c.lastSeen) })),
      fact('detection.fact.bestScore', pct(c.bestScore)),
      fact('detection.fact.models', (c.models || []).join(', ')),
      c.reviewedAt ? fact('detection.fact.reviewed', fmtTime(c.reviewedAt)) : null,
      c.rejectReason ? fact('detection.fact.reason', t(`detection.reason.${c.rejectReason}`)) : null,
      c.note ? fact('detection.fact.note', userText(c.note)) : null,
      c.state.caseID ? fact('detection.fact.case', caseLink(c.state.caseID)) : null),
    h('h3', {}, t('detection.snapshots')),
    c.snapshots.length
      ? h('div', { class: 'det-shots' }, c.snapshots.map((s, i) => snapshotFigure(c.id, s, i + 1, detections, images)))
      : h('p', { class: 'muted' }, t('detection.noSnapshot')),
    h('h3', {}, t('detection.detections')),
    h('div', { class: 'table-wrap' }, h('table', { class: 'det-detections', 'data-testid': 'det-detections' },
      h('thead', {}, h('tr', {}, ['time', 'score', 'model', 'boxes', 'outcome', 'snapshotRef'].map((k) => h('th', { scope: 'col' }, t(`detection.col.${k}`))))),
      h('tbody', {}, detections.map((d) => {
        const n = c.snapshots.findIndex((s) => s.mediaID === d.snapshot);
        return h('tr', { 'data-testid': 'det-detection' },
          h('td', {}, fmtTime(d.input.time)), h('td', { class: 'num' }, pct(d.input.score)),
          h('td', {}, userText(`${d.input.model}@${d.input.modelVersion}`)), h('td', { class: 'num' }, String(d.input.boxes.length)),
          h('td', {}, t(`detection.outcome.${d.outcome}`)), h('td', {}, n >= 0 ? String(n + 1) : '—'));
      })))),
    c.state.status === 'pending'
      ? (canReview ? reviewForm(reply, send) : h('p', { class: 'muted' }, t('detection.notReviewer')))
      : null,
    error].filter(Boolean));
}
