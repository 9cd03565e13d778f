// Helpers shared by the staff pages (case, dispatch, deadlines, tasks) and the action panel: department names and
// pickers, the responsibility-list suggestion, evidence thumbnails with a full-size viewer, and a keyed list that
// live updates change row by row without disturbing a form someone is typing in.
import { api, catalog, entryName, h, lang, live, roleName, t } from '../core.js';

/** A department's name in the current language (its ID when unknown). */
export function deptName(depts, id) {
  if (!id) return '';
  const d = depts?.get(id);
  if (!d) return id;
  return lang() === 'en' && d.nameEn ? d.nameEn : d.name;
}

/** Departments sorted for pickers: city bureaus first, then territorial (street) offices, each by name. */
export function sortedDepartments(depts) {
  return [...depts.values()].sort((a, b) => (a.territorial === b.territorial ? 0 : a.territorial ? 1 : -1)
    || deptName(depts, a.id).localeCompare(deptName(depts, b.id), lang() === 'en' ? 'en' : 'zh-CN'));
}

/**
 * A department `<select>`. `auto` adds a first option that leaves the choice to the responsibility list;
 * `suggested` marks (and preselects) the department the list suggests.
 */
export function departmentSelect(depts, { selected = '', suggested = null, auto = false, name = 'departmentID', testid } = {}) {
  const select = h('select', { name, 'data-testid': testid || null });
  if (auto) select.append(h('option', { value: '' }, t('action.departmentAuto')));
  for (const d of sortedDepartments(depts)) {
    const label = d.id === suggested ? `${deptName(depts, d.id)} ${t('action.suggestedMark')}` : deptName(depts, d.id);
    select.append(h('option', { value: d.id }, label));
  }
  select.value = selected || suggested || '';
  if (!auto && !select.value && select.options.length) select.selectedIndex = -1;
  return select;
}

// ---- responsibility list, matched as ResponsibilityList.route does ----
let rulesPromise = null;
/** The responsibility rules (GET /api/v1/rules), fetched once per page load; an empty list when not readable. */
export function loadRules() {
  if (!rulesPromise) rulesPromise = api('/api/v1/rules').then((r) => (Array.isArray(r) ? r : r?.rules || [])).catch(() => []);
  return rulesPromise;
}

/**
 * The rule routing a matter in a grid: the most specific matter (5-digit class, then 2-digit major class, then `*`),
 * and within it the longest area prefix; the first such rule in list order wins. Null when no rule covers it.
 */
export function matchRule(rules, matterCode, gridCode) {
  const matters = matterCode.length === 5 ? [matterCode, matterCode.slice(0, 2), '*'] : [matterCode, '*'];
  for (const m of matters) {
    let best = null;
    for (const r of rules) {
      const area = r.areaCode || '';
      if (r.matter !== m || !gridCode.startsWith(area)) continue;
      if (!best || area.length > (best.areaCode || '').length) best = r;
    }
    if (best) return best;
  }
  return null;
}

/** The department suggested for a case: the server's suggestion when it gives one, else the responsibility list's. */
export async function suggestion(detailOrCase) {
  const c = detailOrCase.case || detailOrCase;
  const server = detailOrCase.suggestedDepartmentID || detailOrCase.suggestion?.departmentID || c.suggestedDepartmentID;
  if (server) return { departmentID: server, ruleID: detailOrCase.suggestion?.ruleID || null };
  const rule = matchRule(await loadRules(), c.matterCode, c.placement?.gridCode || '');
  return rule ? { departmentID: rule.departmentID, ruleID: rule.id } : null;
}

// ---- case facts ----
/** The matter class's name (and code) from the catalog. */
export async function matterLabel(code) {
  const cat = await catalog().catch(() => null);
  const entry = cat?.matter(code);
  return entry ? `${entryName(entry)} (${code})` : code;
}

/** The names of many matter codes at once (for lists): Map code → name. */
export async function matterNames() {
  const cat = await catalog().catch(() => null);
  return (code) => (cat?.matter(code) ? entryName(cat.matter(code)) : code);
}

/** A case source's name. */
export function sourceName(source) { return t(`case.source.${source}`); }

