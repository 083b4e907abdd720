"""What the index knows of a page: its address, title, date, kind and the plain text of its <main>.

The text comes from the page as published (rendered from the cache or anew), so it is what the reader
sees: shortcodes expanded, Markdown rendered, the theme's header, menus and footer left out.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser

from samizdat.content.pages import SECTION_LAYOUTS, Page

KINDS = {"news": "n", "meetings": "m"}  # a page's section → its filter; every other page is "p"
SNIPPET_TEXT = 1500  # characters of each page kept for snippets: the rest is indexed, not shown
_NOT_TEXT = "script, style, nav, .translation-notice, .draft-mark"


@dataclass(frozen=True)
class SearchDoc:
    path: str  # URL path below the site root, without the leading slash: "en/news/statement/"
    title: str
    date: str  # ISO date, or "" for an undated page
    kind: str  # "n" news, "m" meetings, "p" pages
    text: str  # the page's visible text, NFKC-normalised, whitespace collapsed


def searchable(page: Page) -> bool:
    """Listings only repeat their pages' titles, and a page may opt out with `search: false`."""
    return page.key not in SECTION_LAYOUTS and not page.draft and page.data.get("search") is not False


def search_doc(page: Page, html: bytes) -> SearchDoc:
    return SearchDoc(page.url.lstrip("/"), normalise(page.title or page.key),
                     page.date.isoformat() if isinstance(page.date, dt.date) else "",
                     KINDS.get(page.section, "p"), main_text(html))


def main_text(html: bytes) -> str:
    # Only <main> is read, so only it is parsed: from the first "<main" to the last "</main>" (a guess
    # that a page with <main> in a comment or script defeats harmlessly: the whole page is parsed then).
    start, end = html.find(b"<main"), html.rfind(b"</main>")
    tree = LexborHTMLParser(html[start:end + 7].decode("utf-8", errors="replace") if 0 <= start < end
                            else html.decode("utf-8", errors="replace"))
    main = tree.css_first("main")
    if main is None and 0 <= start < end:
        tree = LexborHTMLParser(html.decode("utf-8", errors="replace"))
        main = tree.css_first("main")
    main = main or tree.body
    if main is None:
        return ""
    for node in main.css(_NOT_TEXT):
        node.decompose()
    return normalise(main.text(separator=" "))


def normalise(text: str) -> str:
    """NFKC first, so that folding in the browser (lower case, ё→е) keeps every character's place."""
    if not unicodedata.is_normalized("NFKC", text):  # most text is: the check is far cheaper
        text = unicodedata.normalize("NFKC", text)
    return " ".join(text.split())
