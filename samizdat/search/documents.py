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
from samizdat.nesting import too_deep

KINDS = {"news": "n", "meetings": "m"}  # a page's section → its filter; every other page is "p"
SNIPPET_TEXT = 1500  # characters of each page kept for snippets: the rest is indexed, not shown
_NOT_TEXT = "script, style, nav, .translation-notice, .draft-mark"


@dataclass(frozen=True)
class SearchDoc:
    path: str  # URL path below the site root, without the leading slash: "en/news/statement/"
    title: str
    date: str  # ISO date, or "" for an undated page
    kind: str  # "n" news, "m" meetings, "p" pages
    text: str  # the page's visible text as the parser gives it: whitespace and normal forms as written


def searchable(page: Page) -> bool:
    """Listings only repeat their pages' titles, and a page may opt out with `search: false`."""
    return page.key not in SECTION_LAYOUTS and not page.draft and page.data.get("search") is not False


def search_doc(page: Page, text: str) -> SearchDoc:
    """text: the page's visible text (main_text, tree_text)."""
    return SearchDoc(page.url.lstrip("/"), normalise(page.title or page.key),
                     page.date.isoformat() if isinstance(page.date, dt.date) else "",
                     KINDS.get(page.section, "p"), text)


def main_text(html: bytes) -> str:
    """The visible text of a page's <main> (of its body when it has none); none of a page nested too deep
    to be published, which the parser would take minutes over (samizdat/nesting.py)."""
    text = html.decode("utf-8", "replace")
    return "" if too_deep(text) else tree_text(LexborHTMLParser(text))


def tree_text(tree: LexborHTMLParser) -> str:
    """main_text() of a page already parsed (the render workers check every page on its tree first:
    build/page_check.py). Takes the navigation and notices out of the tree."""
    main = tree.css_first("main") or tree.body
    if main is None:
        return ""
    for node in main.css(_NOT_TEXT):
        node.decompose()
    return main.text(separator=" ")


def snippet(text: str) -> str:
    """The first SNIPPET_TEXT characters of the text normalised, normalising only about as much of it
    as that takes (collapsing a whole page's whitespace cost more than anything else done to its text).
    A prefix cut at a space, newline or tab normalises to a prefix of the whole text normalised: NFKC
    composes and reorders nothing across such a character, and collapsing whitespace is local."""
    size = SNIPPET_TEXT + SNIPPET_TEXT // 4
    while size < len(text):
        cut = max(text.rfind(" ", 0, size), text.rfind("\n", 0, size), text.rfind("\t", 0, size))
        head = normalise(text[:cut]) if cut > 0 else ""
        if len(head) >= SNIPPET_TEXT:
            return head[:SNIPPET_TEXT]
        size *= 4
    return normalise(text)[:SNIPPET_TEXT]


def normalise(text: str) -> str:
    """NFKC, so that folding in the browser (lower case, ё→е) keeps every character's place, and
    whitespace collapsed. Collapsing first turns no-break spaces (which NFKC would make spaces, and
    which a third of pages have) into spaces, so most text is NFKC already and the check is all it costs."""
    text = " ".join(text.split())
    if unicodedata.is_normalized("NFKC", text):
        return text
    return " ".join(unicodedata.normalize("NFKC", text).split())
