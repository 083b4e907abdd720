"""Rendered pages kept between builds, keyed by their signatures (see signatures.py).

Kept in .samizdat-cache/ as sealed files (see shards.py and samizdat/sealed.py), safe to delete: a missing,
damaged or foreign cache only means a cold build, and a cached page is one this computer rendered.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from samizdat.build.shards import Entry, discard, gc_paused, load_shards, save_shards
from samizdat.engine import engine_id
from samizdat.sealed import CacheDamaged

CACHE_DIR = ".samizdat-cache"
FORMAT = 5  # raise when what is stored changes shape, so an old cache is ignored, not misread


@dataclass(frozen=True)
class FinalPage:
    """A rendered page as the cache keeps it: its links already cleaned and hardened."""

    html: bytes
    content: str  # the body HTML, kept for listed pages (feeds and calendars carry it)
    scripts: tuple[str, ...]  # hashes of the page's inline scripts, for the security policy
    reads: str = "[]"  # what it read while rendering, with the answers it got (dependencies.encode_reads)


@dataclass
class RenderCache:
    folder: Path | None  # None: no cache on disk (checks, tests that want a cold build, the dev server)
    entries: dict[str, tuple[str, FinalPage]] = field(default_factory=dict)  # output path → (signature, page)
    dirty: set[str] = field(default_factory=set)  # output paths whose entry changed since loading
    # Output path → (page object, site-wide inputs…, signature); lives as long as this object (see render_stage).
    signature_memo: dict[str, tuple[object, ...]] = field(default_factory=dict)

    @classmethod
    def open(cls, site_root: Path | None) -> RenderCache:
        if site_root is None:
            return cls(None)
        folder = site_root / CACHE_DIR
        try:
            with gc_paused():
                entries = {path: _unpack(entry) for path, entry in load_shards(folder, _prefix()).items()}
        except CacheDamaged as exc:
            discard(folder, exc)
            entries = {}
        return cls(folder, entries)

    def get(self, output_path: str, signature: str) -> FinalPage | None:
        entry = self.entries.get(output_path)
        if entry is None or entry[0] != signature:
            return None
        return entry[1]

    def replace_all(self, entries: dict[str, tuple[str, FinalPage]]) -> None:
        """What this build rendered: entries of pages that are gone are dropped with it."""
        self.dirty |= {key for key in entries.keys() | self.entries.keys()
                       if key not in entries or key not in self.entries or entries[key][0] != self.entries[key][0]}
        self.entries = entries

    def save(self) -> None:
        if self.folder is not None and self.dirty:
            packed = {path: _pack(signature, page) for path, (signature, page) in self.entries.items()}
            save_shards(self.folder, _prefix(), packed, self.dirty)
            self.dirty = set()


def _prefix() -> str:
    return f"pages-{engine_id()}.{FORMAT}"


def _pack(signature: str, page: FinalPage) -> Entry:
    return [signature, list(page.scripts), page.reads], (page.html, page.content.encode("utf-8"))


def _unpack(entry: Entry) -> tuple[str, FinalPage]:
    """The entry as it was saved; CacheDamaged for anything _pack cannot have written."""
    value, blobs = entry
    if not (isinstance(value, list) and len(value) == 3 and isinstance(value[0], str) and isinstance(value[1], list)
            and all(isinstance(script, str) for script in value[1]) and isinstance(value[2], str) and len(blobs) == 2):
        raise CacheDamaged("a rendered page does not have the shape samizdat writes")
    try:
        content = str(blobs[1], "utf-8")
    except UnicodeDecodeError as exc:
        raise CacheDamaged("a rendered page's text is not UTF-8") from exc
    # The reads are checked when used (dependencies.decode_reads): a malformed record is a page rendered again.
    return value[0], FinalPage(bytes(blobs[0]), content, tuple(value[1]), value[2])
