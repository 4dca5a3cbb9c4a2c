"""HTTP for articles: public, the same for everyone, so the service worker may keep them."""

from __future__ import annotations

from litestar import Controller, get
from litestar.datastructures import CacheControlHeader
from litestar.params import FromPath, FromQuery

from fotfeste.content.library import library
from fotfeste.content.logic import Article
from fotfeste.content.models import ArticleBody, ArticleList, ArticleLocale, ArticleSummary, Section
from fotfeste.errors import NotFound
from fotfeste.web.throttle import public


def _summary(article: Article) -> ArticleSummary:
    return ArticleSummary(
        slug=article.slug,
        locale=article.locale,
        section=article.section,  # type: ignore[arg-type]
        order=article.order,
        title=article.title,
        summary=article.summary,
        reading_minutes=article.reading_minutes,
    )


class ArticlesController(Controller):
    path = "/api/articles"
    tags = ["content"]
    guards = [public]
    # Nothing personal: a short shared cache is fine, and revalidation keeps edits quick to land.
    cache_control = CacheControlHeader(max_age=300, public=True)

    @get("/{locale:str}", operation_id="listArticles")
    async def listing(
        self, locale: FromPath[ArticleLocale], section: FromQuery[Section | None] = None
    ) -> ArticleList:
        """The articles in one language, in reading order; `section` picks family or waiting."""
        return ArticleList(
            locale=locale, articles=[_summary(a) for a in library().listing(locale, section)]
        )

    @get("/{locale:str}/{slug:str}", operation_id="getArticle")
    async def article(self, locale: FromPath[ArticleLocale], slug: FromPath[str]) -> ArticleBody:
        """One article with its body as sanitised HTML."""
        found = library().article(locale, slug)
        if found is None:
            raise NotFound(f"No article {slug!r} in {locale}", field="slug")
        return ArticleBody(
            slug=found.slug,
            locale=found.locale,
            section=found.section,  # type: ignore[arg-type]
            order=found.order,
            title=found.title,
            summary=found.summary,
            reading_minutes=found.reading_minutes,
            body_html=found.body_html,
        )
