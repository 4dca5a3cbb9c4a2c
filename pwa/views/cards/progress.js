// The drug-free-days card on home: the streak, the next milestone, totals, a one-tap check-in
// for today and the last 30 days, where a tap on one of the last days checks in for it.

import { html, useEffect, useId, useState } from '../html.js';
import { formatDate, formatMoney, t } from '../../i18n.js';
import * as recovery from '../../recovery.js';
import { todayIn } from '../../dates.js';
import { ErrorMessage, errorText } from '../parts.js';
import {
  Celebration, DayMark, Legend, NextMilestone, RelapseMessage, Streak, dayLabel, withWaiting,
} from '../recovery-parts.js';

export function useRecovery() {
  const [data, setData] = useState(recovery.snapshot());
  useEffect(() => {
    const unsubscribe = recovery.subscribe(setData);
    recovery.refresh().catch(() => {});
    return unsubscribe;
  }, []);
  return data;
}

function StartDate({ today, actions }) {
  const id = useId();
  const [value, setValue] = useState(today);
  const [error, setError] = useState('');

  async function save(event) {
    event.preventDefault();
    setError('');
    try {
      await recovery.setStartDate(value);
      actions.announce(t('recovery.start.saved'));
    } catch (failure) {
      setError(failure.status === 400 ? t('recovery.start.invalid') : errorText(failure));
    }
  }

  return html`
    <form class="start-date" onSubmit=${save}>
      <p>${t('recovery.start.question')}</p>
      <div class="field">
        <label for=${`${id}-start`}>${t('recovery.start.label')}</label>
        <input id=${`${id}-start`} type="date" name="start_date" required max=${today} value=${value}
          aria-invalid=${error ? 'true' : undefined} aria-describedby=${error ? `${id}-error` : undefined}
          onInput=${(e) => setValue(e.currentTarget.value)} />
      </div>
      <${ErrorMessage} id=${`${id}-error`} message=${error} />
      <button type="submit" class="button">${t('recovery.start.save')}</button>
    </form>`;
}

// "Did you use today?" answered with one tap; details can be added afterwards.
function TodayCheckin({ today, status, actions, onUsed }) {
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  async function answer(used) {
    setBusy(true);
    setError('');
    try {
      const { sent, progress } = await recovery.checkIn(today, { used });
      actions.announce(t(sent ? 'recovery.checkin.saved' : 'recovery.checkin.saved_offline'));
      if (used) onUsed(progress);
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setBusy(false);
    }
  }

  function details() {
    recovery.choose(today);
    actions.navigate('checkin');
  }

  if (status === 'drug_free' || status === 'used' || status === 'waiting') {
    return html`
      <div class="today-checkin today-checkin--done">
        <p><${DayMark} status=${status} /> ${t(`recovery.checkin.today_${status}`)}</p>
        <button type="button" class="button button--secondary" onClick=${details}>
          ${t('recovery.checkin.add_details')}</button>
      </div>`;
  }
  return html`
    <fieldset class="today-checkin" disabled=${busy}>
      <legend class="today-checkin__question">${t('recovery.checkin.question_today')}</legend>
      <div class="actions">
        <button type="button" class="button" data-testid="checkin-no" onClick=${() => answer(false)}>
          ${t('recovery.checkin.no')}</button>
        <button type="button" class="button button--secondary" data-testid="checkin-yes"
          onClick=${() => answer(true)}>${t('recovery.checkin.yes')}</button>
      </div>
      <${ErrorMessage} message=${error} />
    </fieldset>`;
}

export function DayStrip({ days, today, actions }) {
  function open(day) {
    recovery.choose(day);
    actions.navigate('checkin');
  }
  return html`
    <ol class="day-strip" aria-label=${t('recovery.strip_label')}>
      ${days.map((d) => {
        const label = dayLabel(d.date, d.status);
        const number = Number(d.date.slice(8));
        const content = html`<${DayMark} status=${d.status} /><span aria-hidden="true">${number}</span>`;
        return html`
          <li key=${d.date} class=${`day day--${d.status}${d.date === today ? ' day--today' : ''}`}>
            ${recovery.canBackdate(d.date, today)
              ? html`<button type="button" class="day__button" aria-label=${label}
                  data-date=${d.date} onClick=${() => open(d.date)}>${content}</button>`
              : html`<span class="day__static" role="img" aria-label=${label}>${content}</span>`}
          </li>`;
      })}
    </ol>`;
}

