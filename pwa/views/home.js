// home.js: the home screen (#/home): a greeting and a column of cards, drug-free days first, so
// the streak (or the start-date question) and today's check-in are on the first screenful of a
// phone; the greeting's kind words close the screen instead of pushing them down.
//
// Each card is one module in views/cards/ exporting {id, render(context), shows?(context)}.
// To add a card, write its module and put it in CARDS (and in sw.js's APP_SHELL list).

import { html, useEffect, useState } from './html.js';
import { hourIn, t } from '../i18n.js';
import * as recovery from '../recovery.js';
import { Title } from './parts.js';
import welcomeCard from './cards/welcome.js';
import helpCard from './cards/help.js';
import followupCard from './cards/followup.js';
import progressCard from './cards/progress.js';
import meetingsCard from './cards/meetings.js';
import clinicCard from './cards/clinic.js';
import familyCard from './cards/family.js';
import planCard from './cards/plan.js';
import waitingCard from './cards/waiting.js';
import supportersCard from './cards/supporters.js';

// The family card shows for relatives only, and is their way in, so it comes first.
const CARDS = [
  familyCard, progressCard, clinicCard, meetingsCard, followupCard, welcomeCard, helpCard,
  waitingCard, planCard, supportersCard,
];

function greetingKey(hour) {
  if (hour >= 5 && hour < 12) return 'home.greeting_morning';
  if (hour >= 12 && hour < 18) return 'home.greeting_afternoon';
  return 'home.greeting_evening';
}

// The cards under drug-free days wait until its numbers are in (3 s at most): drawn at once,
// they jumped down when the card grew, and a thumb about to tap one would hit another.
const SETTLE_MS = 3000;

function useProgressSettled() {
  const [settled, setSettled] = useState(recovery.snapshot().loaded);
  useEffect(() => {
    if (settled) return undefined;
    const unsubscribe = recovery.subscribe((current) => { if (current.loaded) setSettled(true); });
    const timer = setTimeout(() => setSettled(true), SETTLE_MS);
    return () => { unsubscribe(); clearTimeout(timer); };
  }, []);
  return settled;
}

export function Home({ state, actions }) {
  const me = state.me;
  const role = me?.role === 'relative' ? 'relative' : 'self';
  const context = { state, actions, me, role };
  const settled = useProgressSettled();
  let cards = CARDS.filter((card) => !card.shows || card.shows(context));
  const progress = cards.findIndex((card) => card.id === 'progress');
  if (!settled && progress >= 0) cards = cards.slice(0, progress + 1);
  return html`
    <div class="screen screen--home" data-role=${role}>
      <${Title}>${t(greetingKey(hourIn(me?.timezone)))}<//>
      <ul class="cards">
        ${cards.map((card) => html`
          <li key=${card.id} class=${`cards__item cards__item--${card.id}`}>${card.render(context)}</li>`)}
      </ul>
      ${settled && html`<p class="lead lead--closing">${t(`home.lead_${role}`)}</p>`}
    </div>`;
}
