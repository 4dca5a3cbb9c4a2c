"""The articles on disk, read and rendered once per process."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from fotfeste.content.logic import (
    LOCALES,
    Article,
    ContentError,
    missing_translations,
    parse_article,
)

ARTICLES_DIR = Path(__file__).parent / "articles"


class Library:
    """Every article by locale and slug; built whole, so a broken file fails at start-up."""

    def __init__(self, articles: list[Article]) -> None:
        self._by_key = {(a.locale, a.slug): a for a in articles}

    @classmethod
    def load(cls, directory: Path = ARTICLES_DIR) -> Library:
        articles = [
            parse_article(path.read_text(encoding="utf-8"), slug=path.stem, locale=locale)
            for locale in LOCALES
            for path in sorted((directory / locale).glob("*.md"))
        ]
        gaps = missing_translations(
            {locale: {a.slug for a in articles if a.locale == locale} for locale in LOCALES}
        )
        if gaps:
            listed = "; ".join(f"{loc}: {', '.join(sorted(s))}" for loc, s in sorted(gaps.items()))
            raise ContentError(f"articles missing in some languages: {listed}")
        library = cls(articles)
        library._check_sections_agree()
        return library

    def _check_sections_agree(self) -> None:
        for (locale, slug), article in self._by_key.items():
            english = self._by_key[("en", slug)]
            if (article.section, article.order) != (english.section, english.order):
                raise ContentError(f"{locale}/{slug}.md: section or order differs from en")

    def listing(self, locale: str, section: str | None = None) -> list[Article]:
        """A locale's articles in reading order, optionally one section only."""
        chosen = [
            a
            for (loc, _), a in self._by_key.items()
            if loc == locale and (section is None or a.section == section)
        ]
        return sorted(chosen, key=lambda a: (a.section, a.order, a.slug))

    def article(self, locale: str, slug: str) -> Article | None:
        return self._by_key.get((locale, slug))


@cache
def library() -> Library:
    """The shipped articles; loaded on first use and kept for the life of the process."""
    return Library.load()
