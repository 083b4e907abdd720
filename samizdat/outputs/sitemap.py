"""sitemap.xml with hreflang alternates, and robots.txt pointing to it.

Written as text rather than through ElementTree: the sitemap lists every page, and serializing an
element tree of tens of thousands of nodes took longer than rendering the pages themselves.
"""

from __future__ import annotations

from dataclasses import dataclass

SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"


@dataclass(frozen=True)
class SitemapEntry:
    url: str  # absolute
    alternates: tuple[tuple[str, str], ...]  # (hreflang, absolute URL), x-default included


# Each entry's text: the dev server writes the sitemap on every save, nearly all of it as before, and keeps
# the texts of its last sitemap (only its entries, so it never grows past one site): build/cache/memos.py.
EntryTexts = dict[SitemapEntry, str]


def sitemap_bytes(entries: list[SitemapEntry], texts: EntryTexts | None = None) -> bytes:
    """texts: the last sitemap's entry texts, replaced by this one's; None, and nothing is remembered."""
    lines = ["<?xml version='1.0' encoding='utf-8'?>", f'<urlset xmlns="{SITEMAP}" xmlns:xhtml="{XHTML}">']
    last = texts if texts is not None else {}
    written = {}
    for entry in sorted(entries, key=lambda e: e.url):
        written[entry] = last.get(entry) or _entry_text(entry)
        lines.append(written[entry])
    if texts is not None:
        texts.clear()
        texts.update(written)
    lines.append("</urlset>\n")
    return "\n".join(lines).encode("utf-8")


def _entry_text(entry: SitemapEntry) -> str:
    lines = ["  <url>", f"    <loc>{xml_escape(entry.url)}</loc>"]
    lines += [f'    <xhtml:link rel="alternate" hreflang={quoteattr(hreflang)} href={quoteattr(href)} />'
              for hreflang, href in entry.alternates]
    lines.append("  </url>")
    return "\n".join(lines)


def robots_bytes(base_url: str) -> bytes:
    return f"User-agent: *\nAllow: /\n\nSitemap: {base_url}/sitemap.xml\n".encode()


# xml.sax.saxutils' escape and quoteattr, written out: importing that module imports urllib.request and
# http.client (a fifth of the time a one-edit build spends importing).
def xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def quoteattr(text: str) -> str:
    text = xml_escape(text).replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' not in text:
        return f'"{text}"'
    if "'" not in text:
        return f"'{text}'"
    return '"{}"'.format(text.replace('"', "&quot;"))
