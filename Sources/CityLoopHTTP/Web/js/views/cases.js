// Case search: every case within the account's scope, by state, matter class, area, department, source, satisfaction,
// overdue, date range or number, page by page, with the current page as a CSV download.
import { api, countdown, departments, entryName, catalog, errorText, fmtTime, h, lang, route, stateBadge, stateName, t, userText } from '../core.js';
import { matterGroups, sourceName, sources } from './intake-matter.js';

const states = ['pending_verification', 'pending_filing', 'self_handled', 'pending_dispatch', 'dispatched', 'in_progress', 'return_requested',
  'handled', 'pending_check', 'pending_close', 'suspended', 'closed', 'rejected', 'voided', 'merged'];
const finalStates = new Set(['closed', 'rejected', 'voided', 'merged']);
const openStates = states.filter((s) => !finalStates.has(s));
const satisfactions = ['satisfied', 'basically_satisfied', 'dissatisfied'];
const pageSizes = [25, 50, 100, 200];
/** The query keys kept in the page's address (the API's filters plus the number). */
const keys = ['number', 'state', 'matter', 'district', 'street', 'department', 'source', 'satisfaction', 'overdue', 'from', 'to', 'limit', 'offset'];

const deptLabel = (d) => (lang() === 'en' && d.nameEn ? d.nameEn : d.name);
const pad = (n) => String(n).padStart(2, '0');
/** A local date-time for the CSV: `2026-11-23 08:05`. */
function csvTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
const csvCell = (v) => {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\n\r]/.test(s) || /^[=+\-@]/.test(s) ? `"${(/^[=+\-@]/.test(s) ? `'${s}` : s).replace(/"/g, '""')}"` : s;
};

