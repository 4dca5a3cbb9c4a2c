// app.js: boots the app, owns its state, and routes between screens (#/welcome, #/home, …).
// Views get the state and a small set of actions; they never call fetch or IndexedDB directly.

import { render } from './vendor/preact.js';
import * as api from './api.js';
import * as i18n from './i18n.js';
import * as store from './store.js';
import { html } from './views/html.js';
import { Shell } from './views/shell.js';
import * as outbox from './outbox.js';

// Each screen's module is loaded when it is first opened (import() below), so the first visit
// downloads the shell and one screen, not the whole app; the service worker keeps them all.
// `account: true` screens need a token; onboarding screens are only for people without one.
const ROUTES = {
  welcome: { load: () => import('./views/welcome.js'), name: 'Welcome', onboarding: true },
  recover: { load: () => import('./views/recover.js'), name: 'Recover', onboarding: true },
  home: { load: () => import('./views/home.js'), name: 'Home', account: true },
  settings: { load: () => import('./views/settings.js'), name: 'Settings', account: true },
  reminders: { load: () => import('./views/reminders.js'), name: 'Reminders', account: true },
  help: { load: () => import('./views/help.js'), name: 'Help' },
  checkin: { load: () => import('./views/checkin.js'), name: 'Checkin', account: true },
  history: { load: () => import('./views/history.js'), name: 'History', account: true },
  scales: { load: () => import('./views/scales.js'), name: 'Scales', account: true },
  checkup: { load: () => import('./views/scales.js'), name: 'Checkup', account: true },
  // #/meetings/family: family groups
  meetings: { load: () => import('./views/meetings.js'), name: 'Meetings', account: true, param: true },
  meeting: { load: () => import('./views/meeting.js'), name: 'Meeting', account: true },
  // #/join/<CODE>: a clinic's referral code, with or without an account.
  join: { load: () => import('./views/clinic.js'), name: 'Join' },
  // Help now works for everyone, offline too; writing it down needs an account.
  craving: { load: () => import('./views/craving.js'), name: 'Craving' },
  used: { load: () => import('./views/used.js'), name: 'Used' },
  crisis: { load: () => import('./views/crisis.js'), name: 'Crisis' },
  plan: { load: () => import('./views/plan.js'), name: 'Plan', account: true },
  family: { load: () => import('./views/family.js'), name: 'Family', account: true },
  // #/article/<slug>
  article: { load: () => import('./views/article.js'), name: 'Article', account: true, param: true },
  waiting: { load: () => import('./views/waiting.js'), name: 'Waiting', account: true },
  // "Summary for my talk", from Follow-up
  summary: { load: () => import('./views/summary.js'), name: 'Summary', account: true },
  money: { load: () => import('./views/money.js'), name: 'Money', account: true }, // money not spent
  supporters: { load: () => import('./views/supporters.js'), name: 'Supporters', account: true },
  insights: { load: () => import('./views/insights.js'), name: 'Insights', account: true }, // my patterns
};

const views = new Map(); // route → its view, once its module has loaded
const loading = new Set();

// The route's view, or null while its module loads (the screen is drawn again when it has).
function viewFor(route) {
  if (views.has(route)) return views.get(route);
  if (!loading.has(route)) {
    loading.add(route);
    ROUTES[route].load()
      .then((module) => {
        views.set(route, module[ROUTES[route].name]);
        if (state.route === route) draw();
      })
      .catch(() => {
        // Offline before the service worker had the file: say so; a later visit tries again.
        if (state.route === route) actions.announce(i18n.t('errors.network'));
      })
      .finally(() => loading.delete(route));
  }
  return null;
}

// The push subscription, sent again at every start. Only with notifications allowed can there
// be one, so push.js is not even loaded otherwise (a first visit does without it).
function resendSubscription() {
  if (!('Notification' in self) || Notification.permission !== 'granted') return Promise.resolve(false);
  return import('./push.js').then((push) => push.resendSubscription());
}

function Loading() {
  return html`<p class="loading" aria-busy="true"></p>`;
}

const state = {
  ready: false,
  route: null,
  param: null, // the part after the route for screens that take one (#/article/<slug>)
  token: null,
  me: null, // the profile from GET /api/me
  lang: 'en',
  online: navigator.onLine,
  status: '', // the latest message for the aria-live region
};

const root = document.getElementById('app');
let focusedRoute = null;
let statusTimer = null;

function setState(changes) {
  Object.assign(state, changes);
  draw();
}

function draw() {
  const view = viewFor(ROUTES[state.route] ? state.route : 'welcome');
  render(html`<${Shell} state=${state} actions=${actions} view=${view ?? Loading} />`, root);
  if (!view) return;
  // Move focus to the new screen's heading so screen-reader and keyboard users start there.
  // Not on the very first screen, where the browser's own start position is the right one.
  const place = `${state.route}/${state.param ?? ''}`;
  if (place !== focusedRoute) {
    if (focusedRoute !== null) root.querySelector('main h1')?.focus();
    focusedRoute = place;
  }
}

// --- routing ----------------------------------------------------------------------------

function routeFromHash() {
  const match = /^#\/([\w-]+)/.exec(location.hash);
  return match && ROUTES[match[1]] ? match[1] : null;
}

// The parameter of a route that takes one: '#/article/talking-about-drugs' → the slug.
function paramFromHash() {
  const match = /^#\/[\w-]+\/([\w-]+)$/.exec(location.hash);
  return match ? match[1] : null;
}

