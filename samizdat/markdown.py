"""CommonMark (with tables) to HTML through pulldown-cmark, plus GFM autolinks, table alignment as
classes, and heading anchors.

pyromark wraps pulldown-cmark: it passes raw HTML blocks through as CommonMark requires (the
group's pages rely on them) and renders tens of thousands of pages a second.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterator

import pyromark

from samizdat.autolinks import autolink
from samizdat.line_numbers import LineNumbers

_OPTIONS = (
    pyromark.Options.ENABLE_TABLES
    | pyromark.Options.ENABLE_STRIKETHROUGH
    | pyromark.Options.ENABLE_FOOTNOTES
    | pyromark.Options.ENABLE_HEADING_ATTRIBUTES
)
# A heading pulldown-cmark wrote, <h2>…</h2>: its text runs to the first closing tag of its level.
_HEADING_OPEN_RE = re.compile(r"<h([1-6])>")
_TAG_RE = re.compile(r"<[^>]+>")
# An id written in a tag. A tag is read no further than the next '<' (or '>'): an id after that '<' is found
# from it all the same, and the text is read once, not again from each of a run of '<' up to the next '>'.
_ID_RE = re.compile(r"""<[^<>]*?\sid=["']?([^"'\s>]+)""")
# Table alignment as pulldown-cmark writes it: style attributes, which the site's CSP blocks; the
# theme styles these classes instead (.align-left, .align-center, .align-right).
_ALIGN_RE = re.compile(r'style="text-align: (left|center|right)"')
# A wide table scrolls inside its own box rather than the whole page sideways on a phone; the box takes
# the keyboard focus so that it can be scrolled without a mouse (axe: scrollable-region-focusable).
_TABLE_TAG_RE = re.compile(r"<table\b[^>]*>|</table\s*>", re.IGNORECASE)
_SCROLL_OPEN = '<div class="table-scroll" tabindex="0">'


def render_markdown(text: str, reserved_ids: frozenset[str] = frozenset()) -> str:
    """reserved_ids: the ids the layout around the text uses (main's "content"), which no heading may take."""
    rendered = autolink(pyromark.html(text, options=_OPTIONS))
    rendered = scrolling_tables(_ALIGN_RE.sub(r'class="align-\1"', rendered))
    return add_heading_ids(rendered, reserved_ids)


def scrolling_tables(rendered: str) -> str:
    """Markdown's tables (written `<table>`, no attribute: one in the author's own HTML, with its
    attributes, is left as written) each in a box that scrolls sideways. Tags are paired as they nest."""
    bare: list[bool] = []

    def wrap(match: re.Match[str]) -> str:
        tag = match.group(0)
        if not tag.startswith("</"):
            bare.append(tag.lower() == "<table>")
            return _SCROLL_OPEN + tag if bare[-1] else tag
        return tag + "</div>" if bare and bare.pop() else tag

    tags, rest = split_after_last_tag(rendered)
    wrapped = _TABLE_TAG_RE.sub(wrap, tags) + rest
    return rendered if any(bare) else wrapped  # a table left open: no box rather than one never closed


def split_after_last_tag(text: str) -> tuple[str, str]:
    """The text up to its last '>', and the rest, in which no tag can end. A tag pattern (`<[^>]+>`) tried
    at a '<' that no '>' follows reads to the end of the text before it fails, and so again from every '<'
    after it (100,000 of them took a minute); before the last '>' each try ends at the next '>'."""
    end = text.rfind(">") + 1
    return text[:end], text[end:]


def without_tags(text: str) -> str:
    """The text with every tag (`<[^>]+>`) taken out."""
    tags, rest = split_after_last_tag(text)
    return _TAG_RE.sub("", tags) + rest


def add_heading_ids(rendered: str, reserved: frozenset[str] = frozenset()) -> str:
    """Give each heading without an id a readable one, unique within the page: an id written by the
    author (`## Intro {#intro}`, `<p id="x">`) or used by the layout is never given again."""
    written = _ID_RE.findall(rendered) if "id=" in rendered else []  # most pages bring no id of their own
    used = set(reserved) | set(written)
    # The number each base tries next: the ids below it are all taken, so the next heading of the same text
    # starts there (30,000 headings "Update" counted from one each, 450 million looks: a minute).
    next_number: dict[str, int] = {}

    def anchor(level: str, inner: str) -> str:
        base = slugify(html.unescape(without_tags(inner))) or "section"
        count = next_number.get(base, 0)
        slug = f"{base}-{count}" if count else base
        while slug in used:
            count += 1
            slug = f"{base}-{count}"
        next_number[base] = count + 1
        used.add(slug)
        return f'<h{level} id="{slug}">{inner}</h{level}>'

    pieces, done = [], 0
    for start, end, level, inner in _headings(rendered):
        pieces += [rendered[done:start], anchor(level, inner)]
        done = end
    return "".join(pieces) + rendered[done:]


def _headings(rendered: str) -> Iterator[tuple[int, int, str, str]]:
    r"""Each heading's start, end, level and text, as `<h([1-6])>(.*?)</h\1>` finds them. That pattern read
    from every opening tag to the end of the page when no closing tag of its level came (50,000 unclosed <h1>
    took most of a minute); here a level never closed further on is passed by."""
    last_close: dict[str, int] = {}  # where each level's last closing tag is, looked for when first needed
    done = 0
    for opening in _HEADING_OPEN_RE.finditer(rendered):
        level = opening[1]
        if level not in last_close:
            last_close[level] = rendered.rfind(f"</h{level}>")
        if opening.start() < done or last_close[level] < opening.end():
            continue  # inside the heading before it, or never closed
        close = rendered.find(f"</h{level}>", opening.end())
        done = close + len(f"</h{level}>")
        yield opening.start(), done, level, rendered[opening.end():close]


def slugify(text: str) -> str:
    """Lower-case words joined by hyphens; Cyrillic and Hangul letters are kept as they are."""
    text = unicodedata.normalize("NFC", text).lower()
    words = re.findall(r"[\w]+", text)
    return "-".join(words)[:80].strip("-_")


def html_pieces(text: str) -> list[tuple[int, str]]:
    """The markup a Markdown text brings of its own, each with the text's line (0-based) it starts on:
    every raw HTML block and inline tag, and each link or image destination written as the tag it
    becomes. Read only when a page breaks a rule, to name the line (pulldown-cmark gives every event
    its source range, in bytes)."""
    data = text.encode("utf-8")
    pieces: list[tuple[int, int, str]] = []  # (start byte, end byte, markup)
    for event, span in pyromark.events_with_range(text, options=_OPTIONS):
        if not isinstance(event, dict):
            continue
        if "Html" in event or "InlineHtml" in event:
            markup = event.get("Html") or event.get("InlineHtml") or ""
            if pieces and pieces[-1][1] == span["start"]:  # one block's lines, or one tag over lines
                pieces[-1] = (pieces[-1][0], span["end"], pieces[-1][2] + markup)
            else:
                pieces.append((span["start"], span["end"], markup))
        elif isinstance(event.get("Start"), dict):
            tag = event["Start"]
            for kind, element, attr in (("Link", "a", "href"), ("Image", "img", "src")):
                if kind in tag:
                    url = html.escape(tag[kind]["dest_url"], quote=True)
                    pieces.append((span["start"], span["start"], f'<{element} {attr}="{url}">'))
    lines = LineNumbers(data, first_line=0)
    return [(lines.at(start), markup) for start, _, markup in pieces]
