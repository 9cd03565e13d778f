// The leader's one screen: today's figures, the city map (grid choropleth, case clusters, components), the
// 30-day trend, categories, open cases by state and the most overdue cases — all aggregated by the server, updated
// live from the case feed. Built for a 1920×1080 command-centre wall, usable at 1280×800.
import { api, catalog, countdown, departments, entryName, field, h, lang, live, route, stateBadge, stateName, t } from '../core.js';
import { cityLayers, cityMap, stateColor } from '../map.js';

const OPEN = new Set(['pending_verification', 'pending_filing', 'self_handled', 'pending_dispatch', 'dispatched', 'in_progress',
  'return_requested', 'handled', 'pending_check', 'pending_close', 'suspended']);
const HEAT = ['#facc15', '#fb923c', '#ef4444', '#be123c'];
const CELLS = [0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1];
const COMPONENT_COLORS = { intact: '#94a3b8', damaged: '#f59e0b', lost: '#ef4444', abandoned: '#c084fc', removed: '#64748b', under_repair: '#38bdf8' };
const [COMPONENT_ZOOM, GRID_LINES_ZOOM, REFRESH_MS, VIEW_KEY] = [15, 14, 5000, 'cityloop.screen.clusters'];
const [INK, GRIDLINE] = ['#e6edf3', 'rgba(148,163,184,0.18)'];

const num = (n) => (n ?? 0).toLocaleString(lang() === 'en' ? 'en-GB' : 'zh-CN');
const clock = (d) => d.toLocaleTimeString(lang() === 'en' ? 'en-GB' : 'zh-CN', { hour12: false });
const majorName = (c) => (c.code.length === 2 && /^(0[1-9]|10)$/.test(c.code) ? t(`screen.major.${c.code}`) : c.name);

/** The cluster cell (degrees) for a zoom: about 64 screen pixels. */
const cellFor = (zoom) => CELLS.find((c) => c >= (360 / (256 * 2 ** zoom)) * 64) || 1;

/** Choropleth class limits from the open counts per grid: 1, then rounded quantiles. */
function breaksFor(values) {
  const v = values.filter((x) => x > 0).sort((a, b) => a - b);
  const nice = (x) => { const p = 10 ** Math.floor(Math.log10(x)); return [1, 2, 3, 5, 10].map((m) => m * p).find((m) => m >= x); };
  const out = [1];
  for (const p of [0.6, 0.85, 0.97]) {
    const b = v.length ? nice(v[Math.min(v.length - 1, Math.floor(p * v.length))]) : 0;
    out.push(Math.max(b, out[out.length - 1] + 1));
  }
  return out;
}

