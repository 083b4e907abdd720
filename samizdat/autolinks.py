"""GFM's extended autolinks, on the HTML pulldown-cmark made: a bare https://…, www.… or e-mail
address in the text becomes a link, as on GitHub.

Only text outside tags is read, and never inside a, code, pre or a raw-text element, so an address
already linked, shown as code or written in an attribute stays as it is. `www.` links get https://
(GFM says http://, which the site's own check refuses: a visitor's connection must stay encrypted).
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator
from itertools import chain

_PIECES_RE = re.compile(r"(<[^>]*>)")
_TAG_NAME_RE = re.compile(r"^<(/?)([a-zA-Z][a-zA-Z0-9]*)")
_SKIP = {"a", "code", "pre", "script", "style", "textarea", "kbd", "samp"}
# Where an address may start: not right after a word character, '@', '/', '.' or '-'.
_NO_START_AFTER = r"[\w@/.\-]"
_NO_START_AFTER_RE = re.compile(_NO_START_AFTER)
# A URL runs to the next space or tag (`_trim` then takes its end off).
_URL_START_RE = re.compile(rf"(?<!{_NO_START_AFTER})(?:https?://|www\.)(?=[^\s<])")
_URL_RE = re.compile(r"[^\s<]+")
# An e-mail address: a local part of letters, digits and ._+- up to its '@', then a domain whose last label is
# letters alone. Each run of local-part characters that ends at an '@' is taken whole, from its first
# character: a pattern tried at every '+' of a run read the rest of the run again each time.
_LOCAL_PART_RE = re.compile(r"(?<![a-zA-Z0-9._+\-])[a-zA-Z0-9._+\-]++(?=@)")
_LOCAL_PART_AT_RE = re.compile(r"[a-zA-Z0-9._+\-]++(?=@)")
_DOMAIN_RE = re.compile(r"[a-zA-Z0-9_\-]+(?:\.[a-zA-Z0-9_\-]+)*\.[a-zA-Z]{2,}")
_TRAILING = "?!.,:*_~'\""
_ENTITY_NAME = frozenset(string.ascii_letters + string.digits)


_MARKS = ("://", "www.", "@")  # one of them is in every address


def autolink(rendered: str) -> str:
    if not any(mark in rendered for mark in _MARKS):
        return rendered  # most pages: nothing to split
    # No tag ends after the last '>': a '<' there is text, not read to the end of the page again from each one.
    tags_end = rendered.rfind(">") + 1
    pieces = _PIECES_RE.split(rendered[:tags_end])
    pieces[-1] += rendered[tags_end:]
    depth = 0  # inside how many elements whose text is not linked
    for index, piece in enumerate(pieces):
        if index % 2:
            match = _TAG_NAME_RE.match(piece)
            if match and match[2].lower() in _SKIP and not piece.endswith("/>"):
                depth += -1 if match[1] else 1
                depth = max(depth, 0)
        elif depth == 0 and any(mark in piece for mark in _MARKS):
            pieces[index] = _linked(piece)
    return "".join(pieces)


def _linked(text: str) -> str:
    pieces, done = [], 0
    for start, end, link in _addresses(text):
        pieces += [text[done:start], link]
        done = end
    return "".join(pieces) + text[done:]


def _addresses(text: str) -> Iterator[tuple[int, int, str]]:
    """Each address's start, end and link, left to right, as GFM finds them: at each place an address may
    start, a URL if one starts there, else an e-mail address. The next URL and the next e-mail address are
    each looked for again only once the last address has passed them: one pattern for both kinds, tried at
    every place in turn, read a run of '+' to its end again from each '+' (an '@' and 300,000 '+' took a
    minute)."""
    url, mail = _next_url(text, 0), _next_mail(text, 0)
    while url is not None or mail is not None:
        if url is not None and (mail is None or url <= mail[0]):
            end = _URL_RE.match(text, url).end()
            yield url, end, _url_link(text[url:end])
        else:
            start, end = mail
            yield start, end, _mail_link(text[start:end])
        if url is not None and url < end:
            url = _next_url(text, end)
        if mail is not None and mail[0] < end:
            mail = _next_mail(text, end)


def _next_url(text: str, position: int) -> int | None:
    start = _URL_START_RE.search(text, position)
    return start.start() if start else None


def _next_mail(text: str, position: int) -> tuple[int, int] | None:
    """The first e-mail address at or after a position, its start and end. Whether there is one is decided at
    its '@', once for the whole run of local-part characters before it; where it starts, by what comes before."""
    running_on = _LOCAL_PART_AT_RE.match(text, position)  # a run the last address ended inside
    for local in chain([running_on] if running_on else [], _LOCAL_PART_RE.finditer(text, position)):
        domain = _DOMAIN_RE.match(text, local.end() + 1)
        start = _local_part_start(text, local.start(), local.end())
        if domain and start is not None:
            return start, domain.end()
    return None


def _local_part_start(text: str, first: int, at: int) -> int | None:
    """Where an address whose local part can be text[first:at] starts: at its first character unless that
    follows one an address may not start after, then after its first '+'."""
    if first == 0 or not _NO_START_AFTER_RE.match(text, first - 1):
        return first
    plus = text.find("+", first, at - 1)
    return plus + 1 if plus >= 0 else None


def _mail_link(address: str) -> str:
    if address.endswith(("-", "_")):  # GFM: not an address
        return address
    return f'<a href="mailto:{address}">{address}</a>'


def _url_link(url: str) -> str:
    text, rest = _trim(url)
    if "." not in text.split("://", 1)[-1].split("/", 1)[0]:  # GFM: the domain needs a dot
        return url
    href = text if "://" in text else "https://" + text
    return f'<a href="{href.replace(chr(34), "&quot;")}">{text}</a>{rest}'


def _trim(url: str) -> tuple[str, str]:
    """GFM's end of an autolink: trailing punctuation, an unbalanced ')' and an entity are left out. The
    parentheses are counted once and kept count of, not counted again for each character taken off (a URL
    followed by thousands of ')' took a minute)."""
    end = len(url)
    unbalanced = url.count(")") - url.count("(")
    while end:
        char = url[end - 1]
        if char in _TRAILING or (char == ")" and unbalanced > 0):
            unbalanced -= char == ")"
            end -= 1
        elif char == ";" and (entity := _entity_start(url, end)) >= 0:
            end = entity
        else:
            break
    return url[:end], url[end:]


def _entity_start(url: str, end: int) -> int:
    """Where the entity ending at url[end - 1], a ';', starts (`&amp;`: its '&'), or -1 if none does there."""
    start = end - 1
    while start and url[start - 1] in _ENTITY_NAME:
        start -= 1
    return start - 1 if start < end - 1 and start and url[start - 1] == "&" else -1
