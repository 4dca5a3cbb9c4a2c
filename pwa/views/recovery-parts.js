// recovery-parts.js: pieces the drug-free-days screens share — the day marks of the strip and
// the calendar, the streak told in words, warm words after use, and the milestone celebration.

import { html, useEffect, useRef } from './html.js';
import { formatDate, t } from '../i18n.js';

// A day's state as a shape as well as a colour: a tick, a cross, a ring, an hourglass.
const MARKS = {
  drug_free: 'M6 12.5 10 16.5 18 8',
  used: 'M7 7 17 17M17 7 7 17',
  none: 'M12 8.5a3.5 3.5 0 1 0 0 7 3.5 3.5 0 1 0 0-7Z',
  waiting: 'M8 5h8M8 19h8M9 5c0 4 6 5 6 7s-6 3-6 7M15 5c0 4-6 5-6 7',
};

export function DayMark({ status }) {
  return html`
    <svg class=${`day-mark day-mark--${status}`} viewBox="0 0 24 24" width="20" height="20"
         aria-hidden="true" focusable="false">
      <path d=${MARKS[status]} fill="none" stroke="currentColor" stroke-width="2.5"
            stroke-linecap="round" stroke-linejoin="round" />
    </svg>`;
}

export function dayLabel(day, status) {
  const date = formatDate(day, { weekday: 'long', day: 'numeric', month: 'long' });
  return `${date}: ${t(`recovery.status.${status}`)}`;
}

// The status of each day, with check-ins that wait in the outbox shown as waiting.
export function withWaiting(days, waiting) {
  const waitingDates = new Set(waiting.map((w) => w.date));
  return days.map((d) => (waitingDates.has(d.date) ? { ...d, status: 'waiting' } : d));
}

export function Legend() {
  return html`
    <ul class="day-legend">
      ${['drug_free', 'used', 'none', 'waiting'].map((status) => html`
        <li key=${status}><${DayMark} status=${status} /> ${t(`recovery.status.${status}`)}</li>`)}
    </ul>`;
}

// "1 year, 2 months and 3 days" (only the parts that are not zero).
export function spanText(span) {
  const parts = ['years', 'months', 'days']
    .filter((unit) => span?.[unit])
    .map((unit) => t(`recovery.units.${unit}`, { count: span[unit] }));
  if (!parts.length) return '';
  try {
    return new Intl.ListFormat(document.documentElement.lang, { type: 'conjunction' }).format(parts);
  } catch {
    return parts.join(', ');
  }
}

// The current streak as a person would say it: days, and past 60 days also years/months/days.
export function Streak({ progress }) {
  const days = progress.current_streak_days;
  return html`
    <p class="streak">
      <span class="streak__number">${t('recovery.streak_days', { count: days })}</span>
      ${days > 60 && html`<span class="streak__span">${spanText(progress.current_streak)}</span>`}
    </p>`;
}

// After a check-in that says "used": no blame, the history stays (when there is one: never
// "your 0 drug-free days"), tomorrow is a new day one.
export function RelapseMessage({ progress, onDone }) {
  const ref = useRef(null);
  useEffect(() => { ref.current?.focus(); }, []);
  return html`
    <section class="panel panel--warm" aria-labelledby="relapse-title" data-testid="relapse">
      <h2 id="relapse-title" class="subtitle" tabindex="-1" ref=${ref}>${t('recovery.relapse.title')}</h2>
      <p>${t('recovery.relapse.text')}</p>
      ${progress?.start_date && progress.drug_free_days_total > 0 && html`
        <p>${t('recovery.relapse.kept', { count: progress.drug_free_days_total })}</p>`}
      <p>${t('recovery.relapse.tomorrow')}</p>
      <div class="actions">
        <a class="button button--urgent" href="#/help">${t('recovery.relapse.help')}</a>
        ${onDone && html`<button type="button" class="button button--secondary" onClick=${onDone}>
          ${t('recovery.relapse.done')}</button>`}
      </div>
    </section>`;
}

// A milestone reached: a modest badge that grows in once (still when motion is reduced).
export function Celebration({ days, onDone }) {
  return html`
    <section class="panel celebration" aria-labelledby="celebration-title" data-testid="celebration">
      <div class="celebration__badge" aria-hidden="true">${days}</div>
      <h2 id="celebration-title" class="subtitle">${t('recovery.milestone.title', { count: days })}</h2>
      <p>${t('recovery.milestone.text')}</p>
      <button type="button" class="button" onClick=${onDone}>${t('recovery.milestone.done')}</button>
    </section>`;
}

export function NextMilestone({ progress }) {
  const next = progress.next_milestone;
  if (!next) return null;
  return html`
    <p class="next-milestone">
      ${t('recovery.next_milestone', {
        count: next.days, date: formatDate(next.date, { day: 'numeric', month: 'long', year: 'numeric' }) })}
    </p>`;
}