route('/screen', async (main, { query }) => {
  const st = {
    area: query.area || '', dash: null, gridOpen: new Map(), breaks: [1, 2, 3, 5], clusters: new Map(), cell: 0.01,
    box: null, abort: null, compAbort: null, lastFetch: 0, fetching: false, timers: [], disposed: false,
    layers: { heat: true, clusters: true, components: false }, events: [],
  };
  const [cat, deps] = [catalog(), departments().catch(() => new Map())];

  // ---- skeleton ----
  const districtSel = h('select', { id: 'screen-district', name: 'district' }, h('option', { value: '' }, t('screen.wholeCity')));
  const streetSel = h('select', { id: 'screen-street', name: 'street', disabled: true }, h('option', { value: '' }, t('screen.allStreets')));
  const liveDot = h('span', { class: 'screen-live', id: 'screen-live', 'data-state': 'connecting' }, t('screen.liveConnecting'));
  const updated = h('span', { class: 'screen-updated', id: 'screen-updated', 'aria-live': 'off' }, '');
  const kpi = (key, cls) => {
    const value = h('span', { class: 'kpi-value', id: `kpi-${key}`, 'data-testid': `kpi-${key}` }, '—');
    const sub = h('span', { class: 'kpi-sub', id: `kpi-${key}-sub` }, '');
    return { value, sub, el: h('div', { class: `kpi ${cls || ''}` }, h('span', { class: 'kpi-label' }, t(`screen.kpi.${key}`)), value, sub) };
  };
  const kpis = { reported: kpi('reported'), filed: kpi('filed'), closed: kpi('closed', 'ok'), overdue: kpi('overdue', 'bad'), open: kpi('open'), ontime: kpi('ontime', 'accent') };
  const mapEl = h('div', { id: 'screen-map', class: 'screen-map' });
  const mapNote = h('p', { class: 'screen-note', id: 'screen-map-note', role: 'status' }, '');
  const toggle = (key, id) => h('label', { class: 'screen-toggle' },
    h('input', { type: 'checkbox', id, checked: st.layers[key], onchange: (e) => { st.layers[key] = e.target.checked; applyLayerToggles(); } }),
    t(`screen.layer.${key}`));
  const statesList = h('ul', { class: 'screen-states', id: 'screen-states' });
  const eventsList = h('ol', { class: 'screen-events', id: 'screen-events' }, h('li', { class: 'muted' }, t('screen.noEvents')));
  const alarmsList = h('ul', { class: 'screen-alarms', id: 'screen-alarms', 'data-testid': 'screen-alarms' }, h('li', { class: 'muted' }, '—'));
  const floodBox = h('div', { class: 'screen-floods', id: 'screen-floods', role: 'alert' });
  const overdueBody = h('tbody', {});
  const trendCanvas = h('canvas', { id: 'screen-trend', role: 'img', 'aria-label': t('screen.trend') });
  const catCanvas = h('canvas', { id: 'screen-categories', role: 'img', 'aria-label': t('screen.categories') });
  const card = (titleKey, id, ...body) => h('section', { class: 'screen-card', id, 'aria-labelledby': `${id}-h` }, h('h2', { id: `${id}-h` }, t(titleKey)), ...body);
  const fitBtn = h('button', { type: 'button', id: 'screen-fit', onclick: () => fitArea() }, t('screen.fit'));

  const page = h('div', { class: 'screen-page', id: 'screen' },
    h('header', { class: 'screen-head' },
      h('h1', {}, t('screen.heading')),
      h('div', { class: 'screen-filters' }, field('screen.district', districtSel), field('screen.street', streetSel)),
      h('div', { class: 'screen-status' }, liveDot, updated,
        h('button', { type: 'button', id: 'screen-refresh', onclick: () => refreshAll() }, t('common.refresh')),
        h('button', { type: 'button', id: 'screen-fullscreen', onclick: () => (document.fullscreenElement ? document.exitFullscreen() : document.documentElement.requestFullscreen?.()) }, t('screen.fullscreen')))),
    h('div', { class: 'screen-kpis', id: 'screen-kpis', role: 'group', 'aria-label': t('screen.today') }, Object.values(kpis).map((k) => k.el)),
    h('div', { class: 'screen-left' },
      card('screen.states', 'screen-states-card', statesList),
      card('screen.categories', 'screen-categories-card', h('div', { class: 'chart-box' }, catCanvas)),
      card('screen.alarms', 'screen-alarms-card', floodBox, alarmsList),
      card('screen.events', 'screen-events-card', eventsList)),
    h('section', { class: 'screen-mapcard', 'aria-label': t('screen.map') },
      h('div', { class: 'screen-maptools', role: 'toolbar', 'aria-label': t('screen.layers') },
        toggle('heat', 'screen-layer-heat'), toggle('clusters', 'screen-layer-clusters'), toggle('components', 'screen-layer-components'), fitBtn, mapNote),
      mapEl),
    h('div', { class: 'screen-right' },
      card('screen.trend', 'screen-trend-card', h('div', { class: 'chart-box' }, trendCanvas)),
      card('screen.overdue', 'screen-overdue-card', h('div', { class: 'table-scroll' },
        h('table', { id: 'screen-overdue', class: 'screen-table' },
          h('thead', {}, h('tr', {}, ['number', 'matter', 'state', 'department', 'overdueBy'].map((k) => h('th', { scope: 'col' }, t(`screen.col.${k}`))))),
          overdueBody)))));
  main.append(page);

  // ---- data: dashboard, map layers and clusters in parallel ----
  const areaQ = () => (st.area ? `area=${encodeURIComponent(st.area)}` : '');
  const loadDashboard = () => api(`/api/v1/dashboard${st.area ? `?${areaQ()}` : ''}`);
  const clusterURL = (box, cell) => `/api/v1/cases/clusters?bbox=${box.join(',')}&cell=${cell}${st.area ? `&${areaQ()}` : ''}`;
  let prefetch = null;
  try {
    const v = JSON.parse(localStorage.getItem(VIEW_KEY) || 'null');
    if (v && v.area === st.area) prefetch = { ...v, reply: api(clusterURL(v.box, v.cell)).catch(() => null) };
  } catch { /* no remembered view */ }
  const dashP = loadDashboard();
  // The feed opens at once so that nothing posted while the page loads is missed; events wait until the first render.
  const queue = [];
  let ready = false;
  const safeApply = (ev) => { try { apply(ev); } catch (err) { console.error(err); } };
  const closeLive = live((ev) => (ready ? safeApply(ev) : queue.push(ev)), {
    onOpen: () => { liveDot.dataset.state = 'open'; liveDot.textContent = t('screen.liveOn'); },
  });
  const layersP = cityLayers();
  const mapP = cityMap(mapEl, { streets: false, label: 'screen.map', gridStyle: (code) => gridStyle(code) });

  let [trendChart, catChart, city, clusterGroup, compGroup] = [null, null, null, null, null];

  // ---- figures and panels ----
  function renderKpis(changed = []) {
    const d = st.dash.today;
    const set = (k, v, sub) => {
      kpis[k].value.textContent = v;
      kpis[k].sub.textContent = sub || '';
      if (changed.includes(k)) { kpis[k].el.classList.remove('flash'); void kpis[k].el.offsetWidth; kpis[k].el.classList.add('flash'); }
    };
    for (const k of ['reported', 'filed', 'closed', 'overdue', 'open']) set(k, num(d[k]));
    set('ontime', d.onTimeRate == null ? '—' : `${(d.onTimeRate * 100).toFixed(1)}%`, d.closed ? t('screen.ontimeSub', { onTime: num(d.closedOnTime), closed: num(d.closed) }) : t('screen.noneClosed'));
  }

  function renderStates() {
    const entries = [...OPEN].map((s) => [s, st.dash.states[s] || 0]);
    const max = Math.max(1, ...entries.map((e) => e[1]));
    statesList.replaceChildren(...entries.map(([s, n]) => h('li', { 'data-state': s },
      h('span', { class: 'swatch', style: { background: stateColor(s) }, 'aria-hidden': 'true' }),
      h('span', { class: 'state-name' }, stateName(s)),
      h('span', { class: 'bar', 'aria-hidden': 'true' }, h('span', { style: { width: `${(n / max) * 100}%`, background: stateColor(s) } })),
      h('span', { class: 'state-count', 'data-testid': `state-count-${s}` }, num(n)))));
  }

  const chartOptions = (extra) => ({
    animation: false, responsive: true, maintainAspectRatio: false,
    plugins: { legend: { labels: { color: INK, font: { size: 14 } } }, tooltip: { enabled: true } },
    scales: { x: { ticks: { color: INK }, grid: { color: GRIDLINE } }, y: { beginAtZero: true, ticks: { color: INK, precision: 0 }, grid: { color: GRIDLINE } } },
    ...extra,
  });

  function renderCharts() {
    const d = st.dash;
    const labels = d.trend.map((x) => x.day.slice(5));
    const totals = d.trend.reduce((a, x) => [a[0] + x.reported, a[1] + x.closed], [0, 0]);
    trendCanvas.setAttribute('aria-label', t('screen.trendSummary', { reported: num(totals[0]), closed: num(totals[1]) }));
    if (!trendChart) {
      trendChart = new Chart(trendCanvas, {
        type: 'line',
        data: { labels, datasets: [
          { label: t('screen.reported'), data: [], borderColor: '#38bdf8', backgroundColor: 'rgba(56,189,248,0.15)', fill: true, tension: 0.25, pointRadius: 2 },
          { label: t('screen.closedSeries'), data: [], borderColor: '#4ade80', backgroundColor: 'rgba(74,222,128,0.1)', fill: true, tension: 0.25, pointRadius: 2 }] },
        options: chartOptions(),
      });
    }
    trendChart.data.labels = labels;
    trendChart.data.datasets[0].data = d.trend.map((x) => x.reported);
    trendChart.data.datasets[1].data = d.trend.map((x) => x.closed);
    trendChart.update('none');
    const cats = d.categories.slice(0, 10);
    catCanvas.setAttribute('aria-label', `${t('screen.categories')}: ${cats.map((c) => `${majorName(c)} ${c.count}`).join(', ')}`);
    if (!catChart) {
      catChart = new Chart(catCanvas, {
        type: 'bar',
        data: { labels: [], datasets: [{ label: t('screen.reported30'), data: [], backgroundColor: '#38bdf8', borderRadius: 3 }] },
        options: chartOptions({ indexAxis: 'y', plugins: { legend: { display: false } } }),
      });
      Object.assign(catChart.options.scales.y.ticks, { font: { size: 13 }, autoSkip: false });
    }
    catChart.data.labels = cats.map(majorName);
    catChart.data.datasets[0].data = cats.map((c) => c.count);
    catChart.update('none');
  }

  async function renderOverdue() {
    const [c, dm] = await Promise.all([cat, deps]);
    const rows = st.dash.overdue.map((o) => {
      const dep = o.departmentID ? dm.get(o.departmentID) : null;
      const depName = dep ? (lang() === 'en' && dep.nameEn ? dep.nameEn : dep.name) : (o.departmentName || '—');
      return h('tr', { 'data-testid': 'overdue-row', 'data-id': o.id },
        h('td', {}, h('a', { href: `#/case/${encodeURIComponent(o.id)}`, 'data-testid': 'overdue-link' }, o.number)),
        h('td', {}, entryName(c.matter(o.matterCode)) || o.matterName || o.matterCode),
        h('td', { class: 'state-cell' }, stateBadge(o.state)),
        h('td', {}, depName),
        h('td', {}, countdown(o.stepDueAt)));
    });
    overdueBody.replaceChildren(...(rows.length ? rows : [h('tr', {}, h('td', { colspan: 5, class: 'muted' }, t('screen.noOverdue')))]));
  }

  const renderAll = () => { renderKpis(); renderStates(); renderCharts(); return renderOverdue(); };

  function stamp(date = new Date()) { updated.textContent = t('screen.updatedAt', { time: clock(date) }); updated.dataset.at = date.toISOString(); }

  function takeDashboard(d) {
    [st.dash, st.lastFetch] = [d, Date.now()];
    const before = st.gridOpen;
    st.gridOpen = new Map(d.grids.map((g) => [g.code, g.open]));
    if (!st.breaksArea || st.breaksArea.area !== st.area) { st.breaks = breaksFor(d.grids.map((g) => g.open)); st.breaksArea = { area: st.area }; renderLegend(); }
    if (city) {
      st.neutral = false;
      for (const code of new Set([...before.keys(), ...st.gridOpen.keys()])) if (before.get(code) !== st.gridOpen.get(code)) restyleGrid(code);
    }
  }

  // ---- map ----
  // Grid outlines only when zoomed in: at city scale 15,000 hairlines are noise and cost most of the drawing.
  const lines = () => !!city && city.map.getZoom() >= GRID_LINES_ZOOM;
  function gridStyle(code) {
    if (!st.dash) st.neutral = true;
    const stroke = lines();
    if (st.area && !code.startsWith(st.area)) return { stroke, color: '#1e293b', weight: 0.3, fill: false };
    const n = st.gridOpen.get(code) || 0;
    let cls = -1;
    st.breaks.forEach((b, i) => { if (n >= b) cls = i; });
    if (cls < 0 || !st.layers.heat) return { stroke, color: '#334155', weight: 0.5, fill: false };
    return { stroke, color: '#334155', weight: 0.5, fill: true, fillColor: HEAT[cls], fillOpacity: 0.55 };
  }
  const restyleGrid = (code) => city?.gridLayer(code)?.setStyle(gridStyle(code));

  const legend = h('div', { class: 'screen-legend', id: 'screen-legend' });
  function renderLegend() {
    const b = st.breaks;
    const label = (i) => (i === b.length - 1 ? `≥ ${b[i]}` : (b[i + 1] - 1 > b[i] ? `${b[i]}–${b[i + 1] - 1}` : `${b[i]}`));
    legend.replaceChildren(h('strong', {}, t('screen.legendTitle')),
      h('ul', {}, b.map((_, i) => h('li', {}, h('span', { class: 'swatch', style: { background: HEAT[i] } }), label(i)))),
      h('small', {}, t('screen.legendMarkers')));
  }

  function fitArea() {
    if (!city) return;
    const shape = st.area && [...city.layers.streets, ...city.layers.districts].find((a) => a.code === st.area);
    city.map.fitBounds(shape ? L.polygon(shape.rings).getBounds() : city.layers.bounds, { padding: [10, 10] });
  }

  function viewBox() {
    const b = city.map.getBounds().pad(0.1);
    const cell = cellFor(city.map.getZoom());
    const snap = (v, f) => Number((f(v / cell) * cell).toFixed(6));
    return { cell, box: [Math.max(-90, snap(b.getSouth(), Math.floor)), Math.max(-180, snap(b.getWest(), Math.floor)), Math.min(90, snap(b.getNorth(), Math.ceil)), Math.min(180, snap(b.getEast(), Math.ceil))] };
  }
  const within = (outer, inner) => outer[0] <= inner[0] && outer[1] <= inner[1] && outer[2] >= inner[2] && outer[3] >= inner[3];
  const cellKey = (lat, lon, state) => `${Math.floor(lat / st.cell)}:${Math.floor(lon / st.cell)}:${state}`;

  async function loadClusters(first = false) {
    const { box, cell } = viewBox();
    if (st.abort) st.abort.abort();
    const ctrl = new AbortController();
    st.abort = ctrl;
    let reply = null;
    if (first && prefetch && prefetch.cell === cell && within(prefetch.box, box)) { reply = await prefetch.reply; if (reply) st.box = prefetch.box; }
    if (!reply) {
      try { reply = await api(clusterURL(box, cell), { signal: ctrl.signal }); st.box = box; } catch (e) {
        if (e.name !== 'AbortError') mapNote.textContent = t('screen.clustersFailed');
        return;
      }
    }
    if (ctrl.signal.aborted || st.disposed) return;
    localStorage.setItem(VIEW_KEY, JSON.stringify({ area: st.area, box: st.box, cell }));
    [st.cell, st.clusters] = [cell, new Map()];
    for (const c of reply) st.clusters.set(cellKey(c.lat, c.lon, c.state), { ...c });
    drawClusters();
  }

  // Area grows with the count, relative to the largest cluster in view (at most ~16 px, so a 64 px cell holds its states).
  const radius = (n) => 4 + 12 * Math.sqrt(Math.min(1, n / Math.max(st.maxCount || 1, 10)));
  function clusterMarker(c) {
    const m = L.circleMarker(c.at || [c.lat, c.lon], { pane: 'screen-clusters', radius: radius(c.count), color: '#0b1622', weight: 1.5, fillColor: stateColor(c.state), fillOpacity: 0.9 });
    m.bindTooltip(() => `${stateName(c.state)} · ${num(c.count)}`);
    m.bindPopup(() => h('div', { class: 'screen-popup', 'data-testid': 'cluster-popup' },
      h('strong', {}, stateName(c.state)), h('div', {}, t('screen.clusterCount', { count: num(c.count) })),
      c.count === 1 && c.id ? h('a', { href: `#/case/${encodeURIComponent(c.id)}`, 'data-testid': 'cluster-case-link' }, c.number || t('screen.openCase'))
        : h('button', { type: 'button', class: 'link', onclick: () => city.map.setView([c.lat, c.lon], city.map.getZoom() + 2) }, t('screen.zoomIn'))));
    return (c.marker = m);
  }
  function drawClusters() {
    clusterGroup.clearLayers();
    const all = [...st.clusters.values()];
    st.maxCount = Math.max(1, ...all.map((c) => c.count));
    // The states of one cell sit around its centre instead of on top of each other.
    const cells = new Map();
    for (const c of all) { const k = cellKey(c.lat, c.lon, ''); cells.set(k, [...(cells.get(k) || []), c]); }
    for (const group of cells.values()) {
      if (group.length < 2) continue;
      const [la, lo] = [group.reduce((a, c) => a + c.lat, 0) / group.length, group.reduce((a, c) => a + c.lon, 0) / group.length];
      group.forEach((c, i) => { const a = (2 * Math.PI * i) / group.length; c.at = [la + 0.22 * st.cell * Math.sin(a), lo + 0.22 * st.cell * Math.cos(a)]; });
    }
    all.sort((a, b) => b.count - a.count).forEach((c) => clusterGroup.addLayer(clusterMarker(c)));
    mapEl.dataset.clusters = String(st.clusters.size);
  }
  function bumpCluster(lat, lon, state, delta, ev) {
    if (!OPEN.has(state) || !st.box || lat < st.box[0] || lat > st.box[2] || lon < st.box[1] || lon > st.box[3]) return;
    const key = cellKey(lat, lon, state);
    const c = st.clusters.get(key);
    if (!c) {
      if (delta > 0) { const fresh = { lat, lon, state, count: 1, id: ev.id, number: ev.number }; st.clusters.set(key, fresh); clusterGroup.addLayer(clusterMarker(fresh)); }
      return;
    }
    c.count += delta;
    if (c.count !== 1) { c.id = null; c.number = null; }
    if (c.count <= 0) { clusterGroup.removeLayer(c.marker); st.clusters.delete(key); return; }
    c.marker.setRadius(radius(c.count));
  }

  async function loadComponents() {
    compGroup.clearLayers();
    if (st.compAbort) st.compAbort.abort();
    if (!st.layers.components) { mapNote.textContent = ''; return; }
    if (city.map.getZoom() < COMPONENT_ZOOM) { mapNote.textContent = t('screen.componentsZoom', { zoom: COMPONENT_ZOOM }); return; }
    const ctrl = (st.compAbort = new AbortController());
    const b = city.map.getBounds();
    try {
      const reply = await api(`/api/v1/components?bbox=${[b.getSouth(), b.getWest(), b.getNorth(), b.getEast()].map((v) => v.toFixed(6)).join(',')}&limit=2000${st.area ? `&${areaQ()}` : ''}`, { signal: ctrl.signal });
      const list = Array.isArray(reply) ? reply : reply.items || [];
      const c = await cat;
      for (const comp of list) {
        const m = L.circleMarker([comp.point.lat, comp.point.lon], { pane: 'screen-components', radius: 4, color: '#0b1622', weight: 1, fillColor: COMPONENT_COLORS[comp.state] || '#94a3b8', fillOpacity: 0.95 });
        m.bindPopup(() => h('div', { class: 'screen-popup' }, h('strong', {}, comp.name || entryName(c.component(comp.classCode))),
          h('div', {}, comp.id), h('div', {}, entryName(c.component(comp.classCode))), h('div', {}, t(`screen.componentState.${comp.state}`))));
        compGroup.addLayer(m);
      }
      mapNote.textContent = t(list.length >= 2000 ? 'screen.componentsCapped' : 'screen.componentsShown', { count: num(list.length) });
    } catch (e) { if (e.name !== 'AbortError') mapNote.textContent = t('screen.componentsFailed'); }
  }

  function applyLayerToggles() {
    if (!city) return;
    city.restyle(gridStyle);
    legend.hidden = !st.layers.heat;
    if (st.layers.clusters) clusterGroup.addTo(city.map); else clusterGroup.remove();
    loadComponents();
  }

  function pulse(lat, lon, state) {
    if (!city || mapEl.querySelectorAll('.screen-pulse').length > 30) return;
    // An element, not HTML text: the Content-Security-Policy allows no inline style attributes.
    const dot = document.createElement('span');
    dot.style.background = stateColor(state);
    const icon = L.divIcon({ className: 'screen-pulse', html: dot, iconSize: [28, 28] });
    const m = L.marker([lat, lon], { icon, interactive: false, keyboard: false }).addTo(city.map);
    setTimeout(() => m.remove(), 3000);
  }

  // ---- device alarms: counts by type and the districts flooding, asked of the server on every alarm event ----
  let alarmsSeq = 0;
  async function loadAlarms() {
    const mine = ++alarmsSeq;
    let summary;
    try { summary = await api('/api/v1/alarms/summary'); } catch (e) { console.warn('alarm summary failed', e); return; }
    if (mine !== alarmsSeq || st.disposed) return;
    const label = (x) => (lang() === 'en' ? x.labelEn : x.labelZh);
    floodBox.replaceChildren(...summary.flooding.map((f) => h('p', { class: `screen-flood${f.severe ? ' severe' : ''}`, 'data-testid': 'screen-flood', 'data-area': f.areaCode },
      t(f.severe ? 'screen.floodSevere' : 'screen.flood', { area: f.areaName, gauges: num(f.gauges) }))));
    alarmsList.replaceChildren(...(summary.types.length ? summary.types.map((x) => h('li', { 'data-type': x.type, 'data-testid': 'screen-alarm' },
      h('span', { class: `swatch severity-${x.severity}`, 'aria-hidden': 'true' }),
      h('a', { href: '#/alarms', class: 'alarm-name' }, label(x)),
      h('span', { class: 'alarm-unacked' }, x.unacknowledged ? t('screen.alarmsUnacked', { n: num(x.unacknowledged) }) : ''),
      h('span', { class: 'alarm-count', 'data-testid': `screen-alarm-count-${x.type}` }, num(x.count)))) : [h('li', { class: 'muted' }, t('screen.noAlarms'))]));
    alarmsList.dataset.total = String(summary.types.reduce((a, x) => a + x.count, 0));
  }
  function scheduleAlarms() {
    if (st.alarmTimer) return;
    st.alarmTimer = setTimeout(() => { st.alarmTimer = null; loadAlarms(); }, 1000);
  }

  // ---- live ----
  function apply(ev) {
    if (ev.type === 'alarm' || ev.type === 'alert') { scheduleAlarms(); return; }
    if (ev.type !== 'case' || !st.dash) return;
    if (st.area && !(ev.gridCode || '').startsWith(st.area)) return;
    const [d, prev, changed] = [st.dash, ev.previousState, []];
    const [wasOpen, isOpen, today] = [!!prev && OPEN.has(prev), OPEN.has(ev.state), st.dash.trend[st.dash.trend.length - 1]];
    if (!prev) {
      d.today.reported += 1; changed.push('reported');
      if (today) today.reported += 1;
      const major = (ev.matterCode || '').slice(0, 2);
      const c = d.categories.find((x) => x.code === major);
      if (c) c.count += 1; else if (major) d.categories.push({ code: major, name: major, count: 1 });
      d.categories.sort((a, b) => b.count - a.count);
    }
    if (ev.action === 'file') { d.today.filed += 1; changed.push('filed'); }
    if (ev.state === 'closed' && prev !== 'closed') { d.today.closed += 1; changed.push('closed'); if (today) today.closed += 1; }
    if (wasOpen) d.states[prev] = Math.max(0, (d.states[prev] || 0) - 1);
    if (isOpen) d.states[ev.state] = (d.states[ev.state] || 0) + 1;
    if (wasOpen !== isOpen) {
      d.today.open += isOpen ? 1 : -1; changed.push('open');
      if (ev.gridCode) { st.gridOpen.set(ev.gridCode, Math.max(0, (st.gridOpen.get(ev.gridCode) || 0) + (isOpen ? 1 : -1))); restyleGrid(ev.gridCode); }
    }
    if (ev.lat != null && ev.lon != null) {
      if (wasOpen) bumpCluster(ev.lat, ev.lon, prev, -1, ev);
      if (isOpen) bumpCluster(ev.lat, ev.lon, ev.state, 1, ev);
      pulse(ev.lat, ev.lon, ev.state);
    }
    const row = overdueBody.querySelector(`tr[data-id="${CSS.escape(ev.id)}"]`);
    if (row && !isOpen) row.remove(); else if (row) row.querySelector('.state-cell').replaceChildren(stateBadge(ev.state));
    renderKpis(changed); renderStates();
    if (!prev || changed.includes('closed')) renderCharts();
    st.events.unshift(ev); st.events.length = Math.min(st.events.length, 8);
    eventsList.replaceChildren(...st.events.map((e) => h('li', {},
      h('time', {}, clock(new Date(e.at || Date.now()))), ' ',
      h('a', { href: `#/case/${encodeURIComponent(e.id)}` }, e.number || e.id), ' ',
      e.previousState ? [stateName(e.previousState), ' → '] : [t('screen.newCase'), ' '], stateBadge(e.state))));
    stamp();
    window.cityloopLastLive = { id: ev.id, state: ev.state, at: Date.now() };
    scheduleRefresh();
  }

  function scheduleRefresh() {
    if (st.refreshTimer) return;
    st.refreshTimer = setTimeout(async () => {
      st.refreshTimer = null;
      if (st.fetching) { scheduleRefresh(); return; }
      await refreshDashboard();
    }, Math.max(250, st.lastFetch + REFRESH_MS - Date.now()));
  }

  async function refreshDashboard() {
    st.fetching = true;
    const area = st.area;
    try {
      const d = await loadDashboard();
      if (st.disposed || area !== st.area) return; // the district changed meanwhile: its own refresh follows
      takeDashboard(d);
      await renderAll();
      stamp();
    } catch (e) { console.warn('dashboard refresh failed', e); /* the figures stay; the next event or the minute timer retries */ } finally { st.fetching = false; }
  }

  const refreshAll = async () => { await Promise.all([refreshDashboard(), loadAlarms()]); if (city) { await loadClusters(); loadComponents(); } };

  async function changeArea(code) {
    st.area = code;
    history.replaceState(null, '', `#/screen${code ? `?area=${encodeURIComponent(code)}` : ''}`);
    fitArea();
    if (city) { city.restyle(gridStyle); loadClusters(); loadComponents(); }
    page.setAttribute('aria-busy', 'true');
    await refreshDashboard();
    page.removeAttribute('aria-busy');
  }

  const cleanup = () => {
    st.disposed = true;
    closeLive(); st.timers.forEach(clearInterval); clearTimeout(st.refreshTimer); clearTimeout(st.alarmTimer);
    st.abort?.abort(); st.compAbort?.abort(); trendChart?.destroy(); catChart?.destroy(); city?.map.remove();
    delete document.body.dataset.rendered;
    delete window.cityloopScreen;
  };
  // The router only learns of the cleanup when the view returns: a page left while loading cleans up itself.
  const left = () => { if (!page.isConnected && !st.disposed) cleanup(); return st.disposed; };

  // ---- first render: the panels (dashboard) and the map (layers, then clusters) go on side by side ----
  const panels = async () => { takeDashboard(await dashP); if (!left()) await renderAll(); };
  const mapping = async () => {
    const layers = await layersP;
    if (left()) return;
    for (const dist of layers.districts) districtSel.append(h('option', { value: dist.code }, dist.name));
    const fillStreets = () => {
      const dc = districtSel.value;
      streetSel.replaceChildren(h('option', { value: '' }, t('screen.allStreets')), ...layers.streets.filter((s) => dc && (s.parentCode === dc || s.code.startsWith(dc))).map((s) => h('option', { value: s.code }, s.name)));
      streetSel.disabled = !dc;
    };
    districtSel.value = st.area.slice(0, 6);
    fillStreets();
    if (st.area.length > 6) streetSel.value = st.area;
    districtSel.addEventListener('change', () => { fillStreets(); changeArea(districtSel.value); });
    streetSel.addEventListener('change', () => changeArea(streetSel.value || districtSel.value));
    city = await mapP;
    if (left()) return;
    // Components under the clusters, pulses on top: each in its own pane (and so its own canvas).
    city.map.createPane('screen-components').style.zIndex = 410;
    city.map.createPane('screen-clusters').style.zIndex = 420;
    clusterGroup = L.layerGroup().addTo(city.map);
    compGroup = L.layerGroup().addTo(city.map);
    if (st.area) fitArea();
    const clustersP = loadClusters(true); // asked for at once; the overlays are drawn meanwhile
    for (const s of layers.streets) L.polygon(s.rings, { color: '#64748b', weight: 1, fill: false, interactive: false }).addTo(city.map);
    for (const dist of layers.districts) {
      const poly = L.polygon(dist.rings, { color: '#e2e8f0', weight: 2.5, fill: false, interactive: false }).addTo(city.map);
      L.marker(poly.getBounds().getCenter(), { icon: L.divIcon({ className: 'screen-district-label', html: '', iconSize: null }), interactive: false, keyboard: false })
        .addTo(city.map).getElement()?.append(dist.name);
    }
    city.map.options.zoomSnap = 0.1; // later fits (district, whole map) fill the wall tightly
    Object.assign(L.control({ position: 'bottomright' }), { onAdd: () => legend }).addTo(city.map);
    await clustersP;
    let moveTimer = null;
    let hadLines = lines();
    city.map.on('zoomend', () => { if (lines() !== hadLines) { hadLines = lines(); city.restyle(gridStyle); } });
    city.map.on('moveend', () => { clearTimeout(moveTimer); moveTimer = setTimeout(() => { loadClusters(); loadComponents(); }, 150); });
  };
  try {
    await Promise.all([panels(), mapping(), loadAlarms()]);
    if (left()) return undefined;
    if (st.neutral) city.restyle(gridStyle); // the grids were drawn before the dashboard came: colour them now
    stamp();
    // For end-to-end tests: the map and the clusters drawn (each with its Leaflet `marker`, e.g. to open its popup).
    window.cityloopScreen = { map: city.map, clusters: () => [...st.clusters.values()] };
    document.body.dataset.rendered = 'true';
    window.cityloopRenderedAt = performance.now();
    ready = true;
    const since = Date.parse(st.dash.generatedAt) || 0;
    queue.filter((ev) => !ev.at || Date.parse(ev.at) > since).forEach(safeApply);
  } catch (e) {
    if (left()) return undefined;
    ready = true;
    page.prepend(h('p', { class: 'error', role: 'alert', id: 'screen-error' }, e.message || String(e)));
  }
  st.timers.push(setInterval(() => { if (Date.now() - st.lastFetch > 55000) refreshAll(); }, 60000));
  return cleanup;
}, { roles: ['leader', 'admin', 'shiftlead', 'dispatcher'], title: 'screen.title' });
