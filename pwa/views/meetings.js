// meetings.js: the meeting finder (#/meetings): near me (location only on a tap) or near a
// typed place, or online; filters folded into one line; nearest or next first; the list;
// favourites. Last results and favourites offline.

import { html, useEffect, useId, useRef, useState } from './html.js';
import { t } from '../i18n.js';
import { getClinicLink, nearbyMeetings, onlineMeetings } from '../api.js';
import { ErrorMessage, Title, errorText } from './parts.js';
import { PlacePicker, findPlaces, loadPlaces } from './place-search.js';
import {
  lastResults, loadFavourites, saveFilters, saveLastResults, savedFilters,
} from '../meetings.js';
import {
  FAMILY_GROUPS, FELLOWSHIPS, LANGUAGE_TYPES, MeetingItem, isOpen, weekdayName,
} from './meeting-parts.js';
import { addDays, dateIn, weekdayOf } from '../dates.js';

const RADII = [2, 5, 10, 25, 50, 100];
const DEFAULT_FILTERS = {
  mode: 'nearby', radius: 25, day: '', timeOfDay: '', fellowship: '', openness: '', language: '',
  order: 'distance',
};
const ORDERS = ['distance', 'next'];

// How many filters are on: the folded filters say so ("Filters · 2"). The distance counts once
// it is not the usual one; the order is no filter (it is shown beside the list).
export function filtersOn(filters) {
  const chosen = [filters.day, filters.timeOfDay, filters.fellowship, filters.openness, filters.language];
  const radius = filters.mode === 'nearby' && filters.radius !== DEFAULT_FILTERS.radius;
  return chosen.filter(Boolean).length + (radius ? 1 : 0);
}

function timeOfDay(meeting) {
  const hour = Number(meeting.time.slice(0, 2));
  if (hour < 12) return 'morning';
  if (hour < 17) return 'afternoon';
  return 'evening';
}

// Filters the server does not know, applied to its answer on the device.
function keep(meeting, filters) {
  if (filters.timeOfDay && timeOfDay(meeting) !== filters.timeOfDay) return false;
  if (filters.openness && isOpen(meeting) !== (filters.openness === 'open')) return false;
  if (filters.language && filters.mode === 'nearby'
      && !meeting.types.includes(LANGUAGE_TYPES[filters.language])) return false;
  return true;
}

// The API's weekday (0 = Sunday) for the day filter: '', 'today', 'tomorrow' or '0'…'6'.
function dayParam(day, timeZone) {
  if (day === '') return undefined;
  const today = dateIn(timeZone);
  if (day === 'today') return weekdayOf(today);
  if (day === 'tomorrow') return weekdayOf(addDays(today, 1));
  return Number(day);
}

