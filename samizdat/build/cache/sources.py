"""Parsed pages kept between builds, so an unchanged file is not parsed again.

A file counts as unchanged while its size, modification time, change time and inode are those seen
when it was parsed (as git's index does): `touch -d` or an editor can put an old modification time
back, but no program can set the change time or the inode, so an edit is always seen. When they
differ (a fresh clone, a copy), the file's bytes are hashed, and a file whose bytes are the same is
not parsed again. Kept in the store's `sources` table (store.py), one row a file, written only for the
files that changed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import orjson

from samizdat.build.body_only import LastLoad
from samizdat.build.cache.store import Store
from samizdat.build.plain import NotPlain, from_plain, to_plain
from samizdat.collector import gc_paused
from samizdat.config import CONFIG_NAME, SiteConfig
from samizdat.content.frontmatter import FrontMatter
from samizdat.content.pages import Page, make_page
from samizdat.content.placeholders import find_placeholders
from samizdat.content.sources import SourceRef, read_plain
from samizdat.content.translation_status import KeptRows
from samizdat.errors import ContentError, SamizdatError, raise_all
from samizdat.sealed import CacheDamaged


@dataclass(frozen=True)
class Parsed:
    page: Page
    placeholders: tuple[tuple[int, str], ...]  # (line, mark) left from scaffolding
    # sha256 of the source file's bytes, which decide the whole page with the config: a page's signature
    # hashes this instead of its text again. Empty for the pages the build makes (news, tag pages).
    digest: str = ""
    paragraphs: str = ""  # translation_status.body_hash of the body, which translations record


Stat = tuple[int, int, int, int]  # size, modification time, change time (ns), inode


@dataclass(frozen=True)
class Known:
    """What was parsed from one file, and how to tell that the file is still the same."""

    stat: Stat  # when these four are unchanged the file is not even read: no program can set back the last two
    digest: str  # sha256 of the bytes: a file whose stat changed but not its bytes (a fresh clone) is not parsed
    parsed: Parsed


@dataclass
class ParseCache:
    store: Store
    config_digest: str = ""  # of samizdat.toml and the drafts option: pages hold the config's Language objects
    entries: dict[str, Known] = field(default_factory=dict)  # path → what was parsed from it
    dirty: set[str] = field(default_factory=set)  # paths whose row must be written (or removed) on save
    # Paths whose page is not the one the render cache last saw (new, edited, gone): settle() empties it.
    pending: set[str] = field(default_factory=set)
    # The last translation status, by key, for the next one (a process's memory only: the dev server's)
    status_rows: KeptRows = field(default_factory=dict)
    last_load: LastLoad | None = None  # what the last build made of the pages (build/body_only.py)

    @classmethod
    def open(cls, store: Store, config: SiteConfig, drafts: bool = False) -> ParseCache:
        digest = config_digest(config, drafts)
        try:
            # typeof() is read from the row's header: the bodies are read when a stage asks for one (_Body)
            rows = store.rows("SELECT path, stat, digest, fields, typeof(body) FROM sources WHERE config = ?",
                              (digest,))
            with gc_paused():
                entries = {str(row[0]): _unpack(row, config, store) for row in rows}
        except CacheDamaged as exc:
            store.discard(exc)
            entries = {}
        return cls(store, digest, entries)

    @property
    def unchanged(self) -> frozenset[str]:
        """Paths whose page is, field for field, the one the last settled build rendered from."""
        return frozenset(self.entries.keys() - self.pending)

    def settle(self) -> None:
        """The render cache now holds what this build's pages gave: nothing is pending any more."""
        self.pending = set()

    def parse_all(self, refs: list[SourceRef], config: SiteConfig) -> list[Parsed]:
        fresh: dict[str, Known] = {}
        errors: list[SamizdatError] = []
        for ref in refs:
            key = ref.path_text
            try:
                fresh[key] = self._known(key, ref, config)
            except ContentError as exc:  # every file's mistake, told together (errors.raise_all)
                errors.append(exc)
        raise_all(errors)
        gone = self.entries.keys() - fresh.keys()
        self.dirty |= gone
        self.pending |= gone
        self.entries = fresh
        return [known.parsed for known in fresh.values()]

    def _known(self, key: str, ref: SourceRef, config: SiteConfig) -> Known:
        if ref.inode:  # discovery's stat of the file
            stat = (ref.size, ref.mtime_ns, ref.ctime_ns, ref.inode)
        else:
            info = os.stat(ref.path)
            stat = (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)
        known = self.entries.get(key)
        if known is not None and known.stat == stat:
            page = known.parsed.page
            if isinstance(page, _StoredPage) and "path" not in page.__dict__:
                object.__setattr__(page, "path", ref.path)  # the same file: `key` is this path's text
            return known
        self.dirty.add(key)
        data = read_plain(ref.path)
        digest = hashlib.sha256(data).hexdigest()
        if known is not None and known.digest == digest:
            return replace(known, stat=stat)
        self.pending.add(key)
        source = ref.read(data)  # the bytes just hashed: the digest names exactly the page parsed
        page = make_page(source, config)
        return Known(stat, digest, Parsed(page, tuple(find_placeholders(source.text)), digest))

    def paragraphs(self) -> Paragraphs:
        """Source path → body_hash of its page, as far as an earlier build worked it out."""
        return Paragraphs(self.entries)

    def keep_paragraphs(self, hashes: Paragraphs) -> None:
        """The body hashes the translation status worked out, kept in the sources' rows for the next build."""
        for path, found in hashes.found.items():
            key = path.as_posix()
            known = self.entries.get(key)
            if known is not None and found != known.parsed.paragraphs:
                self.entries[key] = replace(known, parsed=replace(known.parsed, paragraphs=found))
                self.dirty.add(key)

    def save(self, db: sqlite3.Connection) -> None:
        """The changed rows, in the caller's transaction."""
        db.execute("DELETE FROM sources WHERE config != ?", (self.config_digest,))
        for key in sorted(self.dirty):
            known = self.entries.get(key)
            packed = None
            if known is not None:
                try:
                    packed = _pack(known.parsed)
                except (NotPlain, RecursionError):  # front matter JSON cannot carry exactly: parsed again next time
                    packed = None
            if packed is None:
                db.execute("DELETE FROM sources WHERE path = ?", (key,))
                continue
            assert known is not None
            fields, body = packed
            if body is None:  # a body never read: the row keeps the one it holds (the same digest)
                db.execute("UPDATE sources SET stat = ?, fields = ? WHERE path = ?",
                           (json.dumps(known.stat), fields, key))
                continue
            db.execute("INSERT OR REPLACE INTO sources VALUES (?, ?, ?, ?, ?, ?)",
                       (key, self.config_digest, json.dumps(known.stat), known.digest, fields, body))
        self.dirty = set()


