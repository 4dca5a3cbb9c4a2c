// The help card: always on home, so the emergency number is one glance away.

import { html } from '../html.js';
import { t } from '../../i18n.js';

export default {
  id: 'help',
  render() {
    return html`
      <section class="card card--help" aria-labelledby="card-help-title">
        <h2 id="card-help-title" class="card__title">${t('home.help_card.title')}</h2>
        <p>${t('home.help_card.text')}</p>
        <div class="card__actions">
          <a class="button button--urgent" href="tel:112">${t('help.call_112')}</a>
          <a class="button button--secondary" href="#/help">${t('home.help_card.more')}</a>
        </div>
      </section>`;
  },
};
