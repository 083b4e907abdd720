"""Internal links, #anchors and files: every address on the site's own pages leads somewhere."""

from __future__ import annotations

import unicodedata
from collections import Counter
from urllib.parse import unquote, urlsplit

from samizdat.checks.context import CheckContext
from samizdat.checks.html import srcset_urls
from samizdat.checks.locate import url_needles
from samizdat.findings import Finding, finding

# Where an element names a file the page needs (a missing one is a broken image, style or icon).
RESOURCE_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "img": ("src", "srcset"), "source": ("src", "srcset"), "script": ("src",), "link": ("href",),
    "video": ("src", "poster"), "audio": ("src",), "track": ("src",), "iframe": ("src",),
    "object": ("data",), "embed": ("src",),
}


def check_links(context: CheckContext) -> list[Finding]:
    findings = []
    for output_path, parsed in context.parsed.items():
        seen: Counter[str] = Counter()  # the same address twice on a page is found at each of its lines
        for element in parsed.elements_with("a", "href"):
            href = element.attrs["href"]
            findings += _check_link(context, output_path, href, seen[href])
            seen[href] += 1
        for element in parsed.elements:
            for attr in RESOURCE_ATTRIBUTES.get(element.tag, ()):
                value = element.attrs.get(attr, "")
                for url in (srcset_urls(value) if attr == "srcset" else [value] if value else []):
                    findings += _check_file(context, output_path, url)
    return findings


def _check_link(context: CheckContext, output_path: str, href: str, occurrence: int) -> list[Finding]:
    path = context.internal_path(output_path, href)
    if path is None:
        return []
    target = context.output_file(path)
    if target is None:
        return [finding("broken-link", f"link to {href}: there is no page or file at {path}",
                        context.locate(output_path, url_needles(href), occurrence), hint=_missing_hint(context, path))]
    fragment = unquote(urlsplit(href).fragment)
    if fragment and target in context.parsed and fragment not in context.ids_of(target):
        on = "this page" if target == output_path else path
        return [finding("broken-anchor", f"link to {href}: {on} has no element with id {fragment!r}",
                        context.locate(output_path, url_needles(href), occurrence),
                        hint="headings get ids from their text (see the page's <h2 id=…>); "
                        "correct the part after # or add {#id} to the heading")]
    return []


def _missing_hint(context: CheckContext, path: str) -> str:
    """Output names are NFC (content/urls.py); a web server compares bytes, so a link spelled in NFD (pasted
    from a file name on a Mac) does not reach the page, and saying why saves a long search."""
    if unicodedata.normalize("NFC", path) != path and context.output_file(unicodedata.normalize("NFC", path)):
        return ("the address is spelled with decomposed letters (Unicode NFD, as some Mac tools write them); "
                "type it again, or copy it from the page's own address")
    return "correct the address, or add the page it should lead to"


def _check_file(context: CheckContext, output_path: str, url: str) -> list[Finding]:
    path = context.internal_path(output_path, url)
    if path is None or context.output_file(path) is not None:
        return []
    return [finding("missing-file", f"{url} does not exist in the built site",
                    context.locate(output_path, url_needles(url)),
                    hint="check the file name and folder (assets/… is published at /assets/…), "
                    "or add the missing file")]
