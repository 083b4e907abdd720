"""Dates as each language writes them, through Babel's CLDR data."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from babel import Locale
from babel.dates import format_date, format_interval, format_time, get_timezone_location, get_timezone_name

# How each language names a meeting's clock: by its city, as people say it («по сеульскому времени»),
# not by Babel's official zone name («Корея, стандартное время»). Russian needs the adjective, so
# its zones are listed; other languages build the phrase from the city's name in CLDR.
ZONE_PHRASES: dict[str, dict[str, str]] = {
    "ru": {"Asia/Seoul": "по сеульскому времени", "Europe/Moscow": "по московскому времени",
           "Asia/Tokyo": "по токийскому времени", "Europe/Berlin": "по берлинскому времени",
           "Europe/Kyiv": "по киевскому времени", "Europe/Kiev": "по киевскому времени",
           "Europe/London": "по лондонскому времени", "Europe/Paris": "по парижскому времени",
           "Asia/Tbilisi": "по тбилисскому времени", "Asia/Yerevan": "по ереванскому времени",
           "Europe/Istanbul": "по стамбульскому времени", "Europe/Vilnius": "по вильнюсскому времени",
           "Europe/Riga": "по рижскому времени", "Europe/Warsaw": "по варшавскому времени",
           "Europe/Prague": "по пражскому времени", "America/New_York": "по нью-йоркскому времени"},
}
CITY_PATTERNS = {"en": "{city} time", "ko": "{city} 시간", "ru": "время: {city}", "uk": "час: {city}",
                 "de": "Ortszeit {city}", "ja": "{city}時間", "sv": "{city}tid", "tr": "{city} saati"}


@lru_cache(maxsize=64)
def _locale(name: str) -> Locale:
    return Locale.parse(name)


def format_day(value: dt.date, locale: str, style: str = "long") -> str:
    """E.g. 27 февраля 2022 г. / 27 February 2022 / 2022년 2월 27일."""
    if isinstance(value, dt.datetime):
        value = value.date()
    return _format_day(value, locale, style)


@lru_cache(maxsize=8192)  # a listing shows the date of each page it lists: babel takes 20 µs for each
def _format_day(day: dt.date, locale: str, style: str) -> str:
    return format_date(day, format=style, locale=_locale(locale))


def format_when(start: dt.datetime | dt.date, end: dt.datetime | dt.date | None, locale: str,
                name_zone: bool = True) -> str:
    """A meeting's time as a native reader expects it, in the meeting's own zone:
    ko 2026년 12월 5일 토요일 오후 3:00~5:00 (서울 시간),
    ru суббота, 5 декабря 2026 г., 15:00–17:00 (по сеульскому времени)"""
    babel_locale = _locale(locale)
    if not isinstance(start, dt.datetime):
        text = format_date(start, format="full", locale=babel_locale)
        if end is not None and end != start:
            text = format_interval(start, end, "yMMMMEEEEd", locale=babel_locale)
        return text
    day = format_date(start, format="full", locale=babel_locale)
    hour_skeleton = "hm" if "h" in str(babel_locale.time_formats["short"]) else "Hm"
    if isinstance(end, dt.datetime) and end.date() == start.date():
        # CLDR's Russian range takes an em dash; a range of numbers takes an en dash (15:00–17:00).
        hours = format_interval(start.timetz(), end.timetz(), hour_skeleton, locale=babel_locale).replace("—", "–")
    elif isinstance(end, dt.datetime):
        hours = format_time(start, format="short", locale=babel_locale)
        day_end = format_date(end, format="full", locale=babel_locale)
        hours += " – " + str(babel_locale.datetime_formats["medium"]).format(
            format_time(end, format="short", locale=babel_locale), day_end)
    else:
        hours = format_time(start, format="short", locale=babel_locale)
    text = str(babel_locale.datetime_formats["medium"]).format(hours, day)
    if name_zone:
        text += f" ({zone_phrase(start, babel_locale)})"
    return text


def zone_phrase(moment: dt.datetime, locale: Locale) -> str:
    """«по сеульскому времени», «서울 시간», "Seoul time"; Babel's zone name for other languages."""
    zone = getattr(moment.tzinfo, "key", None)
    known = ZONE_PHRASES.get(locale.language, {}).get(zone or "")
    if known:
        return known
    pattern = CITY_PATTERNS.get(locale.language)
    if zone and "/" in zone and not zone.startswith("Etc/") and pattern:  # UTC has no city
        return pattern.format(city=get_timezone_location(zone, locale=locale, return_city=True))
    return get_timezone_name(moment, "long", locale=locale)
