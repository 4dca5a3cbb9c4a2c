// article-list.js: a list of advice articles (title, summary, reading time) that open in the
// reader at #/article/<slug>.

import { html, useEffect, useState } from './html.js';
import { t } from '../i18n.js';
import { keepForOffline, loadArticles } from '../articles-data.js';

export function ArticleList({ lang, section, headingId }) {
  const [articles, setArticles] = useState(null);

  useEffect(() => {
    let live = true;
    loadArticles(lang, section)
      .then((list) => {
        if (!live) return;
        setArticles(list);
        keepForOffline(lang, list);
      })
      .catch(() => live && setArticles([]));
    return () => { live = false; };
  }, [lang, section]);

  if (articles === null) return html`<p>${t('family.loading')}</p>`;
  if (articles.length === 0) return html`<p>${t('family.unavailable')}</p>`;
  return html`
    <ul class="article-list" aria-labelledby=${headingId}>
      ${articles.map((a) => html`
        <li key=${a.slug} class="article-list__item">
          <a class="article-link" href=${`#/article/${a.slug}`}>
            <span class="article-link__title">${a.title}</span>
            <span class="article-link__summary">${a.summary}</span>
            <span class="article-link__time">${t('family.reading_time', { count: a.reading_minutes })}</span>
          </a>
        </li>`)}
    </ul>`;
}
