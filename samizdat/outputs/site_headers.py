"""A site's own `_headers` (Netlify, Cloudflare Pages): kept after the generated policy, never loosening it.

Hosts merge every block whose path matches, and Cloudflare's `! Name` line removes a header, so a site's
file could replace or drop the Content-Security-Policy for some or all pages. Only headers that carry
no security meaning may be set; everything else is refused at its line.

Lines are read as the hosts read them (Cloudflare's wrangler parseHeaders, Netlify's headers-parser):
each is trimmed first, so indentation means nothing. A line starting with "/" (or "https://", a path
with its host) is a path, one starting with "#" a comment, `! Name` removes a header on Cloudflare, and
any other line sets one, indented or not: each of these is checked.
"""

from __future__ import annotations

import re
from pathlib import Path

from samizdat.errors import SourceLocation
from samizdat.findings import Finding, finding
from samizdat.outputs.host_files import host_lines, is_comment, odd_line

CODE = "unsafe-header"
# Headers a site may add for its own paths: caching, indexing, language, download names, stricter HTTPS.
ALLOWED_HEADERS = {"cache-control", "expires", "x-robots-tag", "content-language", "content-disposition",
                   "strict-transport-security", "cross-origin-resource-policy", "vary", "last-modified", "etag"}
HINT = ("remove the line: samizdat writes the security headers from the site's policy, and a site's _headers "
        f"may only add {', '.join(sorted(ALLOWED_HEADERS))}")
# Only "/" and an https:// (or http://) address start a path for both hosts. Cloudflare also takes any
# "word://" for one, Netlify does not: "Content-Security-Policy://x" sets that header on Netlify.
_PATH_STARTS = ("/", "https://", "http://")


def check_site_headers(text: str, source: Path) -> list[Finding]:
    """Every line that would set, replace or remove a header outside the allowed set."""
    found = []
    for number, line in host_lines(text):
        problem = _line_problem(line)
        if problem:
            found.append(finding(CODE, f"_headers {problem}", SourceLocation(source, number), HINT))
    return found


def _line_problem(line: str) -> str | None:
    """Why one line may not be kept, or None: every line that is not blank, a comment or a path is a header
    rule to some host (a line before the first path joins the policy's own `/*`)."""
    if is_comment(line):
        return None
    if odd := odd_line(line):
        return odd
    stripped = line.strip()
    if not stripped or stripped.startswith(_PATH_STARTS):
        return None
    if stripped.startswith("!"):
        # Every removal is refused, not only of the headers the policy sets: it can also drop what the host
        # adds (Cloudflare's X-Content-Type-Options) or a header a later policy sets, and a header the site
        # may add needs no removing.
        return f"removes the header {stripped[1:].partition(':')[0].strip()!r}"
    name = stripped.partition(":")[0].strip()
    if name.lower() == "content-type":
        return f"sets {name!r}: a file served as another type than its own (a .txt as HTML) runs as a page"
    if name.lower() not in ALLOWED_HEADERS:
        return f"sets {name!r}, which could loosen or replace the site's security headers"
    return short_hsts(name, stripped.partition(":")[2])


# Strict-Transport-Security with max-age=0 (or a short one) tells browsers to forget the HTTPS they were
# told to keep for the site: a reader's next visit may go out unencrypted, where it can be watched.
HSTS_SHORTEST = 31_536_000  # a year, as browsers' preload lists ask
_MAX_AGE_RE = re.compile(r"max-age\s*=\s*\"?(\d+)", re.IGNORECASE)


def short_hsts(name: str, value: str) -> str | None:
    """Why a Strict-Transport-Security value may not be kept, or None (for any other header too)."""
    if name.lower() != "strict-transport-security":
        return None
    age = _MAX_AGE_RE.search(value)
    if age is None or int(age[1]) < HSTS_SHORTEST:
        return (f"sets Strict-Transport-Security with {'no max-age' if age is None else f'max-age={age[1]}'}: "
                f"less than {HSTS_SHORTEST:,} seconds (a year) makes browsers forget to keep the site on HTTPS")
    return None


def site_block(text: str) -> bytes:
    """The site's lines, after the policy's, under a comment saying where they came from."""
    body = text if text.endswith("\n") else text + "\n"
    return ("\n# The site's own _headers (only headers the policy above does not set):\n" + body).encode()
