"""Plain text from rendered HTML, for calendar descriptions and feed summaries."""

from __future__ import annotations

import html
import re

_BLOCK_END_RE = re.compile(r"</(p|h[1-6]|li|div|tr|blockquote)>", re.IGNORECASE)
_TAG_RE = re.compile(r"<[^>]+>")
_SPACES_RE = re.compile(r"[ \t]+")


def plain_text(rendered: str) -> str:
    text = _BLOCK_END_RE.sub("\n\n", rendered)
    text = html.unescape(_TAG_RE.sub("", text))
    lines = [_SPACES_RE.sub(" ", line).strip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


_FIRST_PARAGRAPH_RE = re.compile(r"<p\b[^>]*>(.*?)</p>", re.DOTALL | re.IGNORECASE)


def summary(rendered: str, limit: int = 300) -> str:
    """The first paragraph, cut at a word boundary."""
    match = _FIRST_PARAGRAPH_RE.search(rendered)  # only the first paragraph needs its tags taken out
    first = plain_text(match[1] if match else rendered).split("\n\n", 1)[0]
    if len(first) <= limit:
        return first
    return first[:limit].rsplit(" ", 1)[0] + "…"
