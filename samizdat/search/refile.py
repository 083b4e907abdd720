"""A language's index files after a few of its pages changed, made from the files the last build filed
instead of from every page's entry again.

A page's terms and weights are its own (postings.py: BM25 against a fixed length, a title bonus), so an
edit changes the postings of the terms it adds, removes or weighs differently, and nothing else. The one
fact a term carries from the whole site is its stem's endings: the forms of its words seen on any page.
For those a filing keeps how many pages hold each form (`tokens.Stems`), so an ending goes when the last page
with its word does. Only the buckets holding a changed term are read and written again, and the result is
byte for byte what build_language_index makes of every entry (tests/test_search_refile.py checks both
ways on random sites and edits).

It applies while every page keeps its document number, that is while the language's set of addresses is
the same (slots.py); the stage files a language afresh otherwise, and whenever what it kept does not
agree with itself.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import accumulate

import orjson

from samizdat.search import chunks
from samizdat.search.entry import PageEntry, count_of
from samizdat.search.index import DOCS_PER_CHUNK, document_row, encode_file, index_path, stem_buckets, with_manifest
from samizdat.search.tokens import HANGUL, OTHER, Stems, bucket, is_hangul, korean_terms, stem_and_ending
from samizdat.search.weights import TITLE_WEIGHT, bm25
from samizdat.stored_files import StoredFiles

Term = tuple[str, str]  # (HANGUL or OTHER, the Korean term or the stem)


@dataclass(frozen=True)
class Change:
    """One document number whose page's entry changed, the page keeping its address."""

    number: int
    old: PageEntry
    new: PageEntry


def pack_stems(stems: Stems) -> bytes:
    return orjson.dumps(stems)


def unpack_stems(data: bytes) -> Stems | None:
    """pack_stems() backwards; None for anything it cannot have written (the value comes from the store)."""
    try:
        stems = orjson.loads(data)
    except orjson.JSONDecodeError:
        return None
    if not isinstance(stems, dict):
        return None
    # Checked by the set of types, not stem by stem: the stems of a language are tens of thousands of values
    groups = list(stems.values())
    if set(map(type, groups)) - {dict} or not all(groups):
        return None
    counts = [count for ends in groups for count in ends.values()]
    if set(map(type, counts)) - {int} or min(counts, default=1) <= 0:
        return None
    return stems


def refile(code: str, files: Mapping[str, bytes], stems: Stems, changes: Sequence[Change],
           ) -> tuple[StoredFiles, Stems] | None:
    """The language's files and stems once `changes` are made to the filing `files` and `stems`; None when
    the kept filing does not agree with the changes (the caller then files the language afresh)."""
    try:
        return _Refiling(code, files, stems).apply(changes)
    except (KeyError, ValueError, TypeError, IndexError):  # a kept file of another shape
        return None


def doc_terms(code: str, entry: PageEntry) -> dict[Term, int]:
    """Each term of one page with its weight: the page's share of postings.postings(), to the last bit."""
    words = entry.words.split(" ") if entry.words else []
    counts = [count_of(char) for char in entry.counts]
    if len(words) != len(counts):
        raise ValueError("a search entry of the wrong shape")
    body: dict[Term, int] = {}
    for word, count in zip(words, counts, strict=True):
        for term in _terms(word, code):
            body[term] = body.get(term, 0) + count
    in_title = set()
    for word in entry.title_words():
        for term in _terms(word, code):
            in_title.add(term)
            body.setdefault(term, 0)
    length = sum(counts)
    return {term: bm25(count, length) + TITLE_WEIGHT * (term in in_title) for term, count in body.items()}


