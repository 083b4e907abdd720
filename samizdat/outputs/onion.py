"""Point Tor Browser users to the site's onion service: a header on the server, a meta tag in each page.

Tor Browser offers ".onion available" when a page carries either. Both name the same page's path, so a
reader who switches lands where they were, not on the home page.
"""

from __future__ import annotations

from collections.abc import Iterable

HEADERS_FILE = "_headers"  # read by Netlify, Cloudflare Pages and Codeberg-style static hosts
INDEX_SUFFIX = "index.html"


def onion_url(address: str, path: str) -> str:
    """The page at `path` (a site path such as /en/) on the onion service."""
    return f"http://{address}/{path.lstrip('/')}"


def page_path(output_path: str) -> str:
    """The URL path a page is requested at: en/index.html → /en/."""
    if output_path == INDEX_SUFFIX or output_path.endswith("/" + INDEX_SUFFIX):
        return "/" + output_path.removesuffix(INDEX_SUFFIX)
    return "/" + output_path


def headers_file(address: str, html_outputs: Iterable[str]) -> bytes:
    """A `_headers` file with one rule per page (hosts differ in wildcard support; exact paths work on all)."""
    lines = ["# Onion-Location for each page, written by samizdat from publish.onion in samizdat.toml."]
    for output in sorted(html_outputs):
        if output.rsplit("/", 1)[-1] == "404.html":
            continue  # served at any missing address, so it has no path of its own
        path = page_path(output)
        lines += [path, f"  Onion-Location: {onion_url(address, path)}"]
    return ("\n".join(lines) + "\n").encode("utf-8")


def nginx_directive(address: str) -> str:
    """For a server block of the clearnet site; nginx fills in each request's own path."""
    return f"add_header Onion-Location http://{address}$request_uri always;"
