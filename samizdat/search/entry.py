"""What the index keeps of one page, made where the page is rendered and kept with its rendering.

The build renders pages on every core (build/parallel.py); finding a page's words there, beside its
rendering, spreads that work over the same cores, and the render cache keeps the result with the page,
so a page taken from the cache is never read again. The entry holds the page's distinct words, each
with its count, and no stems or weights: counting is array work (wordcount.py), and the search stage
stems each distinct word of the site once and weighs every page's terms at once, in arrays
(postings.py). The entry travels and is stored as one string of plain text (the build store never holds
pickles): its words joined by spaces and its counts as characters, which the stage reads back for all
pages at once, in C and in arrays, where JSON parsed every number one at a time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser

from samizdat.content.pages import Page
from samizdat.search.documents import SearchDoc, main_text, search_doc, snippet, tree_text
from samizdat.search.normalise import WORDS, fold
from samizdat.search.wordcount import count_words

# Each count is one character of a string, its code point the count: read back as one array (postings.py)
# where a list of numbers took a parse per number. Surrogates cannot be stored, so counts from 0xD800 on are
# shifted past them; a word more than MOST_TIMES times on one page counts MOST_TIMES (BM25 barely moves
# after a few dozen).
SURROGATES, SHIFT = 0xD800, 0x800
MOST_TIMES = 0x10FFFF - SHIFT
FIELD = "\x1f"  # between an entry's fields (pack)


@dataclass(frozen=True)
class PageEntry:
    path: str  # URL path below the site root, no leading slash
    title: str
    date: str
    kind: str  # "n" news, "m" meetings, "p" pages
    snippet: str  # the first SNIPPET_TEXT characters of the page's text
    words: str  # the distinct folded words of the page's text (normalise.WORDS), joined by single spaces
    counts: str  # how often each occurs, in the same order: one character each (count_text)

    @classmethod
    def of(cls, path: str, title: str, date: str, kind: str, snippet: str, words: Iterable[str],
           counts: Iterable[int]) -> PageEntry:
        """words: distinct folded words (no space in any); counts: how often each occurs, at least once."""
        return cls(path, title, date, kind, snippet, " ".join(words), count_text(counts))

    def title_words(self) -> list[str]:
        """The distinct words of the title, in order: each gives its terms the title's weight (postings.py)."""
        return list(dict.fromkeys(WORDS.findall(fold(self.title))))

    def pairs(self) -> list[tuple[str, int]]:
        """Each word with its count, in order."""
        words = self.words.split(" ") if self.words else []
        return list(zip(words, map(count_of, self.counts), strict=True))


def count_text(counts: Iterable[int]) -> str:
    listed = list(counts)
    if listed and (min(listed) < 1 or max(listed) >= SURROGATES):
        return "".join(map(_count_char, listed))
    return "".join(map(chr, listed))


def _count_char(count: int) -> str:
    if count < 1:
        raise ValueError(f"a word counted {count} times")
    count = min(count, MOST_TIMES)
    return chr(count if count < SURROGATES else count + SHIFT)


def count_of(char: str) -> int:
    point = ord(char)
    return point if point < SURROGATES else point - SHIFT


def page_entry(page: Page, html: bytes) -> str:
    """The packed entry of a rendered page (searchable pages only: documents.searchable)."""
    return pack(entry_of(search_doc(page, main_text(html))))


def tree_entry(page: Page, tree: LexborHTMLParser) -> str:
    """page_entry() of a page already parsed (as the render workers have it: build/page_check.py). The
    tree loses the page's navigation and notices."""
    return pack(entry_of(search_doc(page, tree_text(tree))))


def entry_of(doc: SearchDoc) -> PageEntry:
    counted = count_words(fold(doc.text))
    return PageEntry.of(doc.path, doc.title, doc.date, doc.kind, snippet(doc.text), counted, counted.values())


def pack(entry: PageEntry) -> str:
    """One string, the fields apart by FIELD: the title and snippet are normalised (documents.normalise,
    which makes every control character a space), the words are letters and digits, the date and kind
    fixed; the counts, one character per word, may be any character (a count of 31 is FIELD itself), so
    they are read by their number, and the address, which may hold FIELD too, comes last."""
    return FIELD.join((entry.title.replace(FIELD, " "), entry.date, entry.kind, entry.snippet.replace(FIELD, " "),
                       entry.words, entry.counts, entry.path))


def unpack(text: str) -> PageEntry:
    """ValueError for anything pack() cannot have written (the text comes back from the build store)."""
    if type(text) is not str:
        raise ValueError("not a search entry")
    fields = text.split(FIELD, 5)
    if len(fields) != 6:
        raise ValueError("not a search entry")
    title, date, kind, snippet, words, rest = fields
    # One count per word, each at least 1, and no empty word; checked in C, as a page has hundreds.
    if words and (words[0] == " " or words[-1] == " " or "  " in words):
        raise ValueError("a search entry of the wrong shape")
    number = words.count(" ") + 1 if words else 0
    counts, path = rest[:number], rest[number + 1:]
    if rest[number: number + 1] != FIELD or "\x00" in counts or not _storable(counts):
        raise ValueError("a search entry of the wrong shape")
    return PageEntry(path, title, date, kind, snippet, words, counts)


def _storable(text: str) -> bool:
    """No lone surrogate (the only characters no code point count can be)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
