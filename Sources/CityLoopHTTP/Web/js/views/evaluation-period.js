// Evaluation periods as the API names them — month 2026-11, ISO week 2026-W48, quarter 2026-Q4, year 2026, day
// 2026-11-23, range 2026-11-01..2026-11-15 — counted in the city's days (UTC+8, as the server counts them), and the
// picker: the kind, the value, and the period before and after.
import { h, t } from '../core.js';

/** The kinds of period, in the order the picker offers them. */
export const KINDS = ['month', 'week', 'quarter', 'year', 'day', 'range'];

const DAY = 86400000;
const CITY_OFFSET = 8 * 3600000;
const pad = (n) => String(n).padStart(2, '0');
const ymd = (ms) => new Date(ms).toISOString().slice(0, 10);
const dayMs = (s) => Date.parse(`${s}T00:00:00Z`);
const weekday = (ms) => (new Date(ms).getUTCDay() + 6) % 7; // Monday 0

/** Today in the city: `2026-11-23`. */
export function today() { return ymd(Date.now() + CITY_OFFSET); }

/** The Monday that starts ISO week 1 of a year. */
function firstMonday(year) { const jan4 = Date.UTC(year, 0, 4); return jan4 - weekday(jan4) * DAY; }

/** The kind of a period's name, or null when it is none. */
export function kindOf(name) {
  if (typeof name !== 'string') return null;
  if (/^\d{4}-\d\d-\d\d\.\.\d{4}-\d\d-\d\d$/.test(name)) return 'range';
  if (/^\d{4}-W\d\d$/.test(name)) return 'week';
  if (/^\d{4}-Q[1-4]$/.test(name)) return 'quarter';
  if (/^\d{4}$/.test(name)) return 'year';
  if (/^\d{4}-(0[1-9]|1[0-2])$/.test(name)) return 'month';
  if (/^\d{4}-\d\d-\d\d$/.test(name) && !Number.isNaN(dayMs(name))) return 'day';
  return null;
}

/** The first and last day of a period (midnight UTC of each, in ms), or null. */
export function bounds(name) {
  const y = Number(String(name).slice(0, 4));
  switch (kindOf(name)) {
    case 'day': return [dayMs(name), dayMs(name)];
    case 'week': { const a = firstMonday(y) + (Number(name.slice(6)) - 1) * 7 * DAY; return [a, a + 6 * DAY]; }
    case 'month': { const m = Number(name.slice(5, 7)); return [Date.UTC(y, m - 1, 1), Date.UTC(y, m, 1) - DAY]; }
    case 'quarter': { const q = Number(name.slice(6)); return [Date.UTC(y, (q - 1) * 3, 1), Date.UTC(y, q * 3, 1) - DAY]; }
    case 'year': return [Date.UTC(y, 0, 1), Date.UTC(y + 1, 0, 1) - DAY];
    case 'range': { const [a, b] = name.split('..').map(dayMs); return a <= b ? [a, b] : null; }
    default: return null;
  }
}

/** The period of a kind that holds a day (ms); a range is the 14 days up to it. */
export function containing(ms, kind) {
  const d = new Date(ms);
  const [y, m] = [d.getUTCFullYear(), d.getUTCMonth()];
  switch (kind) {
    case 'day': return ymd(ms);
    case 'week': {
      const thursday = ms + (3 - weekday(ms)) * DAY;
      const wy = new Date(thursday).getUTCFullYear();
      return `${wy}-W${pad(Math.floor((ms - firstMonday(wy)) / (7 * DAY)) + 1)}`;
    }
    case 'month': return `${y}-${pad(m + 1)}`;
    case 'quarter': return `${y}-Q${Math.floor(m / 3) + 1}`;
    case 'year': return String(y);
    default: return `${ymd(ms - 13 * DAY)}..${ymd(ms)}`;
  }
}

/** The same time in another kind of period: the one holding the first day, or for a range the same days. */
export function convert(name, kind) {
  const b = bounds(name);
  if (!b) return containing(dayMs(today()), kind);
  return kind === 'range' ? `${ymd(b[0])}..${ymd(b[1])}` : containing(b[0], kind);
}

/** The period `n` steps before (negative) or after (positive) this one; a range moves by its own length. */
export function shift(name, n) {
  const [a, b] = bounds(name);
  const kind = kindOf(name);
  if (kind === 'range') { const len = b - a + DAY; return `${ymd(a + n * len)}..${ymd(b + n * len)}`; }
  let out = name;
  for (let i = 0; i < Math.abs(n); i += 1) { const [fa, fb] = bounds(out); out = containing(n < 0 ? fa - DAY : fb + DAY, kind); }
  return out;
}

