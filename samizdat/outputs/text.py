"""Plain text from rendered HTML, for calendar descriptions and feed summaries."""

from __future__ import annotations

import html
import re

from samizdat.markdown import split_after_last_tag, without_tags

_BLOCK_END_RE = re.compile(r"</(p|h[1-6]|li|div|tr|blockquote)>", re.IGNORECASE)
_SPACES_RE = re.compile(r"[ \t]+")


def plain_text(rendered: str) -> str:
    text = _BLOCK_END_RE.sub("\n\n", rendered)
    text = html.unescape(without_tags(text))
    lines = [_SPACES_RE.sub(" ", line).strip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


_PARAGRAPH_OPEN_RE = re.compile(r"<p\b[^>]*>", re.IGNORECASE)
_PARAGRAPH_CLOSE_RE = re.compile(r"</p>", re.IGNORECASE)


def summary(rendered: str, limit: int = 300) -> str:
    """The first paragraph, cut at a word boundary."""
    paragraph = first_paragraph(rendered)  # only the first paragraph needs its tags taken out
    first = plain_text(rendered if paragraph is None else paragraph).split("\n\n", 1)[0]
    if len(first) <= limit:
        return first
    return first[:limit].rsplit(" ", 1)[0] + "…"


def first_paragraph(rendered: str) -> str | None:
    r"""What `<p\b[^>]*>(.*?)</p>` finds: the markup between the first <p> and the </p> after it. That pattern
    read from every <p> to the end of the page when no </p> came (a page of unclosed <p> took seconds), yet
    when the first paragraph has no </p> after it no later one has: the first is the only one looked at."""
    tags, _ = split_after_last_tag(rendered)
    opening = _PARAGRAPH_OPEN_RE.search(tags)
    closing = _PARAGRAPH_CLOSE_RE.search(rendered, opening.end()) if opening else None
    return rendered[opening.end():closing.start()] if opening and closing else None
