"""When a feed entry was published and last updated, as feed readers and validators expect them.

No date in a feed lies in the future: an upcoming meeting is announced before it happens, so its entry
is dated by its `announced:` time (written by `samizdat new meeting`), else by the build, never by its
start. A meeting that is moved or cancelled is updated: by its `updated:` time, else by the build, so
every language's reader sees the entry change.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo

from samizdat.config import SiteConfig
from samizdat.content.collections import Listed
from samizdat.content.meetings import Meeting

NO_DATE = dt.date(2000, 1, 1)  # a post without any date sorts last
Times = tuple[dt.datetime, dt.datetime]  # published, updated


@lru_cache(maxsize=16)  # asked once per feed entry, with the build's one time
def build_day(now: dt.datetime) -> dt.datetime:
    """The build's time as feeds and calendars use it: the start of its day (UTC), so that builds on one
    day give the same bytes and a reader sees an entry change at most once a day, never after the build."""
    return now.astimezone(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def entry_times(config: SiteConfig, item: Listed, now: dt.datetime) -> Times:
    """(published, updated), neither after `now` (the build's time), updated never before published."""
    now = build_day(now)
    if item.meeting is not None:
        published = min(item.meeting.announced or first_start(item.meeting), now)
        changed = item.meeting.updated or (now if item.meeting.status != "planned" else None)
        return published, max(published, min(changed, now)) if changed else published
    updated = item.page.data.get("updated")
    date, updated = item.page.date or NO_DATE, updated if isinstance(updated, dt.date) else None
    if type(date) is dt.date and (updated is None or type(updated) is dt.date):
        return _days_times(config.timezone, now, date, updated)
    return _page_times(config.timezone, now, date, updated)


# A feed sorts every post by its times, on every build: most posts carry a day, and days repeat. Only plain
# days are kept: times of day that are equal at other offsets are equal keys, but are not written the same.
@lru_cache(maxsize=8192)
def _days_times(timezone: str, now: dt.datetime, date: dt.date, updated: dt.date | None) -> Times:
    return _page_times(timezone, now, date, updated)


def _page_times(timezone: str, now: dt.datetime, date: dt.date, updated: dt.date | None) -> Times:
    zone = ZoneInfo(timezone)
    published = min(_start_of_day(date, zone), now)
    changed = _start_of_day(updated, zone) if updated is not None else None
    return published, max(published, min(changed, now)) if changed else published


def first_start(meeting: Meeting) -> dt.datetime:
    """The meeting's start before any move: it dates the entry's id, which must not change with a move."""
    earlier = meeting.previous_start
    if earlier is None:
        return meeting.starts_at
    if isinstance(earlier, dt.datetime):
        return earlier
    return dt.datetime.combine(earlier, dt.time(), meeting.timezone)


def start_of_day(day: dt.date, config: SiteConfig) -> dt.datetime:
    return _start_of_day(day, ZoneInfo(config.timezone))


def _start_of_day(day: dt.date, zone: ZoneInfo) -> dt.datetime:
    if isinstance(day, dt.datetime):
        return day if day.tzinfo else day.replace(tzinfo=zone)
    return dt.datetime.combine(day, dt.time(), zone)
