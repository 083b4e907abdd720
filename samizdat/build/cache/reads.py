"""Every distinct read the cached pages made (outputs/reads.py), by number, with the answer it gave.

Pages of one layout make mostly the same reads, so a page's record is a tuple of numbers into this book,
and each build checks each distinct read once, not once per page. Checking is proportional to the
change: a read of a page's field (`("page", path, field)`) answers from that page's source and the
config alone, so it is not even asked again while the source is unchanged (the parse cache says which
are); every other read is answered on the current site and compared.

The invariant that makes this sound: after each build every read in the book holds the answer it has
on that build's site. A read whose answer changed has every page that made it rendered again (which
records the new answer), or, where no page made it again, is dropped. A read no page makes any more
may stay while its answer holds (a build that renders a few pages does not count every page's reads to
find it); a build that renders many drops it (RenderCache.replace_all).

Where the book lives in the store, a build reads only the reads it checks: every read's number and page
when the store opens, then the text and answer of the reads that are not of an unchanged page (at 10,000
pages, the few hundred site-wide reads and those of the edited page, of 20,000). A page rendered anew
that reads a field of an unchanged page looks that read up by its text, so it keeps its number.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Iterable
from typing import Protocol

from samizdat.build.body_only import body_blind
from samizdat.build.cache.store import Store
from samizdat.outputs.reads import UNRECORDED, Read
from samizdat.sealed import CacheDamaged

UNDECODED: Read = ("\0undecoded",)  # not decoded yet; no read has this shape


class Answers(Protocol):
    def hash(self, read: Read) -> str: ...


class ReadBook:
    """Reads are kept as their encoded text (encode_read) and decoded only when asked again: a one-edit
    build decodes the few reads that are not of an unchanged page."""

    def __init__(self, reads: dict[int, tuple[str, str, str | None]] | None = None,
                 unread: dict[int, str | None] | None = None, store: Store | None = None) -> None:
        """reads: those in memory; unread: the number and page column of each read `store` holds that this
        book has not read yet (check() reads those it asks again, record() those a page makes again)."""
        self.reads: dict[int, tuple[str, str, str | None]] = reads or {}  # number → (read, answer, page path)
        self.numbers = {text: number for number, (text, _, _) in self.reads.items()}
        self.broken: frozenset[int] = frozenset()  # reads whose answer changed since the book was written
        self._unread = unread or {}
        self._store = store
        self._unchanged: Collection[str] = frozenset()  # the sources whose reads check() left unread
        self._next = max((*self.reads, *self._unread), default=0) + 1
        self._checked = False  # check() ran since the last keep(): the reads it did not read hold their answers
        self._dirty: set[int] = set()  # to be written on save
        self._refreshed: set[int] = set()  # answered anew in this build
        self._decoded: dict[str, Read | None] = {}  # text → read, for the dev server's next save
        # read → its text: pages of one layout make the same reads, a build encodes each once (61,635
        # reads are 6,110 distinct on a site of 3,000 pages)
        self._encoded: dict[Read, str] = {}

    @classmethod
    def of(cls, reads: dict[int, tuple[Read, str]]) -> ReadBook:
        return cls({number: (encode_read(read), answer, _page_of(read)) for number, (read, answer) in reads.items()})

    @classmethod
    def load(cls, store: Store) -> ReadBook:
        if store.db is None:
            return cls()
        # Each row's shape checked by SQLite in one pass (tens of thousands of rows), then taken as it is.
        wrong = store.rows("SELECT count(*) FROM reads WHERE typeof(id) != 'integer' OR typeof(read) != 'text' "
                           "OR typeof(answer) != 'text' OR typeof(page) NOT IN ('text', 'null')")
        if not wrong or wrong[0][0]:
            raise CacheDamaged("a recorded read does not have the shape samizdat writes")
        return cls({}, dict(store.rows("SELECT id, page FROM reads")), store)  # type: ignore[arg-type]

    def numbers_held(self) -> set[int]:
        """Every read's number, in memory or in the store: what a kept page's reads must be among."""
        return set(self.reads).union(self._unread)

    def _load(self, unchanged: Collection[str]) -> None:
        """The reads check() asks again: all but those of an unchanged page's field."""
        self._unchanged = unchanged
        unread = self._unread
        if not unread or self._store is None:
            return
        wanted = [number for number, page in unread.items() if page is None or page not in unchanged]
        if 2 * len(wanted) > len(unread):
            rows = self._store.rows("SELECT id, read, answer, page FROM reads")
        else:
            rows = self._store.rows_in("SELECT id, read, answer, page FROM reads WHERE id IN ({})", wanted)
        for number, text, answer, page in rows:
            if number in unread:  # not one in memory already: what this process answered since is newer
                del unread[number]
                self._take(number, text, answer, page)  # type: ignore[arg-type]

    def _take(self, number: int, text: str, answer: str, page: str | None) -> None:
        self.reads[number] = (text, answer, page)
        self.numbers[text] = number

    def _look_up(self, reads: tuple[Read, ...]) -> None:
        """The numbers of reads the store holds but this book has not read: a page rendered anew that
        reads an unchanged page's field makes a read that is there already, under its number (a second
        number for the same text would take the first one's row, which other pages name). Only such a read
        can be there unread: check() read every other."""
        unread = self._unread
        if self._store is None:
            return
        texts = {text: read for read in reads
                 if _page_of(read) in self._unchanged and (text := self._text(read)) not in self.numbers}
        for number, text, answer, page in self._store.rows_in(
                "SELECT id, read, answer, page FROM reads WHERE read IN ({})", list(texts)):
            if (not isinstance(text, str) or text not in texts or _page_of(texts[text]) != page
                    or number not in unread or unread[number] != page or not isinstance(answer, str)):
                raise CacheDamaged("a recorded read does not have the shape samizdat writes")
            del unread[number]
            self._take(number, text, answer, page)  # type: ignore[arg-type]

    def _text(self, read: Read) -> str:
        text = self._encoded.get(read)
        if text is None:
            text = self._encoded[read] = encode_read(read)
        return text

    def check(self, answers: Answers, unchanged: Collection[str], bodies_only: bool = False) -> None:
        """Which reads answer differently on this build's site. unchanged: source paths whose page
        is the one the book's answers were taken from. bodies_only: this build's site differs from the
        last one's in the bodies of pages alone (build/body_only.py), so reads of listings and tags answer
        as they did."""
        self._load(unchanged)
        self._checked = True
        broken = set()
        for number, (text, answer, page) in self.reads.items():
            if page is not None and page in unchanged:
                continue
            read = self._decoded.get(text, UNDECODED)
            if read is UNDECODED:
                read = self._decoded[text] = decode_read(text)
            if read is None or read == UNRECORDED or _page_of(read) != page:
                broken.add(number)  # nothing this version records: never taken as it is
            elif not (bodies_only and body_blind(read)) and answers.hash(read) != answer:
                broken.add(number)
        self.broken = frozenset(broken)

    def holds(self, numbers: tuple[int, ...]) -> bool:
        return self.broken.isdisjoint(numbers)

    def record(self, reads: Iterable[Read], answers: Answers) -> tuple[int, ...]:
        """A freshly rendered page's reads as numbers, with the answers they gave just now."""
        if self._unread and not self._checked:
            self._load(())  # a read not in memory holds its answer only once check() has read the others
        reads = tuple(reads)
        if self._unread:
            self._look_up(reads)
        result = []
        for read in reads:
            text = self._encoded.get(read)  # _text(), inline: a cold build records 60,000 reads at 3,000 pages
            if text is None:
                text = self._encoded[read] = encode_read(read)
            number = self.numbers.get(text)
            if number is None:
                number, self._next = self._next, self._next + 1
                self.numbers[text] = number
            if number not in self._refreshed and (number in self.broken or number not in self.reads):
                # a new read, or one whose answer changed: the answer it gives now, for every page that makes it
                self.reads[number] = (text, answers.hash(read), _page_of(read))
                self._dirty.add(number)
                self._refreshed.add(number)
            result.append(number)
        return tuple(result)

    def drop_broken(self) -> None:
        """Drop the reads whose answer changed that no page made again in this build: no page the build keeps
        makes one (it would have been rendered anew, and recorded the new answer). Every read that stays
        holds its answer on this build's site, which is all the book promises: a read no page makes any
        more is harmless until a page makes it again, and then it answers as it should."""
        self._drop(self.broken - self._refreshed)

    def keep(self, used: Collection[int]) -> None:
        """Drop the reads no kept page made: their answers are not kept up to date."""
        self._drop((self.reads.keys() | self._unread.keys()).difference(used))

    def _drop(self, numbers: Iterable[int]) -> None:
        for number in numbers:
            entry = self.reads.pop(number, None)
            if entry is not None:
                del self.numbers[entry[0]]
                self._decoded.pop(entry[0], None)
            self._unread.pop(number, None)
            self._dirty.add(number)
        self.broken, self._refreshed, self._encoded, self._checked = frozenset(), set(), {}, False

    def save(self, db: sqlite3.Connection) -> None:
        for number in sorted(self._dirty):
            entry = self.reads.get(number)
            if entry is None:
                db.execute("DELETE FROM reads WHERE id = ?", (number,))
            else:
                db.execute("INSERT OR REPLACE INTO reads VALUES (?, ?, ?, ?)", (number, *entry))
        self._dirty = set()


def _page_of(read: Read) -> str | None:
    """The source path of a read of one page's field: its answer follows from that source alone."""
    return read[1] if len(read) == 3 and read[0] == "page" else None


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
