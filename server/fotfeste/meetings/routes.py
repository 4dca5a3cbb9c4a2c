"""HTTP for meetings: nearby, online, one, calendar; favourites and the attendance log."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Annotated, Literal
from urllib.parse import urlsplit

from litestar import Controller, Response, delete, get, post, put
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT

from fotfeste.accounts.service import requires_account
from fotfeste.clock import local_today
from fotfeste.dates import YEARS, check_near
from fotfeste.db import Row
from fotfeste.errors import InvalidInput
from fotfeste.meetings import attendance, soonest, store
from fotfeste.meetings.calendar import meeting_calendar
from fotfeste.meetings.models import (
    AttendanceCreate,
    AttendanceEntry,
    AttendanceLog,
    AttendanceSummary,
    Meeting,
    MeetingId,
    Meetings,
    TypeNames,
)
from fotfeste.meetings.types import LANGUAGE_TYPES, LOCALES, TYPE_NAMES, canonical_type, type_names
from fotfeste.web.deps import DB, AppClock, AppSettings, CurrentAccount, Quota
from fotfeste.web.throttle import public

Day = Annotated[int | None, QueryParameter(ge=0, le=6, description="0 = Sunday … 6 = Saturday")]
Fellowship = Annotated[str | None, QueryParameter(min_length=1, max_length=40)]
Limit = Annotated[int, QueryParameter(ge=1, le=200)]
TypeQuery = Annotated[
    str | None,
    QueryParameter(name="type", min_length=1, max_length=10, pattern=r"^[A-Za-z0-9-]+$"),
]
Order = Annotated[
    Literal["distance", "next"],
    QueryParameter(
        description=(
            "distance: nearest first. next: the soonest start first, counted a week ahead from"
            " now (past midnight and from Saturday into Sunday), equal starts nearest first."
            " Either way remaining ties go by id, and `limit` applies after the order."
        )
    ),
]
SUMMARY_DAYS = 30


def _language_type(language: str) -> str:
    code = LANGUAGE_TYPES.get(language.lower()) or (
        language.upper() if language.upper() in TYPE_NAMES else None
    )
    if code is None:
        raise InvalidInput(
            f"Unknown language {language!r}; use a code such as sv, nb, da or en", field="language"
        )
    return code


def _type_code(value: str | None) -> str | None:
    if value is None:
        return None
    code = canonical_type(value)
    if code is None:
        # Imports keep only known codes: an unknown one would quietly find nothing.
        raise InvalidInput(
            f"Unknown meeting type {value!r}; /api/meetings/types lists the codes", field="type"
        )
    return code


class MeetingsController(Controller):
    path = "/api/meetings"
    tags = ["meetings"]
    guards = [public]  # anyone, within the public limit: the finder works before sign-up

    @get("/nearby", operation_id="nearbyMeetings")
    async def nearby(
        self,
        db: DB,
        clock: AppClock,
        lat: Annotated[float, QueryParameter(ge=-90, le=90)],
        lon: Annotated[float, QueryParameter(ge=-180, le=180)],
        radius_km: Annotated[float, QueryParameter(gt=0, le=500)] = 25,
        day: Day = None,
        fellowship: Fellowship = None,
        type_code: TypeQuery = None,
        limit: Limit = 50,
        order: Order = "distance",
    ) -> Meetings:
        """Meetings with a place within radius_km of a point, nearest (or soonest) first.

        Online meetings are not places: they are never listed here (see /online). Temporarily
        closed places are left out too.
        """
        search = soonest.nearby_soonest if order == "next" else store.nearby
        return Meetings(
            await search(
                db,
                clock.now(),
                lat=lat,
                lon=lon,
                radius_km=radius_km,
                day=day,
                fellowship=fellowship,
                type_code=_type_code(type_code),
                limit=limit,
            )
        )

    @get("/online", operation_id="onlineMeetings")
    async def online(
        self,
        db: DB,
        clock: AppClock,
        day: Day = None,
        fellowship: Fellowship = None,
        language: Annotated[str | None, QueryParameter(min_length=2, max_length=10)] = None,
        type_code: TypeQuery = None,
        limit: Limit = 50,
    ) -> Meetings:
        """Online and hybrid meetings, the one that starts soonest first."""
        if language and type_code:
            raise InvalidInput("Give either language or type, not both", field="type")
        return Meetings(
            await store.online(
                db,
                clock.now(),
                day=day,
                fellowship=fellowship,
                type_code=_language_type(language) if language else _type_code(type_code),
                limit=limit,
            )
        )

    @get("/types", operation_id="meetingTypes")
    async def types(
        self, locale: Annotated[str, QueryParameter(pattern=r"^(sv|nb|da|en)$")] = "en"
    ) -> TypeNames:
        """Names of the meeting type codes in one language."""
        assert locale in LOCALES
        return TypeNames(locale=locale, types=type_names(locale))

    @get("/{meeting_id:str}", operation_id="getMeeting")
    async def show(self, meeting_id: FromPath[MeetingId], db: DB, clock: AppClock) -> Meeting:
        """One meeting (404 if unknown)."""
        return store.to_meeting(await store.meeting_row(db, meeting_id), clock.now())

    @get(
        "/{meeting_id:str}/calendar.ics",
        operation_id="meetingCalendar",
        media_type="text/calendar",
    )
    async def calendar(
        self, meeting_id: FromPath[MeetingId], db: DB, clock: AppClock, settings: AppSettings
    ) -> Response[bytes]:
        """The meeting as an iCalendar event that repeats weekly in its own time zone."""
        now = clock.now()
        meeting = store.to_meeting(await store.meeting_row(db, meeting_id), now)
        host = urlsplit(settings.public_url).hostname or "fotfeste"
        return Response(
            meeting_calendar(meeting, now, host),
            # Litestar adds "; charset=utf-8" to text/* itself: naming it here sent it twice.
            media_type="text/calendar",
            headers={"Content-Disposition": 'attachment; filename="meeting.ics"'},
        )


class FavouritesController(Controller):
    path = "/api/me/favourites"
    tags = ["meetings"]
    guards = [requires_account]

    @get("/", operation_id="listFavourites")
    async def list_favourites(self, account: CurrentAccount, db: DB, clock: AppClock) -> Meetings:
        """The account's favourite meetings, the one that starts soonest first."""
        now = clock.now()
        meetings = [store.to_meeting(r, now) for r in await store.favourite_rows(db, account.id)]
        # Compared as instants: the strings carry different offsets for different zones.
        meetings.sort(key=lambda m: (datetime.fromisoformat(m.next_start), m.id))
        return Meetings(meetings)

    @put("/{meeting_id:str}", operation_id="addFavourite")
    async def add(
        self, meeting_id: FromPath[MeetingId], account: CurrentAccount, db: DB, clock: AppClock
    ) -> Meeting:
        """Mark a meeting as a favourite (doing it twice is harmless)."""
        await store.add_favourite(db, clock, account.id, meeting_id)
        return store.to_meeting(await store.meeting_row(db, meeting_id), clock.now())

    @delete("/{meeting_id:str}", status_code=HTTP_204_NO_CONTENT, operation_id="removeFavourite")
    async def remove(
        self, meeting_id: FromPath[MeetingId], account: CurrentAccount, db: DB
    ) -> None:
        """No longer a favourite (also fine if it was not one)."""
        await store.remove_favourite(db, account.id, meeting_id)


