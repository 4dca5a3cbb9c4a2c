// summary.js: "Summary for my talk" (#/summary): what the person tracked, for the intake,
// midway and final talks, printed or shown on the phone. Made here from the person's own data;
// nothing is sent anywhere to make it. Beside it, the FHIR file for a clinic's records.

import { html, useEffect, useState } from './html.js';
import * as api from '../api.js';
import * as more from '../api-more.js';
import { formatDate, formatNumber, t } from '../i18n.js';
import { ErrorMessage, errorText, Title } from './parts.js';
import { TrendChart } from './scales/chart.js';
import { keepLast, lastKept, period, responsesIn, weeks } from '../summary.js';

const SHORT = { day: 'numeric', month: 'short' };

// The summary's styles, its A4 print page among them, come with this screen rather than with
// the app's first load; beside this module, so under the same version prefix.
function useSummaryStyles() {
  useEffect(() => {
    if (document.querySelector('link[data-summary-styles]')) return;
    const link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = new URL('../summary.css', import.meta.url).href;
    link.dataset.summaryStyles = '';
    document.head.append(link);
  }, []);
}

async function load(choice, dates, withPlan) {
  const [progress, instruments, responses] = await Promise.all([
    api.getProgress(), api.getInstruments(), api.getResponses(),
  ]);
  const span = period(choice, { today: progress.today, startDate: progress.start_date, ...dates });
  const [checkins, attendance, plan] = await Promise.all([
    api.getCheckins(span.from, span.to),
    more.getAttendance(span.from, span.to),
    withPlan ? api.getPlan() : null,
  ]);
  return {
    span,
    noStart: choice === 'since_start' && !progress.start_date,
    ...weeks({ ...span, today: progress.today, startDate: progress.start_date, checkins: checkins.checkins,
      attendance: attendance.attendance }),
    names: Object.fromEntries(instruments.instruments.map((i) => [i.id, i.name])),
    maxima: Object.fromEntries(instruments.instruments.map((i) => [i.id, i.max_score])),
    responses: responsesIn(responses.responses, span),
    plan,
  };
}

function number(value, digits = 1) {
  return value === null ? '–' : formatNumber(value, { maximumFractionDigits: digits });
}

// Stacked bars per week: drug-free days below, days with use above; a table says the same.
function WeekBars({ rows }) {
  const width = 320;
  const height = 120;
  const slot = (width - 20) / Math.max(rows.length, 1);
  const bar = Math.min(28, slot * 0.7);
  const scale = (days) => (days / 7) * (height - 24);
  return html`
    <svg class="summary__bars" viewBox=${`0 0 ${width} ${height}`} role="img"
         aria-label=${t('summary.bars_label')}>
      <line class="trend__axis" x1="10" y1=${height - 20} x2=${width - 10} y2=${height - 20} />
      ${rows.map((w, i) => {
        const x = 10 + i * slot + (slot - bar) / 2;
        const free = scale(w.drugFree);
        const used = scale(w.used);
        return html`
          <g key=${w.start}>
            <rect class="summary__bar summary__bar--free" x=${x} width=${bar}
                  y=${height - 20 - free} height=${free} />
            <rect class="summary__bar summary__bar--used" x=${x} width=${bar}
                  y=${height - 20 - free - used} height=${used} />
          </g>`;
      })}
    </svg>
    <p class="summary__legend">
      <span class="summary__key summary__key--free"></span>${t('summary.drug_free')}
      <span class="summary__key summary__key--used"></span>${t('summary.used')}
    </p>`;
}

function WeekTable({ data }) {
  return html`
    <table class="data-table">
      <caption class="visually-hidden">${t('summary.weeks_title')}</caption>
      <thead><tr>
        <th scope="col">${t('summary.week')}</th>
        <th scope="col">${t('summary.drug_free')}</th>
        <th scope="col">${t('summary.used')}</th>
        <th scope="col">${t('summary.craving')}</th>
        <th scope="col">${t('summary.mood')}</th>
        <th scope="col">${t('summary.meetings')}</th>
      </tr></thead>
      <tbody>
        ${data.weeks.map((w) => html`
          <tr key=${w.start}>
            <th scope="row">${w.start === w.end ? formatDate(w.start, SHORT)
              : `${formatDate(w.start, SHORT)}–${formatDate(w.end, SHORT)}`}</th>
            <td>${w.drugFree}</td><td>${w.used}</td>
            <td>${number(w.craving)}</td><td>${number(w.mood)}</td><td>${w.meetings}</td>
          </tr>`)}
      </tbody>
    </table>
    <p>${t('summary.total_line', { free: data.totals.drugFree, used: data.totals.used,
      meetings: data.totals.meetings })}</p>`;
}

