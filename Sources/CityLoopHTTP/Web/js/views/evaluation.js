// #/evaluation — the evaluation office's page: for a period and a kind of subject, the ranking with each
// indicator as "rate (numerator/denominator)", where every count opens the cases behind it; the ranking as CSV in
// either language; and the contractors' credit ranking. The address keeps the choices: ?period=&subject=&tab=.
import { api, busy, errorText, fmtTime, h, lang, route, t } from '../core.js';
import { casesPanel } from './evaluation-cases.js';
import { containing, kindOf, periodPicker, today } from './evaluation-period.js';

/** The kinds of subject the API ranks. */
const SUBJECTS = ['department', 'district', 'street', 'city', 'inspector', 'operator', 'shiftlead', 'dispatcher'];
const TABS = ['ranking', 'contractors'];

const locale = () => (lang() === 'en' ? 'en-GB' : 'zh-CN');
const num = (n, digits = 2) => (n === null || n === undefined ? '\u2014' : Number(n).toLocaleString(locale(), { maximumFractionDigits: digits }));
const named = (x) => (lang() === 'en' && x.nameEn ? x.nameEn : x.name);
/** An indicator's name as a column heading (the API's English names are lower case). */
const heading = (i) => { const s = named(i); return s.charAt(0).toUpperCase() + s.slice(1); };

/** A change of score: ▲ +2.5, ▼ −1.3 or a dash, coloured and spelt out for screen readers. */
function changeCell(change) {
  if (change === null || change === undefined) return h('td', { class: 'num muted' }, h('span', { 'aria-hidden': 'true' }, '\u2014'), h('span', { class: 'intake-sr' }, t('evaluation.noChange')));
  const dir = change > 0 ? 'up' : change < 0 ? 'down' : 'same';
  const mark = { up: '\u25B2 +', down: '\u25BC \u2212', same: '= ' }[dir];
  return h('td', { class: `num eval-change ${dir}`, 'data-testid': 'eval-change', 'data-change': String(change) },
    h('span', { 'aria-hidden': 'true' }, `${mark}${num(Math.abs(change))}`),
    h('span', { class: 'intake-sr' }, t(`evaluation.change.${dir}`, { n: num(Math.abs(change)) })));
}

