"""Time zones named in a site's files, in the editor or on the command line: one answer for every name."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def find_zone(name: object) -> ZoneInfo | None:
    """The IANA zone of that name, or None for anything that is not one. The names are paths into the zone
    database, so a region alone ("America", "Europe": a folder there), a very long name or a path is an
    OSError or a ValueError rather than "not found", and each ended the build in a traceback."""
    if not isinstance(name, str):
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None
