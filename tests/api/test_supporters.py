"""A supporter over HTTP, with two (and three) accounts: invite, accept, see only what is shared,
encourage (a push, discreet mode respected), end from either side, export and delete."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from tests.api.conftest import Person
from tests.api.push_support import subscribe, tick
from tests.api.test_push import outbox_rows
from tests.conftest import FixedClock, LiveServer
from tests.push_fake import FakePushService


def _link(person: Person, supporter: Person, shares: list[str] | None = None) -> str:
    body = {} if shares is None else {"shares": shares}
    invitation = person.post("/api/supporters/invitations", json=body)
    assert invitation.status_code == 201, invitation.text
    code = invitation.json()["code"]
    accepted = supporter.post("/api/supporting", json={"code": code.lower().replace("-", " ")})
    assert accepted.status_code == 201, accepted.text
    return str(accepted.json()["id"])


def test_a_supporter_sees_milestones_only_by_default(
    person_factory: Callable[..., Person],
) -> None:
    me, friend = person_factory(locale="da"), person_factory(role="relative")
    me.put("/api/sobriety", json={"start_date": "2026-02-01"})
    me.put("/api/checkins/2026-03-01", json={"used": True, "note": "hard day", "craving": 9})
    invitation = me.post("/api/supporters/invitations", json={}).json()
    assert invitation["shares"] == ["milestones"]
    assert len(invitation["code"]) == 9 and invitation["code"][4] == "-"
    assert invitation["expires_at"].startswith("2026-03-18T11:00:00")  # 48 hours

    link = friend.post("/api/supporting", json={"code": invitation["code"]}).json()
    people = friend.get("/api/supporting").json()["people"]
    assert len(people) == 1
    shared = people[0]
    assert set(shared) == {"id", "shares", "ended", "milestones_reached", "next_milestone"}
    assert shared["id"] == link["id"] and shared["ended"] is False
    assert shared["milestones_reached"] == [1, 7, 14]  # the streak since 2 March: 14 days
    assert shared["next_milestone"] == {"days": 30, "date": "2026-04-01"}
    text = friend.get("/api/supporting").text
    for private in ("hard day", "craving", me.account_id, "used", "timezone", "Copenhagen"):
        assert private not in text
    # A code works once.
    again = person_factory().post("/api/supporting", json={"code": invitation["code"]})
    assert again.status_code == 404


def test_the_streak_only_when_chosen(person_factory: Callable[..., Person]) -> None:
    me, friend = person_factory(), person_factory()
    me.put("/api/sobriety", json={"start_date": "2026-03-06"})
    _link(me, friend, ["milestones", "streak"])
    shared = friend.get("/api/supporting").json()["people"][0]
    assert set(shared) == {
        "id",
        "shares",
        "ended",
        "milestones_reached",
        "next_milestone",
        "current_streak_days",
    }
    assert shared["current_streak_days"] == 10 and shared["shares"] == ["milestones", "streak"]


def test_codes_that_do_not_work(person_factory: Callable[..., Person]) -> None:
    me, friend = person_factory(), person_factory()
    code = me.post("/api/supporters/invitations", json={}).json()["code"]
    assert me.post("/api/supporting", json={"code": code}).status_code == 404  # not oneself
    assert friend.post("/api/supporting", json={"code": "AAAA-AAAA"}).status_code == 404
    for body in ({}, {"code": ""}, {"code": "x" * 40}, {"code": code, "extra": 1}):
        assert friend.post("/api/supporting", json=body).status_code == 400
    bad = me.post("/api/supporters/invitations", json={"shares": ["notes"]})
    assert bad.status_code == 400


def test_an_expired_code_is_refused(
    person_factory: Callable[..., Person], clock: FixedClock
) -> None:
    me, friend = person_factory(), person_factory()
    code = me.post("/api/supporters/invitations", json={}).json()["code"]
    clock.advance(timedelta(hours=48, seconds=1))
    assert friend.post("/api/supporting", json={"code": code}).status_code == 404


def test_encouragement_reaches_the_person_as_push_and_in_the_app(
    person_factory: Callable[..., Person], fake_push: FakePushService, live_server: LiveServer
) -> None:
    me, friend = person_factory(locale="sv"), person_factory()
    sub = subscribe(me, fake_push)
    link = _link(me, friend)
    for kind in ("proud", "here_for_you"):
        sent = friend.post(f"/api/supporting/{link}/encouragements", json={"kind": kind})
        assert sent.status_code == 202, sent.text
    received = me.get("/api/me/encouragements").json()["encouragements"]
    assert [e["kind"] for e in received] == ["here_for_you", "proud"]
    tick(live_server)
    assert fake_push.wait_for(lambda: len(fake_push.delivered_to(sub)) == 2)
    bodies = {m["body"] for m in fake_push.delivered_to(sub)}
    assert bodies == {"Stolt över dig.", "Jag finns här om du behöver mig."}
    bad = friend.post(f"/api/supporting/{link}/encouragements", json={"kind": "come back"})
    assert bad.status_code == 400


def test_an_encouragement_waits_for_the_end_of_the_persons_quiet_hours(
    person_factory: Callable[..., Person],
    fake_push: FakePushService,
    live_server: LiveServer,
    clock: FixedClock,
) -> None:
    """Sent during the person's quiet hours, it is in the app at once and buzzes only when they
    end, like every other notification; the supporter's own quiet hours do not matter."""
    zone = ZoneInfo("Europe/Oslo")
    local = clock.now().astimezone(zone)
    end = (local + timedelta(hours=2)).replace(second=0, microsecond=0)
    me, friend = person_factory(locale="nb", timezone="Europe/Oslo"), person_factory()
    quiet = {
        "enabled": True,
        "start": (local - timedelta(hours=1)).strftime("%H:%M"),
        "end": end.strftime("%H:%M"),
    }
    assert me.put("/api/reminders/quiet-hours", json=quiet).status_code == 200
    subscribe(me, fake_push)
    link = _link(me, friend)
    sent = friend.post(f"/api/supporting/{link}/encouragements", json={"kind": "proud"})
    assert sent.status_code == 202, sent.text
    assert [e["kind"] for e in me.get("/api/me/encouragements").json()["encouragements"]] == [
        "proud"
    ]
    [(available_at,)] = live_server.query(
        "SELECT available_at FROM push_outbox WHERE account_id = ?", (me.account_id,)
    )
    assert datetime.fromisoformat(available_at) == end
    assert me.delete("/api/me").status_code == 204
    assert friend.delete("/api/me").status_code == 204


