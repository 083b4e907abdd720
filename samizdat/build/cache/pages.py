"""Rendered pages kept between builds, keyed by their signatures (signatures.py) and the reads they made.

On disk they are rows of the store's `pages` table (store.py), written only for the pages rendered
anew and removed for pages that are gone; the dev server keeps the same objects in memory.
"""

from __future__ import annotations

import json
import sqlite3
from array import array
from dataclasses import dataclass, field

from samizdat.build.cache.reads import ReadBook
from samizdat.build.cache.store import Store, gc_paused
from samizdat.sealed import CacheDamaged


@dataclass(frozen=True)
class FinalPage:
    """A rendered page as the cache keeps it: its links already cleaned and hardened."""

    html: bytes
    content: str  # the body HTML, kept for listed pages (feeds and calendars carry it)
    scripts: tuple[str, ...]  # hashes of the page's inline scripts, for the security policy
    reads: tuple[int, ...] = ()  # what it read while rendering, as numbers in the ReadBook
    search: str = ""  # what the search index takes of it, as JSON (search/entry.py); "" when not searchable


@dataclass
class RenderCache:
    store: Store
    book: ReadBook = field(default_factory=ReadBook)
    entries: dict[str, tuple[str, FinalPage]] = field(default_factory=dict)  # output path → (signature, page)
    dirty: set[str] = field(default_factory=set)  # output paths whose row must be written or removed
    # Output path → (page object, site-wide inputs…, signature); lives as long as this object (see render_stage).
    signature_memo: dict[str, tuple[object, ...]] = field(default_factory=dict)

    @classmethod
    def open(cls, store: Store) -> RenderCache:
        try:
            book = ReadBook.load(store)
            rows = store.rows("SELECT output, signature, scripts, reads, html, content, search FROM pages")
            with gc_paused():
                entries = {str(row[0]): _unpack(row, book) for row in rows}
        except CacheDamaged as exc:
            store.discard(exc)
            book, entries = ReadBook(), {}
        return cls(store, book, entries)

    def get(self, output_path: str, signature: str) -> FinalPage | None:
        entry = self.entries.get(output_path)
        if entry is None or entry[0] != signature:
            return None
        return entry[1]

    def replace_all(self, entries: dict[str, tuple[str, FinalPage]]) -> None:
        """What this build rendered: entries of pages that are gone are dropped with it, and so are
        reads no page made any more."""
        self.dirty |= {key for key in entries.keys() | self.entries.keys()
                       if key not in entries or key not in self.entries or entries[key][1] is not self.entries[key][1]}
        self.entries = entries
        self.book.keep({number for _, page in entries.values() for number in page.reads})

    def save(self, db: sqlite3.Connection) -> None:
        """The changed rows, in the caller's transaction."""
        for path in sorted(self.dirty):
            entry = self.entries.get(path)
            if entry is None:
                db.execute("DELETE FROM pages WHERE output = ?", (path,))
                continue
            signature, page = entry
            db.execute("INSERT OR REPLACE INTO pages VALUES (?, ?, ?, ?, ?, ?, ?)",
                       (path, signature, json.dumps(page.scripts), array("q", page.reads).tobytes(), page.html,
                        page.content.encode("utf-8"), page.search))
        self.book.save(db)
        self.dirty = set()


def _unpack(row: tuple[object, ...], book: ReadBook) -> tuple[str, FinalPage]:
    """The row as save() wrote it; CacheDamaged for anything save() cannot have written."""
    _, signature, scripts_text, reads, html, content, search = row
    try:
        if not (isinstance(signature, str) and isinstance(scripts_text, str) and isinstance(reads, bytes)
                and isinstance(html, bytes) and isinstance(content, bytes) and isinstance(search, str)):
            raise ValueError("a column of the wrong type")
        scripts = json.loads(scripts_text)
        if not (isinstance(scripts, list) and all(isinstance(script, str) for script in scripts)):
            raise ValueError("scripts of the wrong type")
        numbers = tuple(array("q", reads))
        if not book.knows(numbers):
            raise ValueError("a read that is not in the book")
        return signature, FinalPage(html, content.decode("utf-8"), tuple(scripts), numbers, search)
    except (ValueError, UnicodeDecodeError) as exc:
        raise CacheDamaged(f"a rendered page does not have the shape samizdat writes ({exc})") from exc
