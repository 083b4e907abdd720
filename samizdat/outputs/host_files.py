"""Files a static host reads as instructions rather than serving them: a site's own `_redirects`
(Netlify, Cloudflare Pages) and Cloudflare's `_worker.js` / `_routes.json`.

`_redirects` can send every reader of a page, or of the whole site, to another site without a click;
`_worker.js` in the published folder runs as code on Cloudflare's servers for every request, where it
can record who reads what. A redirect within the site is kept; the rest is refused.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from samizdat.errors import ContentError, SourceLocation
from samizdat.findings import Finding, finding

REDIRECTS_FILE = "_redirects"
SERVER_CODE = ("_worker.js", "_routes.json")  # Cloudflare Pages "advanced mode": code run for every request


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
