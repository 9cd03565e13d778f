// The analytics page's figures: the trend (reports per day, week or month with week-over-week and year-over-year
// change), the forecast (recent history, the expected days with their low-high band, and how the model did against
// "same as last week"), and the weekday x hour pattern as a table coloured by count.
import { h, lang, t } from '../core.js';

const INK = '#1f2933';
const GRID = 'rgba(82,96,109,0.18)';
const locale = () => (lang() === 'en' ? 'en-GB' : 'zh-CN');
/** A number in the page's language (at most `digits` decimals). */
export const num = (n, digits = 0) => (n === null || n === undefined ? '\u2014' : Number(n).toLocaleString(locale(), { maximumFractionDigits: digits }));
/** A change in percent with its sign and arrow: ▲ +12.5%. */
export const pct = (p) => (p === null || p === undefined ? '\u2014' : `${p > 0 ? '\u25B2 +' : p < 0 ? '\u25BC \u2212' : ''}${num(Math.abs(p), 1)}%`);

const options = (extra = {}) => ({
  animation: false, responsive: true, maintainAspectRatio: false,
  interaction: { mode: 'index', intersect: false },
  plugins: { legend: { labels: { color: INK } }, tooltip: { enabled: true } },
  scales: { x: { ticks: { color: INK, maxRotation: 0, autoSkip: true }, grid: { color: GRID } }, y: { beginAtZero: true, ticks: { color: INK, precision: 0 }, grid: { color: GRID } } },
  ...extra,
});

/** A figure: a label over a value, with a line of detail. */
const figure = (key, testid, value, detail) => h('div', { class: 'an-figure', 'data-testid': testid },
  h('span', { class: 'an-figure-label' }, t(key)), h('span', { class: 'an-figure-value' }, value), h('span', { class: 'muted' }, detail));

/** The trend card's contents. Answers `{element, draw(reply), destroy()}`. */
export function trendView() {
  const canvas = h('canvas', { id: 'an-trend-chart', role: 'img', 'aria-label': t('analytics.trend.title') });
  const figures = h('div', { class: 'an-figures', id: 'an-trend-figures' });
  let chart = null;
  return {
    element: h('div', {}, figures, h('div', { class: 'an-chart' }, canvas)),
    draw(r) {
      figures.replaceChildren(
        figure('analytics.trend.total', 'an-trend-total', num(r.total), t('analytics.trend.points', { n: r.series.length })),
        figure('analytics.trend.wow', 'an-trend-wow', pct(r.weekOverWeek), t('analytics.trend.wowDetail', { last: num(r.lastWeek), before: num(r.weekBefore) })),
        figure('analytics.trend.yoy', 'an-trend-yoy', pct(r.yearOverYear), t('analytics.trend.yoyDetail', { now: num(r.total), before: num(r.yearBefore) })));
      const labels = r.series.map((p) => p.date);
      const peak = r.series.reduce((a, p) => (p.count > a.count ? p : a), { count: -1, date: '' });
      canvas.setAttribute('aria-label', t('analytics.trend.summary', { total: num(r.total), from: labels[0] || '', to: labels[labels.length - 1] || '', peak: num(peak.count), peakDate: peak.date }));
      const data = r.series.map((p) => p.count);
      if (!chart) {
        chart = new Chart(canvas, {
          type: 'line',
          data: { labels, datasets: [{ label: t('analytics.trend.series'), data, borderColor: '#0b5cad', backgroundColor: 'rgba(11,92,173,0.12)', fill: true, tension: 0.2, pointRadius: 1.5 }] },
          options: options(),
        });
      } else {
        chart.data.labels = labels;
        chart.data.datasets[0].data = data;
        chart.update('none');
      }
      canvas.dataset.points = String(data.length);
    },
    destroy() { chart?.destroy(); chart = null; },
  };
}

