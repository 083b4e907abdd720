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
from itertools import chain

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
    stems: dict[str, int]  # stem → weight
    forms: dict[str, list[str]]  # stem → the folded words it came from on this page, sorted


def page_entry(page: Page, html: bytes) -> str:
    """The packed entry of a rendered page (searchable pages only: documents.searchable)."""
    return pack(entry_of(search_doc(page, html), page.language.code))


def entry_of(doc: SearchDoc, language: str) -> PageEntry:
    body, title = count_terms(doc.text, language), count_terms(doc.title, language)
    forms: dict[str, set[str]] = {}
    for counts in (body, title):
        for root, seen in counts.forms.items():
            forms.setdefault(root, set()).update(seen)
    return PageEntry(doc.path, doc.title, doc.date, doc.kind, doc.text[:SNIPPET_TEXT],
                     _weights(body.hangul, title.hangul, body), _weights(body.stems, title.stems, body),
                     {root: sorted(seen) for root, seen in forms.items()})


def _weights(body_counts: dict[str, int], title_counts: dict[str, int], body: TermCounts) -> dict[str, int]:
    norm = K1 * (1 - B + B * body.words / REFERENCE_WORDS)
    weights = {term: round(100 * count * (K1 + 1) / (count + norm)) + (TITLE_WEIGHT if term in title_counts else 0)
               for term, count in body_counts.items()}
    for term in title_counts.keys() - body_counts.keys():
        weights[term] = TITLE_WEIGHT
    return weights


def pack(entry: PageEntry) -> str:
    return json.dumps([entry.path, entry.title, entry.date, entry.kind, entry.snippet, entry.hangul, entry.stems,
                       entry.forms], ensure_ascii=False, separators=(",", ":"))


def unpack(text: str) -> PageEntry:
    """ValueError for anything pack() cannot have written (the text comes back from the build store)."""
    try:
        path, title, date, kind, snippet, hangul, stems, forms = json.loads(text)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"not a search entry ({exc})") from exc
    if not (all(isinstance(v, str) for v in (path, title, date, kind, snippet))
            and all(isinstance(v, dict) for v in (hangul, stems, forms))
            and set(map(type, chain(hangul.values(), stems.values()))) <= {int}
            and set(map(type, forms.values())) <= {list}
            and set(map(type, chain.from_iterable(forms.values()))) <= {str}):
        raise ValueError("a search entry of the wrong shape")
    return PageEntry(path, title, date, kind, snippet, hangul, stems, forms)
