"""What the index keeps of one page, made where the page is rendered and kept with its rendering.

The build renders pages on every core (build/parallel.py); finding a page's words there, beside its
rendering, spreads that work over the same cores, and the render cache keeps the result with the page,
so a page taken from the cache is never read again. The entry holds the page's distinct words, each
with its count, and no stems or weights: counting is array work (wordcount.py), and the search stage
stems each distinct word of the site once and weighs every page's terms at once, in arrays
(postings.py). The entry travels and is stored as JSON text (plain values: the build store never holds
pickles), its words as one string (they hold no space), which JSON writes and reads far faster than a
dictionary.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser

from samizdat.content.pages import Page
from samizdat.search.documents import SearchDoc, main_text, search_doc, snippet, tree_text
from samizdat.search.normalise import fold
from samizdat.search.wordcount import count_words

MOST_TIMES = 2**31 - 1  # more occurrences of one word than any page has: refused, so sums stay exact


@dataclass(frozen=True)
class PageEntry:
    path: str  # URL path below the site root, no leading slash
    title: str
    date: str
    kind: str  # "n" news, "m" meetings, "p" pages
    snippet: str  # the first SNIPPET_TEXT characters of the page's text
    words: list[str]  # the distinct folded words of the page's text (normalise.WORDS)
    counts: list[int]  # how often each of them occurs, in the same order


def page_entry(page: Page, html: bytes) -> str:
    """The packed entry of a rendered page (searchable pages only: documents.searchable)."""
    return pack(entry_of(search_doc(page, main_text(html))))


def tree_entry(page: Page, tree: LexborHTMLParser) -> str:
    """page_entry() of a page already parsed (as the render workers have it: build/page_check.py). The
    tree loses the page's navigation and notices."""
    return pack(entry_of(search_doc(page, tree_text(tree))))


def entry_of(doc: SearchDoc) -> PageEntry:
    counted = count_words(fold(doc.text))
    return PageEntry(doc.path, doc.title, doc.date, doc.kind, snippet(doc.text), list(counted),
                     list(counted.values()))


def pack(entry: PageEntry) -> str:
    return json.dumps([entry.path, entry.title, entry.date, entry.kind, entry.snippet, " ".join(entry.words),
                       entry.counts], ensure_ascii=False, separators=(",", ":"))


def unpack(text: str) -> PageEntry:
    """ValueError for anything pack() cannot have written (the text comes back from the build store)."""
    try:
        path, title, date, kind, snippet, words, counts = json.loads(text)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"not a search entry ({exc})") from exc
    if not (all(type(v) is str for v in (path, title, date, kind, snippet, words)) and type(counts) is list):
        raise ValueError("a search entry of the wrong shape")
    # One count per word, each a positive int, and no empty word; all checked in C, as a page has hundreds.
    listed = words.split(" ") if words else []
    if len(listed) != len(counts) or (counts and not (set(map(type, counts)) == {int} and min(counts) >= 1
                                                      and max(counts) <= MOST_TIMES and "" not in listed)):
        raise ValueError("a search entry of the wrong shape")
    return PageEntry(path, title, date, kind, snippet, listed, counts)
