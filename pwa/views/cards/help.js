// The help card: always on home, so the emergency number is one glance away (113 in Norway,
// where 112 is the police).

import { html } from '../html.js';
import { t } from '../../i18n.js';
import { EmergencyCall } from '../help-lines.js';

export default {
  id: 'help',
  render({ state }) {
    return html`
      <section class="card card--help" aria-labelledby="card-help-title">
        <h2 id="card-help-title" class="card__title">${t('home.help_card.title')}</h2>
        <p>${t(state?.me?.country === 'NO' ? 'home.help_card.text_norway' : 'home.help_card.text')}</p>
        <div class="card__actions">
          <${EmergencyCall} state=${state} />
          <a class="button button--secondary" href="#/help">${t('home.help_card.more')}</a>
        </div>
      </section>`;
  },
};
