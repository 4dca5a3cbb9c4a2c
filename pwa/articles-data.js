// articles-data.js: advice articles, kept on the device once read or listed, so they can be
// read again without a connection.

import { getArticle, getArticles } from './api.js';
import { readThrough } from './offline.js';

export async function loadArticles(lang, section) {
  const { value } = await readThrough(`articles:${lang}:${section}`, () => getArticles(lang, section));
  return value.articles ?? [];
}

export async function loadArticle(lang, slug) {
  const { value } = await readThrough(`article:${lang}:${slug}`, () => getArticle(lang, slug));
  return value;
}

// Fetch every listed article in the background, so the whole section reads offline later.
export async function keepForOffline(lang, articles) {
  for (const article of articles) {
    try {
      await loadArticle(lang, article.slug);
    } catch {
      return; // offline again: the rest waits for the next visit
    }
  }
}