/** Whether a period starts after today (nothing to evaluate yet). */
export function isFuture(name) { return bounds(name)[0] > dayMs(today()); }

/** A period's days in words: `2026-11-01 – 2026-11-30`. */
export function span(name) { const b = bounds(name); return b ? `${ymd(b[0])} – ${ymd(b[1])}` : name; }

/**
 * The period picker: the kind, a value control fitting it, and buttons for the period before and after.
 * `onChange(name)` runs on every valid choice. Answers `{element, value(), set(name)}`.
 */
export function periodPicker({ value, onChange, idPrefix = 'period' }) {
  let current = kindOf(value) ? value : containing(dayMs(today()), 'month');
  const kindSel = h('select', { id: `${idPrefix}-kind`, 'data-testid': `${idPrefix}-kind` },
    KINDS.map((k) => h('option', { value: k }, t(`period.kind.${k}`))));
  const slot = h('div', { class: 'eval-period-value' });
  const prev = h('button', { type: 'button', id: `${idPrefix}-prev`, 'data-testid': `${idPrefix}-prev`, 'aria-label': t('period.previousLabel'), onclick: () => choose(shift(current, -1)) },
    h('span', { 'aria-hidden': 'true' }, '\u25C0 '), t('period.previous'));
  const next = h('button', { type: 'button', id: `${idPrefix}-next`, 'data-testid': `${idPrefix}-next`, 'aria-label': t('period.nextLabel'), onclick: () => choose(shift(current, 1)) },
    t('period.next'), h('span', { 'aria-hidden': 'true' }, ' \u25B6'));
  const days = h('span', { class: 'muted', id: `${idPrefix}-span`, 'data-testid': `${idPrefix}-span`, 'aria-live': 'polite' });
  kindSel.addEventListener('change', () => choose(convert(current, kindSel.value)));

  const labelled = (key, control) => h('div', { class: 'eval-field' }, h('label', { for: control.id }, t(key)), control);
  const years = (extra) => {
    const y = Number(today().slice(0, 4));
    return [...new Set([...Array.from({ length: 6 }, (_, i) => y - i), extra])].sort((a, b) => b - a);
  };

  /** The value control(s) for the kind in force. */
  function drawValue() {
    const kind = kindOf(current);
    const id = `${idPrefix}-value`;
    const [a, b] = bounds(current);
    let controls;
    if (kind === 'month' || kind === 'week' || kind === 'day') {
      const input = h('input', { type: { month: 'month', week: 'week', day: 'date' }[kind], id, 'data-testid': id, value: current, required: true, max: kind === 'day' ? today() : null });
      input.addEventListener('change', () => { if (kindOf(input.value) === kind) choose(input.value); });
      controls = [labelled(`period.value.${kind}`, input)];
    } else if (kind === 'quarter') {
      const sel = h('select', { id, 'data-testid': id }, years(Number(current.slice(0, 4))).flatMap((y) => [4, 3, 2, 1].map((q) => `${y}-Q${q}`))
        .filter((q) => !isFuture(q) || q === current).map((q) => h('option', { value: q }, q)));
      sel.value = current;
      sel.addEventListener('change', () => choose(sel.value));
      controls = [labelled('period.value.quarter', sel)];
    } else if (kind === 'year') {
      const sel = h('select', { id, 'data-testid': id }, years(Number(current)).map((y) => h('option', { value: String(y) }, String(y))));
      sel.value = current;
      sel.addEventListener('change', () => choose(sel.value));
      controls = [labelled('period.value.year', sel)];
    } else {
      const from = h('input', { type: 'date', id: `${id}-from`, 'data-testid': `${id}-from`, value: ymd(a), required: true });
      const to = h('input', { type: 'date', id: `${id}-to`, 'data-testid': `${id}-to`, value: ymd(b), required: true });
      const changed = () => { if (from.value && to.value && from.value <= to.value) choose(`${from.value}..${to.value}`); };
      from.addEventListener('change', changed);
      to.addEventListener('change', changed);
      controls = [labelled('period.value.from', from), labelled('period.value.to', to)];
    }
    slot.replaceChildren(...controls);
    kindSel.value = kind;
    next.disabled = isFuture(shift(current, 1));
    days.textContent = span(current);
  }

  function choose(name) {
    if (!kindOf(name) || !bounds(name)) return;
    current = name;
    drawValue();
    onChange(name);
  }

  drawValue();
  const element = h('div', { class: 'eval-period', role: 'group', 'aria-label': t('period.label') },
    labelled('period.kindLabel', kindSel), slot, h('div', { class: 'eval-period-steps' }, prev, next), days);
  return { element, value: () => current, set(name) { if (kindOf(name)) { current = name; drawValue(); } } };
}