def _past_or_today(text: str, today: date, field: str, *, years: int = 10) -> date:
    """A date up to today: "I went" reaches two years back like a check-in; the log is read
    up to ten years back (entries made then stay readable)."""
    try:
        value = date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{text!r} is not a date (YYYY-MM-DD)", field=field) from None
    if value > today:
        raise InvalidInput("That date has not come yet", field=field)
    return check_near(value, today, field, back=years, ahead=0)


class AttendanceController(Controller):
    path = "/api/me/attendance"
    tags = ["meetings"]
    guards = [requires_account]

    @post("/", status_code=HTTP_201_CREATED, operation_id="recordAttendance")
    async def record(
        self,
        data: JSONBody[AttendanceCreate],
        account: CurrentAccount,
        db: DB,
        clock: AppClock,
        settings: AppSettings,
        quota: Quota,
    ) -> AttendanceEntry:
        """ "I went": a meeting (or any meeting) on a date; sending it again changes nothing."""
        quota.spend("attendance", account.id)
        on = _past_or_today(data.date, local_today(clock, account.timezone), "date", years=YEARS)
        row = await attendance.record_attendance(
            db, clock, account.id, on, data.meeting_id, cap=settings.max_attendance_per_day
        )
        return _entry(row)

    @get("/", operation_id="listAttendance")
    async def list_attendance(
        self,
        account: CurrentAccount,
        db: DB,
        clock: AppClock,
        from_date: Annotated[str | None, QueryParameter(name="from")] = None,
        to_date: Annotated[str | None, QueryParameter(name="to")] = None,
    ) -> AttendanceLog:
        """The attendance log between two dates (default: the last 30 days)."""
        today = local_today(clock, account.timezone)
        last = _past_or_today(to_date, today, "to") if to_date else today
        first = (
            _past_or_today(from_date, today, "from")
            if from_date
            else last - timedelta(days=SUMMARY_DAYS - 1)
        )
        if first > last:
            raise InvalidInput("from is after to", field="from")
        rows = await attendance.attendance_rows(db, account.id, first, last)
        return AttendanceLog([_entry(r) for r in rows])

    @get("/summary", operation_id="attendanceSummary")
    async def summary(self, account: CurrentAccount, db: DB, clock: AppClock) -> AttendanceSummary:
        """Meetings attended in the last 30 days (shown on the home screen)."""
        today = local_today(clock, account.timezone)
        counts = await attendance.attendance_counts(
            db, account.id, today - timedelta(days=SUMMARY_DAYS - 1)
        )
        total, last_date, favourites = await attendance.attendance_totals(db, account.id)
        return AttendanceSummary(
            today=today.isoformat(),
            last_30_days=sum(n for d, n in counts.items() if d <= today),
            days_last_30=sum(1 for d in counts if d <= today),
            total=total,
            last_date=last_date,
            favourites=favourites,
        )

    @delete("/{on:str}", status_code=HTTP_204_NO_CONTENT, operation_id="removeAttendance")
    async def remove(
        self,
        on: FromPath[str],
        account: CurrentAccount,
        db: DB,
        quota: Quota,
        meeting_id: Annotated[
            str | None, QueryParameter(max_length=64, pattern=r"^[A-Za-z0-9_-]+$")
        ] = None,
    ) -> None:
        """Take back an "I went" (a mistake is easy to undo)."""
        quota.spend("attendance", account.id)
        try:
            day = date.fromisoformat(on)
        except ValueError:
            raise InvalidInput(f"{on!r} is not a date (YYYY-MM-DD)", field="date") from None
        await attendance.remove_attendance(db, account.id, day, meeting_id)


def _entry(row: Row) -> AttendanceEntry:
    return AttendanceEntry(
        date=row["date"],
        meeting_id=row["meeting_id"] or None,
        meeting_name=row["meeting_name"],
        created_at=row["created_at"],
    )
