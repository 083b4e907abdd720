"""CommonMark (with tables) to HTML through pulldown-cmark, plus heading anchors.

pyromark wraps pulldown-cmark: it passes raw HTML blocks through as CommonMark requires (the
group's pages rely on them) and renders tens of thousands of pages a second.
"""

from __future__ import annotations

import html
import re
import unicodedata

import pyromark

_OPTIONS = (
    pyromark.Options.ENABLE_TABLES
    | pyromark.Options.ENABLE_STRIKETHROUGH
    | pyromark.Options.ENABLE_FOOTNOTES
    | pyromark.Options.ENABLE_HEADING_ATTRIBUTES
)
_HEADING_RE = re.compile(r"<h([1-6])>(.*?)</h\1>", re.DOTALL)
_TAG_RE = re.compile(r"<[^>]+>")


def render_markdown(text: str) -> str:
    return add_heading_ids(pyromark.html(text, options=_OPTIONS))


def add_heading_ids(rendered: str) -> str:
    """Give each heading without an id a readable one, unique within the page."""
    used: dict[str, int] = {}

    def anchor(match: re.Match[str]) -> str:
        level, inner = match[1], match[2]
        base = slugify(html.unescape(_TAG_RE.sub("", inner))) or "section"
        count = used.get(base, 0)
        used[base] = count + 1
        slug = base if count == 0 else f"{base}-{count}"
        return f'<h{level} id="{slug}">{inner}</h{level}>'

    return _HEADING_RE.sub(anchor, rendered)


def slugify(text: str) -> str:
    """Lower-case words joined by hyphens; Cyrillic and Hangul letters are kept as they are."""
    text = unicodedata.normalize("NFC", text).lower()
    words = re.findall(r"[\w]+", text)
    return "-".join(words)[:80].strip("-_")
