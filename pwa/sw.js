// sw.js: Fotfeste's service worker. Keeps the app shell for offline use, answers API reads
// network-first with a cached fallback, and shows push notifications.
//
// Bump VERSION whenever a file in APP_SHELL changes, so phones fetch the new shell.

const VERSION = 'foundation-6+recovery-3+scales-1+meetings-4+clinic-1+reminders-1+help-plan-1';
const SHELL_CACHE = `fotfeste-shell-${VERSION}`;
const API_CACHE = 'fotfeste-api-v1';   // api.js clears every cache named fotfeste-api*
const API_TIMEOUT_MS = 3000;

// Every file the app needs to start without a network. A test checks this list against pwa/.
const APP_SHELL = [
  '/',
  '/manifest.webmanifest',
  '/styles.css',
  '/app.js',
  '/api.js',
  '/i18n.js',
  '/store.js',
  '/views/html.js',
  '/views/icons.js',
  '/views/parts.js',
  '/views/shell.js',
  '/views/welcome.js',
  '/views/recover.js',
  '/views/home.js',
  '/views/help.js',
  '/views/settings.js',
  '/views/reminders.js',
  '/push.js',
  '/views/cards/welcome.js',
  '/views/cards/help.js',
  '/views/scales.js',
  '/views/scales/questionnaire.js',
  '/views/scales/result.js',
  '/views/scales/history.js',
  '/views/scales/chart.js',
  '/views/scales/compare.js',
  '/views/cards/followup.js',
  '/views/cards/progress.js',
  '/views/checkin.js',
  '/views/history.js',
  '/views/recovery-parts.js',
  '/recovery.js',
  '/outbox.js',
  '/recovery.css',
  '/meetings.js',
  '/views/meetings.js',
  '/views/meeting.js',
  '/views/meeting-parts.js',
  '/views/place-search.js',
  '/views/cards/meetings.js',
  '/data/places.json',
  '/views/cards/clinic.js',
  '/views/clinic.js',
  '/views/cards/family.js',
  '/views/cards/plan.js',
  '/views/cards/waiting.js',
  '/views/craving.js',
  '/views/used.js',
  '/views/crisis.js',
  '/views/plan.js',
  '/views/my-plan-lists.js',
  '/views/family.js',
  '/views/article-list.js',
  '/views/article.js',
  '/views/waiting.js',
  '/offline.js',
  '/plan-data.js',
  '/articles-data.js',
  '/treatment-data.js',
  '/vendor/preact.js',
  '/vendor/hooks.js',
  '/vendor/htm.js',
  '/i18n/sv.json',
  '/i18n/nb.json',
  '/i18n/da.json',
  '/i18n/en.json',
  '/icons/favicon-32.png',
  '/icons/apple-touch-icon.png',
  '/icons/icon-192.png',
  '/icons/icon-512.png',
  '/icons/icon-maskable-512.png',
];

// API answers that must never be written to disk by the cache.
// Favourites are kept in IndexedDB by the meetings screens, always fresher than a cached answer.
const NEVER_CACHE = ['/api/me/export', '/api/me/favourites'];
// Every other GET is kept network first, so the reads that must work offline are there once
// seen: /api/plan, /api/treatment, /api/help/resources and the articles (/api/articles/…,
// which the family screen fetches ahead, one by one, when it lists them).

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(SHELL_CACHE);
    // `cache: 'reload'` skips the HTTP cache, so a new VERSION never stores stale files.
    await cache.addAll(APP_SHELL.map((url) => new Request(url, { cache: 'reload' })));
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    const keep = new Set([SHELL_CACHE, API_CACHE]);
    const names = await caches.keys();
    await Promise.all(names.filter((name) => name.startsWith('fotfeste-') && !keep.has(name))
      .map((name) => caches.delete(name)));
    await self.clients.claim();
  })());
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;

  if (url.pathname.startsWith('/api/')) {
    if (request.method === 'GET' && !NEVER_CACHE.includes(url.pathname)) {
      event.respondWith(networkFirst(event, request));
    }
    return; // writes and exports go straight to the network
  }

  if (request.method !== 'GET') return;

  // The app is one page with hash routes: any navigation to it gets the cached shell.
  // Other pages on this origin (staff pages, the API schema) are left to the network.
  if (request.mode === 'navigate') {
    if (url.pathname === '/' || url.pathname === '/index.html') {
      event.respondWith(cacheFirst(new Request('/')));
    }
    return;
  }

  if (APP_SHELL.includes(url.pathname)) event.respondWith(cacheFirst(request));
});

async function cacheFirst(request) {
  const cached = await caches.match(request, { ignoreSearch: true });
  return cached ?? fetch(request);
}

