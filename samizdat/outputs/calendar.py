"""iCalendar (RFC 5545) files: one per meeting and language, and one subscribable calendar per language."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from samizdat.config import Language, SiteConfig
from samizdat.content.meetings import Meeting

PRODID = "-//samizdat//meetings//EN"
STATUS = {"planned": "CONFIRMED", "moved": "CONFIRMED", "cancelled": "CANCELLED"}
SEQUENCE = {"planned": 0, "moved": 1, "cancelled": 2}  # so calendar apps take a change as newer


@dataclass(frozen=True)
class CalendarEvent:
    """One meeting as told in one language."""

    meeting: Meeting
    language: Language  # the language of the text
    title: str
    description: str
    place: str
    url: str  # absolute


def meeting_uid(meeting: Meeting, config: SiteConfig) -> str:
    """The same in every language's calendar, so a subscriber sees one event, not three."""
    return f"{meeting.id}@{urlsplit(config.base_url).hostname}"


def calendar_bytes(events: list[CalendarEvent], config: SiteConfig, name: str, language: Language,
                   now: dt.datetime) -> bytes:
    """now: the build's time, the DTSTAMP of a meeting that does not say when it was last changed."""
    import icalendar  # imported here: a site without meetings does not pay for it on every build

    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", config.timezone)
    calendar.add("name", name)
    for event in sorted(events, key=lambda e: e.meeting.starts_at):
        calendar.add_component(_event(event, config, now))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def _event(event: CalendarEvent, config: SiteConfig, now: dt.datetime) -> Any:
    import icalendar

    meeting = event.meeting
    component = icalendar.Event()
    component.add("uid", meeting_uid(meeting, config))
    # DTSTAMP is when this version of the event was made (RFC 5545 3.8.7.2): the meeting's last change
    # when the facts say it, else the build's time; never its start, which may be in the future.
    day = now.astimezone(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0)  # as feed_times.build_day
    component.add("dtstamp", min(meeting.updated or meeting.announced or day, now).astimezone(dt.UTC))
    component.add("sequence", SEQUENCE[meeting.status])
    component.add("status", STATUS[meeting.status])
    component.add("summary", event.title, parameters={"LANGUAGE": event.language.code})
    component.add("dtstart", meeting.start)
    if meeting.all_day:
        last = meeting.end if meeting.end else meeting.start
        component.add("dtend", last + dt.timedelta(days=1))  # DTEND of a date is exclusive
    else:
        component.add("dtend", meeting.ends_at)
    if event.place:
        component.add("location", event.place, parameters={"LANGUAGE": event.language.code})
    if meeting.place.lat is not None and meeting.place.lon is not None:
        component.add("geo", (meeting.place.lat, meeting.place.lon))
    if event.description:
        component.add("description", event.description, parameters={"LANGUAGE": event.language.code})
    component.add("url", event.url)
    return component
