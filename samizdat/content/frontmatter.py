"""Split YAML front matter from the body, with errors that point at the file's own lines."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from samizdat.content.safe_yaml import load_yaml
from samizdat.errors import ContentError, SourceLocation

__all__ = ["FrontMatter", "load_yaml", "split_front_matter"]


@dataclass(frozen=True)
class FrontMatter:
    data: dict[str, Any]
    body: str
    body_line: int  # the file's line number of the body's first line
    lines: tuple[str, ...]  # the front matter's own lines, for finding a key's line later

    def line_of(self, key: str) -> int | None:
        """The file line of a top-level key, so errors about a value can point at it."""
        for index, line in enumerate(self.lines):
            if line.startswith(f"{key}:"):
                return index + 2  # +1 for the opening ---, +1 for 1-based lines
        return None


def split_front_matter(text: str, path: Path) -> FrontMatter:
    if not text.startswith("---\n") and text.rstrip("\n") != "---":
        return FrontMatter({}, text, 1, ())
    end = _closing_line(text)
    if end == -1:
        raise ContentError(
            "front matter starts with --- but never ends",
            SourceLocation(path, 1),
            hint="close the front matter with a line holding only ---",
        )
    block = text[4 : end + 1]
    body_start = end + 5
    body_line = text.count("\n", 0, body_start) + 1
    data = load_yaml(block, path, first_line=2)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ContentError(
            "front matter must be a list of `key: value` lines",
            SourceLocation(path, 2),
            hint="e.g. `title: About us`",
        )
    return FrontMatter(data, text[body_start:], body_line, tuple(block.splitlines()))


def body_start(text: str) -> int | None:
    """Where split_front_matter finds the body of `text` (0 without front matter); None where front matter
    never ends. A body read again from its file is taken from here (build/cache/sources.py)."""
    if not text.startswith("---\n") and text.rstrip("\n") != "---":
        return 0
    end = _closing_line(text)
    return None if end == -1 else min(end + 5, len(text))


def _closing_line(text: str) -> int:
    """The index of the line holding only --- that closes the front matter `text` opens with, or -1."""
    end = text.find("\n---", 3)
    while end != -1 and text[end + 4 : end + 5] not in ("\n", ""):
        end = text.find("\n---", end + 4)
    return end
