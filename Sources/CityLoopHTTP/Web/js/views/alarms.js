// Device alarms: the list of alarms up (or all), each with its device, when it rose, how often and how high,
// its case; operators, shift leads, dispatchers and administrators acknowledge and clear them. New alarms arrive
// over the live feed and are announced with a toast. And a device's page: what it is, when it last reported, its
// alarms up and a chart of each numeric measurement over the last 24 hours or 7 days.
import { api, busy, errorText, fmtTime, h, lang, live, route, session, t, toast } from '../core.js';
import { cityMap } from '../map.js';

const HANDLERS = ['operator', 'shiftlead', 'dispatcher', 'admin'];
const READERS = ['operator', 'shiftlead', 'dispatcher', 'leader', 'admin'];
// The same colours as the legend's swatches in staff.css.
const COLORS = { alarm: '#c81e1e', minor: '#f59e0b', offline: '#6b7280', ok: '#0e9f6e' };

/** Alarm types' and measurements' labels in the current language, from the device profiles (the server's rules). */
async function labels() {
  const profiles = await api('/api/v1/device-profiles');
  const zh = lang() === 'zh';
  const types = new Map([['offline', t('alarms.offline')]]);
  const measurements = new Map();
  for (const p of profiles) {
    for (const r of p.rules) types.set(r.type, zh ? r.labelZh : r.labelEn);
    for (const m of p.measurements) measurements.set(`${p.id}.${m.name}`, { label: zh ? m.labelZh : m.labelEn, unit: m.kind.number?.unit });
  }
  return { types, measurements, profiles };
}

