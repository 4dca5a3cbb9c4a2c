"""Articles over HTTP: every article in every language, as JSON with safe HTML."""

from __future__ import annotations

import httpx
import pytest

LOCALES = ("sv", "nb", "da", "en")


def test_every_listed_article_is_served_in_every_language(http: httpx.Client) -> None:
    english = http.get("/api/articles/en").json()["articles"]
    assert len(english) >= 8
    for locale in LOCALES:
        listing = http.get(f"/api/articles/{locale}")
        assert listing.status_code == 200
        assert [a["slug"] for a in listing.json()["articles"]] == [a["slug"] for a in english]
        for summary in listing.json()["articles"]:
            article = http.get(f"/api/articles/{locale}/{summary['slug']}")
            assert article.status_code == 200, (locale, summary["slug"])
            body = article.json()
            assert body["title"] == summary["title"] and body["locale"] == locale
            assert body["reading_minutes"] >= 1
            assert body["body_html"].startswith("<") and "<script" not in body["body_html"]
            assert "javascript:" not in body["body_html"]


def test_section_filter_and_reading_order(http: httpx.Client) -> None:
    family = http.get("/api/articles/nb", params={"section": "family"}).json()["articles"]
    assert family and {a["section"] for a in family} == {"family"}
    assert [a["order"] for a in family] == sorted(a["order"] for a in family)
    waiting = http.get("/api/articles/nb", params={"section": "waiting"}).json()["articles"]
    assert waiting and {a["section"] for a in waiting} == {"waiting"}


def test_article_shape(http: httpx.Client) -> None:
    body = http.get("/api/articles/sv/talking-about-drugs").json()
    assert set(body) == {
        "slug",
        "locale",
        "section",
        "order",
        "title",
        "summary",
        "reading_minutes",
        "body_html",
    }
    assert body["section"] == "family"


def test_articles_are_public_and_cacheable(http: httpx.Client) -> None:
    answer = http.get("/api/articles/da")
    assert answer.status_code == 200
    assert "max-age=300" in answer.headers["cache-control"]


@pytest.mark.parametrize(
    ("path", "status", "field"),
    [
        ("/api/articles/de", 400, "locale"),
        ("/api/articles/en?section=news", 400, "section"),
        ("/api/articles/en/no-such-article", 404, "slug"),
        ("/api/articles/fi/talking-about-drugs", 400, "locale"),
    ],
)
def test_bad_requests_name_the_problem(
    http: httpx.Client, path: str, status: int, field: str
) -> None:
    answer = http.get(path)
    assert answer.status_code == status
    assert answer.json()["detail"]
    assert field in answer.text
