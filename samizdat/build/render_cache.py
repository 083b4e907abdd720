"""Rendered pages kept between builds, keyed by their signatures (see signatures.py).

One file per site, safe to delete: a missing, unreadable or foreign cache only means a cold build.
"""

from __future__ import annotations

import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path

from samizdat import __version__

CACHE_DIR = ".samizdat-cache"
FORMAT = 2  # raise when what is stored changes shape, so an old cache is ignored, not misread


@dataclass(frozen=True)
class FinalPage:
    """A rendered page as the cache keeps it: its links already cleaned and hardened."""

    html: bytes
    content: str  # the body HTML, kept for listed pages (feeds and calendars carry it)
    scripts: tuple[str, ...]  # hashes of the page's inline scripts, for the security policy


@dataclass
class RenderCache:
    path: Path | None  # None: no cache (checks, tests that want a cold build)
    entries: dict[str, tuple[str, FinalPage]] = field(default_factory=dict)  # output path → (signature, page)
    changed: bool = False

    @classmethod
    def open(cls, site_root: Path | None) -> RenderCache:
        if site_root is None:
            return cls(None)
        path = site_root / CACHE_DIR / f"pages-{__version__}-{FORMAT}.pickle"
        try:
            with path.open("rb") as file:
                entries = pickle.load(file)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
            entries = {}
        return cls(path, entries if isinstance(entries, dict) else {})

    def get(self, output_path: str, signature: str) -> FinalPage | None:
        entry = self.entries.get(output_path)
        if entry is None or entry[0] != signature or not isinstance(entry[1], FinalPage):
            return None
        return entry[1]

    def replace_all(self, entries: dict[str, tuple[str, FinalPage]]) -> None:
        """What this build rendered: entries of pages that are gone are dropped with it."""
        if entries.keys() != self.entries.keys() or any(
                self.entries[key][0] != value[0] for key, value in entries.items()):
            self.entries, self.changed = entries, True

    def save(self) -> None:
        if self.path is None or not self.changed:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temp = self.path.with_suffix(".tmp")
        with temp.open("wb") as file:
            pickle.dump(self.entries, file, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temp, self.path)
        for old in self.path.parent.glob("pages-*.pickle"):  # caches of other engine versions
            if old != self.path:
                old.unlink(missing_ok=True)
