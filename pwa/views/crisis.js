// crisis.js: "I need help now" (#/crisis): the national crisis line first, then the emergency
// numbers (113 before 112 in Norway), then addiction and medical advice, each a tap-to-call
// link; poison lines with the overdose advice. Without lines for the country: 112.

import { html } from './html.js';
import { t } from '../i18n.js';
import { Title } from './parts.js';
import {
  CRISIS_KINDS, EmergencyCall, HelpLines, LinesSection, linesOf, useHelpLines,
} from './help-lines.js';

function Lines({ answer }) {
  const lines = linesOf(answer.resources, CRISIS_KINDS);
  if (answer.loading) return html`<p>${t('help.crisis.loading')}</p>`;
  if (!lines.length) return html`<p>${t(answer.failed ? 'help.crisis.unavailable' : 'help.crisis.none')}</p>`;
  return html`<${HelpLines} resources=${lines} urgent=${true} />`;
}

export function Crisis({ state }) {
  const answer = useHelpLines(state);
  const known = linesOf(answer.resources, CRISIS_KINDS).length > 0;
  const poison = linesOf(answer.resources, ['poison']);
  return html`
    <div class="screen screen--crisis">
      <${Title}>${t('help.crisis.title')}<//>
      ${known ? html`
        <section class="panel panel--urgent" aria-labelledby="crisis-lines">
          <h2 id="crisis-lines" class="subtitle">${t('help.crisis.lines_heading')}</h2>
          <p>${t('help.lines.order_text')}</p>
          <${Lines} answer=${answer} />
        </section>` : html`
        <section class="panel panel--urgent" aria-labelledby="crisis-emergency">
          <h2 id="crisis-emergency" class="subtitle">${t('help.emergency_heading')}</h2>
          <p>${t('help.emergency_text')}</p>
          <p>${t('help.emergency_norway')}</p>
          <p><${EmergencyCall} state=${state} /></p>
          ${state.token && html`<${Lines} answer=${answer} />`}
        </section>`}
      ${state.me?.role === 'relative' && html`
        <${LinesSection} state=${state} kinds=${['relatives']} id="crisis-relatives"
          headingKey="help.lines.relatives_heading" />`}
      <section class="panel" aria-labelledby="crisis-thoughts">
        <h2 id="crisis-thoughts" class="subtitle">${t('help.thoughts_heading')}</h2>
        <p>${t('help.thoughts_text')}</p>
        <p>${t('help.talk_text')}</p>
      </section>
      <section class="panel" aria-labelledby="crisis-overdose">
        <h2 id="crisis-overdose" class="subtitle">${t('help.overdose_heading')}</h2>
        <p>${t('help.overdose_text')}</p>
        ${poison.length > 0 && html`<${HelpLines} resources=${poison} />`}
      </section>
    </div>`;
}
