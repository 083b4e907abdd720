"""GFM's extended autolinks, on the HTML pulldown-cmark made: a bare https://…, www.… or e-mail
address in the text becomes a link, as on GitHub.

Only text outside tags is read, and never inside a, code, pre or a raw-text element, so an address
already linked, shown as code or written in an attribute stays as it is. `www.` links get https://
(GFM says http://, which the site's own check refuses: a visitor's connection must stay encrypted).
"""

from __future__ import annotations

import re

_PIECES_RE = re.compile(r"(<[^>]*>)")
_TAG_NAME_RE = re.compile(r"^<(/?)([a-zA-Z][a-zA-Z0-9]*)")
_SKIP = {"a", "code", "pre", "script", "style", "textarea", "kbd", "samp"}
_LINK_RE = re.compile(
    r"(?<![\w@/.\-])(?:(?P<url>(?:https?://|www\.)[^\s<]+)"
    r"|(?P<mail>[a-zA-Z0-9._+\-]+@[a-zA-Z0-9_\-]+(?:\.[a-zA-Z0-9_\-]+)*\.[a-zA-Z]{2,}))")
_TRAILING = "?!.,:*_~'\""
_ENTITY_END_RE = re.compile(r"&[a-zA-Z0-9]+;$")


_MARKS = ("://", "www.", "@")  # one of them is in every address the pattern takes


def autolink(rendered: str) -> str:
    if not any(mark in rendered for mark in _MARKS):
        return rendered  # most pages: nothing to split
    pieces = _PIECES_RE.split(rendered)
    depth = 0  # inside how many elements whose text is not linked
    for index, piece in enumerate(pieces):
        if index % 2:
            match = _TAG_NAME_RE.match(piece)
            if match and match[2].lower() in _SKIP and not piece.endswith("/>"):
                depth += -1 if match[1] else 1
                depth = max(depth, 0)
        elif depth == 0 and any(mark in piece for mark in _MARKS):
            # The pattern looks behind first, so it is tried at every position of a text: only where it can match
            pieces[index] = _LINK_RE.sub(_link, piece)
    return "".join(pieces)


def _link(match: re.Match[str]) -> str:
    if match["mail"]:
        address = match["mail"]
        if address.endswith(("-", "_")):  # GFM: not an address
            return address
        return f'<a href="mailto:{address}">{address}</a>'
    text, rest = _trim(match["url"])
    if "." not in text.split("://", 1)[-1].split("/", 1)[0]:  # GFM: the domain needs a dot
        return match[0]
    href = text if "://" in text else "https://" + text
    return f'<a href="{href.replace(chr(34), "&quot;")}">{text}</a>{rest}'


def _trim(url: str) -> tuple[str, str]:
    """GFM's end of an autolink: trailing punctuation, an unbalanced ')' and an entity are left out."""
    end = len(url)
    while end:
        char = url[end - 1]
        entity = _ENTITY_END_RE.search(url[:end])
        if char in _TRAILING or (char == ")" and url[:end].count(")") > url[:end].count("(")):
            end -= 1
        elif entity and char == ";":
            end = entity.start()
        else:
            break
    return url[:end], url[end:]
