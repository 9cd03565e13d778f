// The matter class picker shared by the intake pages: the catalog as a tree (major class → matter), searchable by
// name or code, and the helpers naming major classes and report sources.
import { catalog, entryName, h, lang, t } from '../core.js';

/** Major classes of the national catalog that have a translation (the others keep the catalog's name). */
const knownMajors = new Set(['01', '02', '03', '04', '05', '06', '07', '08', '09', '10']);

/** A major class's name: the catalog's own in Chinese; in English a translation, else the catalog's English name. */
export function majorName(code, catalogName, catalogNameEn) {
  if (lang() === 'zh') return catalogName || code;
  if (!knownMajors.has(code)) return catalogNameEn || catalogName || code;
  return t(`intake.major.${code}`);
}

/** The report channels (case sources), in the order the filters list them. */
export const sources = ['citizen', 'inspector', 'hotline', 'partner', 'sensor', 'video', 'operator'];

/** A source's name. */
export function sourceName(source) { return source ? t(`intake.source.${source}`) : ''; }

/** The catalog's matters grouped by major class: `[{code, name, items: [entry]}]`, in code order. */
export async function matterGroups() {
  const cat = await catalog();
  const groups = new Map();
  for (const m of [...cat.matters.values()].sort((a, b) => a.code.localeCompare(b.code))) {
    const code = m.code.slice(0, 2);
    if (!groups.has(code)) groups.set(code, { code, name: majorName(code, m.majorClass, m.majorClassEn), items: [] });
    groups.get(code).items.push(m);
  }
  return [...groups.values()];
}

/** A matter's label: its code and name. */
export async function matterLabel(code) {
  const cat = await catalog();
  const e = cat.matter(code);
  return e ? `${code} ${entryName(e)}` : code;
}

/**
 * The searchable catalog tree. `value` is the preselected matter code; `onChange(code)` runs on every choice.
 * Answers `{element, value, set(code), focus()}`. `testid` prefixes the data-testids (`{testid}-search`,
 * `{testid}-current`, and each option `{testid}-option` with `data-code`).
 */
export async function matterPicker({ value = null, onChange = () => {}, testid = 'matter', labelKey = 'intake.matter.label' } = {}) {
  const groups = await matterGroups();
  let selected = value;
  const search = h('input', {
    type: 'search', autocomplete: 'off', 'data-testid': `${testid}-search`, placeholder: t('intake.matter.searchHint'),
  });
  const current = h('p', { class: 'matter-current', 'data-testid': `${testid}-current`, 'aria-live': 'polite' });
  const tree = h('div', { class: 'matter-tree', role: 'group', 'aria-label': t('intake.matter.tree') });
  const empty = h('p', { class: 'muted', hidden: true }, t('intake.matter.noMatch'));
  const options = [];

  const label = (m) => `${m.code} ${entryName(m)}`;
  const showCurrent = () => {
    const m = groups.flatMap((g) => g.items).find((e) => e.code === selected);
    current.replaceChildren(t('intake.matter.selected'), ' ', m ? h('strong', {}, label(m)) : h('span', { class: 'muted' }, t('intake.matter.none')));
    for (const o of options) o.setAttribute('aria-pressed', o.dataset.code === selected ? 'true' : 'false');
  };
  const choose = (code) => {
    selected = code;
    showCurrent();
    onChange(code);
  };

  for (const g of groups) {
    const list = h('ul', {});
    for (const m of g.items) {
      const b = h('button', {
        type: 'button', class: 'matter-option', 'data-testid': `${testid}-option`, dataset: { code: m.code },
        'aria-pressed': 'false', onclick: () => choose(m.code),
      }, h('span', { class: 'code' }, m.code), ' ', entryName(m), m.isLocal ? h('span', { class: 'badge' }, t('intake.matter.local')) : null);
      options.push(b);
      list.append(h('li', { dataset: { code: m.code, name: `${m.name} ${m.nameEn || ''}`.toLowerCase() } }, b));
    }
    tree.append(h('details', { dataset: { major: g.code } },
      h('summary', {}, h('span', { class: 'code' }, g.code), ' ', g.name, ' ', h('span', { class: 'muted' }, `(${g.items.length})`)),
      list));
  }
  tree.append(empty);

  const filter = () => {
    const q = search.value.trim().toLowerCase();
    let shown = 0;
    for (const d of tree.querySelectorAll('details')) {
      const majorHit = q && (d.dataset.major.startsWith(q) || d.querySelector('summary').textContent.toLowerCase().includes(q));
      let hits = 0;
      for (const li of d.querySelectorAll('li')) {
        const hit = !q || majorHit || li.dataset.code.startsWith(q) || li.dataset.name.includes(q);
        li.hidden = !hit;
        if (hit) hits += 1;
      }
      d.hidden = hits === 0;
      d.open = !!q && hits > 0 && hits <= 40;
      shown += hits;
    }
    empty.hidden = shown > 0;
  };
  search.addEventListener('input', filter);
  search.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      // Enter picks the only (or exactly coded) match; ArrowDown goes into the tree.
      e.preventDefault();
      const visible = options.filter((o) => !o.closest('li').hidden && !o.closest('details').hidden);
      const exact = visible.find((o) => o.dataset.code === search.value.trim());
      if (exact || visible.length === 1) choose((exact || visible[0]).dataset.code);
    } else if (e.key === 'ArrowDown') {
      const first = [...tree.querySelectorAll('details:not([hidden]) > summary')][0];
      if (first) { e.preventDefault(); first.focus(); }
    }
  });
  // Arrow keys move between the visible summaries and options of the tree.
  tree.addEventListener('keydown', (e) => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    const stops = [...tree.querySelectorAll('details:not([hidden]) > summary, details[open]:not([hidden]) li:not([hidden]) > button')];
    const i = stops.indexOf(document.activeElement);
    if (i < 0) return;
    e.preventDefault();
    if (e.key === 'ArrowDown' && i < stops.length - 1) stops[i + 1].focus();
    else if (e.key === 'ArrowUp') (i > 0 ? stops[i - 1] : search).focus();
  });

  const searchID = `${testid}-search-${Math.random().toString(36).slice(2, 7)}`;
  search.id = searchID;
  const element = h('div', { class: 'matter-picker', 'data-testid': testid },
    h('label', { for: searchID }, t(labelKey)), search, current, tree);
  showCurrent();
  if (selected) {
    const d = tree.querySelector(`details[data-major="${selected.slice(0, 2)}"]`);
    if (d) d.open = true;
  }
  return {
    element,
    get value() { return selected; },
    set(code) { selected = code; showCurrent(); },
    focus() { search.focus(); },
  };
}
