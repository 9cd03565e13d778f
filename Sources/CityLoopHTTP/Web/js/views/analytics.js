// #/analytics — hotspots and trends, forecast and early warning for an area (the city, a district or a street) and
// a major class: the trend with week-over-week and year-over-year change, the coming days' forecast with its
// backtest, the top hotspots as a table and as circles on the city map, the weekday x hour pattern, and the early
// warnings (live). The address keeps the filters: ?area=&matter=&days=&group=&ahead=.
import { api, catalog, entryName, errorText, h, route, t } from '../core.js';
import { cityMap } from '../map.js';
import { alertsView } from './analytics-alerts.js';
import { forecastView, num, patternView, trendView } from './analytics-charts.js';
import { matterGroups } from './intake-matter.js';

const WINDOWS = ['30', '90', '180', '365'];
const GROUPS = ['day', 'week', 'month'];
const AHEAD = ['7', '14', '28'];
const HEAT = ['#f59e0b', '#ea580c', '#dc2626', '#9f1239'];

route('/analytics', async (main, { query }) => {
  const [groups, districts, streets] = await Promise.all([
    matterGroups(), api('/api/v1/areas?level=district', { auth: false }), api('/api/v1/areas?level=street', { auth: false })]);
  const areaName = new Map([...districts, ...streets].map((a) => [a.code, a.name]));
  const st = {
    area: areaName.has(query.area) ? query.area : '', matter: groups.some((g) => g.code === query.matter) ? query.matter : '',
    days: WINDOWS.includes(query.days) ? query.days : '90', group: GROUPS.includes(query.group) ? query.group : 'day',
    ahead: AHEAD.includes(query.ahead) ? query.ahead : '14', seq: 0, disposed: false,
  };

  // ---- filters ----
  const opt = (value, label) => h('option', { value }, label);
  const select = (name, options, value) => { const s = h('select', { id: `an-${name}`, name, 'data-testid': `an-${name}` }, options); s.value = value; return s; };
  const districtSel = select('district', [opt('', t('analytics.wholeCity')), districts.map((d) => opt(d.code, d.name))], st.area.slice(0, 6));
  const streetSel = select('street', [], '');
  const matterSel = select('matter', [opt('', t('analytics.allMatters')), groups.map((g) => opt(g.code, `${g.code} ${g.name}`))], st.matter);
  const daysSel = select('days', WINDOWS.map((d) => opt(d, t('analytics.lastDays', { n: d }))), st.days);
  const groupSel = select('group', GROUPS.map((g) => opt(g, t(`analytics.group.${g}`))), st.group);
  const aheadSel = select('ahead', AHEAD.map((d) => opt(d, t('analytics.nextDays', { n: d }))), st.ahead);
  const fillStreets = () => {
    const d = districtSel.value;
    streetSel.replaceChildren(opt('', t('analytics.allStreets')), ...streets.filter((s) => d && s.parentCode === d).map((s) => opt(s.code, s.name)));
    streetSel.disabled = !d;
  };
  fillStreets();
  if (st.area.length > 6) streetSel.value = st.area;
  districtSel.addEventListener('change', () => { fillStreets(); st.area = districtSel.value; reload(); });
  streetSel.addEventListener('change', () => { st.area = streetSel.value || districtSel.value; reload(); });
  matterSel.addEventListener('change', () => { st.matter = matterSel.value; reload(); });
  daysSel.addEventListener('change', () => { st.days = daysSel.value; reload(); });
  groupSel.addEventListener('change', () => { st.group = groupSel.value; reload(['trend']); });
  aheadSel.addEventListener('change', () => { st.ahead = aheadSel.value; reload(['forecast']); });
  const cell = (key, control) => h('div', { class: 'eval-field' }, h('label', { for: control.id }, t(key)), control);

  // ---- cards ----
  const trend = trendView();
  const forecast = forecastView();
  const pattern = patternView();
  const alerts = alertsView();
  const hotBody = h('tbody', {});
  const hotCaption = h('p', { id: 'an-hotspots-caption', 'data-testid': 'an-hotspots-caption' });
  const hotTable = h('table', { id: 'an-hotspots', 'data-testid': 'an-hotspots', class: 'eval-table' },
    h('caption', { class: 'intake-sr' }, t('analytics.hotspots.title')),
    h('thead', {}, h('tr', {}, ['rank', 'grid', 'matter', 'count', 'share'].map((k) => h('th', { scope: 'col', class: ['rank', 'count', 'share'].includes(k) ? 'num' : null }, t(`analytics.hotspots.col.${k}`))))),
    hotBody);
  const mapEl = h('div', { id: 'an-map', class: 'an-map', 'data-testid': 'an-map' });
  const mapNote = h('p', { class: 'muted', id: 'an-map-note', 'aria-live': 'polite' });
  const errors = h('p', { class: 'error', role: 'alert', id: 'an-error' });
  const card = (id, titleKey, ...body) => h('section', { class: 'card an-card', id, 'data-testid': id, 'aria-labelledby': `${id}-h` }, h('h2', { id: `${id}-h` }, t(titleKey)), ...body);
  const page = h('div', { class: 'an-page', id: 'analytics', 'data-loaded': 'false' },
    h('h1', {}, t('analytics.heading')),
    h('div', { class: 'card an-filters', role: 'group', 'aria-label': t('analytics.filters') },
      cell('analytics.district', districtSel), cell('analytics.street', streetSel), cell('analytics.matter', matterSel),
      cell('analytics.window', daysSel), cell('analytics.groupLabel', groupSel), cell('analytics.aheadLabel', aheadSel)),
    errors,
    h('div', { class: 'grid2' },
      card('an-trend', 'analytics.trend.title', trend.element),
      card('an-forecast', 'analytics.forecast.title', forecast.element)),
    h('div', { class: 'grid2' },
      card('an-hot', 'analytics.hotspots.title', hotCaption, h('div', { class: 'eval-scroll' }, hotTable)),
      card('an-heat', 'analytics.heat.title', h('p', { class: 'muted' }, t('analytics.heat.help')), mapEl, mapNote)),
    card('an-patterns', 'analytics.pattern.title', pattern.element),
    card('an-warnings', 'analytics.alerts.title', alerts.element));
  main.append(page);

  // ---- data ----
  let city = null;
  let heatLayer = null;
  const mapP = cityMap(mapEl, { grids: false, label: 'analytics.heat.map' }).then((c) => {
    if (st.disposed) { c.map.remove(); return null; }
    city = c;
    heatLayer = L.layerGroup().addTo(c.map);
    return c;
  });
  const filterQuery = (extra = {}) => {
    const q = new URLSearchParams(extra);
    if (st.area) q.set('area', st.area);
    if (st.matter) q.set('matter', st.matter);
    return q;
  };
  function remember() {
    const q = filterQuery({ days: st.days, group: st.group, ahead: st.ahead });
    history.replaceState(null, '', `#/analytics?${q}`);
  }

  const loaders = {
    trend: () => api(`/api/v1/analytics/trend?${filterQuery({ days: st.days, group: st.group })}`).then((r) => trend.draw(r)),
    forecast: () => api(`/api/v1/analytics/forecast?${filterQuery({ days: st.ahead })}`).then((r) => forecast.draw(r)),
    hotspots: () => Promise.all([api(`/api/v1/analytics/hotspots?${filterQuery({ days: st.days, limit: '10' })}`), catalog()]).then(([r, cat]) => drawHotspots(r, cat)),
    heat: () => Promise.all([api(`/api/v1/analytics/heat?${filterQuery({ days: st.days })}`), mapP]).then(([cells]) => drawHeat(cells)),
    patterns: () => api(`/api/v1/analytics/patterns?${filterQuery({ days: st.days })}`).then((r) => pattern.draw(r)),
    alerts: () => alerts.load(),
  };

  /** Loads the named parts (all by default) for the filters in force; a newer reload supersedes this one. */
  async function reload(parts = Object.keys(loaders).filter((k) => k !== 'alerts')) {
    remember();
    const mine = ++st.seq;
    page.setAttribute('aria-busy', 'true');
    page.dataset.loaded = 'false';
    const failed = [];
    await Promise.all(parts.map((p) => loaders[p]().catch((e) => { failed.push(`${t(`analytics.part.${p}`)}: ${errorText(e)}`); })));
    if (mine !== st.seq || st.disposed) return;
    errors.textContent = failed.join(' \u00B7 ');
    page.removeAttribute('aria-busy');
    page.dataset.loaded = 'true';
  }

  function drawHotspots(r, cat) {
    const name = (code) => { const e = cat.matter(code); return e ? entryName(e) : ''; };
    hotCaption.textContent = t('analytics.hotspots.caption', { from: r.from, to: r.to, total: num(r.total) });
    hotBody.replaceChildren(...r.hotspots.map((x, i) => h('tr', { 'data-testid': 'an-hotspot', dataset: { grid: x.gridCode, matter: x.matterCode || '', count: String(x.count) } },
      h('td', { class: 'num' }, String(i + 1)),
      h('th', { scope: 'row' }, h('span', { class: 'code' }, x.gridCode), x.areas?.length ? h('div', { class: 'muted small' }, x.areas.join(' \u00B7 ')) : null),
      h('td', {}, x.matterCode ? [h('span', { class: 'code' }, x.matterCode), ' ', name(x.matterCode)] : '\u2014'),
      h('td', { class: 'num' }, num(x.count)),
      h('td', { class: 'num' }, `${num(x.share, 1)}%`))));
    if (!r.hotspots.length) hotBody.append(h('tr', {}, h('td', { colspan: 5, class: 'muted' }, t('analytics.hotspots.none'))));
  }

  function drawHeat(cells) {
    if (!city || st.disposed) return;
    heatLayer.clearLayers();
    const placed = cells.filter((c) => c.lat !== null && c.lat !== undefined && c.lon !== null && c.lon !== undefined);
    const max = Math.max(1, ...placed.map((c) => c.count));
    // Biggest first, so the small circles stay visible on top.
    for (const c of placed.sort((a, b) => b.count - a.count)) {
      const f = c.count / max;
      L.circleMarker([c.lat, c.lon], { radius: 2 + 9 * Math.sqrt(f), color: '#1f2933', weight: 0.5, fillColor: HEAT[Math.min(3, Math.floor(f * 4))], fillOpacity: 0.7 })
        .bindTooltip(() => t('analytics.heat.tooltip', { grid: c.gridCode, n: num(c.count), share: num(c.share, 1) }))
        .addTo(heatLayer);
    }
    mapEl.dataset.circles = String(placed.length);
    mapNote.textContent = t('analytics.heat.note', { n: num(placed.length), max: num(max) });
    const shape = st.area && [...city.layers.streets, ...city.layers.districts].find((a) => a.code === st.area);
    city.map.fitBounds(shape ? L.polygon(shape.rings).getBounds() : city.layers.bounds, { padding: [8, 8] });
  }

  const cleanup = () => {
    st.disposed = true;
    alerts.close(); trend.destroy(); forecast.destroy();
    city?.map.remove();
  };
  await Promise.all([reload(), alerts.load()]);
  if (!page.isConnected) { cleanup(); return undefined; }
  return cleanup;
}, { roles: ['leader', 'shiftlead', 'dispatcher', 'operator', 'admin'], title: 'analytics.title' });
