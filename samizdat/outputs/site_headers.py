"""A site's own `_headers` (Netlify, Cloudflare Pages): kept after the generated policy, never loosening it.

Hosts merge every block whose path matches, and Cloudflare's `! Name` line removes a header, so a site's
file could replace or drop the Content-Security-Policy for some or all pages. Only headers that carry
no security meaning may be set; everything else is refused at its line.
"""

from __future__ import annotations

from pathlib import Path

from samizdat.errors import SourceLocation
from samizdat.findings import Finding, finding

CODE = "unsafe-header"
# Headers a site may add for its own paths: caching, indexing, language, download names, stricter HTTPS.
ALLOWED_HEADERS = {"cache-control", "expires", "x-robots-tag", "content-language", "content-disposition",
                   "strict-transport-security", "cross-origin-resource-policy", "vary", "last-modified", "etag"}
HINT = ("remove the line: samizdat writes the security headers from the site's policy, and a site's _headers "
        f"may only add {', '.join(sorted(ALLOWED_HEADERS))}")


def check_site_headers(text: str, source: Path) -> list[Finding]:
    """Every line that would set, replace or remove a header outside the allowed set."""
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#") or not line[:1].isspace():
            continue  # blank, comment or a path line
        if stripped.startswith("!"):
            name = stripped[1:].strip()
            found.append(finding(CODE, f"_headers removes the header {name!r}", SourceLocation(source, number), HINT))
            continue
        name = stripped.partition(":")[0].strip()
        if name.lower() not in ALLOWED_HEADERS:
            found.append(finding(CODE, f"_headers sets {name!r}, which could loosen or replace the site's "
                                 "security headers", SourceLocation(source, number), HINT))
    return found


def site_block(text: str) -> bytes:
    """The site's lines, after the policy's, under a comment saying where they came from."""
    body = text if text.endswith("\n") else text + "\n"
    return ("\n# The site's own _headers (only headers the policy above does not set):\n" + body).encode()