def test_discreet_mode_names_nothing(
    person_factory: Callable[..., Person], fake_push: FakePushService, live_server: LiveServer
) -> None:
    me, friend = person_factory(locale="nb"), person_factory()
    me.patch("/api/me", json={"discreet": True})
    sub = subscribe(me, fake_push)
    link = _link(me, friend)
    friend.post(f"/api/supporting/{link}/encouragements", json={"kind": "thinking_of_you"})
    tick(live_server)
    assert fake_push.wait_for(lambda: len(fake_push.delivered_to(sub)) == 1)
    message = fake_push.delivered_to(sub)[0]
    assert (message["title"], message["body"]) == ("Påminnelse", "Du har en ny påminnelse.")


def test_either_side_ends_it_at_once(person_factory: Callable[..., Person]) -> None:
    me, friend, other = person_factory(), person_factory(), person_factory()
    link = _link(me, friend)
    # Nobody else can end it, from either side.
    assert other.delete(f"/api/supporters/{link}").status_code == 404
    assert other.delete(f"/api/supporting/{link}").status_code == 404
    assert friend.delete(f"/api/supporters/{link}").status_code == 404  # not the person
    assert me.delete(f"/api/supporting/{link}").status_code == 404  # not the supporter

    assert me.delete(f"/api/supporters/{link}").status_code == 204
    assert friend.get("/api/supporting").json()["people"] == [
        {"id": link, "shares": ["milestones"], "ended": True}
    ]
    sent = friend.post(f"/api/supporting/{link}/encouragements", json={"kind": "proud"})
    assert sent.status_code == 404
    assert me.delete(f"/api/supporters/{link}").status_code == 404

    second = _link(me, friend)
    assert friend.delete(f"/api/supporting/{second}").status_code == 204
    by_id = {s["id"]: s for s in me.get("/api/supporters").json()["supporters"]}
    assert by_id[second]["ended"] is True and by_id[link]["ended"] is True


