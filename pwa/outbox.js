// outbox.js: the page's side of the outbox (the rules are store.js's): writes made offline are
// sent at app start, on the `online` event and by the worker's Background Sync.

import * as api from './api.js';
import * as store from './store.js';

const listeners = new Set();
const refusedListeners = new Set();
let flushing = null;

// `listener()` runs whenever the outbox may have changed (an entry added, sent or dropped).
export function onChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

// `listener(entries)` runs when the server refused entries for good (they are removed), so the
// person can be told: a check-in that silently vanished would be worse than an error.
export function onRefused(listener) {
  refusedListeners.add(listener);
  return () => refusedListeners.delete(listener);
}

export function changed() {
  for (const listener of listeners) listener();
}

// Whether a write that failed with `error` waits in the outbox.
export function mayWait(error) {
  return error instanceof api.ApiError && store.mayWait(error.status);
}

export async function add(entry) {
  const saved = await store.enqueue(entry);
  changed();
  requestBackgroundSync();
  return saved;
}

// A write that can wait ({id?, method, path, body}, as api.js makes them): sent now, or kept in
// the outbox when it may wait, to be sent later; a later one with the same id replaces it. Sent
// now, it removes an older one still waiting under its id (the server was busy then): sent
// afterwards, that one would undo this. Resolves {answer, queued}.
export async function sendOrQueue(entry) {
  let answer;
  try {
    answer = await api.replay(entry);
  } catch (error) {
    if (!mayWait(error)) throw error;
    await add(entry);
    return { answer: null, queued: true };
  }
  if (entry.id) await supersede(entry.id);
  return { answer, queued: false };
}

async function supersede(id) {
  try {
    await store.acknowledge(id);
  } catch {
    // No IndexedDB here: nothing can be waiting either.
  }
}

// Sends what waits (store.replay); one flush at a time.
export function flush() {
  if (!flushing) {
    flushing = sendAll().finally(() => { flushing = null; });
  }
  return flushing;
}

// The entry's HTTP status; api.js throws only ApiError before an answer is ok.
async function send(entry) {
  try {
    await api.replay(entry);
  } catch (error) {
    if (error instanceof api.ApiError) return error.status;
  }
  return 200;
}

async function sendAll() {
  let outcome;
  try {
    outcome = await store.replay(send);
  } catch {
    return 0;
  }
  const done = outcome.sent + outcome.refused.length;
  if (done) changed();
  if (outcome.refused.length) for (const listener of refusedListeners) listener(outcome.refused);
  return done;
}

async function requestBackgroundSync() {
  try {
    const registration = await navigator.serviceWorker?.getRegistration();
    await registration?.sync?.register(store.SYNC_TAG);
  } catch {
    // No Background Sync here: the `online` event and the next app start will send it.
  }
}

// Called once at boot: send what waits now, when the network comes back, and when the
// service worker has sent entries itself (so the screens show the new state).
export function start() {
  window.addEventListener('online', () => { flush(); });
  navigator.serviceWorker?.addEventListener('message', (event) => {
    if (event.data?.type === 'outbox-sent') changed();
  });
  return flush();
}
