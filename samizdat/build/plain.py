"""Front-matter values as JSON and back, exactly: YAML's dates and times are tagged, anything JSON would
change (keys that are not text, sets, bytes) is refused, so such a page is parsed again instead of cached."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

TAG = "\x00samizdat"  # a key no front matter that is cached can hold (to_plain refuses it)


class NotPlain(Exception):
    """A value that JSON cannot carry unchanged."""


def to_plain(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        raise NotPlain("a number JSON cannot hold")
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, dt.datetime):  # before date: a datetime is a date too
        return {TAG: "datetime", "v": value.isoformat()}
    if isinstance(value, dt.date):
        return {TAG: "date", "v": value.isoformat()}
    if isinstance(value, list):
        return [to_plain(item) for item in value]
    if isinstance(value, dict):
        if not all(isinstance(name, str) for name in value) or TAG in value:
            raise NotPlain("a mapping with keys that are not text")
        return {name: to_plain(item) for name, item in value.items()}
    raise NotPlain(type(value).__name__)


def from_plain(value: Any) -> Any:
    """The value to_plain was given; ValueError for anything it cannot have made. Every page's front matter is
    read back by every build: texts and numbers, most of its values, are taken without a call each."""
    kind = type(value)
    if kind in _SCALARS:
        return value
    if kind is list:
        return [item if type(item) in _SCALARS else from_plain(item) for item in value]
    if kind is dict:
        if TAG in value:
            return _tagged(value)
        return {name: item if type(item) in _SCALARS else from_plain(item) for name, item in value.items()}
    raise ValueError(f"unexpected {kind.__name__}")


_SCALARS = frozenset({str, bool, int, float, type(None)})  # as JSON reads them: never a subclass


def _tagged(value: dict[str, Any]) -> dt.date:
    kind, text = value.get(TAG), value.get("v")
    if len(value) != 2 or not isinstance(text, str):
        raise ValueError("a tagged value with the wrong shape")
    if kind == "datetime":
        return dt.datetime.fromisoformat(text)
    if kind == "date":
        return dt.date.fromisoformat(text)
    raise ValueError(f"unknown tag {kind!r}")
