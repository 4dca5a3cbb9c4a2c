// summary.js: the numbers of "Summary for my talk", worked out on the phone from the person's
// own entries. Pure functions over ISO dates ('YYYY-MM-DD'), so the view only draws.
//
// Counting follows the API's rules (api.md, "Progress"): from the start date on, a day without
// a check-in counts as drug-free and a day whose check-in says `used` is a day with use. Before a
// start date, or without one, only the days with a check-in are counted. Today counts only once
// it has a check-in: the day is not over yet (the API's drug-free total stops before today too).

import * as store from './store.js';
import { addDays, weekdayOf } from './dates.js';

const DAY_MS = 86_400_000;
// Offline, the last summary made on this phone is shown for a week at most. The service worker
// keeps no check-ins or answers (a lost phone must not), so this one summary is all there is;
// signing out, or a revoked token, wipes it with the rest (store.wipe).
const LAST_KEY = 'summary.last';
const LAST_MAX_AGE_MS = 7 * DAY_MS;

/** The Monday that starts the week of `iso` (weeks run Monday to Sunday in the Nordics). */
export function weekStart(iso) {
  return addDays(iso, -((weekdayOf(iso) + 6) % 7));
}

/** The period a choice stands for: {from, to}, never after today, at most two years long. */
export function period(choice, { today, startDate, from, to }) {
  const twoYears = addDays(today, -730);
  let first;
  let last = today;
  if (choice === 'between' && from && to) {
    first = from;
    last = to < today ? to : today;
  } else if (choice === 'since_start' && startDate) {
    first = startDate;
  } else {
    first = addDays(today, -29);
  }
  const clipped = first < twoYears;
  return { from: clipped ? twoYears : first, to: last, clipped };
}

function average(values) {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
}

/**
 * Weeks of the period with drug-free days, days with use, average craving and mood, and
 * meetings attended; and the totals. `checkins` and `attendance` are the API's rows.
 */
export function weeks({ from, to, today, startDate, checkins, attendance }) {
  const byDate = new Map(checkins.map((c) => [c.date, c]));
  const meetingsOn = new Map();
  for (const entry of attendance) meetingsOn.set(entry.date, (meetingsOn.get(entry.date) ?? 0) + 1);
  const rows = new Map();
  for (let day = from; day <= to; day = addDays(day, 1)) {
    const key = weekStart(day);
    if (!rows.has(key)) {
      // A week at either end of the period shows only its days within the period.
      const end = addDays(key, 6);
      rows.set(key, { start: key < from ? from : key, end: end > to ? to : end,
        drugFree: 0, used: 0, meetings: 0,
        cravings: [], moods: [] });
    }
    const row = rows.get(key);
    const checkin = byDate.get(day);
    if (checkin?.used) row.used += 1;
    else if (checkin || (startDate && day >= startDate && day < today)) row.drugFree += 1;
    if (checkin && typeof checkin.craving === 'number') row.cravings.push(checkin.craving);
    if (checkin && typeof checkin.mood === 'number') row.moods.push(checkin.mood);
    row.meetings += meetingsOn.get(day) ?? 0;
  }
  const list = [...rows.values()].map(({ cravings, moods, ...row }) => ({
    ...row, craving: average(cravings), mood: average(moods),
  }));
  const totals = list.reduce((sum, w) => ({
    drugFree: sum.drugFree + w.drugFree, used: sum.used + w.used, meetings: sum.meetings + w.meetings,
  }), { drugFree: 0, used: 0, meetings: 0 });
  return { weeks: list, totals };
}

/** Responses answered within the period, oldest first. */
export function responsesIn(responses, { from, to }) {
  return responses.filter((r) => r.answered_on >= from && r.answered_on <= to);
}

/** Keep the summary just made, for offline use on this phone (a week at most). */
export function keepLast(summary) {
  return store.set(LAST_KEY, { savedAt: Date.now(), summary });
}

/** The last summary made here, if it is less than a week old: {savedAt, summary} or null. */
export async function lastKept() {
  const kept = await store.get(LAST_KEY);
  if (!kept || Date.now() - kept.savedAt > LAST_MAX_AGE_MS) {
    if (kept) await store.remove(LAST_KEY);
    return null;
  }
  return kept;
}
