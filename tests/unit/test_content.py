"""Articles: front matter, safe HTML, reading time, and every article in every language."""

from __future__ import annotations

from pathlib import Path

import pytest

from fotfeste.content.library import ARTICLES_DIR, Library
from fotfeste.content.logic import (
    LOCALES,
    ContentError,
    missing_translations,
    parse_article,
    reading_minutes,
    render_markdown,
    split_front_matter,
)

GOOD = "---\ntitle: Hello\nsummary: A short one\nsection: family\norder: 3\n---\n\nSome *text*.\n"


def test_every_article_exists_in_every_language() -> None:
    slugs = {locale: {p.stem for p in (ARTICLES_DIR / locale).glob("*.md")} for locale in LOCALES}
    assert slugs["en"], "there are articles"
    assert missing_translations(slugs) == {}
    assert all(slugs[locale] == slugs["en"] for locale in LOCALES)


def test_shipped_articles_load_and_agree_across_languages() -> None:
    library = Library.load()
    for locale in LOCALES:
        listing = library.listing(locale)
        assert [(a.slug, a.section, a.order) for a in listing] == [
            (a.slug, a.section, a.order) for a in library.listing("en")
        ]
        for article in listing:
            assert article.title and article.summary and "<script" not in article.body_html
            assert "<h1" not in article.body_html, "the title comes from front matter"


def test_family_section_covers_the_craft_topics() -> None:
    slugs = {a.slug for a in Library.load().listing("en", "family")}
    assert {
        "understanding-the-use",
        "positive-communication",
        "rewarding-non-use",
        "looking-after-yourself",
        "safety-and-violence",
        "suggesting-treatment",
        "talking-about-drugs",
    } <= slugs


@pytest.mark.parametrize(
    ("markdown", "absent", "present"),
    [
        ("Hi <script>alert(1)</script>", "<script", "&lt;script&gt;"),
        ("<img src=x onerror=alert(1)>", "<img", "&lt;img"),
        ("[click](javascript:alert(1))", 'href="javascript', "click"),
        ("<a href='https://x.se' onclick='steal()'>x</a>", "<a href", "&lt;a href"),
        ("[guide](https://www.1177.se/)", "javascript", 'href="https://www.1177.se/"'),
        ("[call](tel:112)", "<script", 'href="tel:112"'),
        ("## Heading\n\n- one\n- two", "<script", "<h2>Heading</h2>"),
    ],
)
def test_markdown_is_rendered_and_sanitised(markdown: str, absent: str, present: str) -> None:
    html = render_markdown(markdown)
    assert absent not in html
    assert present in html


def test_links_get_noopener() -> None:
    assert 'rel="noopener noreferrer"' in render_markdown("[a](https://example.org/)")


@pytest.mark.parametrize(
    ("body", "minutes"),
    [("", 1), ("word " * 10, 1), ("word " * 200, 1), ("word " * 201, 2), ("ord " * 1000, 5)],
)
def test_reading_minutes(body: str, minutes: int) -> None:
    assert reading_minutes(body) == minutes


def test_front_matter_is_read() -> None:
    fields, body = split_front_matter(GOOD, "x.md")
    assert fields == {"title": "Hello", "summary": "A short one", "section": "family", "order": "3"}
    assert body.strip() == "Some *text*."
    article = parse_article(GOOD, slug="hello", locale="sv")
    assert article.body_html == "<p>Some <em>text</em>.</p>" and article.order == 3


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("no front matter", "front matter"),
        ("---\ntitle Hello\n---\nbody", "key: value"),
        ("---\ntitle: Hi\nsummary: s\nsection: family\n---\nbody", "lacks order"),
        ("---\ntitle: Hi\nsummary: s\nsection: news\norder: 1\n---\nbody", "section must be"),
        ("---\ntitle: Hi\nsummary: s\nsection: family\norder: first\n---\nbody", "whole number"),
        ("---\ntitle: Hi\nsummary: s\nsection: family\norder: 1\n---\n  \n", "no text"),
    ],
)
def test_malformed_articles_are_refused(text: str, message: str) -> None:
    with pytest.raises(ContentError, match=message):
        parse_article(text, slug="x", locale="en")


def test_a_missing_translation_fails_loading(tmp_path: Path) -> None:
    for locale in LOCALES:
        (tmp_path / locale).mkdir()
        (tmp_path / locale / "one.md").write_text(GOOD, encoding="utf-8")
    (tmp_path / "sv" / "two.md").write_text(GOOD, encoding="utf-8")
    with pytest.raises(ContentError, match=r"missing in some languages: da: two; en: two; nb: two"):
        Library.load(tmp_path)
