// The first card on home: a few warm words, different for relatives.

import { html } from '../html.js';
import { t } from '../../i18n.js';

export default {
  id: 'welcome',
  render({ role }) {
    return html`
      <section class="card" aria-labelledby="card-welcome-title">
        <h2 id="card-welcome-title" class="card__title">${t(`home.welcome_card.title_${role}`)}</h2>
        <p>${t(`home.welcome_card.text_${role}`)}</p>
      </section>`;
  },
};
