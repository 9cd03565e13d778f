// One vehicle: what it is, where it was last, its transport permits, its track between two times drawn on the map
// with a marker that replays it, its loaded trips of the last 7 days with the weighbridge tickets matched to them, its
// tickets of the last 30 days with what the city made of each, and its events (entered or left a site, off route,
// speeding, dumping suspected…), over the sites the rules judge it by.
import { api, errorText, fmtTime, h, isAdmin, route, t, userText } from '../core.js';
import { cityMap } from '../map.js';
import { LOAD_COLORS, READERS, drawSites, findingBadge, fleetLegend, loadBadge, tonnes } from './fleet.js';

const pad = (n) => String(n).padStart(2, '0');
/** A date as the value of an `<input type=datetime-local>` (local time, to the minute). */
function localValue(d) {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

route('/vehicle/:id', async (main, { params }) => {
  const id = params.id;
  const [detail, sites, events, trips, tickets] = await Promise.all([
    api(`/api/v1/vehicles/${encodeURIComponent(id)}`), api('/api/v1/vehicle-sites'),
    api(`/api/v1/vehicle-events?vehicle=${encodeURIComponent(id)}&limit=200`),
    api(`/api/v1/vehicles/${encodeURIComponent(id)}/trips`),
    api(`/api/v1/weighbridge-tickets?vehicle=${encodeURIComponent(id)}&limit=200`)]);
  const v = detail.vehicle;
  // The registered driver assigned now (a name when the registry has none).
  const driver = v.driverID ? await api(`/api/v1/drivers/${encodeURIComponent(v.driverID)}`).then((r) => r.driver).catch(() => null) : null;
  const last = detail.lastPosition;
  const siteNames = new Map(sites.map((s) => [s.id, s.name]));
  // Administrators go from what the page shows to its form.
  const admin = isAdmin();
  const editLink = (href, key, testid) => (admin ? [' ', h('a', { class: 'small', href, 'data-testid': testid }, t(key))] : null);
  const siteName = (sid) => {
    if (!sid) return '—';
    const name = userText(siteNames.get(sid) || sid);
    return admin ? h('a', { href: `#/admin/sites?id=${encodeURIComponent(sid)}`, title: t('fleetadmin.editSite') }, name) : name;
  };

  // ---- facts ----
  const fact = (key, ...value) => [h('dt', {}, t(key)), h('dd', {}, ...value)];
  const facts = h('dl', { class: 'facts' },
    fact('vehicle.id', userText(v.id)),
    fact('vehicle.kind', t(`fleet.kind.${v.kind}`)),
    v.terminalPhone ? fact('vehicle.terminal', userText(v.terminalPhone)) : null,
    driver ? fact('vehicle.driver', h('span', { 'data-testid': 'vehicle-driver' }, userText(driver.name),
      driver.licenceNumber ? h('span', { class: 'muted' }, ' · ', t('vehicle.licence', { n: driver.licenceNumber })) : null,
      driver.phone ? h('span', { class: 'muted' }, ' · ', userText(driver.phone)) : null,
      editLink(`#/admin/drivers?id=${encodeURIComponent(driver.id)}`, 'fleetadmin.editDriver', 'vehicle-driver-edit')))
      : v.driver ? fact('vehicle.driver', userText(v.driver)) : null,
    v.capacityTonnes ? fact('vehicle.capacity', t('vehicle.capacityValue', { t: v.capacityTonnes })) : null,
    fact('vehicle.loadSensor', t(v.hasLoadSensor ? 'vehicle.yes' : 'vehicle.no')),
    fact('vehicle.lastPosition', h('span', { 'data-testid': 'vehicle-last' }, last
      ? [t('vehicle.lastPositionValue', { time: fmtTime(last.time), speed: Math.round(last.speedKmh) }), ' ', loadBadge(last.load)]
      : t('vehicle.never'))));
  const permits = detail.permits.length
    ? h('ul', { class: 'plain', 'data-testid': 'vehicle-permits' }, detail.permits.map((p) => h('li', {},
      t('vehicle.permit', { id: p.id, from: siteNames.get(p.originSiteID) || p.originSiteID, to: siteNames.get(p.destinationSiteID) || p.destinationSiteID,
        validFrom: fmtTime(p.validFrom), validTo: fmtTime(p.validTo) }),
      editLink(`#/admin/permits?id=${encodeURIComponent(p.id)}`, 'fleetadmin.editPermit', 'vehicle-permit-edit'))))
    : h('p', { class: 'muted' }, t('vehicle.noPermits'));

  // ---- track ----
  const now = new Date();
  const to = new Date(Math.ceil(now.getTime() / 60000) * 60000 + 60000);
  const fromInput = h('input', { type: 'datetime-local', id: 'vehicle-from', 'data-testid': 'vehicle-from', value: localValue(new Date(to.getTime() - 86400000)) });
  const toInput = h('input', { type: 'datetime-local', id: 'vehicle-to', 'data-testid': 'vehicle-to', value: localValue(to) });
  const playButton = h('button', { type: 'button', 'data-testid': 'vehicle-play', disabled: true }, t('vehicle.play'));
  const trackStatus = h('p', { class: 'muted small', role: 'status', 'data-testid': 'vehicle-track-status' });
  const trackError = h('p', { class: 'error', role: 'alert' });
  const mapBox = h('div', { id: 'vehicle-map', class: 'fleet-map vehicle-map', 'data-testid': 'vehicle-map' });
  const trackForm = h('form', {
    class: 'fleet-track-form', 'data-testid': 'vehicle-track-form',
    onsubmit: (e) => { e.preventDefault(); loadTrack(); },
  }, h('div', { class: 'field' }, h('label', { for: fromInput.id }, t('vehicle.from')), fromInput),
  h('div', { class: 'field' }, h('label', { for: toInput.id }, t('vehicle.to')), toInput),
  h('button', { type: 'submit', class: 'primary', 'data-testid': 'vehicle-show' }, t('vehicle.show')), playButton);

  // ---- events ----
  const eventRows = events.map(({ event: e, seq }) => h('tr', { 'data-testid': 'vehicle-event', dataset: { kind: e.kind, seq: String(seq) } },
    h('td', {}, fmtTime(e.time)),
    h('td', { 'data-testid': 'vehicle-event-kind' }, t(`vehicle.event.${e.kind}`)),
    h('td', {}, siteName(e.siteID)),
    h('td', {}, e.measured !== undefined && e.limit !== undefined ? t('vehicle.measured', { measured: e.measured, limit: e.limit }) : '',
      e.point ? [' ', h('button', { type: 'button', class: 'link', onclick: () => showPoint(e.point) }, t('vehicle.showOnMap'))] : null)));
  const eventTable = events.length
    ? h('div', { class: 'table-wrap' }, h('table', { 'data-testid': 'vehicle-events' },
      h('thead', {}, h('tr', {}, ['time', 'kind', 'site', 'detail'].map((k) => h('th', { scope: 'col' }, t(`vehicle.col.${k}`))))), h('tbody', {}, eventRows)))
    : h('p', { class: 'muted', 'data-testid': 'vehicle-no-events' }, t('vehicle.noEvents'));

  // ---- trips (the API answers them oldest first; shown newest first like the tickets and events) ----
  function whereUnloaded(tr, underway) {
    if (tr.dumpingSuspected) return h('span', { class: 'badge trip-dumping', 'data-testid': 'vehicle-trip-dumping' }, t('vehicle.event.dumpingSuspected'));
    // A trip whose change to empty came after a silent spell: where it unloaded is unknown, and not held against it.
    if (!tr.disposalSiteID && !underway && tr.unloadSeen === false) return h('span', { class: 'muted' }, t('vehicle.trip.unloadUnseen'));
    return siteName(tr.disposalSiteID);
  }
  const tripRow = ({ trip: tr, underway, tickets: matched, netKg }) => h('tr', {
    'data-testid': 'vehicle-trip', dataset: { started: tr.startedAt, underway: String(underway), dumping: String(tr.dumpingSuspected) },
  },
    h('td', {}, fmtTime(tr.startedAt)),
    h('td', {}, underway ? h('span', { class: 'badge trip-underway', 'data-testid': 'vehicle-trip-underway' }, t('vehicle.trip.underway')) : fmtTime(tr.endedAt)),
    h('td', {}, siteName(tr.originSiteID)),
    h('td', {}, whereUnloaded(tr, underway)),
    h('td', {}, userText(tr.permitID) || '—'),
    h('td', { class: 'num' }, matched.length ? tonnes(netKg) : '—'),
    h('td', { 'data-testid': 'vehicle-trip-tickets' }, matched.length
      ? matched.map((s, i) => [i ? ', ' : null, userText(s.ticket.number, { dataset: { finding: s.finding || '' } })])
      : '—'));
  const tripTable = trips.length
    ? h('div', { class: 'table-wrap' }, h('table', { 'data-testid': 'vehicle-trips' },
      h('thead', {}, h('tr', {}, ['start', 'end', 'origin', 'disposal', 'permit', 'net', 'tickets']
        .map((k) => h('th', { scope: 'col', class: k === 'net' ? 'num' : null }, t(`vehicle.trip.col.${k}`))))),
      h('tbody', {}, [...trips].reverse().map(tripRow))))
    : h('p', { class: 'muted', 'data-testid': 'vehicle-no-trips' }, t('vehicle.noTrips'));

  // ---- weighbridge tickets ----
  const ticketRows = tickets.map((s) => h('tr', {
    'data-testid': 'vehicle-ticket', dataset: { number: s.ticket.number, site: s.ticket.siteID, finding: s.finding || '' },
  },
    h('td', {}, fmtTime(s.ticket.weighedAt)),
    h('td', { 'data-testid': 'vehicle-ticket-number' }, userText(s.ticket.number)),
    h('td', {}, siteName(s.ticket.siteID)),
    h('td', { class: 'num' }, tonnes(s.ticket.grossKg - s.ticket.tareKg)),
    h('td', {}, userText(s.ticket.material) || '—'),
    h('td', {}, findingBadge(s.finding))));
  const ticketTable = tickets.length
    ? h('div', { class: 'table-wrap' }, h('table', { 'data-testid': 'vehicle-tickets' },
      h('thead', {}, h('tr', {}, ['time', 'number', 'site', 'net', 'material', 'finding']
        .map((k) => h('th', { scope: 'col', class: k === 'net' ? 'num' : null }, t(`weighbridge.col.${k}`))))),
      h('tbody', {}, ticketRows)))
    : h('p', { class: 'muted', 'data-testid': 'vehicle-no-tickets' }, t('vehicle.noTickets'));

  main.append(h('div', { class: 'staff-page vehicle-page' },
    h('p', {}, h('a', { href: '#/fleet' }, t('vehicle.back'))),
    h('h1', { 'data-testid': 'vehicle-title' }, t('vehicle.page'), ' ', userText(v.plate)),
    admin ? h('p', {}, h('a', { href: `#/admin/vehicles?id=${encodeURIComponent(v.id)}`, 'data-testid': 'vehicle-edit' }, t('fleetadmin.editVehicle')), ' \u00b7 ',
      h('a', { href: `#/admin/permits?vehicle=${encodeURIComponent(v.id)}`, 'data-testid': 'vehicle-permits-manage' }, t('fleetadmin.managePermits'))) : null,
    h('div', { class: 'fleet-layout' },
      h('section', { class: 'card', 'aria-label': t('vehicle.track') }, h('h2', {}, t('vehicle.track')), trackForm, trackStatus, trackError, mapBox, fleetLegend()),
      h('div', {},
        h('section', { class: 'card' }, facts),
        h('section', { class: 'card' }, h('h2', {}, t('vehicle.permits')), permits))),
    h('section', { class: 'card', 'data-testid': 'vehicle-trips-section' },
      h('h2', {}, t('vehicle.trips')), h('p', { class: 'muted small' }, t('vehicle.tripsPeriod')), tripTable),
    h('section', { class: 'card', 'data-testid': 'vehicle-tickets-section' },
      h('h2', {}, t('vehicle.tickets')), h('p', { class: 'muted small' }, t('vehicle.ticketsPeriod')), ticketTable),
    h('section', { class: 'card' }, h('h2', {}, t('vehicle.events')), eventTable)));

  const city = await cityMap(mapBox, { grids: false, label: 'vehicle.mapLabel' });
  drawSites(city.map, sites);
  for (const p of detail.permits) {
    if (p.corridor?.length > 1) L.polyline(p.corridor.map((q) => [q.lat, q.lon]), { color: '#1c64f2', weight: 2, dashArray: '6 6', interactive: false }).addTo(city.map);
  }
  const trackLayer = L.layerGroup().addTo(city.map);
  let cursor = null;
  let points = [];
  let playing = null;
  let index = 0;

  function showPoint(p) { city.map.setView([p.lat, p.lon], Math.max(city.map.getZoom(), 16)); }

  function moveTo(i) {
    index = i;
    const p = points[i];
    cursor.setLatLng([p.point.lat, p.point.lon]).setStyle({ fillColor: LOAD_COLORS[p.load] || LOAD_COLORS.unknown });
    mapBox.dataset.index = String(i);
    trackStatus.textContent = `${t('vehicle.points', { n: points.length })} · ${t('vehicle.playAt', { time: fmtTime(p.time), speed: Math.round(p.speedKmh) })}`;
  }

  function stop() {
    clearInterval(playing);
    playing = null;
    playButton.textContent = t('vehicle.play');
    playButton.setAttribute('aria-pressed', 'false');
  }

  playButton.addEventListener('click', () => {
    if (playing) { stop(); return; }
    if (index >= points.length - 1) moveTo(0);
    // About 20 seconds for the whole track, whatever its length.
    const step = Math.max(1, Math.ceil(points.length / 200));
    playButton.textContent = t('vehicle.pause');
    playButton.setAttribute('aria-pressed', 'true');
    playing = setInterval(() => {
      if (index >= points.length - 1) { stop(); return; }
      moveTo(Math.min(points.length - 1, index + step));
    }, 100);
  });

  async function loadTrack() {
    stop();
    trackError.textContent = '';
    const from = new Date(fromInput.value), until = new Date(toInput.value);
    if (!(from < until)) { trackError.textContent = t('vehicle.badRange'); return; }
    try {
      points = await api(`/api/v1/vehicles/${encodeURIComponent(id)}/track?from=${from.toISOString()}&to=${until.toISOString()}`);
    } catch (e) { trackError.textContent = errorText(e); return; }
    trackLayer.clearLayers();
    mapBox.dataset.points = String(points.length);
    playButton.disabled = points.length < 2;
    if (!points.length) { trackStatus.textContent = t('vehicle.noTrack'); cursor = null; return; }
    const line = L.polyline(points.map((p) => [p.point.lat, p.point.lon]), { color: '#1a56db', weight: 3 }).addTo(trackLayer);
    cursor = L.circleMarker([points[0].point.lat, points[0].point.lon], { radius: 8, weight: 2, color: '#1f2933', fillOpacity: 1 })
      .bindTooltip(h('span', {}, userText(v.plate))).addTo(trackLayer);
    moveTo(0);
    city.map.fitBounds(line.getBounds(), { maxZoom: 16, padding: [20, 20] });
  }

  await loadTrack();
  return () => { stop(); city.map.remove(); };
}, { roles: READERS, title: 'vehicle.page' });
