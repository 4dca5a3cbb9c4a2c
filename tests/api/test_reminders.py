"""Reminders over HTTP: settings, firing at the local minute, DST, quiet hours, discreet texts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from fotfeste.clock import FixedClock
from fotfeste.meetings.logic import meeting_id
from tests.api.conftest import Person
from tests.api.meetings_fixtures import FEED, run_import, write_feed
from tests.api.push_support import subscribe, tick
from tests.conftest import LiveServer
from tests.push_fake import FakePushService


def reminder(person: Person, kind: str) -> dict[str, object]:
    answer = person.get("/api/reminders")
    assert answer.status_code == 200
    return next(r for r in answer.json()["reminders"] if r["kind"] == kind)


def test_defaults_list_every_kind(person: Person) -> None:
    body = person.get("/api/reminders").json()
    assert [r["kind"] for r in body["reminders"]] == ["checkin", "followup", "meeting", "milestone"]
    assert all(not r["enabled"] for r in body["reminders"])
    assert body["quiet_hours"] is None
    assert body["timezone"] == "Europe/Stockholm"
    checkin = body["reminders"][0]
    assert checkin["available"] is True
    assert checkin["days"] == [0, 1, 2, 3, 4, 5, 6]


def test_set_checkin_computes_the_next_local_instant(person: Person) -> None:
    answer = person.put("/api/reminders/checkin", json={"enabled": True, "time": "20:00"})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["kind"] == "checkin"
    assert body["enabled"] is True
    # Monday 16 March 2026, 20:00 in Stockholm (CET) is 19:00 UTC.
    assert body["next_fire_at"] == "2026-03-16T19:00:00+00:00"
    off = person.put("/api/reminders/checkin", json={"enabled": False}).json()
    assert off["next_fire_at"] is None
    assert off["time"] == "20:00"  # kept for when it is turned on again


def test_bad_reminder_input_is_400(person: Person, http: httpx.Client) -> None:
    cases = [
        ("checkin", {"enabled": True, "time": "25:00"}, "time"),
        ("checkin", {"enabled": True, "time": "8:00"}, "time"),
        ("checkin", {"enabled": True, "days": [7]}, "days"),
        ("checkin", {"enabled": True, "days": []}, "days"),
        ("checkin", {"enabled": True, "colour": "red"}, "colour"),
        ("checkin", {}, "enabled"),
        ("weekly", {"enabled": True}, "kind"),
    ]
    for kind, body, field in cases:
        answer = person.put(f"/api/reminders/{kind}", json=body)
        assert answer.status_code == 400, (kind, body, answer.text)
        assert field in answer.text
    assert http.get("/api/reminders").status_code == 401
    assert http.put("/api/reminders/checkin", json={"enabled": True}).status_code == 401


def test_every_kind_is_available(person: Person) -> None:
    for kind in ("checkin", "followup", "meeting", "milestone"):
        assert reminder(person, kind)["available"] is True
        answer = person.put(f"/api/reminders/{kind}", json={"enabled": True})
        assert answer.status_code == 200, answer.text
        assert answer.json()["next_fire_at"] is not None


def test_a_checkin_reminder_fires_at_its_local_minute(
    person: Person, fake_push: FakePushService, live_server: LiveServer, clock: FixedClock
) -> None:
    sub = subscribe(person, fake_push)
    person.put("/api/reminders/checkin", json={"enabled": True, "time": "20:00"})
    clock.set(datetime(2026, 3, 16, 18, 59, 30, tzinfo=UTC))
    tick(live_server)
    assert fake_push.messages_for(sub) == []
    clock.set(datetime(2026, 3, 16, 19, 0, 0, tzinfo=UTC))
    tick(live_server)
    assert fake_push.wait_for(lambda: len(fake_push.delivered_to(sub)) == 1)
    message = fake_push.delivered_to(sub)[0]
    assert message["title"] == "Time for today's check-in"
    assert message["kind"] == "checkin"
    received = fake_push.messages_for(sub)[0]
    assert received.headers["topic"] == "fotfeste-checkin"
    assert int(received.headers["ttl"]) > 0
    assert reminder(person, "checkin")["next_fire_at"] == "2026-03-17T19:00:00+00:00"
    clock.advance(timedelta(seconds=20))
    tick(live_server)
    assert len(fake_push.messages_for(sub)) == 1  # once, not again


def test_spring_forward_night_0230_still_fires(
    person_factory: Callable[..., Person],
    fake_push: FakePushService,
    live_server: LiveServer,
    clock: FixedClock,
) -> None:
    person = person_factory(timezone="Europe/Stockholm")
    sub = subscribe(person, fake_push)
    clock.set(datetime(2026, 3, 28, 12, tzinfo=UTC))
    body = person.put("/api/reminders/checkin", json={"enabled": True, "time": "02:30"}).json()
    # 02:30 does not exist on 29 March in Stockholm: it fires at 03:30 CEST, 01:30 UTC.
    assert body["next_fire_at"] == "2026-03-29T01:30:00+00:00"
    clock.set(datetime(2026, 3, 29, 1, 29, tzinfo=UTC))
    tick(live_server)
    assert fake_push.messages_for(sub) == []
    clock.set(datetime(2026, 3, 29, 1, 30, 10, tzinfo=UTC))
    tick(live_server)
    assert fake_push.wait_for(lambda: len(fake_push.delivered_to(sub)) == 1)
    # The next night has 02:30 again, now in summer time (00:30 UTC).
    assert reminder(person, "checkin")["next_fire_at"] == "2026-03-30T00:30:00+00:00"


def test_discreet_mode_and_language(
    person_factory: Callable[..., Person],
    fake_push: FakePushService,
    live_server: LiveServer,
    clock: FixedClock,
) -> None:
    swede = person_factory(locale="sv")
    dane = person_factory(locale="da")
    assert swede.patch("/api/me", json={"discreet": True}).status_code == 200
    subs = {"sv": subscribe(swede, fake_push), "da": subscribe(dane, fake_push)}
    for person in (swede, dane):
        person.put("/api/reminders/checkin", json={"enabled": True, "time": "20:00"})
    clock.set(datetime(2026, 3, 16, 19, tzinfo=UTC))
    tick(live_server)
    assert fake_push.wait_for(lambda: all(fake_push.delivered_to(s) for s in subs.values()))
    discreet = fake_push.delivered_to(subs["sv"])[0]
    assert (discreet["title"], discreet["body"]) == ("Påminnelse", "Du har en ny påminnelse.")
    assert fake_push.delivered_to(subs["da"])[0]["title"] == "Tid til dagens check-in"
    # The test notification is discreet too.
    swede.post("/api/push/test")
    tick(live_server)
    assert fake_push.wait_for(lambda: len(fake_push.delivered_to(subs["sv"])) == 2)
    assert fake_push.delivered_to(subs["sv"])[1]["title"] == "Påminnelse"


def test_quiet_hours_move_a_reminder_to_their_end(person: Person) -> None:
    person.put("/api/reminders/checkin", json={"enabled": True, "time": "23:00"})
    answer = person.put(
        "/api/reminders/quiet-hours", json={"enabled": True, "start": "22:00", "end": "07:00"}
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["quiet_hours"] == {"start": "22:00", "end": "07:00"}
    # 23:00 falls in quiet hours: 07:00 the next morning (06:00 UTC) instead.
    assert reminder(person, "checkin")["next_fire_at"] == "2026-03-17T06:00:00+00:00"
    bad = person.put("/api/reminders/quiet-hours", json={"enabled": True, "start": "22:00"})
    assert bad.status_code == 400
    same = {"enabled": True, "start": "22:00", "end": "22:00"}
    assert person.put("/api/reminders/quiet-hours", json=same).status_code == 400
    off = person.put("/api/reminders/quiet-hours", json={"enabled": False}).json()
    assert off["quiet_hours"] is None
    assert reminder(person, "checkin")["next_fire_at"] == "2026-03-16T22:00:00+00:00"


def test_a_reminder_held_by_quiet_hours_survives_a_change_of_language(
    person: Person, fake_push: FakePushService, live_server: LiveServer, clock: FixedClock
) -> None:
    """23:00 is in quiet hours (22:00–07:00), so it waits until 07:00. Switching the app to
    Swedish at 03:00 must not drop that night's reminder; it then comes in Swedish."""
    sub = subscribe(person, fake_push)
    person.put("/api/reminders/checkin", json={"enabled": True, "time": "23:00"})
    quiet = {"enabled": True, "start": "22:00", "end": "07:00"}
    assert person.put("/api/reminders/quiet-hours", json=quiet).status_code == 200
    held = "2026-03-17T06:00:00+00:00"  # 07:00 on Tuesday in Stockholm
    assert reminder(person, "checkin")["next_fire_at"] == held
    clock.set(datetime(2026, 3, 17, 2, 0, tzinfo=UTC))  # 03:00 in Stockholm, still quiet
    assert person.patch("/api/me", json={"locale": "sv"}).status_code == 200
    assert reminder(person, "checkin")["next_fire_at"] == held
    clock.set(datetime(2026, 3, 17, 6, 0, 5, tzinfo=UTC))
    tick(live_server)
    assert fake_push.wait_for(lambda: len(fake_push.delivered_to(sub)) == 1)
    assert fake_push.delivered_to(sub)[0]["lang"] == "sv"


