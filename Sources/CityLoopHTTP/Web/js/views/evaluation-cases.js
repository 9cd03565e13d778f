// The cases behind one number of the evaluation (an indicator's numerator or denominator for one subject), listed
// page by page from /api/v1/evaluation/cases, each linking to its case page.
import { api, catalog, entryName, errorText, fmtTime, h, stateBadge, t } from '../core.js';

const PAGE = 50;

/**
 * The drill-down panel (hidden until a number is chosen). Answers `{element, open(request, opener), close(refocus)}` where
 * `request` is `{period, subject, id, indicator, part, title, figure}`: `figure` is the number shown in the table.
 */
export function casesPanel() {
  let req = null;
  let opener = null;
  let after = null;
  let listed = 0;
  let seq = 0;
  const heading = h('h2', { id: 'eval-cases-h', tabindex: '-1' });
  const summary = h('p', { id: 'eval-cases-summary', 'data-testid': 'eval-cases-summary', 'aria-live': 'polite' });
  const note = h('p', { class: 'muted', id: 'eval-cases-note', hidden: true });
  const error = h('p', { class: 'error', role: 'alert' });
  const tbody = h('tbody', { id: 'eval-cases-body' });
  const table = h('table', { id: 'eval-cases-table', 'data-testid': 'eval-cases-table' },
    h('caption', { class: 'intake-sr' }, t('evaluation.cases.caption')),
    h('thead', {}, h('tr', {}, ['number', 'matter', 'state', 'created'].map((k) => h('th', { scope: 'col' }, t(`evaluation.cases.col.${k}`))))),
    tbody);
  const more = h('button', { type: 'button', id: 'eval-cases-more', 'data-testid': 'eval-cases-more', hidden: true, onclick: () => load() }, t('evaluation.cases.more'));
  const closeButton = h('button', { type: 'button', id: 'eval-cases-close', 'data-testid': 'eval-cases-close', onclick: () => close() }, t('common.close'));
  const element = h('section', {
    class: 'card eval-cases', id: 'eval-cases', 'data-testid': 'eval-cases', 'aria-labelledby': 'eval-cases-h', hidden: true,
    onkeydown: (e) => { if (e.key === 'Escape') { e.preventDefault(); close(); } },
  },
  h('div', { class: 'eval-cases-head' }, heading, closeButton), summary, note, error, h('div', { class: 'eval-scroll' }, table), more);

  const query = () => {
    const p = new URLSearchParams({ period: req.period, subject: req.subject, indicator: req.indicator, part: req.part, limit: String(PAGE) });
    if (req.id) p.set('id', req.id);
    if (after) p.set('after', after);
    return p;
  };

  async function load() {
    const mine = seq;
    more.disabled = true;
    element.setAttribute('aria-busy', 'true');
    error.textContent = '';
    try {
      const [page, cat] = await Promise.all([api(`/api/v1/evaluation/cases?${query()}`), catalog()]);
      if (mine !== seq) return;
      tbody.append(...page.map((c) => h('tr', { 'data-testid': 'eval-case', dataset: { caseId: c.id, number: c.number } },
        h('th', { scope: 'row' }, h('a', { href: `#/case/${encodeURIComponent(c.id)}`, 'data-testid': 'eval-case-link' }, c.number)),
        h('td', {}, h('span', { class: 'code' }, c.matterCode), ' ', entryName(cat.matter(c.matterCode))),
        h('td', {}, stateBadge(c.state)),
        h('td', {}, fmtTime(c.createdAt)))));
      listed += page.length;
      if (page.length) after = page[page.length - 1].number;
      const done = page.length < PAGE;
      more.hidden = done;
      element.dataset.listed = String(listed);
      element.dataset.complete = String(done);
      summary.textContent = done ? t('evaluation.cases.all', { n: listed }) : t('evaluation.cases.some', { n: listed, figure: req.figure });
      if (!listed && done) tbody.append(h('tr', {}, h('td', { colspan: 4, class: 'muted' }, t('evaluation.cases.none'))));
      // A case counts once per event in some counters (a case dispatched twice is two tasks): say so when it shows.
      note.hidden = !(done && listed !== req.figure);
      note.textContent = note.hidden ? '' : t('evaluation.cases.differs', { figure: req.figure, n: listed });
    } catch (e) {
      if (mine === seq) error.textContent = errorText(e);
    } finally {
      if (mine === seq) { more.disabled = false; element.removeAttribute('aria-busy'); }
    }
  }

  /** Lists the cases behind a number; focus moves to the panel's heading. */
  function open(request, from) {
    seq += 1;
    [req, opener, after, listed] = [request, from || null, null, 0];
    heading.textContent = request.title;
    summary.textContent = t('common.loading');
    note.hidden = true;
    tbody.replaceChildren();
    more.hidden = true;
    Object.assign(element.dataset, { indicator: request.indicator, part: request.part, subject: request.id || '', figure: String(request.figure), listed: '0', complete: 'false' });
    element.hidden = false;
    heading.focus();
    element.scrollIntoView({ block: 'nearest' });
    return load();
  }

  /** Hides the panel and gives the focus back to the number that opened it (unless the table is being redrawn). */
  function close(refocus = true) {
    seq += 1;
    element.hidden = true;
    if (refocus && opener && opener.isConnected) opener.focus();
  }

  return { element, open, close };
}
