// The relatives' card: the way into their own home of advice, check-up and family groups.

import { html } from '../html.js';
import { t } from '../../i18n.js';

export default {
  id: 'family',
  shows: ({ role }) => role === 'relative',
  render() {
    return html`
      <section class="card" aria-labelledby="card-family-title">
        <h2 id="card-family-title" class="card__title">${t('family.card.title')}</h2>
        <p>${t('family.card.text')}</p>
        <div class="card__actions">
          <a class="button" href="#/family">${t('family.card.open')}</a>
        </div>
      </section>`;
  },
};
