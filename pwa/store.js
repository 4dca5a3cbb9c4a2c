// store.js: the device's memory in IndexedDB and the outbox's rules, defined only here: the page
// and the service worker (a module worker) both import this file. pwa/README.md explains them.
// Layout, made or upgraded by whichever side opens it first: database `fotfeste` v1, store `kv`
// (out-of-line keys: token, locale, profile…) and `outbox` ({id, method, path, body, created_at},
// keyPath id, the idempotency key; index created_at). A new version adds its stores in `upgrade`.

const DB_NAME = 'fotfeste';
const DB_VERSION = 1;
const KV = 'kv';
const OUTBOX = 'outbox';
export const SYNC_TAG = 'fotfeste-outbox';

// A write that failed for a passing reason waits in the outbox; any other error is shown.
export function mayWait(status) {
  return status === 0 || status === 408 || status === 429 || status >= 500;
}

let opening = null;

function upgrade(db) {
  if (!db.objectStoreNames.contains(KV)) db.createObjectStore(KV);
  if (!db.objectStoreNames.contains(OUTBOX)) {
    db.createObjectStore(OUTBOX, { keyPath: 'id' }).createIndex('created_at', 'created_at');
  }
}

function open() {
  if (!opening) {
    opening = new Promise((resolve, reject) => {
      const request = indexedDB.open(DB_NAME, DB_VERSION);
      request.onupgradeneeded = () => upgrade(request.result);
      request.onsuccess = () => {
        const db = request.result;
        // Another tab upgrading the schema must not be blocked by this one.
        db.onversionchange = () => { db.close(); opening = null; };
        resolve(db);
      };
      request.onerror = () => { opening = null; reject(request.error); };
    });
  }
  return opening;
}

// Runs `work(objectStore)` in one transaction and resolves with the last request's result once
// the transaction has committed.
async function run(storeName, mode, work) {
  const db = await open();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(storeName, mode);
    let result;
    const request = work(tx.objectStore(storeName));
    if (request) request.onsuccess = () => { result = request.result; };
    tx.oncomplete = () => resolve(result);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}

export function get(key) {
  return run(KV, 'readonly', (s) => s.get(key));
}

export function set(key, value) {
  return run(KV, 'readwrite', (s) => s.put(value, key));
}

export function remove(key) {
  return run(KV, 'readwrite', (s) => s.delete(key));
}

export function enqueue({ method, path, body = null, id = crypto.randomUUID() }) {
  const entry = { id, method, path, body, created_at: new Date().toISOString() };
  return run(OUTBOX, 'readwrite', (s) => s.put(entry)).then(() => entry);
}

export function pending() {
  return run(OUTBOX, 'readonly', (s) => s.index('created_at').getAll());
}

export function acknowledge(id) {
  return run(OUTBOX, 'readwrite', (s) => s.delete(id));
}

// Sends the outbox oldest first; `send(entry)` answers the HTTP status (0: no network). Stops
// at a status that may wait, or 401 (the token is gone); a refusal for good is removed, unless
// keepRefused (the worker: only the page can tell the person). → {sent, refused, stoppedAt}.
export async function replay(send, { keepRefused = false } = {}) {
  const outcome = { sent: 0, refused: [], stoppedAt: null };
  for (const entry of await pending()) {
    const status = await send(entry);
    if (mayWait(status) || status === 401) {
      outcome.stoppedAt = status;
      break;
    }
    const ok = status >= 200 && status < 300;
    if (ok) outcome.sent += 1;
    else outcome.refused.push(entry);
    if (ok || !keepRefused) await acknowledge(entry.id);
  }
  return outcome;
}

// Forget everything this device knows: used after deleting the account or losing the token.
export async function wipe() {
  await run(KV, 'readwrite', (s) => s.clear());
  await run(OUTBOX, 'readwrite', (s) => s.clear());
}
