// Pieces the fleet administration pages (sites, permits, vehicles, drivers) share: the registry read a page at a
// time, the contractor companies, the rules' settings (the city's UTC offset and default corridor width), days of
// the city as the API's instants, daily time windows, and the sites drawn faintly for context on a form's map.
import { api, departments, h, lang, t, userText } from '../core.js';
import { departmentLabel } from './admin-common.js';
import { SITE_COLORS, siteRings } from './fleet.js';

/** The vehicle kinds and site kinds the API knows, in the order the forms offer them. */
export const VEHICLE_KINDS = ['muckTruck', 'sweeper', 'washer', 'garbageTruck', 'other'];
export const SITE_KINDS = ['constructionSite', 'disposalSite', 'forbiddenZone', 'weighbridge', 'depot'];

/** Every vehicle of the registry, in ID order (read 5,000 at a time). */
export async function allVehicles() {
  const out = [];
  let after = null;
  for (;;) {
    const page = await api(`/api/v1/vehicles?limit=5000${after ? `&after=${encodeURIComponent(after)}` : ''}`);
    out.push(...page);
    if (page.length < 5000) return out;
    after = page[page.length - 1].id;
  }
}

let rulesPromise = null;
/** The vehicle rules' settings in force (`utcOffsetSeconds`, `deviationMetres`, …), read once per page load. */
export function vehicleRules() {
  if (!rulesPromise) rulesPromise = api('/api/v1/vehicle-rules').catch(() => ({ utcOffsetSeconds: 8 * 3600, deviationMetres: 200 }));
  return rulesPromise;
}

/**
 * The refusal of a new record's ID when a record has it already, as a list for `showErrors` (empty when it is free):
 * saving replaces the record with the same ID. `inUse(id)` answers, or resolves to, whether one has it.
 */
export async function takenID(isNew, id, inUse) {
  return isNew && id && (await inUse(id)) ? [{ field: 'id', message: t('fleetadmin.idTaken', { id }) }] : [];
}

/** The contractor companies by name, plus `keep` (a company already chosen that is not one of them). */
export async function companies(keep) {
  const all = await departments();
  const list = [...all.values()].filter((d) => d.contractor || d.id === keep);
  list.sort((a, b) => departmentLabel(a, lang()).localeCompare(departmentLabel(b, lang())));
  if (keep && !all.has(keep)) list.push({ id: keep, name: keep, nameEn: keep });
  return list;
}

/** A `<select>` of companies with a "none" choice first. */
export function companySelect(attrs, list, value) {
  return h('select', attrs,
    h('option', { value: '' }, t('fleetadmin.noCompany')),
    list.map((d) => h('option', { value: d.id, selected: d.id === value }, `${departmentLabel(d, lang())} (${d.id})`)));
}

// ---- dates: the API's instants, read and written as days of the city (its UTC offset, not the browser's) ----
const DAY = 86400000;
/** An instant as `YYYY-MM-DD` of the city `offset` seconds ahead of UTC. */
export function cityDate(iso, offset) {
  return new Date(Date.parse(iso) + offset * 1000).toISOString().slice(0, 10);
}
/** The first second of a city day (`YYYY-MM-DD`) as an ISO instant in whole seconds; null for no date. */
export function dayStart(ymd, offset) {
  const ms = Date.parse(`${ymd}T00:00:00Z`);
  return Number.isFinite(ms) ? new Date(ms - offset * 1000).toISOString().replace('.000Z', 'Z') : null;
}
/** The last second of a city day (a permit valid through 31 May ends 31 May 23:59:59 local). */
export function dayEnd(ymd, offset) {
  const ms = Date.parse(`${ymd}T00:00:00Z`);
  return Number.isFinite(ms) ? new Date(ms + DAY - 1000 - offset * 1000).toISOString().replace('.000Z', 'Z') : null;
}

// ---- daily windows, `HH:MM-HH:MM` as the API stores them ----
const minuteOf = (hhmm) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
/** Whether any of `windows` holds at `date` in the city; no windows means all day (as `DailyWindow.covers`). */
export function windowsCover(windows, date, offset) {
  if (!windows || !windows.length) return true;
  const s = Math.floor(((date.getTime() / 1000 + offset) % 86400 + 86400) % 86400);
  return windows.some((w) => {
    const [a, b] = w.split('-').map((x) => minuteOf(x) * 60);
    return a < b ? s >= a && s < b : s >= a || s < b;
  });
}

