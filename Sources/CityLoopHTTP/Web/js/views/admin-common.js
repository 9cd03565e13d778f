// Pieces the administration pages share: fields that show their own error, mapping an API error to the field it
// names, one form at a time under a list, a pager, a delete that asks first, uploads with progress, and small table
// and area helpers.
import { ApiError, api, errorText, field, h, navigate, session, t } from '../core.js';

/**
 * A labelled field whose control shows its own error below it. `names` lists the API field names (or prefixes)
 * whose errors belong here; the control's `name` is always one of them.
 */
export function ffield(labelKey, control, { hint, names = [] } = {}) {
  const wrap = field(labelKey, control, hint);
  const err = h('small', { class: 'field-error', id: `${control.id}-error`, 'aria-live': 'polite' });
  control.setAttribute('aria-describedby', [control.getAttribute('aria-describedby'), err.id].filter(Boolean).join(' '));
  control.dataset.fields = [control.name, ...names].filter(Boolean).join(' ');
  wrap.append(err);
  return wrap;
}

/** Clears every field error and the form's message. */
export function clearErrors(form) {
  form.querySelectorAll('.field-error').forEach((e) => { e.textContent = ''; });
  form.querySelectorAll('[aria-invalid]').forEach((e) => e.removeAttribute('aria-invalid'));
  const msg = form.querySelector('.form-error');
  if (msg) msg.textContent = '';
}

/** Shows a message next to the control that stands for `name`; false when there is none. */
export function setFieldError(form, name, message) {
  // The most specific control wins: `stepLimits.verify` goes to its input, not to the `stepLimits` fieldset.
  let control = null;
  let best = -1;
  for (const c of form.querySelectorAll('[data-fields]')) {
    for (const f of c.dataset.fields.split(' ')) {
      if (f && f.length > best && (name === f || name.startsWith(`${f}.`) || name.startsWith(`${f}[`))) { control = c; best = f.length; }
    }
  }
  if (!control) return false;
  control.setAttribute('aria-invalid', 'true');
  const err = document.getElementById(`${control.id}-error`);
  if (err) err.textContent = message;
  return control;
}

/**
 * Shows client problems (`[{field, message}]`) or an API error next to the fields they name, the rest in the form's
 * `.form-error` box; focuses the first. Answers true when something was shown.
 */
export function showErrors(form, problems) {
  const list = problems instanceof Error ? [{ field: problems.field, message: problems instanceof ApiError ? problems.message : errorText(problems) }] : problems;
  if (!list.length) return false;
  let first = null;
  const rest = [];
  for (const p of list) {
    const c = p.field ? setFieldError(form, p.field, p.message) : false;
    if (c) first = first || c; else rest.push(p.field ? `${p.message} (${p.field})` : p.message);
  }
  const box = form.querySelector('.form-error');
  if (box && rest.length) box.textContent = rest.join('; ');
  (first || box)?.focus?.();
  return true;
}

/**
 * An API error's field with the `[0].` of the one item sent taken off, so that it names the form's own control:
 * `[0].zones[1].name` and `body[0].openingHours[1]` become `zones[1].name` and `openingHours[1]`.
 */
const ownField = (field) => (field ? field.replace(/^(body)?\[0\]\.?/, '') : field);

/** Shows an API error of a one-item save beside the form's own control for the field it names (`ownField`). */
export function showApiError(form, err) {
  if (err.field) err.field = ownField(err.field);
  return showErrors(form, err);
}

/** The form-level error box (focusable so a message is announced and can be reached). */
export function formError(id) {
  return h('p', { class: 'error form-error', role: 'alert', tabindex: '-1', id });
}

/**
 * A pager over a list held in the page: "1–50 of 2,345" with previous and next buttons. `onChange()` runs when the
 * page changes; `slice(list)` answers the rows of the current page (going back to the first when the list shrank).
 */
export function pager(testid, onChange, size = 50) {
  let start = 0;
  const label = h('span', { 'aria-live': 'polite', 'data-testid': `${testid}-range` });
  const prev = h('button', { type: 'button', 'data-testid': `${testid}-prev`, onclick: () => { start = Math.max(0, start - size); onChange(); } }, t('admin.prev'));
  const next = h('button', { type: 'button', 'data-testid': `${testid}-next`, onclick: () => { start += size; onChange(); } }, t('admin.next'));
  return {
    element: h('div', { class: 'pager' }, prev, label, next),
    reset() { start = 0; },
    slice(list) {
      const total = list.length;
      if (start >= total) start = Math.max(0, Math.floor((total - 1) / size) * size);
      prev.disabled = start === 0;
      next.disabled = start + size >= total;
      label.textContent = total ? t('admin.range', { from: start + 1, to: Math.min(total, start + size), total }) : '';
      return list.slice(start, start + size);
    },
  };
}

/**
 * A delete button that asks first: pressed, it shows `question` with a button that deletes (running `action`) and
 * one that keeps the record, which gets the focus.
 */