route('/alarms', async (main, { query }) => {
  const canHandle = HANDLERS.includes(session.user.role);
  const all = query.all === '1';
  const { types } = await labels();
  const list = h('ol', { class: 'alarm-list', id: 'alarm-list', 'data-testid': 'alarm-list' });
  const empty = h('p', { class: 'muted', id: 'alarms-empty', hidden: true }, t('alarms.none'));
  const error = h('p', { class: 'error', role: 'alert' });
  const announce = h('p', { class: 'intake-sr', 'aria-live': 'assertive', id: 'alarms-announce' });

  function row(a) {
    const buttons = [];
    if (canHandle && a.active && !a.acknowledgedAt) {
      buttons.push(h('button', { type: 'button', 'data-testid': 'alarm-ack', onclick: (e) => busy(e.currentTarget, () => mark(a, 'acknowledge')) }, t('alarms.acknowledge')));
    }
    if (canHandle && a.active) {
      buttons.push(h('button', { type: 'button', 'data-testid': 'alarm-clear', onclick: (e) => busy(e.currentTarget, () => mark(a, 'clear')) }, t('alarms.clear')));
    }
    const figures = [a.lastValue !== undefined && a.lastValue !== null ? t('alarms.value', { value: a.lastValue, peak: a.peak ?? a.lastValue }) : null,
      a.state ? t('alarms.state', { state: a.state }) : null, t('alarms.count', { n: a.count })].filter(Boolean).join(' · ');
    return h('li', { class: `alarm severity-${a.severity}`, 'data-testid': 'alarm', dataset: { id: a.id, type: a.type, active: String(a.active), acked: a.acknowledgedAt ? '1' : '' } },
      h('div', { class: 'alarm-head' },
        h('span', { class: `badge alarm-severity severity-${a.severity}` }, t(`alarms.severity.${a.severity}`)),
        h('strong', { 'data-testid': 'alarm-type' }, types.get(a.type) || a.type),
        h('a', { href: `#/device/${encodeURIComponent(a.deviceID)}`, 'data-testid': 'alarm-device' }, a.deviceID),
        a.acknowledgedAt ? h('span', { class: 'badge', 'data-testid': 'alarm-acked' }, t('alarms.acknowledged')) : null,
        a.active ? null : h('span', { class: 'badge muted' }, t('alarms.cleared'))),
      h('p', { class: 'muted small' }, t('alarms.raised', { at: fmtTime(a.raisedAt) }), ' · ', figures),
      a.caseID ? h('p', {}, t('alarms.case'), ' ', h('a', { href: `#/case/${encodeURIComponent(a.caseID)}`, 'data-testid': 'alarm-case' }, t('alarms.openCase'))) : null,
      buttons.length ? h('div', { class: 'actions' }, ...buttons) : null);
  }

  async function mark(a, what) {
    await api(`/api/v1/alarms/${encodeURIComponent(a.id)}/${what}`, { method: 'POST' });
    toast(t(what === 'clear' ? 'alarms.clearedToast' : 'alarms.acknowledgedToast', { device: a.deviceID }), 'ok');
    await load();
  }

  // Loads overlap (a live event, a click); only the latest one started may paint, or a slow older answer would
  // put back what the operator just changed.
  let loads = 0;
  async function load() {
    const mine = ++loads;
    try {
      // The most the API gives (a city's offline devices must not push a lifted cover off the list).
      const alarms = await api(`/api/v1/alarms?limit=1000${all ? '' : '&active=true'}`);
      if (mine !== loads) return;
      error.textContent = '';
      list.replaceChildren(...alarms.map(row));
      empty.hidden = alarms.length > 0;
      list.dataset.count = String(alarms.length);
    } catch (e) { if (mine === loads) error.textContent = errorText(e); }
  }

  // The device layer: every device in the colour of its state (an alarm up by severity, offline, or well).
  const mapBox = h('div', { id: 'device-map', class: 'device-map', 'data-testid': 'device-map' });
  const legend = h('p', { class: 'muted small' }, ...['alarm', 'minor', 'offline', 'ok'].map((k) =>
    h('span', { class: 'legend-item' }, h('span', { class: `legend-swatch swatch-${k}` }), ' ', t(`alarms.legend.${k}`), ' ')));
  main.append(
    h('h1', {}, t('alarms.title')), mapBox, legend,
    h('p', {}, h('a', { href: all ? '#/alarms' : '#/alarms?all=1', 'data-testid': 'alarms-toggle' }, t(all ? 'alarms.showActive' : 'alarms.showAll'))),
    error, announce, empty, list);
  const city = await cityMap(mapBox, { grids: false, label: 'alarms.mapLabel' });
  const devices = await api('/api/v1/devices?limit=5000');
  const markers = new Map(devices.map((d) => [d.id, L.circleMarker([d.point.lat, d.point.lon], { radius: 4, weight: 1, color: '#1f2933', fillOpacity: 0.9 })
    .bindTooltip(d.id).on('click', () => { location.hash = `#/device/${encodeURIComponent(d.id)}`; }).addTo(city.map)]));
  mapBox.dataset.devices = String(markers.size);
  let paints = 0;
  async function paint() {
    const mine = ++paints;
    const up = await api('/api/v1/alarms?active=true&limit=1000');
    if (mine !== paints) return;
    const worst = new Map();
    for (const a of up) {
      const kind = a.type === 'offline' ? 'offline' : ['critical', 'major'].includes(a.severity) ? 'alarm' : 'minor';
      const rank = { alarm: 3, minor: 2, offline: 1 }[kind];
      if ((worst.get(a.deviceID)?.rank || 0) < rank) worst.set(a.deviceID, { kind, rank });
    }
    for (const [id, m] of markers) {
      const kind = worst.get(id)?.kind || 'ok';
      m.setStyle({ fillColor: COLORS[kind] });
      // Alarms stand out above the many well devices.
      m.setRadius(kind === 'ok' ? 4 : 7);
      if (kind !== 'ok') m.bringToFront();
    }
    mapBox.dataset.alarmed = String([...worst.values()].filter((w) => w.kind === 'alarm').length);
  }
  await Promise.all([load(), paint()]);
  let timer = null;
  const stop = live((ev) => {
    if (ev.type !== 'alarm') return;
    if (ev.action === 'raised') {
      const text = t('alarms.arrived', { type: types.get(ev.matterCode) || ev.matterCode, device: '' });
      announce.textContent = text;
      if (ev.number === 'critical' || ev.number === 'major') toast(text, 'error');
    }
    clearTimeout(timer);
    timer = setTimeout(() => { load(); paint(); }, 300);
  });
  return () => { stop(); clearTimeout(timer); city.map.remove(); };
}, { roles: READERS, title: 'alarms.title' });

