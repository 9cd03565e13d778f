// The sites of the fleet rules: construction sites, disposal sites, forbidden zones, weighbridges and depots,
// found by name or ID and kind, a page at a time (a city has thousands); a site opened (or a new one) in the form
// above the list (site-form.js). `#/admin/sites?id=CS-001` opens that site's form.
import { api, h, t, userText } from '../core.js';
import { formSlot, pager } from './admin-common.js';
import { SITE_KINDS } from './fleet-admin-common.js';
import { siteForm, siteHours } from './site-form.js';

export async function sitesTab(root, { query = {} } = {}) {
  let sites = [];
  const search = h('input', { type: 'search', id: 'site-search', placeholder: t('fleetadmin.site.search'), 'aria-label': t('fleetadmin.site.search'), 'data-testid': 'site-search' });
  const kind = h('select', { id: 'site-filter-kind', 'aria-label': t('fleetadmin.site.filterKind'), 'data-testid': 'site-filter-kind' },
    h('option', { value: '' }, t('fleetadmin.site.allKinds')), SITE_KINDS.map((k) => h('option', { value: k }, t(`fleet.site.${k}`))));
  const count = h('p', { class: 'muted', 'aria-live': 'polite', 'data-testid': 'site-count' });
  const tbody = h('tbody', {});
  const formBox = h('div', { id: 'site-form-box' });
  const slot = formSlot(formBox);
  const pages = pager('site-pager', draw);

  async function load() {
    sites = await api('/api/v1/vehicle-sites');
    draw();
  }

  function draw() {
    const q = search.value.trim().toLowerCase();
    const shown = sites.filter((s) => (!kind.value || s.kind === kind.value) && (!q || `${s.id} ${s.name}`.toLowerCase().includes(q)));
    count.textContent = t('fleetadmin.site.count', { shown: shown.length, total: sites.length });
    tbody.replaceChildren(...pages.slice(shown).map((s) => h('tr', { 'data-testid': 'site-row', dataset: { id: s.id, kind: s.kind } },
      h('td', {}, userText(s.id)),
      h('td', { 'data-testid': 'site-row-name' }, userText(s.name)),
      h('td', {}, t(`fleet.site.${s.kind}`)),
      h('td', { 'data-testid': 'site-row-hours' }, siteHours(s)),
      h('td', { class: 'actions' }, h('button', {
        type: 'button', 'data-testid': 'site-edit', 'aria-label': t('fleetadmin.site.editLabel', { name: s.name }), onclick: () => open(s),
      }, t('admin.edit'))))));
  }

  function open(site) {
    return slot.open((box) => siteForm(box, {
      site, sites,
      onSaved: async (id) => { slot.close(); await load(); tbody.querySelector(`tr[data-id="${CSS.escape(id)}"]`)?.classList.add('dirty'); },
      onDeleted: async () => { slot.close(); await load(); },
      onClose: slot.close,
    }));
  }

  search.addEventListener('input', () => { pages.reset(); draw(); });
  kind.addEventListener('change', () => { pages.reset(); draw(); });
  root.append(
    h('p', { class: 'muted' }, t('fleetadmin.site.help')),
    h('div', { class: 'admin-toolbar' }, search, kind,
      h('button', { type: 'button', class: 'primary', 'data-testid': 'site-new', onclick: () => open(null) }, t('fleetadmin.site.new'))),
    formBox, count,
    h('div', { class: 'table-wrap' }, h('table', { id: 'site-table', class: 'admin-table', 'data-testid': 'site-table' },
      h('thead', {}, h('tr', {}, ['id', 'name', 'kind', 'hours', 'actions'].map((k) => h('th', { scope: 'col' }, t(`fleetadmin.site.col.${k}`))))),
      tbody)),
    pages.element);
  await load();
  if (query.id) {
    const site = sites.find((s) => s.id === query.id);
    if (site) await open(site);
  }
  return () => slot.close();
}
