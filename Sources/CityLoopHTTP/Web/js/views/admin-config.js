// Departments, the working calendar (working hours, weekends, public holidays, make-up working days) and the
// workflow policy (step limits, duplicate detection, automation flags).
import { api, busy, forgetDepartments, h, lang, t, toast } from '../core.js';
import { areaLabel, areaNames, clearErrors, ffield, formError, setFieldError, showErrors } from './admin-common.js';

const DEPT_ID = /^[a-z0-9_-]{2,64}$/;

/** An input in a table cell with its own error line; `fieldName` is what errors are reported against. */
function cellInput(attrs, fieldName, label) {
  const input = h('input', { ...attrs, id: `c-${Math.random().toString(36).slice(2, 9)}`, 'aria-label': label });
  input.dataset.fields = fieldName;
  const err = h('small', { class: 'field-error', id: `${input.id}-error` });
  input.setAttribute('aria-describedby', err.id);
  return [input, h('td', {}, input, err)];
}

export async function departmentsTab(root) {
  const areas = await areaNames();
  let rows = [];
  const tbody = h('tbody', {});
  const filter = h('input', { type: 'search', id: 'admin-dept-search', 'aria-label': t('admin.dept.search'), placeholder: t('admin.dept.search') });
  const datalist = h('datalist', { id: 'admin-area-codes' }, [...areas.values()].filter((a) => a.level !== 'community').map((a) => h('option', { value: a.code }, a.name)));
  const save = h('button', { type: 'submit', class: 'primary', id: 'admin-dept-save' }, t('common.save'));
  const form = h('form', { id: 'admin-dept-form', novalidate: true });

  function rowFor(d, isNew) {
    const label = (k) => `${t(`admin.dept.col.${k}`)} ${d.id || ''}`.trim();
    const r = { d, isNew, dirty: isNew };
    const [id, idCell] = cellInput({ value: d.id, readonly: !isNew, required: true }, `dept.${d.key}.id`, label('id'));
    const [name, nameCell] = cellInput({ value: d.name, required: true }, `dept.${d.key}.name`, label('name'));
    const [nameEn, enCell] = cellInput({ value: d.nameEn || '' }, `dept.${d.key}.nameEn`, label('nameEn'));
    const [area, areaCell] = cellInput({ value: d.areaCode || '', list: 'admin-area-codes', inputmode: 'numeric' }, `dept.${d.key}.areaCode`, label('areaCode'));
    const territorial = h('input', { type: 'checkbox', checked: d.territorial, 'aria-label': label('territorial') });
    const contractor = h('input', { type: 'checkbox', checked: !!d.contractor, 'aria-label': label('contractor') });
    const areaName = h('small', { class: 'muted' }, d.areaCode ? areaLabel(areas, d.areaCode) : t('admin.wholeCity'));
    areaCell.append(areaName);
    area.addEventListener('input', () => { areaName.textContent = area.value ? areaLabel(areas, area.value.trim()) : t('admin.wholeCity'); });
    r.read = () => ({ id: id.value.trim(), name: name.value.trim(), nameEn: nameEn.value.trim(), areaCode: area.value.trim() || null, territorial: territorial.checked, contractor: contractor.checked });
    r.tr = h('tr', { 'data-id': d.id || 'new', oninput: () => { r.dirty = true; r.tr.classList.add('dirty'); } }, idCell, nameCell, enCell, areaCell, h('td', {}, territorial), h('td', {}, contractor));
    for (const box of [territorial, contractor]) box.addEventListener('change', () => { r.dirty = true; r.tr.classList.add('dirty'); });
    return r;
  }

  async function load() {
    const list = await api('/api/v1/departments');
    rows = list.sort((a, b) => a.id.localeCompare(b.id)).map((d, i) => rowFor({ ...d, key: i }, false));
    draw();
  }
  function draw() {
    const q = filter.value.trim().toLowerCase();
    rows.forEach((r) => { r.tr.hidden = !!q && !r.isNew && !`${r.d.id} ${r.d.name} ${r.d.nameEn}`.toLowerCase().includes(q); });
    tbody.replaceChildren(...rows.map((r) => r.tr));
  }
  filter.addEventListener('input', draw);

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const changed = rows.filter((r) => r.dirty);
    if (!changed.length) { toast(t('admin.noChanges')); return; }
    const problems = [];
    const ids = new Set();
    for (const r of changed) {
      const v = r.read();
      if (!DEPT_ID.test(v.id)) problems.push({ field: `dept.${r.d.key}.id`, message: t('admin.dept.badId') });
      else if (r.isNew && (rows.some((o) => o !== r && !o.isNew && o.d.id === v.id) || ids.has(v.id))) problems.push({ field: `dept.${r.d.key}.id`, message: t('admin.dept.taken') });
      ids.add(v.id);
      if (!v.name) problems.push({ field: `dept.${r.d.key}.name`, message: t('admin.required') });
      if (v.areaCode && !/^\d+$/.test(v.areaCode)) problems.push({ field: `dept.${r.d.key}.areaCode`, message: t('admin.badAreaCode') });
    }
    if (showErrors(form, problems)) return;
    await busy(save, async () => {
      try {
        await api('/api/v1/departments', { method: 'PUT', body: changed.map((r) => r.read()) });
        // A new company is then a choice in the vehicle and driver forms without reloading the page.
        forgetDepartments();
        toast(t('admin.dept.saved', { count: changed.length }), 'ok');
        await load();
      } catch (err) {
        // The API names the field (id, name) and the department in its message: point at that row when it can be found.
        const row = changed.find((r) => r.read().id && err.message.includes(r.read().id));
        if (!(row && err.field && setFieldError(form, `dept.${row.d.key}.${err.field}`, err.message))) showErrors(form, err);
      }
    });
  });

  const add = h('button', { type: 'button', id: 'admin-dept-add', onclick: () => {
    const r = rowFor({ id: '', name: '', nameEn: '', areaCode: null, territorial: false, contractor: false, key: `n${rows.length}` }, true);
    rows.unshift(r); draw(); r.tr.querySelector('input').focus();
  } }, t('admin.dept.add'));
  form.append(
    h('div', { class: 'admin-toolbar' }, filter, add),
    h('p', { class: 'muted' }, t('admin.dept.help')),
    h('div', { class: 'table-wrap' }, h('table', { class: 'admin-table', id: 'admin-dept-table' },
      h('thead', {}, h('tr', {}, ['id', 'name', 'nameEn', 'areaCode', 'territorial', 'contractor'].map((k) => h('th', { scope: 'col' }, t(`admin.dept.col.${k}`))))), tbody)),
    datalist, formError('admin-dept-error'), h('div', { class: 'buttons sticky' }, save));
  root.append(form);
  await load();
}

