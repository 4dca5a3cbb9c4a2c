// outbox.js: writes made offline wait in IndexedDB (store.js's `outbox`) and are sent again at
// app start, on the `online` event and on Background Sync where the browser has it. Entries are
// PUTs to natural keys (a check-in's date), so sending one twice changes nothing.

import * as api from './api.js';
import * as store from './store.js';

export const SYNC_TAG = 'fotfeste-outbox';

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

export async function add(entry) {
  const saved = await store.enqueue(entry);
  changed();
  requestBackgroundSync();
  return saved;
}

// Sends every waiting entry, oldest first; stops at the first one the network or server can't
// take now (it stays for the next try). One flush at a time.
export function flush() {
  if (!flushing) {
    flushing = sendAll().finally(() => { flushing = null; });
  }
  return flushing;
}

function worthRetrying(error) {
  return error.offline || error.status === 401 || error.status === 408 || error.status === 429
    || error.status >= 500;
}

async function sendAll() {
  let entries;
  try {
    entries = await store.pending();
  } catch {
    return 0;
  }
  let done = 0;
  const refused = [];
  for (const entry of entries) {
    try {
      await api.replay(entry);
    } catch (error) {
      if (worthRetrying(error)) break;
      // Any other 4xx will never succeed (say, a day now more than two years back): drop it
      // rather than block everything after it, and say so.
      refused.push(entry);
    }
    await store.acknowledge(entry.id);
    done += 1;
  }
  if (done) changed();
  if (refused.length) for (const listener of refusedListeners) listener(refused);
  return done;
}

async function requestBackgroundSync() {
  try {
    const registration = await navigator.serviceWorker?.getRegistration();
    await registration?.sync?.register(SYNC_TAG);
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
