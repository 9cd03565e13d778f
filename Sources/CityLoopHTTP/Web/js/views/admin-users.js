// Accounts and roles: list, create, change role, department for handlers, grid scopes for inspectors,
// reset a password, deactivate or reactivate, and issue a partner system's API key.
import { api, busy, h, lang, roleName, session, t, toast } from '../core.js';
import { areaLabel, areaNames, clearErrors, departmentLabel, ffield, formError, showErrors } from './admin-common.js';

const ROLES = ['citizen', 'inspector', 'operator', 'shiftlead', 'dispatcher', 'handler', 'leader', 'admin', 'partner'];
const USERNAME = /^[A-Za-z0-9_.-]{2,64}$/;
const SCOPE = /^(\d{6}|\d{9}|\d{12}|\d{15})$/;

/** A random readable password of 12 characters (no look-alike letters). */
function randomPassword() {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return [...bytes].map((b) => alphabet[b % alphabet.length]).join('');
}

const splitScopes = (text) => text.split(/[\s,\uFF0C;\uFF1B]+/).map((s) => s.trim()).filter(Boolean);

export async function usersTab(root) {
  let users = [];
  let deps = [];
  const areas = await areaNames();
  const search = h('input', { type: 'search', id: 'admin-users-search', 'aria-label': t('admin.users.search'), placeholder: t('admin.users.search') });
  const roleFilter = h('select', { id: 'admin-users-role', 'aria-label': t('admin.users.roleFilter') },
    h('option', { value: '' }, t('admin.users.allRoles')), ROLES.map((r) => h('option', { value: r }, roleName(r))));
  const tbody = h('tbody', {});
  const count = h('p', { class: 'muted', id: 'admin-users-count', 'aria-live': 'polite' });
  const formBox = h('div', { id: 'admin-user-form-box' });
  const keyBox = h('div', { id: 'admin-user-key', 'aria-live': 'polite' });

  async function load() {
    [users, deps] = await Promise.all([api('/api/v1/users'), api('/api/v1/departments')]);
    users.sort((a, b) => a.username.localeCompare(b.username));
    draw();
  }

  function scopeText(u) {
    if (u.role === 'handler') return departmentLabel(deps.find((d) => d.id === u.departmentID), lang()) || u.departmentID || '';
    if (u.role === 'inspector') return u.gridScopes.map((c) => areaLabel(areas, c)).join(t('admin.listSeparator'));
    return '';
  }

  function draw() {
    const q = search.value.trim().toLowerCase();
    const shown = users.filter((u) => (!roleFilter.value || u.role === roleFilter.value)
      && (!q || `${u.username} ${u.displayName} ${u.phone || ''}`.toLowerCase().includes(q)));
    count.textContent = t('admin.users.count', { shown: shown.length, total: users.length });
    tbody.replaceChildren(...shown.map((u) => h('tr', { 'data-username': u.username, class: u.active ? '' : 'inactive' },
      h('td', {}, u.username), h('td', {}, u.displayName), h('td', {}, roleName(u.role)), h('td', {}, scopeText(u)),
      h('td', {}, u.phone || ''),
      h('td', {}, h('span', { class: `badge ${u.active ? 'on' : 'off'}` }, t(u.active ? 'admin.users.active' : 'admin.users.inactive'))),
      h('td', { class: 'actions' },
        h('button', { type: 'button', 'data-testid': `user-edit-${u.username}`, onclick: () => openForm(u) }, t('admin.edit')),
        h('button', {
          type: 'button', 'data-testid': `user-toggle-${u.username}`, class: u.active ? 'danger-outline' : '',
          disabled: u.id === session.user.id, onclick: (e) => toggleActive(u, e.target),
        }, t(u.active ? 'admin.users.deactivate' : 'admin.users.activate')),
        u.role === 'partner' ? h('button', { type: 'button', 'data-testid': `user-key-${u.username}`, onclick: (e) => issueKey(u, e.target) }, t('admin.users.issueKey')) : null))));
  }

  const payload = (u, extra = {}) => ({
    username: u.username, displayName: u.displayName, role: u.role, departmentID: u.departmentID ?? null,
    gridScopes: u.gridScopes || [], phone: u.phone ?? null, active: u.active, ...extra,
  });

  async function toggleActive(u, button) {
    if (u.active && !confirm(t('admin.users.confirmDeactivate', { name: `${u.displayName} (${u.username})` }))) return;
    await busy(button, async () => {
      await api('/api/v1/users', { method: 'POST', body: payload(u, { active: !u.active }) });
      toast(t(u.active ? 'admin.users.deactivated' : 'admin.users.activated', { name: u.username }), 'ok');
      await load();
    });
  }

  async function issueKey(u, button) {
    await busy(button, async () => {
      const reply = await api('/api/v1/tokens', { method: 'POST', body: { username: u.username, label: `${u.username}-${new Date().toISOString().slice(0, 10)}` } });
      keyBox.replaceChildren(h('div', { class: 'card notice', role: 'status' },
        h('p', {}, t('admin.users.keyOnce', { name: u.username })),
        h('code', { id: 'admin-user-key-value', class: 'secret' }, reply.token),
        h('button', { type: 'button', onclick: () => navigator.clipboard?.writeText(reply.token).then(() => toast(t('admin.copied'), 'ok')) }, t('admin.copy'))));
    });
  }

  function openForm(u) {
    const isNew = !u;
    const username = h('input', { name: 'username', id: 'admin-user-username', autocomplete: 'off', value: u?.username || '', readonly: !isNew, required: true });
    const displayName = h('input', { name: 'displayName', id: 'admin-user-displayname', value: u?.displayName || '', required: true });
    const role = h('select', { name: 'role', id: 'admin-user-role' }, ROLES.map((r) => h('option', { value: r, selected: (u?.role || 'operator') === r }, roleName(r))));
    const department = h('select', { name: 'departmentID', id: 'admin-user-department' }, h('option', { value: '' }, t('admin.users.chooseDepartment')),
      deps.map((d) => h('option', { value: d.id, selected: u?.departmentID === d.id }, `${departmentLabel(d, lang())} (${d.id})`)));
    const scopes = h('input', { name: 'gridScopes', id: 'admin-user-scopes', value: (u?.gridScopes || []).join(', '), autocomplete: 'off' });
    const scopeNames = h('small', { class: 'muted', id: 'admin-user-scope-names', 'aria-live': 'polite' });
    const phone = h('input', { name: 'phone', id: 'admin-user-phone', type: 'tel', value: u?.phone || '', autocomplete: 'off' });
    const password = h('input', { name: 'password', id: 'admin-user-password', type: 'password', autocomplete: 'new-password', minlength: 8 });
    const generate = h('button', { type: 'button', id: 'admin-user-generate', onclick: () => { password.type = 'text'; password.value = randomPassword(); password.select(); } }, t('admin.users.generate'));
    const active = h('input', { type: 'checkbox', name: 'active', id: 'admin-user-active', checked: u ? u.active : true, disabled: u && u.id === session.user.id });
    const depField = ffield('admin.users.department', department);
    const pwField = ffield(isNew ? 'admin.users.password' : 'admin.users.newPassword', password, { hint: t(isNew ? 'admin.users.passwordHint' : 'admin.users.resetHint') });
    pwField.append(generate);
    const scopeField = ffield('admin.users.scopes', scopes, { hint: t('admin.users.scopesHint') });
    scopeField.append(scopeNames);
    const showScopeNames = () => { scopeNames.textContent = splitScopes(scopes.value).map((c) => areaLabel(areas, c)).join(t('admin.listSeparator')); };
    scopes.addEventListener('input', showScopeNames);
    showScopeNames();
    const sync = () => { depField.hidden = role.value !== 'handler'; scopeField.hidden = role.value !== 'inspector'; };
    role.addEventListener('change', sync);
    sync();
    const save = h('button', { type: 'submit', class: 'primary', id: 'admin-user-save' }, t('common.save'));
    const form = h('form', { class: 'card admin-form', id: 'admin-user-form', novalidate: true, 'aria-labelledby': 'admin-user-form-title' },
      h('h3', { id: 'admin-user-form-title' }, isNew ? t('admin.users.new') : t('admin.users.editTitle', { name: u.username })),
      h('div', { class: 'form-grid' },
        ffield('admin.users.username', username, { hint: isNew ? t('admin.users.usernameHint') : null }),
        ffield('admin.users.displayName', displayName),
        ffield('admin.users.role', role),
        depField, scopeField,
        ffield('admin.users.phone', phone),
        pwField,
        h('div', { class: 'field checkbox' }, active, h('label', { for: active.id }, t('admin.users.activeLabel')))),
      formError('admin-user-error'),
      h('div', { class: 'buttons' }, save, h('button', { type: 'button', id: 'admin-user-cancel', onclick: () => formBox.replaceChildren() }, t('common.cancel'))));

    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      clearErrors(form);
      const body = {
        username: username.value.trim(), displayName: displayName.value.trim(), role: role.value,
        departmentID: role.value === 'handler' ? department.value || null : (u?.role === role.value ? u?.departmentID ?? null : null),
        gridScopes: role.value === 'inspector' ? splitScopes(scopes.value) : [], phone: phone.value.trim() || null, active: active.checked,
      };
      if (password.value) body.password = password.value;
      const problems = [];
      if (!USERNAME.test(body.username)) problems.push({ field: 'username', message: t('admin.users.badUsername') });
      else if (isNew && users.some((x) => x.username === body.username)) problems.push({ field: 'username', message: t('admin.users.taken') });
      if (!body.displayName) problems.push({ field: 'displayName', message: t('admin.required') });
      if (isNew && !body.password) problems.push({ field: 'password', message: t('admin.users.needPassword') });
      if (body.password && body.password.length < 8) problems.push({ field: 'password', message: t('admin.users.shortPassword') });
      if (body.role === 'handler' && !body.departmentID) problems.push({ field: 'departmentID', message: t('admin.users.needDepartment') });
      if (body.role === 'inspector') {
        const bad = body.gridScopes.filter((c) => !SCOPE.test(c));
        if (!body.gridScopes.length) problems.push({ field: 'gridScopes', message: t('admin.users.needScopes') });
        else if (bad.length) problems.push({ field: 'gridScopes', message: t('admin.users.badScopes', { codes: bad.join(', ') }) });
        else if (areas.size && body.gridScopes.some((c) => c.length < 15 && !areas.has(c))) {
          problems.push({ field: 'gridScopes', message: t('admin.users.unknownScopes', { codes: body.gridScopes.filter((c) => c.length < 15 && !areas.has(c)).join(', ') }) });
        }
      }
      if (body.phone && !/^[0-9+\- ]{5,20}$/.test(body.phone)) problems.push({ field: 'phone', message: t('admin.users.badPhone') });
      if (showErrors(form, problems)) return;
      await busy(save, async () => {
        try {
          await api('/api/v1/users', { method: 'POST', body });
          toast(t(isNew ? 'admin.users.created' : 'admin.users.saved', { name: body.username }), 'ok');
          formBox.replaceChildren();
          await load();
        } catch (err) { showErrors(form, err); }
      });
    });
    formBox.replaceChildren(form);
    (isNew ? username : displayName).focus();
  }

  search.addEventListener('input', draw);
  roleFilter.addEventListener('change', draw);
  root.append(
    h('div', { class: 'admin-toolbar' }, search, roleFilter,
      h('button', { type: 'button', class: 'primary', id: 'admin-user-new', onclick: () => openForm(null) }, t('admin.users.new'))),
    keyBox, formBox, count,
    h('div', { class: 'table-wrap' }, h('table', { id: 'admin-users-table', class: 'admin-table' },
      h('thead', {}, h('tr', {}, ['username', 'displayName', 'role', 'scope', 'phone', 'status', 'actions'].map((k) => h('th', { scope: 'col' }, t(`admin.users.col.${k}`))))),
      tbody)));
  await load();
}