def test_a_new_time_zone_keeps_the_wall_clock_time(person: Person) -> None:
    person.put("/api/reminders/checkin", json={"enabled": True, "time": "20:00"})
    assert person.patch("/api/me", json={"timezone": "America/New_York"}).status_code == 200
    body = person.get("/api/reminders").json()
    assert body["timezone"] == "America/New_York"
    # 20:00 in New York on 16 March (EDT, UTC-4) is 00:00 UTC on the 17th.
    assert body["reminders"][0]["next_fire_at"] == "2026-03-17T00:00:00+00:00"


def test_a_reminder_found_hours_late_is_skipped(
    person: Person, fake_push: FakePushService, live_server: LiveServer, clock: FixedClock
) -> None:
    sub = subscribe(person, fake_push)
    person.put("/api/reminders/checkin", json={"enabled": True, "time": "20:00"})
    clock.set(datetime(2026, 3, 16, 23, tzinfo=UTC))  # the server was down for four hours
    tick(live_server)
    assert fake_push.messages_for(sub) == []
    assert reminder(person, "checkin")["next_fire_at"] == "2026-03-17T19:00:00+00:00"


def test_chosen_days_only(person: Person) -> None:
    body = person.put(
        "/api/reminders/checkin", json={"enabled": True, "time": "09:00", "days": [0, 6]}
    ).json()
    assert body["days"] == [0, 6]
    assert body["next_fire_at"] == "2026-03-21T08:00:00+00:00"  # Saturday


