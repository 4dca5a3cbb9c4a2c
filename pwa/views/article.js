// article.js: the article reader (#/article/<slug>). The body is HTML the server rendered from
// Markdown and sanitised (text formatting and links only).

import { html, useEffect, useState } from './html.js';
import { t } from '../i18n.js';
import { loadArticle } from '../articles-data.js';
import { Title } from './parts.js';
import { LinesSection } from './help-lines.js';

// Articles that speak of violence show the country's violence lines under them.
const ABOUT_VIOLENCE = new Set(['safety-and-violence']);

export function Article({ state }) {
  const slug = state.param;
  const [article, setArticle] = useState(undefined);

  useEffect(() => {
    let live = true;
    loadArticle(state.lang, slug)
      .then((found) => live && setArticle(found))
      .catch(() => live && setArticle(null));
    return () => { live = false; };
  }, [state.lang, slug]);

  const back = article?.section === 'waiting' ? '#/waiting' : '#/family';
  const backLabel = article?.section === 'waiting' ? 'waiting.back' : 'family.back';
  if (article === undefined) {
    return html`<div class="screen screen--article"><${Title}>${t('family.loading')}<//></div>`;
  }
  if (article === null) {
    return html`
      <div class="screen screen--article">
        <${Title}>${t('family.not_found')}<//>
        <p>${t('family.unavailable')}</p>
        <p class="aside-link"><a href="#/family">${t('family.back')}</a></p>
      </div>`;
  }
  return html`
    <div class="screen screen--article">
      <p class="aside-link aside-link--top"><a href=${back}>${t(backLabel)}</a></p>
      <article class="article" lang=${article.locale}>
        <${Title}>${article.title}<//>
        <p class="lead">${article.summary}</p>
        <p class="hint">${t('family.reading_time', { count: article.reading_minutes })}</p>
        <div class="article__body" dangerouslySetInnerHTML=${{ __html: article.body_html }}></div>
      </article>
      ${ABOUT_VIOLENCE.has(slug) && html`
        <${LinesSection} state=${state} kinds=${['violence']} id="article-violence"
          headingKey="help.lines.violence_heading" />`}
      <p class="aside-link"><a href=${back}>${t(backLabel)}</a></p>
    </div>`;
}
