// place-search.js: a typed place name resolved on the device, from the bundled list of Nordic
// places (data/places.json, GeoNames, CC BY 4.0). Nothing typed here leaves the phone.

import { fetchPlaces } from '../api.js';

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
