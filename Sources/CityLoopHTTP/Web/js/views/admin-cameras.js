// The AI cameras: every registered camera with the grid it looks at, whether it counts, when it was last
// heard from and the precision its reviewed candidates measure; a camera opened (or a new one) in the form beside
// (camera-form.js) with its place, view, hours, types and the zones drawn on its picture.
import { api, fmtTime, h, t, userText } from '../core.js';
import { pct } from './detections-detail.js';
import { cameraForm } from './camera-form.js';
import { formSlot } from './admin-common.js';

export async function camerasTab(root) {
  const images = new Map();
  let cameras = [];
  let precision = new Map();
  let types = [];
  const search = h('input', { type: 'search', id: 'cam-search', 'aria-label': t('camadmin.search'), placeholder: t('camadmin.search'), 'data-testid': 'cam-search' });
  const count = h('p', { class: 'muted', 'aria-live': 'polite', 'data-testid': 'cam-count' });
  const tbody = h('tbody', {});
  const formBox = h('div', { id: 'cam-form-box', 'data-testid': 'cam-form-box' });

  async function load() {
    const [list, policies, p] = await Promise.all([
      api('/api/v1/cameras'), api('/api/v1/detection-policies'),
      // The precision is a summary beside the list: without it the list still shows.
      api('/api/v1/detection-precision').catch(() => null)]);
    cameras = list.sort((a, b) => a.camera.id.localeCompare(b.camera.id));
    types = Object.keys(policies).sort();
    precision = new Map((p?.byCamera || []).map((r) => [r.camera, r.figures]));
    draw();
  }

  function precisionCell(id) {
    const f = precision.get(id);
    if (!f || !f.reviewed) return h('span', { class: 'muted' }, t('camadmin.noReviews'));
    return h('span', { title: t('camadmin.precisionTitle', { tp: f.truePositives, fp: f.falsePositives }) }, t('camadmin.precisionValue', { rate: pct(f.precision), n: f.reviewed }));
  }

  function draw() {
    const q = search.value.trim().toLowerCase();
    const shown = cameras.filter((r) => !q || `${r.camera.id} ${r.camera.name} ${r.gridCode || ''}`.toLowerCase().includes(q));
    count.textContent = t('camadmin.count', { shown: shown.length, total: cameras.length });
    tbody.replaceChildren(...shown.map((r) => {
      const c = r.camera;
      return h('tr', { 'data-testid': 'cam-row', dataset: { id: c.id }, class: c.active ? '' : 'inactive' },
        h('td', {}, userText(c.id)),
        h('td', { 'data-testid': 'cam-row-name' }, userText(c.name)),
        h('td', {}, r.gridCode || h('span', { class: 'muted' }, t('camadmin.noGrid')),
          h('small', { class: 'muted' }, `${c.location.lat.toFixed(5)}, ${c.location.lon.toFixed(5)} · ${t('camadmin.headingValue', { deg: c.heading, m: c.range })}`)),
        h('td', {}, h('span', { class: `badge ${c.active ? 'on' : 'off'}` }, t(c.active ? 'camadmin.active' : 'camadmin.inactive'))),
        h('td', {}, r.lastContact ? fmtTime(r.lastContact) : h('span', { class: 'muted' }, t('camadmin.neverHeard'))),
        h('td', {}, precisionCell(c.id)),
        h('td', { class: 'num', 'data-testid': 'cam-row-zones' }, String(c.zones.length)),
        h('td', { class: 'actions' }, h('button', {
          type: 'button', 'data-testid': 'cam-edit', 'aria-label': t('camadmin.editLabel', { name: c.name }), onclick: () => open(r),
        }, t('admin.edit'))));
    }));
  }

  const slot = formSlot(formBox);
  function open(reply) {
    return slot.open((box) => cameraForm(box, {
      reply, types, images,
      onSaved: async (id) => {
        slot.close();
        await load();
        tbody.querySelector(`tr[data-id="${CSS.escape(id)}"]`)?.classList.add('dirty');
      },
      onClose: slot.close,
    }));
  }

  search.addEventListener('input', draw);
  root.append(
    h('p', { class: 'muted' }, t('camadmin.help')),
    h('div', { class: 'admin-toolbar' }, search,
      h('button', { type: 'button', class: 'primary', 'data-testid': 'cam-new', onclick: () => open(null) }, t('camadmin.new'))),
    formBox, count,
    h('div', { class: 'table-wrap' }, h('table', { id: 'cam-table', class: 'admin-table', 'data-testid': 'cam-table' },
      h('thead', {}, h('tr', {}, ['id', 'name', 'where', 'status', 'lastContact', 'precision', 'zones', 'actions']
        .map((k) => h('th', { scope: 'col' }, t(`camadmin.col.${k}`))))),
      tbody)));
  await load();
  return () => {
    slot.close();
    images.forEach((url) => url.then((u) => URL.revokeObjectURL(u), () => {}));
  };
}
