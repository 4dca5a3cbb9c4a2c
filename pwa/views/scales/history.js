// history.js: one instrument's answers over time: a trend chart and the same numbers as a table.

import { html, useEffect, useRef } from '../html.js';
import { formatDate, formatNumber, t } from '../../i18n.js';
import { TrendChart } from './chart.js';
import { MEASURES, MEASURE_MAX } from './result.js';

function summary(points) {
  if (!points.length) return '';
  const first = points[0].value;
  const last = points[points.length - 1].value;
  return t('scales.history.summary', {
    count: points.length, first: formatNumber(first), last: formatNumber(last),
  });
}

function series(responses, pick) {
  return responses
    .map((r) => ({ date: r.answered_on, value: pick(r) }))
    .filter((p) => p.value !== null && p.value !== undefined);
}

export function History({ instrument, responses, onBack }) {
  const heading = useRef(null);
  useEffect(() => { heading.current?.focus(); }, []);
  const scored = instrument.scoring === 'sum';
  const measures = scored ? [] : MEASURES.filter((m) => responses.some((r) => m in (r.measures ?? {})));
  const charts = scored
    ? [{ id: 'score', label: t('scales.history.score'), max: instrument.max_score,
         points: series(responses, (r) => r.score) }]
    : measures.map((m) => ({ id: m, label: t(`scales.measure.${m}`), max: MEASURE_MAX[m],
         points: series(responses, (r) => r.measures?.[m]) }));
  return html`
    <section class="history" aria-labelledby="history-title">
      <h2 id="history-title" class="subtitle" tabindex="-1" ref=${heading}>
        ${t('scales.history.title', { name: instrument.name })}
      </h2>
      ${!responses.length && html`<p>${t('scales.history.empty')}</p>`}
      ${responses.length > 0 && charts.map((c) => html`
        <${TrendChart} key=${c.id} points=${c.points} max=${c.max} label=${c.label}
                       summary=${summary(c.points)} />`)}
      ${responses.length > 0 && html`
        <div class="table-wrap" tabindex="0" role="region" aria-label=${t('scales.history.scroll_label')}>
        <table class="history__table">
          <caption>${t('scales.history.table_caption', { name: instrument.name })}</caption>
          <thead>
            <tr>
              <th scope="col">${t('scales.history.date')}</th>
              ${scored ? html`
                <th scope="col">${t('scales.history.score')}</th>
                <th scope="col">${t('scales.history.band')}</th>`
              : measures.map((m) => html`<th key=${m} scope="col">${t(`scales.measure_short.${m}`)}</th>`)}
            </tr>
          </thead>
          <tbody>
            ${responses.map((r) => html`
              <tr key=${r.id}>
                <th scope="row">${formatDate(r.answered_on, { dateStyle: 'medium' })}</th>
                ${scored ? html`
                  <td>${t('scales.of', { value: r.score, max: instrument.max_score })}</td>
                  <td>${r.band_label ?? '–'}</td>`
                : measures.map((m) => html`<td key=${m}>${r.measures?.[m] ?? '–'}</td>`)}
              </tr>`)}
          </tbody>
        </table>
        </div>`}
      <div class="actions">
        <button type="button" class="button button--secondary" onClick=${onBack}>
          ${t('common.back')}
        </button>
      </div>
    </section>`;
}
