// store.js: the device's own memory, in IndexedDB. Small key-value state (the token, the
// profile, the chosen language) and an outbox of writes made while offline.
//
// Outbox entries look like {id, method, path, body, created_at}; `id` is made on the device and
// doubles as the idempotency key, so replaying an entry twice is harmless.

const DB_NAME = 'fotfeste';
const DB_VERSION = 1;
const KV = 'kv';
const OUTBOX = 'outbox';

let opening = null;

function open() {
  if (!opening) {
    opening = new Promise((resolve, reject) => {
      const request = indexedDB.open(DB_NAME, DB_VERSION);
      request.onupgradeneeded = () => {
        const db = request.result;
        if (!db.objectStoreNames.contains(KV)) db.createObjectStore(KV);
        if (!db.objectStoreNames.contains(OUTBOX)) {
          db.createObjectStore(OUTBOX, { keyPath: 'id' }).createIndex('created_at', 'created_at');
        }
      };
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

// Forget everything this device knows: used after deleting the account or losing the token.
export async function wipe() {
  await run(KV, 'readwrite', (s) => s.clear());
  await run(OUTBOX, 'readwrite', (s) => s.clear());
}