/** `7:00`, `0700` or `07:00` as `07:00`; the text as typed when it is none of them (the server names it then). */
function clock(text) {
  const m = text.trim().match(/^(\d{1,2})[:\uFF1A]?(\d{2})$/);
  return m ? `${m[1].padStart(2, '0')}:${m[2]}` : text.trim();
}

/**
 * The daily windows of a form: rows of a start and an end time, added and removed with buttons. `name` is the API
 * field (`openingHours`), `windows` its value. Answers `{element, read()}`; `read()` gives the windows as the API takes
 * them (an end of 00:00 is midnight at the day's end) and names each row after its place in that list, so that a
 * refused window's error shows on its row.
 */
export function windowsEditor({ id, name, windows, legend, hint }) {
  const list = h('ol', { class: 'windows', 'data-testid': `${id}-list` });
  const error = h('small', { class: 'field-error', id: `${id}-error`, 'aria-live': 'polite' });
  const add = h('button', { type: 'button', 'data-testid': `${id}-add`, onclick: () => { row('', ''); list.lastChild.querySelector('input').focus(); } },
    t('fleetadmin.hours.add'));
  const box = h('fieldset', { class: 'windows-box', id, tabindex: '-1', 'aria-describedby': error.id, 'data-testid': id },
    h('legend', {}, legend), h('small', { class: 'muted' }, hint), list, add, error);
  box.dataset.fields = name;

  function row(start, end) {
    const n = list.children.length + 1;
    const key = `${id}-${Math.random().toString(36).slice(2, 7)}`;
    const from = h('input', { id: `${key}-from`, value: start, size: 5, autocomplete: 'off', placeholder: '07:00', 'data-testid': `${id}-from` });
    const to = h('input', { id: `${key}-to`, value: end, size: 5, autocomplete: 'off', placeholder: '22:00', 'data-testid': `${id}-to` });
    const err = h('small', { class: 'field-error', id: `${key}-from-error`, 'aria-live': 'polite' });
    from.setAttribute('aria-describedby', err.id);
    to.setAttribute('aria-describedby', err.id);
    const li = h('li', { class: 'window', 'data-testid': `${id}-row` },
      h('label', { for: from.id }, t('fleetadmin.hours.from', { n })), from,
      h('label', { for: to.id }, t('fleetadmin.hours.to')), to,
      h('button', {
        type: 'button', class: 'danger-outline', 'data-testid': `${id}-remove`, 'aria-label': t('fleetadmin.hours.removeLabel', { n }),
        onclick: () => { li.remove(); renumber(); add.focus(); },
      }, t('fleetadmin.hours.remove')),
      err);
    list.append(li);
  }
  function renumber() {
    [...list.children].forEach((li, i) => { li.querySelector('label').textContent = t('fleetadmin.hours.from', { n: i + 1 }); });
  }
  for (const w of windows || []) {
    const [a, b] = w.split('-');
    row(a, b === '24:00' ? '00:00' : b);
  }

  return {
    element: box,
    read() {
      const out = [];
      for (const li of list.children) {
        const [from, to] = li.querySelectorAll('input');
        delete from.dataset.fields;
        if (!from.value.trim() && !to.value.trim()) continue;
        from.dataset.fields = `${name}[${out.length}]`;
        const end = clock(to.value);
        out.push(`${clock(from.value)}-${end === '00:00' ? '24:00' : end}`);
      }
      return out;
    },
  };
}

/** The middle of a site (the mean of its outer ring's corners, which the API answers open): where a corridor starts or ends. */
export function siteCentre(site) {
  const ring = site.boundary.outer;
  const lat = ring.reduce((s, p) => s + p.lat, 0) / ring.length;
  const lon = ring.reduce((s, p) => s + p.lon, 0) / ring.length;
  return { lat: +lat.toFixed(7), lon: +lon.toFixed(7) };
}

/** Draws `sites` faintly (the context of a form's map), each named in a tooltip; answers the layer group. */
export function faintSites(map, sites) {
  const group = L.layerGroup();
  for (const s of sites) {
    L.polygon(siteRings(s), { color: SITE_COLORS[s.kind] || '#6b7280', weight: 1, opacity: 0.45, fillOpacity: 0.06 })
      .bindTooltip(h('span', {}, userText(s.name), ` · ${t(`fleet.site.${s.kind}`)}`)).addTo(group);
  }
  return group.addTo(map);
}
