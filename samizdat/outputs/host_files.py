"""Files a static host reads as instructions rather than serving them: a site's own `_redirects`
(Netlify, Cloudflare Pages) and Cloudflare's `_worker.js` / `_routes.json`.

`_redirects` can send every reader of a page, or of the whole site, to another site without a click;
`_worker.js` in the published folder runs as code on Cloudflare's servers for every request, where it
can record who reads what. A redirect within the site is kept; the rest is refused.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

from samizdat.errors import ContentError, SourceLocation
from samizdat.findings import Finding, finding

REDIRECTS_FILE = "_redirects"
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


def unagreed_character(line: str) -> str | None:
    """The first character of the line that a host and this check could read differently ("U+2028"), or None."""
    found = _UNAGREED_CHARACTER.search(line)
    return f"U+{ord(found.group()):04X}" if found else None


def refuse_server_code(rel: str, source: Path) -> None:
    if rel in SERVER_CODE or rel.startswith(SERVER_CODE[0] + "/"):
        raise ContentError(f"{rel} would run as code on the host's servers for every request",
                           SourceLocation(source),
                           hint="remove it: a published site is files only, so no server code can log readers")


def check_redirects(text: str, source: Path, origin: str) -> list[Finding]:
    """Every rule whose target is another site (rules within the site, such as old addresses, stay)."""
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        parts = line.split()
        if len(parts) < 2 or parts[0].startswith("#"):
            continue
        target = urlsplit(parts[1])
        elsewhere = f"{target.scheme or 'https'}://{target.netloc}".lower() != origin.lower()
        if (target.scheme or target.netloc) and elsewhere:
            found.append(finding("unsafe-markup", f"_redirects sends readers of {parts[0]} to {parts[1]}",
                                 SourceLocation(source, number),
                                 hint="redirect only to the site's own pages (a path such as /en/news/); "
                                 "link to the other site from a page instead"))
    return found
