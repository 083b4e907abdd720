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
from samizdat.search.normalise import HANGUL_FIRST, HANGUL_LAST, WORDS, fold, script_of
from samizdat.search.stemming import stem

HANGUL, OTHER = "h", "x"  # the two kinds of bucket, named in chunk file names


@dataclass
class TermCounts:
    """One text's terms: how often each occurs, and the surface forms each stem was seen with."""

    hangul: Counter[str] = field(default_factory=Counter)
    # stem → [how often its words occur, the ending of each of them (ending()), in the order first seen]
    stems: dict[str, list[int | str]] = field(default_factory=dict)
    words: int = 0  # how many words the text has


def count_terms(text: str, language: str) -> TermCounts:
    """Each distinct word is analysed once (pages repeat their words), and each stem once per process.

    This runs on every searchable page of a cold build, so it is written for speed: one pass of the word
    pattern for both scripts, a word's stem and ending looked up together in a plain dictionary per
    language, and the stem's count and endings kept in one list."""
    counts = TermCounts()
    runs = Counter(WORDS.findall(fold(text)))
    counts.words = runs.total()
    hangul, stems = counts.hangul, counts.stems
    known = _ANALYSED.setdefault(language, {})
    if len(known) > MOST_ANALYSED:  # a site of random words (or the dev server's hundredth edit) keeps it bounded
        known.clear()
    for run, times in runs.items():
        if HANGUL_FIRST <= run[0] <= HANGUL_LAST:  # the pattern keeps each run within one script
            for term in _korean_terms(run):
                hangul[term] += times
            continue
        analysed = known.get(run)
        if analysed is None:
            root = stem(run, script_of(run), language)
            analysed = known[run] = (root, ending(root, run))
        root, end = analysed
        slot = stems.get(root)
        if slot is None:
            stems[root] = [times, end]
        else:
            slot[0] += times  # type: ignore[operator]
            if end not in slot:  # a stem has a handful of forms on a page: a list is cheaper than a set
                slot.append(end)
    return counts


# Language code → word → (its stem, its ending), for the life of the process: a site has a few tens of
# thousands of distinct words, and a page mostly repeats words other pages had.
_ANALYSED: dict[str, dict[str, tuple[str, str]]] = {}
MOST_ANALYSED = 200_000  # words kept per language: a few tens of megabytes at most


@lru_cache(maxsize=200_000)
def _korean_terms(run: str) -> tuple[str, ...]:
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
