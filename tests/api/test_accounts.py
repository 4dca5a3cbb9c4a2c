"""Anonymous accounts over HTTP: create, profile, recover, devices, export and delete."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest

from fotfeste.clock import FixedClock, isoformat_utc
from tests.api.conftest import Person
from tests.conftest import LiveServer


def test_create_returns_token_and_grouped_recovery_code(http: httpx.Client) -> None:
    answer = http.post(
        "/api/accounts", json={"role": "relative", "locale": "nb", "timezone": "Europe/Oslo"}
    )
    assert answer.status_code == 201
    body = answer.json()
    assert set(body) == {"account_id", "token", "recovery_code"}
    assert len(body["token"]) >= 43  # 256 bits, url-safe base64
    groups = body["recovery_code"].split("-")
    assert len(groups) == 6 and all(len(g) == 4 for g in groups)


def test_profile_reflects_signup_and_today_in_own_zone(
    person_factory: Callable[..., Person], clock: object
) -> None:
    # DEFAULT_NOW is 2026-03-16 11:00 UTC: already the 17th in Kiritimati (UTC+14).
    kiritimati = person_factory(timezone="Pacific/Kiritimati", locale="da")
    me = kiritimati.get("/api/me").json()
    assert me["role"] == "self" and me["locale"] == "da" and me["discreet"] is False
    assert me["timezone"] == "Pacific/Kiritimati"
    assert me["today"] == "2026-03-17"
    assert me["country"] == "DK"  # from the language, as the zone says nothing


@pytest.mark.parametrize(
    ("fields", "country"),
    [
        ({"timezone": "Europe/Oslo", "locale": "en"}, "NO"),
        ({"timezone": "Europe/Stockholm", "locale": "nb"}, "SE"),
        ({"timezone": "America/New_York", "locale": "en"}, None),
        ({"timezone": "Europe/Berlin", "locale": "en", "country": "DE"}, "DE"),
    ],
)
def test_country_is_guessed_from_zone_then_language(
    person_factory: Callable[..., Person], fields: dict[str, str], country: str | None
) -> None:
    person = person_factory(**fields)
    assert person.get("/api/me").json()["country"] == country
    assert person.patch("/api/me", json={"country": "SE"}).json()["country"] == "SE"
    assert person.patch("/api/me", json={"country": "Sweden"}).status_code == 400


def test_referral_code_is_stored(person_factory: Callable[..., Person]) -> None:
    person = person_factory(referral_code="KLM-4821")
    assert person.get("/api/me").json()["referral_code"] == "KLM-4821"


def test_patch_changes_only_given_fields(person: Person) -> None:
    answer = person.patch("/api/me", json={"discreet": True})
    assert answer.status_code == 200
    assert answer.json()["discreet"] is True and answer.json()["locale"] == "en"
    answer = person.patch("/api/me", json={"locale": "sv", "timezone": "America/Sao_Paulo"})
    assert answer.json()["locale"] == "sv" and answer.json()["timezone"] == "America/Sao_Paulo"
    assert person.get("/api/me").json()["discreet"] is True


@pytest.mark.parametrize(
    "body",
    [
        {"timezone": "Mars/Olympus_Mons"},
        {"timezone": "../../etc/passwd"},
        {"locale": "de"},
        {"discreet": "yes"},
        {"nickname": "Kim"},
    ],
)
def test_patch_rejects_bad_values_and_keeps_profile(
    person: Person, body: dict[str, object]
) -> None:
    before = person.get("/api/me").json()
    answer = person.patch("/api/me", json=body)
    assert answer.status_code == 400
    assert answer.json()["detail"]
    assert person.get("/api/me").json() == before


def test_missing_and_bad_tokens_get_401(http: httpx.Client) -> None:
    assert http.get("/api/me").status_code == 401
    bad = http.get("/api/me", headers={"Authorization": "Bearer not-a-token"})
    assert bad.status_code == 401
    assert bad.headers["www-authenticate"].startswith("Bearer")
    assert http.get("/api/me", headers={"Authorization": "Basic abc"}).status_code == 401


def test_recover_moves_account_and_code_works_once(person: Person, http: httpx.Client) -> None:
    assert person.get("/api/me").status_code == 200  # the old device has been seen
    typed = person.recovery_code.lower().replace("-", " ")  # as a person might type it
    answer = http.post("/api/accounts/recover", json={"recovery_code": typed})
    assert answer.status_code == 200
    body = answer.json()
    assert body["account_id"] == person.account_id
    assert body["recovery_code"] != person.recovery_code
    # The new device works; the old one was signed out; the used code is dead.
    me = http.get("/api/me", headers={"Authorization": f"Bearer {body['token']}"})
    assert me.json()["account_id"] == person.account_id
    assert person.get("/api/me").status_code == 401
    again = http.post("/api/accounts/recover", json={"recovery_code": person.recovery_code})
    assert again.status_code == 401
    fresh = http.post(
        "/api/accounts/recover",
        json={"recovery_code": body["recovery_code"], "keep_other_devices": True},
    )
    assert fresh.status_code == 200
    assert (
        http.get("/api/me", headers={"Authorization": f"Bearer {body['token']}"}).status_code == 200
    )


def test_wrong_and_malformed_recovery_codes(person: Person, http: httpx.Client) -> None:
    code = person.recovery_code
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    assert http.post("/api/accounts/recover", json={"recovery_code": wrong}).status_code == 401
    malformed = http.post("/api/accounts/recover", json={"recovery_code": "hello"})
    assert malformed.status_code == 400
    assert "recovery code" in malformed.json()["detail"].lower()
    assert person.get("/api/me").status_code == 200  # failed attempts sign nobody out


def test_renewed_recovery_code_replaces_the_old(person: Person, http: httpx.Client) -> None:
    renewed = person.post("/api/me/recovery-code").json()["recovery_code"]
    assert (
        http.post("/api/accounts/recover", json={"recovery_code": person.recovery_code}).status_code
        == 401
    )
    assert http.post("/api/accounts/recover", json={"recovery_code": renewed}).status_code == 200


def test_devices_can_be_listed_and_revoked(person: Person, http: httpx.Client) -> None:
    second = http.post(
        "/api/accounts/recover",
        json={"recovery_code": person.recovery_code, "keep_other_devices": True},
    ).json()
    second_device = {"Authorization": f"Bearer {second['token']}"}
    assert http.get("/api/me", headers=second_device).status_code == 200
    devices = person.get("/api/me/devices").json()["devices"]
    assert len(devices) == 2 and sum(d["current"] for d in devices) == 1
    other = next(d for d in devices if not d["current"])
    assert person.delete(f"/api/me/devices/{other['id']}").status_code == 204
    # Signed out at once, on every route, the check-in included.
    assert http.get("/api/me", headers=second_device).status_code == 401
    today = person.get("/api/progress").json()["today"]
    checkin = http.put(f"/api/checkins/{today}", headers=second_device, json={"used": False})
    assert checkin.status_code == 401
    assert person.delete(f"/api/me/devices/{other['id']}").status_code == 404


def test_a_new_time_zone_applies_to_the_very_next_request(
    person_factory: Callable[..., Person], live_server: LiveServer
) -> None:
    # UTC-11 and UTC+14 are always on different dates, whatever the time of day.
    now = live_server.clock.now()
    samoa, kiribati = ZoneInfo("Pacific/Pago_Pago"), ZoneInfo("Pacific/Kiritimati")
    person = person_factory(timezone="Pacific/Pago_Pago")
    assert person.get("/api/progress").json()["today"] == now.astimezone(samoa).date().isoformat()
    assert person.patch("/api/me", json={"timezone": "Pacific/Kiritimati"}).status_code == 200
    today = now.astimezone(kiribati).date().isoformat()
    assert person.get("/api/progress").json()["today"] == today
    # The new today is no longer "the future" for a check-in.
    assert person.put(f"/api/checkins/{today}", json={"used": False}).status_code == 200


def test_a_device_shows_when_it_was_last_used_to_the_hour(
    person_factory: Callable[..., Person], clock: FixedClock
) -> None:
    person = person_factory()

    def last_used() -> str:
        (device,) = person.get("/api/me/devices").json()["devices"]
        return str(device["last_used_at"])

    signed_up = last_used()
    clock.advance(timedelta(minutes=59))
    assert last_used() == signed_up  # used again within the hour: not written again
    clock.advance(timedelta(minutes=2))
    person.get("/api/progress")
    later = last_used()
    assert later == isoformat_utc(clock.now()) and later > signed_up


def test_accounts_are_isolated(person_factory: Callable[..., Person]) -> None:
    alice, bob = person_factory(), person_factory()
    alice_device = alice.get("/api/me/devices").json()["devices"][0]["id"]
    assert bob.delete(f"/api/me/devices/{alice_device}").status_code == 404
    assert alice.get("/api/me").status_code == 200
    assert bob.get("/api/me/export").json()["account_id"] == bob.account_id
    assert alice.account_id not in bob.get("/api/me/export").text


def test_export_holds_account_rows_but_no_secrets(person: Person) -> None:
    export = person.get("/api/me/export").json()
    assert export["account_id"] == person.account_id
    assert export["tables"]["accounts"][0]["id"] == person.account_id
    assert len(export["tables"]["tokens"]) == 1
    text = str(export)
    assert "recovery_hash" not in text and "token_hash" not in text
    assert person.token not in text


def test_delete_removes_every_row_and_kills_the_token(
    person: Person, live_server: LiveServer
) -> None:
    assert person.delete("/api/me").status_code == 204
    assert person.get("/api/me").status_code == 401
    db = live_server.db
    tables = live_server.run(db.tables())
    assert "accounts" in tables and "checkins" in tables
    for table in tables:
        columns = live_server.run(db.columns(table))
        key = "id" if table == "accounts" else "account_id"
        if key in columns:
            [(count,)] = live_server.query(
                f'SELECT count(*) FROM "{table}" WHERE "{key}" = ?', (person.account_id,)
            )
            assert count == 0, f"{table} still holds rows of a deleted account"
