// The "My plan" card (people in recovery): the way into the relapse-prevention plan.

import { html } from '../html.js';
import { t } from '../../i18n.js';

export default {
  id: 'plan',
  shows: ({ role }) => role === 'self',
  render() {
    return html`
      <section class="card" aria-labelledby="card-plan-title">
        <h2 id="card-plan-title" class="card__title">${t('plan.card.title')}</h2>
        <p>${t('plan.card.text')}</p>
        <div class="card__actions">
          <a class="button button--secondary" href="#/plan">${t('plan.card.open')}</a>
        </div>
      </section>`;
  },
};
