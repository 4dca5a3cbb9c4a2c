// used.js: "I used" (#/used): no shame, what to do next, and a way to note it in today's
// check-in. A slip never deletes history: past streaks and totals stay.

import { html, useEffect, useState } from './html.js';
import { t } from '../i18n.js';
import { checkIn, checkinsBetween, waitingCheckin } from '../recovery.js';
import { todayIn } from '../dates.js';
import { emptyPlan, loadPlan } from '../plan-data.js';
import { CallMyPerson } from './my-plan-lists.js';
import { ErrorMessage, Title, errorText } from './parts.js';
import { EmergencyCall } from './help-lines.js';

// Notes use on today's check-in, keeping what the day's check-in already says (mood, craving…):
// the one waiting in the outbox if there is one (it would otherwise be replaced), else the server's.
async function noteUseToday(timeZone) {
  const day = todayIn(timeZone);
  let existing = await waitingCheckin(day);
  try {
    existing ??= (await checkinsBetween(day, day))[0];
  } catch {
    // Offline or nothing yet: record the use alone; the rest can be added later.
  }
  existing ??= {};
  const checkin = { used: true };
  for (const field of ['craving', 'mood', 'note']) {
    if (existing[field] !== undefined && existing[field] !== null) checkin[field] = existing[field];
  }
  if (Array.isArray(existing.substances) && existing.substances.length) {
    checkin.substances = existing.substances;
  }
  return checkIn(day, checkin);
}

function NoteIt({ state, actions }) {
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  async function note() {
    setBusy(true);
    setError('');
    try {
      const { sent } = await noteUseToday(state.me?.timezone);
      setDone(true);
      actions.announce(t(sent ? 'help.used.noted' : 'help.used.noted_offline'));
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setBusy(false);
    }
  }

  return html`
    <section class="panel" aria-labelledby="used-note">
      <h2 id="used-note" class="subtitle">${t('help.used.note_heading')}</h2>
      <p>${t('help.used.history_kept')}</p>
      ${done
        ? html`<p class="success" role="status">${t('help.used.noted')}</p>`
        : html`<button type="button" class="button" disabled=${busy} onClick=${note}>${t('help.used.note_button')}</button>`}
      <${ErrorMessage} id="used-error" message=${error} />
      ${actions.hasRoute?.('checkin') && html`
        <p class="aside-link"><a href="#/checkin">${t('help.used.open_checkin')}</a></p>`}
    </section>`;
}

export function Used({ state, actions }) {
  const [plan, setPlan] = useState(emptyPlan());

  useEffect(() => {
    if (state.token) loadPlan().then(({ plan: loaded }) => setPlan(loaded)).catch(() => {});
  }, []);

  return html`
    <div class="screen screen--used">
      <${Title}>${t('help.used.title')}<//>
      <p class="lead">${t('help.used.lead')}</p>
      <section class="panel panel--urgent" aria-labelledby="used-safety">
        <h2 id="used-safety" class="subtitle">${t('help.used.safety_heading')}</h2>
        <p>${t('help.used.safety_text')}</p>
        ${state.me?.country === 'NO' && html`<p>${t('home.help_card.text_norway')}</p>`}
        <p><${EmergencyCall} state=${state} /></p>
      </section>
      <section class="panel" aria-labelledby="used-next">
        <h2 id="used-next" class="subtitle">${t('help.used.next_heading')}</h2>
        <ol class="steps">
          <li>${t('help.used.step_care')}</li>
          <li>${t('help.used.step_kind')}</li>
          <li>${t('help.used.step_reach')}</li>
          <li>${t('help.used.step_learn')} <a href="#/plan">${t('help.used.to_plan')}</a></li>
          <li>${t('help.used.step_tomorrow')}</li>
        </ol>
      </section>
      ${state.token && html`<${NoteIt} state=${state} actions=${actions} />`}
      ${state.token && html`<${CallMyPerson} plan=${plan} />`}
    </div>`;
}
