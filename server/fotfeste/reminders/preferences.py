"""A person's reminder settings as the API sees them: defaults, saving with the next instant,
rescheduling."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from msgspec import UNSET

from fotfeste.accounts.models import Account
from fotfeste.clock import Clock
from fotfeste.db import Database, Row
from fotfeste.reminders import models, store
from fotfeste.reminders.kinds import KINDS, Kind, Setup
from fotfeste.reminders.logic import ALL_DAYS, decode_days, encode_days, parse_hhmm, quiet_hours
from fotfeste.reminders.scheduler import next_fire_at


def _saved_from(kind: Kind, row: Row | None, zone: str) -> store.Saved:
    if row is None:
        return store.Saved(
            kind.name, False, kind.default_time, encode_days(ALL_DAYS), 60, zone, None
        )
    return store.Saved(
        kind.name,
        bool(row["enabled"]),
        row["local_time"],
        row["days"],
        row["minutes_before"],
        zone,
        None,
    )


async def _with_next(
    db: Database, clock: Clock, account: Account, saved: store.Saved, quiet: tuple[str, str] | None
) -> store.Saved:
    """The same settings with next_fire_at computed now, in the account's current zone."""
    kind = KINDS[saved.kind]
    nxt = None
    if saved.enabled:
        setup = Setup(
            account_id=account.id,
            locale=account.locale,
            zone=ZoneInfo(account.timezone),
            discreet=account.discreet,
            at=parse_hhmm(saved.local_time, "time"),
            days=decode_days(saved.days),
            minutes_before=saved.minutes_before,
            quiet=quiet_hours(*(quiet or (None, None))),
        )
        nxt = await next_fire_at(db, clock, kind, setup, clock.now())
    return store.Saved(
        saved.kind,
        saved.enabled,
        saved.local_time,
        saved.days,
        saved.minutes_before,
        account.timezone,
        nxt,
    )


async def set_reminder(
    db: Database, clock: Clock, account: Account, kind: Kind, data: models.ReminderUpdate
) -> None:
    rows = {row["kind"]: row for row in await store.reminders_of(db, account.id)}
    current = _saved_from(kind, rows.get(kind.name), account.timezone)
    saved = store.Saved(
        kind.name,
        data.enabled,
        current.local_time if data.time is UNSET else data.time,
        current.days if data.days is UNSET else encode_days(data.days),
        current.minutes_before if data.minutes_before is UNSET else data.minutes_before,
        account.timezone,
        None,
    )
    quiet = await store.quiet_hours_of(db, account.id)
    await store.save_reminders(
        db, account.id, [await _with_next(db, clock, account, saved, quiet)], clock.now()
    )


async def reschedule(db: Database, clock: Clock, account: Account) -> None:
    """Recompute every reminder of the account (after a change of zone or quiet hours)."""
    rows = await store.reminders_of(db, account.id)
    quiet = await store.quiet_hours_of(db, account.id)
    saved = [
        await _with_next(
            db, clock, account, _saved_from(KINDS[row["kind"]], row, account.timezone), quiet
        )
        for row in rows
    ]
    await store.save_reminders(db, account.id, saved, clock.now())


async def set_quiet_hours(
    db: Database, clock: Clock, account: Account, quiet: tuple[str, str] | None
) -> None:
    await store.save_quiet_hours(db, account.id, quiet, clock.now())
    await reschedule(db, clock, account)


async def reminders_view(
    db: Database, clock: Clock, account_id: str, timezone: str
) -> models.Reminders:
    rows = {row["kind"]: row for row in await store.reminders_of(db, account_id)}
    quiet = await store.quiet_hours_of(db, account_id)
    reminders = []
    for kind in KINDS.values():
        row = rows.get(kind.name)
        saved = _saved_from(kind, row, timezone)
        reminders.append(
            models.Reminder(
                kind=kind.name,  # type: ignore[arg-type]
                enabled=saved.enabled,
                available=True,  # every kind is sent by this server; kept for the contract
                time=saved.local_time,
                days=sorted(decode_days(saved.days)),
                minutes_before=saved.minutes_before,
                next_fire_at=row["next_fire_at"] if row is not None else None,
            )
        )
    return models.Reminders(
        reminders=reminders,
        quiet_hours=models.QuietHours(start=quiet[0], end=quiet[1]) if quiet else None,
        timezone=timezone,
    )


async def on_profile_changed(db: Database, clock: Clock, account: Account) -> None:
    """A new time zone moves every reminder's instant (20:00 stays 20:00 on the wall clock).

    Any other change (language, discreet, country) leaves the instants alone: what a reminder
    says is read when it fires, and recomputed from now a reminder held by quiet hours until
    their end would be skipped for that night.
    """
    rows = await store.reminders_of(db, account.id)
    if any(row["zone"] != account.timezone for row in rows):
        await reschedule(db, clock, account)
