"""Dates as each language writes them, through Babel's CLDR data."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from babel import Locale
from babel.dates import format_date, format_datetime


@lru_cache(maxsize=64)
def _locale(name: str) -> Locale:
    return Locale.parse(name)


def format_day(value: dt.date, locale: str, style: str = "long") -> str:
    """E.g. 27 февраля 2022 г. / 27 February 2022 / 2022년 2월 27일."""
    if isinstance(value, dt.datetime):
        value = value.date()
    return format_date(value, format=style, locale=_locale(locale))


def format_moment(value: dt.datetime, locale: str, style: str = "long") -> str:
    return format_datetime(value, format=style, locale=_locale(locale), tzinfo=value.tzinfo)
