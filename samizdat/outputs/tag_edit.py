"""Edits of single start tags that leave every other byte of a page as it was.

Re-serialising a parsed page would rewrite it (`&emsp;` becomes a raw character, `<br />` becomes
`<br>`, tables gain `<tbody>`), and a group's hand-written page must come out as it went in. So the
decisions are taken on the lexbor tree (page_rules.py, security.py) and only the tags that change are
found again here, with the standard library's HTML tokenizer, which reports where each tag starts.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser


@dataclass(frozen=True)
class StartTag:
    start: int  # character offset of "<"
    end: int  # just after ">"
    name: str
    attrs: tuple[tuple[str, str], ...]  # as written, values unescaped

    def get(self, name: str) -> str | None:
        return next((value for key, value in self.attrs if key == name), None)


class _Finder(HTMLParser):
    def __init__(self, text: str, names: frozenset[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.names = names
        self.line_starts = [0]
        self.line_starts += [index + 1 for index, char in enumerate(text) if char == "\n"]
        self.found: list[StartTag] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.names:
            raw = self.get_starttag_text() or ""
            line, column = self.getpos()
            start = self.line_starts[line - 1] + column
            values = tuple((name, value or "") for name, value in attrs)
            self.found.append(StartTag(start, start + len(raw), tag, values))

    handle_startendtag = handle_starttag


def start_tags(text: str, names: frozenset[str]) -> list[StartTag]:
    finder = _Finder(text, names)
    finder.feed(text)
    finder.close()
    return finder.found


def write_tag(name: str, attrs: tuple[tuple[str, str], ...]) -> str:
    return "<" + name + "".join(f' {key}="{_attribute(value)}"' for key, value in attrs) + ">"


def _attribute(value: str) -> str:
    """Escaped for a double-quoted attribute; apostrophes stay (the CSP's 'self' reads better as is)."""
    return html.escape(value, quote=False).replace('"', "&quot;")


def rewrite_tags(text: str, names: frozenset[str], change: Callable[[StartTag], str | None]) -> str:
    """Each tag of `names` for which `change` gives new text is replaced by it; nothing else moves."""
    parts: list[str] = []
    done = 0
    for tag in start_tags(text, names):
        replacement = change(tag)
        if replacement is not None and tag.start >= done:
            parts += [text[done:tag.start], replacement]
            done = tag.end
    return "".join(parts) + text[done:] if parts else text
