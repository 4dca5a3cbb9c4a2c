// supporters.js: a supporter (#/supporters). The person invites someone with a one-time code
// and chooses what they may see (milestones, and the streak if they like); a supporter enters the
// code in their own Fotfeste, sees only that, and can send a few fixed encouragements. Either
// side ends it at once. No free text ever passes between the two.

import { html, useEffect, useState } from './html.js';
import * as api from '../api.js';
import * as more from '../api-more.js';
import { formatDate, formatRelative, t } from '../i18n.js';
import { ErrorMessage, errorText, Title } from './parts.js';

export const KINDS = ['proud', 'thinking_of_you', 'here_for_you'];

/** One person a supporter supports: what they share, and the encouragement buttons. */
export function PersonSupported({ person, onChanged, actions, compact = false }) {
  const [error, setError] = useState('');
  // 404: the person ended the link meanwhile. Say so, and read the list again.
  function failed(failure) {
    if (failure.status === 404) {
      setError(t('supporters.ended_them'));
      onChanged();
    } else {
      setError(errorText(failure));
    }
  }
  async function send(kind) {
    setError('');
    try {
      await more.sendEncouragement(person.id, kind);
      actions.announce(t('supporters.sent'));
    } catch (failure) {
      failed(failure);
    }
  }
  async function stop() {
    try {
      await more.endSupporting(person.id);
      onChanged();
    } catch (failure) {
      failed(failure);
    }
  }
  if (person.ended) {
    return html`<li class="supported supported--ended"><p>${t('supporters.ended_them')}</p></li>`;
  }
  const reached = person.milestones_reached.at(-1);
  return html`
    <li class="supported">
      <p class="supported__news">
        ${reached ? t('supporters.reached', { count: reached }) : t('supporters.reached_none')}
        ${person.next_milestone && html` ${t('supporters.next', {
          count: person.next_milestone.days, date: formatDate(person.next_milestone.date) })}`}
      </p>
      ${person.current_streak_days !== undefined && html`
        <p>${t('supporters.streak', { count: person.current_streak_days })}</p>`}
      <div class="actions" role="group" aria-label=${t('supporters.send_label')}>
        ${KINDS.map((kind) => html`
          <button key=${kind} type="button" class="button button--secondary"
                  onClick=${() => send(kind)}>${t(`supporters.kind.${kind}`)}</button>`)}
      </div>
      <${ErrorMessage} message=${error} />
      ${!compact && html`<button type="button" class="button button--secondary" onClick=${stop}>
        ${t('supporters.stop_supporting')}</button>`}
    </li>`;
}

function Invite({ onMade }) {
  const [streak, setStreak] = useState(false);
  const [made, setMade] = useState(null);
  const [error, setError] = useState('');
  async function create() {
    setError('');
    try {
      setMade(await more.inviteSupporter(streak ? ['milestones', 'streak'] : ['milestones']));
      onMade();
    } catch (failure) {
      setError(errorText(failure));
    }
  }
  return html`
    <section class="panel" aria-labelledby="invite-title">
      <h2 id="invite-title" class="subtitle">${t('supporters.invite_title')}</h2>
      <p>${t('supporters.invite_text')}</p>
      <fieldset>
        <legend>${t('supporters.shares_legend')}</legend>
        <div class="field--check">
          <input type="radio" class="switch" id="share-milestones" name="shares"
                 checked=${!streak} onChange=${() => setStreak(false)} />
          <label for="share-milestones">${t('supporters.share_milestones')}</label>
        </div>
        <div class="field--check">
          <input type="radio" class="switch" id="share-streak" name="shares"
                 checked=${streak} onChange=${() => setStreak(true)} />
          <label for="share-streak">${t('supporters.share_streak')}</label>
        </div>
      </fieldset>
      <div class="supporters__preview" aria-live="polite">
        <p><strong>${t('supporters.preview_title')}</strong></p>
        <ul>
          <li>${t('supporters.preview_milestones')}</li>
          ${streak && html`<li>${t('supporters.preview_streak')}</li>`}
        </ul>
        <p>${t('supporters.preview_never')}</p>
      </div>
      <${ErrorMessage} message=${error} />
      <button type="button" class="button" onClick=${create}>${t('supporters.create_code')}</button>
      ${made && html`
        <div class="supporters__code" role="status">
          <p>${t('supporters.code_intro')}</p>
          <p class="recovery-code" data-testid="supporter-code">${made.code}</p>
          <p class="hint">${t('supporters.code_valid', {
            date: formatDate(made.expires_at, { dateStyle: 'long', timeStyle: 'short' }) })}</p>
        </div>`}
    </section>`;
}

