// Data imports: unit grids and areas (GeoJSON, validated first), components (CSV or GeoJSON, rejected rows
// listed with their reasons) and the place table. Uploads show their progress.
import { h, t, toast } from '../core.js';
import { bytes, clearErrors, ffield, formError, showErrors, table, upload } from './admin-common.js';

const MAX_GEO = 256 * 1024 * 1024;
const MAX_PLACES = 64 * 1024 * 1024;
const COMPONENT_HEADER = 'id,class_code,name,lat,lon,state,owner,maintainer,remark';
const COMPONENT_STATES = ['intact', 'damaged', 'lost', 'abandoned', 'removed', 'under_repair'];

/** RFC 4180 CSV: records of fields with the line each starts on; quoted fields may hold commas, quotes and newlines. */
export function parseCSV(text) {
  const out = [];
  let field = '';
  let rec = [];
  let quoted = false;
  let line = 1;
  let start = 1;
  const s = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else { if (c === '\n') line++; field += c; }
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') { rec.push(field); field = ''; } else if (c === '\n' || c === '\r') {
      if (c === '\r' && s[i + 1] === '\n') i++;
      rec.push(field); out.push({ line: start, fields: rec }); rec = []; field = ''; line++; start = line;
    } else field += c;
  }
  if (field !== '' || rec.length) { rec.push(field); out.push({ line: start, fields: rec }); }
  return out.filter((r) => r.fields.some((f) => f.trim() !== ''));
}

/** Component rows from CSV (`id,class_code,name,lat,lon,state,owner,maintainer,remark`), and the lines that could not be read. */
function componentRows(text) {
  const records = parseCSV(text);
  if (records.length && !Number.isFinite(Number(records[0].fields[3]))) records.shift();
  const rows = [];
  const lines = [];
  const rejected = [];
  for (const { line, fields: c } of records) {
    const [id, classCode, name, lat, lon, state, owner, maintainer, remark] = c.map((x) => x.trim());
    if (c.length < 5 || lat === '' || lon === '' || !Number.isFinite(Number(lat)) || !Number.isFinite(Number(lon))) {
      rejected.push({ row: line, id: id || '', problems: [t('admin.import.badCsvLine')] });
      continue;
    }
    if (state && !COMPONENT_STATES.includes(state)) { rejected.push({ row: line, id, problems: [t('admin.import.badState', { state })] }); continue; }
    const row = { id, classCode, lat: Number(lat), lon: Number(lon) };
    if (name) row.name = name;
    if (state) row.state = state;
    if (owner) row.ownerDepartmentID = owner;
    if (maintainer) row.maintainerDepartmentID = maintainer;
    if (remark) row.remark = remark;
    rows.push(row);
    lines.push(line);
  }
  return { rows, lines, rejected };
}

/** One import panel: a file field, its buttons, a <progress>, a status line and a result area. */
function panel(key, { accept, hint, buttons }) {
  const file = h('input', { type: 'file', name: 'file', id: `admin-${key}-file`, accept });
  const progress = h('progress', { id: `admin-${key}-progress`, max: 100, value: 0, hidden: true, 'aria-label': t('admin.import.progress') });
  const status = h('span', { class: 'muted', id: `admin-${key}-status`, 'aria-live': 'polite' });
  const result = h('div', { id: `admin-${key}-result`, 'aria-live': 'polite' });
  const form = h('form', { class: 'card admin-form import', id: `admin-${key}-form`, novalidate: true },
    h('h3', {}, t(`admin.import.${key}.title`)), h('p', { class: 'muted' }, t(`admin.import.${key}.help`)),
    ffield(`admin.import.${key}.file`, file, { hint }),
    h('div', { class: 'buttons' }, buttons), h('div', { class: 'progress-line' }, progress, status), formError(`admin-${key}-error`), result);
  form.addEventListener('submit', (e) => e.preventDefault());
  return { form, file, progress, status, result };
}

/** The chosen file, or shows why there is none / it is too big. */
function chosen(p, max) {
  clearErrors(p.form);
  const f = p.file.files[0];
  if (!f) { showErrors(p.form, [{ field: 'file', message: t('admin.import.chooseFile') }]); return null; }
  if (f.size > max) { showErrors(p.form, [{ field: 'file', message: t('admin.import.tooBig', { size: bytes(f.size), max: bytes(max) }) }]); return null; }
  return f;
}

/** Runs an upload with the panel's buttons disabled; API errors go next to the field they name. */
async function run(p, action) {
  const buttons = [...p.form.querySelectorAll('button')];
  buttons.forEach((b) => { b.disabled = true; });
  try { return await action(); } catch (err) {
    p.progress.hidden = true;
    p.status.textContent = '';
    showErrors(p.form, err.field === 'body' ? Object.assign(err, { field: 'file' }) : err);
    return undefined;
  } finally { buttons.forEach((b) => { b.disabled = false; }); }
}

