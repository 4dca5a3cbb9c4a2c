"""Crisis and support lines: what ships, the order a person sees, regions, the operator's file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.api.conftest import Person, sign_up
from tests.conftest import SHARED_DATA, LiveServer
from tests.server import database_env

HELPLINES = json.loads((SHARED_DATA / "helplines" / "nordic-helplines.json").read_text("utf-8"))
PHQ9_SAFETY = {str(n): 0 for n in range(1, 10)} | {"9": 1}


def test_every_line_marked_yes_ships_with_its_number_and_source(
    person_factory: Callable[..., Person],
) -> None:
    people = {
        "SE": person_factory(locale="sv", timezone="Europe/Stockholm"),
        "NO": person_factory(locale="nb", timezone="Europe/Oslo"),
        "DK": person_factory(locale="da", timezone="Europe/Copenhagen"),
    }
    shipped = {
        country: {r["id"]: r for r in person.get("/api/help/resources").json()["resources"]}
        for country, person in people.items()
    }
    for entry in HELPLINES:
        served = shipped[entry["country"]].get(entry["id"])
        if not entry["show_in_app"].startswith("yes"):
            assert served is None, f"{entry['id']} is to be verified first"
            continue
        assert served is not None, entry["id"]
        assert served["phone"] == entry["phone"]
        assert served["source"] == entry["sources"][0]["url"]
        assert served["checked"] and served["anonymous"] == entry["anonymous"]


@pytest.mark.parametrize(
    ("fields", "phones"),
    [
        ({"locale": "sv", "timezone": "Europe/Stockholm"}, ["90101", "112", "1177"]),
        (
            {"locale": "nb", "timezone": "Europe/Oslo"},
            ["116 123", "22 40 00 40", "113", "112", "116117"],
        ),
        (
            {"locale": "da", "timezone": "Europe/Copenhagen"},
            ["70 20 12 01", "112", "80 200 500", "1813", "1818", "7011 0707", "70 11 31 31"],
        ),
    ],
)
def test_a_safety_answer_lists_the_crisis_line_first(
    person_factory: Callable[..., Person], fields: dict[str, str], phones: list[str]
) -> None:
    person = person_factory(**fields)
    body = person.post("/api/responses", json={"instrument": "phq9", "answers": PHQ9_SAFETY})
    resources = body.json()["resources"]
    assert [r["phone"] for r in resources][: len(phones)] == phones
    # Only the lines for this moment: no youth, violence or poison lines here.
    assert {r["kind"] for r in resources} <= {"crisis_line", "emergency", "addiction", "medical"}
    first = resources[0]
    assert first["anonymous"] is True and first["kind"] == "crisis_line"


def test_hours_in_the_persons_language(person_factory: Callable[..., Person]) -> None:
    in_english = person_factory(locale="en", timezone="Europe/Stockholm")
    lines = {r["id"]: r for r in in_english.get("/api/help/resources").json()["resources"]}
    assert lines["se-sjalvmordslinjen"]["hours"] == "24 hours a day, every day"
    swede = person_factory(locale="sv", timezone="Europe/Stockholm")
    lines = {r["id"]: r for r in swede.get("/api/help/resources").json()["resources"]}
    assert lines["se-sjalvmordslinjen"]["hours"] == "Dygnet runt, alla dagar"
    assert lines["se-bris"]["kind"] == "youth"
    assert lines["se-kvinnofridslinjen"]["kind"] == "violence"
    assert lines["se-anhoriglinjen"]["kind"] == "relatives"


def test_danish_medical_lines_by_region(person_factory: Callable[..., Person]) -> None:
    dane = person_factory(locale="da", timezone="Europe/Copenhagen")
    medical = [r for r in dane.get("/api/help/resources").json()["resources"] if r["region"]]
    assert [r["region"] for r in medical] == [
        "hovedstaden",
        "sjaelland",
        "syddanmark",
        "midtjylland",
        "nordjylland",
    ]
    assert dane.get("/api/help/settings").json() == {"region": None}
    assert dane.put("/api/help/settings", json={"region": "sjaelland"}).status_code == 200
    body = dane.get("/api/help/resources").json()
    assert body["region"] == "sjaelland"
    assert [r["phone"] for r in body["resources"] if r["region"]] == ["1818"]
    answer = dane.post("/api/responses", json={"instrument": "phq9", "answers": PHQ9_SAFETY})
    assert [r["phone"] for r in answer.json()["resources"] if r["kind"] == "medical"] == ["1818"]
    assert dane.put("/api/help/settings", json={"region": "fyn"}).status_code == 400
    assert dane.put("/api/help/settings", json={"region": None}).json() == {"region": None}
    swede = person_factory(locale="sv", timezone="Europe/Stockholm")
    refused = swede.put("/api/help/settings", json={"region": "hovedstaden"})
    assert refused.status_code == 400 and "Denmark" in refused.text


def _line(line_id: str, phone: str, checked: str, **extra: object) -> dict[str, object]:
    return {
        "id": line_id,
        "name": {"en": f"Line {line_id}"},
        "phone": phone,
        "url": None,
        "hours": {"en": "Weekdays 9–17", "sv": "Vardagar 9–17"},
        "country": "SE",
        "languages": ["sv"],
        "kind": "addiction",
        "source": "https://example.invalid/source",
        "checked": checked,
        **extra,
    }


def test_a_deployment_extends_and_overrides_by_id(
    server_factory: Callable[..., LiveServer], tmp_path: Path
) -> None:
    own = tmp_path / "lines.json"
    own.write_text(
        json.dumps(
            {
                "mode": "extend",
                "resources": [
                    _line("se-local-addiction", "020 00 00 00", "2026-03-01"),
                    _line("se-1177", "1177", "2026-03-01", kind="medical"),
                ],
            }
        ),
        encoding="utf-8",
    )
    server = server_factory(crisis_resources=own)
    person = sign_up(server.url, locale="sv", timezone="Europe/Stockholm")
    body = person.post("/api/responses", json={"instrument": "phq9", "answers": PHQ9_SAFETY})
    lines = body.json()["resources"]
    assert [r["id"] for r in lines] == [
        "se-sjalvmordslinjen",
        "se-112",
        "se-local-addiction",
        "se-1177",
    ]
    assert lines[3]["name"] == "Line se-1177" and lines[3]["hours"] == "Vardagar 9–17"
    person.client.close()


def _cli(*args: str, data_dir: Path, resources: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        **database_env(data_dir),
        "FOTFESTE_DEMO": "0",
        "FOTFESTE_CRISIS_RESOURCES": str(resources),
    }
    return subprocess.run(
        [sys.executable, "-m", "fotfeste", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_resources_check_lists_sources_and_warns_about_old_checks(tmp_path: Path) -> None:
    # The command reads the real date, so the test's dates are relative to it.
    today = datetime.now(UTC).date()
    fresh, old = today - timedelta(days=30), today - timedelta(days=400)
    own = tmp_path / "lines.json"
    own.write_text(
        json.dumps(
            {
                "mode": "extend",
                "resources": [
                    _line("se-fresh-line", "020 11 11 11", fresh.isoformat()),
                    _line("se-old-line", "020 22 22 22", old.isoformat()),
                ],
            }
        ),
        encoding="utf-8",
    )
    result = _cli("resources", "check", data_dir=tmp_path, resources=own)
    assert result.returncode == 0, result.stderr
    blocks = result.stdout.split("\n")
    fresh_at = next(n for n, line in enumerate(blocks) if line.startswith("se-fresh-line"))
    old_at = next(n for n, line in enumerate(blocks) if line.startswith("se-old-line"))
    assert fresh.isoformat() in blocks[fresh_at] and "example.invalid" in blocks[fresh_at + 1]
    assert "WARNING" not in blocks[fresh_at + 2]
    assert "WARNING" in blocks[old_at + 2] and "12 months" in blocks[old_at + 2]
    # Every shipped line is listed too, with its source.
    for entry in HELPLINES:
        if entry["show_in_app"].startswith("yes"):
            assert entry["id"] in result.stdout and entry["sources"][0]["url"] in result.stdout
    broken = tmp_path / "broken.json"
    broken.write_text('{"mode": "extend", "resources": [{"id": "x"}]}', encoding="utf-8")
    refused = _cli("resources", "check", data_dir=tmp_path, resources=broken)
    assert refused.returncode == 1 and "crisis resources" in refused.stdout
