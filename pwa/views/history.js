// history.js: a calendar of past months (#/history): each day's check-in as a mark and words,
// the month's counts, and the last days open for a late check-in.

import { html, useEffect, useState } from './html.js';
import { currentLanguage, formatDate, t } from '../i18n.js';
import * as recovery from '../recovery.js';
import { todayIn } from '../dates.js';
import { Title } from './parts.js';
import { DayMark, Legend, dayLabel } from './recovery-parts.js';
import { useRecovery } from './cards/progress.js';

// A known Monday: weeks start on Monday in the Nordic countries.
const MONDAY = Date.UTC(2024, 0, 1);

function weekdayNames() {
  const short = new Intl.DateTimeFormat(currentLanguage(), { weekday: 'short', timeZone: 'UTC' });
  const long = new Intl.DateTimeFormat(currentLanguage(), { weekday: 'long', timeZone: 'UTC' });
  return [0, 1, 2, 3, 4, 5, 6].map((i) => {
    const date = new Date(MONDAY + i * 86_400_000);
    return { short: short.format(date), long: long.format(date) };
  });
}

function monthDays(month) {
  const [y, m] = month.split('-').map(Number);
  const count = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return Array.from({ length: count }, (_, i) => `${month}-${String(i + 1).padStart(2, '0')}`);
}

function shiftMonth(month, by) {
  const [y, m] = month.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1 + by, 1));
  return date.toISOString().slice(0, 7);
}

function weeks(days) {
  const [y, m, d] = days[0].split('-').map(Number);
  const lead = (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7; // Monday = 0
  const cells = [...Array(lead).fill(null), ...days];
  while (cells.length % 7) cells.push(null);
  return Array.from({ length: cells.length / 7 }, (_, i) => cells.slice(i * 7, i * 7 + 7));
}

export function History({ state, actions }) {
  const today = todayIn(state.me?.timezone);
  const { waiting } = useRecovery();
  const [month, setMonth] = useState(today.slice(0, 7));
  const [checkins, setCheckins] = useState(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let live = true;
    const days = monthDays(month);
    const last = days[days.length - 1] < today ? days[days.length - 1] : today;
    setCheckins(null);
    setFailed(false);
    recovery.checkinsBetween(days[0], last)
      .then((list) => { if (live) setCheckins(list); })
      .catch(() => { if (live) { setCheckins([]); setFailed(true); } });
    return () => { live = false; };
  }, [month]);

  const byDate = new Map((checkins ?? []).map((c) => [c.date, c.used ? 'used' : 'drug_free']));
  for (const w of waiting) byDate.set(w.date, 'waiting');
  const days = monthDays(month);
  const shown = days.filter((d) => d <= today);
  const usedCount = shown.filter((d) => byDate.get(d) === 'used').length;
  const freeCount = shown.filter((d) => byDate.get(d) === 'drug_free').length;
  const names = weekdayNames();
  const monthName = formatDate(`${month}-01`, { month: 'long', year: 'numeric' });

  function open(day) {
    recovery.choose(day);
    actions.navigate('checkin');
  }

  function cell(day) {
    if (!day) return html`<td class="calendar__empty"></td>`;
    const number = Number(day.slice(8));
    if (day > today) return html`<td class="calendar__future"><span aria-hidden="true">${number}</span></td>`;
    const status = byDate.get(day) ?? 'none';
    const label = dayLabel(day, status);
    const content = html`<${DayMark} status=${status} /><span aria-hidden="true">${number}</span>`;
    return html`
      <td class=${`day day--${status}${day === today ? ' day--today' : ''}`}>
        ${recovery.canBackdate(day, today)
          ? html`<button type="button" class="day__button" aria-label=${label} onClick=${() => open(day)}>${content}</button>`
          : html`<span class="day__static" role="img" aria-label=${label}>${content}</span>`}
      </td>`;
  }

  return html`
    <div class="screen screen--history">
      <${Title}>${t('recovery.history.title')}<//>
      <div class="month-nav">
        <button type="button" class="button button--secondary" onClick=${() => setMonth(shiftMonth(month, -1))}>
          ${t('recovery.history.previous')}</button>
        <button type="button" class="button button--secondary" disabled=${month >= today.slice(0, 7)}
          onClick=${() => setMonth(shiftMonth(month, 1))}>${t('recovery.history.next')}</button>
      </div>
      <table class="calendar" aria-busy=${checkins === null ? 'true' : 'false'}>
        <caption class="subtitle">${monthName}</caption>
        <thead>
          <tr>${names.map((n) => html`<th scope="col" abbr=${n.long}>${n.short}</th>`)}</tr>
        </thead>
        <tbody>
          ${weeks(days).map((week, i) => html`<tr key=${i}>${week.map(cell)}</tr>`)}
        </tbody>
      </table>
      ${failed && html`<p class="hint">${t('recovery.history.offline')}</p>`}
      <p class="month-summary" data-testid="month-summary">
        ${t('recovery.history.summary', { free: freeCount, used: usedCount })}
      </p>
      <${Legend} />
      <p class="hint">${t('recovery.history.hint')}</p>
      <p class="aside-link"><a href="#/home">${t('recovery.history.back')}</a></p>
    </div>`;
}
