"""Parsed pages kept between builds, so an unchanged file is not parsed again.

A file counts as unchanged while its bytes hash to what they did when it was parsed: an edit is seen
whatever the file's size and times say (an editor or `touch -d` can put an old time back), and a
fresh clone, whose files all have new times, reuses the work. Reading every file costs a few
milliseconds per thousand; parsing them is what is saved. Kept in sealed files (see shards.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from samizdat.build.plain import NotPlain, from_plain, to_plain
from samizdat.build.sealed import CacheDamaged
from samizdat.build.shards import Entry, discard, gc_paused, load_shards, save_shards
from samizdat.config import CONFIG_NAME, SiteConfig
from samizdat.content.frontmatter import FrontMatter
from samizdat.content.pages import Page, make_page
from samizdat.content.placeholders import find_placeholders
from samizdat.content.sources import SourceRef
from samizdat.engine import engine_id

CACHE_DIR = ".samizdat-cache"
FORMAT = 4  # raise when what is stored changes shape, so an old cache is ignored, not misread


@dataclass(frozen=True)
class Parsed:
    page: Page
    placeholders: tuple[tuple[int, str], ...]  # (line, mark) left from scaffolding


@dataclass
class ParseCache:
    folder: Path | None  # None: kept in memory only
    config_digest: str = ""
    entries: dict[str, tuple[str, Parsed]] = field(default_factory=dict)  # path → (content hash, parsed)
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
        fresh: dict[str, tuple[str, Parsed]] = {}
        for ref in refs:
            key = ref.path.as_posix()
            digest = hashlib.sha256(ref.path.read_bytes()).hexdigest()
            entry = self.entries.get(key)
            if entry is None or entry[0] != digest:
                source = ref.read()
                entry = (digest, Parsed(make_page(source, config), tuple(find_placeholders(source.text))))
                self.dirty.add(key)
            fresh[key] = entry
        self.dirty |= self.entries.keys() - fresh.keys()
        self.entries = fresh
        return [entry[1] for entry in fresh.values()]

    def save(self) -> None:
        if self.folder is not None and self.dirty:
            packed = {}
            for key, (digest, parsed) in self.entries.items():
                try:
                    packed[key] = _pack(digest, parsed)
                except NotPlain:  # front matter JSON cannot carry exactly: parsed again next time
                    self.dirty.add(key)
            save_shards(self.folder, _prefix(self.config_digest), packed, self.dirty)
            self.dirty = set()


def _prefix(config_digest: str) -> str:
    """A changed samizdat.toml starts a new set of files: pages hold the config's Language objects."""
    return f"sources-{engine_id()}.{FORMAT}.{config_digest[:16]}"


def _pack(digest: str, parsed: Parsed) -> Entry:
    page, fm = parsed.page, parsed.page.front_matter
    fields = [digest, str(page.path), page.language.code, page.key, page.title, page.layout, page.url,
              page.output_path, page.body_line, to_plain(fm.data), list(fm.lines), to_plain(page.date),
              page.description, [list(mark) for mark in parsed.placeholders]]
    return fields, (page.body.encode("utf-8"),)


def _unpack(entry: Entry, config: SiteConfig) -> tuple[str, Parsed]:
    """The entry as it was saved; CacheDamaged for anything _pack cannot have written."""
    fields, blobs = entry
    try:
        (digest, path, code, key, title, layout, url, output, body_line, data, lines, date, description,
         marks) = fields
        texts = (digest, path, code, key, title, layout, url, output, description, *lines)
        if (not isinstance(lines, list) or not all(isinstance(text, str) for text in texts)
                or type(body_line) is not int or len(blobs) != 1):
            raise ValueError("a field of the wrong type")
        language = config.language(code)
        data, date = from_plain(data), from_plain(date)
        if (language is None or not isinstance(data, dict) or not (date is None or isinstance(date, dt.date))
                or not all(_is_mark(mark) for mark in marks)):
            raise ValueError("a field of the wrong type")
        body = blobs[0].decode("utf-8")
    except (ValueError, TypeError) as exc:
        raise CacheDamaged(f"a parsed page does not have the shape samizdat writes ({exc})") from exc
    front_matter = FrontMatter(data, body, body_line, tuple(lines))
    page = Page(Path(path), language, key, title, layout, url, output, body, body_line, front_matter, date,
                description)
    return digest, Parsed(page, tuple((line, text) for line, text in marks))


def _is_mark(mark: Any) -> bool:
    return isinstance(mark, list) and len(mark) == 2 and type(mark[0]) is int and isinstance(mark[1], str)
