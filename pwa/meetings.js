// meetings.js: meetings on the device — favourites, the last results, the finder's filters,
// type names and the home card's summary kept in IndexedDB for offline use, and "I went" and
// favourites sent now or queued in the outbox. The views use this; they never touch IndexedDB.

import * as store from './store.js';
import * as outbox from './outbox.js';
import { attendanceSummary, listFavourites, meetingTypes } from './api.js';
import { currentLanguage } from './i18n.js';

// Favourites and "I went": sent now, or kept in the outbox while offline.
export { sendOrQueue } from './outbox.js';

const FAVOURITES_KEY = 'meetings.favourites';
const LAST_KEY = 'meetings.last';
const FILTERS_KEY = 'meetings.filters';
const TYPES_KEY = 'meetings.types';

export async function cachedFavourites() {
  return (await store.get(FAVOURITES_KEY).catch(() => null)) ?? [];
}

export async function saveFavourites(meetings) {
  await store.set(FAVOURITES_KEY, meetings).catch(() => {});
}

// The favourites from the server, kept on the device; offline, the kept ones.
export async function loadFavourites() {
  try {
    const { meetings } = await listFavourites();
    await saveFavourites(meetings);
    return { meetings, offline: false };
  } catch (error) {
    if (!error.offline) throw error;
    return { meetings: await cachedFavourites(), offline: true };
  }
}

export function lastResults() {
  return store.get(LAST_KEY).catch(() => null);
}

export function saveLastResults(results) {
  return store.set(LAST_KEY, results).catch(() => {});
}

export function savedFilters() {
  return store.get(FILTERS_KEY).catch(() => null);
}

export function saveFilters(filters) {
  return store.set(FILTERS_KEY, filters).catch(() => {});
}

// Type code → name in the current language, from the server once and then from the device.
export async function typeNames() {
  const lang = currentLanguage();
  const key = `${TYPES_KEY}.${lang}`;
  try {
    const { types } = await meetingTypes(lang);
    await store.set(key, types).catch(() => {});
    return types;
  } catch {
    return (await store.get(key).catch(() => null)) ?? {};
  }
}

// Every meeting this device has seen lately, to open one offline.
export async function knownMeeting(id) {
  const [favourites, last] = await Promise.all([cachedFavourites(), lastResults()]);
  return [...favourites, ...(last?.meetings ?? [])].find((m) => m.id === id) ?? null;
}

const SUMMARY_KEY = 'meetings.summary';

// Meetings attended lately, from the server; offline, the last answer kept on the device.
export async function loadSummary() {
  try {
    const fresh = await attendanceSummary();
    await store.set(SUMMARY_KEY, fresh).catch(() => {});
    return fresh;
  } catch {
    return store.get(SUMMARY_KEY).catch(() => null);
  }
}

// `listener()` runs when queued writes have been sent (the count on home may have changed).
export function onSent(listener) {
  return outbox.onChange(listener);
}