function Trends({ rows }) {
  const points = (key) => rows.filter((w) => w[key] !== null)
    .map((w) => ({ date: w.start, value: Math.round(w[key] * 10) / 10 }));
  const craving = points('craving');
  const mood = points('mood');
  if (!craving.length && !mood.length) return null;
  return html`
    <section class="panel summary__section" aria-labelledby="summary-trends">
      <h2 id="summary-trends" class="subtitle">${t('summary.trends_title')}</h2>
      <div class="summary__charts">
        ${craving.length > 0 && html`<${TrendChart} points=${craving} min=${0} max=${10}
          label=${t('summary.craving_chart')} summary=${t('summary.see_table')} />`}
        ${mood.length > 0 && html`<${TrendChart} points=${mood} min=${1} max=${5}
          label=${t('summary.mood_chart')} summary=${t('summary.see_table')} />`}
      </div>
    </section>`;
}

function Scores({ data }) {
  return html`
    <section class="panel summary__section" aria-labelledby="summary-scores">
      <h2 id="summary-scores" class="subtitle">${t('summary.scores_title')}</h2>
      ${data.responses.length === 0 ? html`<p class="hint">${t('summary.no_scores')}</p>` : html`
        <table class="data-table summary__scores">
          <thead><tr>
            <th scope="col">${t('summary.date')}</th>
            <th scope="col">${t('summary.questionnaire')}</th>
            <th scope="col">${t('summary.score')}</th>
            <th scope="col">${t('summary.result')}</th>
          </tr></thead>
          <tbody>
            ${data.responses.map((r) => html`
              <tr key=${r.id}>
                <td>${formatDate(r.answered_on)}</td>
                <td>${data.names[r.instrument] ?? r.instrument}</td>
                <td>${r.score === null ? measures(r) : `${r.score}/${r.max_score ?? data.maxima[r.instrument]}`}</td>
                <td>${r.band_label ?? ''}</td>
              </tr>`)}
          </tbody>
        </table>`}
    </section>`;
}

// The check-up has three measures instead of a total.
function measures(response) {
  return Object.entries(response.measures ?? {})
    .map(([key, value]) => `${t(`summary.measure.${key}`)}: ${value}`).join(', ');
}

function PlanPart({ plan }) {
  const lines = (items) => items.map((item) => html`<li key=${item.id}>${item.text}</li>`);
  return html`
    <section class="panel summary__section" aria-labelledby="summary-plan">
      <h2 id="summary-plan" class="subtitle">${t('summary.plan_title')}</h2>
      <h3>${t('summary.warning_signs')}</h3>
      ${plan.warning_signs.length ? html`<ul>${lines(plan.warning_signs)}</ul>`
        : html`<p class="hint">${t('summary.plan_empty')}</p>`}
      <h3>${t('summary.coping')}</h3>
      ${plan.coping_actions.length ? html`<ul>${lines(plan.coping_actions)}</ul>`
        : html`<p class="hint">${t('summary.plan_empty')}</p>`}
    </section>`;
}

function FhirExport() {
  const [days, setDays] = useState(false);
  const [error, setError] = useState('');
  async function download() {
    setError('');
    try {
      const blob = await more.exportFhir({ daysWithUse: days });
      const link = document.createElement('a');
      link.href = URL.createObjectURL(blob);
      link.download = 'fotfeste-fhir.json';
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
    } catch (failure) {
      setError(errorText(failure));
    }
  }
  return html`
    <section class="panel summary__fhir no-print" aria-labelledby="summary-fhir">
      <h2 id="summary-fhir" class="subtitle">${t('summary.fhir_title')}</h2>
      <p class="hint">${t('summary.fhir_hint')}</p>
      <div class="field--check">
        <input type="checkbox" class="switch" id="fhir-days" checked=${days}
               onChange=${(e) => setDays(e.currentTarget.checked)} />
        <label for="fhir-days">${t('summary.fhir_days')}</label>
      </div>
      <${ErrorMessage} id="fhir-error" message=${error} />
      <button type="button" class="button button--secondary" onClick=${download}>
        ${t('summary.fhir_download')}
      </button>
    </section>`;
}