function Waiting({ waiting }) {
  if (!waiting.length) return null;
  return html`
    <div class="waiting" data-testid="waiting">
      <p>${t('recovery.waiting', { count: waiting.length })}</p>
      <ul>
        ${waiting.map((w) => html`<li key=${w.date}>
          ${formatDate(w.date, { weekday: 'long', day: 'numeric', month: 'long' })}</li>`)}
      </ul>
    </div>`;
}

function ProgressCard({ state, actions }) {
  const { progress, waiting, loaded } = useRecovery();
  const [relapse, setRelapse] = useState(null);
  const [milestone, setMilestone] = useState(null);
  const today = todayIn(state.me?.timezone);

  useEffect(() => {
    let live = true;
    recovery.milestoneToCelebrate(progress).then((days) => { if (live) setMilestone(days); });
    return () => { live = false; };
  }, [progress?.streak_start, progress?.milestones_reached?.length]);

  async function doneCelebrating() {
    await recovery.celebrated(progress);
    setMilestone(null);
  }

  const recent = progress?.recent ?? [];
  const days = withWaiting(recent, waiting);
  const todayStatus = days.find((d) => d.date === today)?.status
    ?? (waiting.some((w) => w.date === today) ? 'waiting' : 'none');

  return html`
    <section class="card card--progress" aria-labelledby="card-progress-title">
      <h2 id="card-progress-title" class="card__title">${t('recovery.card.title')}</h2>
      ${!loaded && !progress && html`<p>${t('recovery.loading')}</p>`}
      ${loaded && !progress && html`<p>${t('recovery.unavailable')}</p>`}
      ${milestone && html`<${Celebration} days=${milestone} onDone=${doneCelebrating} />`}
      ${progress && !progress.start_date && html`<${StartDate} today=${today} actions=${actions} />`}
      ${progress?.start_date && html`
        <${Streak} progress=${progress} />
        <${NextMilestone} progress=${progress} />
        <dl class="stats">
          <div><dt>${t('recovery.total')}</dt><dd>${t('recovery.day_count', { count: progress.drug_free_days_total })}</dd></div>
          <div><dt>${t('recovery.longest')}</dt><dd>${t('recovery.day_count', { count: progress.longest_streak_days })}</dd></div>
          ${progress.money_saved && html`
            <div class="stats__money"><dt>${t('motivation.money.saved')}</dt>
              <dd>${formatMoney(progress.money_saved)}</dd></div>`}
        </dl>`}
      ${relapse
        ? html`<${RelapseMessage} progress=${relapse} onDone=${() => setRelapse(null)} />`
        : progress && html`<${TodayCheckin} today=${today} status=${todayStatus} actions=${actions}
            onUsed=${(p) => setRelapse(p ?? {})} />`}
      ${days.length > 0 && html`
        <h3 class="card__subtitle">${t('recovery.strip_title')}</h3>
        <p class="hint">${t('recovery.strip_hint')}</p>
        <${DayStrip} days=${days} today=${today} actions=${actions} />
        <${Legend} />`}
      <${Waiting} waiting=${waiting} />
      <p class="card__actions">
        <a class="button button--secondary" href="#/history">${t('recovery.calendar_link')}</a>
        <a class="button button--secondary" href="#/insights">${t('motivation.insights.link')}</a>
        ${progress?.start_date && html`<a class="button button--secondary" href="#/money">
          ${t(progress.money_saved ? 'motivation.money.change_link' : 'motivation.money.link')}</a>`}
      </p>
    </section>`;
}

export default {
  id: 'progress',
  shows: ({ role }) => role === 'self',
  render(context) {
    return html`<${ProgressCard} state=${context.state} actions=${context.actions} />`;
  },
};
