// sw.js: Fotfeste's service worker. Keeps the app shell for offline use, answers API reads
// network-first with a cached fallback, and shows push notifications.
//
// VERSION is set by the server when it serves this file: a hash of every file in APP_SHELL (and
// of this one), so any edit gives phones a new shell. The files are precached under their
// versioned paths, /v/<VERSION>/…, as index.html links them (see server/fotfeste/web/static.py).
//
// A module worker (app.js registers it with type 'module'), so that it imports the page's own
// store.js: the IndexedDB layout and the outbox's rules are written once, for both.

import * as store from './store.js';

const VERSION = 'dev';
const SHELL_CACHE = `fotfeste-shell-${VERSION}`;
const API_CACHE = 'fotfeste-api-v2';   // api.js clears every cache named fotfeste-api*
const API_TIMEOUT_MS = 3000;
// A cached API answer older than this is not shown, and is dropped: a lost or recovered phone
// does not keep even the less sensitive answers for long.
const API_MAX_AGE_MS = 7 * 24 * 3600 * 1000;
const CACHED_AT = 'x-fotfeste-cached-at';

// Every file the app needs to start without a network. A test checks this list against pwa/,
// and the server serves only these files (and this one) from pwa/.
const APP_SHELL = [
  '/',
  '/manifest.webmanifest',
  '/styles.css',
  '/app.js',
  '/api.js',
  '/api-more.js',
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
  '/views/devices.js',
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
  '/views/money.js',
  '/views/insights.js',
  '/views/supporters.js',
  '/views/cards/supporters.js',
  '/summary.css',
  '/summary.js',
  '/views/summary.js',
  '/meetings.js',
  '/views/meetings.js',
  '/views/meeting.js',
  '/views/meeting-parts.js',
  '/dates.js',
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
  '/views/help-lines.js',
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

// Personal answers are never written to Cache Storage, where they would outlive a sign-out on
// a phone that is offline, or an account recovered on another phone: check-ins (notes),
// questionnaire answers (PHQ-9 item 9), the plan, the profile, devices and the export. What the
// app needs of them offline it keeps in IndexedDB itself, which signing out wipes.
// Favourites are kept in IndexedDB by the meetings screens, always fresher than a cached answer.
const NEVER_CACHE = [/^\/api\/me(\/|$)/, /^\/api\/checkins(\/|$)/, /^\/api\/responses(\/|$)/,
  /^\/api\/plan(\/|$)/];
// Every other GET is kept network first for at most API_MAX_AGE_MS, so the reads that must work
// offline are there once seen: /api/treatment, /api/help/resources, the articles, meetings.

// Paths kept as they are; every other file lives under /v/<VERSION>/.
const UNVERSIONED = new Set(['/', '/manifest.webmanifest']);
const VERSIONED_PREFIX = `/v/${VERSION}`;

function shellUrl(path) {
  return UNVERSIONED.has(path) ? path : `${VERSIONED_PREFIX}${path}`;
}

function neverCache(path) {
  return NEVER_CACHE.some((pattern) => pattern.test(path));
}

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(SHELL_CACHE);
    // `cache: 'reload'` skips the HTTP cache, so a new VERSION never stores stale files.
    await cache.addAll(APP_SHELL.map((path) => new Request(shellUrl(path), { cache: 'reload' })));
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
    if (request.method === 'GET' && !neverCache(url.pathname)) {
      event.respondWith(networkFirst(event, request));
    }
    return; // writes and personal answers go straight to the network
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

  // This version's files, by their versioned path or by their plain one.
  const path = url.pathname.startsWith(`${VERSIONED_PREFIX}/`)
    ? url.pathname.slice(VERSIONED_PREFIX.length) : url.pathname;
  if (APP_SHELL.includes(path)) event.respondWith(cacheFirst(request, shellUrl(path)));
});

async function cacheFirst(request, key = request) {
  const cache = await caches.open(SHELL_CACHE);
  const cached = await cache.match(key, { ignoreSearch: true });
  return cached ?? fetch(request);
}

// Network first; after API_TIMEOUT_MS, or when the network fails, the last good answer.
async function networkFirst(event, request) {
  const cache = await caches.open(API_CACHE);
  const network = fetch(request).then(async (response) => {
    if (response.status === 200) await cache.put(request, await stamped(response.clone()));
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
  if (cached && !fresh(cached)) {
    await cache.delete(request);
    return network;
  }
  return cached ?? network;   // nothing cached: wait for (or fail with) the network
}

// The answer as it will be kept, with the time it was kept.
async function stamped(response) {
  const headers = new Headers(response.headers);
  headers.set(CACHED_AT, String(Date.now()));
  return new Response(await response.blob(), { status: response.status, headers });
}

function fresh(response) {
  const at = Number(response.headers.get(CACHED_AT));
  return at > 0 && Date.now() - at < API_MAX_AGE_MS;
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
    const token = await store.get('token');
    if (!subscription || !token) return;
    const { endpoint, keys } = subscription.toJSON();
    await fetch('/api/push/subscriptions', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify({ endpoint, keys }),
    });
  })().catch(() => {}));   // the app re-sends it at its next start anyway
});

// --- Background Sync --------------------------------------------------------------------
// Writes made offline wait in store.js's outbox. When the browser says the network is back,
// send them by store.js's rules, even if no page is open.

self.addEventListener('sync', (event) => {
  if (event.tag === store.SYNC_TAG) event.waitUntil(sendOutbox());
});

async function sendOutbox() {
  const token = await store.get('token');
  if (!token) return;
  const send = (entry) => fetch(entry.path, {
    method: entry.method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: entry.body == null ? undefined : JSON.stringify(entry.body),
  }).then((response) => response.status, () => 0);
  const { sent, stoppedAt } = await store.replay(send, { keepRefused: true });
  if (sent) {
    for (const client of await self.clients.matchAll({ type: 'window' })) {
      client.postMessage({ type: 'outbox-sent', count: sent });
    }
  }
  // Failing the sync is how the browser learns to try again later, spaced out.
  if (stoppedAt !== null) throw new Error(`outbox: ${stoppedAt}`);
}
