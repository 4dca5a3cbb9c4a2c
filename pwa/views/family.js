// family.js: the relatives' home (#/family): advice articles, their own check-up, family
// groups in the meeting finder, and help lines.

import { html } from './html.js';
import { t } from '../i18n.js';
import { ArticleList } from './article-list.js';
import { Title } from './parts.js';
import { EmergencyCall, LinesSection } from './help-lines.js';

export function Family({ state, actions }) {
  const has = (route) => actions.hasRoute?.(route) ?? false;
  return html`
    <div class="screen screen--family">
      <${Title}>${t('family.title')}<//>
      <p class="lead">${t('family.lead')}</p>

      <section class="panel" aria-labelledby="family-advice">
        <h2 id="family-advice" class="subtitle">${t('family.advice_heading')}</h2>
        <p class="hint">${t('family.advice_hint')}</p>
        <${ArticleList} lang=${state.lang} section="family" headingId="family-advice" />
      </section>

      ${has('checkup') && html`
        <section class="panel" aria-labelledby="family-checkup">
          <h2 id="family-checkup" class="subtitle">${t('family.checkup_heading')}</h2>
          <p>${t('family.checkup_text')}</p>
          <p><a class="button button--secondary" href="#/checkup">${t('family.checkup_link')}</a></p>
        </section>`}

      <section class="panel" aria-labelledby="family-groups">
        <h2 id="family-groups" class="subtitle">${t('family.groups_heading')}</h2>
        <p>${t('family.groups_text')}</p>
        ${has('meetings') && html`
          <p><a class="button button--secondary" href="#/meetings/family">${t('family.groups_link')}</a></p>`}
      </section>

      <section class="panel panel--urgent" aria-labelledby="family-help">
        <h2 id="family-help" class="subtitle">${t('family.help_heading')}</h2>
        <p>${t('family.help_text')}</p>
        <div class="card__actions">
          <${EmergencyCall} state=${state} />
          <a class="button button--secondary" href="#/crisis">${t('family.help_link')}</a>
        </div>
      </section>
      <${LinesSection} state=${state} kinds=${['relatives']} id="family-lines"
        headingKey="help.lines.relatives_heading" />
      <${LinesSection} state=${state} kinds=${['youth']} id="family-youth"
        headingKey="help.lines.youth_heading" />
    </div>`;
}
