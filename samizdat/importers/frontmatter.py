"""Front matter of old pages: YAML between `---` (through samizdat's bounded loader), TOML between
`+++` (Hugo, through tomllib); and the values samizdat's own keys accept."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from samizdat.content.safe_yaml import load_yaml
from samizdat.errors import ContentError


@dataclass(frozen=True)
class OldPage:
    front: dict[str, Any] | None  # None: the file has no front matter
    body: str
    body_line: int


class FrontMatterProblem(Exception):
    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.line = line


def split(text: str, path: Path) -> OldPage:
    for fence, parse in (("---", _yaml), ("+++", _toml)):
        if text.startswith(fence + "\n") or text.rstrip("\n") == fence:
            end = re.search(rf"^{re.escape(fence)}[ \t]*$", text[len(fence) + 1:], re.M)
            if end is None:
                raise FrontMatterProblem(f"the front matter starts with {fence} but never ends", 1)
            block = text[len(fence) + 1: len(fence) + 1 + end.start()]
            rest = text[len(fence) + 1 + end.end():].removeprefix("\n")
            front = parse(block, path)
            return OldPage(front, rest, text.count("\n", 0, len(text) - len(rest)) + 1)
    return OldPage(None, text, 1)


MAX_DEPTH = 40  # nesting a real page or data file never needs; deeper input would exhaust Python's stack


def depth_of(value: Any) -> int:
    """How deeply lists and tables nest, measured without recursion (the input is hostile)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, (dict, list)):
            deepest = max(deepest, level)
            if level <= MAX_DEPTH:
                stack.extend((child, level + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


def _yaml(block: str, path: Path) -> dict[str, Any]:
    try:
        data = load_yaml(block, path, first_line=2)
    except ContentError as exc:
        raise FrontMatterProblem(exc.message, exc.location.line if exc.location else None) from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise FrontMatterProblem("the front matter is not a list of `key: value` lines", 2)
    if depth_of(data) > MAX_DEPTH:
        raise FrontMatterProblem(f"the front matter nests more than {MAX_DEPTH} levels deep", 2)
    return {str(k): v for k, v in data.items()}


def _toml(block: str, path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(block)
    except (tomllib.TOMLDecodeError, RecursionError) as exc:
        raise FrontMatterProblem(f"the TOML front matter is broken: {exc}", None) from exc
    if depth_of(data) > MAX_DEPTH:
        raise FrontMatterProblem(f"the front matter nests more than {MAX_DEPTH} levels deep", 2)
    return data


def as_date(value: Any) -> dt.date | None:
    """A front matter date as samizdat writes it (a day); Jekyll and Hugo also allow times and zones."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        match = re.match(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})", value)
        if match:
            try:
                return dt.date(*(int(part) for part in match.groups()))
            except ValueError:
                return None
    return None


TEXT_KEYS = ("title", "description")
DROPPED_KEYS = ("layout", "lang", "language", "permalink", "url", "slug", "published", "draft", "date",
                "language_reference", "lang-ref", "lang_ref", "ref", "translationKey", "translation_key",
                "aliases", "menu", "image", "updated", "translation_of", "menu_title")


def samizdat_front(old: dict[str, Any], kind: str) -> dict[str, Any]:
    """The keys samizdat reads, valid; every other key kept, so templates can still read it
    (`page.data.KEY`); keys samizdat reads differently are kept under `<kind>_KEY`."""
    front: dict[str, Any] = {}
    for key in TEXT_KEYS:
        if old.get(key) not in (None, ""):
            front[key] = str(old[key])
    for key, value in old.items():
        if key in TEXT_KEYS or key in ("lang", "language", "layout", "permalink", "date", "published", "draft"):
            continue
        front[f"{kind}_{key}" if key in DROPPED_KEYS else key] = _plain(value)
    return front


def _plain(value: Any) -> Any:
    """Values YAML can write back: TOML and YAML times become text."""
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value
