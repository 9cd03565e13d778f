// The fleet map: every vehicle where it last reported, coloured by its load (loaded, half, empty,
// unknown), over the sites (disposal sites green, construction sites orange, forbidden zones red); beside it the list
// of vehicles with their plate, kind, load, speed and time. Vehicles that move arrive on the live feed (its `vehicles`
// events, every 2 s) and move their marker and update their row where it stands; all positions are read again every
// minute and shortly after the feed (re)connects, for what the feed missed. Below, the weighbridge of the last 30
// days: the net weight, tickets and empty arrivals by haulage company, and the latest tickets with what the city made
// of each.
import { api, departments, errorText, fmtTime, h, isAdmin, lang, live, route, t, userText } from '../core.js';
import { cityMap } from '../map.js';
import { driversPanel } from './fleet-drivers.js';

/** Who supervises the fleet (the API lets every staff role read it). */
export const READERS = ['dispatcher', 'leader', 'admin', 'shiftlead'];
/** Marker colours by load (the legend draws the same). */
export const LOAD_COLORS = { full: '#c81e1e', half: '#f59e0b', empty: '#0e9f6e', unknown: '#6b7280' };
/** Site outlines by kind. */
export const SITE_COLORS = { disposalSite: '#057a55', constructionSite: '#d97706', forbiddenZone: '#c81e1e', weighbridge: '#1c64f2', depot: '#6b7280' };
/** The fallback read of all positions, for what the live feed missed while it was down. */
const POLL_MS = 60000;
/** How long after the feed (re)connects the positions are read once more: past the feed's first tick (every 2 s). */
const CATCH_UP_MS = 5000;

/** A load's badge. */
export function loadBadge(load) {
  return h('span', { class: `badge load-${load}`, 'data-testid': 'load', dataset: { load } }, t(`fleet.load.${load}`));
}

/** A weight in kg as tonnes (two decimals, as weighbridges print them). */
export function tonnes(kg) {
  return t('weighbridge.tonnes', { t: (kg / 1000).toFixed(2) });
}

/** A weighbridge ticket's finding (unknownVehicle, arrivedEmpty, noTrip, otherSite) as a coloured label; none for a ticket in order. */
export function findingBadge(finding) {
  return h('span', { class: `badge finding-${finding || 'none'}`, 'data-testid': 'ticket-finding', dataset: { finding: finding || '' } },
    t(`weighbridge.finding.${finding || 'none'}`));
}

/** A site's outline as Leaflet rings: a list for each part, its outer ring then its holes. */
export function siteRings(site) {
  return [site.boundary, ...(site.boundary.otherParts || [])].map((part) => [part.outer, ...(part.holes || [])].map((r) => r.map((p) => [p.lat, p.lon])));
}

/**
 * Draws the sites as polygons (outer ring, holes and further parts) with their name; for an administrator a click
 * opens a popup linking to the site's form. Answers the layer group.
 */
export function drawSites(map, sites) {
  const group = L.layerGroup();
  const admin = isAdmin();
  for (const s of sites) {
    const color = SITE_COLORS[s.kind] || '#6b7280';
    for (const rings of siteRings(s)) {
      const poly = L.polygon(rings, { color, weight: 2, fillOpacity: s.kind === 'forbiddenZone' ? 0.15 : 0.25 })
        .bindTooltip(h('span', {}, userText(s.name), ` · ${t(`fleet.site.${s.kind}`)}`));
      if (admin) {
        poly.bindPopup(() => h('div', {}, h('strong', {}, userText(s.name)), h('br'),
          h('a', { href: `#/admin/sites?id=${encodeURIComponent(s.id)}`, 'data-testid': 'site-edit-link' }, t('fleetadmin.editSite'))));
      }
      poly.addTo(group);
    }
  }
  return group.addTo(map);
}

/** The legend of loads and site kinds. */
export function fleetLegend() {
  const item = (cls, color, label) => h('span', { class: 'legend-item' }, h('span', { class: cls, style: { background: color } }), ' ', label, ' ');
  return h('p', { class: 'muted small fleet-legend' },
    Object.entries(LOAD_COLORS).map(([k, c]) => item('legend-swatch', c, t(`fleet.load.${k}`))),
    ['disposalSite', 'constructionSite', 'forbiddenZone'].map((k) => item('legend-square', SITE_COLORS[k], t(`fleet.site.${k}`))));
}

