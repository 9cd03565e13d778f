// The action panel every staff page shares: for a case detail (GET /api/v1/cases/{id}) one button per action the
// signed-in account may take now, each opening a small form with exactly the inputs that action needs; it posts to
// /api/v1/cases/{id}/actions/{action} and hands the new detail to `onDone`.
import { ApiError, api, departments, errorText, field, fmtTime, h, t, toast, userText } from '../core.js';
import { deptName, departmentSelect, lastEvent, sortedDepartments, suggestion } from './case-util.js';

/** Actions that need a reason in the comment. */
export const NEEDS_REASON = new Set([
  'reject', 'refute', 'check_fail', 'request_return', 'refuse_return', 'refuse_extension', 'refuse_self_handled',
  'void', 'reopen', 'suspend', 'request_extension',
]);
/** Actions that carry photos. */
export const TAKES_PHOTOS = new Set(['report_handled', 'check_pass', 'check_fail', 'assist_feedback']);
const PRIMARY = new Set([
  'verify', 'file', 'dispatch', 'accept', 'report_handled', 'approve_return', 'approve_extension', 'send_check', 'send_verify',
  'check_pass', 'close', 'resume', 'approve_self_handled', 'rate',
]);
const DANGER = new Set(['refute', 'reject', 'check_fail', 'refuse_return', 'refuse_extension', 'refuse_self_handled', 'void']);
const SATISFACTION = ['satisfied', 'basically_satisfied', 'dissatisfied'];

/** An action's name. */
export function actionName(action) { return t(`action.${action}`); }

/** The CSS class of an action's button (primary, danger or plain). */
export function actionClass(action) { return PRIMARY.has(action) ? 'primary' : DANGER.has(action) ? 'danger' : ''; }

/**
 * Takes an action on a case without a form (one-click buttons on list pages). Answers the new detail, or throws
 * the ApiError.
 */
export function takeAction(caseID, action, body = {}) {
  return api(`/api/v1/cases/${encodeURIComponent(caseID)}/actions/${encodeURIComponent(action)}`, { method: 'POST', body });
}

/** Uploads one photo (POST /api/v1/media, raw body) and answers its media ID. */
export async function uploadPhoto(file) {
  const reply = await api('/api/v1/media', { method: 'POST', body: file, headers: { 'Content-Type': file.type || 'application/octet-stream' } });
  return reply.id;
}

/**
 * The panel. Options: `onDone(newDetail)` after an action succeeded; `only` (array) limits the buttons to these
 * actions; `open` opens one action's form at once; `heading` (false to omit the panel's heading).
 */
export function actionPanel(detail, { onDone, only = null, open = null, heading = true } = {}) {
  const c = detail.case;
  const actions = (detail.availableActions || []).filter((a) => !only || only.includes(a));
  const panel = h('section', { class: 'action-panel no-print', 'data-testid': 'action-panel', 'aria-label': t('action.panel') });
  if (heading) panel.append(h('h2', {}, t('action.panel')));
  if (!actions.length) {
    panel.append(h('p', { class: 'muted', 'data-testid': 'action-none' }, t('action.none')));
    return panel;
  }
  const bar = h('div', { class: 'action-bar', role: 'group', 'aria-label': t('action.panel') });
  const slot = h('div', { class: 'action-slot' });
  const buttons = new Map();
  let current = null;
  const show = (action) => {
    for (const [a, b] of buttons) b.setAttribute('aria-expanded', String(a === action));
    slot.replaceChildren();
    current = action;
    if (!action) return;
    const form = actionForm(detail, action, {
      onCancel: () => { show(null); buttons.get(action)?.focus(); },
      onDone: (next) => { show(null); if (onDone) onDone(next); },
    });
    slot.append(form);
    form.querySelector('textarea, select, input:not([type=hidden])')?.focus();
  };
  for (const a of actions) {
    const b = h('button', {
      type: 'button', class: `action-button ${actionClass(a)}`, id: `action-${a}`, 'data-testid': `action-${a}`,
      'data-action': a, 'aria-expanded': 'false', onclick: () => show(current === a ? null : a),
    }, actionName(a));
    buttons.set(a, b);
    bar.append(b);
  }
  panel.append(bar, slot);
  if (open && actions.includes(open)) queueMicrotask(() => show(open));
  panel.dataset.caseId = c.id;
  return panel;
}

