"""The index's array work against the plain definitions it replaces.

wordcount.count_words must find exactly the words of normalise.WORDS, and postings.postings must give
exactly the terms, weights and endings of the scalar formulas, one page and one word at a time, on texts
made to trip them: every script the sites use, marks, digits of other scripts, underscores, Hangul
touching Latin, characters beyond the Basic Multilingual Plane, lone surrogates, empty pages.
"""

from __future__ import annotations

import random
from collections import Counter

import numpy  # noqa: F401  (loaded, so that count_words takes its arrays' way)
import pytest

from samizdat.search import korean
from samizdat.search.documents import SearchDoc
from samizdat.search.entry import MOST_TIMES, PageEntry, entry_of, pack, unpack
from samizdat.search.normalise import WORDS, fold
from samizdat.search.postings import K1, REFERENCE_WORDS, TITLE_WEIGHT, B, postings
from samizdat.search.tokens import ending, is_hangul, stem_and_ending
from samizdat.search.wordcount import count_words

# Letters and not-letters, each a few times so words get long enough to repeat.
ALPHABET = (
    "abcxyzABCXYZ" "абвгдеёжклмнопАБВЁЖ" "집회시위촛불반전평화난민" "ᄀ까"  # Latin, Cyrillic, Hangul, jamo
    "0123456789٠١٢" "ßİıǅ" "中文日本語" "ﬁＡｂ①²"  # digits of other scripts, odd cases, CJK, compatibility
    "\u0301\u0308\u200d\u00ad" "_-'’.,;:!?«»—–…()[]{}<>/@#%&*+=\"" "  \t\n\xa0\u202f\u3000"
)
ASTRAL = "😀𝐀𝟘𠀀"  # an emoji, mathematical letters and digits, a CJK Extension B ideograph


def _text(rng: random.Random, size: int, astral: bool = False) -> str:
    pool = ALPHABET + (ASTRAL if astral else "")
    return "".join(rng.choice(pool) for _ in range(size))


@pytest.mark.parametrize("seed", range(40))
def test_the_word_counter_finds_what_the_word_pattern_finds(seed: int) -> None:
    rng = random.Random(seed)
    for size in (0, 1, 2, 7, 80, 2000):
        text = fold(_text(rng, size, astral=seed % 4 == 0))
        # In the same order too: a process without NumPy counts with the pattern (wordcount.py), and the
        # entry, its hash and what the store keeps under it are the same whichever counted.
        assert list(count_words(text).items()) == list(Counter(WORDS.findall(text)).items()), text


def test_the_word_counter_on_the_cases_that_matter() -> None:
    cases = {
        "나토NATO와 NATO": {"나토": 1, "nato": 2, "와": 1},  # Hangul touching Latin: two words
        "snake_case and_so": {"snake": 1, "case": 1, "and": 1, "so": 1},  # the underscore splits
        "café\u0301 2024 ٢٠٢٤": {"café": 1, "2024": 1, "٢٠٢٤": 1},  # a mark is not a letter
        "mixed 😀emoji": {"mixed": 1, "emoji": 1},  # beyond the plane: the pattern counts it
        "lone \ud800 surrogate": {"lone": 1, "surrogate": 1},
        "": {},
    }
    for text, expected in cases.items():
        assert count_words(fold(text)) == Counter(WORDS.findall(fold(text))) == Counter(expected), text


def _reference(language: str, numbered: list[PageEntry | None]) -> tuple[dict, dict]:
    """The scalar definition: each page's terms counted one word at a time, BM25 by the formula, the
    title's terms TITLE_WEIGHT more, and each stem's endings from every page's words."""
    hangul: dict[str, list[tuple[int, int]]] = {}
    stems: dict[str, list[tuple[int, int]]] = {}
    endings: dict[str, set[str]] = {}
    for number, entry in enumerate(numbered):
        if entry is None:
            continue
        counts: Counter[tuple[str, str]] = Counter()
        for word, times in entry.pairs():
            for term in _terms(word, language, endings):
                counts[term] += times
        length = sum(times for _, times in entry.pairs())
        norm = K1 * (1 - B + B * length / REFERENCE_WORDS)
        weight = {term: round(100 * count * (K1 + 1) / (count + norm)) for term, count in counts.items()}
        for term in {term for word in WORDS.findall(fold(entry.title)) for term in _terms(word, language, endings)}:
            weight[term] = weight.get(term, 0) + TITLE_WEIGHT
        for (kind, term), value in weight.items():
            (hangul if kind == "h" else stems).setdefault(term, []).append((number, value))
    return ({term: _gaps(listed) for term, listed in hangul.items()},
            {root: (sorted(endings[root]), _gaps(listed)) for root, listed in stems.items()})