// Picks the screen this person may see for the wanted route.
function allowed(route) {
  const wanted = ROUTES[route] ? route : null;
  if (!state.token) return wanted && !ROUTES[wanted].account ? wanted : 'welcome';
  if (!wanted || ROUTES[wanted].onboarding) return 'home';
  return wanted;
}

// allowed() before the state knows the token.
function allowedAtStart(route, token) {
  const wanted = route ?? (token ? 'home' : 'welcome');
  if (!token) return ROUTES[wanted].account ? 'welcome' : wanted;
  return ROUTES[wanted].onboarding ? 'home' : wanted;
}

function go(route, { replace = false, param = null } = {}) {
  const target = allowed(route);
  const kept = target === route && ROUTES[target].param ? param : null;
  // A route may carry a parameter after it (#/meeting/<id>, #/article/<slug>); keep it when
  // staying there.
  let hash = `#/${target}`;
  if (kept) hash = `#/${target}/${kept}`;
  else if (location.hash.startsWith(`#/${target}/`)) hash = location.hash;
  if (location.hash !== hash) {
    if (replace) history.replaceState(null, '', hash);
    else history.pushState(null, '', hash);
  }
  setState({ route: target, param: kept, status: target === state.route ? state.status : '' });
}

function onHashChange() {
  // In-page anchors such as the skip link's #main are not routes.
  if (!location.hash.startsWith('#/')) return;
  go(routeFromHash() ?? 'home', { replace: true, param: paramFromHash() });
}

// --- account ----------------------------------------------------------------------------

async function loadProfile() {
  try {
    const me = await api.getMe();
    await store.set('profile', me);
    return me;
  } catch (error) {
    if (error.status === 401) return null; // forgetAccount already ran
    // Offline and nothing cached by the service worker: the last profile we saw will do.
    return (await store.get('profile')) ?? null;
  }
}

async function applyProfile(me) {
  if (!me) return;
  state.me = me;
  if (i18n.isLanguage(me.locale) && me.locale !== i18n.currentLanguage()) {
    state.lang = await i18n.setLanguage(me.locale);
    await store.set('locale', state.lang);
  }
}

const actions = {
  navigate(route, param = null) {
    go(route, { param });
  },

  // Whether a screen exists, so views link only to screens this build has.
  hasRoute(route) {
    return Boolean(ROUTES[route]);
  },

  announce(message) {
    clearTimeout(statusTimer);
    // Clear first, so that the same message twice is still announced twice.
    setState({ status: '' });
    setTimeout(() => setState({ status: message }), 50);
    statusTimer = setTimeout(() => setState({ status: '' }), 10_000);
  },

  // After creating or recovering an account: keep the token, then fetch the profile.
  async signIn(token) {
    await api.clearApiCache();
    await store.set('token', token);
    api.setToken(token);
    state.token = token;
    await applyProfile(await loadProfile());
    draw();
    resendSubscription().catch(() => {});
  },

  // Switches the language at once; with an account, also saves it on the server.
  async setLanguage(code) {
    const lang = await i18n.setLanguage(code);
    await store.set('locale', lang);
    setState({ lang });
    if (state.token && state.me?.locale !== lang) await actions.updateProfile({ locale: lang });
  },

  async updateProfile(changes) {
    const me = await api.updateMe(changes);
    await store.set('profile', me);
    setState({ me });
    return me;
  },

  // Forget the account on this device: token, profile, outbox and cached API answers.
  async forgetAccount(messageKey) {
    api.setToken(null);
    state.token = null; // first, so that a second 401 arriving meanwhile does nothing
    state.me = null;
    await store.wipe();
    await api.clearApiCache();
    await store.set('locale', state.lang);
    go('welcome');
    if (messageKey) actions.announce(i18n.t(messageKey));
  },
};

// --- boot -------------------------------------------------------------------------------

async function boot() {
  api.setUnauthorizedHandler(() => {
    if (state.token) actions.forgetAccount('errors.session_ended');
  });

  const [token, savedLang, profile] = await Promise.all([
    store.get('token'), store.get('locale'), store.get('profile'),
  ]).catch(() => [null, null, null]);
  // Start loading the first screen's module now, beside the translations.
  viewFor(allowedAtStart(routeFromHash(), token));

  state.lang = await i18n.setLanguage(profile?.locale ?? savedLang ?? i18n.pickLanguage());
  if (token) {
    api.setToken(token);
    state.token = token;
    state.me = profile ?? null;
  }

  window.addEventListener('hashchange', onHashChange);
  window.addEventListener('online', () => setState({ online: true }));
  window.addEventListener('offline', () => setState({ online: false }));

  state.ready = true;
  go(routeFromHash() ?? (token ? 'home' : 'welcome'), { replace: true, param: paramFromHash() });

  if (token) {
    await applyProfile(await loadProfile());
    if (state.token) draw();
  }
  registerServiceWorker();
  // Re-send the push subscription at every start (quietly: the app works without it).
  if (state.token) resendSubscription().catch(() => {});
  // Writes made offline (check-ins, my plan…): sent now, on the `online` event and by
  // Background Sync.
  outbox.onRefused((entries) => actions.announce(i18n.t('common.outbox_refused', { count: entries.length })));
  outbox.start().catch(() => {});
}

function registerServiceWorker() {
  if (!('serviceWorker' in navigator)) return;
  // A module worker, to share store.js (Chromium 91, Safari 15, Firefox 147 on).
  navigator.serviceWorker.register('/sw.js', { scope: '/', type: 'module' }).catch(() => {
    // The app works without it; only offline use and notifications need it.
  });
}

boot();
