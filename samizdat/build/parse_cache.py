"""Parsed pages kept between builds, so an unchanged file is not read and parsed again.

A file counts as unchanged while its size and modification time (to the nanosecond) are those seen
when it was parsed, as git's index does. This only skips re-reading: what a page renders to is keyed
by content hashes (signatures.py), and a fresh clone, whose files all have new times, parses anew.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from samizdat.build.shards import load_shards, save_shards
from samizdat.config import CONFIG_NAME, SiteConfig
from samizdat.content.frontmatter import FrontMatter
from samizdat.content.pages import Page, make_page
from samizdat.content.placeholders import find_placeholders
from samizdat.content.sources import SourceRef
from samizdat.engine import engine_id

CACHE_DIR = ".samizdat-cache"
FORMAT = 3  # raise when what is stored changes shape, so an old cache is ignored, not misread


@dataclass(frozen=True)
class Parsed:
    page: Page
    placeholders: tuple[tuple[int, str], ...]  # (line, mark) left from scaffolding


@dataclass
class ParseCache:
    folder: Path | None  # None: kept in memory only
    config_digest: str = ""
    entries: dict[str, tuple[int, int, Parsed]] = field(default_factory=dict)  # path → (size, mtime_ns, …)
    dirty: set[str] = field(default_factory=set)  # paths whose entry changed since loading

    @classmethod
    def open(cls, site_root: Path | None, config: SiteConfig) -> ParseCache:
        digest = hashlib.sha256((config.root / CONFIG_NAME).read_bytes()).hexdigest()  # pages hold Language objects
        if site_root is None:
            return cls(None, digest)
        folder = site_root / CACHE_DIR
        try:
            entries = {key: (size, mtime, _unpack(fields, config))
                       for key, (size, mtime, fields) in load_shards(folder, _prefix(digest)).items()}
        except (KeyError, TypeError, ValueError):
            entries = {}
        return cls(folder, digest, entries)

    def parse_all(self, refs: list[SourceRef], config: SiteConfig) -> list[Parsed]:
        fresh: dict[str, tuple[int, int, Parsed]] = {}
        for ref in refs:
            key = ref.path.as_posix()
            entry = self.entries.get(key)
            if entry is None or entry[:2] != (ref.size, ref.mtime_ns):
                source = ref.read()
                parsed = Parsed(make_page(source, config), tuple(find_placeholders(source.text)))
                entry = (ref.size, ref.mtime_ns, parsed)
                self.dirty.add(key)
            fresh[key] = entry
        self.dirty |= self.entries.keys() - fresh.keys()
        self.entries = fresh
        return [entry[2] for entry in fresh.values()]

    def save(self) -> None:
        if self.folder is not None and self.dirty:
            packed = {key: (size, mtime, _pack(parsed)) for key, (size, mtime, parsed) in self.entries.items()}
            save_shards(self.folder, _prefix(self.config_digest), packed, self.dirty)
            self.dirty = set()


def _prefix(config_digest: str) -> str:
    """A changed samizdat.toml starts a new set of files: pages hold the config's Language objects."""
    return f"sources-{engine_id()}.{FORMAT}.{config_digest[:16]}"


# Pages are stored as plain tuples: unpickling thousands of Path and dataclass objects took several
# times longer than building them again from their fields.
def _pack(parsed: Parsed) -> tuple[Any, ...]:
    page, fm = parsed.page, parsed.page.front_matter
    return (str(page.path), page.language.code, page.key, page.title, page.layout, page.url, page.output_path,
            page.body, page.body_line, fm.data, fm.lines, page.date, page.description, parsed.placeholders)


def _unpack(fields: tuple[Any, ...], config: SiteConfig) -> Parsed:
    path, code, key, title, layout, url, output, body, body_line, data, lines, date, description, marks = fields
    language = config.language(code)
    if language is None:
        raise KeyError(code)
    front_matter = FrontMatter(data, body, body_line, lines)
    return Parsed(Page(Path(path), language, key, title, layout, url, output, body, body_line, front_matter,
                       date, description), marks)
