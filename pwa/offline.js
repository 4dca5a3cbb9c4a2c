// offline.js: reads that fall back to the device's last copy, and writes that wait in the
// outbox while there is no connection (outbox.js sends them at start, when the connection
// returns and by Background Sync).

import * as outbox from './outbox.js';
import * as store from './store.js';

// Worth trying again later, by the outbox's rules: no network, a busy server…
const passing = outbox.mayWait;

// The fresh answer of `load()`, kept under `key`; without a connection, the last kept copy.
// While a write of it waits in the outbox under `waiting`, the kept copy is newer than the
// server's and is answered as it is. Answers {value, fresh}. Throws when there is neither an
// answer nor a copy.
export async function readThrough(key, load, { waiting } = {}) {
  if (waiting && (await store.pending().catch(() => [])).some((entry) => entry.id === waiting)) {
    const value = await store.get(key);
    if (value !== undefined) return { value, fresh: false };
  }
  try {
    const value = await load();
    await store.set(key, value);
    return { value, fresh: true };
  } catch (error) {
    if (!passing(error)) throw error;
    const value = await store.get(key);
    if (value === undefined) throw error;
    return { value, fresh: false };
  }
}

// Keep `value` on the device under `key`, then send the write. Without a connection it waits in
// the outbox under `id`: a later write with the same id replaces it, so only the newest is sent.
// Answers {answer, queued}.
export async function writeThrough({ key, value, id, method, path, body }) {
  if (key) await store.set(key, value);
  return outbox.sendOrQueue({ id, method, path, body });
}
