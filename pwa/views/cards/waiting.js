// The waiting card (people in recovery): asks whether they wait for treatment; in waiting-list
// mode it shows short guidance and the way to say that treatment has started.

import { html, useEffect, useState } from '../html.js';
import { t } from '../../i18n.js';
import { loadTreatment } from '../../treatment-data.js';
import { WaitingGuidance } from '../waiting.js';

function WaitingCard({ actions }) {
  const [treatment, setTreatment] = useState(null);

  useEffect(() => {
    loadTreatment().then(setTreatment);
  }, []);

  const waiting = treatment?.status === 'waiting';
  return html`
    <section class="card" aria-labelledby="card-waiting-title" data-testid="waiting-card">
      <h2 id="card-waiting-title" class="card__title">
        ${t(waiting ? 'waiting.card.title_waiting' : 'waiting.card.title')}
      </h2>
      ${waiting
        ? html`<${WaitingGuidance} actions=${actions} compact=${true} />`
        : html`<p>${t('waiting.card.text')}</p>`}
      <div class="card__actions">
        <a class="button button--secondary" href="#/waiting">
          ${t(waiting ? 'waiting.card.started' : 'waiting.card.open')}
        </a>
      </div>
    </section>`;
}

export default {
  id: 'waiting',
  shows: ({ role }) => role === 'self',
  render({ actions }) {
    return html`<${WaitingCard} actions=${actions} />`;
  },
};
