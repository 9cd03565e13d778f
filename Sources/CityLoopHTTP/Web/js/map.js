// The city map every page shares: Leaflet over the city's own layers (districts, streets, unit grids) drawn as
// vectors, because no tile server is reachable; a deployment with one sets `console.tileURL`.
import { api, t } from './core.js';

let layersPromise = null;
let configPromise = null;

/** The city's base layers from `/api/v1/map/layers` (fetched once per page load). */
export function cityLayers() {
  if (!layersPromise) layersPromise = api('/api/v1/map/layers', { auth: false });
  return layersPromise;
}

/** The console configuration (`tileURL`, `tileAttribution`). */
export function consoleConfig() {
  if (!configPromise) configPromise = api('/api/v1/console/config', { auth: false });
  return configPromise;
}

/**
 * Draws the city into `element` and answers `{map, grids, gridLayer(code), fit()}`. Options: `grids` (draw the unit
 * grids, default true), `streets` (default true), `gridStyle(code)` (a Leaflet path style per grid, for
 * choropleths), `label` (the map's accessible name, a translation key).
 */
export async function cityMap(element, { grids = true, streets = true, gridStyle = null, label = 'map.label' } = {}) {
  const [layers, config] = await Promise.all([cityLayers(), consoleConfig()]);
  element.classList.add('city-map');
  element.setAttribute('role', 'region');
  element.setAttribute('aria-label', t(label));
  const map = L.map(element, { preferCanvas: true, zoomSnap: 0.5, keyboard: true, attributionControl: !!config.tileURL });
  // Leaflet needs a view before any path is added.
  map.fitBounds(layers.bounds);
  // Leaflet 1.6 ends a zoom animation on a timer that map.remove() does not cancel: leaving a page mid-zoom threw.
  map.on('unload', () => { map._animatingZoom = false; });
  if (config.tileURL) L.tileLayer(config.tileURL, { attribution: config.tileAttribution || '' }).addTo(map);
  const renderer = L.canvas({ padding: 0.3 });
  const gridLayers = new Map();
  if (grids) {
    const group = L.layerGroup();
    for (const g of layers.grids) {
      const style = gridStyle ? gridStyle(g.code) : { color: '#9aa5b1', weight: 0.4, fill: false };
      // `parts` only for grids of several parts or with holes: Leaflet draws the nested arrays as a multipolygon.
      const poly = L.polygon(g.parts || g.ring, { renderer, interactive: false, ...style });
      gridLayers.set(g.code, poly);
      group.addLayer(poly);
    }
    group.addTo(map);
  }
  if (streets) {
    for (const s of layers.streets) L.polygon(s.rings, { renderer, color: '#52606d', weight: 1, fill: false, interactive: false }).addTo(map);
  }
  for (const d of layers.districts) {
    L.polygon(d.rings, { renderer, color: '#1f2933', weight: 2.5, fill: false, interactive: false }).addTo(map);
  }
  const fit = () => map.fitBounds(layers.bounds);
  fit();
  return {
    map,
    layers,
    gridLayer: (code) => gridLayers.get(code),
    /** Restyles every grid (for choropleths that change live). */
    restyle(styleFor) { for (const [code, poly] of gridLayers) poly.setStyle(styleFor(code)); },
    fit,
  };
}

/**
 * Measures `map` again once the page is laid out (a form's pane may be sized after the map first measured it): at the
 * next animation frame, without panning, so a point being clicked stays under the pointer; not when the map's element
 * has left the page meanwhile (its form was closed).
 */
export async function remeasure(map) {
  await new Promise((resolve) => { requestAnimationFrame(() => resolve()); });
  if (map.getContainer().isConnected) map.invalidateSize({ pan: false });
}

/** A marker at a point; `onMove(latlng)` makes it draggable. */
export function pin(map, latlng, { onMove, title } = {}) {
  const marker = L.marker(latlng, { draggable: !!onMove, title: title || t('map.pin'), keyboard: true, autoPan: true });
  if (onMove) marker.on('dragend', () => onMove(marker.getLatLng()));
  return marker.addTo(map);
}

/** The colour for a case state on maps and charts. */
export function stateColor(state) {
  return {
    pending_verification: '#9f580a', pending_filing: '#b44d12', self_handled: '#6b7280', pending_dispatch: '#c81e1e',
    dispatched: '#1c64f2', in_progress: '#1a56db', return_requested: '#9b1c1c', handled: '#057a55',
    pending_check: '#0e9f6e', pending_close: '#046c4e', suspended: '#6b7280', closed: '#31c48d',
  }[state] || '#4b5563';
}