def _terms(word: str, language: str, endings: dict[str, set[str]]) -> list[tuple[str, str]]:
    if is_hangul(word):
        return [("h", term) for term in korean.index_terms(word)]
    root, end = stem_and_ending(word, language)
    assert end == ending(root, word)
    endings.setdefault(root, set()).add(end)
    return [("x", root)]


def _gaps(listed: list[tuple[int, int]]) -> list[int]:
    flat, last = [], 0
    for number, weight in sorted(listed):
        flat += [number - last, weight]
        last = number
    return flat


@pytest.mark.parametrize("seed", range(12))
def test_array_postings_are_the_scalar_formula(seed: int) -> None:
    rng = random.Random(seed)
    language = ("ru", "en", "ko", "de")[seed % 4]
    vocabulary = [w for w in WORDS.findall(fold(_text(rng, 3000))) if w] + [
        "митинг", "митинга", "митингами", "protests", "protesting", "집회를", "촛불집회", "시위", "2024"]
    numbered: list[PageEntry | None] = []
    for _ in range(rng.randrange(1, 60)):
        if rng.random() < 0.3:
            numbered.append(None)  # a number no page holds
            continue
        words = rng.sample(vocabulary, rng.randrange(0, min(40, len(vocabulary))))
        title = " ".join(rng.sample(vocabulary, rng.randrange(0, 4)))
        entry = PageEntry.of("p/", title, "", "p", "", words, [rng.randrange(1, 50) for _ in words])
        numbered.append(unpack(pack(entry)))  # as the stage has it: 31 times is the field separator's character
        assert numbered[-1] == entry
    found = postings(language, numbered)
    hangul, stems = _reference(language, numbered)
    assert found.hangul == hangul
    assert found.stems == stems
    assert any(entry is not None for entry in numbered)


def test_postings_of_pages_without_words() -> None:
    empty = PageEntry.of("p/", "", "", "p", "", [], [])
    assert postings("en", [None, empty, None]).stems == {}
    titled = PageEntry.of("p/", "Protest", "", "p", "", [], [])
    assert postings("en", [empty, titled]).stems == {"protest": ([""], [1, TITLE_WEIGHT])}


def test_an_entry_reads_back_as_written() -> None:
    entry = entry_of(SearchDoc("ko/x/", "촛불집회 Protest", "2024-03-01", "n", "촛불집회를 열었다. NATO와 나토 NATO"))
    assert unpack(pack(entry)) == entry
    counted = dict(entry.pairs())
    assert counted == {"촛불집회를": 1, "열었다": 1, "nato": 2, "와": 1, "나토": 1}


def test_counts_past_the_surrogates_read_back_and_weigh_as_written() -> None:
    """A count is a character (entry.count_text): the counts where surrogates would be are shifted past
    them, the largest clamped, and the arrays in postings.py read them back as the entry has them."""
    counts = [*range(1, 600), 0xD7FF, 0xD800, 0xDFFF, 0xE000, 10**6, MOST_TIMES]  # 31 is FIELD, 32 a space
    words = [f"w{n}" for n in range(len(counts))]
    entry = PageEntry.of("p/\x1fx/", "", "", "p", "", words, counts)
    assert unpack(pack(entry)) == entry and entry.pairs() == list(zip(words, counts, strict=True))
    found = postings("en", [None, entry])
    assert (found.hangul, found.stems) == _reference("en", [None, entry])
    assert PageEntry.of("p/", "", "", "p", "", ["w"], [2**40]).pairs() == [("w", MOST_TIMES)]
    with pytest.raises(ValueError):
        PageEntry.of("p/", "", "", "p", "", ["w", "v"], [3, 0])
