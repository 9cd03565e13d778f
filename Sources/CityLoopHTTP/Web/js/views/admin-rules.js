// The responsibility list (which department handles which matters in which area, within which working-time
// limits) and the catalog's local extensions.
import { api, busy, entryName, h, lang, t, toast } from '../core.js';
import { areaLabel, areaNames, clearErrors, departmentLabel, ffield, formError, showErrors } from './admin-common.js';

const URGENCIES = ['normal', 'urgent', 'emergency'];
const UNITS = ['workingMinutes', 'workingHours', 'workingDays'];
const PAGE = 50;

export async function rulesTab(root) {
  const [rules, deps, catalog, areas] = await Promise.all([api('/api/v1/rules'), api('/api/v1/departments'), api('/api/v1/catalog', { auth: false }), areaNames()]);
  const matters = new Map(catalog.filter((e) => e.kind === 'matter').map((e) => [e.code, e]));
  const majors = new Map(catalog.filter((e) => e.kind === 'matter').map((e) => [e.code.slice(0, 2), e.majorClass]));
  let seq = 0;
  const model = rules.map((r) => ({ ...r, key: seq++, err: '' }));
  let page = 0;
  const search = h('input', { type: 'search', id: 'admin-rules-search', 'aria-label': t('admin.rules.search'), placeholder: t('admin.rules.search') });
  const depFilter = h('select', { id: 'admin-rules-dept', 'aria-label': t('admin.rules.deptFilter') }, h('option', { value: '' }, t('admin.rules.allDepts')),
    deps.map((d) => h('option', { value: d.id }, departmentLabel(d, lang()))));
  const tbody = h('tbody', {});
  const pager = h('div', { class: 'pager', id: 'admin-rules-pager' });
  const count = h('p', { class: 'muted', 'aria-live': 'polite', id: 'admin-rules-count' });
  const errorBox = formError('admin-rules-error');
  const form = h('form', { id: 'admin-rules-form', novalidate: true });

  const matterName = (m) => (m === '*' ? t('admin.rules.anyMatter') : m.length === 2 ? (majors.get(m) || '') : entryName(matters.get(m)) || t('admin.rules.unknownMatter'));
  const visible = () => {
    const q = search.value.trim().toLowerCase();
    return model.filter((r) => (!depFilter.value || r.departmentID === depFilter.value)
      && (!q || r.err || `${r.id} ${r.matter} ${matterName(r.matter)} ${r.areaCode || ''} ${areaLabel(areas, r.areaCode)} ${r.departmentID}`.toLowerCase().includes(q)));
  };

  function limitCells(r, u) {
    const l = r.limits[u];
    const amount = h('input', { type: 'number', min: 1, step: 1, value: l?.amount ?? '', class: 'amount', inputmode: 'numeric', 'aria-label': t('admin.rules.limitAmount', { rule: r.id, urgency: t(`admin.urgency.${u}`) }),
      onchange: (e) => { const v = e.target.value; if (v === '') delete r.limits[u]; else r.limits[u] = { amount: Number(v), unit: unit.value }; } });
    const unit = h('select', { 'aria-label': t('admin.rules.limitUnit', { rule: r.id, urgency: t(`admin.urgency.${u}`) }),
      onchange: () => { if (r.limits[u]) r.limits[u].unit = unit.value; } }, UNITS.map((x) => h('option', { value: x, selected: (l?.unit || 'workingHours') === x }, t(`admin.unit.${x}`))));
    return h('td', { class: 'limit' }, amount, unit);
  }

  function rowFor(r) {
    const bind = (k, el, after) => { el.addEventListener('change', () => { r[k] = el.value.trim() || (k === 'areaCode' ? null : ''); after?.(); }); return el; };
    const mName = h('small', { class: 'muted' }, matterName(r.matter));
    const aName = h('small', { class: 'muted' }, areaLabel(areas, r.areaCode));
    return h('tr', { 'data-rule': r.id, class: r.err ? 'invalid' : '' },
      h('td', {}, bind('id', h('input', { value: r.id, class: 'rule-id', 'aria-label': t('admin.rules.col.id') })), r.err ? h('small', { class: 'field-error' }, r.err) : null),
      h('td', {}, bind('matter', h('input', { value: r.matter, class: 'code', list: 'admin-rules-matters', 'aria-label': t('admin.rules.matterOf', { rule: r.id }) }), () => { mName.textContent = matterName(r.matter); }), mName),
      h('td', {}, bind('areaCode', h('input', { value: r.areaCode || '', class: 'code', list: 'admin-rules-areas', inputmode: 'numeric', 'aria-label': t('admin.rules.areaOf', { rule: r.id }) }), () => { aName.textContent = areaLabel(areas, r.areaCode); }), aName),
      h('td', {}, bind('departmentID', h('select', { 'aria-label': t('admin.rules.deptOf', { rule: r.id }) }, h('option', { value: '' }, '—'),
        deps.map((d) => h('option', { value: d.id, selected: d.id === r.departmentID }, departmentLabel(d, lang())))))),
      URGENCIES.map((u) => limitCells(r, u)),
      h('td', {}, h('button', { type: 'button', class: 'danger-outline', 'aria-label': t('admin.rules.removeRule', { rule: r.id }), onclick: () => { model.splice(model.indexOf(r), 1); draw(); } }, t('admin.remove'))));
  }

  function draw() {
    const list = visible();
    const pages = Math.max(1, Math.ceil(list.length / PAGE));
    page = Math.min(page, pages - 1);
    tbody.replaceChildren(...list.slice(page * PAGE, (page + 1) * PAGE).map(rowFor));
    count.textContent = t('admin.rules.count', { shown: list.length, total: model.length });
    pager.replaceChildren(
      h('button', { type: 'button', disabled: page === 0, onclick: () => { page -= 1; draw(); } }, t('admin.prev')),
      h('span', {}, t('admin.page', { page: page + 1, pages })),
      h('button', { type: 'button', disabled: page >= pages - 1, onclick: () => { page += 1; draw(); } }, t('admin.next')));
  }

  function showRowProblems(byKey, message) {
    model.forEach((r) => { r.err = byKey.get(r.key) || ''; });
    const first = visible().findIndex((r) => r.err);
    if (first >= 0) page = Math.floor(first / PAGE);
    errorBox.textContent = message;
    draw();
    errorBox.focus();
  }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    errorBox.textContent = '';
    const problems = new Map();
    const ids = new Map();
    for (const r of model) {
      const p = [];
      if (!r.id) p.push(t('admin.rules.needId'));
      else if (ids.has(r.id)) p.push(t('admin.rules.dupId'));
      ids.set(r.id, r);
      if (!(r.matter === '*' || /^\d{2}$/.test(r.matter) || /^\d{5}$/.test(r.matter))) p.push(t('admin.rules.badMatter'));
      else if (r.matter.length === 5 && !matters.has(r.matter)) p.push(t('admin.rules.unknownMatter'));
      if (r.areaCode && !/^\d+$/.test(r.areaCode)) p.push(t('admin.badAreaCode'));
      if (!r.departmentID) p.push(t('admin.rules.needDept'));
      if (!r.limits.normal) p.push(t('admin.rules.needNormal'));
      for (const [u, l] of Object.entries(r.limits)) if (!(Number.isInteger(l.amount) && l.amount > 0)) p.push(t('admin.rules.badLimit', { urgency: t(`admin.urgency.${u}`) }));
      if (p.length) problems.set(r.key, p.join('; '));
    }
    if (problems.size) { showRowProblems(problems, t('admin.rules.problems', { count: problems.size })); return; }
    await busy(form.querySelector('#admin-rules-save'), async () => {
      try {
        const body = model.map(({ id, matter, areaCode, departmentID, limits }) => ({ id, matter, areaCode: areaCode || null, departmentID, limits }));
        await api('/api/v1/rules', { method: 'PUT', body });
        model.forEach((r) => { r.err = ''; });
        draw();
        toast(t('admin.rules.saved', { count: model.length }), 'ok');
      } catch (err) {
        // A refused list (409 conflict, unknown department …) names the rules at fault in its message.
        const named = new Map(model.filter((r) => r.id && new RegExp(`\\b${r.id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`).test(err.message)).map((r) => [r.key, err.message]));
        showRowProblems(named, `${t(err.status === 409 ? 'admin.rules.conflict' : 'admin.rules.refused')} ${err.message}`);
      }
    });
  });

  search.addEventListener('input', () => { page = 0; draw(); });
  depFilter.addEventListener('change', () => { page = 0; draw(); });
  form.append(
    h('p', { class: 'muted' }, t('admin.rules.help')),
    h('div', { class: 'admin-toolbar' }, search, depFilter,
      h('button', { type: 'button', id: 'admin-rules-add', onclick: () => {
        model.unshift({ id: `rule-${Date.now().toString(36)}`, matter: '', areaCode: null, departmentID: '', limits: { normal: { amount: 1, unit: 'workingDays' } }, key: seq++, err: '' });
        search.value = ''; depFilter.value = ''; page = 0; draw(); tbody.querySelector('input')?.focus();
      } }, t('admin.rules.add'))),
    count, errorBox,
    h('div', { class: 'table-wrap' }, h('table', { class: 'admin-table', id: 'admin-rules-table' },
      h('thead', {}, h('tr', {}, ['id', 'matter', 'area', 'department', 'normal', 'urgent', 'emergency', ''].map((k) => h('th', { scope: 'col' }, k ? t(`admin.rules.col.${k}`) : '')))), tbody)),
    pager,
    h('datalist', { id: 'admin-rules-matters' }, h('option', { value: '*' }, t('admin.rules.anyMatter')), [...majors].map(([c, n]) => h('option', { value: c }, n)),
      [...matters.values()].map((m) => h('option', { value: m.code }, entryName(m)))),
    h('datalist', { id: 'admin-rules-areas' }, [...areas.values()].filter((a) => a.level !== 'community').map((a) => h('option', { value: a.code }, a.name))),
    h('div', { class: 'buttons sticky' }, h('button', { type: 'submit', class: 'primary', id: 'admin-rules-save' }, t('admin.rules.save'))));
  root.append(form);
  draw();
}

