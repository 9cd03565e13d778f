// The outbox panel of the report pages: reports waiting on this phone (with their state, the server's message for a
// failed one, and retry / fix / discard), and the reports sent lately with their case numbers and tracking codes.
import { fmtTime, h, t, userText } from '../core.js';
import * as outbox from '../outbox.js';

/**
 * The panel; `names` maps matter codes to names, `onEdit(clientRequestID)` (optional) loads a failed report back
 * into the form. Answers `{element, draw, dispose}`; it redraws itself on every change of the queue.
 */
export function queuePanel(names, { onEdit, trackLinks = false } = {}) {
  const queueList = h('ul', { class: 'fd-queue', id: 'outbox-list', 'data-testid': 'outbox-list' });
  const sentList = h('ul', { class: 'fd-queue', id: 'sent-list', 'data-testid': 'sent-list' });

  function item(i) {
    const retryLater = i.status === 'pending' && i.nextAttemptAt > Date.now();
    return h('li', { class: `fd-queue-item ${i.status}`, 'data-testid': 'outbox-item', dataset: { id: i.clientRequestID, status: i.status } },
      h('div', { class: 'fd-queue-head' },
        h('strong', {}, names.get(i.report.matterCode) || i.report.matterCode),
        h('span', { class: `badge fd-status-${i.status}`, 'data-testid': 'outbox-item-status' }, t(`outbox.status.${i.status}`))),
      h('p', {}, userText(i.report.description)),
      h('p', { class: 'muted fd-small' }, t('outbox.itemMeta', { at: fmtTime(i.createdAt), n: i.photoCount }),
        retryLater ? ` · ${t('outbox.nextAttempt', { at: fmtTime(new Date(i.nextAttemptAt).toISOString()) })}` : ''),
      i.error ? h('p', { class: i.status === 'failed' ? 'error' : 'muted fd-small', 'data-testid': 'outbox-item-error' }, i.error) : null,
      h('div', { class: 'fd-row' },
        i.status === 'failed' && onEdit
          ? h('button', { type: 'button', class: 'fd-button', 'data-testid': 'outbox-edit', onclick: () => onEdit(i.clientRequestID) }, t('outbox.edit'))
          : null,
        h('button', {
          type: 'button', class: 'fd-button', 'data-testid': 'outbox-retry', disabled: i.status === 'sending' || !navigator.onLine,
          onclick: () => outbox.retry(i.clientRequestID),
        }, t('outbox.retry')),
        h('button', {
          type: 'button', class: 'fd-button danger', 'data-testid': 'outbox-discard',
          onclick: async () => { if (window.confirm(t('outbox.confirmDiscard'))) await outbox.discard(i.clientRequestID); },
        }, t('outbox.discard'))));
  }

  async function draw() {
    const items = await outbox.pending();
    queueList.replaceChildren(...(items.length ? items.map(item) : [h('li', { class: 'muted' }, t('outbox.none'))]));
    const sent = outbox.recentlySent().slice(0, 10);
    sentList.replaceChildren(...(sent.length
      ? sent.map((s) => h('li', { class: 'fd-queue-item sent', 'data-testid': 'sent-item', dataset: { number: s.number || '' } },
        h('div', { class: 'fd-queue-head' }, h('strong', {}, s.number || ''), h('span', { class: 'muted fd-small' }, fmtTime(s.at))),
        h('p', {}, `${names.get(s.matterCode) || s.matterCode} · `, userText(s.description)),
        trackLinks && s.trackingCode ? h('a', { href: `#/track?code=${encodeURIComponent(s.trackingCode)}` }, t('citizen.report.follow')) : null))
      : [h('li', { class: 'muted' }, t('outbox.noneSent'))]));
  }

  const element = h('div', { class: 'fd-queue-panel' },
    h('section', { class: 'card', id: 'outbox', tabindex: '-1', 'aria-labelledby': 'outbox-title' },
      h('div', { class: 'fd-queue-head' },
        h('h2', { id: 'outbox-title' }, t('outbox.title')),
        h('button', { type: 'button', class: 'fd-button', id: 'outbox-send', 'data-testid': 'outbox-send', onclick: () => outbox.flush({ now: true }) }, t('outbox.sendNow'))),
      h('p', { class: 'muted fd-small' }, t('outbox.explain')),
      queueList),
    h('section', { class: 'card', 'aria-labelledby': 'sent-title' }, h('h2', { id: 'sent-title' }, t('outbox.sentTitle')), sentList));

  const off = outbox.onChange(() => draw());
  window.addEventListener('online', draw);
  window.addEventListener('offline', draw);
  draw();
  return {
    element,
    draw,
    dispose() { off(); window.removeEventListener('online', draw); window.removeEventListener('offline', draw); },
  };
}
