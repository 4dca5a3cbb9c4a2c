// help-lines.js: the crisis and support lines of the account's country, as tap-to-call links
// with their hours (in the person's language), whether they are anonymous, and their source.
// The list comes from GET /api/help/resources, kept on the device so it works offline.

import { html, useEffect, useState } from './html.js';
import { t } from '../i18n.js';
import { getHelpResources } from '../api.js';
import { readThrough } from '../offline.js';

// "I need help now" and a safety answer: the server's order (crisis line, emergency numbers,
// addiction advice, medical advice). Other kinds have their own screens.
export const CRISIS_KINDS = ['crisis_line', 'emergency', 'addiction', 'medical', 'support', 'advice'];
// Danish regions are proper names, the same in every language.
export const REGIONS = {
  hovedstaden: 'Region Hovedstaden',
  sjaelland: 'Region Sjælland',
  syddanmark: 'Region Syddanmark',
  midtjylland: 'Region Midtjylland',
  nordjylland: 'Region Nordjylland',
};

// Links only to http(s) pages: the list is data, and data never becomes a script URL.
function safeUrl(url) {
  return typeof url === 'string' && /^https?:\/\//.test(url) ? url : null;
}

export function telHref(phone) {
  return `tel:${String(phone).replace(/[^\d+]/g, '')}`;
}

// The lines kept on the device: fresh when online, the last copy offline. Answers
// {loading, failed, resources}.
export async function loadHelpLines() {
  const { value } = await readThrough('help_resources', getHelpResources);
  return value.resources ?? [];
}

export function useHelpLines(state) {
  const [answer, setAnswer] = useState({ loading: Boolean(state.token), resources: [] });
  useEffect(() => {
    if (!state.token) return;
    loadHelpLines()
      .then((resources) => setAnswer({ loading: false, resources }))
      .catch(() => setAnswer({ loading: false, resources: [], failed: true }));
  }, [state.token, state.lang, state.me?.country]);
  return answer;
}

export function linesOf(resources, kinds) {
  return (resources ?? []).filter((r) => kinds.includes(r.kind));
}

export function HelpLine({ resource, urgent = false }) {
  const headingId = `line-${resource.id}`;
  const source = safeUrl(resource.source);
  return html`
    <li class="resource help-line" data-line=${resource.id}>
      <article aria-labelledby=${headingId}>
        <h3 id=${headingId} class="resource__name">${resource.name}</h3>
        ${resource.region && html`<p class="help-line__region">${REGIONS[resource.region] ?? resource.region}</p>`}
        ${resource.description && html`<p>${resource.description}</p>`}
        <p class="hint help-line__hours">${resource.hours
          ? t('help.crisis.hours', { hours: resource.hours }) : t('help.lines.hours_unknown')}</p>
        ${resource.anonymous === true && html`<p class="hint">${t('help.lines.anonymous')}</p>`}
        ${resource.anonymous === false && html`<p class="hint">${t('help.lines.not_anonymous')}</p>`}
        <div class="card__actions">
          ${resource.phone && html`
            <a class=${urgent && resource.kind !== 'medical' ? 'button button--urgent' : 'button'}
               href=${telHref(resource.phone)}>${t('help.crisis.call', { phone: resource.phone })}</a>`}
          ${safeUrl(resource.url) && html`
            <a class="button button--secondary" href=${safeUrl(resource.url)} rel="noopener noreferrer">${t('help.crisis.website')}</a>`}
        </div>
        ${source && html`
          <p class="hint help-line__source"><a href=${source} rel="noopener noreferrer">${t('help.crisis.source')}</a>${resource.checked
            ? ` · ${t('help.lines.checked', { date: resource.checked })}` : ''}</p>`}
      </article>
    </li>`;
}

export function HelpLines({ resources, urgent = false }) {
  return html`
    <ul class="resources help-lines">
      ${resources.map((r) => html`<${HelpLine} key=${r.id} resource=${r} urgent=${urgent} />`)}
    </ul>`;
}

// The emergency number a person meets first: in Norway 113 is the medical emergency number
// (112 is the police); elsewhere 112.
export function EmergencyCall({ state }) {
  if (state?.me?.country === 'NO') {
    return html`
      <a class="button button--urgent" href="tel:113">${t('help.call_113')}</a>
      <a class="button button--secondary" href="tel:112">${t('help.call_112_police')}</a>`;
  }
  return html`<a class="button button--urgent" href="tel:112">${t('help.call_112')}</a>`;
}

// A screen's own lines (youth, relatives, violence), under a heading, only when there are any.
export function LinesSection({ state, kinds, headingKey, id }) {
  const answer = useHelpLines(state);
  const lines = linesOf(answer.resources, kinds);
  if (!lines.length) return null;
  return html`
    <section class="panel" aria-labelledby=${id}>
      <h2 id=${id} class="subtitle">${t(headingKey)}</h2>
      <${HelpLines} resources=${lines} />
    </section>`;
}
