"""A meeting as an iCalendar event that repeats weekly in the meeting's own time zone."""

from __future__ import annotations

from datetime import datetime, timedelta

from icalendar import Calendar, Event, vGeo, vRecur

from fotfeste.meetings.logic import next_start, parse_clock_time
from fotfeste.meetings.models import Meeting
from fotfeste.wallclock import zone

# iCalendar's day codes by the API's weekday (wallclock: 0 = Sunday).
_BYDAY = ("SU", "MO", "TU", "WE", "TH", "FR", "SA")


def meeting_calendar(meeting: Meeting, now: datetime, host: str) -> bytes:
    """VCALENDAR with one VEVENT (DTSTART;TZID=…, RRULE:FREQ=WEEKLY) and its VTIMEZONE."""
    start = next_start(meeting.day, meeting.time, meeting.timezone, now)
    start_wall = parse_clock_time(meeting.time)
    end_wall = parse_clock_time(meeting.end_time)
    assert start_wall is not None
    assert end_wall is not None
    minutes = (end_wall.hour * 60 + end_wall.minute) - (start_wall.hour * 60 + start_wall.minute)
    if minutes <= 0:
        minutes += 24 * 60  # ends after midnight
    tz = zone(meeting.timezone)
    # Wall-clock start and end in the zone: the recurrence then keeps 19:00 across DST changes
    # (a start in a spring-forward gap is read as wallclock reads it: RFC 5545 says the same).
    dtstart = datetime.combine(start.date(), start_wall, tzinfo=tz)
    dtend = dtstart.replace(tzinfo=None) + timedelta(minutes=minutes)

    event = Event()
    event.add("uid", f"{meeting.id}@{host}")
    event.add("dtstamp", now)
    event.add("summary", meeting.name)
    event.add("dtstart", dtstart)
    event.add("dtend", dtend.replace(tzinfo=tz))
    event.add("rrule", vRecur(freq="WEEKLY", byday=_BYDAY[meeting.day]))
    # An online meeting is no place to go: its calendar entry names the link, not an address.
    online = meeting.attendance == "online"
    place = () if online else (meeting.location.name, meeting.location.address)
    where = ", ".join(p for p in place if p)
    if meeting.attendance != "in_person" and meeting.conference_url:
        where = f"{where} / {meeting.conference_url}" if where else meeting.conference_url
        event.add("url", meeting.conference_url)
    if where:
        event.add("location", where)
    if not online and meeting.location.lat is not None and meeting.location.lon is not None:
        event.add("geo", vGeo((meeting.location.lat, meeting.location.lon)))
    description = [meeting.fellowship]
    if meeting.conference_phone:
        description.append(meeting.conference_phone)
    if meeting.notes:
        description.append(meeting.notes)
    event.add("description", "\n\n".join(description))

    calendar = Calendar()
    calendar.add("prodid", "-//Fotfeste//meetings//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())