def test_several_supporters_and_several_people(person_factory: Callable[..., Person]) -> None:
    a, b, helper, helper2 = (person_factory() for _ in range(4))
    _link(a, helper)
    _link(b, helper)
    _link(a, helper2)
    assert len(helper.get("/api/supporting").json()["people"]) == 2
    assert len(a.get("/api/supporters").json()["supporters"]) == 2
    assert b.get("/api/supporting").json()["people"] == []


def test_export_and_delete_cover_both_sides(person_factory: Callable[..., Person]) -> None:
    me, friend = person_factory(), person_factory()
    link = _link(me, friend)
    friend.post(f"/api/supporting/{link}/encouragements", json={"kind": "proud"})
    mine = me.get("/api/me/export").json()["tables"]
    assert [r["id"] for r in mine["supporter_links"]] == [link]
    assert [r["kind"] for r in mine["encouragements"]] == ["proud"]
    assert all("code_hash" not in r for r in mine["supporter_invitations"])
    theirs = friend.get("/api/me/export").json()["tables"]
    assert [r["link_id"] for r in theirs["supporting"]] == [link]

    assert friend.delete("/api/me").status_code == 204
    assert me.get("/api/supporters").json()["supporters"][0]["ended"] is True
    assert me.delete("/api/me").status_code == 204


def _held_news(server: LiveServer, supporter: Person) -> int:
    """Milestone news waiting in the outbox for this supporter's devices."""
    [(count,)] = server.query(
        "SELECT count(*) FROM push_outbox WHERE account_id = ? AND payload LIKE ?",
        (supporter.account_id, '%"kind":"supporter"%'),
    )
    return int(count)


def test_news_held_by_quiet_hours_goes_when_the_link_ends(
    person_factory: Callable[..., Person],
    fake_push: FakePushService,
    live_server: LiveServer,
    clock: FixedClock,
) -> None:
    """Milestone news waiting for the end of the supporter's quiet hours is never delivered once
    the link has ended, whichever side ended it or deleted their account; other links' stays."""
    local = clock.now().astimezone(ZoneInfo("Europe/Stockholm"))
    today = local.date()
    quiet = {
        "enabled": True,
        "start": (local - timedelta(hours=1)).strftime("%H:%M"),
        "end": (local + timedelta(hours=2)).strftime("%H:%M"),
    }
    friend = person_factory(locale="sv")
    subscribe(friend, fake_push)
    assert friend.put("/api/reminders/quiet-hours", json=quiet).status_code == 200
    people = [person_factory() for _ in range(4)]
    links = []
    for me in people:
        me.put("/api/sobriety", json={"start_date": (today - timedelta(days=6)).isoformat()})
        links.append(_link(me, friend))
    tick(live_server)  # six days: where each stands is known, nothing is news
    for me in people:  # seven days: news, held until the quiet hours end
        start = (today - timedelta(days=7)).isoformat()
        assert me.put("/api/sobriety", json={"start_date": start}).status_code == 200
    tick(live_server)
    assert _held_news(live_server, friend) == 4

    assert people[0].delete(f"/api/supporters/{links[0]}").status_code == 204
    assert _held_news(live_server, friend) == 3
    assert friend.delete(f"/api/supporting/{links[1]}").status_code == 204
    assert _held_news(live_server, friend) == 2
    assert people[2].delete("/api/me").status_code == 204
    assert _held_news(live_server, friend) == 1  # the fourth person's news still comes
    for me in (people[0], people[1], people[3]):
        assert me.delete("/api/me").status_code == 204
    assert friend.delete("/api/me").status_code == 204


