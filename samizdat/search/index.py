"""The index of one language as chunk files: a manifest, term buckets and document chunks.

    _search/<code>/m.css     the manifest: how many documents and buckets, each document's kind
    _search/<code>/h<N>.css  Korean terms (syllable pairs) whose hash falls in bucket N
    _search/<code>/x<N>.css  stems whose word starts with letters that hash to bucket N, with endings
    _search/<code>/d<N>.css  DOCS_PER_CHUNK documents: address, title, date, kind, snippet text

A query reads the manifest, one bucket per query word and the document chunks of the results it shows.
Bucket counts follow the number of documents only, and documents are numbered in address order, so an
edit to one page changes the chunks holding its terms and its own document chunk, and nothing else.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from dataclasses import dataclass

from samizdat.search import chunks
from samizdat.search.documents import SNIPPET_TEXT, SearchDoc
from samizdat.search.tokens import HANGUL, OTHER, TermCounts, bucket, ending, word_key

INDEX_FOLDER = "_search"
DOCS_PER_CHUNK = 4  # a result page of 10 loads at most 10 such chunks; see docs/search.md
BUCKET_DOCS = 32  # about this many documents' worth of postings per term bucket
# A term's weight in a page is BM25's: occurrences count less and less, and count less in a long page.
# The length is compared with a fixed one, not the site's average, so that an edit to one page never
# changes the weights of the others (and so their chunks).
K1, B, REFERENCE_WORDS = 1.2, 0.75, 300
TITLE_WEIGHT = 150  # added when the term is in the title: a title match ranks above most text matches


@dataclass(frozen=True)
class IndexedDoc:
    doc: SearchDoc
    body: TermCounts
    title: TermCounts


def language_folder(code: str) -> str:
    return f"{INDEX_FOLDER}/{chunk_prefix(code)}"


def chunk_prefix(code: str) -> str:
    return re.sub(r"[^a-z0-9]", "-", code.lower())


def bucket_count(documents: int) -> int:
    """A power of two, so that a site growing past a boundary splits every bucket in two."""
    count = 1
    while count * BUCKET_DOCS < documents:
        count *= 2
    return count


def build_language_index(code: str, indexed: list[IndexedDoc]) -> dict[str, bytes]:
    """Every chunk file of one language, by output path."""
    ordered = sorted(indexed, key=lambda item: item.doc.path)
    prefix, folder = chunk_prefix(code), language_folder(code)
    buckets = bucket_count(len(ordered))
    files = {f"{folder}/{kind}{n}.css": chunks.encode(f"{prefix}-{kind}{n}", payload)
             for kind, table in _term_buckets(ordered, buckets).items() for n, payload in enumerate(table)}
    for n in range(0, len(ordered), DOCS_PER_CHUNK):
        part = ordered[n: n + DOCS_PER_CHUNK]
        payload = [[d.doc.path, d.doc.title, d.doc.date, d.doc.kind, d.doc.text[:SNIPPET_TEXT]] for d in part]
        files[f"{folder}/d{n // DOCS_PER_CHUNK}.css"] = chunks.encode(f"{prefix}-d{n // DOCS_PER_CHUNK}", payload)
    # The version makes a browser that kept an older manifest or chunk load the set that belongs together.
    version = hashlib.blake2b(b"".join(files[path] for path in sorted(files)), digest_size=6).hexdigest()
    manifest = {"docs": len(ordered), "buckets": buckets, "per": DOCS_PER_CHUNK, "v": version,
                "kinds": "".join(d.doc.kind for d in ordered)}
    files[f"{folder}/m.css"] = chunks.encode(f"{prefix}-m", manifest)
    return files


def _term_buckets(ordered: list[IndexedDoc], buckets: int) -> dict[str, list[dict]]:
    hangul: dict[str, list[tuple[int, int]]] = {}  # term → (document number, weight), numbers ascending
    stems: dict[str, list[tuple[int, int]]] = {}
    forms: dict[str, set[str]] = {}
    for number, item in enumerate(ordered):
        _add(hangul, number, item.body, item.title, HANGUL)
        _add(stems, number, item.body, item.title, OTHER)
        for counts in (item.body, item.title):
            for root, seen in counts.forms.items():
                forms.setdefault(root, set()).update(seen)
    result: dict[str, list[dict]] = {HANGUL: [{} for _ in range(buckets)], OTHER: [{} for _ in range(buckets)]}
    for term, postings in hangul.items():
        result[HANGUL][bucket(term, buckets)][term] = gapped_postings(postings)
    for root, postings in stems.items():
        endings = sorted({ending(root, form) for form in forms[root]})
        for key in sorted({word_key(form) for form in forms[root]}):
            result[OTHER][bucket(key, buckets)][root] = [endings, gapped_postings(postings)]
    return result


def _add(table: dict[str, list[tuple[int, int]]], number: int, body: TermCounts, title: TermCounts, kind: str) -> None:
    body_counts, title_counts = (body.hangul, title.hangul) if kind == HANGUL else (body.stems, title.stems)
    norm = K1 * (1 - B + B * body.words / REFERENCE_WORDS)
    for term, count in body_counts.items():
        weight = round(100 * count * (K1 + 1) / (count + norm)) + (TITLE_WEIGHT if term in title_counts else 0)
        table.setdefault(term, []).append((number, weight))
    for term in title_counts.keys() - body_counts.keys():
        table.setdefault(term, []).append((number, TITLE_WEIGHT))


def gapped_postings(postings: list[tuple[int, int]]) -> list[int]:
    """[gap, weight, gap, weight, …]: document numbers ascending, each as its distance from the last."""
    numbers = [number for number, _ in postings]
    gaps = [numbers[0], *(b - a for a, b in itertools.pairwise(numbers))]
    return [value for pair in zip(gaps, (weight for _, weight in postings), strict=True) for value in pair]