/** The weighbridge panel: totals of the last 30 days by company, and the latest 50 tickets; filled once it has them. */
function weighbridgePanel(byID, sites) {
  const siteNames = new Map(sites.map((s) => [s.id, s.name]));
  const totals = h('div', { class: 'table-wrap' });
  const latest = h('div', { class: 'table-wrap' });
  const note = h('p', { class: 'muted', 'data-testid': 'fleet-wb-note' }, t('common.loading'));
  const error = h('p', { class: 'error', role: 'alert' });
  const layout = h('div', { class: 'wb-layout', hidden: true },
    h('div', {}, h('h3', {}, t('fleet.weighbridge.byCompany')), totals),
    h('div', {}, h('h3', {}, t('fleet.weighbridge.latest')), h('p', { class: 'muted small' }, t('fleet.weighbridge.latestNote')), latest));
  const panel = h('section', { class: 'card fleet-weighbridge', 'data-testid': 'fleet-weighbridge', 'aria-label': t('fleet.weighbridge') },
    h('h2', {}, t('fleet.weighbridge')), h('p', { class: 'muted small' }, t('fleet.weighbridge.period')), note, error, layout);
  const head = (...labels) => h('thead', {}, h('tr', {}, labels.map(([label, num]) => h('th', { scope: 'col', class: num ? 'num' : null }, label))));

  async function load() {
    const [byCompany, tickets, depts] = await Promise.all([
      api('/api/v1/weighbridge-totals?by=company'), api('/api/v1/weighbridge-tickets?limit=50'), departments().catch(() => new Map())]);
    // Tickets of vehicles without a company, or not in the registry, sum under no company.
    const company = (cid) => {
      if (!cid) return t('fleet.weighbridge.noCompany');
      const d = depts.get(cid);
      return userText(d ? (lang() === 'en' && d.nameEn ? d.nameEn : d.name) : cid);
    };
    // Both cover the same 30 days: no totals, no tickets.
    if (!byCompany.length && !tickets.length) { note.textContent = t('fleet.weighbridge.none'); return; }
    note.hidden = true;
    layout.hidden = false;
    totals.replaceChildren(h('table', { 'data-testid': 'fleet-wb-totals' },
      head([t('fleet.weighbridge.col.company')], [t('fleet.weighbridge.col.net'), true], [t('fleet.weighbridge.col.tickets'), true],
        [t('fleet.weighbridge.col.empty'), true]),
      h('tbody', {}, byCompany.map((r) => h('tr', { 'data-testid': 'fleet-wb-total', dataset: { company: r.companyID || '' } },
        h('td', { 'data-testid': 'fleet-wb-company' }, company(r.companyID)),
        h('td', { class: 'num', 'data-testid': 'fleet-wb-net' }, tonnes(r.netKg)),
        h('td', { class: 'num', 'data-testid': 'fleet-wb-count' }, String(r.tickets)),
        h('td', { class: 'num', 'data-testid': 'fleet-wb-empty' },
          r.emptyTickets ? h('span', { class: 'badge finding-arrivedEmpty' }, String(r.emptyTickets)) : '0'))))));
    latest.replaceChildren(h('table', { 'data-testid': 'fleet-wb-tickets' },
      head([t('weighbridge.col.plate')], [t('weighbridge.col.number')], [t('weighbridge.col.site')], [t('weighbridge.col.time')],
        [t('weighbridge.col.net'), true], [t('weighbridge.col.finding')]),
      h('tbody', {}, tickets.map((s) => {
        // The registry's plate when the ticket matched a vehicle, else the plate as the weighbridge read it.
        const plate = userText(byID.get(s.vehicleID)?.plate || s.ticket.plate || s.vehicleID);
        return h('tr', {
          'data-testid': 'fleet-wb-ticket', dataset: { number: s.ticket.number, site: s.ticket.siteID, vehicle: s.vehicleID || '', finding: s.finding || '' },
        },
          h('td', { 'data-testid': 'fleet-wb-plate' }, s.vehicleID ? h('a', { href: `#/vehicle/${encodeURIComponent(s.vehicleID)}` }, plate) : plate),
          h('td', {}, userText(s.ticket.number)),
          h('td', {}, userText(siteNames.get(s.ticket.siteID) || s.ticket.siteID)),
          h('td', {}, fmtTime(s.ticket.weighedAt)),
          h('td', { class: 'num' }, tonnes(s.ticket.grossKg - s.ticket.tareKg)),
          h('td', {}, findingBadge(s.finding)));
      }))));
  }
  const loaded = load().catch((e) => { note.hidden = true; error.textContent = errorText(e); });
  return { panel, loaded };
}