def test_reminders_are_exported_and_deleted_with_the_account(
    person: Person, fake_push: FakePushService
) -> None:
    subscribe(person, fake_push)
    person.put("/api/reminders/checkin", json={"enabled": True, "time": "20:00"})
    tables = person.get("/api/me/export").json()["tables"]
    assert tables["reminders"][0]["kind"] == "checkin"
    assert len(tables["push_subscriptions"]) == 1
    assert person.delete("/api/me").status_code == 204


def test_a_milestone_reminder_comes_on_the_morning_it_is_reached(
    person: Person, fake_push: FakePushService, live_server: LiveServer, clock: FixedClock
) -> None:
    sub = subscribe(person, fake_push)
    # Monday 16 March 2026 in Stockholm; a start on 10 March makes Tuesday the 17th day 7.
    assert person.put("/api/sobriety", json={"start_date": "2026-03-10"}).status_code == 200
    body = person.put("/api/reminders/milestone", json={"enabled": True, "time": "09:00"}).json()
    assert body["next_fire_at"] == "2026-03-17T08:00:00+00:00"
    clock.set(datetime(2026, 3, 17, 8, 0, 5, tzinfo=UTC))
    tick(live_server)
    assert fake_push.wait_for(lambda: len(fake_push.delivered_to(sub)) == 1)
    message = fake_push.delivered_to(sub)[0]
    assert message["title"] == "Congratulations on 7 days!"
    assert fake_push.messages_for(sub)[0].headers["topic"] == "fotfeste-milestone"
    # Day 8 is no milestone: the reminder wakes, says nothing.
    clock.set(datetime(2026, 3, 18, 8, 0, 5, tzinfo=UTC))
    tick(live_server)
    assert len(fake_push.messages_for(sub)) == 1


def test_a_followup_reminder_on_the_day_its_window_opens_and_its_due_date(
    person: Person, fake_push: FakePushService, live_server: LiveServer, clock: FixedClock
) -> None:
    sub = subscribe(person, fake_push)
    # Made on 16 March: the 1-month follow-up's window opens on 9 April, due on 16 April.
    person.put("/api/reminders/followup", json={"enabled": True, "time": "10:00"})

    def at(*moment: int) -> None:
        clock.set(datetime(*moment, tzinfo=UTC))
        tick(live_server)

    at(2026, 4, 9, 7, 59)  # the days in between passed while "the server was down"
    at(2026, 4, 9, 8, 0, 5)  # 10:00 in Stockholm (summer time)
    assert fake_push.wait_for(lambda: len(fake_push.delivered_to(sub)) == 1)
    assert fake_push.delivered_to(sub)[0]["title"] == "Time for a follow-up"
    assert fake_push.messages_for(sub)[0].headers["topic"] == "fotfeste-followup"
    at(2026, 4, 10, 8, 0, 5)  # still due, but no new nudge every day
    assert len(fake_push.messages_for(sub)) == 1
    at(2026, 4, 16, 7, 59)
    at(2026, 4, 16, 8, 0, 5)  # its due date, still not done
    assert fake_push.wait_for(lambda: len(fake_push.delivered_to(sub)) == 2)


