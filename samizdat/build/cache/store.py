"""The one file all build state lives in: an SQLite database in the user's cache folder, one per site.

Why there and not in the site folder: a site folder comes from strangers (a pull request, a ZIP), and
so would anything kept in it. A database file is a complex format to hand to a parser; SQLite's own
advice for untrusted files (`PRAGMA quick_check` before use) reads the whole file, which is the work a
cache is there to save, and sealing each row with an HMAC would cost a hash of every row read. Kept
beside the HMAC key (`sealed.key_path()`), in a folder only this user can read, the store is as
trustworthy as the key itself: nothing a site brings along is ever opened, so nothing planted in a
site's `.samizdat-cache/` can reach the output. Rows still hold plain values only (text, numbers, byte
strings; never pickle) and every row is checked for its shape when read: a damaged file is thrown away
with one note and the build is a cold one.

The file is named by the site folder's resolved path, so a site moved elsewhere starts cold; a different
site unpacked at the same path finds rows it cannot use, as every row is valid only for the content
hashes it was made from.
"""

from __future__ import annotations

import _thread
import os
import sqlite3
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path

from samizdat.engine import engine_id
from samizdat.sealed import CacheDamaged, site_cache

_AT_ONCE = 500  # values named in one query (Store.rows_in)
FORMAT = 10  # raise when a table changes shape: an older file is emptied, not misread
# A row's columns are stored in this order, and a large value spills onto a chain of pages that must be
# walked to reach what follows it: the small columns a build reads of every page come first.
SCHEMA = """
CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE sources (path TEXT PRIMARY KEY, config TEXT NOT NULL, fields BLOB NOT NULL);
CREATE TABLE pages (output TEXT PRIMARY KEY, signature TEXT NOT NULL, scripts TEXT NOT NULL, reads BLOB NOT NULL,
                    digest TEXT NOT NULL, policy TEXT NOT NULL, media INTEGER NOT NULL, content_hash BLOB NOT NULL,
                    search_hash BLOB NOT NULL, search TEXT NOT NULL, content BLOB NOT NULL, html BLOB NOT NULL);
CREATE TABLE reads (id INTEGER PRIMARY KEY, read TEXT NOT NULL UNIQUE, answer TEXT NOT NULL, page TEXT);
CREATE TABLE generated (output TEXT PRIMARY KEY, inputs TEXT NOT NULL, digest TEXT NOT NULL, data BLOB NOT NULL);
CREATE TABLE record (id INTEGER PRIMARY KEY CHECK (id = 1), value TEXT NOT NULL);
CREATE TABLE templates (key TEXT PRIMARY KEY, code TEXT NOT NULL);
"""


def store_path(site_root: Path) -> Path:
    """$XDG_CACHE_HOME/samizdat/sites/<sha256 of the site's path>.sqlite3, beside the key."""
    return site_cache(site_root, ".sqlite3")