/** The form of one action: its inputs, validation, upload, post and error display. */
function actionForm(detail, action, { onCancel, onDone }) {
  const c = detail.case;
  const controls = {};        // API field name → the field's wrapper (for errors)
  const message = h('p', { class: 'error', role: 'alert', 'data-testid': 'action-error' });
  const body = h('div', { class: 'action-fields' });
  const submit = h('button', { type: 'submit', class: actionClass(action) || 'primary', 'data-testid': 'action-submit' }, actionName(action));
  const cancel = h('button', { type: 'button', 'data-testid': 'action-cancel', onclick: onCancel }, t('common.cancel'));
  const form = h('form', {
    class: 'action-form card', 'data-testid': `action-form-${action}`, 'data-action': action, novalidate: true,
    'aria-label': actionName(action),
  }, h('h3', {}, actionName(action)), body, message, h('div', { class: 'action-buttons' }, submit, cancel));

  const wrap = (name, labelKey, control, hint) => {
    const f = field(labelKey, control, hint);
    const err = h('p', { class: 'field-error', role: 'alert', id: `${control.id}-error`, 'data-testid': `error-${name}` });
    control.setAttribute('aria-describedby', err.id);
    f.append(err);
    controls[name] = { wrapper: f, control, err };
    return f;
  };

  // What the dispatcher decides on: the handler's reason for a return or an extension.
  const context = contextNote(detail, action);
  if (context) body.append(context);

  let getDepartment = null;
  let getAssisting = null;
  if (action === 'dispatch' || action === 'redispatch') {
    const holder = h('div', {}, h('p', { class: 'muted' }, t('common.loading')));
    body.append(holder);
    const ready = (async () => {
      const [depts, sug] = await Promise.all([departments(), suggestion(detail)]);
      // A redispatch goes elsewhere: the current department is never preselected.
      const suggested = action === 'redispatch' && sug?.departmentID === c.leadDepartmentID ? null : sug?.departmentID;
      const select = departmentSelect(depts, { suggested, auto: action === 'dispatch', testid: 'action-department' });
      const hint = sug ? t('action.suggested', { department: deptName(depts, sug.departmentID), rule: sug.ruleID || '—' }) : t('action.noSuggestion');
      const assisting = h('fieldset', { class: 'assisting', 'data-testid': 'action-assisting' },
        h('legend', {}, t('action.assisting')),
        sortedDepartments(depts).map((d) => h('label', { class: 'check' },
          h('input', { type: 'checkbox', value: d.id, checked: (c.assistingDepartmentIDs || []).includes(d.id) }), deptName(depts, d.id))));
      const assistWrap = h('details', { class: 'assisting-box', open: (c.assistingDepartmentIDs || []).length > 0 },
        h('summary', {}, t('action.assistingSummary')), assisting);
      controls.assistingDepartmentIDs = { wrapper: assistWrap, control: assisting, err: h('p', { class: 'field-error', role: 'alert', 'data-testid': 'error-assistingDepartmentIDs' }) };
      assistWrap.append(controls.assistingDepartmentIDs.err);
      holder.replaceChildren(wrap('departmentID', action === 'redispatch' ? 'action.newDepartment' : 'action.department', select, hint), assistWrap);
      getDepartment = () => select.value || undefined;
      getAssisting = () => [...assisting.querySelectorAll('input:checked')].map((i) => i.value).filter((id) => id !== select.value);
    })();
    form.ready = ready;
  }

  let hours = null;
  if (action === 'request_extension') {
    hours = h('input', { type: 'number', min: '1', max: '720', step: '1', value: '8', inputmode: 'numeric', 'data-testid': 'action-hours' });
    body.append(wrap('extensionHours', 'action.extensionHours', hours, t('action.extensionHoursHint')));
  }

  let satisfaction = null;
  if (action === 'rate') {
    const name = `sat-${c.id}`;
    satisfaction = h('fieldset', { class: 'radios', 'data-testid': 'action-satisfaction' }, h('legend', {}, t('action.satisfaction')),
      SATISFACTION.map((s) => h('label', { class: 'check' }, h('input', { type: 'radio', name, value: s }), t(`action.satisfaction.${s}`))));
    const err = h('p', { class: 'field-error', role: 'alert', 'data-testid': 'error-satisfaction' });
    controls.satisfaction = { wrapper: satisfaction, control: satisfaction, err };
    body.append(satisfaction, err);
  }

  let target = null;
  if (action === 'merge') {
    target = h('input', { type: 'text', list: `dups-${c.id}`, autocomplete: 'off', 'data-testid': 'action-target' });
    const list = h('datalist', { id: `dups-${c.id}` });
    api(`/api/v1/cases/${encodeURIComponent(c.id)}/duplicates`).then((dups) => {
      for (const d of dups || []) list.append(h('option', { value: d.number }, `${d.number} · ${Math.round(d.distanceMetres)} m`));
    }).catch(() => {});
    body.append(wrap('targetCaseID', 'action.targetCase', target, t('action.targetCaseHint')), list);
  }

  const comment = h('textarea', { rows: 3, 'data-testid': 'action-comment', maxlength: 2000 });
  const reason = NEEDS_REASON.has(action);
  if (reason) comment.required = true;
  body.append(wrap('comment', reason ? 'action.reason' : 'action.comment', comment));

  let photos = null;
  if (TAKES_PHOTOS.has(action)) {
    photos = photoPicker();
    body.append(photos.element);
    controls.evidence = { wrapper: photos.element, control: photos.input, err: photos.err };
  }

  const clearErrors = () => {
    message.textContent = '';
    for (const { control, err } of Object.values(controls)) { err.textContent = ''; control.removeAttribute('aria-invalid'); }
  };
  const fieldError = (name, text) => {
    const target2 = controls[name];
    if (!target2) { message.textContent = text; return; }
    target2.err.textContent = text;
    target2.control.setAttribute('aria-invalid', 'true');
    target2.control.focus?.();
  };

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors();
    const input = {};
    const text = comment.value.trim();
    if (text) input.comment = text;
    if (reason && !text) return fieldError('comment', t('action.reasonRequired'));
    if (hours) {
      const n = Number(hours.value);
      if (!Number.isInteger(n) || n < 1 || n > 720) return fieldError('extensionHours', t('action.hoursInvalid'));
      input.extensionHours = n;
    }
    if (satisfaction) {
      const s = satisfaction.querySelector('input:checked');
      if (!s) return fieldError('satisfaction', t('action.satisfactionRequired'));
      input.satisfaction = s.value;
    }
    submit.disabled = true;
    try {
      if (form.ready) await form.ready;
      if (getDepartment) {
        const d = getDepartment();
        if (d) input.departmentID = d;
        else if (action === 'redispatch') return fieldError('departmentID', t('action.departmentRequired'));
        const a = getAssisting();
        if (a.length) input.assistingDepartmentIDs = a;
      }
      if (target) {
        const v = target.value.trim();
        if (!v) return fieldError('targetCaseID', t('action.targetRequired'));
        try {
          input.targetCaseID = (await api(`/api/v1/cases/${encodeURIComponent(v)}`)).case.id;
        } catch (err) {
          return fieldError('targetCaseID', err instanceof ApiError && err.status === 404 ? t('action.targetNotFound') : errorText(err));
        }
      }
      if (photos) {
        input.evidence = await photos.ids();
        if (action === 'report_handled' && !input.evidence.length && !text) return fieldError('evidence', t('action.evidenceOrComment'));
      }
      const next = await takeAction(c.id, action, input);
      toast(t('action.doneToast', { action: actionName(action), number: c.number }), 'ok');
      onDone(next);
    } catch (err) {
      if (err instanceof ApiError && err.field && controls[err.field]) fieldError(err.field, err.message);
      else message.textContent = errorText(err);
    } finally {
      submit.disabled = false;
    }
    return undefined;
  });
  return form;
}

