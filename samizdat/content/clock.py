"""Local times of meetings: read strictly, and checked against the zone's clock changes.

A wall time on the night the clocks go forward does not exist (02:30 in Europe/Berlin on the last
Sunday of March), and one on the night they go back happens twice. Either is reported naming both
offsets, so a volunteer can say which one the group means by writing it: "2026-10-25 02:30+01:00".
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

MOMENT_RE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[ T](\d{1,2}):(\d{2})([+-]\d{2}:\d{2})?)?$")
FORMAT_HINT = 'write "2026-12-05 15:00" (local time) or 2026-12-05 for a whole day'


class BadMoment(ValueError):
    """The text is not a real date, or not a real time of that date; the message says which part."""


@dataclass(frozen=True)
class ClockChange:
    kind: str  # "gap" (the clocks jump over the time) or "fold" (the time happens twice)
    offsets: tuple[str, str]  # the offsets before and after the change, e.g. ("+01:00", "+02:00")

    def describe(self, moment: dt.datetime) -> str:
        wall = moment.strftime("%Y-%m-%d %H:%M")
        zone = str(moment.tzinfo)
        before, after = self.offsets
        if self.kind == "gap":
            return (f"{wall} does not exist in {zone}: the clocks go forward from {before} to {after} that night, "
                    f"so calendars will show another hour")
        return f"{wall} happens twice in {zone}: first at {before}, then again at {after} after the clocks go back"

    def hint(self, moment: dt.datetime) -> str:
        wall = moment.strftime("%Y-%m-%d %H:%M")
        before, after = self.offsets
        if self.kind == "gap":
            return f"choose a time that exists that night: before the change ({before}) or after it ({after})"
        return f'say which one the group means: "{wall}{before}" or "{wall}{after}" (the first is used now)'


def parse_moment(text: str, zone: ZoneInfo) -> dt.datetime | dt.date:
    """A date (a whole-day meeting) or a local date and time in `zone`, with an optional offset that
    picks one of the two times of a clock change. Raises BadMoment naming what is impossible."""
    match = MOMENT_RE.match(text.strip())
    if not match:
        raise BadMoment(f"{text!r} is not a date or a date and time")
    try:
        day = dt.date.fromisoformat(match[1])
    except ValueError:
        raise BadMoment(f"{match[1]} is not a day of the calendar (check the month and the day)") from None
    if match[2] is None:
        return day
    hour, minute = int(match[2]), int(match[3])
    if hour > 23 or minute > 59:
        raise BadMoment(f"{match[2]}:{match[3]} is not a time of day (hours 0–23, minutes 0–59)")
    moment = dt.datetime.combine(day, dt.time(hour, minute), zone)
    return _with_offset(moment, match[4]) if match[4] else moment


def _with_offset(moment: dt.datetime, offset: str) -> dt.datetime:
    for fold in (0, 1):
        candidate = moment.replace(fold=fold)
        if _offset_text(candidate) == offset:
            return candidate
    raise BadMoment(f"{moment:%Y-%m-%d %H:%M} is never at {offset} in {moment.tzinfo} "
                    f"(it is at {_offset_text(moment)} there)")


def clock_change(moment: dt.datetime) -> ClockChange | None:
    """Whether this wall time falls in a clock change of its zone."""
    first, second = moment.replace(fold=0), moment.replace(fold=1)
    if first.utcoffset() == second.utcoffset():
        return None
    offsets = (_offset_text(first), _offset_text(second))
    # In a gap the wall time is not reached going through UTC and back; in a fold it is, twice.
    back = first.astimezone(dt.UTC).astimezone(moment.tzinfo)
    if back.replace(tzinfo=None) != moment.replace(tzinfo=None):
        return ClockChange("gap", offsets)
    return ClockChange("fold", offsets)


def _offset_text(moment: dt.datetime) -> str:
    offset = moment.utcoffset() or dt.timedelta()
    sign = "-" if offset < dt.timedelta() else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"