// ---- working calendar ----
const hhmm = (m) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
const minutes = (s) => { const [a, b] = s.split(':').map(Number); return a * 60 + b; };
const dayKey = (d) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

export async function calendarTab(root) {
  const cal = await api('/api/v1/calendar');
  const state = { periods: cal.periods.map((p) => ({ ...p })), weekend: new Set(cal.weekendDays), holidays: new Set(cal.holidays), makeUp: new Set(cal.makeUpDays) };
  const form = h('form', { id: 'admin-calendar-form', novalidate: true, class: 'admin-form' });
  const periodsBox = h('div', { id: 'admin-calendar-periods', class: 'periods' });
  const perDay = h('p', { class: 'muted', id: 'admin-calendar-perday', 'aria-live': 'polite' });
  const offset = h('select', { name: 'utcOffsetSeconds', id: 'admin-calendar-offset' },
    Array.from({ length: 27 }, (_, i) => i - 12).map((hrs) => h('option', { value: hrs * 3600, selected: hrs * 3600 === cal.utcOffsetSeconds }, `UTC${hrs >= 0 ? '+' : ''}${hrs}`)));
  const weekdays = [1, 2, 3, 4, 5, 6, 7].map((d) => h('label', { class: 'inline' },
    h('input', { type: 'checkbox', id: `admin-calendar-weekend-${d}`, checked: state.weekend.has(d), onchange: (e) => { if (e.target.checked) state.weekend.add(d); else state.weekend.delete(d); preview(); } }),
    t(`admin.cal.weekday.${d}`)));

  function drawPeriods() {
    periodsBox.replaceChildren(...state.periods.map((p, i) => {
      const start = h('input', { type: 'time', value: hhmm(p.start), 'aria-label': t('admin.cal.periodStart', { n: i + 1 }), id: `admin-calendar-start-${i}`, onchange: (e) => { p.start = minutes(e.target.value || '00:00'); drawPerDay(); } });
      const end = h('input', { type: 'time', value: hhmm(p.end % 1440), 'aria-label': t('admin.cal.periodEnd', { n: i + 1 }), id: `admin-calendar-end-${i}`, onchange: (e) => { p.end = minutes(e.target.value || '00:00') || 1440; drawPerDay(); } });
      start.dataset.fields = `periods.${i}`;
      const err = h('small', { class: 'field-error', id: `${start.id}-error` });
      return h('div', { class: 'period' }, start, ' – ', end,
        h('button', { type: 'button', 'aria-label': t('admin.cal.removePeriod', { n: i + 1 }), onclick: () => { state.periods.splice(i, 1); drawPeriods(); } }, t('admin.remove')), err);
    }));
    drawPerDay();
  }
  const drawPerDay = () => {
    const m = state.periods.reduce((a, p) => a + Math.max(0, p.end - p.start), 0);
    perDay.textContent = t('admin.cal.perDay', { h: Math.floor(m / 60), m: m % 60 });
  };

  function dayList(set, id, labelKey) {
    const list = h('ul', { class: 'chips', id });
    const draw = () => list.replaceChildren(...[...set].sort().map((d) => h('li', {}, d,
      h('button', { type: 'button', class: 'chip-remove', 'aria-label': t('admin.cal.removeDay', { day: d }), onclick: () => { set.delete(d); draw(); preview(); } }, '×'))));
    draw();
    const from = h('input', { type: 'date', id: `${id}-from`, name: id });
    from.dataset.fields = id;
    const to = h('input', { type: 'date', id: `${id}-to` });
    const addBtn = h('button', { type: 'button', id: `${id}-add`, onclick: () => {
      clearErrors(form);
      if (!from.value) { showErrors(form, [{ field: id, message: t('admin.cal.pickDay') }]); return; }
      const last = new Date(`${to.value || from.value}T12:00:00`);
      const days = [];
      for (let d = new Date(`${from.value}T12:00:00`); d <= last && days.length < 366; d.setDate(d.getDate() + 1)) days.push(dayKey(d));
      if (!days.length) { showErrors(form, [{ field: id, message: t('admin.cal.badRange') }]); return; }
      days.forEach((d) => set.add(d));
      from.value = ''; to.value = '';
      draw(); preview();
    } }, t('admin.add'));
    return h('fieldset', { class: 'days' }, h('legend', {}, t(labelKey)),
      h('div', { class: 'inline-fields' }, ffield('admin.cal.from', from), ffield('admin.cal.to', to), addBtn), list);
  }

  // Two months ahead, coloured as the calendar now says: working, weekend, holiday, make-up working day.
  const previewBox = h('div', { class: 'cal-preview', id: 'admin-calendar-preview', 'aria-label': t('admin.cal.preview') });
  function preview() {
    const now = new Date();
    const months = [0, 1].map((k) => new Date(now.getFullYear(), now.getMonth() + k, 1));
    previewBox.replaceChildren(...months.map((m) => {
      const cells = [];
      const lead = (m.getDay() + 6) % 7;
      for (let i = 0; i < lead; i++) cells.push(h('span', { class: 'blank' }));
      for (let d = new Date(m); d.getMonth() === m.getMonth(); d.setDate(d.getDate() + 1)) {
        const key = dayKey(d);
        const wd = ((d.getDay() + 6) % 7) + 1;
        const kind = state.makeUp.has(key) ? 'makeup' : state.holidays.has(key) ? 'holiday' : state.weekend.has(wd) ? 'weekend' : 'work';
        cells.push(h('span', { class: `day ${kind}`, title: `${key} ${t(`admin.cal.kind.${kind}`)}` }, d.getDate()));
      }
      return h('div', { class: 'month' }, h('strong', {}, m.toLocaleDateString(lang() === 'en' ? 'en-GB' : 'zh-CN', { year: 'numeric', month: 'long' })),
        h('div', { class: 'month-grid' }, [1, 2, 3, 4, 5, 6, 7].map((d) => h('span', { class: 'dow' }, t(`admin.cal.weekdayShort.${d}`))), cells));
    }), h('p', { class: 'legend' }, ['work', 'weekend', 'holiday', 'makeup'].map((k) => h('span', { class: `day ${k}` }, t(`admin.cal.kind.${k}`)))));
  }

  const save = h('button', { type: 'submit', class: 'primary', id: 'admin-calendar-save' }, t('common.save'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const periods = [...state.periods].sort((a, b) => a.start - b.start);
    const problems = [];
    if (!periods.length) problems.push({ field: null, message: t('admin.cal.noPeriods') });
    periods.forEach((p, i) => {
      const idx = state.periods.indexOf(p);
      if (p.start >= p.end) problems.push({ field: `periods.${idx}`, message: t('admin.cal.badPeriod') });
      else if (i > 0 && p.start < periods[i - 1].end) problems.push({ field: `periods.${idx}`, message: t('admin.cal.overlap') });
    });
    const both = [...state.holidays].filter((d) => state.makeUp.has(d));
    if (both.length) problems.push({ field: 'admin-calendar-makeup', message: t('admin.cal.both', { days: both.join(', ') }) });
    if (state.weekend.size >= 7 && !state.makeUp.size) problems.push({ field: null, message: t('admin.cal.allWeekend') });
    if (showErrors(form, problems)) return;
    await busy(save, async () => {
      try {
        await api('/api/v1/calendar', { method: 'PUT', body: {
          utcOffsetSeconds: Number(offset.value), periods, weekendDays: [...state.weekend].sort(),
          holidays: [...state.holidays].sort(), makeUpDays: [...state.makeUp].sort(),
        } });
        toast(t('admin.cal.saved'), 'ok');
      } catch (err) { showErrors(form, err); }
    });
  });

  form.append(
    h('fieldset', {}, h('legend', {}, t('admin.cal.hours')), periodsBox,
      h('button', { type: 'button', id: 'admin-calendar-add-period', onclick: () => { const last = state.periods[state.periods.length - 1]; state.periods.push({ start: last ? Math.min(last.end + 60, 1380) : 540, end: last ? Math.min(last.end + 120, 1440) : 1020 }); drawPeriods(); } }, t('admin.cal.addPeriod')),
      perDay, ffield('admin.cal.offset', offset)),
    h('fieldset', { id: 'admin-calendar-weekend' }, h('legend', {}, t('admin.cal.weekend')), h('div', { class: 'inline-fields' }, weekdays)),
    h('div', { class: 'grid2' }, dayList(state.holidays, 'admin-calendar-holidays', 'admin.cal.holidays'), dayList(state.makeUp, 'admin-calendar-makeup', 'admin.cal.makeUp')),
    previewBox, formError('admin-calendar-error'), h('div', { class: 'buttons' }, save));
  root.append(h('p', { class: 'muted' }, t('admin.cal.help')), form);
  drawPeriods();
  preview();
}