route('/device/:id', async (main, { params }) => {
  const { types, measurements, profiles } = await labels();
  const detail = await api(`/api/v1/devices/${encodeURIComponent(params.id)}`);
  const d = detail.device;
  let days = 1;
  const charts = h('div', { class: 'device-charts', 'data-testid': 'device-charts' });
  const chartObjects = [];

  async function drawCharts() {
    chartObjects.splice(0).forEach((c) => c.destroy());
    charts.replaceChildren();
    const to = new Date();
    const from = new Date(to.getTime() - days * 86400000);
    const numeric = [...measurements.entries()].filter(([k, m]) => k.startsWith(`${d.profileID}.`) && m.unit);
    for (const [key, m] of numeric) {
      const name = key.slice(d.profileID.length + 1);
      const buckets = await api(`/api/v1/devices/${encodeURIComponent(d.id)}/readings?measurement=${encodeURIComponent(name)}&from=${from.toISOString()}&to=${to.toISOString()}&bucket=${days === 1 ? 600 : 3600}`);
      const canvas = h('canvas', { 'aria-label': m.label });
      charts.append(h('figure', { class: 'device-chart', 'data-testid': 'device-chart', dataset: { measurement: name, points: String(buckets.length) } },
        h('figcaption', {}, `${m.label} (${m.unit})`), canvas));
      if (window.Chart) {
        chartObjects.push(new window.Chart(canvas, {
          type: 'line',
          data: {
            labels: buckets.map((b) => fmtTime(b.start)),
            datasets: [{ label: t('device.mean'), data: buckets.map((b) => b.mean), borderColor: '#2563eb', pointRadius: buckets.length < 30 ? 3 : 0 },
              { label: t('device.max'), data: buckets.map((b) => b.max), borderColor: '#dc2626', pointRadius: buckets.length < 30 ? 3 : 0, borderDash: [4, 4] }],
          },
          options: { animation: false, responsive: true, plugins: { legend: { position: 'bottom' } } },
        }));
      }
    }
  }

  const range = h('div', { class: 'actions', role: 'group' },
    h('button', { type: 'button', 'data-testid': 'device-24h', onclick: () => { days = 1; drawCharts(); } }, t('device.last24h')),
    h('button', { type: 'button', 'data-testid': 'device-7d', onclick: () => { days = 7; drawCharts(); } }, t('device.last7d')));
  main.append(
    h('h1', { 'data-testid': 'device-title' }, t('device.title', { id: d.id })),
    h('dl', { class: 'device-facts' },
      h('dt', {}, t('device.profile')), h('dd', { 'data-testid': 'device-profile', dataset: { profile: d.profileID } },
        (() => { const p = profiles.find((x) => x.id === d.profileID); return p ? (lang() === 'zh' ? p.nameZh : p.nameEn) : d.profileID; })()),
      h('dt', {}, t('device.grid')), h('dd', {}, d.gridCode || ''),
      h('dt', {}, t('device.component')), h('dd', {}, d.componentID || '—'),
      h('dt', {}, t('device.lastSeen')), h('dd', { 'data-testid': 'device-last-seen' }, detail.lastSeen ? fmtTime(detail.lastSeen) : t('device.never'))),
    h('h2', {}, t('device.alarmsUp')),
    detail.activeAlarms.length
      ? h('ul', { 'data-testid': 'device-alarms' }, ...detail.activeAlarms.map((a) => h('li', { dataset: { type: a.type } },
        h('span', { class: `badge severity-${a.severity}` }, t(`alarms.severity.${a.severity}`)), ' ', types.get(a.type) || a.type,
        a.caseID ? [' · ', h('a', { href: `#/case/${encodeURIComponent(a.caseID)}` }, t('alarms.openCase'))] : null)))
      : h('p', { class: 'muted', 'data-testid': 'device-no-alarms' }, t('device.noAlarms')),
    h('h2', {}, t('device.readings')), range, charts);
  await drawCharts();
  return () => chartObjects.forEach((c) => c.destroy());
}, { roles: READERS, title: 'device.page' });