// Network first; after API_TIMEOUT_MS, or when the network fails, the last good answer.
async function networkFirst(event, request) {
  const cache = await caches.open(API_CACHE);
  const network = fetch(request).then(async (response) => {
    if (response.status === 200) await cache.put(request, response.clone());
    return response;
  });
  event.waitUntil(network.catch(() => {}));   // let a slow answer still refresh the cache

  let timer;
  const timeout = new Promise((resolve) => { timer = setTimeout(resolve, API_TIMEOUT_MS); });
  try {
    const first = await Promise.race([network, timeout]);
    if (first) return first;
  } catch {
    // offline: fall through to the cache
  } finally {
    clearTimeout(timer);
  }
  const cached = await cache.match(request);
  return cached ?? network;   // nothing cached: wait for (or fail with) the network
}

// --- push ------------------------------------------------------------------------------
// The server sends {title, body, url, tag}. Every push must show a notification: browsers
// withdraw the subscription of a worker that receives pushes silently.

self.addEventListener('push', (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch {
    data = { body: event.data ? event.data.text() : '' };
  }
  const title = data.title || 'Fotfeste';
  event.waitUntil(self.registration.showNotification(title, {
    body: data.body || '',
    tag: data.tag || undefined,
    data: { url: data.url || '/' },
    icon: '/icons/icon-192.png',
    badge: '/icons/favicon-32.png',
    lang: data.lang || undefined,
  }));
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const target = new URL(event.notification.data?.url || '/', self.location.origin);
  if (target.origin !== self.location.origin) return; // only ever open our own pages
  event.waitUntil((async () => {
    const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
    for (const client of windows) {
      if (new URL(client.url).origin === target.origin) {
        await client.focus();
        if (client.url !== target.href && 'navigate' in client) await client.navigate(target.href);
        return;
      }
    }
    await self.clients.openWindow(target.href);
  })());
});

// The browser replaced the subscription (keys expire now and then): subscribe again with the
// same server key and tell the server, with the token the app keeps in IndexedDB.
self.addEventListener('pushsubscriptionchange', (event) => {
  event.waitUntil((async () => {
    const key = event.oldSubscription?.options?.applicationServerKey;
    const subscription = event.newSubscription
      ?? (key ? await self.registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key }) : null);
    const token = await storedToken();
    if (!subscription || !token) return;
    const { endpoint, keys } = subscription.toJSON();
    await fetch('/api/push/subscriptions', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify({ endpoint, keys }),
    });
  })().catch(() => {}));   // the app re-sends it at its next start anyway
});

// The token from store.js's IndexedDB (database 'fotfeste', store 'kv'), or null.
function storedToken() {
  return new Promise((resolve) => {
    const open = indexedDB.open('fotfeste');
    open.onerror = () => resolve(null);
    open.onsuccess = () => {
      const db = open.result;
      if (!db.objectStoreNames.contains('kv')) { db.close(); resolve(null); return; }
      const get = db.transaction('kv', 'readonly').objectStore('kv').get('token');
      get.onsuccess = () => { db.close(); resolve(get.result ?? null); };
      get.onerror = () => { db.close(); resolve(null); };
    };
  });
}

// --- Background Sync --------------------------------------------------------------------
// Writes made offline wait in IndexedDB (store.js: database `fotfeste`, stores `kv` and
// `outbox`). When the browser says the network is back, send them even if no page is open.

const SYNC_TAG = 'fotfeste-outbox';

self.addEventListener('sync', (event) => {
  if (event.tag === SYNC_TAG) event.waitUntil(sendOutbox());
});

function idb(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function sendOutbox() {
  const db = await idb(indexedDB.open('fotfeste'));
  try {
    if (!db.objectStoreNames.contains('outbox')) return;
    const token = await idb(db.transaction('kv').objectStore('kv').get('token'));
    if (!token) return;
    const entries = await idb(db.transaction('outbox').objectStore('outbox').index('created_at').getAll());
    let sent = 0;
    for (const entry of entries) {
      const response = await fetch(entry.path, {
        method: entry.method,
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: entry.body == null ? undefined : JSON.stringify(entry.body),
      });
      // Network trouble, a busy server or a lost token: stop, and let the browser retry later.
      if (response.status >= 500 || response.status === 429 || response.status === 401
          || response.status === 408) {
        throw new Error(`outbox: ${response.status}`);
      }
      // Refused for good: leave it for the app, which tells the person before removing it.
      if (!response.ok) continue;
      await idb(db.transaction('outbox', 'readwrite').objectStore('outbox').delete(entry.id));
      sent += 1;
    }
    if (sent) {
      for (const client of await self.clients.matchAll({ type: 'window' })) {
        client.postMessage({ type: 'outbox-sent', count: sent });
      }
    }
  } finally {
    db.close();
  }
}
