"""Privacy: anything a page loads from another host when it opens, tracking links and plain-http links.

A request to another host tells that host who read which page, and when: for a protest group's
visitors that can be dangerous. Only origins listed in `[check] allow_origins` may be loaded from.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from samizdat.checks.context import CheckContext
from samizdat.checks.html import Element, srcset_urls
from samizdat.checks.locate import url_needles
from samizdat.errors import SourceLocation
from samizdat.findings import Finding, finding

# Attributes through which an element loads something as soon as the page opens.
LOADING_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "img": ("src", "srcset"), "source": ("src", "srcset"), "script": ("src",), "iframe": ("src",),
    "frame": ("src",), "video": ("src", "poster"), "audio": ("src",), "track": ("src",),
    "object": ("data",), "embed": ("src",), "input": ("src",), "image": ("href",),
}
# <link rel=…> values that make the browser fetch (or connect to) the linked address.
LOADING_RELS = {"stylesheet", "preload", "prefetch", "modulepreload", "preconnect", "dns-prefetch", "icon",
                "apple-touch-icon", "manifest", "prerender", "mask-icon"}
TRACKING_PARAMS = {"fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "igsh", "igshid",
                   "mc_cid", "mc_eid", "_ga", "_gl", "twclid", "ttclid", "li_fat_id", "_hsenc", "_hsmi",
                   "mkt_tok", "oly_enc_id", "oly_anon_id", "vero_id", "wickedid", "rb_clickid", "s_cid"}
CSS_URL_RE = re.compile(r"""url\(\s*['"]?([^'")\s]+)|@import\s+['"]([^'"]+)""", re.IGNORECASE)
SOURCE_URL_RE = re.compile(r"""https?://[^\s"'<>)\]]+""")


def check_privacy(context: CheckContext) -> list[Finding]:
    findings = []
    for output_path, parsed in context.parsed.items():
        for url, element in _loads(parsed.elements):
            if _foreign(url, context):
                findings.append(_third_party(context, output_path, url, element.tag))
        for css in parsed.css:
            for url in _css_urls(css):
                if _foreign(url, context):
                    findings.append(_third_party(context, output_path, url, "style"))
        for element in parsed.elements_with("a", "href"):
            if element.attrs["href"].strip().lower().startswith("http://"):
                href = element.attrs["href"]
                findings.append(finding(
                    "http-link", f"plain http:// link {href} (anyone on the visitor's network sees the page)",
                    context.locate(output_path, url_needles(href)),
                    hint="use https:// if the site offers it, or remove the link",
                ))
    return findings + _css_file_loads(context) + _tracking_links(context)


def _loads(elements: list[Element]) -> Iterator[tuple[str, Element]]:
    for element in elements:
        if element.tag == "link":
            rels = set(element.attrs.get("rel", "").lower().split())
            if rels & LOADING_RELS and element.attrs.get("href"):
                yield element.attrs["href"], element
            continue
        for attr in LOADING_ATTRIBUTES.get(element.tag, ()):
            value = element.attrs.get(attr)
            if value:
                for url in (srcset_urls(value) if attr == "srcset" else [value]):
                    yield url, element


def _foreign(url: str, context: CheckContext) -> bool:
    parts = urlsplit(url.strip())
    if not parts.netloc:
        return False
    origin = f"{parts.scheme or 'https'}://{parts.netloc}".lower()
    return origin != context.config.origin and origin not in context.config.check.allow_origins


def _third_party(context: CheckContext, output_path: str, url: str, tag: str) -> Finding:
    host = urlsplit(url).netloc
    return finding(
        "third-party-load", f"<{tag}> loads {url} from another host ({host}) when the page opens",
        context.locate(output_path, url_needles(url)),
        hint="save the file in assets/ and link it from there, or link to the page instead of embedding it; "
        f"if {host} must be allowed, add its origin to [check] allow_origins in samizdat.toml",
    )


def _css_urls(css: str) -> list[str]:
    return [match[1] or match[2] for match in CSS_URL_RE.finditer(css)]


def _css_file_loads(context: CheckContext) -> list[Finding]:
    """Stylesheets the site publishes as files: their url() and @import load from wherever they say."""
    findings = []
    for path in sorted({p for p in context.output.copies.values() if p.suffix.lower() == ".css"}):
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            for url in _css_urls(line):
                if _foreign(url, context):
                    findings.append(finding(
                        "third-party-load", f"stylesheet loads {url} from another host",
                        SourceLocation(path, number),
                        hint="save the file (font, image) in assets/ and refer to it there",
                    ))
    return findings


def _tracking_links(context: CheckContext) -> list[Finding]:
    """Read in the sources, so each one is named once, at the line to edit."""
    findings = []
    for path in context.source_files:
        for number, line in enumerate(_read_lines(path), 1):
            for url in SOURCE_URL_RE.findall(line):
                params = sorted({name for name, _ in parse_qsl(urlsplit(url).query, keep_blank_values=True)
                                 if name.lower() in TRACKING_PARAMS or name.lower().startswith("utm_")})
                if params:
                    findings.append(finding(
                        "tracking-link", f"link with tracking parameters ({', '.join(params)}): {url}",
                        SourceLocation(path, number),
                        hint="delete everything from the ? (or the tracking parameters) to the end of the address; "
                        "they tell the other site who shared the link",
                    ))
    return findings


def _read_lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []
