"""The staff pages' catalogue: every key in sv, nb, da and en, and every key the templates use."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from fotfeste.staff import logic
from fotfeste.staff.pages import I18N_DIR, catalogue, timepoint_label, translator

TEMPLATES = Path(I18N_DIR).parent / "templates"
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_LITERAL_KEY = re.compile(r"""\bt\(\s*["']([a-z0-9_.]*[a-z0-9_])["']\s*[,)]""")


@pytest.mark.parametrize("locale", ["sv", "nb", "da"])
def test_every_key_in_every_language(locale: str) -> None:
    english, other = catalogue("en"), catalogue(locale)
    assert set(other) == set(english)
    for key, text in other.items():
        assert text.strip(), key
        assert set(_PLACEHOLDER.findall(text)) == set(_PLACEHOLDER.findall(english[key])), key


def test_templates_use_only_known_keys() -> None:
    english = catalogue("en")
    used = {
        key
        for template in TEMPLATES.glob("*.html")
        for key in _LITERAL_KEY.findall(template.read_text(encoding="utf-8"))
    }
    assert used and used <= set(english), used - set(english)


def test_keys_built_from_data_exist() -> None:
    english = catalogue("en")
    built = [f"programme.{p}" for p in logic.PROGRAMMES]
    built += [f"language.{locale}" for locale in logic.LOCALES]
    built += [f"outcomes.{m}" for m in logic.MEASURES]
    built += ["outcomes.regular", "outcomes.not_regular"]
    actions = ["login", "login.locked", "code.created", "code.revoked", "password.changed"]
    actions += ["password.reset", "user.created"]
    built += [f"audit.action.{a.replace('.', '_')}" for a in actions]
    built += [f"message.{k}_{part}" for k in ("csrf", "not_found") for part in ("title", "body")]
    built += [f"password.{k}" for k in ("wrong", "mismatch", "too_short", "too_long", "same")]
    built += ["login.wrong", "login.locked"]
    built += [f"timepoint.{k}" for k in ("baseline", "intake", "months", "weeks")]
    assert [key for key in built if key not in english] == []


def test_timepoint_labels() -> None:
    t = translator("sv")
    assert [timepoint_label(t, k) for k in ("baseline", "intake", "m3", "w8", "odd")] == [
        "Start",
        "Inskrivning",
        "3 månader",
        "Vecka 8",
        "odd",
    ]
