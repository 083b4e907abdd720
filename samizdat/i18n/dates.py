"""Dates as each language writes them, through Babel's CLDR data."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from babel import Locale
from babel.dates import format_date, format_interval, format_time, get_timezone_name


@lru_cache(maxsize=64)
def _locale(name: str) -> Locale:
    return Locale.parse(name)


def format_day(value: dt.date, locale: str, style: str = "long") -> str:
    """E.g. 27 февраля 2022 г. / 27 February 2022 / 2022년 2월 27일."""
    if isinstance(value, dt.datetime):
        value = value.date()
    return format_date(value, format=style, locale=_locale(locale))


def format_when(start: dt.datetime | dt.date, end: dt.datetime | dt.date | None, locale: str,
                name_zone: bool = True) -> str:
    """A meeting's time as a native reader expects it, in the meeting's own zone:
    ko 2026년 12월 5일 토요일 오후 3:00~5:00 (한국 표준시), ru суббота, 5 декабря 2026 г., 15:00—17:00 …"""
    babel_locale = _locale(locale)
    if not isinstance(start, dt.datetime):
        text = format_date(start, format="full", locale=babel_locale)
        if end is not None and end != start:
            text = format_interval(start, end, "yMMMMEEEEd", locale=babel_locale)
        return text
    day = format_date(start, format="full", locale=babel_locale)
    hour_skeleton = "hm" if "h" in str(babel_locale.time_formats["short"]) else "Hm"
    if isinstance(end, dt.datetime) and end.date() == start.date():
        hours = format_interval(start.timetz(), end.timetz(), hour_skeleton, locale=babel_locale)
    elif isinstance(end, dt.datetime):
        hours = format_time(start, format="short", locale=babel_locale)
        day_end = format_date(end, format="full", locale=babel_locale)
        hours += " – " + str(babel_locale.datetime_formats["medium"]).format(
            format_time(end, format="short", locale=babel_locale), day_end)
    else:
        hours = format_time(start, format="short", locale=babel_locale)
    text = str(babel_locale.datetime_formats["medium"]).format(hours, day)
    if name_zone:
        text += f" ({get_timezone_name(start, 'long', locale=babel_locale)})"
    return text
