"""Every term of one language with the documents it occurs in and its weight in each: the postings.

The entries hold each page's words with their counts (entry.py). Here the site's distinct words are
analysed once (a stem and an ending, or Korean syllable pairs: tokens.py), and then the counting,
weighing and sorting of several hundred thousand (document, term) pairs is done in NumPy arrays, not
one Python object at a time: that work grows with the site, and in Python it was most of what the index
cost a cold build (docs/search.md).

A term's weight in a page is BM25's, against a fixed length (weights.py): each page's weights are its own.
"""

from __future__ import annotations

from array import array
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import count

import numpy as np

from samizdat.search.entry import SHIFT, SURROGATES, PageEntry
from samizdat.search.tokens import is_hangul, korean_terms, stem_and_ending
from samizdat.search.weights import K1, REFERENCE_WORDS, TITLE_WEIGHT, B


@dataclass(frozen=True)
class Postings:
    """Each list is [document number, weight, …] with the numbers as gaps from the one before (the first
    from 0), ascending."""

    hangul: dict[str, list[int]]  # Korean term → postings
    stems: dict[str, tuple[list[str], list[int]]]  # stem → (the endings of its words on the site, sorted), postings
    pages: dict[str, int] = field(default_factory=dict)  # each distinct word → how many pages hold it (refile.py)


