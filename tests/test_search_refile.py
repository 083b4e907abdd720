"""A language's index refiled from the last filing after a few pages changed is byte for byte the index
filed afresh from every page (search/refile.py): on random sites in every script, with edits that add and
drop words, endings, Korean terms, title words and whole pages' words, change a page's kind, length and
snippet, and with kept files that do not agree with the change."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from samizdat.search import chunks
from samizdat.search.entry import PageEntry, pack, unpack
from samizdat.search.index import file_language
from samizdat.search.normalise import WORDS, fold
from samizdat.search.refile import Change, _moved, doc_terms, pack_stems, refile, unpack_stems
from samizdat.search.slots import assign
from samizdat.search.tokens import Stems, word_stems
from samizdat.search.weights import TITLE_WEIGHT
from tests.test_search_words import _text

EXTRA = ["митинг", "митинга", "митингами", "protest", "protests", "protesting", "happy", "happiness",
         "집회를", "촛불집회", "시위", "2024", "a", "я"]


def _vocabulary(rng: random.Random) -> list[str]:
    # Distinct, as a page's entry holds each word once with its count (entry.py).
    return list(dict.fromkeys([word for word in WORDS.findall(fold(_text(rng, 3000))) if word] + EXTRA))


def _entry(rng: random.Random, vocabulary: list[str], path: str) -> PageEntry:
    words = rng.sample(vocabulary, rng.randrange(0, min(40, len(vocabulary))))
    title = " ".join(rng.sample(vocabulary, rng.randrange(0, 4)))
    entry = PageEntry.of(path, title, rng.choice(["", "2024-03-01"]), rng.choice("pnm"),
                         " ".join(words[:5]), words, [rng.randrange(1, 50) for _ in words])
    return unpack(pack(entry))  # as the stage has it


def _stems(code: str, numbered: list[PageEntry | None]) -> Stems:
    """The definition of a language's stems: each ending of each stem with the pages holding its word."""
    pages: Counter[str] = Counter()
    for entry in numbered:
        if entry is not None:
            pages.update(set(entry.words.split(" ") if entry.words else ()) | set(WORDS.findall(fold(entry.title))))
    return word_stems(code, pages)


def _site(rng: random.Random, vocabulary: list[str], pages: int) -> list[PageEntry | None]:
    paths = [f"p{number}/" for number in range(pages)]
    return [None if path is None else _entry(rng, vocabulary, path) for path in assign(paths)]


@pytest.mark.parametrize("seed", range(30))
def test_a_refiled_language_is_the_language_filed_afresh(seed: int) -> None:
    rng = random.Random(seed)
    code = ("ru", "en", "ko", "de")[seed % 4]
    vocabulary = _vocabulary(rng)
    numbered = _site(rng, vocabulary, rng.randrange(1, 120))
    files, stems = file_language(code, numbered)
    assert stems == _stems(code, numbered)
    for _ in range(4):  # edits one after another, each refiled from the last refiling
        held = [number for number, entry in enumerate(numbered) if entry is not None]
        changes = []
        for number in rng.sample(held, rng.randrange(1, min(4, len(held)) + 1)):
            old = numbered[number]
            assert old is not None
            new = _edited(rng, vocabulary, old)
            numbered[number] = new
            changes.append(Change(number, old, new))
        refiled = refile(code, files, stems, changes)
        assert refiled is not None
        files, stems = refiled
        assert (files, stems) == file_language(code, numbered)
        assert stems == _stems(code, numbered)
        assert unpack_stems(pack_stems(stems)) == stems


def _edited(rng: random.Random, vocabulary: list[str], old: PageEntry) -> PageEntry:
    """The page with some words dropped, some added, counts and title changed, or a new page at its address."""
    if rng.random() < 0.2:
        return _entry(rng, vocabulary, old.path)
    pairs = dict(old.pairs())
    for word in rng.sample(sorted(pairs), min(len(pairs), rng.randrange(0, 4))):
        del pairs[word]
    for word in rng.sample(vocabulary, rng.randrange(0, 4)):
        pairs[word] = pairs.get(word, 0) + rng.randrange(1, 5)
    title = old.title if rng.random() < 0.6 else " ".join(rng.sample(vocabulary, rng.randrange(0, 3)))
    kind = old.kind if rng.random() < 0.8 else rng.choice("pnm")
    return unpack(pack(PageEntry.of(old.path, title, old.date, kind, " ".join(list(pairs)[:5]), pairs, pairs.values())))


