// waiting.js: treatment and waiting (#/waiting). A person waiting for treatment sees short
// guidance, meetings near them and the waiting-time article; saying treatment has started or
// ended ends waiting-list mode (the server then switches to the aftercare programme).

import { html, useEffect, useState } from './html.js';
import { t } from '../i18n.js';
import { STATUSES, loadTreatment, saveTreatment } from '../treatment-data.js';
import { ArticleList } from './article-list.js';
import { ErrorMessage, Title, errorText } from './parts.js';

export function WaitingGuidance({ actions, compact = false }) {
  const has = (route) => actions.hasRoute?.(route) ?? false;
  return html`
    <ul class="plain-list">
      <li>${t('waiting.tip_checkin')}</li>
      <li>${t('waiting.tip_plan')} <a href="#/plan">${t('waiting.to_plan')}</a></li>
      <li>${t('waiting.tip_meetings')}${has('meetings') && html` <a href="#/meetings">${t('waiting.to_meetings')}</a>`}</li>
      ${!compact && html`<li>${t('waiting.tip_tell')}</li>`}
    </ul>`;
}

export function Waiting({ state, actions }) {
  const [treatment, setTreatment] = useState(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  useEffect(() => {
    loadTreatment().then(setTreatment);
  }, []);

  async function choose(status) {
    const before = treatment;
    setTreatment({ ...treatment, status }); // the radio shows the choice at once
    setBusy(true);
    setError('');
    try {
      const { value, queued } = await saveTreatment(status);
      setTreatment(value);
      actions.announce(t(queued ? 'waiting.saved_offline' : `waiting.saved_${status}`));
    } catch (failure) {
      setTreatment(before);
      setError(errorText(failure));
    } finally {
      setBusy(false);
    }
  }

  const status = treatment?.status ?? 'none';
  return html`
    <div class="screen screen--waiting">
      <${Title}>${t('waiting.title')}<//>
      <p class="lead">${t('waiting.lead')}</p>
      ${treatment === null ? html`<p>${t('waiting.loading')}</p>` : html`
        <fieldset class="panel choice-group" disabled=${busy}>
          <legend class="subtitle">${t('waiting.question')}</legend>
          ${STATUSES.map((value) => html`
            <div class="field field--check" key=${value}>
              <input type="radio" class="switch" name="treatment" id=${`treatment-${value}`}
                value=${value} checked=${status === value} onChange=${() => choose(value)} />
              <label for=${`treatment-${value}`}>${t(`waiting.status_${value}`)}</label>
            </div>`)}
        </fieldset>
        <${ErrorMessage} id="waiting-error" message=${error} />
        ${status === 'waiting' && html`
          <section class="panel" aria-labelledby="waiting-now">
            <h2 id="waiting-now" class="subtitle">${t('waiting.while_heading')}</h2>
            <p>${t('waiting.programme_text')}</p>
            <${WaitingGuidance} actions=${actions} />
          </section>
          <section class="panel" aria-labelledby="waiting-read">
            <h2 id="waiting-read" class="subtitle">${t('waiting.read_heading')}</h2>
            <${ArticleList} lang=${state.lang} section="waiting" headingId="waiting-read" />
          </section>`}
        ${(status === 'in_treatment' || status === 'after') && html`
          <section class="panel" aria-labelledby="waiting-after">
            <h2 id="waiting-after" class="subtitle">${t(`waiting.${status}_heading`)}</h2>
            <p>${t(`waiting.${status}_text`)}</p>
          </section>`}`}
    </div>`;
}