/** An urgency's name. */
export function urgencyName(urgency) { return t(`case.urgency.${urgency || 'normal'}`); }

/** Who took an event: role and name. */
export function actorText(event) {
  return event.actorRole === 'system' ? roleName('system') : `${roleName(event.actorRole)} · ${event.actorName}`;
}

/** The latest event of an action in a detail's timeline. */
export function lastEvent(detail, action) {
  const tl = detail?.timeline || [];
  for (let i = tl.length - 1; i >= 0; i -= 1) if (tl[i].action === action) return tl[i];
  return null;
}

/** A link to a case page. */
export function caseLink(c) {
  return h('a', { href: `#/case/${encodeURIComponent(c.id)}`, class: 'case-number', 'data-testid': 'case-link' }, c.number);
}

// ---- evidence ----
const mediaCache = new Map();
/** An object URL for an evidence file of a case (thumbnail or full size), fetched with the session's token. */
export function mediaURL(caseID, mediaID, thumbnail) {
  const key = `${caseID}/${mediaID}/${thumbnail ? 't' : 'f'}`;
  if (!mediaCache.has(key)) {
    const q = thumbnail ? '?thumbnail=true' : '';
    const p = api(`/api/v1/cases/${encodeURIComponent(caseID)}/media/${encodeURIComponent(mediaID)}${q}`, { raw: true })
      .then(async (res) => URL.createObjectURL(await res.blob()));
    p.catch(() => mediaCache.delete(key));
    mediaCache.set(key, p);
  }
  return mediaCache.get(key);
}

/** A thumbnail button for an evidence file; activating it opens the full-size image. */
export function thumbnail(caseID, mediaID, label) {
  const img = h('img', { alt: label });
  const button = h('button', {
    type: 'button', class: 'thumb', 'data-testid': 'evidence-thumb', 'data-media': mediaID, title: label,
    'aria-label': t('case.openPhoto', { label }), onclick: () => openPhoto(caseID, mediaID, label),
  }, img);
  mediaURL(caseID, mediaID, true).then((url) => { img.src = url; }).catch(() => {
    button.replaceChildren(h('span', { class: 'thumb-missing' }, t('case.photoMissing')));
  });
  return button;
}

/** Shows an evidence file full size in a modal dialog (Escape or the close button ends it). */
export async function openPhoto(caseID, mediaID, label) {
  const img = h('img', { alt: label });
  const close = h('button', { type: 'button', class: 'lightbox-close', 'data-testid': 'lightbox-close' }, t('common.close'));
  const full = h('a', { target: '_blank', rel: 'noopener', class: 'lightbox-open' }, t('case.openOriginal'));
  const dialog = h('dialog', { class: 'lightbox', 'data-testid': 'lightbox', 'aria-label': label },
    h('div', { class: 'lightbox-bar' }, h('span', {}, label), full, close), img);
  close.addEventListener('click', () => dialog.close());
  dialog.addEventListener('click', (e) => { if (e.target === dialog) dialog.close(); });
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
  close.focus();
  try {
    const url = await mediaURL(caseID, mediaID, false);
    img.src = url;
    full.href = url;
  } catch {
    img.replaceWith(h('p', { class: 'error' }, t('case.photoMissing')));
  }
}

// ---- keyed lists for live pages ----
/**
 * Makes `container`'s children match `items` by key: rows still present are kept (and passed to `update`), new ones
 * are built (and marked fresh), gone ones removed; order follows `items`. `update(el, item)` may answer a replacement
 * element. Answers the keys that are new.
 */
export function syncList(container, items, key, build, update) {
  const existing = new Map([...container.children].filter((el) => el.dataset.key).map((el) => [el.dataset.key, el]));
  const fresh = [];
  const wanted = new Set(items.map(key));
  for (const [k, el] of existing) if (!wanted.has(k)) el.remove();
  let before = container.firstElementChild;
  while (before && !before.dataset.key) before = before.nextElementSibling;
  for (const item of items) {
    const k = key(item);
    let el = existing.get(k);
    if (el) {
      const replacement = update ? update(el, item) : null;
      if (replacement && replacement !== el) {
        replacement.dataset.key = k;
        el.replaceWith(replacement);
        if (before === el) before = replacement;
        el = replacement;
      }
    } else {
      el = build(item);
      el.dataset.key = k;
      if (container.dataset.loaded) { el.classList.add('fresh'); fresh.push(k); }
    }
    if (el !== before) container.insertBefore(el, before); else before = before.nextElementSibling;
    while (before && !before.dataset.key) before = before.nextElementSibling;
  }
  container.dataset.loaded = '1';
  return fresh;
}

