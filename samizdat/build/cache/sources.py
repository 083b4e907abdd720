"""Parsed pages kept between builds, so an unchanged file is not parsed again.

A file counts as unchanged while its size, modification time, change time and inode are those seen
when it was parsed (as git's index does): `touch -d` or an editor can put an old modification time
back, but no program can set the change time or the inode, so an edit is always seen. When they
differ (a fresh clone, a copy), the file's bytes are hashed, and a file whose bytes are the same is
not parsed again. Kept in the store's `sources` table (store.py), one row a file, written only for the
files that changed. A row holds what was parsed and where the body starts in the file, not the body:
no page holds its body where a build keeps its state (_ReadAgain).
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
from samizdat.build.plain import TAG, NotPlain, from_plain, to_plain
from samizdat.collector import gc_paused
from samizdat.config import CONFIG_NAME, Language, SiteConfig
from samizdat.content.frontmatter import FrontMatter, body_start
from samizdat.content.pages import Page, make_page
from samizdat.content.placeholders import find_placeholders
from samizdat.content.sources import SourceRef, decode_text, read_plain
from samizdat.content.translation_status import KeptRows, body_hash
from samizdat.errors import ContentError, SamizdatError, SourceLocation, raise_all
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
            # A page's body is read from its file when a stage asks for it (_ReadAgain)
            rows = store.rows("SELECT path, fields FROM sources WHERE config = ?", (digest,))
            languages = {language.code: language for language in config.languages}
            dates: dict[str, dt.date] = {}  # each page date's text → one object for every page of that day
            with gc_paused():
                entries = {str(row[0]): _unpack(row, languages, dates) for row in rows}
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
            if isinstance(page, _ParsedPage) and "path" not in page.__dict__ and "path" in ref.__dict__:
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
        marks = tuple(find_placeholders(source.text))
        # Where nothing is kept (the dev server) the page keeps its body. The body is the end of the text
        # (split_front_matter), which is checked, not assumed, before the page is told where to find it.
        if self.store.db is None or not source.text.endswith(page.body):
            return Known(stat, digest, Parsed(page, marks, digest))
        # The body is let go here, and read again from the file when a stage asks. The translation status
        # asks for the body of each translated page's source, mostly a page in the site's first language:
        # its paragraphs' hash is worked out now, while the text is at hand.
        hashed = body_hash(page.body) if page.language == config.default_language else ""
        page = _read_again(page, _SourceText(key, digest, len(source.text) - len(page.body)))
        return Known(stat, digest, Parsed(page, marks, digest, hashed))

    def paragraphs(self) -> Paragraphs:
        """Source path → body_hash of its page, as far as an earlier build worked it out."""
        return Paragraphs(self.entries)

    def keep_paragraphs(self, hashes: Paragraphs) -> None:
        """The body hashes the translation status worked out, kept in the sources' rows for the next build."""
        for key, found in hashes.found.items():
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
                    packed = _pack(known, key)
                except (NotPlain, RecursionError):  # front matter JSON cannot carry exactly: parsed again next time
                    packed = None
            if packed is None:
                db.execute("DELETE FROM sources WHERE path = ?", (key,))
                continue
            assert known is not None
            db.execute("INSERT OR REPLACE INTO sources VALUES (?, ?, ?)", (key, self.config_digest, packed))
        self.dirty = set()


class Paragraphs:
    """Source path → body_hash of its page (translation_status.BodyHashes): what earlier builds worked out,
    read from the parsed pages one path at a time, and what this build adds (`found`, for their rows). A
    dict of every page was made, and walked again, on every save of the dev server."""

    def __init__(self, entries: dict[str, Known]) -> None:
        self._entries = entries
        self.found: dict[str, str] = {}

    def get(self, path_text: str) -> str | None:
        found = self.found.get(path_text)
        if found is not None:
            return found
        known = self._entries.get(path_text)  # the key each page is kept under (SourceRef.path_text)
        if known is None:
            return None
        return known.parsed.paragraphs or None  # "": not worked out yet

    def __setitem__(self, path_text: str, body_hash: str) -> None:
        self.found[path_text] = body_hash


def config_digest(config: SiteConfig, drafts: bool) -> str:
    """A changed samizdat.toml or drafts option starts afresh: pages hold the config's Language objects, and
    whether drafts are built decides which pages exist."""
    text = (config.root / CONFIG_NAME).read_bytes() + (b"\0drafts" if drafts else b"")
    return hashlib.sha256(text).hexdigest()


