// insights.js: "My patterns" (#/insights): craving by weekday and time of day, mood over the
// weeks, and the person's own weeks with and without a meeting, from their check-ins. Their
// pattern, not a promise: the screen says so. Charts have a table beside them.

import { html, useEffect, useState } from './html.js';
import * as more from '../api-more.js';
import { formatDate, formatNumber, t } from '../i18n.js';
import { ErrorMessage, errorText, Title } from './parts.js';
import { TrendChart } from './scales/chart.js';

// Monday first, as calendars in the Nordics are; the API numbers 0 = Sunday … 6 = Saturday.
const WEEK_ORDER = [1, 2, 3, 4, 5, 6, 0];

function number(value) {
  return value === null ? '–' : formatNumber(value, { maximumFractionDigits: 1 });
}

function weekdayName(weekday) {
  // 2026-03-01 was a Sunday: +weekday days gives that weekday's name in the person's language.
  return formatDate(`2026-03-0${1 + weekday}`, { weekday: 'long' });
}

function CravingBars({ rows }) {
  const width = 320;
  const height = 140;
  const slot = (width - 20) / rows.length;
  const bar = slot * 0.6;
  const y = (v) => height - 24 - (v / 10) * (height - 40);
  return html`
    <svg class="insights__bars" viewBox=${`0 0 ${width} ${height}`} role="img"
         aria-label=${t('motivation.insights.weekday_chart')}>
      <line class="trend__axis" x1="10" y1=${y(0)} x2=${width - 10} y2=${y(0)} />
      ${rows.map((r, i) => html`
        <g key=${r.label}>
          ${r.average !== null && html`<rect class="insights__bar" x=${10 + i * slot + (slot - bar) / 2}
            width=${bar} y=${y(r.average)} height=${y(0) - y(r.average)} />`}
          <text class="trend__label" x=${10 + i * slot + slot / 2} y=${height - 8}
                text-anchor="middle">${r.label.slice(0, 2)}</text>
        </g>`)}
    </svg>`;
}

function Table({ caption, head, rows }) {
  return html`
    <table class="data-table">
      <caption class="visually-hidden">${caption}</caption>
      <thead><tr>${head.map((h) => html`<th key=${h} scope="col">${h}</th>`)}</tr></thead>
      <tbody>${rows.map((r) => html`<tr key=${r[0]}>
        <th scope="row">${r[0]}</th>${r.slice(1).map((c, i) => html`<td key=${i}>${c}</td>`)}
      </tr>`)}</tbody>
    </table>`;
}

function Patterns({ data }) {
  const weekdays = WEEK_ORDER.map((d) => data.craving_by_weekday.find((w) => w.weekday === d))
    .map((w) => ({ label: weekdayName(w.weekday), average: w.average, count: w.checkins }));
  const moods = data.mood_by_week.filter((w) => w.average !== null)
    .map((w) => ({ date: w.week_start, value: w.average }));
  const withM = data.weeks_with_meeting;
  const without = data.weeks_without_meeting;
  return html`
    <section class="panel" aria-labelledby="insights-weekday">
      <h2 id="insights-weekday" class="subtitle">${t('motivation.insights.weekday_title')}</h2>
      <${CravingBars} rows=${weekdays} />
      <${Table} caption=${t('motivation.insights.weekday_title')}
        head=${[t('motivation.insights.day'), t('motivation.insights.craving'),
          t('motivation.insights.checkins')]}
        rows=${weekdays.map((w) => [w.label, number(w.average), w.count])} />
    </section>
    <section class="panel" aria-labelledby="insights-time">
      <h2 id="insights-time" class="subtitle">${t('motivation.insights.time_title')}</h2>
      <p class="hint">${t('motivation.insights.time_hint')}</p>
      <${Table} caption=${t('motivation.insights.time_title')}
        head=${[t('motivation.insights.part'), t('motivation.insights.craving'),
          t('motivation.insights.checkins')]}
        rows=${data.craving_by_time_of_day.map((p) => [
          t(`motivation.insights.part_${p.part}`), number(p.average), p.checkins])} />
    </section>
    ${moods.length > 0 && html`
      <section class="panel" aria-labelledby="insights-mood">
        <h2 id="insights-mood" class="subtitle">${t('motivation.insights.mood_title')}</h2>
        <${TrendChart} points=${moods} min=${1} max=${5} label=${t('motivation.insights.mood_chart')}
          summary=${t('motivation.insights.see_table')} />
        <${Table} caption=${t('motivation.insights.mood_title')}
          head=${[t('motivation.insights.week'), t('motivation.insights.mood')]}
          rows=${moods.map((m) => [formatDate(m.date, { day: 'numeric', month: 'short' }),
            number(m.value)])} />
      </section>`}
    <section class="panel" aria-labelledby="insights-meetings">
      <h2 id="insights-meetings" class="subtitle">${t('motivation.insights.meetings_title')}</h2>
      ${data.finding && html`<p class="insights__finding">
        ${t(`motivation.insights.finding_${data.finding}`)}</p>`}
      <${Table} caption=${t('motivation.insights.meetings_title')}
        head=${['', t('motivation.insights.weeks'), t('motivation.insights.use_days_per_week'),
          t('motivation.insights.craving')]}
        rows=${[
          [t('motivation.insights.with_meeting'), withM.weeks, number(withM.days_with_use_per_week),
            number(withM.average_craving)],
          [t('motivation.insights.without_meeting'), without.weeks,
            number(without.days_with_use_per_week), number(without.average_craving)],
        ]} />
    </section>`;
}

export function Insights() {
  const [data, setData] = useState(null);
  const [error, setError] = useState('');
  useEffect(() => {
    more.getInsights().then(setData).catch((failure) => setError(errorText(failure)));
  }, []);
  return html`
    <div class="screen screen--insights">
      <${Title}>${t('motivation.insights.title')}<//>
      <p class="lead">${t('motivation.insights.lead')}</p>
      <${ErrorMessage} id="insights-error" message=${error} />
      ${data && !data.enough_data && html`<p class="panel">${t('motivation.insights.not_yet')}</p>`}
      ${data?.enough_data && html`<${Patterns} data=${data} />`}
      <p class="hint">${t('motivation.insights.not_a_promise')}</p>
    </div>`;
}