def test_a_followup_reminder_on_chosen_days_comes_on_the_first_of_them(
    person: Person, fake_push: FakePushService, live_server: LiveServer, clock: FixedClock
) -> None:
    """The window opens on Thursday 9 April and the follow-up is due Thursday 16 April; with
    Saturdays only, the nudges come on the Saturdays after (never on no day at all)."""
    sub = subscribe(person, fake_push)
    answer = person.put(
        "/api/reminders/followup", json={"enabled": True, "time": "10:00", "days": [6]}
    )
    assert answer.status_code == 200, answer.text

    def at(*moment: int) -> None:
        clock.set(datetime(*moment, tzinfo=UTC))
        tick(live_server)

    at(2026, 4, 4, 8, 0, 5)  # a Saturday before the window opens: nothing to say
    at(2026, 4, 11, 7, 59)
    at(2026, 4, 11, 8, 0, 5)  # Saturday 10:00 in Stockholm, the first chosen day in the window
    assert fake_push.wait_for(lambda: len(fake_push.delivered_to(sub)) == 1)
    assert fake_push.delivered_to(sub)[0]["title"] == "Time for a follow-up"
    at(2026, 4, 18, 7, 59)
    at(2026, 4, 18, 8, 0, 5)  # the first Saturday from its due date, still not done
    assert fake_push.wait_for(lambda: len(fake_push.delivered_to(sub)) == 2)


@pytest.mark.slow
def test_a_meeting_reminder_comes_before_a_favourite_starts(
    person: Person,
    fake_push: FakePushService,
    live_server: LiveServer,
    clock: FixedClock,
    tmp_path: Path,
) -> None:
    feed = write_feed(tmp_path / "feed.json", FEED)
    done = run_import(
        live_server.settings.data_dir, str(feed), "--format", "meeting-guide", "--source", "push"
    )
    assert done.returncode == 0, done.stderr
    monday = meeting_id("push", "sthlm-monday")  # Mondays 19:00 in Stockholm
    sub = subscribe(person, fake_push)
    answer = person.put("/api/reminders/meeting", json={"enabled": True, "minutes_before": 60})
    assert answer.status_code == 200, answer.text
    assert person.put(f"/api/me/favourites/{monday}").status_code == 200
    clock.set(datetime(2026, 3, 16, 16, 59, 30, tzinfo=UTC))  # 17:59:30 in Stockholm
    tick(live_server)  # an hourly look at the favourites: nothing to say yet
    assert fake_push.messages_for(sub) == []
    assert reminder(person, "meeting")["next_fire_at"] == "2026-03-16T17:00:00+00:00"
    clock.set(datetime(2026, 3, 16, 17, 0, 5, tzinfo=UTC))
    tick(live_server)
    assert fake_push.wait_for(lambda: len(fake_push.delivered_to(sub)) == 1)
    message = fake_push.delivered_to(sub)[0]
    assert message["title"] == "Your meeting starts soon"
    assert message["body"] == "Måndagsgruppen starts at 19:00."
    assert fake_push.messages_for(sub)[0].headers["urgency"] == "high"


def test_the_first_milestone_says_one_day_in_every_language(
    person_factory: Callable[..., Person],
    fake_push: FakePushService,
    live_server: LiveServer,
    clock: FixedClock,
) -> None:
    """The first milestone is a single day: "1 day", never "1 days", in sv, nb, da and en."""
    titles = {
        "sv": "Grattis till 1 dag!",
        "nb": "Gratulerer med 1 dag!",
        "da": "Tillykke med 1 dag!",
        "en": "Congratulations on 1 day!",
    }
    subs = {}
    for locale in titles:
        person = person_factory(locale=locale)
        subs[locale] = subscribe(person, fake_push)
        # Monday 16 March 2026: a start today makes Tuesday the 17th day 1.
        assert person.put("/api/sobriety", json={"start_date": "2026-03-16"}).status_code == 200
        person.put("/api/reminders/milestone", json={"enabled": True, "time": "09:00"})
    clock.set(datetime(2026, 3, 17, 8, 0, 5, tzinfo=UTC))
    tick(live_server)
    assert fake_push.wait_for(lambda: all(fake_push.delivered_to(s) for s in subs.values()))
    said = {locale: fake_push.delivered_to(sub)[0]["title"] for locale, sub in subs.items()}
    assert said == titles
