// help.js: help now (#/help). Reachable from every screen, with or without an account:
// three ways in (a craving, having used, needing help now), then 112 and what to do.

import { html } from './html.js';
import { t } from '../i18n.js';
import { Title } from './parts.js';
import { ClinicContacts } from './clinic.js';
import { EmergencyCall } from './help-lines.js';

const CHOICES = [
  { route: 'craving', key: 'choice_craving' },
  { route: 'used', key: 'choice_used' },
  { route: 'crisis', key: 'choice_crisis' },
];
// A relative's own moments of need are different: help now, and their own home of advice.
const RELATIVE_CHOICES = [
  { route: 'crisis', key: 'choice_crisis' },
  { route: 'family', key: 'choice_family' },
];

export function Help({ state }) {
  const choices = state.token && state.me?.role === 'relative' ? RELATIVE_CHOICES : CHOICES;
  return html`
    <div class="screen screen--help">
      <${Title}>${t('help.title')}<//>
      <p class="lead">${t('help.hub_lead')}</p>
      <ul class="choices help-choices">
        ${choices.map(({ route, key }) => html`
          <li key=${route}>
            <a class="choice" href=${`#/${route}`} data-testid=${`help-${route}`}>
              <span class="choice__title">${t(`help.${key}`)}</span>
              <span class="choice__hint">${t(`help.${key}_hint`)}</span>
            </a>
          </li>`)}
      </ul>
      <section class="panel panel--urgent" aria-labelledby="help-emergency">
        <h2 id="help-emergency" class="subtitle">${t('help.emergency_heading')}</h2>
        <p>${t('help.emergency_text')}</p>
        <p>${t('help.emergency_norway')}</p>
        <p><${EmergencyCall} state=${state} /></p>
      </section>
      <${ClinicContacts} state=${state} />
      <section class="panel" aria-labelledby="help-overdose">
        <h2 id="help-overdose" class="subtitle">${t('help.overdose_heading')}</h2>
        <p>${t('help.overdose_text')}</p>
      </section>
      <section class="panel" aria-labelledby="help-thoughts">
        <h2 id="help-thoughts" class="subtitle">${t('help.thoughts_heading')}</h2>
        <p>${t('help.thoughts_text')}</p>
      </section>
      <section class="panel" aria-labelledby="help-talk">
        <h2 id="help-talk" class="subtitle">${t('help.talk_heading')}</h2>
        <p>${t('help.talk_text')}</p>
      </section>
    </div>`;
}