route('/evaluation', async (main, { query }) => {
  const st = {
    period: kindOf(query.period) ? query.period : containing(Date.parse(`${today()}T00:00:00Z`), 'month'),
    subject: SUBJECTS.includes(query.subject) ? query.subject : 'department',
    tab: TABS.includes(query.tab) ? query.tab : 'ranking',
    report: null, seq: 0, loaded: { ranking: null, contractors: null }, indicatorNames: null,
  };
  const panel = casesPanel();

  // ---- controls ----
  const picker = periodPicker({ value: st.period, idPrefix: 'eval-period', onChange: (p) => { st.period = p; refresh(); } });
  const subjectSel = h('select', { id: 'eval-subject', 'data-testid': 'eval-subject' }, SUBJECTS.map((s) => h('option', { value: s }, t(`evaluation.subject.${s}`))));
  subjectSel.value = st.subject;
  subjectSel.addEventListener('change', () => { st.subject = subjectSel.value; refresh(); });
  const csv = (l) => h('button', { type: 'button', id: `eval-csv-${l}`, 'data-testid': `eval-csv-${l}`, onclick: (e) => busy(e.currentTarget, () => download(l)) },
    t(`evaluation.csv.${l}`));

  const tabButtons = new Map();
  const panels = new Map();
  const selectTab = (id, focus = false) => {
    st.tab = id;
    for (const [k, b] of tabButtons) {
      b.setAttribute('aria-selected', String(k === id));
      b.tabIndex = k === id ? 0 : -1;
      if (k === id && focus) b.focus();
      panels.get(k).hidden = k !== id;
    }
    return refresh();
  };
  const tablist = h('div', { role: 'tablist', class: 'tabs', 'aria-label': t('evaluation.title') }, TABS.map((id, i) => {
    const b = h('button', {
      type: 'button', role: 'tab', id: `eval-tab-${id}`, 'data-testid': `eval-tab-${id}`, 'aria-controls': `eval-panel-${id}`, 'aria-selected': 'false', tabindex: '-1',
      onclick: () => selectTab(id),
      onkeydown: (e) => {
        const to = { ArrowRight: (i + 1) % TABS.length, ArrowLeft: (i + TABS.length - 1) % TABS.length, Home: 0, End: TABS.length - 1 }[e.key];
        if (to !== undefined) { e.preventDefault(); selectTab(TABS[to], true); }
      },
    }, t(`evaluation.tab.${id}`));
    tabButtons.set(id, b);
    return b;
  }));

  // ---- the ranking ----
  const error = h('p', { class: 'error', role: 'alert', 'data-testid': 'eval-error' });
  const summary = h('p', { id: 'eval-summary', 'data-testid': 'eval-summary', 'aria-live': 'polite' });
  const rankingTable = h('table', { id: 'eval-table', 'data-testid': 'eval-table', class: 'eval-table' });
  const rankingScroll = h('div', { class: 'eval-scroll', role: 'region', tabindex: '0', 'aria-labelledby': 'eval-summary' }, rankingTable);
  panels.set('ranking', h('section', { id: 'eval-panel-ranking', role: 'tabpanel', 'aria-labelledby': 'eval-tab-ranking', hidden: true },
    h('div', { class: 'eval-toolbar' },
      h('div', { class: 'eval-field' }, h('label', { for: 'eval-subject' }, t('evaluation.subjectLabel')), subjectSel),
      h('div', { class: 'eval-buttons', role: 'group', 'aria-label': t('evaluation.csv.label') }, csv('zh'), csv('en'))),
    summary, rankingScroll, panel.element));

  // ---- the contractors ----
  const creditSummary = h('p', { id: 'eval-credit-summary', 'data-testid': 'eval-credit-summary', 'aria-live': 'polite' });
  const creditTable = h('table', { id: 'eval-credit', 'data-testid': 'eval-credit', class: 'eval-table' });
  const creditEvents = h('div', { 'data-testid': 'eval-credit-events', 'aria-live': 'polite' });
  panels.set('contractors', h('section', { id: 'eval-panel-contractors', role: 'tabpanel', 'aria-labelledby': 'eval-tab-contractors', hidden: true },
    h('p', { class: 'muted' }, t('evaluation.credit.help')), creditSummary,
    h('div', { class: 'eval-scroll', role: 'region', tabindex: '0', 'aria-labelledby': 'eval-credit-summary' }, creditTable), creditEvents));

  /** The events of a contractor's vehicles behind its vehicle deductions, as a table under the ranking. */
  async function showVehicleEvents(r) {
    creditEvents.replaceChildren(h('p', { class: 'muted' }, t('evaluation.credit.eventsLoading')));
    try {
      const q = new URLSearchParams({ period: st.period, limit: '200' });
      const events = await api(`/api/v1/evaluation/contractors/${encodeURIComponent(r.id)}/vehicle-events?${q}`);
      creditEvents.replaceChildren(h('h3', {}, t('evaluation.credit.eventsOf', { name: named(r) })), events.length
        ? h('table', { class: 'eval-table', 'data-testid': 'eval-credit-event-list' },
          h('thead', {}, h('tr', {}, ['time', 'vehicle', 'kind'].map((k) => h('th', { scope: 'col' }, t(`evaluation.credit.event.${k}`))))),
          h('tbody', {}, events.map((e) => h('tr', { 'data-testid': 'eval-credit-event' },
            h('td', {}, fmtTime(e.event.time)),
            h('td', {}, h('a', { href: `#/vehicle/${encodeURIComponent(e.event.vehicleID)}` }, e.event.vehicleID)),
            h('td', {}, t(`vehicle.event.${e.event.kind}`))))))
        : h('p', { class: 'muted' }, t('evaluation.credit.noEvents')));
    } catch (err) {
      creditEvents.replaceChildren(h('p', { class: 'error', role: 'alert' }, errorText(err)));
    }
  }

  const page = h('div', { class: 'eval-page', id: 'evaluation', 'data-loaded': 'false' },
    h('h1', {}, t('evaluation.heading')),
    h('div', { class: 'card eval-controls' }, picker.element),
    error, tablist, ...panels.values());
  main.append(page);

  // ---- loading ----
  function remember() {
    const q = new URLSearchParams({ period: st.period, subject: st.subject });
    if (st.tab !== 'ranking') q.set('tab', st.tab);
    history.replaceState(null, '', `#/evaluation?${q}`);
  }

  async function refresh() {
    remember();
    const key = st.tab === 'ranking' ? `${st.period}|${st.subject}|${lang()}` : `${st.period}|${lang()}`;
    if (st.loaded[st.tab] === key) return;
    const mine = ++st.seq;
    page.setAttribute('aria-busy', 'true');
    page.dataset.loaded = 'false';
    error.textContent = '';
    try {
      if (st.tab === 'ranking') {
        const report = await api(`/api/v1/evaluation?${new URLSearchParams({ period: st.period, subject: st.subject })}`);
        if (mine !== st.seq) return;
        st.report = report;
        panel.close(false);
        drawRanking(report);
      } else {
        const [rows, names] = await Promise.all([api(`/api/v1/evaluation/contractors?${new URLSearchParams({ period: st.period })}`), indicatorNames()]);
        if (mine !== st.seq) return;
        drawCredit(rows, names);
      }
      st.loaded[st.tab] = key;
    } catch (e) {
      if (mine === st.seq) error.textContent = errorText(e);
    } finally {
      if (mine === st.seq) { page.removeAttribute('aria-busy'); page.dataset.loaded = 'true'; }
    }
  }

  async function indicatorNames() {
    if (!st.indicatorNames) st.indicatorNames = api('/api/v1/evaluation/indicators').then((list) => new Map(list.map((i) => [i.id, i])));
    return st.indicatorNames;
  }

  function drawRanking(r) {
    const inds = r.indicators;
    const ranked = r.rows.filter((x) => x.rank !== null && x.rank !== undefined).length;
    summary.textContent = t('evaluation.summary', { subject: t(`evaluation.subject.${st.subject}`), period: r.period.name, from: r.period.from, to: r.period.to, n: r.rows.length, ranked });
    const head = h('thead', {}, h('tr', {},
      ['rank', 'name', 'score', 'grade', 'change'].map((k) => h('th', { scope: 'col', class: k === 'name' ? null : 'num' }, t(`evaluation.col.${k}`))),
      inds.map((i) => h('th', { scope: 'col', class: 'num', 'data-indicator': i.id },
        heading(i), h('span', { class: 'eval-better', title: t(i.higherIsBetter ? 'evaluation.higherBetter' : 'evaluation.lowerBetter') },
          h('span', { 'aria-hidden': 'true' }, i.higherIsBetter ? ' \u2191' : ' \u2193'), h('span', { class: 'intake-sr' }, t(i.higherIsBetter ? 'evaluation.higherBetter' : 'evaluation.lowerBetter')))))));
    const body = h('tbody', {}, r.rows.map((row) => h('tr', { 'data-testid': 'eval-row', dataset: { subject: row.subject, rank: row.rank ?? '' } },
      h('td', { class: 'num', 'data-testid': 'eval-rank' }, row.rank ?? '\u2014'),
      h('th', { scope: 'row', 'data-testid': 'eval-name' }, named(row)),
      h('td', { class: 'num eval-score', 'data-testid': 'eval-score' }, num(row.score)),
      h('td', { class: 'num', 'data-testid': 'eval-grade' }, row.grade ? h('span', { class: `badge eval-grade grade-${row.grade}` }, row.grade) : '\u2014'),
      changeCell(row.change),
      inds.map((i) => indicatorCell(row, i)))));
    if (!r.rows.length) body.append(h('tr', {}, h('td', { colspan: 5 + inds.length, class: 'muted' }, t('evaluation.none'))));
    rankingTable.replaceChildren(h('caption', { class: 'intake-sr' }, summary.textContent), head, body);
  }

  /** "85.3% (12/14)": the rate, and each count as a button listing its cases. */
  function indicatorCell(row, ind) {
    const v = row.indicators[ind.id];
    if (!v) return h('td', { class: 'num muted' }, '\u2014');
    const count = (part, n) => {
      const title = t('evaluation.cases.title', { subject: named(row), indicator: named(ind), part: t(`evaluation.part.${part}`), n });
      return h('button', {
        type: 'button', class: 'link eval-count', 'data-testid': part === 'numerator' ? 'eval-num' : 'eval-den',
        dataset: { indicator: ind.id, part, count: String(n) }, 'aria-label': t('evaluation.listCases', { title }),
        onclick: (e) => panel.open({ period: st.report.period.name, subject: st.subject, id: row.subject, indicator: ind.id, part, title, figure: n }, e.currentTarget),
      }, num(n, 0));
    };
    if (!ind.rate) return h('td', { class: 'num', 'data-indicator': ind.id }, count('numerator', v.numerator));
    const rate = v.value === null || v.value === undefined ? '\u2014' : `${num(v.value)}%`;
    return h('td', { class: 'num', 'data-indicator': ind.id },
      h('span', { class: 'eval-rate', 'data-testid': 'eval-rate' }, rate),
      h('span', { class: 'eval-parts' }, ' (', count('numerator', v.numerator), '/', count('denominator', v.denominator), ')'));
  }

  function drawCredit(rows, names) {
    const terms = [...new Set(rows.flatMap((r) => Object.keys(r.deductions || {})))];
    creditSummary.textContent = t('evaluation.credit.summary', { period: st.period, n: rows.length });
    // Vehicle deductions are keyed by the event's code (`vehicle.dumping_suspected`), named as the event kind.
    const vehicleKind = (id) => id.slice('vehicle.'.length).replace(/_([a-z])/g, (_, c) => c.toUpperCase());
    const termName = (id) => (names.get(id) ? named(names.get(id)) : id.startsWith('vehicle.') ? t(`vehicle.event.${vehicleKind(id)}`) : id);
    const head = h('thead', {}, h('tr', {},
      ['rank', 'name', 'score', 'level', 'change'].map((k) => h('th', { scope: 'col', class: k === 'name' ? null : 'num' }, t(`evaluation.credit.col.${k}`))),
      h('th', { scope: 'col', class: 'num' }, t('evaluation.credit.col.deducted')),
      terms.map((id) => h('th', { scope: 'col', class: 'num', 'data-term': id }, t('evaluation.credit.term', { name: termName(id) })))));
    const body = h('tbody', {}, rows.map((r) => {
      const total = Object.values(r.deductions || {}).reduce((a, b) => a + b, 0);
      return h('tr', { 'data-testid': 'eval-credit-row', dataset: { subject: r.id } },
        h('td', { class: 'num' }, r.rank),
        h('th', { scope: 'row' }, named(r)),
        h('td', { class: 'num eval-score', 'data-testid': 'eval-credit-score' }, num(r.score)),
        h('td', { class: 'num' }, h('span', { class: `badge eval-grade grade-${r.level}` }, r.level), ' ', t(`evaluation.credit.level.${r.level}`)),
        changeCell(r.change),
        h('td', { class: 'num' }, total ? `\u2212${num(total)}` : '0'),
        terms.map((id) => h('td', { class: 'num' }, !r.deductions?.[id] ? '0'
          : id.startsWith('vehicle.')
            ? h('button', { type: 'button', class: 'link', 'data-testid': 'eval-credit-vehicle', dataset: { term: id },
              'aria-label': t('evaluation.credit.showEvents', { name: named(r) }), onclick: () => showVehicleEvents(r) }, `\u2212${num(r.deductions[id])}`)
            : `\u2212${num(r.deductions[id])}`)));
    }));
    if (!rows.length) body.append(h('tr', {}, h('td', { colspan: 6 + terms.length, class: 'muted' }, t('evaluation.credit.none'))));
    creditTable.replaceChildren(h('caption', { class: 'intake-sr' }, creditSummary.textContent), head, body);
  }

  /** The ranking as the server's CSV in a language, saved as a file. */
  async function download(l) {
    const q = new URLSearchParams({ period: st.period, subject: st.subject });
    if (l === 'en') q.set('lang', 'en');
    const res = await api(`/api/v1/evaluation/export?${q}`, { raw: true });
    const url = URL.createObjectURL(await res.blob());
    const a = h('a', { href: url, download: `evaluation-${st.subject}-${st.period}-${l}.csv` });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  await selectTab(st.tab);
}, { roles: ['leader', 'admin', 'shiftlead'], title: 'evaluation.title' });