function gridsPanel() {
  let validated = null; // the file that passed validation
  const validate = h('button', { type: 'button', id: 'admin-grids-validate', class: 'primary' }, t('admin.import.grids.validate'));
  const apply = h('button', { type: 'button', id: 'admin-grids-import', class: 'danger', disabled: true }, t('admin.import.grids.import'));
  const p = panel('grids', { accept: '.geojson,.json,application/geo+json,application/json', hint: t('admin.import.grids.hint'), buttons: [validate, apply] });
  p.file.addEventListener('change', () => { validated = null; apply.disabled = true; p.result.replaceChildren(); });
  validate.addEventListener('click', () => run(p, async () => {
    const f = chosen(p, MAX_GEO);
    if (!f) return;
    const problems = await upload('POST', '/api/v1/areas/validate', f, 'application/geo+json', p);
    if (problems.length) {
      p.result.replaceChildren(h('p', { class: 'error', role: 'alert' }, t('admin.import.grids.problems', { count: problems.length })),
        h('div', { class: 'table-wrap tall' }, table('admin-grids-problems', ['admin.import.col.code', 'admin.import.col.subject', 'admin.import.col.message'],
          problems.map((x) => [x.code, x.subject, x.message]))));
      validated = null;
    } else {
      p.result.replaceChildren(h('p', { class: 'ok', id: 'admin-grids-valid' }, t('admin.import.grids.valid', { name: f.name })));
      validated = f;
    }
    apply.disabled = !validated;
  }).finally(() => { apply.disabled = !validated; }));
  apply.addEventListener('click', () => run(p, async () => {
    const f = p.file.files[0];
    if (!f || f !== validated) { showErrors(p.form, [{ field: 'file', message: t('admin.import.grids.validateFirst') }]); return; }
    if (!confirm(t('admin.import.grids.confirm'))) return;
    const reply = await upload('PUT', '/api/v1/areas', f, 'application/geo+json', p);
    p.result.replaceChildren(h('p', { class: 'ok', id: 'admin-grids-done' }, t('admin.import.grids.done', { areas: reply.areas, grids: reply.grids })));
    toast(t('admin.import.grids.done', { areas: reply.areas, grids: reply.grids }), 'ok');
    validated = null;
  }).finally(() => { apply.disabled = !validated; }));
  return p.form;
}

function componentsPanel() {
  const send = h('button', { type: 'button', id: 'admin-components-import', class: 'primary' }, t('admin.import.components.import'));
  const template = h('a', { href: URL.createObjectURL(new Blob([`${COMPONENT_HEADER}\n`], { type: 'text/csv' })), download: 'components-template.csv', id: 'admin-components-template' }, t('admin.import.components.template'));
  const p = panel('components', { accept: '.csv,.geojson,.json,text/csv,application/geo+json,application/json', hint: t('admin.import.components.hint'), buttons: [send, template] });
  send.addEventListener('click', () => run(p, async () => {
    const f = chosen(p, MAX_GEO);
    if (!f) return;
    p.result.replaceChildren();
    const isCSV = /\.csv$/i.test(f.name) || f.type === 'text/csv';
    let body = f;
    let lines = null;
    let early = [];
    if (isCSV) {
      // The API takes JSON rows or GeoJSON: a CSV file is read here, row by row, and sent as JSON rows.
      p.status.textContent = t('admin.import.reading');
      const parsed = componentRows(await f.text());
      if (!parsed.rows.length && !parsed.rejected.length) { showErrors(p.form, [{ field: 'file', message: t('admin.import.empty') }]); p.status.textContent = ''; return; }
      body = new Blob([JSON.stringify(parsed.rows)], { type: 'application/json' });
      lines = parsed.lines;
      early = parsed.rejected;
    }
    const reply = lines && !lines.length ? { accepted: 0, rejected: [] } : await upload('POST', '/api/v1/components', body, isCSV ? 'application/json' : 'application/geo+json', p);
    const rejected = [...early, ...reply.rejected.map((r) => ({ ...r, row: lines ? lines[r.row - 1] : r.row }))].sort((a, b) => a.row - b.row);
    p.result.replaceChildren(
      h('p', { class: rejected.length ? 'warn' : 'ok', id: 'admin-components-summary' }, t('admin.import.components.summary', { accepted: reply.accepted, rejected: rejected.length })),
      rejected.length ? h('div', { class: 'table-wrap tall' }, table('admin-components-rejected',
        [isCSV ? 'admin.import.col.line' : 'admin.import.col.feature', 'admin.import.col.id', 'admin.import.col.reason'],
        rejected.map((r) => h('tr', { 'data-row': r.row }, h('td', {}, String(r.row)), h('td', {}, r.id), h('td', {}, r.problems.join('; ')))))) : null);
  }));
  return p.form;
}

function placesPanel() {
  const send = h('button', { type: 'button', id: 'admin-places-import', class: 'danger' }, t('admin.import.places.import'));
  const p = panel('places', { accept: '.csv,text/csv', hint: t('admin.import.places.hint'), buttons: [send] });
  send.addEventListener('click', () => run(p, async () => {
    const f = chosen(p, MAX_PLACES);
    if (!f) return;
    if (!confirm(t('admin.import.places.confirm'))) return;
    p.result.replaceChildren();
    const reply = await upload('PUT', '/api/v1/places', f, 'text/csv; charset=utf-8', p);
    p.result.replaceChildren(
      h('p', { class: reply.rejected.length ? 'warn' : 'ok', id: 'admin-places-summary' }, t('admin.import.places.summary', { imported: reply.imported, rejected: reply.rejected.length })),
      reply.rejected.length ? h('div', { class: 'table-wrap tall' }, table('admin-places-rejected', ['admin.import.col.line', 'admin.import.col.reason'],
        reply.rejected.map((r) => [r.line ? String(r.line) : '—', r.reason]))) : null);
  }));
  return p.form;
}

export async function importTab(root) {
  root.append(h('p', { class: 'muted' }, t('admin.import.help')), gridsPanel(), componentsPanel(), placesPanel());
}