/** The request a dispatcher answers (a return's or an extension's reason), shown above the form. */
function contextNote(detail, action) {
  const c = detail.case;
  let ev = null;
  let text = null;
  if (action === 'approve_return' || action === 'refuse_return') {
    ev = lastEvent(detail, 'request_return');
    text = t('action.returnAsked');
  } else if (action === 'approve_extension' || action === 'refuse_extension') {
    ev = lastEvent(detail, 'request_extension');
    text = t('action.extensionAsked', { hours: c.pendingExtensionHours ?? ev?.details?.extensionHours ?? '?' });
  } else if (action === 'resume') {
    ev = lastEvent(detail, 'suspend');
    text = t('action.suspendedBecause');
  } else if (action === 'dispatch' && lastEvent(detail, 'approve_return')) {
    const back = lastEvent(detail, 'approve_return');
    ev = lastEvent(detail, 'request_return');
    const note = h('strong', {}, t('action.returnedBy', { department: back.details?.fromDepartment || '' }));
    departments().then((d) => { note.textContent = t('action.returnedBy', { department: deptName(d, back.details?.fromDepartment) }); }).catch(() => {});
    return h('div', { class: 'action-context', 'data-testid': 'action-context' }, note,
      ev ? h('span', {}, ' ', userText(ev.actorName), ` · ${fmtTime(ev.at)}`) : null, ev?.comment ? h('blockquote', {}, userText(ev.comment)) : null);
  } else if (action === 'reopen') {
    ev = lastEvent(detail, 'rate');
    text = t('action.ratedDissatisfied');
  }
  if (!text) return null;
  return h('div', { class: 'action-context', 'data-testid': 'action-context' },
    h('strong', {}, text), ev ? h('span', {}, ' ', userText(ev.actorName), ` · ${fmtTime(ev.at)}`) : null,
    ev?.comment ? h('blockquote', {}, userText(ev.comment)) : null);
}