export function Summary({ state }) {
  useSummaryStyles();
  const [choice, setChoice] = useState('last30');
  const [dates, setDates] = useState({ from: '', to: '' });
  const [withPlan, setWithPlan] = useState(false);
  const [data, setData] = useState(null);
  const [error, setError] = useState('');
  const [offlineSince, setOfflineSince] = useState(null);

  const badRange = choice === 'between' && dates.from && dates.to && dates.from > dates.to;
  useEffect(() => {
    if (badRange || (choice === 'between' && !(dates.from && dates.to))) return;
    let live = true;
    load(choice, dates, withPlan)
      .then((loaded) => {
        if (!live) return;
        setData(loaded);
        setError('');
        setOfflineSince(null);
        keepLast(loaded);
      })
      .catch(async (failure) => {
        const kept = failure.offline ? await lastKept() : null;
        if (!live) return;
        if (kept) {
          setData(kept.summary);
          setOfflineSince(kept.savedAt);
        } else {
          setError(errorText(failure));
        }
      });
    return () => { live = false; };
  }, [choice, dates.from, dates.to, withPlan, state.lang]);

  return html`
    <div class="screen screen--summary">
      <${Title}>${t('summary.title')}<//>
      <p class="lead no-print">${t('summary.lead')}</p>
      <form class="panel no-print" onSubmit=${(e) => e.preventDefault()}>
        <fieldset>
          <legend>${t('summary.period')}</legend>
          ${['last30', 'since_start', 'between'].map((key) => html`
            <div key=${key} class="field--check">
              <input type="radio" class="switch" id=${`period-${key}`} name="period"
                     checked=${choice === key} onChange=${() => setChoice(key)} />
              <label for=${`period-${key}`}>${t(`summary.${key}`)}</label>
            </div>`)}
        </fieldset>
        ${choice === 'between' && html`
          <div class="summary__dates">
            <div class="field">
              <label for="summary-from">${t('summary.from')}</label>
              <input id="summary-from" type="date" value=${dates.from}
                     onChange=${(e) => setDates({ ...dates, from: e.currentTarget.value })} />
            </div>
            <div class="field">
              <label for="summary-to">${t('summary.to')}</label>
              <input id="summary-to" type="date" value=${dates.to}
                     onChange=${(e) => setDates({ ...dates, to: e.currentTarget.value })} />
            </div>
          </div>`}
        ${badRange && html`<${ErrorMessage} id="summary-range" message=${t('summary.bad_range')} />`}
        <div class="field--check">
          <input type="checkbox" class="switch" id="summary-plan-toggle" checked=${withPlan}
                 onChange=${(e) => setWithPlan(e.currentTarget.checked)} />
          <label for="summary-plan-toggle">${t('summary.include_plan')}</label>
        </div>
        <button type="button" class="button" onClick=${() => window.print()} disabled=${!data}>
          ${t('summary.print')}
        </button>
      </form>
      <${ErrorMessage} id="summary-error" message=${error} />
      ${data && html`
        <article class="summary" aria-labelledby="summary-period">
          <p id="summary-period" class="summary__period">
            ${t('summary.period_line', { from: formatDate(data.span.from),
              to: formatDate(data.span.to) })}
          </p>
          ${offlineSince && html`<p class="hint no-print">${t('summary.offline', {
            date: formatDate(new Date(offlineSince), { dateStyle: 'long', timeStyle: 'short' }) })}</p>`}
          ${data.noStart && html`<p class="hint">${t('summary.no_start')}</p>`}
          ${data.span.clipped && html`<p class="hint">${t('summary.too_long')}</p>`}
          <section class="panel summary__section" aria-labelledby="summary-weeks">
            <h2 id="summary-weeks" class="subtitle">${t('summary.weeks_title')}</h2>
            <${WeekBars} rows=${data.weeks} />
            <${WeekTable} data=${data} />
          </section>
          <${Trends} rows=${data.weeks} />
          <${Scores} data=${data} />
          ${data.plan && html`<${PlanPart} plan=${data.plan} />`}
          <p class="summary__footer">${t('summary.footer', { date: formatDate(new Date()) })}</p>
        </article>`}
      <${FhirExport} />
    </div>`;
}
