// result.js: what an answer means, in plain words. Help comes first when an answer asks for it;
// a score is never a diagnosis.

import { html, useEffect, useRef } from '../html.js';
import { formatNumber, t } from '../../i18n.js';
import { HelpLines } from '../help-lines.js';

const MEASURES = ['burden', 'days_used', 'belief'];
const MEASURE_MAX = { burden: 10, days_used: 30, belief: 10 };

// The crisis line first, then the emergency numbers, each a tap-to-call link with its hours.
export function Resources({ resources }) {
  if (!resources?.length) return html`<p>${t('scales.safety.no_resources')}</p>`;
  return html`<${HelpLines} resources=${resources} urgent=${true} />`;
}

// `heading`: the result puts the focus here, so a screen reader starts with the help and Tab
// reaches the crisis lines first.
export function SafetyPanel({ resources, heading = null }) {
  return html`
    <section class="panel panel--urgent" aria-labelledby="safety-title" data-testid="safety">
      <h2 id="safety-title" class="subtitle" tabindex="-1" ref=${heading}>${t('scales.safety.title')}</h2>
      <p>${t('scales.safety.text')}</p>
      <${Resources} resources=${resources} />
      <p><a href="#/help">${t('scales.safety.more_help')}</a></p>
    </section>`;
}

// Measures of the checkup, each with the value at the start when there is one.
function Measures({ measures, start }) {
  return html`
    <dl class="measures">
      ${MEASURES.filter((m) => m in measures).map((m) => html`
        <div key=${m} class="measures__row">
          <dt>${t(`scales.measure.${m}`)}</dt>
          <dd>
            ${t('scales.of', { value: measures[m], max: MEASURE_MAX[m] })}
            ${start && m in start && html`
              <span class="measures__start">
                ${' '}${t('scales.compare.at_start', { value: formatNumber(start[m]) })}
              </span>`}
          </dd>
        </div>`)}
    </dl>`;
}

export function Result({ response, instrument, start, offline, onDone, onHistory }) {
  const heading = useRef(null);
  const help = useRef(null);
  // Focus where reading should start: the help when an answer asks for it, else the result.
  useEffect(() => { (help.current ?? heading.current)?.focus(); }, []);
  const scored = response.score !== null && response.score !== undefined;
  // The licence line is the licence's own words, in English (instruments/*.json): lang="en" has a
  // screen reader read it with an English voice on a Swedish, Norwegian or Danish page.
  return html`
    <div class="result" data-testid="result">
      ${response.safety && html`<${SafetyPanel} resources=${response.resources} heading=${help} />`}
      <h2 class="subtitle" tabindex="-1" ref=${heading}>${t('scales.result_title')}</h2>
      ${offline && html`<p class="hint">${t('scales.saved_offline')}</p>`}
      ${scored && html`
        <section class="panel">
          <p class="result__score">
            ${t('scales.your_score', { score: response.score, max: response.max_score })}
          </p>
          ${response.band_label && html`<p class="result__band">${response.band_label}</p>`}
          ${response.explanation && html`<p>${response.explanation}</p>`}
          ${response.cutoff && html`<p>${response.cutoff.text}</p>`}
          ${!response.band_label && html`<p>${t('scales.no_band')}</p>`}
        </section>`}
      ${!scored && response.measures && html`
        <section class="panel">
          <p>${t('scales.checkup_thanks')}</p>
          <${Measures} measures=${response.measures} start=${start} />
        </section>`}
      ${!response.explanation && html`<p class="hint">${t('scales.not_a_diagnosis')}</p>`}
      ${instrument?.translation && html`
        <p class="hint attribution" lang=${instrument.language}>${instrument.translation.credit}</p>`}
      ${instrument?.wording !== 'ours' && instrument?.licence?.attribution && html`
        <p class="hint attribution" lang="en">${instrument.licence.attribution}</p>`}
      <div class="actions">
        <button type="button" class="button" onClick=${onDone}>${t('scales.done')}</button>
        ${!offline && html`
          <button type="button" class="button button--secondary" onClick=${onHistory}>
            ${t('scales.see_history')}
          </button>`}
      </div>
    </div>`;
}

export { MEASURES, MEASURE_MAX };