def _pack(known: Known, key: str) -> bytes | None:
    """The row's fields, as one JSON text in UTF-8 (_unpack); None for a page whose body is not where its source
    file says (kept in memory). key: the path the row is kept under, which most pages' own path is."""
    parsed = known.parsed
    page, fm = parsed.page, parsed.page.front_matter
    source = page.__dict__.get("_source")
    if not isinstance(source, _SourceText):
        return None
    path = str(page.path)
    fields = [*known.stat, known.digest, "" if path == key else path, page.language.code, page.key, page.title,
              page.layout, page.url, page.output_path, page.description, parsed.paragraphs, page.body_line,
              source.start, to_plain(fm.data), list(fm.lines), _packed_date(page.date, fm.data),
              [list(mark) for mark in parsed.placeholders]]
    return json.dumps(fields, ensure_ascii=False, allow_nan=False).encode("utf-8")


def _packed_date(date: dt.date | None, data: dict[str, Any]) -> str | bool | None:
    """A page's date as its row holds it: true where it is the front matter's own `date` (decoded once, and one
    object, as the parse made it), else its ISO text."""
    if date is None:
        return None
    if type(date) is not dt.date:  # a page's date is never a time (pages.py: _date)
        raise NotPlain(type(date).__name__)
    if data.get("date") is date:
        return True
    return date.isoformat()


class _SourceText:
    """Where a page's body is in its source file, and the sha256 of the bytes it was parsed from."""

    __slots__ = ("digest", "path", "start")

    def __init__(self, path: str, digest: str, start: int) -> None:
        self.path, self.digest, self.start = path, digest, start

    def body(self) -> str:
        path = Path(self.path)
        try:
            data = read_plain(path)  # never through a link (one put in place of the file since is refused)
        except OSError:
            data = None  # removed, or made a link, since it was parsed
        if data is None or hashlib.sha256(data).hexdigest() != self.digest:
            raise ContentError("the file changed while samizdat was building", SourceLocation(path),
                               hint="build again")
        text = decode_text(data, path)
        # The text is the one parsed (its hash), so its body starts where the parse found it: the store's
        # number must say so, not merely point after some line of --- (a rule in the body is one)
        if body_start(text) != self.start:
            raise CacheDamaged("a parsed page does not have the shape samizdat writes (where its body starts)")
        return text[self.start:]


class _ReadAgain:
    """A page's body, read again from its source file each time it is asked for, and never kept.

    Where a build keeps its state, no page holds its body: the main process of a cold build of 10,002
    files held about 70 MB of them, shared with the render workers it forks, and each worker copied what
    it touched. Now each worker reads the bodies of the pages it renders, and the main process the few
    it needs (a translation's source in another language than the site's first, for its paragraphs'
    hash, once; ParseCache._known hashes the others while it parses). The bytes must still hash to what was
    parsed: a file changed since is an error, not a page rendered from another text than its front
    matter's. The store does not keep the bodies either: the source files are the site's own copy."""

    def __get__(self, page: object, owner: type | None = None) -> str:
        if page is None:
            return self  # type: ignore[return-value]
        source: _SourceText = page.__dict__["_source"]
        return source.body()


class _FrontMatterReadAgain(FrontMatter):
    """The front matter of a _ParsedPage, whose body is the page's."""

    body = _ReadAgain()  # type: ignore[assignment]


def _read_again(page: Page, source: _SourceText) -> Page:
    """The page this build parsed, its body (and its front matter's) read again from the file when asked for."""
    front = _made(_FrontMatterReadAgain, {**_without_body(page.front_matter), "_source": source})
    return _made(_ParsedPage, {**_without_body(page), "front_matter": front, "_path_text": source.path,
                               "_source": source})


def _without_body(made: object) -> dict[str, object]:
    return {name: value for name, value in made.__dict__.items() if name != "body"}


class _Path:
    """A stored page's path, made from its text the first time it is asked for; where discovery made one of
    the same file already (the dev server's refs, kept from build to build), that one is handed over
    (ParseCache._known), so that 10,000 paths are not parsed twice."""

    def __get__(self, page: object, owner: type | None = None) -> Path:
        if page is None:
            return self  # type: ignore[return-value]
        path = Path(page.__dict__["_path_text"])
        object.__setattr__(page, "path", path)
        return path


class _ParsedPage(Page):
    """A page parsed by this build or an earlier one, where the build keeps its state: the same fields, its
    body read again from the file when asked for. One kept from an earlier build makes its path when first
    asked (_Path); one parsed now holds it (a value in the instance's dictionary wins)."""

    body = _ReadAgain()  # type: ignore[assignment]
    path = _Path()  # type: ignore[assignment]

    @property
    def path_text(self) -> str:  # type: ignore[override]
        """The path's text as the store keeps it: a `Path` made only to write it out again cost 60 ms at
        10,000 pages. A copy made by `dataclasses.replace` (a scheduled post) has only its path."""
        text = self.__dict__.get("_path_text")
        return text if text is not None else self.path.as_posix()


