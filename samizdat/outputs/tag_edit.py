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
    # Elements whose content is text to a browser (HTML5's raw text and RCDATA), not only script and style.
    CDATA_CONTENT_ELEMENTS = ("script", "style", "title", "textarea", "xmp", "iframe", "noembed", "noframes",
                              "noscript")

    def __init__(self, names: frozenset[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.names = names
        self.at: int | None = None  # where the tag being read starts, when read one by one
        self.line_starts: list[int] = []
        self.found: list[StartTag] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.names:
            raw = self.get_starttag_text() or ""
            if self.at is None:
                line, column = self.getpos()
                start = self.line_starts[line - 1] + column
            else:
                start = self.at
            values = tuple((name, value or "") for name, value in attrs)
            self.found.append(StartTag(start, start + len(raw), tag, values))

    handle_startendtag = handle_starttag


def start_tags(text: str, names: frozenset[str]) -> list[StartTag]:
    """Every start tag of `names`, the whole text tokenized (about a millisecond for a page)."""
    finder = _Finder(names)
    finder.line_starts = [0]
    newline = text.find("\n")
    while newline != -1:
        finder.line_starts.append(newline + 1)
        newline = text.find("\n", newline + 1)
    finder.feed(text)
    finder.close()
    return finder.found


def quick_start_tags(text: str, names: frozenset[str]) -> list[StartTag]:
    """The start tags of `names`, read by the tokenizer's own start-tag reader only where `<name` occurs
    (tens of microseconds). A look-alike inside a comment or a script is read too: callers compare the
    result with the parsed tree and fall back to start_tags() when they differ."""
    lowered = text.lower()
    positions: list[int] = []
    for name in names:
        at = lowered.find("<" + name)
        while at != -1:
            follows = lowered[at + len(name) + 1: at + len(name) + 2]
            if follows in ("", " ", "\t", "\n", "\r", "\f", "/", ">"):
                positions.append(at)
            at = lowered.find("<" + name, at + 1)
    finder = _Finder(names)
    finder.rawdata = text
    for at in sorted(positions):
        finder.at = at
        finder.parse_starttag(at)
    return finder.found


def write_tag(name: str, attrs: tuple[tuple[str, str], ...]) -> str:
    return "<" + name + "".join(f' {key}="{_attribute(value)}"' for key, value in attrs) + ">"


def _attribute(value: str) -> str:
    """Escaped for a double-quoted attribute; apostrophes stay (the CSP's 'self' reads better as is)."""
    return html.escape(value, quote=False).replace('"', "&quot;")


def rewrite_tags(text: str, tags: list[StartTag], change: Callable[[StartTag], str | None]) -> str:
    """Each of `tags` (in text order) for which `change` gives new text is replaced by it; nothing else moves."""
    parts: list[str] = []
    done = 0
    for tag in tags:
        replacement = change(tag)
        if replacement is not None and tag.start >= done:
            parts += [text[done:tag.start], replacement]
            done = tag.end
    return "".join(parts) + text[done:] if parts else text