// ---- catalog: local extensions ----
export async function catalogTab(root) {
  let entries = [];
  const localBody = h('tbody', {});
  const allBody = h('tbody', {});
  const search = h('input', { type: 'search', id: 'admin-catalog-search', 'aria-label': t('admin.catalog.search'), placeholder: t('admin.catalog.search') });
  const kindFilter = h('select', { id: 'admin-catalog-kind', 'aria-label': t('admin.catalog.kindFilter') }, ['', 'matter', 'component'].map((k) => h('option', { value: k }, t(k ? `admin.catalog.kind.${k}` : 'admin.catalog.allKinds'))));
  const kind = h('select', { name: 'kind', id: 'admin-catalog-form-kind' }, ['matter', 'component'].map((k) => h('option', { value: k }, t(`admin.catalog.kind.${k}`))));
  const code = h('input', { name: 'code', id: 'admin-catalog-code', inputmode: 'numeric', maxlength: 5, autocomplete: 'off' });
  const major = h('input', { name: 'majorClass', id: 'admin-catalog-major' });
  const name = h('input', { name: 'name', id: 'admin-catalog-name' });
  const nameEn = h('input', { name: 'nameEn', id: 'admin-catalog-name-en' });
  const fillMajor = () => {
    const same = entries.find((e) => e.kind === kind.value && e.code.slice(0, 2) === code.value.slice(0, 2));
    if (same && (!major.value || major.dataset.auto === '1')) { major.value = same.majorClass; major.dataset.auto = '1'; }
  };
  code.addEventListener('input', fillMajor);
  kind.addEventListener('change', fillMajor);
  major.addEventListener('input', () => { major.dataset.auto = '0'; });
  const save = h('button', { type: 'submit', class: 'primary', id: 'admin-catalog-save' }, t('admin.catalog.save'));
  const form = h('form', { class: 'card admin-form', id: 'admin-catalog-form', novalidate: true },
    h('h3', {}, t('admin.catalog.addTitle')), h('p', { class: 'muted' }, t('admin.catalog.help')),
    h('div', { class: 'form-grid' }, ffield('admin.catalog.kindLabel', kind), ffield('admin.catalog.code', code, { hint: t('admin.catalog.codeHint') }),
      ffield('admin.catalog.major', major), ffield('admin.catalog.name', name), ffield('admin.catalog.nameEn', nameEn)),
    formError('admin-catalog-error'), h('div', { class: 'buttons' }, save));

  const edit = (e) => { kind.value = e.kind; code.value = e.code; major.value = e.majorClass; name.value = e.name; nameEn.value = e.nameEn || ''; major.dataset.auto = '0'; code.focus(); };
  function draw() {
    const local = entries.filter((e) => e.isLocal);
    localBody.replaceChildren(...(local.length ? local.map((e) => h('tr', { 'data-code': e.code },
      h('td', {}, t(`admin.catalog.kind.${e.kind}`)), h('td', {}, e.code), h('td', {}, e.majorClass), h('td', {}, e.name), h('td', {}, e.nameEn || ''),
      h('td', {}, h('button', { type: 'button', 'data-testid': `catalog-edit-${e.code}`, onclick: () => edit(e) }, t('admin.edit')))))
      : [h('tr', {}, h('td', { colspan: 6, class: 'muted' }, t('admin.catalog.noLocal')))]));
    const q = search.value.trim().toLowerCase();
    const shown = entries.filter((e) => (!kindFilter.value || e.kind === kindFilter.value) && (!q || `${e.code} ${e.name} ${e.nameEn || ''} ${e.majorClass}`.toLowerCase().includes(q)));
    allBody.replaceChildren(...shown.slice(0, 300).map((e) => h('tr', {}, h('td', {}, t(`admin.catalog.kind.${e.kind}`)), h('td', {}, e.code), h('td', {}, e.majorClass),
      h('td', {}, entryName(e)), h('td', {}, e.isLocal ? h('span', { class: 'badge on' }, t('admin.catalog.local')) : t('admin.catalog.national')))));
  }
  async function load() { entries = await api('/api/v1/catalog', { auth: false }); draw(); }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const entry = { kind: kind.value, code: code.value.trim(), majorClass: major.value.trim(), name: name.value.trim(), nameEn: nameEn.value.trim() || null, isLocal: true };
    const problems = [];
    if (!/^\d{5}$/.test(entry.code)) problems.push({ field: 'code', message: t('admin.catalog.badCode') });
    else if (entries.some((x) => x.kind === entry.kind && x.code === entry.code && !x.isLocal)) problems.push({ field: 'code', message: t('admin.catalog.taken') });
    if (!entry.majorClass) problems.push({ field: 'majorClass', message: t('admin.required') });
    if (!entry.name) problems.push({ field: 'name', message: t('admin.required') });
    if (showErrors(form, problems)) return;
    await busy(save, async () => {
      try {
        await api('/api/v1/catalog', { method: 'POST', body: [entry] });
        toast(t('admin.catalog.saved', { code: entry.code }), 'ok');
        form.reset();
        await load();
      } catch (err) { showErrors(form, err); }
    });
  });
  search.addEventListener('input', draw);
  kindFilter.addEventListener('change', draw);
  const head = (keys) => h('thead', {}, h('tr', {}, keys.map((k) => h('th', { scope: 'col' }, k ? t(`admin.catalog.col.${k}`) : ''))));
  root.append(form,
    h('h3', {}, t('admin.catalog.localTitle')),
    h('div', { class: 'table-wrap' }, h('table', { class: 'admin-table', id: 'admin-catalog-local' }, head(['kind', 'code', 'major', 'name', 'nameEn', '']), localBody)),
    h('h3', {}, t('admin.catalog.allTitle')),
    h('div', { class: 'admin-toolbar' }, search, kindFilter),
    h('div', { class: 'table-wrap tall' }, h('table', { class: 'admin-table', id: 'admin-catalog-all' }, head(['kind', 'code', 'major', 'name', 'source']), allBody)));
  await load();
}
