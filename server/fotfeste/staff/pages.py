"""Rendering the staff pages: a jinja2 environment and the pages' own sv/nb/da/en catalogue."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from litestar import MediaType, Response

from fotfeste.staff.logic import LOCALES

_HERE = Path(__file__).parent
I18N_DIR = _HERE / "i18n"
STATIC_DIR = _HERE / "static"


@cache
def catalogue(locale: str) -> dict[str, str]:
    """The flattened catalogue of one language: "login.title" -> text."""
    data = json.loads((I18N_DIR / f"{locale}.json").read_text(encoding="utf-8"))
    flat: dict[str, str] = {}

    def walk(prefix: str, node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk(f"{prefix}{key}.", value)
        else:
            flat[prefix[:-1]] = str(node)

    walk("", data)
    return flat


def translator(locale: str) -> Callable[..., str]:
    """t(key, **params): the text in `locale`, English where a key is missing, the key at worst."""
    own, fallback = catalogue(locale), catalogue("en")

    def t(key: str, **params: Any) -> str:
        text = own.get(key) or fallback.get(key) or key
        return text.format(**params) if params else text

    return t


@cache
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(_HERE / "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


_MONTHS = re.compile(r"^m(\d+)$")
_WEEKS = re.compile(r"^w(\d+)$")


def timepoint_label(t: Callable[..., str], key: str) -> str:
    """A follow-up point's key (baseline, intake, m3, w8, …) as staff read it."""
    if key in {"baseline", "intake"}:
        return t(f"timepoint.{key}")
    if match := _MONTHS.match(key):
        return t("timepoint.months", n=int(match.group(1)))
    if match := _WEEKS.match(key):
        return t("timepoint.weeks", n=int(match.group(1)))
    return key


def render(template: str, locale: str, *, status_code: int = 200, **context: Any) -> Response[str]:
    t = translator(locale)
    html = (
        _environment()
        .get_template(template)
        .render(
            t=t,
            timepoint=lambda key: timepoint_label(t, key),
            locale=locale,
            locales=LOCALES,
            **context,
        )
    )
    return Response(
        html,
        status_code=status_code,
        media_type=MediaType.HTML,
        # Staff pages carry clinic figures and a CSRF token: never kept by a browser or proxy.
        headers={"cache-control": "no-store"},
    )
