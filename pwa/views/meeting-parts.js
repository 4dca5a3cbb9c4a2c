// meeting-parts.js: what the meeting finder, the meeting screen and the home card show alike —
// "today 19:00 · in 2 hours · 1.3 km" and the list item. The device's copies are in meetings.js.

import { html } from './html.js';
import { currentLanguage, formatDate, formatNumber, formatRelative, t } from '../i18n.js';
import { addDays, dateIn } from '../dates.js';

export const FELLOWSHIPS = ['AA', 'NA', 'CA', 'Al-Anon', 'Nar-Anon'];
// The fellowship filter's "family groups" choice: groups for the people close to someone.
export const FAMILY_GROUPS = ['Al-Anon', 'Nar-Anon'];
// The language filter's choices and the meeting type code each one means.
export const LANGUAGE_TYPES = { sv: 'SV', nb: 'NO', da: 'DA', en: 'EN' };

// The name of a weekday 0–6 in the current language ("måndag", "Monday").
export function weekdayName(day) {
  // 2024-01-07 was a Sunday.
  return formatDate(addDays('2024-01-07', day), { weekday: 'long' });
}

function deviceZone() {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

// "today", "tomorrow" or the weekday of a meeting's next start, in the person's own zone.
export function dayLabel(nextStart, timeZone = deviceZone(), now = new Date()) {
  const day = dateIn(timeZone, new Date(nextStart));
  const today = dateIn(timeZone, now);
  if (day === today) return t('meetings.today');
  if (day === addDays(today, 1)) return t('meetings.tomorrow');
  return formatDate(day, { weekday: 'long' });
}

export function clockTime(nextStart, timeZone = deviceZone()) {
  try {
    return formatDate(nextStart, { hour: '2-digit', minute: '2-digit' }, timeZone);
  } catch {
    return formatDate(nextStart, { hour: '2-digit', minute: '2-digit' });
  }
}

export function distanceText(km) {
  return t('meetings.km', { distance: formatNumber(km, { maximumFractionDigits: km < 10 ? 1 : 0 }) });
}

// An online meeting is no place to go: it never shows an address or a distance, even from a
// copy kept on the device before the server stopped sending them. A hybrid one shows both,
// unless its place is closed for now: then it is met online only.
export function hasPlace(meeting) {
  if (meeting.attendance === 'online') return false;
  return !(meeting.temporarily_closed && meeting.attendance === 'hybrid');
}

// "Demohuset, Exempelgatan 1, Stockholm", or '' for an online meeting.
export function placeText(meeting) {
  if (!hasPlace(meeting)) return '';
  return [meeting.location?.name, meeting.location?.address].filter(Boolean).join(', ');
}

// The list's shorter line: the address alone when there is one (the name is on the meeting).
function listPlace(meeting) {
  if (!hasPlace(meeting)) return '';
  return meeting.location?.address || meeting.location?.name || '';
}

const HALF_A_DAY_MS = 12 * 3600 * 1000;

// How soon, beside the day: "in 45 minutes" or "in 5 hours" within half a day (also past
// midnight), "in 3 days" counted in calendar days (a Saturday start seen on Thursday afternoon
// is two days away, not "tomorrow"), nothing for a later start tomorrow (the day says it).
function howSoon(nextStart, timeZone, now) {
  const ms = Date.parse(nextStart) - now.getTime();
  if (ms < HALF_A_DAY_MS) return formatRelative(nextStart, { now, smallest: 'minute' });
  const [y1, m1, d1] = dateIn(timeZone, now).split('-').map(Number);
  const [y2, m2, d2] = dateIn(timeZone, new Date(nextStart)).split('-').map(Number);
  const days = Math.round((Date.UTC(y2, m2 - 1, d2) - Date.UTC(y1, m1 - 1, d1)) / 86_400_000);
  if (days < 2) return null;
  return new Intl.RelativeTimeFormat(currentLanguage(), { numeric: 'always' }).format(days, 'day');
}

// "today 19:00 · in 2 hours · 1.3 km", "Saturday 10:00 · in 2 days · 2.4 km"
export function whenLine(meeting, timeZone = deviceZone(), now = new Date()) {
  const parts = [
    `${dayLabel(meeting.next_start, timeZone, now)} ${clockTime(meeting.next_start, timeZone)}`,
    howSoon(meeting.next_start, timeZone, now),
  ].filter(Boolean);
  if (hasPlace(meeting) && typeof meeting.distance_km === 'number') {
    parts.push(distanceText(meeting.distance_km));
  }
  return parts.join(' · ');
}

export function isOpen(meeting) {
  if (meeting.types.includes('O')) return true;
  if (meeting.types.includes('C')) return false;
  return null;
}

// "AA · open · online"
export function metaLine(meeting) {
  const open = isOpen(meeting);
  return [
    meeting.fellowship,
    open === null ? null : t(open ? 'meetings.open' : 'meetings.closed'),
    t(`meetings.attendance.${meeting.attendance}`),
  ].filter(Boolean).join(' · ');
}

export function MeetingItem({ meeting, timeZone, favourite = false }) {
  const place = listPlace(meeting);
  return html`
    <li class="meeting-item">
      <a class="meeting-item__link" href=${`#/meeting/${encodeURIComponent(meeting.id)}`}>
        <span class="meeting-item__name">
          ${meeting.name}
          ${favourite && html` <span aria-hidden="true">★</span><span class="visually-hidden">(${t('meetings.favourite_mark')})</span>`}
        </span>
        <span class="meeting-item__when">${whenLine(meeting, timeZone)}</span>
        ${place && html`<span class="meeting-item__where">${place}</span>`}
        ${meeting.temporarily_closed && html`
          <span class="meeting-item__closed">${t('meetings.temporarily_closed_short')}</span>`}
        <span class="meeting-item__meta">${metaLine(meeting)}</span>
      </a>
    </li>`;
}