class Paragraphs:
    """Source path → body_hash of its page (translation_status.BodyHashes): what earlier builds worked out,
    read from the parsed pages one path at a time, and what this build adds (`found`, for their rows). A
    dict of every page was made, and walked again, on every save of the dev server."""

    def __init__(self, entries: dict[str, Known]) -> None:
        self._entries = entries
        self.found: dict[Path, str] = {}

    def get(self, path: Path) -> str | None:
        found = self.found.get(path)
        if found is not None:
            return found
        known = self._entries.get(path.as_posix())  # the key each page is kept under (SourceRef.path_text)
        if known is None:
            return None
        return known.parsed.paragraphs or None  # "": not worked out yet

    def __setitem__(self, path: Path, body_hash: str) -> None:
        self.found[path] = body_hash


def config_digest(config: SiteConfig, drafts: bool) -> str:
    """A changed samizdat.toml or drafts option starts afresh: pages hold the config's Language objects, and
    whether drafts are built decides which pages exist."""
    text = (config.root / CONFIG_NAME).read_bytes() + (b"\0drafts" if drafts else b"")
    return hashlib.sha256(text).hexdigest()


def _pack(parsed: Parsed) -> tuple[str, bytes | None]:
    """The row's fields and body; None for a body still in the store (_StoredPage), unread."""
    page, fm = parsed.page, parsed.page.front_matter
    fields = [str(page.path), page.language.code, page.key, page.title, page.layout, page.url,
              page.output_path, page.body_line, to_plain(fm.data), list(fm.lines), to_plain(page.date),
              page.description, [list(mark) for mark in parsed.placeholders], parsed.paragraphs]
    unread = isinstance(page, _StoredPage) and "body" not in page.__dict__
    return (json.dumps(fields, ensure_ascii=False, allow_nan=False),
            None if unread else page.body.encode("utf-8"))


class _Body:
    """A page's body, read from the store the first time it is asked for, then kept by the page itself
    (a value in the instance's own dictionary wins over this class attribute)."""

    def __get__(self, page: object, owner: type | None = None) -> str:
        if page is None:
            return self  # type: ignore[return-value]
        reader: _BodyReader = page.__dict__["_reader"]
        body = reader.read()
        object.__setattr__(page, "body", body)
        return body


class _BodyReader:
    __slots__ = ("path", "store")

    def __init__(self, store: Store, path: str) -> None:
        self.store, self.path = store, path

    def read(self) -> str:
        rows = self.store.rows("SELECT body FROM sources WHERE path = ?", (self.path,))
        return _body_text(rows[0][0] if rows else None)


def _body_text(stored: object) -> str:
    try:
        if not isinstance(stored, bytes):
            raise ValueError("no body")
        return str(stored, "utf-8")
    except (ValueError, UnicodeDecodeError) as exc:
        raise CacheDamaged(f"a parsed page does not have the shape samizdat writes ({exc})") from exc


