// shell.js: what every screen shares — skip link, a header (the name, reminders and settings),
// the main area, a tab bar at the bottom (where a thumb reaches), the offline notice and the
// aria-live status line.

import { html } from './html.js';
import { t } from '../i18n.js';
import { Icon } from './icons.js';

// The tab bar, in order: at most five, as phone apps have them. Reminders and settings are
// reached from the header. `account: true` items are shown only once there is an account.
const NAV = [
  { route: 'home', label: 'nav.home', icon: 'home', account: true },
  { route: 'meetings', label: 'meetings.nav', icon: 'meetings', account: true },
  { route: 'scales', label: 'scales.nav', icon: 'chart', account: true },
  { route: 'help', label: 'nav.help', icon: 'help' },
];

// Sharp on a 3× screen, and under the same versioned path as this module (cached for a year).
const BRAND_MARK = new URL('../icons/apple-touch-icon.png', import.meta.url).href;

// In the header, as icons with their names for screen readers (and as a tooltip).
const HEADER_LINKS = [
  { route: 'reminders', label: 'nav.reminders', icon: 'bell' },
  { route: 'settings', label: 'nav.settings', icon: 'settings' },
];

// Screens reached from a navigation item keep that item marked as the current page, so the
// person can see where they are (a meeting's detail is still "Meetings").
const SECTION = {
  meeting: 'meetings',
  checkin: 'home',
  history: 'home',
  checkup: 'scales',
  craving: 'help',
  used: 'help',
  crisis: 'help',
  plan: 'help',
};

// "page" for the screen itself; "true" for the section a detail screen belongs to.
function currentFor(state, route) {
  if (state.route === route) return 'page';
  return SECTION[state.route] === route ? 'true' : undefined;
}

function skipToMain(event) {
  event.preventDefault();
  document.querySelector('main h1')?.focus();
}

function hasAccount(state) {
  return Boolean(state.token) && state.route !== 'welcome' && state.route !== 'recover';
}

// The tab bar. After <main> in the page, as it is on screen, so focus goes header → screen → tabs.
function TabBar({ state }) {
  return html`
    <nav class="tab-bar" aria-label=${t('nav.label')}>
      <ul class="tab-bar__list">
        ${NAV.map((item) => html`
          <li key=${item.route} class="tab-bar__item">
            <a href=${`#/${item.route}`} class="tab-bar__link"
               aria-current=${currentFor(state, item.route)}>
              <${Icon} name=${item.icon} />
              <span class="tab-bar__label">${t(item.label)}</span>
            </a>
          </li>`)}
      </ul>
    </nav>`;
}

function HeaderLinks({ state }) {
  const links = hasAccount(state) ? HEADER_LINKS : [{ route: 'help', label: 'nav.help', icon: 'help' }];
  return html`
    <nav class="header-links" aria-label=${t('nav.header_label')}>
    <ul class="header-links__list">
      ${links.map((item) => html`
        <li key=${item.route}>
          <a href=${`#/${item.route}`} class="header-links__link" title=${t(item.label)}
             aria-current=${currentFor(state, item.route)}>
            <${Icon} name=${item.icon} />
            <span class=${hasAccount(state) ? 'visually-hidden' : 'header-links__text'}>${t(item.label)}</span>
          </a>
        </li>`)}
    </ul>
    </nav>`;
}

export function Shell({ state, actions, view: View }) {
  if (!state.ready) return null;
  const tabs = hasAccount(state);
  return html`
    <a class="skip-link" href="#main" onClick=${skipToMain}>${t('common.skip_link')}</a>
    <header class="app-header">
      <div class="app-header__inner">
        <a class="brand" href=${state.token ? '#/home' : '#/welcome'}>
          <img class="brand__mark" src=${BRAND_MARK} alt="" width="32" height="32" />
          <span>${t('common.app_name')}</span>
        </a>
        <${HeaderLinks} state=${state} />
      </div>
    </header>
    ${!state.online && html`<p class="offline-notice">${t('common.offline_notice')}</p>`}
    <main id="main" class=${tabs ? 'app-main app-main--tabs' : 'app-main'} tabindex="-1">
      <${View} key=${state.route} state=${state} actions=${actions} />
    </main>
    ${tabs && html`<${TabBar} state=${state} />`}
    <p class=${tabs ? 'status status--tabs' : 'status'} role="status" aria-live="polite">${state.status}</p>`;
}