def test_a_page_weighs_its_terms_as_the_whole_index_does() -> None:
    entry = unpack(pack(PageEntry.of("p/", "Protest", "", "p", "", ["protests", "protesting", "집회를"], [2, 1, 1])))
    terms = doc_terms("en", entry)
    assert terms[("x", "protest")] > TITLE_WEIGHT  # three occurrences, and the title
    assert ("h", "집회") in terms


def test_a_kept_filing_that_does_not_agree_with_the_change_is_refused() -> None:
    rng = random.Random(7)
    vocabulary = _vocabulary(rng)
    numbered = _site(rng, vocabulary, 30)
    files, stems = file_language("en", numbered)
    number = next(n for n, entry in enumerate(numbered) if entry is not None)
    old = numbered[number]
    assert old is not None
    stranger = PageEntry.of(old.path, "", "", old.kind, "", ["neverseenword"], [1])
    # A page said to have held a word no page held, or to have moved to another address.
    assert refile("en", files, stems, [Change(number, stranger, old)]) is None
    moved = PageEntry.of("elsewhere/", old.title, old.date, old.kind, old.snippet, old.words.split(),
                         [1] * len(old.counts))
    assert refile("en", files, stems, [Change(number, old, moved)]) is None
    # A bucket damaged in the store.
    damaged = {path: (b"not a chunk" if "/x" in path else data) for path, data in files.items()}
    assert refile("en", damaged, stems, [Change(number, old, _edited(rng, vocabulary, old))]) is None
    assert unpack_stems(b"[1, 2]") is None and unpack_stems(b'{"a": {"": 0}}') is None
    for odd in (b'{"a": {}}', b'{"a": []}', b'{"a": null}', b'{"a": 1}', b'{"a": {"": true}}', b'{"a": {"": 1.0}}',
                b'{"a": {"": "1"}}', b'{"a": {"": 2}, "b": {"s": -1}}', b'{"a": {"": 2}, "b": {"": 1, "s": []}}',
                b'{"a": {"": 2}', b"not json"):
        assert unpack_stems(odd) is None, odd
    assert unpack_stems(b"{}") == {} and unpack_stems(b'{"a": {"": 2, "s": 1}}') == {"a": {"": 2, "s": 1}}
    assert chunks.decode(files["_search/en/m.css"])["docs"] == len(numbered)


def _moved_by_definition(listed: list[int], weights: dict[int, int | None]) -> list[int]:
    """Every number with its weight, the changes made, and the gaps taken again."""
    found, number = {}, 0
    for at in range(0, len(listed), 2):
        number += listed[at]
        found[number] = listed[at + 1]
    for number, weight in weights.items():
        if weight is None:
            found.pop(number, None)
        else:
            found[number] = weight
    result, last = [], 0
    for number in sorted(found):
        result += (number - last, found[number])
        last = number
    return result


@pytest.mark.parametrize("seed", range(5))
def test_a_postings_list_moves_only_what_changed(seed: int) -> None:
    """_moved writes again the gaps beside each changed number: the list is the one made whole, for numbers
    added, reweighed and taken out at either end, beside each other and in an empty list."""
    rng = random.Random(seed)
    for _ in range(2000):
        numbers = sorted(rng.sample(range(40), rng.randrange(0, 25)))
        listed = [value for at, number in enumerate(numbers)
                  for value in (number - (numbers[at - 1] if at else 0), rng.randrange(0, 300))]
        weights = {rng.randrange(40): rng.choice([None, rng.randrange(0, 300)]) for _ in range(rng.randrange(0, 6))}
        kept = list(listed)
        assert _moved(listed, weights) == _moved_by_definition(listed, weights)
        assert listed == kept  # the table's own list is not changed in place


def test_a_postings_list_of_another_shape_is_refused() -> None:
    for odd in ([3, 10, 0, 5], [3, 10, -1, 5], [-1, 10], [3, 10, 2], [3, 10.0, 2, 5], [3, "10"], [3, [10]]):
        with pytest.raises((ValueError, TypeError)):
            _moved(odd, {1: 7})