BODIES_AT_ONCE = 500  # paths in one query: SQLite takes up to 32,766 parameters


def read_bodies(pages: list[Page]) -> None:
    """The bodies of the pages kept in the store that are still unread, read now, a few hundred to a query.
    For the pages that forked workers will render: a worker must never use the store's connection, which
    the main process holds a transaction open on (SQLite's own rule: a connection does not cross a fork)."""
    unread: dict[str, list[Any]] = {}
    stores: dict[str, Store] = {}
    for page in pages:
        if isinstance(page, _StoredPage) and "body" not in page.__dict__:
            reader: _BodyReader = page.__dict__["_reader"]
            unread.setdefault(reader.path, []).append(page)
            stores[reader.path] = reader.store
    paths = list(unread)
    for start in range(0, len(paths), BODIES_AT_ONCE):
        part = paths[start: start + BODIES_AT_ONCE]
        store = stores[part[0]]  # one store: the pages of one build
        marks = ", ".join("?" * len(part))
        found = dict(store.rows(f"SELECT path, body FROM sources WHERE path IN ({marks})", tuple(part)))
        for path in part:
            body = _body_text(found.get(path))
            for page in unread[path]:
                object.__setattr__(page, "body", body)
                if "body" not in page.front_matter.__dict__:
                    object.__setattr__(page.front_matter, "body", body)


class _Path:
    """A stored page's path, made from its text the first time it is asked for; a build that finds the
    file unchanged hands over the `Path` discovery made of it (ParseCache._known), so that 10,000 paths
    are not parsed twice."""

    def __get__(self, page: object, owner: type | None = None) -> Path:
        if page is None:
            return self  # type: ignore[return-value]
        path = Path(page.__dict__["_path_text"])
        object.__setattr__(page, "path", path)
        return path


class _StoredPage(Page):
    """A page parsed by an earlier build: the same fields, its body read from the store when first asked for
    (a one-edit build renders a few pages; the rest of the bodies stay on disk)."""

    body = _Body()  # type: ignore[assignment]
    path = _Path()  # type: ignore[assignment]


class _StoredFrontMatter(FrontMatter):
    body = _Body()  # type: ignore[assignment]


def _stored(cls: type, reader: _BodyReader, **fields: object) -> Any:
    """An instance of the frozen dataclass `cls` with every field but its body, which `reader` gives."""
    made = object.__new__(cls)
    made.__dict__.update(fields, _reader=reader)  # as the dataclass's own __init__ stores them, one at a time
    return made


def _unpack(row: tuple[object, ...], config: SiteConfig, store: Store) -> Known:
    """The row as save() wrote it; CacheDamaged for anything save() cannot have written."""
    try:
        path_text, stat_text, digest, fields_text, body_type = row
        if not (isinstance(stat_text, str) and isinstance(fields_text, str) and body_type == "blob"):
            raise ValueError("a column of the wrong type")
        stat, fields = _loads(stat_text), _loads(fields_text)
        (path, code, key, title, layout, url, output, body_line, data, lines, date, description, marks,
         paragraphs) = fields
        if not (isinstance(stat, list) and len(stat) == 4 and all(type(number) is int for number in stat)):
            raise ValueError("a file's stat of the wrong shape")
        texts = (digest, path, code, key, title, layout, url, output, description, paragraphs, *lines)
        if (not isinstance(lines, list) or not all(isinstance(text, str) for text in texts)
                or type(body_line) is not int):
            raise ValueError("a field of the wrong type")
        language = config.language(code)
        data, date = from_plain(data), from_plain(date)
        if (language is None or not isinstance(data, dict) or not (date is None or isinstance(date, dt.date))
                or not all(_is_mark(mark) for mark in marks)):
            raise ValueError("a field of the wrong type")
    except (ValueError, TypeError, RecursionError) as exc:
        raise CacheDamaged(f"a parsed page does not have the shape samizdat writes ({exc})") from exc
    reader = _BodyReader(store, str(path_text))
    front_matter = _stored(_StoredFrontMatter, reader, data=data, body_line=body_line, lines=tuple(lines))
    page = _stored(_StoredPage, reader, _path_text=path, language=language, key=key, title=title, layout=layout,
                   url=url, output_path=output, body_line=body_line, front_matter=front_matter, date=date,
                   description=description, scheduled=False)
    assert isinstance(digest, str)
    parsed = Parsed(page, tuple((line, text) for line, text in marks), digest, paragraphs)
    return Known((stat[0], stat[1], stat[2], stat[3]), digest, parsed)


def _loads(text: str) -> Any:
    """json.loads, at twice the speed for the text json.dumps wrote: orjson reads the same values, save an
    integer beyond 64 bits, which only the standard library's reader takes."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


def _is_mark(mark: Any) -> bool:
    return isinstance(mark, list) and len(mark) == 2 and type(mark[0]) is int and isinstance(mark[1], str)
