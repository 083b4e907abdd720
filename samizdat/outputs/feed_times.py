"""When a feed entry was published and last updated, as feed readers and validators expect them.

No date in a feed lies in the future: an upcoming meeting is announced before it happens, so its entry
is dated by its `announced:` time (written by `samizdat new meeting`), else by the build, never by its
start. A meeting that is moved or cancelled is updated: by its `updated:` time, else by the build, so
every language's reader sees the entry change.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from samizdat.config import SiteConfig
from samizdat.content.collections import Listed
from samizdat.content.meetings import Meeting

NO_DATE = dt.date(2000, 1, 1)  # a post without any date sorts last


def build_day(now: dt.datetime) -> dt.datetime:
    """The build's time as feeds and calendars use it: the start of its day (UTC), so that builds on one
    day give the same bytes and a reader sees an entry change at most once a day, never after the build."""
    return now.astimezone(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def entry_times(config: SiteConfig, item: Listed, now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """(published, updated), neither after `now` (the build's time), updated never before published."""
    now = build_day(now)
    if item.meeting is not None:
        published = min(item.meeting.announced or first_start(item.meeting), now)
        changed = item.meeting.updated or (now if item.meeting.status != "planned" else None)
    else:
        published = min(start_of_day(item.page.date or NO_DATE, config), now)
        updated = item.page.data.get("updated")
        changed = start_of_day(updated, config) if isinstance(updated, dt.date) else None
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
    if isinstance(day, dt.datetime):
        return day if day.tzinfo else day.replace(tzinfo=ZoneInfo(config.timezone))
    return dt.datetime.combine(day, dt.time(), ZoneInfo(config.timezone))