function Enter({ onAccepted }) {
  const [code, setCode] = useState('');
  const [error, setError] = useState('');
  async function accept(event) {
    event.preventDefault();
    setError('');
    try {
      await more.acceptSupporterCode(code.trim());
      setCode('');
      onAccepted();
    } catch (failure) {
      setError(failure.status === 404 ? t('supporters.code_wrong') : errorText(failure));
    }
  }
  return html`
    <form class="panel" onSubmit=${accept} aria-labelledby="enter-title">
      <h2 id="enter-title" class="subtitle">${t('supporters.enter_title')}</h2>
      <p>${t('supporters.enter_text')}</p>
      <div class="field">
        <label for="supporter-code-input">${t('supporters.code_label')}</label>
        <input id="supporter-code-input" type="text" autocomplete="off" autocapitalize="characters"
               spellcheck="false" value=${code} onInput=${(e) => setCode(e.currentTarget.value)}
               aria-invalid=${error ? 'true' : undefined}
               aria-describedby=${error ? 'supporter-code-error' : undefined} required />
      </div>
      <${ErrorMessage} id="supporter-code-error" message=${error} />
      <button type="submit" class="button">${t('supporters.connect')}</button>
    </form>`;
}

export function Supporters({ actions }) {
  const [data, setData] = useState(null);
  const [error, setError] = useState('');
  async function load() {
    try {
      const [mine, people, received] = await Promise.all([
        more.getSupporters(), api.getSupporting(), more.getEncouragements(),
      ]);
      setData({ supporters: mine.supporters, people: people.people,
        encouragements: received.encouragements });
    } catch (failure) {
      setError(errorText(failure));
    }
  }
  useEffect(() => { load(); }, []);
  async function end(id) {
    try {
      await more.endSupporter(id);
      load();
    } catch (failure) {
      setError(errorText(failure));
    }
  }
  return html`
    <div class="screen screen--supporters">
      <${Title}>${t('supporters.title')}<//>
      <p class="lead">${t('supporters.lead')}</p>
      <${ErrorMessage} message=${error} />
      ${data?.encouragements.length > 0 && html`
        <section class="panel" aria-labelledby="received-title">
          <h2 id="received-title" class="subtitle">${t('supporters.received_title')}</h2>
          <ul class="encouragements">
            ${data.encouragements.map((e, i) => html`<li key=${i}>
              <strong>${t(`supporters.kind.${e.kind}`)}</strong>
              <span class="hint"> · ${formatRelative(e.at, { smallest: 'minute' })}</span></li>`)}
          </ul>
        </section>`}
      <${Invite} onMade=${load} />
      ${data?.supporters.length > 0 && html`
        <section class="panel" aria-labelledby="mine-title">
          <h2 id="mine-title" class="subtitle">${t('supporters.mine_title')}</h2>
          <ul class="supporters">
            ${data.supporters.map((s, i) => html`<li key=${s.id}>
              <p>${t('supporters.supporter_n', { n: data.supporters.length - i })} ·
                ${t(s.shares.includes('streak') ? 'supporters.sees_streak' : 'supporters.sees_milestones')}
                · ${t('supporters.since', { date: formatDate(s.since) })}</p>
              ${s.ended ? html`<p class="hint">${t('supporters.ended')}</p>` : html`
                <button type="button" class="button button--secondary" onClick=${() => end(s.id)}>
                  ${t('supporters.end')}</button>`}
            </li>`)}
          </ul>
        </section>`}
      <${Enter} onAccepted=${load} />
      ${data?.people.length > 0 && html`
        <section class="panel" aria-labelledby="people-title">
          <h2 id="people-title" class="subtitle">${t('supporters.people_title')}</h2>
          <ul class="supported-list">
            ${data.people.map((p) => html`<${PersonSupported} key=${p.id} person=${p}
              onChanged=${load} actions=${actions} />`)}
          </ul>
        </section>`}
    </div>`;
}