def _unpack(row: tuple[object, ...], languages: dict[str, Language], dates: dict[str, dt.date]) -> Known:
    """The row as save() wrote it; CacheDamaged for anything save() cannot have written. languages: the
    config's, by code; dates: the page dates read so far, by their text (pages share them). Every page of the
    site is unpacked by every build, so the fields' types are checked as one tuple, against the shapes
    save() writes, not one Python step per field."""
    try:
        path_text, fields_text = row
        if type(path_text) is not str or type(fields_text) is not bytes:
            raise ValueError("a column of the wrong type")
        fields = _loads(fields_text)
        if type(fields) is not list or tuple(map(type, fields)) not in _SHAPES:
            raise ValueError("a field of the wrong type")
        (size, mtime, ctime, inode, digest, path, code, key, title, layout, url, output, description, paragraphs,
         body_line, start, data, lines, date, marks) = fields
        if start < 0 or (lines and set(map(type, lines)) != _STR):
            raise ValueError("a field of the wrong type")
        language = languages.get(code)
        if language is None:
            raise ValueError("a language this config does not have")
        if _TAGGED in fields_text:
            data = from_plain(data)
        date = _unpacked_date(date, data, dates)
        placeholders = _unpacked_marks(marks) if marks else ()
    except (ValueError, TypeError, RecursionError) as exc:
        raise CacheDamaged(f"a parsed page does not have the shape samizdat writes ({exc})") from exc
    source = _SourceText(path_text, digest, start)
    front_matter = _made(_FrontMatterReadAgain, {"data": data, "body_line": body_line, "lines": tuple(lines),
                                                 "_source": source})
    page = _made(_ParsedPage, {"_path_text": path or path_text, "language": language, "key": key, "title": title,
                               "layout": layout, "url": url, "output_path": output, "body_line": body_line,
                               "front_matter": front_matter, "date": date, "description": description,
                               "scheduled": False, "_source": source})
    parsed = _made(Parsed, {"page": page, "placeholders": placeholders, "digest": digest, "paragraphs": paragraphs})
    return _made(Known, {"stat": (size, mtime, ctime, inode), "digest": digest, "parsed": parsed})


def _made(cls: type, fields: dict[str, object]) -> Any:
    """An instance of the frozen dataclass `cls` holding `fields` (a page's or its front matter's: every field but
    the body, and the `_source` that gives it), as the dataclass's own __init__ stores them, without the call
    to object.__setattr__ it makes for each: 600 ns for Known's three, each of 10,002 rows a build."""
    made = object.__new__(cls)
    made.__dict__.update(fields)
    return made


def _unpacked_date(packed: object, data: dict[str, Any], dates: dict[str, dt.date]) -> dt.date | None:
    """The page's date from what _packed_date wrote; ValueError for anything it cannot have written."""
    if packed is None:
        return None
    if packed is True:
        date = data.get("date")
        if type(date) is not dt.date:
            raise ValueError("a page dated as its front matter, which holds no date")
        return date
    if type(packed) is not str:
        raise ValueError("a date of the wrong type")
    date = dates.get(packed)
    if date is None:
        date = dt.date.fromisoformat(packed)
        if date.isoformat() != packed:  # fromisoformat takes other spellings too, which isoformat never writes
            raise ValueError("a date not written as samizdat writes it")
        dates[packed] = date
    return date


def _unpacked_marks(marks: list[Any]) -> tuple[tuple[int, str], ...]:
    if not all(map(_is_mark, marks)):
        raise ValueError("a placeholder of the wrong shape")
    return tuple((line, text) for line, text in marks)


# The types of a row's fields, in order, as _pack writes them: the stat, then digest, path, code, key, title,
# layout, url, output path, description and paragraphs' hash, then body line and body start, front matter,
# its lines, the date (none, the front matter's, or its own) and the placeholders.
_SHAPES = frozenset((int, int, int, int, *[str] * 10, int, int, dict, list, date, list)
                    for date in (type(None), bool, str))
_STR = {str}
# How json.dumps writes plain.TAG, in UTF-8: a row whose text lacks it holds no date or time in its front matter,
# whose values JSON then gives exactly as they were (a text holding these characters only makes the check run).
_TAGGED = json.dumps(TAG)[1:-1].encode("utf-8")


def _loads(text: bytes) -> Any:
    """json.loads, at twice the speed for the text json.dumps wrote: orjson reads the same values, save an
    integer beyond 64 bits, which only the standard library's reader takes. Bytes, not text: orjson reads
    UTF-8, which a text would first be encoded to again, after SQLite's text was decoded from it."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


def _is_mark(mark: Any) -> bool:
    return isinstance(mark, list) and len(mark) == 2 and type(mark[0]) is int and isinstance(mark[1], str)
