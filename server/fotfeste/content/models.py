"""The API's shapes for articles."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec
from msgspec import Meta

ArticleLocale = Literal["sv", "nb", "da", "en"]
Section = Literal["family", "waiting"]
Slug = Annotated[str, Meta(pattern=r"^[a-z0-9-]{1,80}$", examples=["talking-about-drugs"])]


class ArticleSummary(msgspec.Struct):
    slug: str
    locale: str
    section: Section
    order: int
    title: str
    summary: str
    reading_minutes: int


class ArticleList(msgspec.Struct):
    locale: str
    articles: list[ArticleSummary]


class ArticleBody(msgspec.Struct):
    slug: str
    locale: str
    section: Section
    order: int
    title: str
    summary: str
    reading_minutes: int
    body_html: Annotated[str, Meta(description="Sanitised HTML: text formatting and links only")]
