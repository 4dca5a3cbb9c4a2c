// The follow-up card on home: the check-up that is due now, or when the next one is.

import { html, useEffect, useState } from '../html.js';
import * as api from '../../api.js';
import { formatDate, t } from '../../i18n.js';

function FollowupCard({ lang }) {
  const [followups, setFollowups] = useState(null);

  useEffect(() => {
    api.getFollowups().then((body) => setFollowups(body.followups)).catch(() => setFollowups([]));
  }, [lang]);

  const due = followups?.find((f) => f.status === 'due');
  const next = followups?.find((f) => f.status === 'upcoming');
  return html`
    <section class="card card--followup" aria-labelledby="card-followup-title">
      <h2 id="card-followup-title" class="card__title">${t('scales.card.title')}</h2>
      ${due && html`<p>${t('scales.card.due', { label: due.label })}</p>`}
      ${!due && next && html`<p>${t('scales.card.next', { label: next.label, date: formatDate(next.due_date) })}</p>`}
      ${!due && !next && html`<p>${t('scales.card.none')}</p>`}
      <div class="card__actions">
        ${due && html`<a class="button" href="#/checkup">${t('scales.start_checkup')}</a>`}
        <a class=${due ? 'button button--secondary' : 'button'} href="#/scales">
          ${t('scales.card.open')}
        </a>
      </div>
    </section>`;
}

export default {
  id: 'followup',
  render({ state }) {
    return html`<${FollowupCard} lang=${state.lang} />`;
  },
};
