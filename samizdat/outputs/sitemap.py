"""sitemap.xml with hreflang alternates, and robots.txt pointing to it."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"


@dataclass(frozen=True)
class SitemapEntry:
    url: str  # absolute
    alternates: tuple[tuple[str, str], ...]  # (hreflang, absolute URL), x-default included


def sitemap_bytes(entries: list[SitemapEntry]) -> bytes:
    # Plain tag names under xmlns attributes: ElementTree's own prefixes would read ns0:urlset.
    root = ET.Element("urlset", {"xmlns": SITEMAP, "xmlns:xhtml": XHTML})
    for entry in sorted(entries, key=lambda e: e.url):
        url = ET.SubElement(root, "url")
        ET.SubElement(url, "loc").text = entry.url
        for hreflang, href in entry.alternates:
            ET.SubElement(url, "xhtml:link", rel="alternate", hreflang=hreflang, href=href)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def robots_bytes(base_url: str) -> bytes:
    return f"User-agent: *\nAllow: /\n\nSitemap: {base_url}/sitemap.xml\n".encode()
