"""What the index keeps of one page, made where the page is rendered and kept with its rendering.

The build renders pages on every core (build/parallel.py); analysing a page's words there, beside its
rendering, spreads the index's heaviest work over the same cores, and the render cache keeps the result
with the page, so a page taken from the cache is never analysed again. The entry travels and is stored
as JSON text (plain values: the build store never holds pickles); the search stage only decodes entries
and assembles the chunk files (index.py).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from samizdat.content.pages import Page
from samizdat.search.documents import SNIPPET_TEXT, SearchDoc, search_doc
from samizdat.search.tokens import TermCounts, count_terms

# A term's weight in a page is BM25's: occurrences count less and less, and count less in a long page.
# The length is compared with a fixed one, not the site's average, so that an edit to one page never
# changes the weights of the others (and so their chunks), and each page's weights are its own.
K1, B, REFERENCE_WORDS = 1.2, 0.75, 300
TITLE_WEIGHT = 150  # added when the term is in the title: a title match ranks above most text matches


@dataclass(frozen=True)
class PageEntry:
    path: str  # URL path below the site root, no leading slash
    title: str
    date: str
    kind: str  # "n" news, "m" meetings, "p" pages
    snippet: str  # the first SNIPPET_TEXT characters of the page's text
    hangul: dict[str, int]  # Korean term → weight
    # stem → [weight, the ending of each word it came from on this page (tokens.ending), in order seen]:
    # one list per stem keeps the packed entry small, and packing and unpacking it is most of its cost.
    stems: dict[str, list[int | str]]


def page_entry(page: Page, html: bytes) -> str:
    """The packed entry of a rendered page (searchable pages only: documents.searchable)."""
    return pack(entry_of(search_doc(page, html), page.language.code))


def entry_of(doc: SearchDoc, language: str) -> PageEntry:
    body, title = count_terms(doc.text, language), count_terms(doc.title, language)
    weight = _weigher(body)
    hangul = {term: weight[count] for term, count in body.hangul.items()}
    stems = body.stems
    for slot in stems.values():
        slot[0] = weight[slot[0]]  # type: ignore[index]
    for term in title.hangul:
        hangul[term] = hangul.get(term, 0) + TITLE_WEIGHT
    for root, (_, *ends) in title.stems.items():
        slot = stems.get(root)
        if slot is None:
            stems[root] = [TITLE_WEIGHT, *ends]
            continue
        slot[0] += TITLE_WEIGHT  # type: ignore[operator]
        slot += [end for end in ends if end not in slot]
    return PageEntry(doc.path, doc.title, doc.date, doc.kind, doc.text[:SNIPPET_TEXT], hangul, stems)


def _weigher(body: TermCounts) -> list[int]:
    """A term's BM25 weight by its count in the body: a table, as the weights of a page's terms take the
    few values of their counts."""
    norm = K1 * (1 - B + B * body.words / REFERENCE_WORDS)
    most = max(max(body.hangul.values(), default=0), max((slot[0] for slot in body.stems.values()), default=0))
    return [round(100 * count * (K1 + 1) / (count + norm)) for count in range(most + 1)]  # type: ignore[operator]


def pack(entry: PageEntry) -> str:
    return json.dumps([entry.path, entry.title, entry.date, entry.kind, entry.snippet, entry.hangul, entry.stems],
                      ensure_ascii=False, separators=(",", ":"))


def unpack(text: str) -> PageEntry:
    """ValueError for anything pack() cannot have written (the text comes back from the build store)."""
    try:
        path, title, date, kind, snippet, hangul, stems = json.loads(text)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"not a search entry ({exc})") from exc
    if not (all(type(v) is str for v in (path, title, date, kind, snippet))
            and type(hangul) is dict and type(stems) is dict
            and all(type(v) is int for v in hangul.values())
            and all(type(v) is list and v and type(v[0]) is int and all(type(e) is str for e in v[1:])
                    for v in stems.values())):
        raise ValueError("a search entry of the wrong shape")
    return PageEntry(path, title, date, kind, snippet, hangul, stems)