def test_a_milestone_reaches_the_supporter_after_their_quiet_hours(
    person_factory: Callable[..., Person],
    fake_push: FakePushService,
    live_server: LiveServer,
    clock: FixedClock,
) -> None:
    me, friend = person_factory(), person_factory(locale="nb", timezone="Europe/Oslo")
    sub = subscribe(friend, fake_push)
    # Six days drug-free at the server's Monday noon; the link is made, nothing old is news.
    me.put("/api/sobriety", json={"start_date": "2026-03-10"})
    link = _link(me, friend)
    tick(live_server)
    clock.advance(timedelta(days=1))  # seven days: a milestone
    tick(live_server)
    assert fake_push.wait_for(lambda: len(fake_push.delivered_to(sub)) == 1)
    message = fake_push.delivered_to(sub)[0]
    assert message["body"] == "Personen du støtter, har nådd 7 dager."
    # One topic per link: a newer milestone replaces only the same person's unseen one.
    assert fake_push.messages_for(sub)[0].headers["topic"] == f"supporter-{link}"

    # Quiet hours cover the next milestone's moment: it waits for their end.
    body = {"enabled": True, "start": "10:00", "end": "14:00"}
    assert friend.put("/api/reminders/quiet-hours", json=body).status_code == 200
    clock.advance(timedelta(days=7))  # fourteen days, at 12:00 in Oslo
    tick(live_server)
    # tick() ran a whole sending pass: the message is held in the outbox, not sent or dropped.
    assert len(fake_push.delivered_to(sub)) == 1 and outbox_rows(live_server) == 1
    clock.advance(timedelta(hours=2, minutes=1))
    tick(live_server)
    assert fake_push.wait_for(lambda: len(fake_push.delivered_to(sub)) == 2)
    assert fake_push.delivered_to(sub)[1]["body"] == "Personen du støtter, har nådd 14 dager."
    # Gone with its link: a later test that moves the shared clock finds no news of it.
    assert me.delete("/api/me").status_code == 204


def test_the_first_milestone_reaches_the_supporter_as_one_day(
    person_factory: Callable[..., Person],
    fake_push: FakePushService,
    live_server: LiveServer,
) -> None:
    """Day one is "1 day" ("1 dag") in every language, never "1 days"."""
    bodies = {
        "sv": "Personen du stöttar har nått 1 dag.",
        "nb": "Personen du støtter, har nådd 1 dag.",
        "da": "Personen, du støtter, har nået 1 dag.",
        "en": "The person you support has reached 1 day.",
    }
    subs, people = {}, []
    for locale in bodies:
        me, friend = person_factory(), person_factory(locale=locale)
        subs[locale] = subscribe(friend, fake_push)
        me.put("/api/sobriety", json={"start_date": "2026-03-16"})  # today: day 0
        _link(me, friend)
        people.append(me)
    tick(live_server)  # the links learn where each person stands: nothing is news yet
    # Yesterday was drug-free too: day one, reached without moving the shared server's clock
    # (a day later, other tests' links would have news that waits in the outbox).
    for me in people:
        assert me.put("/api/sobriety", json={"start_date": "2026-03-15"}).status_code == 200
    tick(live_server)
    assert fake_push.wait_for(lambda: all(fake_push.delivered_to(s) for s in subs.values()))
    said = {locale: fake_push.delivered_to(sub)[0]["body"] for locale, sub in subs.items()}
    assert said == bodies
    for me in people:
        assert me.delete("/api/me").status_code == 204