async function search(filters, origin, timeZone) {
  if (filters.fellowship === 'family') {
    // The API filters by one fellowship: ask for each family group and merge, nearest (or
    // soonest) first, as one answer would be.
    const answers = await Promise.all(
      FAMILY_GROUPS.map((fellowship) => searchOne({ ...filters, fellowship }, origin, timeZone)),
    );
    // As the server orders one answer: next_start carries each meeting's own UTC offset, so
    // instants are compared, not strings; remaining ties by id.
    const soonest = (a, b) => Date.parse(a.next_start) - Date.parse(b.next_start);
    const nearest = (a, b) => a.distance_km - b.distance_km;
    const [first, second] = filters.mode === 'online' || filters.order === 'next'
      ? [soonest, nearest] : [nearest, soonest];
    const byId = (a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    return answers.flat()
      .sort((a, b) => first(a, b) || (filters.mode === 'online' ? 0 : second(a, b)) || byId(a, b))
      .slice(0, searchLimit(filters));
  }
  return searchOne(filters, origin, timeZone);
}

// Filters applied on the device need more to choose from.
function searchLimit(filters) {
  return filters.timeOfDay || filters.openness || filters.language ? 200 : 50;
}

async function searchOne(filters, origin, timeZone) {
  const day = dayParam(filters.day, timeZone);
  const fellowship = filters.fellowship || undefined;
  const limit = searchLimit(filters);
  if (filters.mode === 'online') {
    const language = filters.language || undefined;
    return (await onlineMeetings({ day, fellowship, language, limit })).meetings;
  }
  const { lat, lon } = origin;
  const order = filters.order === 'next' ? 'next' : undefined;
  return (await nearbyMeetings({ lat, lon, radius_km: filters.radius, day, fellowship, limit, order }))
    .meetings;
}

function Select({ id, label, value, onChange, children }) {
  return html`
    <div class="field field--inline">
      <label for=${id}>${label}</label>
      <select id=${id} value=${value} onChange=${(e) => onChange(e.currentTarget.value)}>
        ${children}
      </select>
    </div>`;
}

// Folded into one line that says how many are on; a tap opens them (a native disclosure, so
// keyboards and screen readers know it and whether it is open).
function Filters({ id, filters, change }) {
  const count = filtersOn(filters);
  return html`
    <details class="meeting-fold filters-fold" data-testid="filters">
      <summary class="meeting-fold__summary">
        ${count > 0 ? html`
          <span class="meeting-fold__title" aria-hidden="true">${t('meetings.filters_count', { count })}</span>
          <span class="visually-hidden">${t('meetings.filters_count_spoken', { count })}</span>`
        : html`<span class="meeting-fold__title">${t('meetings.filters_toggle')}</span>`}
      </summary>
    <fieldset class="filters meeting-fold__body">
      <legend class="visually-hidden">${t('meetings.filters')}</legend>
      ${filters.mode === 'nearby' && html`
        <${Select} id=${`${id}-radius`} label=${t('meetings.radius')} value=${String(filters.radius)}
          onChange=${(v) => change({ radius: Number(v) })}>
          ${RADII.map((km) => html`<option key=${km} value=${String(km)}>${t('meetings.km', { distance: km })}</option>`)}
        <//>`}
      <${Select} id=${`${id}-day`} label=${t('meetings.day')} value=${filters.day}
        onChange=${(v) => change({ day: v })}>
        <option value="">${t('meetings.any_day')}</option>
        <option value="today">${t('meetings.today')}</option>
        <option value="tomorrow">${t('meetings.tomorrow')}</option>
        ${[1, 2, 3, 4, 5, 6, 0].map((d) => html`<option key=${d} value=${String(d)}>${weekdayName(d)}</option>`)}
      <//>
      <${Select} id=${`${id}-tod`} label=${t('meetings.time_of_day')} value=${filters.timeOfDay}
        onChange=${(v) => change({ timeOfDay: v })}>
        <option value="">${t('meetings.any_time')}</option>
        ${['morning', 'afternoon', 'evening'].map((p) => html`<option key=${p} value=${p}>${t(`meetings.${p}`)}</option>`)}
      <//>
      <${Select} id=${`${id}-fellowship`} label=${t('meetings.fellowship')} value=${filters.fellowship}
        onChange=${(v) => change({ fellowship: v })}>
        <option value="">${t('meetings.any_fellowship')}</option>
        <option value="family">${t('meetings.family_groups')}</option>
        ${FELLOWSHIPS.map((f) => html`<option key=${f} value=${f}>${f}</option>`)}
      <//>
      <${Select} id=${`${id}-open`} label=${t('meetings.openness')} value=${filters.openness}
        onChange=${(v) => change({ openness: v })}>
        <option value="">${t('meetings.any_openness')}</option>
        <option value="open">${t('meetings.open_meetings')}</option>
        <option value="closed">${t('meetings.closed_meetings')}</option>
      <//>
      <p class="hint">${t('meetings.openness_hint')}</p>
      <${Select} id=${`${id}-language`} label=${t('meetings.language')} value=${filters.language}
        onChange=${(v) => change({ language: v })}>
        <option value="">${t('meetings.any_language')}</option>
        ${Object.keys(LANGUAGE_TYPES).map((code) => html`
          <option key=${code} value=${code} lang=${code}>${t(`common.language_names.${code}`)}</option>`)}
      <//>
    </fieldset>
    </details>`;
}

// Nearest or next first, beside the list it orders (online meetings are always soonest first).
function OrderSwitch({ id, order, change }) {
  return html`
    <div class="order-switch" role="group" aria-labelledby=${`${id}-order`}>
      <span class="order-switch__label" id=${`${id}-order`}>${t('meetings.order_label')}</span>
      ${ORDERS.map((choice) => html`
        <button key=${choice} type="button" aria-pressed=${order === choice ? 'true' : 'false'}
          class=${`button ${order === choice ? '' : 'button--secondary'}`}
          data-testid=${`order-${choice}`} onClick=${() => change({ order: choice })}>
          ${t(`meetings.order_${choice}`)}</button>`)}
    </div>`;
}

// A linked clinic's home area is where the finder starts, until the person picks a place.
async function clinicHomeArea() {
  try {
    const link = await getClinicLink();
    const area = link.linked ? link.home_area : null;
    if (!area?.name) return null;
    if (area.lat != null && area.lon != null) return { label: area.name, lat: area.lat, lon: area.lon };
    const [match] = findPlaces(await loadPlaces(), area.name);
    return match ? { label: match.name, lat: match.lat, lon: match.lon } : null;
  } catch {
    return null; // offline or no link: the finder simply starts empty
  }
}

export function Meetings({ state, actions }) {
  const id = useId();
  const timeZone = state.me?.timezone;
  const [filters, setFilters] = useState(DEFAULT_FILTERS);
  const [origin, setOrigin] = useState(null);
  const [results, setResults] = useState(null); // {meetings, label, saved_at, offline}
  const [favourites, setFavourites] = useState([]);
  const [busy, setBusy] = useState(false);
  const [locating, setLocating] = useState(false);
  const [error, setError] = useState('');
  const resultsHeading = useRef(null);
  // Set when a new place is picked: the results heading takes focus once the folded layout is
  // drawn, so the browser has no reason to scroll (the list starts on the first screen).
  const [focusResults, setFocusResults] = useState(0);

  useEffect(() => {
    if (focusResults) resultsHeading.current?.focus();
  }, [focusResults]);

  useEffect(() => {
    (async () => {
      const [saved, last] = await Promise.all([savedFilters(), lastResults()]);
      // #/meetings/family (the relatives' link) opens on the family groups.
      const preset = state.param === 'family' ? { fellowship: 'family' } : null;
      const initial = { ...DEFAULT_FILTERS, ...saved?.filters, ...preset };
      setFilters(initial);
      if (last && !preset) setResults({ ...last, offline: false, restored: true });
      if (saved?.origin) {
        setOrigin(saved.origin);
        if (preset) run(initial, saved.origin);
      } else {
        const home = await clinicHomeArea();
        if (home) {
          setOrigin(home);
          if (!last || preset) run(initial, home);
        }
      }
      try {
        setFavourites((await loadFavourites()).meetings);
      } catch {
        // Favourites are a convenience here; the list works without them.
      }
    })();
  }, []);

  async function run(nextFilters, nextOrigin) {
    if (nextFilters.mode === 'nearby' && !nextOrigin) return;
    setBusy(true);
    setError('');
    const label = nextFilters.mode === 'online' ? t('meetings.online_heading') : nextOrigin.label;
    try {
      const meetings = (await search(nextFilters, nextOrigin, timeZone)).filter((m) => keep(m, nextFilters));
      const found = { meetings, label, saved_at: new Date().toISOString() };
      setResults({ ...found, offline: false });
      await saveLastResults(found);
      actions.announce(t('meetings.found', { count: meetings.length }));
    } catch (failure) {
      if (failure.offline) {
        const last = await lastResults();
        if (last) setResults({ ...last, offline: true });
      }
      setError(errorText(failure));
    } finally {
      setBusy(false);
    }
  }

  function change(changes) {
    const next = { ...filters, ...changes };
    setFilters(next);
    saveFilters({ filters: next, origin });
    run(next, origin);
  }

  function pickOrigin(place) {
    setOrigin(place);
    saveFilters({ filters, origin: place });
    run(filters, place);
    setFocusResults((n) => n + 1);
  }

  function locate() {
    if (!('geolocation' in navigator)) {
      setError(t('meetings.location_unavailable'));
      return;
    }
    setLocating(true);
    setError('');
    navigator.geolocation.getCurrentPosition(
      (position) => {
        setLocating(false);
        // Kept to about 100 m: enough to find meetings, and what is stored says little more.
        const round = (x) => Math.round(x * 1000) / 1000;
        pickOrigin({
          label: t('meetings.your_location'),
          lat: round(position.coords.latitude),
          lon: round(position.coords.longitude),
        });
      },
      (failure) => {
        setLocating(false);
        setError(t(failure.code === 1 ? 'meetings.location_denied' : 'meetings.location_unavailable'));
      },
      { enableHighAccuracy: false, timeout: 15_000, maximumAge: 300_000 },
    );
  }

  const favouriteIds = new Set(favourites.map((m) => m.id));
  return html`
    <div class="screen screen--meetings">
      <${Title}>${t('meetings.title')}<//>
      ${!results && !origin && html`<p class="lead">${t('meetings.lead')}</p>`}

      <div class="mode-switch" role="group" aria-label=${t('meetings.mode_label')}>
        ${['nearby', 'online'].map((mode) => html`
          <button key=${mode} type="button" aria-pressed=${filters.mode === mode ? 'true' : 'false'}
            class=${`button ${filters.mode === mode ? '' : 'button--secondary'}`}
            onClick=${() => change({ mode })}>${t(`meetings.mode_${mode}`)}</button>`)}
      </div>

      ${filters.mode === 'nearby' && html`
        <${PlacePicker} key=${origin ? `${origin.label}|${origin.lat}|${origin.lon}` : 'none'} id=${id}
          origin=${origin} onPick=${pickOrigin} onLocate=${locate} locating=${locating} />`}
      <${Filters} id=${id} filters=${filters} change=${change} />
      <${ErrorMessage} message=${error} />

      <section class="meeting-results" aria-labelledby=${`${id}-results`} aria-busy=${busy ? 'true' : 'false'}>
        <h2 class="subtitle" id=${`${id}-results`} tabindex="-1" ref=${resultsHeading}>
          ${results ? t('meetings.results_near', { place: results.label }) : t('meetings.results')}
        </h2>
        ${results && filters.mode === 'nearby' && html`
          <${OrderSwitch} id=${id} order=${filters.order} change=${change} />`}
        ${results?.offline && html`<p class="notice">${t('meetings.offline_results')}</p>`}
        ${!results && html`<p class="hint">${t('meetings.start_hint')}</p>`}
        ${results && results.meetings.length === 0 && html`<p>${t('meetings.none_found')}</p>`}
        ${results && html`
          <ul class="meeting-list" data-testid="meeting-results">
            ${results.meetings.map((m) => html`
              <${MeetingItem} key=${m.id} meeting=${m} timeZone=${timeZone} favourite=${favouriteIds.has(m.id)} />`)}
          </ul>`}
      </section>

      <section class="meeting-favourites" aria-labelledby=${`${id}-favourites`}>
        <h2 class="subtitle" id=${`${id}-favourites`}>${t('meetings.favourites')}</h2>
        ${favourites.length === 0
          ? html`<p class="hint">${t('meetings.no_favourites')}</p>`
          : html`<ul class="meeting-list" data-testid="meeting-favourites">
              ${favourites.map((m) => html`<${MeetingItem} key=${m.id} meeting=${m} timeZone=${timeZone} />`)}
            </ul>`}
      </section>
      <p class="hint attribution">${t('meetings.places_attribution')}</p>
    </div>`;
}
