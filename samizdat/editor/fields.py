"""Front matter as form fields: simple values become inputs, the rest is kept byte for byte.

Only the lines of values a volunteer changed are rewritten (as `samizdat translated` rewrites only its
own line), so comments, key order and everything the form does not show stay as they were.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import yaml

from samizdat.content.translation_status import TRANSLATION_OF

HIDDEN = frozenset({TRANSLATION_OF})  # written by "mark as translated", never typed
FIRST = ("title", "description")  # always offered, in this order, even when the file lacks them


@dataclass(frozen=True)
class Field:
    key: str
    text: str
    kind: str  # "text", "number", "bool" or "date": how the typed text becomes a YAML value


def fields_of(data: dict[str, Any]) -> list[Field]:
    keys = [*FIRST, *(key for key in data if key not in FIRST)]
    shown = []
    for key in keys:
        value = data.get(key, "")
        if key in HIDDEN or not isinstance(key, str) or isinstance(value, dict | list):
            continue
        shown.append(Field(key, _as_text(value), _kind(value)))
    return shown


def typed(text: str, kind: str) -> Any:
    """The value to write for what was typed; text that does not fit its kind stays text."""
    text = text.replace("\r\n", "\n").strip()
    try:
        if kind == "bool":
            return text == "true"
        if kind == "number":
            return int(text)
        if kind == "date":
            return dt.date.fromisoformat(text)
    except ValueError:
        pass
    return text


def with_values(text: str, changes: dict[str, Any]) -> str:
    """The file's text with these top-level front matter keys set; a file without front matter gets one."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip("\r\n") != "---":
        lines = ["---\n", "---\n", *lines]
    end = next(i for i in range(1, len(lines)) if lines[i].rstrip("\r\n") == "---")
    return "".join(_set_lines(lines, 1, end, changes))


def yaml_with_values(text: str, changes: dict[str, Any]) -> str:
    """A whole YAML file (a meeting's facts) with these top-level keys set, other lines untouched."""
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    return "".join(_set_lines(lines, 0, len(lines), changes))


def _set_lines(lines: list[str], first: int, end: int, changes: dict[str, Any]) -> list[str]:
    for key, value in changes.items():
        line = yaml.safe_dump({key: value}, allow_unicode=True, width=10**6, sort_keys=False)
        start = next((i for i in range(first, end) if lines[i].startswith(f"{key}:")), None)
        if start is None:
            lines.insert(end, line)
            end += 1
            continue
        stop = start + 1
        while stop < end and lines[stop][:1] in (" ", "\t"):  # the old value's continued lines
            stop += 1
        lines[start:stop] = [line]
        end -= stop - start - 1
    return lines


def _as_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "number"
    if isinstance(value, dt.date):
        return "date"
    return "text"