/** Calls `fn` at most once per `ms`, trailing (for bursts of live events). */
export function debounce(fn, ms = 400) {
  let timer = null;
  const d = (...args) => { clearTimeout(timer); timer = setTimeout(() => fn(...args), ms); };
  d.cancel = () => clearTimeout(timer);
  return d;
}

/** Sorts cases by their step deadline, earliest (most overdue) first; cases without one last. */
export function byDeadline(a, b) {
  const da = a.stepDueAt ? Date.parse(a.stepDueAt) : Infinity;
  const db = b.stepDueAt ? Date.parse(b.stepDueAt) : Infinity;
  return da - db || String(a.number).localeCompare(String(b.number));
}

let namerPromise = null;
/** A function naming a case's place from the map layers: "district · street · grid" (codes when unknown). */
export function placeNamer() {
  if (!namerPromise) {
    namerPromise = import('../map.js').then((m) => m.cityLayers()).then((layers) => {
      const names = new Map([...(layers.districts || []), ...(layers.streets || [])].map((a) => [a.code, a.name]));
      return names;
    }).catch(() => new Map());
  }
  return namerPromise.then((names) => (p) => {
    if (!p) return '';
    return [names.get(p.districtCode), names.get(p.streetCode)].filter(Boolean).concat(p.gridCode).join(' · ');
  });
}

/** A tab bar with keyboard support (arrows, Home, End). `tabs`: [{id, label}]; answers {element, select(id), setCount(id, n)}. */
export function tabBar(tabs, { onSelect, idPrefix, label }) {
  const buttons = new Map();
  const counts = new Map();
  const list = h('div', { role: 'tablist', class: 'tabs', 'aria-label': label });
  const select = (id, focus = false) => {
    for (const [k, b] of buttons) {
      const on = k === id;
      b.setAttribute('aria-selected', String(on));
      b.tabIndex = on ? 0 : -1;
      if (on && focus) b.focus();
    }
    onSelect(id);
  };
  tabs.forEach((tab, i) => {
    const count = h('span', { class: 'tab-count', 'data-testid': `count-${tab.id}` }, '…');
    const b = h('button', {
      type: 'button', role: 'tab', id: `${idPrefix}-tab-${tab.id}`, 'data-testid': `tab-${tab.id}`,
      'aria-controls': `${idPrefix}-panel-${tab.id}`, 'aria-selected': 'false', tabindex: '-1',
      onclick: () => select(tab.id),
      onkeydown: (e) => {
        const n = tabs.length;
        const to = { ArrowRight: (i + 1) % n, ArrowLeft: (i + n - 1) % n, Home: 0, End: n - 1 }[e.key];
        if (to !== undefined) { e.preventDefault(); select(tabs[to].id, true); }
      },
    }, tab.label, ' ', count);
    buttons.set(tab.id, b);
    counts.set(tab.id, count);
    list.append(b);
  });
  return {
    element: list,
    select,
    setCount(id, n) { const el = counts.get(id); if (el) { el.textContent = String(n); el.classList.toggle('zero', !n); } },
  };
}

/**
 * Subscribes to the live feed and keeps a status line up to date: "live" once connected, and after a while without a
 * connection a note that the page refreshes itself periodically instead. Answers the function that closes it.
 */
export function liveWithStatus(status, onEvent) {
  let open = false;
  const stop = live(onEvent, { onOpen: () => { open = true; status.textContent = t('dispatch.live'); status.classList.add('on'); } });
  const timer = setTimeout(() => { if (!open) status.textContent = t('dispatch.liveUnavailable'); }, 8000);
  return () => { clearTimeout(timer); stop(); };
}
