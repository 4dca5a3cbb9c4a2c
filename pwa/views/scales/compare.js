// compare.js: "compare with my start" for the three core questions of the check-up.

import { html } from '../html.js';
import { formatDate, t } from '../../i18n.js';
import { MEASURES, MEASURE_MAX } from './result.js';

// For burden and days with use, lower is better; for belief in change, higher is.
const LOWER_IS_BETTER = { burden: true, days_used: true, belief: false };

function direction(measure, start, now) {
  if (now === start) return 'same';
  const better = LOWER_IS_BETTER[measure] ? now < start : now > start;
  return better ? 'better' : 'harder';
}

export function Compare({ checkups }) {
  if (checkups.length < 2) {
    return html`<p>${t('scales.compare.need_two')}</p>`;
  }
  const first = checkups[0];
  const latest = checkups[checkups.length - 1];
  const shown = MEASURES.filter((m) => m in first.measures && m in latest.measures);
  return html`
    <div class="compare" data-testid="compare">
      <p>${t('scales.compare.between', {
        start: formatDate(first.answered_on), latest: formatDate(latest.answered_on),
      })}</p>
      <dl class="measures">
        ${shown.map((m) => {
          const before = first.measures[m];
          const now = latest.measures[m];
          return html`
            <div key=${m} class="measures__row">
              <dt>${t(`scales.measure.${m}`)}</dt>
              <dd>
                <span class="compare__values">
                  ${t('scales.compare.values', { start: before, now, max: MEASURE_MAX[m] })}
                </span>
                <span class="compare__words">${t(`scales.compare.${m}_${direction(m, before, now)}`)}</span>
              </dd>
            </div>`;
        })}
      </dl>
    </div>`;
}
