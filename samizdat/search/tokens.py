"""The terms of a text for the index, and where each term's entry lives (its bucket).

Two kinds of term. Korean: syllable pairs (korean.py), each in the bucket of its own hash. Everything
else: Snowball stems (stemming.py), each in the bucket of the first two letters of the word it came
from, so the browser finds a word's entry from the word alone, without stemming it. search.js and
query.py compute the same buckets with the same hash.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from samizdat.search import korean
from samizdat.search.normalise import HANGUL_RUNS, OTHER_RUNS, fold, script_of
from samizdat.search.stemming import stem

HANGUL, OTHER = "h", "x"  # the two kinds of bucket, named in chunk file names


@dataclass
class TermCounts:
    """One text's terms: how often each occurs, and the surface forms each stem was seen with."""

    hangul: Counter[str] = field(default_factory=Counter)
    stems: Counter[str] = field(default_factory=Counter)
    forms: dict[str, set[str]] = field(default_factory=dict)  # stem → folded words
    words: int = 0  # how many words the text has


def count_terms(text: str, language: str) -> TermCounts:
    """Each distinct word is analysed once (pages repeat their words), and each stem once per process."""
    counts = TermCounts()
    folded = fold(text)
    hangul, other = Counter(HANGUL_RUNS.findall(folded)), Counter(OTHER_RUNS.findall(folded))
    counts.words = hangul.total() + other.total()
    for run, times in hangul.items():
        for term in _korean_terms(run):
            counts.hangul[term] += times
    stems, forms = counts.stems, counts.forms
    for word, times in other.items():
        root = _stem(word, language)
        stems[root] += times
        if root in forms:
            forms[root].add(word)
        else:
            forms[root] = {word}
    return counts


@lru_cache(maxsize=200_000)
def _korean_terms(run: str) -> tuple[str, ...]:
    return tuple(korean.index_terms(run))


@lru_cache(maxsize=200_000)
def _stem(word: str, language: str) -> str:
    return stem(word, script_of(word), language)


def ending(root: str, form: str) -> str:
    """How the index writes a form beside its stem: the ending alone, or `=form` when the stemmer changed
    letters (happy → happi), which the browser then compares whole."""
    return form[len(root):] if form.startswith(root) else "=" + form


def word_key(word: str) -> str:
    """What picks the bucket of a non-Korean word: its first two letters."""
    return word[:2]


def bucket(key: str, count: int) -> int:
    """FNV-1a over UTF-16 code units, as JavaScript sees a string; search.js has the same function."""
    value = 0x811C9DC5
    data = key.encode("utf-16-le")
    for i in range(0, len(data), 2):
        value ^= data[i] | (data[i + 1] << 8)
        value = (value * 0x01000193) & 0xFFFFFFFF
    return value % count
