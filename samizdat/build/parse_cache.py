"""Parsed pages kept between builds, so an unchanged file is not read and parsed again.

A file counts as unchanged while its size and modification time (to the nanosecond) are those seen
when it was parsed, as git's index does. This only skips re-reading: what a page renders to is keyed
by content hashes (signatures.py), and a fresh clone, whose files all have new times, parses anew.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path

from samizdat import __version__
from samizdat.config import CONFIG_NAME, SiteConfig
from samizdat.content.pages import Page, make_page
from samizdat.content.placeholders import find_placeholders
from samizdat.content.sources import SourceRef

CACHE_DIR = ".samizdat-cache"
FORMAT = 1  # raise when what is stored changes shape, so an old cache is ignored, not misread


@dataclass(frozen=True)
class Parsed:
    page: Page
    placeholders: tuple[tuple[int, str], ...]  # (line, mark) left from scaffolding


@dataclass
class ParseCache:
    path: Path | None
    config_digest: str = ""
    entries: dict[str, tuple[int, int, Parsed]] = field(default_factory=dict)  # path → (size, mtime_ns, …)
    changed: bool = False

    @classmethod
    def open(cls, site_root: Path | None, config: SiteConfig) -> ParseCache:
        digest = hashlib.sha256((config.root / CONFIG_NAME).read_bytes()).hexdigest()  # pages hold Language objects
        if site_root is None:
            return cls(None, digest)
        path = site_root / CACHE_DIR / f"sources-{__version__}-{FORMAT}.pickle"
        try:
            with path.open("rb") as file:
                stored_digest, entries = pickle.load(file)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
            stored_digest, entries = "", {}
        return cls(path, digest, entries if stored_digest == digest else {})

    def parse_all(self, refs: list[SourceRef], config: SiteConfig) -> list[Parsed]:
        fresh: dict[str, tuple[int, int, Parsed]] = {}
        for ref in refs:
            key = ref.path.as_posix()
            entry = self.entries.get(key)
            if entry is None or entry[:2] != (ref.size, ref.mtime_ns):
                source = ref.read()
                parsed = Parsed(make_page(source, config), tuple(find_placeholders(source.text)))
                entry = (ref.size, ref.mtime_ns, parsed)
                self.changed = True
            fresh[key] = entry
        self.changed = self.changed or fresh.keys() != self.entries.keys()
        self.entries = fresh
        return [entry[2] for entry in fresh.values()]

    def save(self) -> None:
        if self.path is None or not self.changed:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temp = self.path.with_suffix(".tmp")
        with temp.open("wb") as file:
            pickle.dump((self.config_digest, self.entries), file, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temp, self.path)
        for old in self.path.parent.glob("sources-*.pickle"):  # caches of other engine versions
            if old != self.path:
                old.unlink(missing_ok=True)
