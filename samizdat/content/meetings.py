"""Meetings: the facts written once (meetings/<id>.yaml), shared by every language's text page."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from samizdat.content.frontmatter import load_yaml
from samizdat.content.sources import read_text
from samizdat.errors import ContentError, SourceLocation, raise_all, shown
from samizdat.site_files import site_files
from samizdat.zones import find_zone

MEETINGS_DIR = "meetings"
STATUSES = ("planned", "moved", "cancelled")
DEFAULT_LENGTH = dt.timedelta(hours=2)  # how long a meeting without an end is taken to last
KEYS = ("start", "end", "timezone", "status", "previous_start", "place", "instagram", "updated", "announced")
PLACE_KEYS = ("name", "address", "map", "lat", "lon")


@dataclass(frozen=True)
class Place:
    name: dict[str, str] | str
    address: dict[str, str] | str
    map_url: str | None
    lat: float | None = None
    lon: float | None = None


@dataclass(frozen=True)
class Meeting:
    id: str  # the file's stem, e.g. "2022-02-27-bosingak"; the text pages share it
    path: Path
    start: dt.datetime | dt.date  # a date alone is an all-day meeting
    end: dt.datetime | dt.date | None
    timezone: ZoneInfo
    status: str
    place: Place
    instagram: str | None = None
    previous_start: dt.datetime | dt.date | None = None
    updated: dt.datetime | None = None  # when the facts last changed (a move, a cancellation)
    announced: dt.datetime | None = None  # when the meeting was first announced: its feed entry's date
    # Times that fall in a clock change of the zone: (line, message, hint), reported as build warnings.
    clock_notes: tuple[tuple[int | None, str, str], ...] = ()

    @property
    def all_day(self) -> bool:
        return not isinstance(self.start, dt.datetime)

    @property
    def ends_at(self) -> dt.datetime:
        """When the meeting is over: its end, two hours after its start, or the end of its day."""
        if self.all_day:
            last_day = self.end if self.end else self.start
            return dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time(), self.timezone)
        assert isinstance(self.start, dt.datetime)
        return self.end if isinstance(self.end, dt.datetime) else self.start + DEFAULT_LENGTH

    @property
    def starts_at(self) -> dt.datetime:
        if isinstance(self.start, dt.datetime):
            return self.start
        return dt.datetime.combine(self.start, dt.time(), self.timezone)

    def is_past(self, now: dt.datetime) -> bool:
        return self.ends_at <= now


def load_meetings(site_root: Path, site_timezone: str) -> dict[str, Meeting]:
    folder = site_root / MEETINGS_DIR
    meetings, errors = [], []
    for path in site_files(folder):
        if path.parent == folder and path.suffix in (".yaml", ".yml"):
            try:
                meetings.append(read_meeting(path, site_timezone))
            except ContentError as exc:  # every meeting file's mistake, told together
                errors.append(exc)
    raise_all(errors)
    return {meeting.id: meeting for meeting in meetings}


def read_meeting(path: Path, site_timezone: str) -> Meeting:
    text = read_text(path)
    raw = load_yaml(text, path) or {}
    facts = _Facts(path, text)
    if not isinstance(raw, dict):
        raise facts.error(None, "a meeting file must be a list of `key: value` lines", "see docs/meetings.md")
    for key in raw:
        if key not in KEYS:
            raise facts.error(key, f"unknown key {key!r}", f"known keys: {', '.join(KEYS)}")
    zone = facts.zone(raw.get("timezone", site_timezone))
    if "start" not in raw:
        raise facts.error(None, "the meeting has no start", 'add e.g. start: "2026-12-05 15:00" (or a date alone)')
    start = facts.moment(raw["start"], "start", zone)
    end = facts.moment(raw["end"], "end", zone) if raw.get("end") is not None else None
    if end is not None and _as_moment(end, zone) < _as_moment(start, zone):
        raise facts.error("end", "the meeting ends before it starts", "check the dates of start and end")
    status = raw.get("status", "planned")
    if status not in STATUSES:
        raise facts.error("status", f"unknown status {status!r}", f"use one of: {', '.join(STATUSES)}")
    previous = raw.get("previous_start")
    return Meeting(
        id=unicodedata.normalize("NFC", path.stem),  # as the text pages' names are (content/urls.py)
        path=path,
        start=start,
        end=end,
        timezone=zone,
        status=status,
        place=facts.place(raw.get("place")),
        instagram=raw.get("instagram"),
        previous_start=facts.moment(previous, "previous_start", zone) if previous is not None else None,
        updated=_as_moment(facts.moment(raw["updated"], "updated", zone), zone) if raw.get("updated") else None,
        announced=_as_moment(facts.moment(raw["announced"], "announced", zone), zone)
        if raw.get("announced") else None,
        clock_notes=tuple(facts.notes),
    )


def _as_moment(value: dt.datetime | dt.date, zone: ZoneInfo) -> dt.datetime:
    return value if isinstance(value, dt.datetime) else dt.datetime.combine(value, dt.time(), zone)


OFFSET_RE = re.compile(r"[+-]\d{2}:\d{2}$")  # an explicit offset: the author chose one side of a clock change


class _Facts:
    """Reads values of one meeting file, with errors that point at the key's line."""

    def __init__(self, path: Path, text: str) -> None:
        self.path, self.lines = path, text.splitlines()
        self.notes: list[tuple[int | None, str, str]] = []

    def line_of(self, key: str | None) -> int | None:
        if key is None:
            return None
        pattern = re.compile(rf"^\s*{re.escape(key)}\s*:")
        return next((i for i, line in enumerate(self.lines, 1) if pattern.match(line)), None)

    def error(self, key: str | None, message: str, hint: str) -> ContentError:
        return ContentError(message, SourceLocation(self.path, self.line_of(key) or (1 if key is None else None)),
                            hint=hint)

    def zone(self, name: Any) -> ZoneInfo:
        zone = find_zone(str(name))
        if zone is None:
            raise self.error("timezone", f"unknown time zone {shown(name)}",
                             "use an IANA zone such as Asia/Seoul or Europe/Berlin (a region and a city)")
        return zone

    def moment(self, value: Any, key: str, zone: ZoneInfo) -> dt.datetime | dt.date:
        """A date ("2022-02-27": all day) or a local date and time ("2026-12-05 15:00") in the zone."""
        # loaded when a site has meetings
        from samizdat.content.clock import FORMAT_HINT, BadMoment, clock_change, parse_moment

        if isinstance(value, dt.datetime) and value.tzinfo:
            return value.astimezone(zone)
        if isinstance(value, dt.datetime):
            moment: dt.datetime | dt.date = value.replace(tzinfo=zone)
        elif isinstance(value, dt.date):
            return value
        else:
            try:
                moment = parse_moment(str(value), zone)
            except BadMoment as exc:
                raise self.error(key, f"{key}: {exc}", FORMAT_HINT) from None
        change = clock_change(moment) if isinstance(moment, dt.datetime) and key in ("start", "end") else None
        if change is not None and not (change.kind == "fold" and OFFSET_RE.search(str(value))):
            self.notes.append((self.line_of(key), change.describe(moment), change.hint(moment)))
        return moment

    def place(self, raw: Any) -> Place:
        if raw is None:
            raise self.error(None, "the meeting has no place", "add place: with name: and address:")
        if not isinstance(raw, dict) or "name" not in raw:
            raise self.error("place", "place needs at least a name", "add name: under place:")
        for key in raw:
            if key not in PLACE_KEYS:
                raise self.error(key, f"unknown place key {key!r}", f"known keys: {', '.join(PLACE_KEYS)}")
        lat, lon = self.degrees(raw, "lat", 90), self.degrees(raw, "lon", 180)
        map_url = raw.get("map")
        if map_url is None and isinstance(lat, int | float) and isinstance(lon, int | float):
            map_url = f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=18/{lat}/{lon}"
        if map_url is not None and not str(map_url).startswith("https://www.openstreetmap.org/"):
            raise self.error("map", "the map link must point to www.openstreetmap.org",
                             "other map services track visitors; give lat: and lon: instead")
        return Place(raw["name"], raw.get("address", ""), map_url, None if lat is None else float(lat),
                     None if lon is None else float(lon))

    def degrees(self, raw: dict[str, Any], key: str, limit: int) -> int | float | None:
        """place.lat or place.lon as written (37.5701, or 37 in the map link as before), checked to be a number
        of degrees; None when it is not given."""
        value = raw.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float) or not -limit <= value <= limit:
            raise self.error(key, f"place {key}: {shown(value, 40)} is not a number of degrees from {-limit} to "
                             f"{limit}",
                             "copy the two numbers from the map, e.g. lat: 37.5701 and lon: 126.9835")
        return value