class _Refiling:
    def __init__(self, code: str, files: Mapping[str, bytes], stems: Stems) -> None:
        # The last filing's files are read only where a change lands (a store's are read from it: stored_files.py)
        self.code, self.old_stems = code, stems
        self.files = files if isinstance(files, StoredFiles) else StoredFiles(files)
        self.stems: Stems = {}  # the stems whose pages changed, copied before they are counted again
        self.manifest = chunks.decode(files[index_path(code, "m")])
        self.buckets = int(self.manifest["buckets"])
        self.tables: dict[str, dict | list] = {}  # chunk name (h3, d0…) → its decoded payload, once read

    def apply(self, changes: Sequence[Change]) -> tuple[StoredFiles, Stems] | None:
        kinds = list(self.manifest["kinds"])
        moved: dict[Term, dict[int, int | None]] = {}  # term → number → its new weight (None: gone)
        for change in changes:
            if change.old.path != change.new.path or kinds[change.number] != change.old.kind:
                return None
            old, new = doc_terms(self.code, change.old), doc_terms(self.code, change.new)
            for term in old.keys() | new.keys():
                if old.get(term) != new.get(term):
                    moved.setdefault(term, {})[change.number] = new.get(term)
            self._count_words(_words(change.old), -1)
            self._count_words(_words(change.new), 1)
            kinds[change.number] = change.new.kind
        for term, weights in moved.items():
            if term[0] == HANGUL:
                self._set_hangul(term[1], weights)
        # A stem is written again when its postings or the set of its endings changed (not their counts).
        roots = {term[1] for term in moved if term[0] == OTHER}
        roots |= {root for root, ends in self.stems.items() if ends.keys() != self.old_stems.get(root, {}).keys()}
        for root in roots:
            if not self._set_stem(root, moved.get((OTHER, root), {})):
                return None
        self._documents(changes)
        made = {index_path(self.code, name): encode_file(self.code, name, table) for name, table in self.tables.items()}
        files = with_manifest(self.code, self.files.changed(made), int(self.manifest["docs"]), self.buckets,
                              "".join(kinds))
        stems = dict(self.old_stems)
        for root, ends in self.stems.items():  # only a stem whose pages changed may have lost its last ending
            if ends:
                stems[root] = ends
            else:
                stems.pop(root, None)
        return files, stems

    def _count_words(self, words: set[str], step: int) -> None:
        """Adds `step` pages to the count of each of these words' endings."""
        for word in words:
            if is_hangul(word):
                continue
            root, end = stem_and_ending(word, self.code)
            ends = self.stems.get(root)
            if ends is None:
                ends = self.stems[root] = dict(self.old_stems.get(root, {}))
            left = ends.get(end, 0) + step
            if left < 0:
                raise ValueError("a word no page held")
            if left:
                ends[end] = left
            else:
                del ends[end]

    def _table(self, kind: str, number: int) -> dict | list:
        name = f"{kind}{number}"
        table = self.tables.get(name)
        if table is None:
            table = self.tables[name] = chunks.decode(self.files[index_path(self.code, name)])
            if not isinstance(table, list if kind == "d" else dict):
                raise ValueError("a chunk of the wrong shape")
        return table

    def _bucket(self, kind: str, number: int) -> dict:
        table = self._table(kind, number)
        assert isinstance(table, dict)
        return table

    def _set_hangul(self, term: str, weights: dict[int, int | None]) -> None:
        table = self._bucket(HANGUL, bucket(term, self.buckets))
        listed = _moved(table.get(term, []), weights)
        if listed:
            table[term] = listed
        else:
            table.pop(term, None)

    def _set_stem(self, root: str, weights: dict[int, int | None]) -> bool:
        """The stem's entry in the bucket of each of its forms' first letters, and in no other."""
        old_ends = self.old_stems.get(root, {})
        new_ends = self.stems.get(root, old_ends)
        before, after = stem_buckets(root, old_ends, self.buckets), stem_buckets(root, new_ends, self.buckets)
        listed: list[int] = []
        if before:
            old = self._bucket(OTHER, min(before)).get(root)
            if old is None or old[0] != sorted(old_ends):
                return False
            listed = old[1]
        listed = _moved(listed, weights)
        if bool(listed) != bool(after):  # postings without a word, or a word without postings
            return False
        for number in before - after:
            del self._bucket(OTHER, number)[root]
        ends = sorted(new_ends)
        for number in after:
            self._bucket(OTHER, number)[root] = [ends, listed]
        return True

    def _documents(self, changes: Sequence[Change]) -> None:
        for change in changes:
            chunk, at = divmod(change.number, DOCS_PER_CHUNK)
            entry = change.new
            self._table("d", chunk)[at] = document_row(entry)


def _moved(listed: list[int], weights: dict[int, int | None]) -> list[int]:
    """A postings list ([gap, weight, …], postings.py) with each number's new weight, or without it. A common
    stem's list holds thousands of numbers and an edit moves one: the numbers are summed in C and only the
    gaps beside a changed number are written again. A list of another shape (not integers, numbers out of
    order) is ValueError, or TypeError."""
    if not weights:
        return listed
    gaps, values = listed[0::2], listed[1::2]
    # Integers only (a float makes the sum one, a string or a list makes it TypeError), each number past the last
    if len(gaps) != len(values) or type(sum(listed)) is not int or min(gaps[:1], default=0) < 0 or min(
            gaps[1:], default=1) < 1:
        raise ValueError("a postings list of the wrong shape")
    numbers = list(accumulate(gaps))
    for number, weight in weights.items():
        at = bisect_left(numbers, number)
        if at < len(numbers) and numbers[at] == number:
            if weight is not None:
                values[at] = weight
                continue
            if at + 1 < len(gaps):  # the next number's gap spans the one taken out
                gaps[at + 1] += gaps[at]
            del numbers[at], gaps[at], values[at]
        elif weight is not None:
            if at < len(gaps):
                gaps[at] = numbers[at] - number
            gaps.insert(at, number - (numbers[at - 1] if at else 0))
            numbers.insert(at, number)
            values.insert(at, weight)
    result = [0] * (2 * len(gaps))
    result[0::2], result[1::2] = gaps, values
    return result


def _terms(word: str, code: str) -> list[Term] | tuple[Term, ...]:
    if is_hangul(word):
        return tuple((HANGUL, term) for term in korean_terms(word))
    return [(OTHER, stem_and_ending(word, code)[0])]


def _words(entry: PageEntry) -> set[str]:
    """The distinct words a page holds, in its text or its title."""
    return set(entry.words.split(" ") if entry.words else ()) | set(entry.title_words())
