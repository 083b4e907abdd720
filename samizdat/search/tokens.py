"""The terms of a word for the index, and where each term's entry lives (its bucket).

Two kinds of term. Korean: syllable pairs (korean.py), each in the bucket of its own hash. Everything
else: Snowball stems (stemming.py), each in the bucket of the first two letters of the word it came
from, so the browser finds a word's entry from the word alone, without stemming it. search.js and
query.py compute the same buckets with the same hash.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from samizdat.search import korean
from samizdat.search.normalise import HANGUL_FIRST, HANGUL_LAST, script_of
from samizdat.search.stemming import stem

HANGUL, OTHER = "h", "x"  # the two kinds of bucket, named in chunk file names


def is_hangul(word: str) -> bool:
    """The word pattern keeps each run within one script, so the first letter tells."""
    return HANGUL_FIRST <= word[0] <= HANGUL_LAST


def stem_and_ending(word: str, language: str) -> tuple[str, str]:
    """A non-Korean word's stem and its ending (ending()), each distinct word analysed once per process."""
    known = _ANALYSED.setdefault(language, {})
    analysed = known.get(word)
    if analysed is None:
        if len(known) >= MOST_ANALYSED:  # a site of random words (or the dev server's hundredth edit) stays bounded
            known.clear()
        root = stem(word, script_of(word), language)
        analysed = known[word] = (root, ending(root, word))
    return analysed


# Language code → word → (its stem, its ending), for the life of the process: a site has a few tens of
# thousands of distinct words, and each build and each save of the dev server asks for all of them.
_ANALYSED: dict[str, dict[str, tuple[str, str]]] = {}
MOST_ANALYSED = 200_000  # words kept per language: a few tens of megabytes at most


@lru_cache(maxsize=200_000)
def korean_terms(run: str) -> tuple[str, ...]:
    return tuple(korean.index_terms(run))


def ending(root: str, form: str) -> str:
    """How the index writes a form beside its stem: the ending alone, or `=form` when the stemmer changed
    letters (happy → happi), which the browser then compares whole."""
    return form[len(root):] if form.startswith(root) else "=" + form


def form_of(root: str, end: str) -> str:
    """The word an ending was made from (ending() backwards)."""
    return end[1:] if end.startswith("=") else root + end


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


# Stem → each ending its words have on the site → how many pages hold that word (in their text or title).
Stems = dict[str, dict[str, int]]


def word_stems(code: str, pages: Mapping[str, int]) -> Stems:
    """The Stems of a language whose every distinct word has `pages` pages holding it (postings.py)."""
    stems: Stems = {}
    for word, count in pages.items():
        if not is_hangul(word):
            root, end = stem_and_ending(word, code)
            stems.setdefault(root, {})[end] = count
    return stems
