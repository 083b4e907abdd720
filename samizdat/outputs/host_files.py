"""Files a static host reads as instructions rather than serving them: a site's own `_redirects`
(Netlify, Cloudflare Pages) and Cloudflare's `_worker.js` / `_routes.json`.

`_redirects` can send every reader of a page, or of the whole site, to another site without a click;
`_worker.js` in the published folder runs as code on Cloudflare's servers for every request, where it
can record who reads what. A redirect within the site is kept; the rest is refused.

A rule is read as the hosts read it. Cloudflare takes the second word for the target; Netlify takes the
first word after the source that starts with "/" or "http(s)://", as query conditions (`id=:id`) may
come between. So every word of a rule after its source is checked, up to a comment at its end.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

from samizdat.errors import ContentError, SourceLocation
from samizdat.findings import Finding, finding

REDIRECTS_FILE = "_redirects"
_REDIRECTS_HINT = ("redirect only to the site's own pages (a path such as /en/news/); link to the other site from "
                  "a page instead")
_PLACEHOLDER_HINT = ("start the target with a folder of the site (/news/:splat), or redirect each old address on a "
                     "line of its own")
SERVER_CODE = ("_worker.js", "_routes.json")  # Cloudflare Pages "advanced mode": code run for every request
# Characters the readers of these files do not agree on. Apache, Netlify and Cloudflare end a line at "\n" only,
# where Python's splitlines() also ends one at \r, \v, \f, \x1c-\x1e, \x85, U+2028 and U+2029; JavaScript's trim()
# and \s (Netlify, Cloudflare) take U+FEFF for a space, Python's strip() and split() take \x1c-\x1f and \x85 for
# one, Apache neither; a NUL ends Apache's reading of the text. A line holding one could be one rule to the host
# and another to the check, so outside comments only the space and the tab may stand between words.
_UNAGREED_CHARACTER = re.compile(
    "[\x00-\x08\x0a-\x1f\x7f-\x9f\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]")


def host_lines(text: str) -> Iterator[tuple[int, str]]:
    """The numbered lines as the hosts read them: split at "\\n" alone, a Windows "\\r" before it dropped."""
    for number, line in enumerate(text.split("\n"), 1):
        yield number, line.removesuffix("\r")


def is_comment(line: str) -> bool:
    """A comment to every reader: "#" after nothing but spaces and tabs."""
    return line.lstrip(" \t").startswith("#")


def odd_line(line: str, reader: str = "the hosts") -> str | None:
    """Why a line cannot be read alike by `reader` and this check (a character they split or skip
    differently), or None."""
    odd = _unagreed_character(line)
    return None if odd is None else f"holds the character {odd}, which {reader} and this check could read differently"


def _unagreed_character(line: str) -> str | None:
    """The first character of the line that a host and this check could read differently ("U+2028"), or None."""
    found = _UNAGREED_CHARACTER.search(line)
    return f"U+{ord(found.group()):04X}" if found else None


def refuse_server_code(rel: str, source: Path) -> None:
    if rel in SERVER_CODE or rel.startswith(SERVER_CODE[0] + "/"):
        raise ContentError(f"{rel} would run as code on the host's servers for every request",
                           SourceLocation(source),
                           hint="remove it: a published site is files only, so no server code can log readers")


def check_redirects(text: str, source: Path, origin: str) -> list[Finding]:
    """Every rule that could send readers to another site (rules within the site, such as old addresses, stay)."""
    found = []
    for number, line in host_lines(text):
        problem = _rule_problem(line, origin)
        if problem:
            found.append(finding("unsafe-markup", f"_redirects {problem[0]}", SourceLocation(source, number),
                                 hint=problem[1]))
    return found


def _rule_problem(line: str, origin: str) -> tuple[str, str] | None:
    """What is wrong with a rule, and what to do about it; None for a rule that keeps readers on the site."""
    if is_comment(line):
        return None
    if odd := odd_line(line):
        return odd, _REDIRECTS_HINT
    words = _rule_words(line)
    for word in words[1:]:
        if "\\" in word:
            # A browser reads a backslash in a web address as a slash: Location "/\evil.example/" is
            # "//evil.example/", another site, though it looks like a path.
            return (f"sends readers of {words[0]} to {word}, which a browser reads as another site (\\ is / to it)",
                    _REDIRECTS_HINT)
        if _another_site(word, origin):
            return f"sends readers of {words[0]} to {word}", _REDIRECTS_HINT
        if _LEADING_PLACEHOLDER.match(word):
            return (f"sends readers of {words[0]} to {word}, which is another site's address when the requested "
                    f"path holds \"//\" (/:splat of /blog//evil.example is //evil.example)", _PLACEHOLDER_HINT)
    return None


# A target whose path starts with a part of the requested path (`/:splat`, `:year/…`): the hosts put it in as
# it was asked for, so a request holding "//" (or an empty part) makes the target "//host", another site.
# Apache's Redirect needs no such check: it puts the site's own address before a target that is a path.
_LEADING_PLACEHOLDER = re.compile(r"/?:[A-Za-z_]")


def _rule_words(line: str) -> list[str]:
    """The words of a rule, without a comment at its end ("/old /new 301 # moved"). Netlify ends a rule at
    any word starting with "#"; Cloudflare from the third word on, and takes a second one for a target
    that is no path or address, so the rule does nothing there."""
    words = line.split()
    ends_at = next((index for index, word in enumerate(words) if index and word.startswith("#")), len(words))
    return words[:ends_at]


def _another_site(word: str, origin: str) -> bool:
    """An address with a scheme or a host ("https://…", "//…", "javascript:…") other than the site's own."""
    try:
        target = urlsplit(word)
    except ValueError:
        return True  # not even an address Python can read ("http://[x"): a host may read it as one
    if not (target.scheme or target.netloc):
        return False
    return f"{target.scheme or 'https'}://{target.netloc}".lower() != origin.lower()
