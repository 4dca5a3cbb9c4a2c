// The meetings card on home: meetings attended in the last 30 days, the next favourite meeting,
// and the way to the meeting finder. Regular meetings matter most, so this card is near the top.

import { html, useEffect, useState } from '../html.js';
import { t } from '../../i18n.js';
import { loadFavourites, loadSummary, onSent } from '../../meetings.js';
import { whenLine } from '../meeting-parts.js';

function MeetingsCard({ state }) {
  const [summary, setSummary] = useState(null);
  const [next, setNext] = useState(null);

  async function load() {
    setSummary(await loadSummary());
    try {
      const { meetings } = await loadFavourites();
      setNext(meetings[0] ?? null); // the server lists the soonest first
    } catch {
      setNext(null);
    }
  }

  useEffect(() => {
    load();
    // An "I went" sent from the outbox changes the count: show it.
    return onSent(() => { load(); });
  }, []);

  const count = summary?.last_30_days ?? 0;
  return html`
    <section class="card card--meetings" aria-labelledby="card-meetings-title" data-testid="meetings-card">
      <h2 id="card-meetings-title" class="card__title">${t('meetings.card.title')}</h2>
      <p class="card__figure" data-testid="meetings-attended">
        ${summary ? t('meetings.card.attended', { count }) : t('meetings.card.loading')}
      </p>
      ${summary && count === 0 && html`<p>${t('meetings.card.encourage')}</p>`}
      ${next && html`
        <p>${t('meetings.card.next_favourite')}
          <a href=${`#/meeting/${encodeURIComponent(next.id)}`}>${next.name}</a>,
          ${whenLine(next, state.me?.timezone)}</p>`}
      <div class="card__actions">
        <a class="button" href="#/meetings">${t('meetings.card.find')}</a>
      </div>
    </section>`;
}

export default {
  id: 'meetings',
  shows: ({ role }) => role === 'self' || role === 'relative',
  render(context) {
    return html`<${MeetingsCard} state=${context.state} />`;
  },
};
