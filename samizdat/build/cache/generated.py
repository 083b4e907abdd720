"""Generated files (feeds) kept between builds with a hash of everything they were made from.

A feed lists a few pages; a one-edit build changes at most the feeds that list the edited page. Each
feed's inputs (the listed pages' fields and body HTML, the config, the build's day, its title) are hashed
by its maker (outputs/syndication.py), which is cheap beside summarising the entries and serialising
the XML; a feed whose hash is the one kept here is taken as it is. On disk the store's `generated`
table (store.py), one row a file under the hash of its inputs and the sha256 of its bytes, written only for
files made anew. A build reads a kept file's bytes only when it must: publication reads the few the live
output lacks (stored_files.py). The dev server keeps the files in memory.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

import orjson

from samizdat.build.cache.store import Store
from samizdat.sealed import CacheDamaged
from samizdat.stored_files import checked


class _Entry(NamedTuple):
    inputs: str  # the hash of what the file was made from
    digest: str  # the sha256 of its bytes, as hex
    data: bytes | None  # None: in the store, read when asked for


@dataclass
class GeneratedCache:
    store: Store
    entries: dict[str, _Entry] = field(default_factory=dict)  # by output path
    used: set[str] = field(default_factory=set)  # asked for in this build: the rest are gone on save
    dirty: set[str] = field(default_factory=set)  # rows to write on save
    made: set[str] = field(default_factory=set)  # files put since the last save (filed at once or kept to write)
    # Output path → the last table of inputs handed to inputs_of, with its hash: in memory only (the dev server)
    tables: dict[str, tuple[tuple[object, ...], str]] = field(default_factory=dict)

    @classmethod
    def open(cls, store: Store) -> GeneratedCache:
        try:
            entries: dict[str, _Entry] = {}
            # typeof() is read from the row's header: a file's bytes (a language's search files are megabytes)
            # are read only when a build asks for the file with the inputs it was made from
            for path, inputs, digest, kind in store.rows("SELECT output, inputs, digest, typeof(data) FROM generated"):
                if not (isinstance(path, str) and isinstance(inputs, str) and isinstance(digest, str)
                        and kind == "blob"):
                    raise CacheDamaged("a generated file does not have the shape samizdat writes")
                entries[path] = _Entry(inputs, digest, None)
        except CacheDamaged as exc:
            store.discard(exc)
            entries = {}
        return cls(store, entries)

    def get(self, path: str, inputs: str) -> bytes | None:
        self.used.add(path)
        entry = self.entries.get(path)
        if entry is None or entry.inputs != inputs:
            return None
        if entry.data is None:
            data = checked(path, self._fetch(path, entry.digest), entry.digest)
            entry = self.entries[path] = entry._replace(data=data)
        return entry.data

    def holds(self, path: str, inputs: str) -> bool:
        """Whether a file made from `inputs` is kept under `path`, without reading it; kept for the next
        build if so (a language's index files: stored_files.py)."""
        entry = self.entries.get(path)
        if entry is None or entry.inputs != inputs:
            return False
        self.used.add(path)
        return True

    def filed(self, path: str, inputs: str) -> str | None:
        """The sha256 of a file made from `inputs` that the store keeps under `path` and this process does not
        hold, without reading it (`read` reads it when asked for); kept for the next build if so. None where
        the file is not kept, or is held in memory (`get` answers it)."""
        entry = self.entries.get(path)
        if entry is None or entry.inputs != inputs or entry.data is not None:
            return None
        self.used.add(path)
        return entry.digest

    def read(self, path: str, digest: str) -> bytes:
        """The file of these bytes' sha256 kept under `path`, read from the store each time it is asked for and
        not kept in memory (the writer's threads read them: Store.rows takes its lock). The caller checks the
        bytes against the hash (stored_files.py: StoredFiles, checked)."""
        entry = self.entries.get(path)
        if entry is not None and entry.digest == digest and entry.data is not None:
            return entry.data
        return self._fetch(path, digest)

    def _fetch(self, path: str, digest: str) -> bytes:
        rows = self.store.rows("SELECT data FROM generated WHERE output = ? AND digest = ?", (path, digest))
        if not rows or not isinstance(rows[0][0], bytes):
            raise CacheDamaged("a generated file went missing from the build cache")
        return rows[0][0]

    def latest(self, path: str) -> tuple[str, bytes] | None:
        """The file kept under `path` whatever its inputs, with them (a language's index refiles from its last)."""
        entry = self.entries.get(path)
        if entry is None:
            return None
        data = self.get(path, entry.inputs)
        return None if data is None else (entry.inputs, data)

    def inputs_of(self, path: str, table: tuple[object, ...], hashed: Callable[[tuple[object, ...]], str]) -> str:
        """hashed(table), unless the table is equal to the last one given for `path`: a save of the dev server
        compares the sitemap's 10,000 entries with the last save's, a tenth of the work of hashing them again."""
        known = self.tables.get(path)
        if known is None or known[0] != table:
            known = self.tables[path] = (table, hashed(table))
        return known[1]

    def put(self, path: str, inputs: str, data: bytes, digest: str | None = None) -> str | None:
        """Filed in the store's open transaction at once (Store.begin), where there is a store: a language's
        packed search files are megabytes that the build need not hold until it saves. digest: the sha256 of
        `data`, where the caller has it. Returns it when the file was filed (the caller need not hold the
        bytes: `read` reads them again), None when it is held here until the save."""
        self.used.add(path)
        self.made.add(path)
        digest = digest or hashlib.sha256(data).hexdigest()
        if self.store.begin():
            self.store.file(_INSERT, (path, inputs, digest, data))
            self.entries[path] = _Entry(inputs, digest, None)
            self.dirty.discard(path)
            return digest
        self.entries[path] = _Entry(inputs, digest, data)
        self.dirty.add(path)
        return None

    def settle(self) -> None:
        """The build is over: files it did not ask for are gone from the site, and from here."""
        for gone in self.entries.keys() - self.used:
            del self.entries[gone]
            self.dirty.add(gone)
        self.used = set()

    def save(self, db: sqlite3.Connection) -> None:
        for path in sorted(self.dirty):
            entry = self.entries.get(path)
            if entry is None:
                db.execute("DELETE FROM generated WHERE output = ?", (path,))
            elif entry.data is not None:  # (a row put by this build always holds its bytes)
                db.execute(_INSERT, (path, *entry))
        self.dirty, self.made = set(), set()


_INSERT = "INSERT OR REPLACE INTO generated VALUES (?, ?, ?, ?)"


class FiledPasses:
    """The list of outputs that last passed one clash check (outputs/claims.py: Passed), kept in the store as the
    hash of the list, in an empty row of its own: the check of 12,000 outputs was a tenth of a second of every
    one-edit build at 10,002 files, for a list that an edit of a page's body leaves as it was."""

    def __init__(self, generated: GeneratedCache, name: str) -> None:
        self.generated, self.key = generated, f"claims-passed:{name}"
        generated.used.add(self.key)  # kept for the next build whatever this one's list (settle)
        self._last: tuple[tuple[str, ...], str] | None = None  # a list asked about, then added: hashed once

    def __contains__(self, outputs: object) -> bool:
        return isinstance(outputs, tuple) and self.generated.holds(self.key, self._hash(outputs))

    def add(self, outputs: tuple[str, ...]) -> None:
        self.generated.put(self.key, self._hash(outputs), b"")

    def _hash(self, outputs: tuple[str, ...]) -> str:
        if self._last is None or self._last[0] is not outputs:
            # a JSON array: no two lists make the same text
            self._last = (outputs, hashlib.sha256(orjson.dumps(outputs)).hexdigest())
        return self._last[1]