// ---- workflow policy ----
const STEPS = ['verify', 'file', 'dispatch', 'accept', 'sendCheck', 'check', 'close'];

export async function policyTab(root) {
  const [p, cal] = await Promise.all([api('/api/v1/policy'), api('/api/v1/calendar')]);
  const perDay = cal.periods.reduce((a, x) => a + x.end - x.start, 0);
  const num = (name, value, min, step = 1) => h('input', { type: 'number', name, id: `admin-policy-${name.replace('.', '-')}`, value, min, step, required: true, inputmode: 'numeric' });
  const steps = Object.fromEntries([...STEPS, 'dueSoonMinutes'].map((k) => [k, num(`stepLimits.${k}`, p.stepLimits[k], k === 'dueSoonMinutes' ? 0 : 1)]));
  const radius = num('duplicatePolicy.radiusMetres', p.duplicatePolicy.radiusMetres, 1, 'any');
  const windowH = num('duplicatePolicy.windowHours', p.duplicatePolicy.windowHours, 1, 'any');
  const autoDispatch = h('input', { type: 'checkbox', id: 'admin-policy-autodispatch', checked: p.workflowFlags.autoDispatch });
  const autoSendCheck = h('input', { type: 'checkbox', id: 'admin-policy-autosendcheck', checked: p.workflowFlags.autoSendCheck });
  const group = (id, legendKey, fieldsName, ...children) => {
    const fs = h('fieldset', { id, tabindex: '-1' }, h('legend', {}, t(legendKey)), ...children, h('small', { class: 'field-error', id: `${id}-error` }));
    fs.dataset.fields = fieldsName;
    return fs;
  };
  const save = h('button', { type: 'submit', class: 'primary', id: 'admin-policy-save' }, t('common.save'));
  const form = h('form', { id: 'admin-policy-form', class: 'admin-form', novalidate: true },
    group('admin-policy-steps', 'admin.policy.steps', 'stepLimits',
      h('p', { class: 'muted' }, t('admin.policy.stepsHelp', { m: perDay })),
      h('div', { class: 'form-grid' }, Object.entries(steps).map(([k, input]) => ffield(`admin.policy.step.${k}`, input, { hint: t('admin.policy.minutes') })))),
    group('admin-policy-duplicates', 'admin.policy.duplicates', 'duplicatePolicy',
      h('div', { class: 'form-grid' }, ffield('admin.policy.radius', radius), ffield('admin.policy.window', windowH))),
    group('admin-policy-flags', 'admin.policy.flags', 'workflowFlags',
      h('div', { class: 'field checkbox' }, autoDispatch, h('label', { for: autoDispatch.id }, t('admin.policy.autoDispatch'))),
      h('div', { class: 'field checkbox' }, autoSendCheck, h('label', { for: autoSendCheck.id }, t('admin.policy.autoSendCheck')))),
    formError('admin-policy-error'), h('div', { class: 'buttons' }, save));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const problems = [];
    const value = (input, min) => {
      const v = Number(input.value);
      if (input.value === '' || !Number.isFinite(v) || v < min || (input.step === '1' && !Number.isInteger(v))) problems.push({ field: input.name, message: t('admin.policy.badNumber', { min }) });
      return v;
    };
    const body = {
      stepLimits: Object.fromEntries(Object.entries(steps).map(([k, input]) => [k, value(input, k === 'dueSoonMinutes' ? 0 : 1)])),
      duplicatePolicy: { radiusMetres: value(radius, 1), windowHours: value(windowH, 1) },
      workflowFlags: { autoDispatch: autoDispatch.checked, autoSendCheck: autoSendCheck.checked },
    };
    if (showErrors(form, problems)) return;
    await busy(save, async () => {
      try {
        await api('/api/v1/policy', { method: 'PUT', body });
        toast(t('admin.policy.saved'), 'ok');
      } catch (err) { showErrors(form, err); }
    });
  });
  root.append(form);
}
