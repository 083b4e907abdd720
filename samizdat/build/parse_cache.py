"""Parsed pages kept between builds, so an unchanged file is not parsed again.

A file counts as unchanged while its size, modification time, change time and inode are those seen
when it was parsed (as git's index does): `touch -d` or an editor can put an old modification time
back, but no program can set the change time or the inode, so an edit is always seen. When they
differ (a fresh clone, a copy), the file's bytes are hashed, and a file whose bytes are the same is
not parsed again. Kept in sealed files (see shards.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from samizdat.build.plain import NotPlain, from_plain, to_plain
from samizdat.build.shards import Entry, discard, gc_paused, load_shards, save_shards
from samizdat.config import CONFIG_NAME, SiteConfig
from samizdat.content.frontmatter import FrontMatter
from samizdat.content.pages import Page, make_page
from samizdat.content.placeholders import find_placeholders
from samizdat.content.sources import SourceRef
from samizdat.engine import engine_id
from samizdat.errors import ContentError, SamizdatError, raise_all
from samizdat.sealed import CacheDamaged

CACHE_DIR = ".samizdat-cache"
FORMAT = 4  # raise when what is stored changes shape, so an old cache is ignored, not misread


@dataclass(frozen=True)
class Parsed:
    page: Page
    placeholders: tuple[tuple[int, str], ...]  # (line, mark) left from scaffolding


Stat = tuple[int, int, int, int]  # size, modification time, change time (ns), inode


@dataclass(frozen=True)
class Known:
    """What was parsed from one file, and how to tell that the file is still the same."""

    stat: Stat  # when these four are unchanged the file is not even read: no program can set back the last two
    digest: str  # sha256 of the bytes: a file whose stat changed but not its bytes (a fresh clone) is not parsed
    parsed: Parsed
    packed: Entry | None = None  # as stored, when it came from the disk: saved again without packing it


@dataclass
class ParseCache:
    folder: Path | None  # None: kept in memory only
    config_digest: str = ""
    entries: dict[str, Known] = field(default_factory=dict)  # path → what was parsed from it
    dirty: set[str] = field(default_factory=set)  # paths whose entry changed since loading

    @classmethod
    def open(cls, site_root: Path | None, config: SiteConfig) -> ParseCache:
        digest = hashlib.sha256((config.root / CONFIG_NAME).read_bytes()).hexdigest()  # pages hold Language objects
        if site_root is None:
            return cls(None, digest)
        folder = site_root / CACHE_DIR
        try:
            with gc_paused():
                entries = {name: _unpack(entry, config)
                           for name, entry in load_shards(folder, _prefix(digest)).items()}
        except CacheDamaged as exc:
            discard(folder, exc)
            entries = {}
        return cls(folder, digest, entries)

    def parse_all(self, refs: list[SourceRef], config: SiteConfig) -> list[Parsed]:
        fresh: dict[str, Known] = {}
        errors: list[SamizdatError] = []
        for ref in refs:
            key = ref.path.as_posix()
            try:
                fresh[key] = self._known(key, ref, config)
            except ContentError as exc:  # every file's mistake, told together (errors.raise_all)
                errors.append(exc)
        raise_all(errors)
        self.dirty |= self.entries.keys() - fresh.keys()
        self.entries = fresh
        return [known.parsed for known in fresh.values()]

    def _known(self, key: str, ref: SourceRef, config: SiteConfig) -> Known:
        info = os.stat(ref.path)
        stat = (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)
        known = self.entries.get(key)
        if known is not None and known.stat == stat:
            return known
        self.dirty.add(key)
        digest = hashlib.sha256(ref.path.read_bytes()).hexdigest()
        if known is not None and known.digest == digest:
            return replace(known, stat=stat)
        source = ref.read()
        return Known(stat, digest, Parsed(make_page(source, config), tuple(find_placeholders(source.text))))

    def save(self) -> None:
        if self.folder is None or not self.dirty:
            return
        packed: dict[str, Entry] = {}
        for key, known in self.entries.items():
            try:
                fields, blobs = known.packed or _pack(known.parsed)
            except (NotPlain, RecursionError):  # front matter JSON cannot carry exactly: parsed again next time
                self.dirty.add(key)
                continue
            packed[key] = ([list(known.stat), known.digest, fields], blobs)
        save_shards(self.folder, _prefix(self.config_digest), packed, self.dirty)
        self.dirty = set()


def _prefix(config_digest: str) -> str:
    """A changed samizdat.toml starts a new set of files: pages hold the config's Language objects."""
    return f"sources-{engine_id()}.{FORMAT}.{config_digest[:16]}"


def _pack(parsed: Parsed) -> Entry:
    page, fm = parsed.page, parsed.page.front_matter
    fields = [str(page.path), page.language.code, page.key, page.title, page.layout, page.url,
              page.output_path, page.body_line, to_plain(fm.data), list(fm.lines), to_plain(page.date),
              page.description, [list(mark) for mark in parsed.placeholders]]
    return fields, (page.body.encode("utf-8"),)


def _unpack(entry: Entry, config: SiteConfig) -> Known:
    """The entry as it was saved; CacheDamaged for anything save() cannot have written."""
    value, blobs = entry
    try:
        stat, digest, fields = value
        (path, code, key, title, layout, url, output, body_line, data, lines, date, description, marks) = fields
        if not (isinstance(stat, list) and len(stat) == 4 and all(type(number) is int for number in stat)):
            raise ValueError("a file's stat of the wrong shape")
        texts = (digest, path, code, key, title, layout, url, output, description, *lines)
        if (not isinstance(lines, list) or not all(isinstance(text, str) for text in texts)
                or type(body_line) is not int or len(blobs) != 1):
            raise ValueError("a field of the wrong type")
        language = config.language(code)
        data, date = from_plain(data), from_plain(date)
        if (language is None or not isinstance(data, dict) or not (date is None or isinstance(date, dt.date))
                or not all(_is_mark(mark) for mark in marks)):
            raise ValueError("a field of the wrong type")
        body = str(blobs[0], "utf-8")
    except (ValueError, TypeError, RecursionError) as exc:
        raise CacheDamaged(f"a parsed page does not have the shape samizdat writes ({exc})") from exc
    front_matter = FrontMatter(data, body, body_line, tuple(lines))
    page = Page(Path(path), language, key, title, layout, url, output, body, body_line, front_matter, date,
                description)
    parsed = Parsed(page, tuple((line, text) for line, text in marks))
    return Known((stat[0], stat[1], stat[2], stat[3]), digest, parsed, (fields, blobs))


def _is_mark(mark: Any) -> bool:
    return isinstance(mark, list) and len(mark) == 2 and type(mark[0]) is int and isinstance(mark[1], str)