class _Terms:
    """The distinct words of a language's pages, each with the terms it gives, numbered."""

    def __init__(self, language: str) -> None:
        self.language = language
        self.numbers: dict[tuple[str, str], int] = {}  # (HANGUL or OTHER kind letter, term) → term number
        self.endings: dict[int, set[str]] = {}  # stem's term number → the endings of its words

    def of_words(self, words: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """For each word, where its terms start in the returned term numbers, and the term numbers:
        one stem for most words, a Korean run's first syllable and pairs for a Korean one."""
        starts, terms = [0], []
        for word in words:
            if is_hangul(word):
                terms += [self.number("h", term) for term in korean_terms(word)]
            else:
                root, end = stem_and_ending(word, self.language)
                number = self.number("x", root)
                self.endings[number].add(end)
                terms.append(number)
            starts.append(len(terms))
        return np.array(starts, dtype=np.int64), np.array(terms, dtype=np.int64)

    def number(self, kind: str, term: str) -> int:
        number = self.numbers.get((kind, term))
        if number is None:
            number = self.numbers[kind, term] = len(self.numbers)
            if kind == "x":
                self.endings[number] = set()
        return number


def postings(language: str, numbered: Sequence[PageEntry | None]) -> Postings:
    """numbered: document number → entry, None for a number no page holds (slots.py)."""
    present = [(number, entry) for number, entry in enumerate(numbered) if entry is not None]
    if not present:
        return Postings({}, {})
    documents = np.array([number for number, _ in present], dtype=np.int64)
    # Every (document, word) pair of the bodies, then of the titles (each distinct title word once), its
    # word as a number, numbered in the order the words first occur. Entry by entry, and in C: the site's
    # words are never all Python strings at once (two million of them, at 10,000 pages, were over 150 MB).
    word_number: defaultdict[str, int] = defaultdict(count().__next__)
    numbered_words = array("i")
    for _, entry in present:
        if entry.words:
            numbered_words.extend(map(word_number.__getitem__, entry.words.split(" ")))
    body_pairs = len(numbered_words)
    titles = [entry.title_words() for _, entry in present]
    for title in titles:
        numbered_words.extend(map(word_number.__getitem__, title))
    title_pairs = len(numbered_words) - body_pairs
    pair_word = np.frombuffer(numbered_words, dtype=np.intc) if numbered_words else np.zeros(0, np.intc)
    distinct = list(word_number)
    held = _pages_per_word(present, titles, distinct, word_number, pair_word[:body_pairs])
    count_chars = "".join(entry.counts for _, entry in present).encode("utf-32-le")
    counts = np.frombuffer(count_chars, np.uint32).astype(np.int32)
    del count_chars
    counts[counts >= SURROGATES] -= SHIFT  # entry.count_text backwards
    # The arrays below hold a number per pair (two million of them for 3,000 pages of a language): they
    # are 32-bit where the numbers fit, and each goes as soon as it is used.
    pair_document = np.concatenate([np.repeat(documents, [len(entry.counts) for _, entry in present]),
                                    np.repeat(documents, [len(title) for title in titles])]).astype(np.int32)
    length = np.bincount(pair_document[:body_pairs], weights=counts, minlength=len(numbered))  # words in each
    pair_count = np.concatenate([counts, np.zeros(title_pairs, np.int32)])
    del counts

    terms = _Terms(language)
    starts, term_of = terms.of_words(distinct)

    # One (term, document) key per term of each pair's word, term first, so that sorted keys are the
    # postings in order; summed over the words that give the same term (a stem's forms, a Korean pair
    # in several runs).
    term, pair = _terms_of_pairs(pair_word, starts, term_of)
    del pair_word, numbered_words
    if not len(term):  # pages without a word
        return Postings({}, {}, held)
    key = term * len(numbered)
    del term
    key += pair_document[pair]
    del pair_document
    # The pairs in key order, and where each key's run starts: what np.unique(return_inverse=True) gives,
    # without the arrays it makes besides (its peak was most of this function's)
    order = np.argsort(key)
    key = key[order]
    first = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    keys = key[first]
    del key
    pair = pair[order]
    del order
    body = np.add.reduceat(pair_count[pair], first, dtype=np.int64)
    del pair_count
    in_title = np.logical_or.reduceat(pair >= body_pairs, first)
    del pair, first
    term, document = np.divmod(keys, len(numbered))
    weights = _bm25(body, length[document]) + TITLE_WEIGHT * in_title  # BM25 of no occurrence is 0
    found = _by_term(term, document, weights, terms)
    return Postings(found.hangul, found.stems, held)


def _pages_per_word(present: list[tuple[int, PageEntry]], titles: list[list[str]], distinct: list[str],
                    word_number: dict[str, int], body_words: np.ndarray) -> dict[str, int]:
    """How many pages hold each word: a page's text words are distinct, so counting them counts pages;
    a title word counts once more for a page whose text lacks it."""
    held = np.bincount(body_words, minlength=len(distinct))
    for (_, entry), title in zip(present, titles, strict=True):
        if title:
            text = f" {entry.words} "
            for word in title:
                if f" {word} " not in text:
                    held[word_number[word]] += 1
    return dict(zip(distinct, held.tolist(), strict=True))


def _terms_of_pairs(pair_word: np.ndarray, starts: np.ndarray, term_of: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each term of each pair's word, and the pair it came from."""
    per_word = starts[pair_word + 1] - starts[pair_word]
    pair = np.repeat(np.arange(len(pair_word), dtype=np.int32), per_word)
    offset = np.arange(len(pair)) - np.repeat(np.cumsum(per_word) - per_word, per_word)
    return term_of[starts[pair_word[pair]] + offset], pair


def _bm25(counts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Written in the order of the operations Python would do for one term, so each weight is the same
    to the last bit as the scalar formula's (and as earlier builds', whose chunks a browser may hold)."""
    norm = K1 * (1 - B + B * lengths / REFERENCE_WORDS)
    return np.rint(100 * counts * (K1 + 1) / (counts + norm)).astype(np.int64)


def _by_term(term: np.ndarray, documents: np.ndarray, weights: np.ndarray, terms: _Terms) -> Postings:
    """term, documents, weights: one per posting, by term and then by document."""
    if not len(term):  # pages without a word
        return Postings({}, {})
    first = np.flatnonzero(np.r_[True, term[1:] != term[:-1]])
    gaps = documents.copy()
    gaps[1:] -= documents[:-1]
    gaps[first] = documents[first]
    flat = np.empty(2 * len(gaps), dtype=np.int64)
    flat[0::2], flat[1::2] = gaps, weights
    del gaps
    listed = _shared_numbers(flat)  # each term's list is taken from it: no list of them all is made
    del flat
    names = list(terms.numbers)
    hangul: dict[str, list[int]] = {}
    stems: dict[str, tuple[list[str], list[int]]] = {}
    for start, end, number in zip(first.tolist(), [*first[1:].tolist(), len(term)], term[first].tolist(), strict=True):
        kind, name = names[number]
        if kind == "h":
            hangul[name] = listed[2 * start: 2 * end].tolist()
        else:
            stems[name] = (sorted(terms.endings[number]), listed[2 * start: 2 * end].tolist())
    return Postings(hangul, stems)


SHARED_UP_TO = 1 << 20  # numbers up to this are made one Python object each, and shared (_shared_numbers)


def _shared_numbers(values: np.ndarray) -> np.ndarray:
    """The values as an array of Python numbers, each distinct number one object wherever it occurs:
    postings repeat a few thousand gaps and weights millions of times, and an object each (Python caches
    only -5 to 256) took about a hundred megabytes at 10,000 pages. A part's tolist() gives the numbers."""
    if not len(values) or int(values.min()) < 0 or int(values.max()) > SHARED_UP_TO:
        return values
    table = np.array(list(range(int(values.max()) + 1)), dtype=object)
    return table[values]  # type: ignore[no-any-return]