/** A photo picker that uploads each chosen photo at once and shows its preview; `ids()` waits for the uploads. */
export function photoPicker({ labelKey = 'action.photos' } = {}) {
  const input = h('input', { type: 'file', accept: 'image/*', multiple: true, 'data-testid': 'action-photos' });
  const list = h('ul', { class: 'photo-list', 'data-testid': 'action-photo-list' });
  const err = h('p', { class: 'field-error', role: 'alert', 'data-testid': 'error-evidence' });
  const items = [];
  input.addEventListener('change', () => {
    err.textContent = '';
    input.removeAttribute('aria-invalid');
    for (const file of input.files) {
      const url = URL.createObjectURL(file);
      const status = h('span', { class: 'photo-status' }, t('action.uploading'));
      const li = h('li', { class: 'photo-item uploading' }, h('img', { src: url, alt: file.name }), status);
      const entry = { li, promise: uploadPhoto(file) };
      entry.promise.then((id) => {
        entry.id = id;
        li.classList.remove('uploading');
        li.dataset.media = id;
        status.textContent = t('action.uploaded');
      }, (e) => {
        entry.failed = true;
        li.classList.add('failed');
        status.textContent = errorText(e);
      });
      li.append(h('button', {
        type: 'button', class: 'link', 'aria-label': t('action.removePhoto', { name: file.name }),
        onclick: () => { items.splice(items.indexOf(entry), 1); li.remove(); URL.revokeObjectURL(url); },
      }, t('action.remove')));
      items.push(entry);
      list.append(li);
    }
    input.value = '';
  });
  const element = h('div', { class: 'photo-picker' }, field(labelKey, input, t('action.photosHint')), list, err);
  return {
    element, input, err,
    async ids() {
      await Promise.allSettled(items.map((i) => i.promise));
      if (items.some((i) => i.failed)) throw new ApiError(400, { error: { message: t('action.uploadFailed'), field: 'evidence' } });
      return items.map((i) => i.id);
    },
  };
}