export function deleteButton(testid, question, action) {
  const box = h('span', { class: 'confirm-delete', 'data-testid': `${testid}-box` });
  const ask = h('button', { type: 'button', class: 'danger-outline', 'data-testid': testid }, t('admin.delete'));
  ask.addEventListener('click', () => {
    const yes = h('button', { type: 'button', class: 'danger', 'data-testid': `${testid}-confirm` }, t('admin.deleteConfirm'));
    const no = h('button', { type: 'button', 'data-testid': `${testid}-keep` }, t('admin.deleteKeep'));
    yes.addEventListener('click', async () => {
      yes.disabled = true;
      try { await action(); } finally { yes.disabled = false; }
    });
    no.addEventListener('click', () => { box.replaceChildren(ask); ask.focus(); });
    box.replaceChildren(h('span', { role: 'alert' }, question), ' ', yes, ' ', no);
    no.focus();
  });
  box.append(ask);
  return box;
}

/**
 * Where one form at a time is shown under a list: `open(render)` closes the form shown, then runs `render(place)`, which
 * draws the form into `place` and answers (or resolves to) the function that removes its map. `close()` removes it,
 * and cancels a form still drawing, as does opening another: what that one draws goes into a place no longer on the
 * page, and its map is removed once it answers.
 */
export function formSlot(box) {
  let destroy = null;
  let opening = 0;
  const close = () => {
    opening++;
    if (destroy) { destroy(); destroy = null; }
    box.replaceChildren();
  };
  return {
    close,
    async open(render) {
      close();
      const mine = opening;
      const place = h('div', { class: 'form-slot' });
      box.append(place);
      box.scrollIntoView({ block: 'start' });
      const d = await render(place);
      if (mine === opening) destroy = d || null; else if (d) d();
    },
  };
}

/**
 * Sends a file or text with XMLHttpRequest so the upload can be followed: `progress` is a <progress> element and
 * `status` an element for "uploading 45 %" / "processing …". Answers the parsed JSON; throws ApiError like api().
 */
export function upload(method, path, body, contentType, { progress, status } = {}) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, path);
    if (session.token) xhr.setRequestHeader('Authorization', `Bearer ${session.token}`);
    if (contentType) xhr.setRequestHeader('Content-Type', contentType);
    if (progress) { progress.hidden = false; progress.max = 100; progress.value = 0; }
    xhr.upload.onprogress = (e) => {
      if (!e.lengthComputable) return;
      const pct = Math.round((e.loaded / e.total) * 100);
      if (progress) progress.value = pct;
      if (status) status.textContent = t('admin.upload.sending', { pct });
    };
    xhr.upload.onload = () => {
      if (progress) progress.removeAttribute('value');
      if (status) status.textContent = t('admin.upload.processing');
    };
    xhr.onerror = () => reject(new Error(t('admin.upload.network')));
    xhr.onload = () => {
      let parsed = null;
      try { parsed = xhr.responseText ? JSON.parse(xhr.responseText) : null; } catch { /* not JSON */ }
      if (progress) { progress.value = 100; }
      if (status) status.textContent = '';
      if (xhr.status === 401) {
        session.clear();
        navigate('#/login?expired=1');
        reject(new ApiError(401, { error: { message: t('login.expired') } }));
      } else if (xhr.status >= 400) reject(new ApiError(xhr.status, parsed));
      else resolve(parsed);
    };
    xhr.send(body);
  });
}

/** A table with a header row; `rows` are arrays of cells (strings or nodes). */
export function table(id, headKeys, rows, { caption } = {}) {
  return h('table', { id, class: 'admin-table' },
    caption ? h('caption', {}, caption) : null,
    h('thead', {}, h('tr', {}, headKeys.map((k) => h('th', { scope: 'col' }, k ? t(k) : '')))),
    h('tbody', {}, rows.map((r) => (r instanceof Node ? r : h('tr', {}, r.map((c) => h('td', {}, c)))))));
}

let areasPromise = null;
/** Districts and streets by code (names for area codes in lists). */
export function areaNames() {
  if (!areasPromise) {
    areasPromise = Promise.all(['district', 'street', 'community'].map((level) => api(`/api/v1/areas?level=${level}`, { auth: false })))
      .then((lists) => new Map(lists.flat().map((a) => [a.code, a])))
      .catch(() => new Map());
  }
  return areasPromise;
}

/** An area code with its name when known: `Jinshui (410105)`. */
export function areaLabel(areas, code) {
  if (!code) return t('admin.wholeCity');
  const a = areas.get(code);
  return a ? `${a.name} (${code})` : code;
}

/** A department's name in the current language. */
export function departmentLabel(dep, lang) {
  if (!dep) return '';
  return lang === 'en' && dep.nameEn ? dep.nameEn : dep.name;
}

/** Reads a file as text (UTF-8). */
export function readText(file) { return file.text(); }

/** Formats a byte count: 1.2 MB. */
export function bytes(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
