// shell.js: what every screen shares — skip link, header with navigation, the main area,
// the offline notice and the aria-live status line.

import { html } from './html.js';
import { t } from '../i18n.js';
import { Icon } from './icons.js';

// The navigation, in order. Later screens (meetings, check-up) add a line here.
// `account: true` items are shown only once the person has an account.
const NAV = [
  { route: 'home', label: 'nav.home', icon: 'home', account: true },
  { route: 'scales', label: 'scales.nav', icon: 'chart', account: true },
  { route: 'meetings', label: 'meetings.nav', icon: 'meetings', account: true },
  { route: 'help', label: 'nav.help', icon: 'help' },
  { route: 'reminders', label: 'nav.reminders', icon: 'bell', account: true },
  { route: 'settings', label: 'nav.settings', icon: 'settings', account: true },
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

function skipToMain(event) {
  event.preventDefault();
  document.querySelector('main h1')?.focus();
}

function Nav({ state }) {
  const onboarding = state.route === 'welcome' || state.route === 'recover';
  const items = NAV.filter((item) => !item.account || (state.token && !onboarding));
  // "page" for the screen itself; "true" for the section a detail screen belongs to.
  const current = (route) =>
    state.route === route ? 'page' : SECTION[state.route] === route ? 'true' : undefined;
  return html`
    <nav class="app-nav" aria-label=${t('nav.label')}>
      <ul>
        ${items.map((item) => html`
          <li key=${item.route}>
            <a href=${`#/${item.route}`} class="app-nav__link"
               aria-current=${current(item.route)}>
              <${Icon} name=${item.icon} />
              <span>${t(item.label)}</span>
            </a>
          </li>`)}
      </ul>
    </nav>`;
}

export function Shell({ state, actions, view: View }) {
  if (!state.ready) return null;
  return html`
    <a class="skip-link" href="#main" onClick=${skipToMain}>${t('common.skip_link')}</a>
    <header class="app-header">
      <div class="app-header__inner">
        <a class="brand" href=${state.token ? '#/home' : '#/welcome'}>
          <img class="brand__mark" src="/icons/favicon-32.png" alt="" width="32" height="32" />
          <span>${t('common.app_name')}</span>
        </a>
        <${Nav} state=${state} />
      </div>
    </header>
    ${!state.online && html`<p class="offline-notice">${t('common.offline_notice')}</p>`}
    <main id="main" class="app-main" tabindex="-1">
      <${View} key=${state.route} state=${state} actions=${actions} />
    </main>
    <p class="status" role="status" aria-live="polite">${state.status}</p>`;
}