class Store:
    """One site's database; `None` connection: nothing is kept on disk (the dev server, checks, tests)."""

    def __init__(self, connection: sqlite3.Connection | None, path: Path | None = None) -> None:
        self.db, self.path = connection, path
        self._reading = _thread.allocate_lock()  # a kept page's bytes are read on the writer's threads (publication.py)
        self.generation = 0  # raised when the file is emptied: rows read before are not there to read again
        self._open = False  # a build's transaction is open (begin): its rows are filed as they are made
        self.failed_write = False  # a write to the file failed once: this process files nothing early again
        self._owner = os.getpid()

    @classmethod
    def open(cls, site_root: Path) -> Store:
        path = store_path(site_root)
        try:
            return cls(_connect(path), path)
        except OSError as exc:  # the user's cache folder cannot be written: build, keeping nothing
            print(f"note: no build cache ({exc.strerror}: {exc.filename}); every build is a cold one",
                  file=sys.stderr)
            return cls(None)
        except (sqlite3.Error, CacheDamaged) as exc:
            _remove(path)
            note(path, exc)
            try:
                return cls(_connect(path), path)
            except (sqlite3.Error, CacheDamaged, OSError):
                return cls(None)  # no store this time: a cold build that keeps nothing

    def _in_owner(self) -> None:
        """A connection must not cross a fork (SQLite's rule): a worker that reached it would read pages the
        main process is changing in its open transaction, and, told the file was damaged, remove it."""
        if os.getpid() != self._owner:
            raise RuntimeError("the build store was used from a forked worker: what workers need must be read "
                               "before they start, or from elsewhere (the source files: cache/sources.py)")

    def rows(self, sql: str, parameters: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
        if self.db is None:
            return []
        self._in_owner()
        try:
            with self._reading:
                return self.db.execute(sql, parameters).fetchall()
        except sqlite3.Error as exc:
            raise CacheDamaged(f"the build cache cannot be read ({exc})") from exc

    def rows_in(self, sql: str, values: Sequence[object]) -> list[tuple[object, ...]]:
        """rows() of a query that names many values in `IN ({})`, a few hundred to a query: SQLite allows
        a few hundred parameters everywhere."""
        found: list[tuple[object, ...]] = []
        for start in range(0, len(values), _AT_ONCE):
            part = tuple(values[start: start + _AT_ONCE])
            found += self.rows(sql.format(", ".join("?" * len(part))), part)
        return found

    def begin(self) -> bool:
        """Open the transaction a build files its rows in as it makes them (a rendered page's bytes go to
        the disk, not to the memory of the process); the next `writing()` commits them with the rest, once
        the new site is published. Closed without it, or by a crash, they are gone: the store never runs
        ahead of the output. False where nothing can be filed early."""
        if self.db is None or self.failed_write:
            return False
        self._in_owner()
        if not self._open:
            self.db.execute("BEGIN IMMEDIATE")
            self._open = True
        return True

    def file(self, sql: str, parameters: tuple[object, ...]) -> int:
        """One row into the transaction `begin` opened, and its number; CacheDamaged if the file cannot
        take it."""
        assert self.db is not None and self._open
        self._in_owner()
        try:
            with self._reading:
                return self.db.execute(sql, parameters).lastrowid or 0
        except sqlite3.Error as exc:
            self.failed_write = True
            raise CacheDamaged(f"the build cache cannot be written ({exc})") from exc

    @contextmanager
    def writing(self) -> Iterator[sqlite3.Connection | None]:
        """One transaction: all of a build's changes land together or not at all (with the rows filed
        since `begin`, if it was called)."""
        if self.db is None:
            yield None
            return
        self._in_owner()
        begun, self._open = self._open, False
        with _transaction(self.db, begun):
            yield self.db

    def discard(self, problem: Exception) -> None:
        """Empty the store after a row samizdat cannot have written: the build goes on cold."""
        self._in_owner()
        self.generation += 1
        self._open = False  # closing the connection rolls back what was filed early
        if self.db is not None and self.path is not None:
            self.db.close()
            _remove(self.path)
            note(self.path, problem)
            try:
                self.db = _connect(self.path)
            except (sqlite3.Error, CacheDamaged, OSError):
                self.db = None

    def close(self) -> None:
        """What was filed since `begin` and not committed is rolled back with the connection."""
        if self.db is not None:
            self.db.close()
            self.db = None
            self._open = False


def _connect(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))  # the user's only, like the key
    db = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
    try:
        # A rollback journal: a crash mid-save, or a power cut with FULL, leaves the last good state. Not a
        # write-ahead log, which writes every row twice (into the log, then into the file when it is
        # checkpointed): a cold build saves tens of megabytes at once, and that second write and its
        # flush were most of its save.
        db.execute("PRAGMA journal_mode=DELETE")
        db.execute("PRAGMA synchronous=FULL")
        db.execute("PRAGMA trusted_schema=OFF")
        version = f"{engine_id()}.{FORMAT}"
        tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        found = db.execute("SELECT value FROM meta WHERE name = 'format'").fetchone() if "meta" in tables else None
        if found is None or found[0] != version:
            _reset(db, tables, version)
    except sqlite3.Error:
        db.close()
        raise
    return db


@contextmanager
def _transaction(db: sqlite3.Connection, begun: bool = False) -> Iterator[None]:
    """begun: the transaction is open already (Store.begin), and ends here."""
    if not begun:
        db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def _reset(db: sqlite3.Connection, tables: set[str], version: str) -> None:
    """Another version's file (or a new one): its rows mean something else, so start empty."""
    with _transaction(db):
        for table in tables:
            if not table.startswith("sqlite_"):
                db.execute(f'DROP TABLE "{table}"')
        execute_script(db, SCHEMA)
        db.execute("INSERT INTO meta VALUES ('format', ?)", (version,))


def execute_script(db: sqlite3.Connection, script: str) -> None:
    """Each statement of the script in the caller's transaction: `executescript` would first commit what a
    build filed since Store.begin."""
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        with suppress(OSError):  # what cannot be removed is emptied by _reset on the next open, or not used
            Path(f"{path}{suffix}").unlink(missing_ok=True)


def note(path: Path, problem: Exception) -> None:
    print(f"note: the build cache {path} was thrown away ({problem}); building from scratch", file=sys.stderr)