route('/cases', async (main, { query }) => {
  const [cat, depts, groups, districts, streetsAll] = await Promise.all([
    catalog(), departments(), matterGroups(), api('/api/v1/areas?level=district', { auth: false }), api('/api/v1/areas?level=street', { auth: false })]);
  const areaName = new Map([...districts, ...streetsAll].map((a) => [a.code, a.name]));
  const q = Object.fromEntries(keys.map((k) => [k, query[k] || '']));
  let page = { items: [], total: 0 };

  // ---- the filter form ----
  const ctl = {};
  const sel = (name, options, value) => {
    const s = h('select', { name, id: `cases-${name}`, 'data-testid': `cases-${name}` }, options);
    s.value = value;
    ctl[name] = s;
    return s;
  };
  const opt = (value, label) => h('option', { value }, label);
  ctl.number = h('input', { name: 'number', id: 'cases-number', 'data-testid': 'cases-number', value: q.number, autocomplete: 'off', placeholder: t('cases.numberHint') });
  sel('state', [opt('', t('cases.any')), opt('open', t('cases.openStates')), states.map((s) => opt(s, stateName(s)))],
    q.state === openStates.join(',') ? 'open' : q.state);
  sel('matter', [opt('', t('cases.any')), groups.map((g) => h('optgroup', { label: `${g.code} ${g.name}` },
    opt(g.code, t('cases.wholeClass', { code: g.code, name: g.name })), g.items.map((m) => opt(m.code, `${m.code} ${entryName(m)}`))))], q.matter);
  sel('district', [opt('', t('cases.any')), districts.map((d) => opt(d.code, d.name))], q.district);
  sel('street', [opt('', t('cases.any'))], '');
  sel('department', [opt('', t('cases.any')), [...depts.values()].sort((a, b) => deptLabel(a).localeCompare(deptLabel(b), lang() === 'en' ? 'en' : 'zh-CN'))
    .map((d) => opt(d.id, deptLabel(d)))], q.department);
  sel('source', [opt('', t('cases.any')), sources.map((s) => opt(s, sourceName(s)))], q.source);
  sel('satisfaction', [opt('', t('cases.any')), satisfactions.map((s) => opt(s, t(`cases.satisfaction.${s}`)))], q.satisfaction);
  sel('limit', pageSizes.map((n) => opt(String(n), String(n))), pageSizes.includes(+q.limit) ? q.limit : '50');
  ctl.overdue = h('input', { type: 'checkbox', name: 'overdue', id: 'cases-overdue', 'data-testid': 'cases-overdue', checked: q.overdue === 'true' });
  ctl.from = h('input', { type: 'date', name: 'from', id: 'cases-from', 'data-testid': 'cases-from', value: q.from });
  ctl.to = h('input', { type: 'date', name: 'to', id: 'cases-to', 'data-testid': 'cases-to', value: q.to });
  let offset = Math.max(0, parseInt(q.offset, 10) || 0);

  async function loadStreets(selected = '') {
    const d = ctl.district.value;
    ctl.street.replaceChildren(opt('', t('cases.any')));
    ctl.street.disabled = !d;
    if (!d) return;
    for (const s of streetsAll.filter((x) => x.parentCode === d)) ctl.street.append(opt(s.code, s.name));
    ctl.street.value = selected;
  }
  ctl.district.addEventListener('change', () => loadStreets());
  await loadStreets(q.street);

  const lab = (name, key) => h('label', { for: `cases-${name}` }, t(key));
  const cell = (name, key) => h('div', { class: 'cases-field' }, lab(name, key), ctl[name]);
  const searchButton = h('button', { type: 'submit', class: 'primary', id: 'cases-search', 'data-testid': 'cases-search' }, t('common.search'));
  const form = h('form', { class: 'card cases-filters', id: 'cases-filters', role: 'search', 'aria-label': t('cases.filters'),
    onsubmit: (e) => { e.preventDefault(); offset = 0; search(); } },
  h('div', { class: 'cases-grid' },
    cell('number', 'cases.number'), cell('state', 'cases.state'), cell('matter', 'cases.matter'),
    cell('district', 'cases.district'), cell('street', 'cases.street'), cell('department', 'cases.department'),
    cell('source', 'cases.source'), cell('satisfaction', 'cases.satisfactionLabel'),
    cell('from', 'cases.from'), cell('to', 'cases.to'),
    h('div', { class: 'cases-field cases-check' }, ctl.overdue, lab('overdue', 'cases.overdue')),
    cell('limit', 'cases.pageSize')),
  h('div', { class: 'cases-buttons' }, searchButton,
    h('button', { type: 'button', id: 'cases-reset', 'data-testid': 'cases-reset', onclick: reset }, t('cases.reset')),
    h('button', { type: 'button', id: 'cases-csv', 'data-testid': 'cases-csv', onclick: downloadCSV }, t('cases.csv'))));

  // ---- results ----
  const summary = h('p', { id: 'cases-total', 'data-testid': 'cases-total', 'aria-live': 'polite' });
  const error = h('p', { class: 'error', role: 'alert', 'data-testid': 'cases-error' });
  const columns = ['number', 'state', 'matter', 'area', 'source', 'department', 'created', 'deadline', 'flags'];
  const tbody = h('tbody', {});
  const table = h('table', { id: 'cases-table', 'data-testid': 'cases-table', class: 'cases-table' },
    h('caption', { class: 'intake-sr' }, t('cases.title')),
    h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col' }, t(`cases.col.${c}`))))), tbody);
  const prev = h('button', { type: 'button', id: 'cases-prev', 'data-testid': 'cases-prev', onclick: () => { offset = Math.max(0, offset - size()); search(); } }, t('cases.prev'));
  const next = h('button', { type: 'button', id: 'cases-next', 'data-testid': 'cases-next', onclick: () => { offset += size(); search(); } }, t('cases.next'));
  const pageInfo = h('span', { 'data-testid': 'cases-page' });
  const pager = h('nav', { class: 'cases-pager', 'aria-label': t('cases.pager') }, prev, pageInfo, next);

  main.append(h('h1', {}, t('cases.title')), form, error, summary, h('div', { class: 'cases-scroll' }, table), pager);

  function size() { return parseInt(ctl.limit.value, 10) || 50; }
  const deptOf = (id) => (id && depts.get(id) ? deptLabel(depts.get(id)) : id || '');
  const matterOf = (code) => { const e = cat.matter(code); return e ? entryName(e) : ''; };
  const isOverdue = (c) => !finalStates.has(c.state) && c.state !== 'suspended' && c.stepDueAt && new Date(c.stepDueAt) < new Date();

  /** The API query from the form; also written to the page's address. */
  function params() {
    const p = new URLSearchParams();
    const state = ctl.state.value === 'open' ? openStates.join(',') : ctl.state.value;
    if (state) p.set('state', state);
    for (const k of ['matter', 'department', 'source', 'satisfaction']) if (ctl[k].value) p.set(k, ctl[k].value);
    const area = ctl.street.value || ctl.district.value;
    if (area) p.set('area', area);
    if (ctl.overdue.checked) p.set('overdue', 'true');
    if (ctl.from.value) p.set('from', ctl.from.value);
    if (ctl.to.value) p.set('to', `${ctl.to.value}T23:59:59+08:00`);
    p.set('limit', String(size()));
    p.set('offset', String(offset));
    return p;
  }

  function remember() {
    const u = new URLSearchParams();
    const put = (k, v) => { if (v) u.set(k, v); };
    put('number', ctl.number.value.trim());
    put('state', ctl.state.value === 'open' ? openStates.join(',') : ctl.state.value);
    for (const k of ['matter', 'district', 'street', 'department', 'source', 'satisfaction', 'from', 'to']) put(k, ctl[k].value);
    if (ctl.overdue.checked) u.set('overdue', 'true');
    if (size() !== 50) u.set('limit', String(size()));
    if (offset) u.set('offset', String(offset));
    const s = u.toString();
    history.replaceState(null, '', `#/cases${s ? `?${s}` : ''}`);
  }

  function row(c) {
    const area = [areaName.get(c.placement?.districtCode), areaName.get(c.placement?.streetCode)].filter(Boolean).join(' · ');
    const flags = [c.supervised ? t('cases.flag.supervised') : null, c.urgeCount ? t('cases.flag.urged', { n: c.urgeCount }) : null,
      c.reworkCount ? t('cases.flag.rework', { n: c.reworkCount }) : null, c.extensionCount ? t('cases.flag.extended', { n: c.extensionCount }) : null,
      c.noOwner ? t('cases.flag.noOwner') : null].filter(Boolean);
    return h('tr', { 'data-testid': 'cases-row', dataset: { caseId: c.id, number: c.number }, class: isOverdue(c) ? 'cases-overdue' : null },
      h('td', {}, h('a', { href: `#/case/${encodeURIComponent(c.id)}` }, c.number)),
      h('td', {}, stateBadge(c.state)),
      h('td', {}, h('span', { class: 'code' }, c.matterCode), ' ', matterOf(c.matterCode)),
      h('td', {}, area, c.address ? h('div', { class: 'muted' }, userText(c.address)) : null),
      h('td', {}, sourceName(c.source)),
      h('td', {}, deptOf(c.leadDepartmentID)),
      h('td', {}, fmtTime(c.createdAt)),
      h('td', {}, !finalStates.has(c.state) && c.state !== 'suspended' && c.stepDueAt ? countdown(c.stepDueAt) : ''),
      h('td', {}, flags.join(' · ')));
  }

  async function search() {
    error.textContent = '';
    remember();
    table.setAttribute('aria-busy', 'true');
    searchButton.disabled = true;
    try {
      const number = ctl.number.value.trim();
      if (number) {
        try {
          const d = await api(`/api/v1/cases/${encodeURIComponent(number)}`);
          page = { items: [d.case], total: 1 };
        } catch (e) {
          if (e.status !== 404) throw e;
          page = { items: [], total: 0 };
        }
        offset = 0;
      } else {
        page = await api(`/api/v1/cases?${params()}`);
        if (offset > 0 && page.items.length === 0 && page.total > 0) { offset = Math.floor((page.total - 1) / size()) * size(); return search(); }
      }
      tbody.replaceChildren(...page.items.map(row));
      if (!page.items.length) tbody.append(h('tr', {}, h('td', { colspan: columns.length, class: 'muted' }, t(number ? 'cases.noNumber' : 'cases.none'))));
      const pages = Math.max(1, Math.ceil(page.total / size()));
      const current = Math.floor(offset / size()) + 1;
      summary.textContent = page.items.length
        ? t('cases.totalRange', { total: page.total, from: offset + 1, to: offset + page.items.length }) : t('cases.total', { total: page.total });
      pageInfo.textContent = t('cases.pageOf', { page: current, pages });
      prev.disabled = offset === 0;
      next.disabled = offset + page.items.length >= page.total;
    } catch (e) {
      error.textContent = errorText(e);
    } finally {
      table.removeAttribute('aria-busy');
      searchButton.disabled = false;
    }
    return undefined;
  }

  function reset() {
    form.reset();
    for (const k of ['state', 'matter', 'district', 'department', 'source', 'satisfaction']) ctl[k].value = '';
    ctl.limit.value = '50';
    ctl.number.value = '';
    ctl.from.value = '';
    ctl.to.value = '';
    ctl.overdue.checked = false;
    loadStreets();
    offset = 0;
    search();
  }

  function downloadCSV() {
    const head = ['number', 'state', 'matterCode', 'matter', 'district', 'street', 'grid', 'address', 'source', 'department', 'urgency',
      'created', 'deadline', 'overdue', 'urgeCount', 'supervised', 'reworkCount', 'description'].map((k) => t(`cases.csv.${k}`));
    const lines = page.items.map((c) => [c.number, stateName(c.state), c.matterCode, matterOf(c.matterCode),
      areaName.get(c.placement?.districtCode) || '', areaName.get(c.placement?.streetCode) || '', c.placement?.gridCode || '', c.address || '',
      sourceName(c.source), deptOf(c.leadDepartmentID), c.urgency ? t(`intake.urgency.${c.urgency}`) : '', csvTime(c.createdAt), csvTime(c.stepDueAt),
      isOverdue(c) ? t('cases.yes') : t('cases.no'), c.urgeCount || 0, c.supervised ? t('cases.yes') : t('cases.no'), c.reworkCount || 0, c.description || '']);
    const text = `\uFEFF${[head, ...lines].map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
    const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
    const d = new Date();
    const a = h('a', { href: url, download: `cases-${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}-${pad(d.getHours())}${pad(d.getMinutes())}-p${Math.floor(offset / size()) + 1}.csv` });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  await search();
}, { roles: ['operator', 'shiftlead', 'dispatcher', 'leader', 'admin'], title: 'cases.title' });
