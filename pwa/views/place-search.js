// place-search.js: where the finder searches — near me (location only on a tap) or a typed place
// name resolved on the device, from the bundled list of Nordic places (data/places.json,
// GeoNames, CC BY 4.0). Nothing typed here leaves the phone.

import { html, useState } from './html.js';
import { t } from '../i18n.js';
import { fetchPlaces } from '../api.js';
import { ErrorMessage, errorText } from './parts.js';

let loading = null;

// Lower case without accents, so "malmo" finds Malmö and "kobenhavn" finds København.
export function fold(text) {
  return String(text)
    .toLowerCase()
    .replaceAll('æ', 'ae')
    .replaceAll('ø', 'o')
    .replaceAll('ß', 'ss')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .trim();
}

// [{name, country, lat, lon, population, keys}] sorted by population, loaded once.
export function loadPlaces() {
  if (!loading) {
    loading = fetchPlaces()
      .then((data) => data.places.map(([name, country, lat, lon, population, alternates = []]) => ({
        name, country, lat, lon, population, alternates,
        keys: [name, ...alternates].map(fold),
      })))
      .catch((error) => {
        loading = null;
        throw error;
      });
  }
  return loading;
}

// The best matches for what was typed: names that start with it first, then names that
// contain it, larger places first within each group.
export function findPlaces(places, query, limit = 6) {
  const wanted = fold(query);
  if (wanted.length < 2) return [];
  const starts = [];
  const contains = [];
  for (const place of places) {
    if (place.keys.some((key) => key.startsWith(wanted))) starts.push(place);
    else if (place.keys.some((key) => key.includes(wanted))) contains.push(place);
    if (starts.length >= limit) break;
  }
  return [...starts, ...contains].slice(0, limit);
}

function PlaceChoices({ id, onPick, onLocate, locating }) {
  const [query, setQuery] = useState('');
  const [places, setPlaces] = useState(null);
  const [problem, setProblem] = useState('');
  const matches = places && query ? findPlaces(places, query) : [];

  async function typed(event) {
    setQuery(event.currentTarget.value);
    if (!places) {
      try {
        setPlaces(await loadPlaces());
      } catch (error) {
        setProblem(errorText(error));
      }
    }
  }

  function pick(place) {
    setQuery(''); // hides the matches
    onPick({ label: place.name, lat: place.lat, lon: place.lon });
  }

  return html`
    <button type="button" class="button" onClick=${onLocate} disabled=${locating}
      data-testid="near-me">${locating ? t('meetings.locating') : t('meetings.near_me')}</button>
    <p class="hint">${t('meetings.near_me_hint')}</p>
    <div class="field">
      <label for=${`${id}-place`}>${t('meetings.place_label')}</label>
      <input id=${`${id}-place`} type="text" autocomplete="off" value=${query} onInput=${typed}
        aria-describedby=${`${id}-place-hint`} placeholder=${t('meetings.place_placeholder')} />
      <p class="hint" id=${`${id}-place-hint`}>${t('meetings.place_hint')}</p>
    </div>
    <${ErrorMessage} message=${problem} />
    ${query.length >= 2 && places && html`
      <ul class="place-matches" aria-label=${t('meetings.place_matches')}>
        ${matches.length === 0 && html`<li class="hint">${t('meetings.place_none')}</li>`}
        ${matches.map((place) => html`
          <li key=${`${place.name}-${place.lat}`}>
            <button type="button" class="button button--secondary place-matches__item"
              onClick=${() => pick(place)}>
              ${place.name} <span class="place-matches__country">${place.country}</span>
            </button>
          </li>`)}
      </ul>`}`;
}

// Before the first search the choices are in full view. Once there is a place, they fold into
// one line that names it ("Place: Malmö"), so the results start on the first screen; a tap
// opens them again. Give it a new `key` per place so a new pick folds it shut.
export function PlacePicker({ id, origin, onPick, onLocate, locating }) {
  const choices = html`
    <${PlaceChoices} id=${id} onPick=${onPick} onLocate=${onLocate} locating=${locating} />`;
  if (!origin) return html`<div class="place-picker">${choices}</div>`;
  return html`
    <details class="meeting-fold place-picker" data-testid="place-fold">
      <summary class="meeting-fold__summary">
        <span class="meeting-fold__title">${t('meetings.place_summary', { place: origin.label })}</span>
        <span class="meeting-fold__action">${t('meetings.change_place')}</span>
      </summary>
      <div class="meeting-fold__body">${choices}</div>
    </details>`;
}
