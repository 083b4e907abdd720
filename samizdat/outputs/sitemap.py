"""sitemap.xml with hreflang alternates, and robots.txt pointing to it."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"
ET.register_namespace("", SITEMAP)
ET.register_namespace("xhtml", XHTML)


@dataclass(frozen=True)
class SitemapEntry:
    url: str  # absolute
    alternates: tuple[tuple[str, str], ...]  # (hreflang, absolute URL), x-default included


def sitemap_bytes(entries: list[SitemapEntry]) -> bytes:
    root = ET.Element(f"{{{SITEMAP}}}urlset")
    for entry in sorted(entries, key=lambda e: e.url):
        url = ET.SubElement(root, f"{{{SITEMAP}}}url")
        ET.SubElement(url, f"{{{SITEMAP}}}loc").text = entry.url
        for hreflang, href in entry.alternates:
            ET.SubElement(url, f"{{{XHTML}}}link", rel="alternate", hreflang=hreflang, href=href)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def robots_bytes(base_url: str) -> bytes:
    return f"User-agent: *\nAllow: /\n\nSitemap: {base_url}/sitemap.xml\n".encode()
