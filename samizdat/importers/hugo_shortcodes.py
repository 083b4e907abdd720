"""Hugo shortcodes in page text: the built-in ones that map to Markdown or HTML are converted; the rest
are kept as template comments (invisible to readers) and listed.

Embeds (YouTube, Vimeo, tweets, gists) become plain links on purpose: an embedded frame tells the
video site who reads the page, and samizdat's pages forbid frames from other sites anyway.
"""

from __future__ import annotations

import html
import re
import shlex
from collections.abc import Callable, Iterator

from samizdat.importers.markup import NextMatch, TagFinder, escape_jinja, jinja_comment
from samizdat.line_numbers import LineNumbers

# The spaces after `{{<` are taken whole (\s*+), and those before `>}}` only from their first (?<!\s):
# trying each split of a long run of spaces read the rest of the run again for each.
SHORTCODE = re.compile(r"\{\{([<%])\s*+(/?)\s*(\w[\w-]*)(.*?)(?<!\s)\s*+[>%]\}\}", re.S)
SHORTCODE_CLOSINGS = {"{{<": (">}}", "%}}"), "{{%": (">}}", "%}}")}  # how a SHORTCODE begins → how it ends
HIGHLIGHT_END = re.compile(r"\{\{[<%]\s*/\s*highlight\s*[>%]\}\}")
Resolve = Callable[[str], str | None]


def _args(text: str) -> tuple[list[str], dict[str, str]]:
    try:
        words = shlex.split(text.strip())
    except ValueError:
        words = text.split()
    named = dict(w.split("=", 1) for w in words if "=" in w and not w.startswith(("http", "/")))
    return [w for w in words if "=" not in w or w.startswith(("http", "/"))], named


def _figure(named: dict[str, str], positional: list[str]) -> str | None:
    src = named.get("src") or (positional[0] if positional else None)
    if not src:
        return None
    alt = named.get("alt") or named.get("title") or named.get("caption") or ""
    image = f'<img src="{html.escape(src)}" alt="{html.escape(alt)}">'
    if named.get("link"):
        image = f'<a href="{html.escape(named["link"])}">{image}</a>'
    caption = named.get("caption") or named.get("title")
    tail = f"<figcaption>{html.escape(caption)}</figcaption>" if caption else ""
    return escape_jinja(f"<figure>{image}{tail}</figure>")


def _link(name: str, positional: list[str], named: dict[str, str]) -> str | None:
    first = positional[0] if positional else named.get("id", "")
    if name == "youtube" and (first or named.get("id")):
        return f"[YouTube: {first}](https://www.youtube.com/watch?v={first})"
    if name == "vimeo" and first:
        return f"[Vimeo: {first}](https://vimeo.com/{first})"
    if name in ("tweet", "x") and named.get("user") and named.get("id"):
        return f"[Post by @{named['user']}](https://x.com/{named['user']}/status/{named['id']})"
    if name == "gist" and len(positional) >= 2:
        return f"[Gist {positional[1]}](https://gist.github.com/{positional[0]}/{positional[1]})"
    if name == "instagram" and first:
        return f"[Instagram](https://www.instagram.com/p/{first}/)"
    return None


def convert_shortcodes(body: str, resolve: Resolve, note: Callable[[int, str], None], first_line: int) -> str:
    out: list[str] = []
    pos = 0
    lines = LineNumbers(body, first_line)
    highlight_end = NextMatch(HIGHLIGHT_END, body)  # searched once for many unclosed highlights
    for match in _shortcodes(body):
        if match.start() < pos:
            continue
        out.append(escape_jinja(body[pos:match.start()]))
        line = lines.at(match.start())
        converted, pos = _one(match, body, resolve, highlight_end)
        if converted is None:
            note(line, f"Hugo shortcode `{match.group(0)[:60]}` kept as a comment: redo it with a samizdat "
                       "shortcode or HTML")
            converted = jinja_comment(match.group(0))
        out.append(converted)
    out.append(escape_jinja(body[pos:]))
    return "".join(out)


def _shortcodes(body: str) -> Iterator[re.Match[str]]:
    """Each shortcode of the body, as `SHORTCODE.finditer` finds them, an unclosed `{{<` tried only
    while a `>}}` is still ahead."""
    tags = TagFinder(SHORTCODE, body, SHORTCODE_CLOSINGS)
    pos = 0
    while (match := tags.search(pos)) is not None:
        yield match
        pos = match.end()


def _one(match: re.Match[str], body: str, resolve: Resolve, highlight_end: NextMatch) -> tuple[str | None, int]:
    closing, name = match.group(2), match.group(3)
    positional, named = _args(match.group(4))
    if name == "highlight" and not closing:
        end = highlight_end.after(match.end())
        if end is not None:
            code = body[match.end():end.start()].strip("\n")
            language = positional[0] if positional else ""
            return f"\n```{language}\n{escape_jinja(code)}\n```\n", end.end()
    if name in ("ref", "relref") and positional:
        return resolve(positional[0]), match.end()
    if name == "figure":
        return _figure(named, positional), match.end()
    return _link(name, positional, named), match.end()