/** The forecast card's contents. Answers `{element, draw(reply), destroy()}`. */
export function forecastView() {
  const canvas = h('canvas', { id: 'an-forecast-chart', role: 'img', 'aria-label': t('analytics.forecast.title') });
  const backtest = h('p', { class: 'an-backtest', id: 'an-backtest', 'data-testid': 'an-backtest' });
  const table = h('table', { class: 'an-small-table', id: 'an-forecast-table' });
  let chart = null;
  return {
    element: h('div', {}, backtest, h('div', { class: 'an-chart' }, canvas),
      h('details', { class: 'an-details' }, h('summary', {}, t('analytics.forecast.asTable')), table)),
    draw(r) {
      const b = r.backtest;
      Object.assign(backtest.dataset, { model: String(b.modelMAE), naive: String(b.naiveMAE), weeks: String(b.weeks) });
      backtest.replaceChildren(
        t('analytics.forecast.backtest', { model: num(b.modelMAE, 2), naive: num(b.naiveMAE, 2), weeks: b.weeks }), ' ',
        h('strong', { 'data-testid': 'an-backtest-ratio', 'data-ratio': b.ratio ?? '' },
          b.ratio === null || b.ratio === undefined ? t('analytics.forecast.noRatio') : t('analytics.forecast.ratio', { ratio: num(b.ratio, 2) })),
        ' ', b.ratio === null || b.ratio === undefined ? '' : t(b.ratio < 1 ? 'analytics.forecast.better' : 'analytics.forecast.worse'));
      const labels = [...r.history.map((d) => d.date), ...r.forecast.map((d) => d.date)];
      const pad = (arr, before) => [...Array(before).fill(null), ...arr];
      const n = r.history.length;
      // The expected line starts at the last observed day so the two lines join.
      const last = n ? r.history[n - 1].count : null;
      const sets = [
        { label: t('analytics.forecast.history'), data: r.history.map((d) => d.count), borderColor: '#1f2933', backgroundColor: '#1f2933', pointRadius: 1.5, tension: 0.15, fill: false },
        { label: t('analytics.forecast.low'), data: pad(r.forecast.map((d) => d.low), n), borderColor: 'rgba(11,92,173,0.35)', borderWidth: 1, pointRadius: 0, fill: false },
        { label: t('analytics.forecast.high'), data: pad(r.forecast.map((d) => d.high), n), borderColor: 'rgba(11,92,173,0.35)', borderWidth: 1, pointRadius: 0, backgroundColor: 'rgba(11,92,173,0.18)', fill: '-1' },
        { label: t('analytics.forecast.expected'), data: [...Array(Math.max(0, n - 1)).fill(null), last, ...r.forecast.map((d) => d.expected)], borderColor: '#b44d12', backgroundColor: '#b44d12', borderDash: [6, 4], pointRadius: 2, fill: false },
      ];
      canvas.setAttribute('aria-label', t('analytics.forecast.summary', {
        days: r.forecast.length, expected: num(r.forecast.reduce((a, d) => a + d.expected, 0), 1),
        low: num(r.forecast.reduce((a, d) => a + d.low, 0), 1), high: num(r.forecast.reduce((a, d) => a + d.high, 0), 1) }));
      if (chart) chart.destroy();
      chart = new Chart(canvas, { type: 'line', data: { labels, datasets: sets }, options: options() });
      canvas.dataset.days = String(r.forecast.length);
      table.replaceChildren(
        h('thead', {}, h('tr', {}, ['date', 'expected', 'low', 'high'].map((k) => h('th', { scope: 'col' }, t(`analytics.forecast.col.${k}`))))),
        h('tbody', {}, r.forecast.map((d) => h('tr', {}, h('th', { scope: 'row' }, d.date), h('td', {}, num(d.expected, 1)), h('td', {}, num(d.low, 1)), h('td', {}, num(d.high, 1))))));
    },
    destroy() { chart?.destroy(); chart = null; },
  };
}

/** The weekday x hour table, each cell shaded by its count. Answers `{element, draw(reply)}`. */
export function patternView() {
  const table = h('table', { class: 'an-pattern', id: 'an-pattern', 'data-testid': 'an-pattern' });
  const note = h('p', { class: 'muted', id: 'an-pattern-note' });
  return {
    element: h('div', {}, note, h('div', { class: 'eval-scroll', role: 'region', tabindex: '0', 'aria-label': t('analytics.pattern.title') }, table)),
    draw(r) {
      const max = Math.max(1, ...r.weekdayHour.flat());
      const hours = Array.from({ length: 24 }, (_, i) => i);
      const busiest = r.weekdayHour.flatMap((row, d) => row.map((n, hr) => ({ n, d, hr }))).reduce((a, x) => (x.n > a.n ? x : a), { n: -1, d: 0, hr: 0 });
      note.textContent = t('analytics.pattern.busiest', { day: t(`analytics.weekday.${busiest.d}`), hour: busiest.hr, n: num(busiest.n) });
      // Light cells (up to 62% blue) keep dark text, dark ones (from 85%) white: both above 4.5:1 on white paper.
      const shade = (n) => {
        const f = n / max;
        const alpha = f < 0.6 ? 0.04 + (f / 0.6) * 0.58 : 0.85 + ((f - 0.6) / 0.4) * 0.15;
        return { background: `rgba(11,92,173,${alpha.toFixed(3)})`, color: f < 0.6 ? INK : '#fff' };
      };
      table.replaceChildren(
        h('caption', { class: 'intake-sr' }, t('analytics.pattern.caption')),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('analytics.pattern.day')), hours.map((hr) => h('th', { scope: 'col', class: 'num' }, String(hr))),
          h('th', { scope: 'col', class: 'num' }, t('analytics.pattern.total')))),
        h('tbody', {}, r.weekdayHour.map((row, d) => h('tr', {},
          h('th', { scope: 'row' }, t(`analytics.weekday.${d}`)),
          row.map((n) => h('td', { class: 'num', style: shade(n) }, String(n))),
          h('td', { class: 'num' }, h('strong', {}, num(r.byWeekday[d])))))));
    },
  };
}
