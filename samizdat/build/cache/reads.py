"""Every distinct read the cached pages made (outputs/reads.py), by number, with the answer it gave.

Pages of one layout make mostly the same reads, so a page's record is a tuple of numbers into this book,
and each build checks each distinct read once, not once per page. Checking is proportional to the
change: a read of a page's field (`("page", path, field)`) answers from that page's source and the
config alone, so it is not even asked again while the source is unchanged (the parse cache says which
are); every other read is answered on the current site and compared.

The invariant that makes this sound: after each build every read in the book holds the answer it has
on that build's site. A read whose answer changed has every page that made it rendered again (which
records the new answer), and reads no kept page made are dropped.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Iterable
from typing import Protocol

from samizdat.build.cache.store import Store
from samizdat.outputs.reads import UNRECORDED, Read
from samizdat.sealed import CacheDamaged


class Answers(Protocol):
    def hash(self, read: Read) -> str: ...


class ReadBook:
    def __init__(self, reads: dict[int, tuple[Read, str]] | None = None) -> None:
        self.reads: dict[int, tuple[Read, str]] = reads or {}  # number → (read, hash of its answer)
        self.numbers = {read: number for number, (read, _) in self.reads.items()}
        self.broken: frozenset[int] = frozenset()  # reads whose answer changed since the book was written
        self._next = max(self.reads, default=0) + 1
        self._dirty: set[int] = set()  # to be written on save
        self._refreshed: set[int] = set()  # answered anew in this build

    @classmethod
    def load(cls, store: Store) -> ReadBook:
        reads = {}
        for number, text, answer in store.rows("SELECT id, read, answer FROM reads"):
            read = decode_read(text)
            if type(number) is not int or read is None or not isinstance(answer, str):
                raise CacheDamaged("a recorded read does not have the shape samizdat writes")
            reads[number] = (read, answer)
        return cls(reads)

    def knows(self, numbers: Iterable[int]) -> bool:
        return all(number in self.reads for number in numbers)

    def check(self, answers: Answers, unchanged: Collection[str]) -> None:
        """Which reads answer differently on this build's site. unchanged: source paths whose page
        is the one the book's answers were taken from."""
        broken = set()
        for number, (read, answer) in self.reads.items():
            if read[0] == "page" and len(read) == 3 and read[1] in unchanged:
                continue
            if read == UNRECORDED or answers.hash(read) != answer:
                broken.add(number)
        self.broken = frozenset(broken)

    def holds(self, numbers: tuple[int, ...]) -> bool:
        return self.broken.isdisjoint(numbers)

    def record(self, reads: Iterable[Read], answers: Answers) -> tuple[int, ...]:
        """A freshly rendered page's reads as numbers, with the answers they gave just now."""
        result = []
        for read in reads:
            number = self.numbers.get(read)
            if number is None:
                number, self._next = self._next, self._next + 1
                self.numbers[read] = number
                self.reads[number] = (read, answers.hash(read))
                self._dirty.add(number)
                self._refreshed.add(number)
            elif number in self.broken and number not in self._refreshed:
                self.reads[number] = (read, answers.hash(read))  # the new answer, for every page that makes it
                self._dirty.add(number)
                self._refreshed.add(number)
            result.append(number)
        return tuple(result)

    def keep(self, used: set[int]) -> None:
        """Drop the reads no kept page made: their answers are not kept up to date."""
        for number in self.reads.keys() - used:
            read, _ = self.reads.pop(number)
            del self.numbers[read]
            self._dirty.add(number)
        self.broken, self._refreshed = frozenset(), set()

    def save(self, db: sqlite3.Connection) -> None:
        for number in sorted(self._dirty):
            entry = self.reads.get(number)
            if entry is None:
                db.execute("DELETE FROM reads WHERE id = ?", (number,))
            else:
                db.execute("INSERT OR REPLACE INTO reads VALUES (?, ?, ?)", (number, encode_read(entry[0]), entry[1]))
        self._dirty = set()


def encode_read(read: Read) -> str:
    return json.dumps(list(read), ensure_ascii=False, separators=(",", ":"))


def decode_read(text: object) -> Read | None:
    """None for anything encode_read cannot have written."""
    if not isinstance(text, str):
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return None
    if not isinstance(value, list) or not value or not all(isinstance(part, str) for part in value):
        return None
    return tuple(value)
