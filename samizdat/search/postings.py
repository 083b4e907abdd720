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
from collections.abc import Iterator, Sequence
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


@dataclass(frozen=True, slots=True)
class Term:
    kind: str  # HANGUL or OTHER (tokens.py)
    name: str  # a Korean term or a stem
    endings: list[str]  # a stem's: the endings of its words on the site, sorted; a Korean term's: none
    listed: np.ndarray  # its postings, as in Postings: a view into one array of them all


@dataclass(frozen=True)
class TermArrays:
    """The postings of every term, in one array of numbers, not a Python list a term: at 10,000 pages the
    lists of a language held several million numbers, eight bytes each and more, all at once. A term's
    list is a view (`term(i)`), which a chunk is written from and which then goes (index.py)."""

    names: list[tuple[str, str]]  # term number → (kind, term)
    endings: dict[int, set[str]]  # a stem's term number → the endings of its words
    numbers: list[int]  # the term numbers that have postings, in order
    bounds: list[int]  # where each one's postings start in `flat`, counted in pairs, and where the last ends
    flat: np.ndarray  # [gap, weight, …] of every term with postings, one after another
    pages: dict[str, int]  # each distinct word → how many pages hold it (refile.py)

    def term(self, i: int) -> Term:
        """The i-th term that has postings."""
        kind, name = self.names[self.numbers[i]]
        endings = sorted(self.endings[self.numbers[i]]) if kind == "x" else []
        return Term(kind, name, endings, self.flat[2 * self.bounds[i]: 2 * self.bounds[i + 1]])

    def terms(self) -> Iterator[Term]:
        return map(self.term, range(len(self.numbers)))


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
    """Every term's postings as lists. numbered: document number → entry, None for a number no page holds
    (slots.py)."""
    found = term_arrays(language, numbered)
    hangul: dict[str, list[int]] = {}
    stems: dict[str, tuple[list[str], list[int]]] = {}
    for term in found.terms():
        if term.kind == "h":
            hangul[term.name] = term.listed.tolist()
        else:
            stems[term.name] = (term.endings, term.listed.tolist())
    return Postings(hangul, stems, found.pages)


def term_arrays(language: str, numbered: Sequence[PageEntry | None]) -> TermArrays:
    """postings(), with each term's list a view into one array."""
    present = [(number, entry) for number, entry in enumerate(numbered) if entry is not None]
    if not present:
        return TermArrays([], {}, [], [0], np.zeros(0, np.int32), {})
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
        return TermArrays([], {}, [], [0], np.zeros(0, np.int32), held)
    key = term.astype(np.int64)
    del term
    key *= len(numbered)
    key += pair_document[pair]
    del pair_document
    key, pair = _sorted_with(key, pair)
    first = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])  # where each key's run starts
    keys = key[first]
    del key
    body = np.add.reduceat(pair_count[pair], first, dtype=np.int64)
    del pair_count
    in_title = np.logical_or.reduceat(pair >= body_pairs, first)
    del pair, first
    document = (keys % len(numbered)).astype(np.int32)
    keys //= len(numbered)  # now each posting's term
    weights = _weights(body, length, document, in_title)
    del body, in_title
    return _by_term(keys, document, weights, terms, held)


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
    """Each term of each pair's word, and the pair it came from: 32-bit numbers, one of each per term of
    a pair (1.6 million of them for 3,400 pages in Korean, where a word gives several terms)."""
    per_word = (starts[1:] - starts[:-1])[pair_word]
    total = int(per_word.sum())
    index = np.int32 if max(total, len(term_of), len(pair_word)) < 2**31 else np.int64
    pair = np.repeat(np.arange(len(pair_word), dtype=index), per_word)
    # A term's place in term_of: its word's first term's place, plus its own place among the pair's terms
    # (its place among all of them, less the place of the pair's first term)
    at = np.repeat((starts[pair_word] - (np.cumsum(per_word) - per_word)).astype(index), per_word)
    at += np.arange(total, dtype=index)
    return term_of.astype(index)[at], pair


def _sorted_with(key: np.ndarray, pair: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The keys sorted, and the pairs in the same order (those of equal keys in any order: what is made of
    them is a sum and an "any"). Where each key fits in 31 bits, key and pair are sorted as one 64-bit
    number in place; np.argsort's index and the sorted copies would take three times the memory."""
    if not len(key) or int(key.max()) >= 2**31 or int(pair.max()) >= 2**32:
        order = np.argsort(key)
        return key[order], pair[order]
    pair_type = pair.dtype
    key <<= 32
    key |= pair
    del pair
    key.sort()
    pair = (key & 0xFFFFFFFF).astype(pair_type)
    key >>= 32
    return key, pair


WEIGHED_AT_ONCE = 1 << 16  # postings: the floating-point steps of BM25 make several arrays their size


def _weights(body: np.ndarray, length: np.ndarray, document: np.ndarray, in_title: np.ndarray) -> np.ndarray:
    """Each posting's weight: BM25 of its count in the body (of no occurrence, 0), and the title's bonus."""
    weights = np.empty(len(body), dtype=np.int64)
    for start in range(0, len(body), WEIGHED_AT_ONCE):
        part = slice(start, start + WEIGHED_AT_ONCE)
        weights[part] = _bm25(body[part], length[document[part]]) + TITLE_WEIGHT * in_title[part]
    return weights


def _bm25(counts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Written in the order of the operations Python would do for one term, so each weight is the same
    to the last bit as the scalar formula's (and as earlier builds', whose chunks a browser may hold)."""
    norm = K1 * (1 - B + B * lengths / REFERENCE_WORDS)
    return np.rint(100 * counts * (K1 + 1) / (counts + norm)).astype(np.int64)


def _by_term(term: np.ndarray, documents: np.ndarray, weights: np.ndarray, terms: _Terms,
             held: dict[str, int]) -> TermArrays:
    """term, documents, weights: one per posting, by term and then by document."""
    first = np.flatnonzero(np.r_[True, term[1:] != term[:-1]])
    gaps = documents.copy()
    gaps[1:] -= documents[:-1]
    gaps[first] = documents[first]
    fits = max(int(gaps.max()), int(weights.max())) <= np.iinfo(np.int32).max  # both are never negative
    flat = np.empty(2 * len(gaps), dtype=np.int32 if fits else np.int64)
    flat[0::2], flat[1::2] = gaps, weights
    return TermArrays(list(terms.numbers), terms.endings, term[first].tolist(), [*first.tolist(), len(term)],
                      flat, held)