route('/fleet', async (main) => {
  const [vehicles, sites] = await Promise.all([api('/api/v1/vehicles?limit=5000'), api('/api/v1/vehicle-sites')]);
  const byID = new Map(vehicles.map((v) => [v.id, v]));
  const weighbridge = weighbridgePanel(byID, sites);
  const drivers = driversPanel(vehicles);
  const mapBox = h('div', { id: 'fleet-map', class: 'fleet-map', 'data-testid': 'fleet-map' });
  const search = h('input', { type: 'search', id: 'fleet-search', 'data-testid': 'fleet-search', autocomplete: 'off' });
  const list = h('ul', { class: 'fleet-list', id: 'fleet-list', 'data-testid': 'fleet-list' });
  const status = h('p', { class: 'muted small', 'data-testid': 'fleet-status', role: 'status' });
  const error = h('p', { class: 'error', role: 'alert' });
  main.append(h('div', { class: 'staff-page fleet-page' },
    h('h1', {}, t('fleet.title')),
    h('div', { class: 'fleet-layout' },
      h('div', {}, mapBox, fleetLegend()),
      h('section', { class: 'card fleet-side', 'aria-label': t('fleet.list') },
        h('h2', {}, t('fleet.list')), h('div', { class: 'field' }, h('label', { for: search.id }, t('fleet.search')), search),
        status, error, vehicles.length ? list : h('p', { class: 'muted' }, t('fleet.none')))),
    weighbridge.panel, drivers.panel));

  const city = await cityMap(mapBox, { grids: false, label: 'fleet.mapLabel' });
  drawSites(city.map, sites);
  const markers = new Map();
  // The newest position of each vehicle, and whether it came from the live feed or a read of all of them.
  const latest = new Map();
  const via = new Map();
  let feed = 'connecting';
  let updatedAt = null;
  let stopped = false;
  let catchUp = null;

  function popup(v, p) {
    return h('div', { class: 'fleet-popup', 'data-testid': 'fleet-popup' },
      h('strong', {}, userText(v?.plate || p.vehicleID)), h('br'),
      t('fleet.speed', { speed: Math.round(p.speedKmh) }), ' · ', loadBadge(p.load), h('br'),
      fmtTime(p.time), h('br'),
      h('a', { href: `#/vehicle/${encodeURIComponent(p.vehicleID)}` }, t('fleet.openVehicle')));
  }

  function paintMarker(id, p) {
    const v = byID.get(id);
    const style = { radius: 7, weight: 1.5, color: '#1f2933', fillColor: LOAD_COLORS[p.load] || LOAD_COLORS.unknown, fillOpacity: 0.95 };
    const m = markers.get(id);
    if (!m) {
      markers.set(id, L.circleMarker([p.point.lat, p.point.lon], style).bindTooltip(h('span', {}, userText(v?.plate || id)))
        .bindPopup(popup(v, p)).addTo(city.map));
    } else {
      // An open popup shows the new position too.
      m.setLatLng([p.point.lat, p.point.lon]).setStyle(style).setPopupContent(popup(v, p));
    }
  }

  function entry(v) {
    const p = latest.get(v.id);
    return h('li', { class: 'fleet-item', 'data-testid': 'fleet-vehicle', dataset: { id: v.id, load: p?.load || '', via: via.get(v.id) || '' } },
      h('div', { class: 'fleet-item-head' },
        h('a', { href: `#/vehicle/${encodeURIComponent(v.id)}`, 'data-testid': 'fleet-plate' }, userText(v.plate)),
        h('span', { class: 'muted small' }, t(`fleet.kind.${v.kind}`)),
        isAdmin() ? h('a', { class: 'small', href: `#/admin/vehicles?id=${encodeURIComponent(v.id)}`, 'data-testid': 'fleet-vehicle-edit' }, t('fleetadmin.editVehicle')) : null,
        p ? loadBadge(p.load) : h('span', { class: 'badge' }, t('fleet.noPosition'))),
      p ? h('div', { class: 'muted small', 'data-testid': 'fleet-last' }, t('fleet.speed', { speed: Math.round(p.speedKmh) }), ' · ', fmtTime(p.time), ' ',
        h('button', {
          type: 'button', class: 'link', 'data-testid': 'fleet-locate',
          onclick: () => { city.map.setView([p.point.lat, p.point.lon], Math.max(city.map.getZoom(), 15)); markers.get(v.id)?.openPopup(); },
        }, t('vehicle.showOnMap'))) : null);
  }

  function paintList() {
    const needle = search.value.trim().toLowerCase();
    // Vehicles with a position first, the latest report first; then the others by ID.
    const shown = vehicles.filter((v) => !needle || v.plate.toLowerCase().includes(needle) || v.id.toLowerCase().includes(needle))
      .sort((a, b) => {
        const pa = latest.get(a.id), pb = latest.get(b.id);
        if (pa && pb) return Date.parse(pb.time) - Date.parse(pa.time);
        if (pa || pb) return pa ? -1 : 1;
        return a.id.localeCompare(b.id);
      });
    list.replaceChildren(...shown.slice(0, 300).map(entry));
    list.dataset.count = String(shown.length);
  }
  search.addEventListener('input', paintList);

  /** Redraws the rows of these vehicles where they stand: a live update does not reorder the list under the pointer. */
  function paintRows(ids) {
    for (const id of ids) {
      const v = byID.get(id);
      const row = list.querySelector(`[data-testid=fleet-vehicle][data-id="${CSS.escape(id)}"]`);
      if (v && row) row.replaceWith(entry(v));
    }
  }

  function paintStatus() {
    const parts = [t('fleet.count', { n: vehicles.length, m: latest.size })];
    if (updatedAt) parts.push(t('fleet.updated', { time: fmtTime(updatedAt) }));
    parts.push(t(`fleet.live.${feed}`));
    status.textContent = parts.join(' · ');
    status.dataset.live = feed;
  }

  /** Keeps the positions newer than those held (the feed and the reads may arrive in any order); answers the vehicles moved. */
  function merge(positions, source) {
    const moved = [];
    for (const p of positions) {
      const held = latest.get(p.vehicleID);
      if (held && Date.parse(held.time) >= Date.parse(p.time)) continue;
      latest.set(p.vehicleID, p);
      via.set(p.vehicleID, source);
      moved.push(p.vehicleID);
    }
    return moved;
  }

  async function refresh() {
    try {
      const positions = await api('/api/v1/vehicles/positions/latest');
      if (stopped) return;
      for (const id of merge(positions, 'poll')) paintMarker(id, latest.get(id));
      mapBox.dataset.markers = String(markers.size);
      error.textContent = '';
      updatedAt = new Date().toISOString();
      paintList();
      paintStatus();
    } catch (e) { if (!stopped) error.textContent = errorText(e); }
  }

  // Subscribed before the first read, so that no move falls between the two.
  const stopLive = live((ev) => {
    if (stopped || ev.type !== 'vehicles' || !Array.isArray(ev.positions)) return;
    const moved = merge(ev.positions, 'live');
    if (!moved.length) return;
    for (const id of moved) paintMarker(id, latest.get(id));
    mapBox.dataset.markers = String(markers.size);
    paintRows(moved);
    updatedAt = ev.at;
    paintStatus();
  }, {
    types: ['vehicles'],
    onOpen: () => {
      feed = 'on';
      paintStatus();
      // The feed's first tick after a console connects (or reconnects) only notes where every vehicle is: what moved
      // just before it, or while the feed was down, comes with one more read once that tick is past.
      clearTimeout(catchUp);
      catchUp = setTimeout(() => refresh().then(() => { if (!stopped) status.dataset.caughtUp = 'true'; }), CATCH_UP_MS);
    },
    onError: () => { feed = 'off'; delete status.dataset.caughtUp; paintStatus(); },
  });
  const timer = setInterval(refresh, POLL_MS);
  await Promise.all([refresh(), weighbridge.loaded]);
  return () => { stopped = true; stopLive(); clearInterval(timer); clearTimeout(catchUp); city.map.remove(); };
}, { roles: READERS, title: 'fleet.title' });
