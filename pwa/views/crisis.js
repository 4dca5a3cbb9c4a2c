// crisis.js: "I need help now" (#/crisis): 112 first, then the crisis and support lines for
// the account's country and language (from the help resources, with their sources).

import { html, useEffect, useState } from './html.js';
import { t } from '../i18n.js';
import { getHelpResources } from '../api.js';
import { readThrough } from '../offline.js';
import { Title } from './parts.js';

// Links only to https pages: the list is data, and data never becomes a script URL.
function safeUrl(url) {
  return typeof url === 'string' && url.startsWith('https://') ? url : null;
}

function telHref(phone) {
  return `tel:${String(phone).replace(/[^\d+]/g, '')}`;
}

function Resource({ resource }) {
  const headingId = `resource-${resource.id}`;
  return html`
    <li class="resource">
      <article aria-labelledby=${headingId}>
        <h3 id=${headingId} class="resource__name">${resource.name}</h3>
        ${resource.description && html`<p>${resource.description}</p>`}
        ${resource.hours && html`<p class="hint">${t('help.crisis.hours', { hours: resource.hours })}</p>`}
        <div class="card__actions">
          ${resource.phone && html`
            <a class="button" href=${telHref(resource.phone)}>${t('help.crisis.call', { phone: resource.phone })}</a>`}
          ${safeUrl(resource.url) && html`
            <a class="button button--secondary" href=${safeUrl(resource.url)} rel="noopener noreferrer">${t('help.crisis.website')}</a>`}
        </div>
        ${safeUrl(resource.source) && html`
          <p class="hint"><a href=${safeUrl(resource.source)} rel="noopener noreferrer">${t('help.crisis.source')}</a></p>`}
      </article>
    </li>`;
}

function Resources({ state }) {
  const [answer, setAnswer] = useState({ loading: Boolean(state.token), resources: [] });

  useEffect(() => {
    if (!state.token) return;
    readThrough('help_resources', getHelpResources)
      .then(({ value }) => setAnswer({ loading: false, resources: value.resources ?? [] }))
      .catch(() => setAnswer({ loading: false, resources: [], failed: true }));
  }, [state.token]);

  // 112 is shown above in every case, so an emergency number entry is not repeated here.
  const lines = answer.resources.filter((r) => String(r.phone ?? '').replace(/\s/g, '') !== '112');
  return html`
    <section class="panel" aria-labelledby="crisis-lines">
      <h2 id="crisis-lines" class="subtitle">${t('help.crisis.lines_heading')}</h2>
      ${answer.loading && html`<p>${t('help.crisis.loading')}</p>`}
      ${!answer.loading && lines.length > 0 && html`
        <ul class="resources">${lines.map((r) => html`<${Resource} key=${r.id} resource=${r} />`)}</ul>`}
      ${!answer.loading && lines.length === 0 && html`
        <p>${t(answer.failed ? 'help.crisis.unavailable' : 'help.crisis.none')}</p>`}
      <p>${t('help.talk_text')}</p>
    </section>`;
}

export function Crisis({ state }) {
  return html`
    <div class="screen screen--crisis">
      <${Title}>${t('help.crisis.title')}<//>
      <section class="panel panel--urgent" aria-labelledby="crisis-emergency">
        <h2 id="crisis-emergency" class="subtitle">${t('help.emergency_heading')}</h2>
        <p>${t('help.emergency_text')}</p>
        <p>${t('help.emergency_norway')}</p>
        <p><a class="button button--urgent" href="tel:112">${t('help.call_112')}</a></p>
      </section>
      <section class="panel" aria-labelledby="crisis-thoughts">
        <h2 id="crisis-thoughts" class="subtitle">${t('help.thoughts_heading')}</h2>
        <p>${t('help.thoughts_text')}</p>
      </section>
      <${Resources} state=${state} />
      <section class="panel" aria-labelledby="crisis-overdose">
        <h2 id="crisis-overdose" class="subtitle">${t('help.overdose_heading')}</h2>
        <p>${t('help.overdose_text')}</p>
      </section>
    </div>`;
}
