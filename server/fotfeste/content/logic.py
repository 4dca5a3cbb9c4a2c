"""Pure rules for articles: front matter, Markdown to safe HTML, reading time."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import nh3
from markdown_it import MarkdownIt

LOCALES = ("sv", "nb", "da", "en")
SECTIONS = ("family", "waiting")
WORDS_PER_MINUTE = 200
REQUIRED_FIELDS = ("title", "summary", "section", "order")

# Raw HTML in Markdown is shown as text, and the sanitiser below runs anyway: articles are files
# in the repository today, but nothing a future editor types may ever become script on a phone.
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})

_ALLOWED_TAGS = {
    "p",
    "h2",
    "h3",
    "h4",
    "ul",
    "ol",
    "li",
    "strong",
    "em",
    "a",
    "blockquote",
    "br",
    "hr",
    "code",
}
_ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
_URL_SCHEMES = {"https", "http", "mailto", "tel"}
_WORD = re.compile(r"\w+")
_FRONT_MATTER = re.compile(r"\A---\n(?P<head>.*?)\n---\n(?P<body>.*)\Z", re.DOTALL)


class ContentError(ValueError):
    """An article file is malformed; the message names the file and the problem."""


@dataclass(frozen=True)
class Article:
    slug: str
    locale: str
    section: str
    order: int
    title: str
    summary: str
    body_html: str
    reading_minutes: int


def split_front_matter(text: str, name: str) -> tuple[dict[str, str], str]:
    """`---` lines around `key: value` pairs, then the Markdown body."""
    match = _FRONT_MATTER.match(text.replace("\r\n", "\n"))
    if match is None:
        raise ContentError(f"{name}: an article starts with front matter between '---' lines")
    fields: dict[str, str] = {}
    for number, line in enumerate(match.group("head").splitlines(), start=2):
        if not line.strip():
            continue
        key, colon, value = line.partition(":")
        if not colon or not key.strip():
            raise ContentError(f"{name}:{number}: expected 'key: value', got {line!r}")
        fields[key.strip()] = value.strip()
    return fields, match.group("body")


def render_markdown(body: str) -> str:
    """CommonMark to HTML that keeps only text formatting and links with safe schemes."""
    return nh3.clean(
        _markdown.render(body),
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes=_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()


def reading_minutes(body: str, words_per_minute: int = WORDS_PER_MINUTE) -> int:
    """Whole minutes to read the body at an unhurried pace; never less than one."""
    return max(1, math.ceil(len(_WORD.findall(body)) / words_per_minute))


def parse_article(text: str, *, slug: str, locale: str) -> Article:
    """One Markdown file with front matter, checked and rendered."""
    name = f"{locale}/{slug}.md"
    fields, body = split_front_matter(text, name)
    missing = [key for key in REQUIRED_FIELDS if not fields.get(key)]
    if missing:
        raise ContentError(f"{name}: front matter lacks {', '.join(missing)}")
    if fields["section"] not in SECTIONS:
        raise ContentError(f"{name}: section must be one of {', '.join(SECTIONS)}")
    if not fields["order"].isdigit():
        raise ContentError(f"{name}: order must be a whole number")
    if not body.strip():
        raise ContentError(f"{name}: the article has no text")
    return Article(
        slug=slug,
        locale=locale,
        section=fields["section"],
        order=int(fields["order"]),
        title=fields["title"],
        summary=fields["summary"],
        body_html=render_markdown(body),
        reading_minutes=reading_minutes(body),
    )


def missing_translations(slugs_by_locale: dict[str, set[str]]) -> dict[str, set[str]]:
    """For each locale, the slugs that some other locale has and it lacks."""
    every = set().union(*slugs_by_locale.values()) if slugs_by_locale else set()
    return {
        locale: every - slugs_by_locale.get(locale, set())
        for locale in LOCALES
        if every - slugs_by_locale.get(locale, set())
    }
