// System administration: one page per subject under #/admin/<tab> — accounts, departments, the
// responsibility list, the working calendar, step limits and policy, the catalog's local extensions, imports, the
// AI cameras with the zones of their pictures, and the fleet's sites, transport permits, vehicles and drivers. A
// tab's query (`#/admin/sites?id=CS-001`) is its own: the fleet tabs open the record it names.
import { h, route, t } from '../core.js';
import { usersTab } from './admin-users.js';
import { calendarTab, departmentsTab, policyTab } from './admin-config.js';
import { catalogTab, rulesTab } from './admin-rules.js';
import { importTab } from './admin-import.js';
import { camerasTab } from './admin-cameras.js';
import { sitesTab } from './admin-sites.js';
import { permitsTab } from './admin-permits.js';
import { vehiclesTab } from './admin-vehicles.js';
import { driversTab } from './admin-drivers.js';

const TABS = [
  ['users', usersTab],
  ['departments', departmentsTab],
  ['rules', rulesTab],
  ['calendar', calendarTab],
  ['policy', policyTab],
  ['catalog', catalogTab],
  ['import', importTab],
  ['cameras', camerasTab],
  ['sites', sitesTab],
  ['permits', permitsTab],
  ['vehicles', vehiclesTab],
  ['drivers', driversTab],
];

async function adminPage(main, { params, query }) {
  const current = TABS.find(([k]) => k === params.tab) ? params.tab : 'users';
  const body = h('section', { class: 'admin-body', id: `admin-${current}`, 'aria-labelledby': 'admin-tab-title' });
  main.append(h('div', { class: 'admin-page', id: 'admin' },
    h('h1', {}, t('admin.title')),
    h('nav', { class: 'admin-tabs', 'aria-label': t('admin.sections') },
      h('ul', {}, TABS.map(([k]) => h('li', {}, h('a', {
        href: `#/admin/${k}`, id: `admin-tab-${k}`, 'data-testid': `admin-tab-${k}`, 'aria-current': k === current ? 'page' : null,
      }, t(`admin.tab.${k}`)))))),
    h('h2', { id: 'admin-tab-title' }, t(`admin.tab.${current}`)),
    body));
  const view = TABS.find(([k]) => k === current)[1];
  return view(body, { query });
}

route('/admin', adminPage, { roles: ['admin'], title: 'admin.title' });
route('/admin/:tab', adminPage, { roles: ['admin'], title: 'admin.title' });
