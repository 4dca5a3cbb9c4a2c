// recovery.js: drug-free days on this device — the progress from the server (kept for offline
// use), check-ins sent at once or left in the outbox, the day picked for a check-in, and which
// milestone has already been celebrated. Views subscribe; they never call the network themselves.

import * as api from './api.js';
import * as store from './store.js';
import * as outbox from './outbox.js';
import { addDays } from './dates.js';

const CHECKIN_PATH = '/api/checkins/';
// Back-dating from the strip reaches this many days, today included.
export const BACKDATE_DAYS = 8;
export const SUBSTANCES = ['alcohol', 'cannabis', 'stimulants', 'opioids', 'benzodiazepines', 'other'];

let current = { progress: null, waiting: [], chosenDate: null, loaded: false };
const listeners = new Set();

export function subscribe(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function snapshot() {
  return current;
}

function update(changes) {
  current = { ...current, ...changes };
  for (const listener of listeners) listener(current);
}

outbox.onChange(() => { refresh().catch(() => {}); });

// --- dates ------------------------------------------------------------------------------

export function canBackdate(day, today) {
  return day <= today && day > addDays(today, -BACKDATE_DAYS);
}

// --- progress and check-ins -------------------------------------------------------------

async function waitingCheckins() {
  try {
    const entries = await store.pending();
    return entries
      .filter((entry) => entry.path.startsWith(CHECKIN_PATH))
      .map((entry) => ({ date: entry.path.slice(CHECKIN_PATH.length), ...entry.body }))
      .sort((a, b) => a.date.localeCompare(b.date));
  } catch {
    return [];
  }
}

// The check-in for `date` that waits in the outbox, if any: newer than the server's.
export async function waitingCheckin(date) {
  return (await waitingCheckins()).find((w) => w.date === date) ?? null;
}

async function fetchProgress() {
  try {
    const progress = await api.getProgress();
    await store.set('recovery.progress', progress);
    return progress;
  } catch (error) {
    if (error.status === 401) throw error;
    // Offline (and the service worker had nothing): the last progress this device saw.
    return (await store.get('recovery.progress')) ?? current.progress;
  }
}

// Loads progress and the waiting check-ins; safe to call often.
export async function refresh() {
  const [progress, waiting] = await Promise.all([fetchProgress(), waitingCheckins()]);
  update({ progress, waiting, loaded: true });
  return current;
}

export async function setStartDate(date) {
  const progress = await api.setSobrietyDate(date);
  await store.set('recovery.progress', progress);
  update({ progress });
  return progress;
}

// Sends a check-in; offline it goes to the outbox and is sent later. Resolves {sent, progress}.
export async function checkIn(date, checkin) {
  // One entry per day: checking in twice offline keeps the latest answer only.
  const { queued } = await outbox.sendOrQueue({
    id: `checkin:${date}`, method: 'PUT', path: `${CHECKIN_PATH}${date}`, body: checkin,
  });
  if (queued) {
    update({ waiting: await waitingCheckins() });
    return { sent: false, progress: current.progress };
  }
  await refresh();
  return { sent: true, progress: current.progress };
}

export function checkinsBetween(from, to) {
  return api.getCheckins(from, to).then((answer) => answer.checkins);
}

export function choose(date) {
  update({ chosenDate: date });
}

// --- milestones -------------------------------------------------------------------------

function milestoneKey(progress) {
  const top = progress?.milestones_reached?.at(-1);
  return top ? `${progress.streak_start}:${top}` : null;
}

// The highest milestone of the current streak, unless it has been celebrated on this device.
export async function milestoneToCelebrate(progress) {
  const key = milestoneKey(progress);
  if (!key) return null;
  const celebrated = await store.get('recovery.celebrated').catch(() => null);
  return celebrated === key ? null : progress.milestones_reached.at(-1);
}

export async function celebrated(progress) {
  const key = milestoneKey(progress);
  if (key) await store.set('recovery.celebrated', key);
}
