// i18n.js: the words and formats of the four languages. Strings live in i18n/<lang>.json,
// nested by screen; `t('help.title')` looks one up. Dates and numbers go through Intl.

import { fetchTranslations } from './api.js';

export const LANGUAGES = ['sv', 'nb', 'da', 'en'];
const DEFAULT_LANGUAGE = 'en';
// Norwegian comes tagged in three ways; the app's Norwegian is Bokmål.
const ALIASES = { no: 'nb', nn: 'nb', nb: 'nb', sv: 'sv', da: 'da', en: 'en' };

let lang = DEFAULT_LANGUAGE;
let strings = {};
let fallback = {};
const loaded = new Map();

export function currentLanguage() {
  return lang;
}

// The first of the person's preferred languages that the app speaks, else English.
export function pickLanguage(preferred = navigator.languages ?? [navigator.language]) {
  for (const tag of preferred) {
    const base = String(tag).toLowerCase().split(/[-_]/)[0];
    if (ALIASES[base]) return ALIASES[base];
  }
  return DEFAULT_LANGUAGE;
}

export function isLanguage(value) {
  return LANGUAGES.includes(value);
}

async function load(code) {
  if (!loaded.has(code)) {
    loaded.set(code, fetchTranslations(code).catch((error) => {
      loaded.delete(code);
      throw error;
    }));
  }
  return loaded.get(code);
}

// Loads a language and makes it current; also sets <html lang> and the document title.
// English, the fallback, is fetched only if a key is ever missing (tests keep the four files
// alike): 12 KB less on a first visit in Swedish, Norwegian or Danish.
export async function setLanguage(code) {
  const next = isLanguage(code) ? code : DEFAULT_LANGUAGE;
  const dictionary = await load(next);
  lang = next;
  strings = dictionary;
  if (next === DEFAULT_LANGUAGE) fallback = dictionary;
  document.documentElement.lang = next;
  document.title = t('common.app_name');
  return next;
}

function lookup(dictionary, key) {
  return key.split('.').reduce((node, part) => (node == null ? undefined : node[part]), dictionary);
}

// t('settings.saved'), t('settings.about_created', {date}), t('recover.wait_minutes', {count: 5}).
// A value shaped {"one": …, "other": …} is chosen with Intl.PluralRules by params.count.
export function t(key, params = {}) {
  let value = lookup(strings, key) ?? lookup(fallback, key);
  if (value === undefined && lang !== DEFAULT_LANGUAGE && !loaded.has(DEFAULT_LANGUAGE)) {
    load(DEFAULT_LANGUAGE).then((english) => { fallback = english; }).catch(() => {});
  }
  if (value && typeof value === 'object') {
    const category = new Intl.PluralRules(lang).select(Number(params.count ?? 0));
    value = value[category] ?? value.other;
  }
  if (typeof value !== 'string') return key;
  return value.replace(/\{(\w+)\}/g, (match, name) => {
    if (!(name in params)) return match;
    const param = params[name];
    return typeof param === 'number' ? formatNumber(param) : String(param);
  });
}

// --- formats ----------------------------------------------------------------------------

export function formatNumber(value, options) {
  return new Intl.NumberFormat(lang, options).format(value);
}

// A calendar date 'YYYY-MM-DD' or an instant (Date or ISO string). Calendar dates are shown
// as that same date everywhere, whatever the device's time zone.
/** An amount of money in the current language, whole units: {amount, currency} → "2 000 kr". */
export function formatMoney({ amount, currency }) {
  return new Intl.NumberFormat(lang, { style: 'currency', currency, maximumFractionDigits: 0 })
    .format(amount);
}

export function formatDate(value, options = { dateStyle: 'long' }, timeZone) {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const [y, m, d] = value.split('-').map(Number);
    return new Intl.DateTimeFormat(lang, { ...options, timeZone: 'UTC' })
      .format(new Date(Date.UTC(y, m - 1, d)));
  }
  const date = value instanceof Date ? value : new Date(value);
  return new Intl.DateTimeFormat(lang, { ...options, ...(timeZone ? { timeZone } : {}) }).format(date);
}

const RELATIVE_UNITS = [
  ['year', 365 * 24 * 3600], ['month', 30 * 24 * 3600], ['week', 7 * 24 * 3600],
  ['day', 24 * 3600], ['hour', 3600], ['minute', 60], ['second', 1],
];

// "3 days ago", "in 5 minutes", in the current language. With `smallest: 'day'`, anything
// within the same day reads "today".
export function formatRelative(value, { now = new Date(), smallest = 'second' } = {}) {
  const date = value instanceof Date ? value : new Date(value);
  const seconds = (date.getTime() - now.getTime()) / 1000;
  const units = RELATIVE_UNITS.slice(0, RELATIVE_UNITS.findIndex(([u]) => u === smallest) + 1);
  const [unit, size] = units.find(([, s]) => Math.abs(seconds) >= s) ?? units[units.length - 1];
  return new Intl.RelativeTimeFormat(lang, { numeric: 'auto' }).format(Math.trunc(seconds / size), unit);
}

// The hour (0–23) now in a time zone, for greetings that fit the time of day.
export function hourIn(timeZone) {
  try {
    const parts = new Intl.DateTimeFormat('en-GB', { hour: 'numeric', hourCycle: 'h23', timeZone })
      .formatToParts(new Date());
    return Number(parts.find((p) => p.type === 'hour')?.value ?? new Date().getHours());
  } catch {
    return new Date().getHours();
  }
}

// The device's time zone and the list to choose from (the device's own zone always included).
export function detectedTimeZone() {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

export function timeZones(current) {
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  const all = new Set(zones);
  if (current) all.add(current);
  return [...all].sort();
}
