"""A cache dictionary kept as a few dozen sealed files by key (see samizdat/sealed.py), so that saving after a
one-page edit writes one small file instead of the whole cache again.

Each entry is a plain JSON value and a few byte strings (a page's HTML, a source's text). A damaged,
planted or foreign file throws the whole cache folder's build caches away with one note on stderr,
and the build is a cold one: never a wrong one.
"""

from __future__ import annotations

import gc
import sys
import zlib
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from samizdat.sealed import Blob, CacheDamaged, machine_key, read_sealed, write_sealed

SHARDS = 32
SUFFIX = ".cache"
# Every file name the build caches have had, this version's and older ones' (pickles included): what
# a damaged cache throws away. The image cache (images/) keeps its own files.
FAMILIES = ("sources-*", "pages-*", "last-build.*")

Entry = tuple[Any, tuple[Blob, ...]]  # a JSON value and the byte strings it goes with


def shard_of(key: str) -> int:
    return zlib.crc32(key.encode("utf-8")) % SHARDS


def load_shards(folder: Path, prefix: str) -> dict[str, Entry]:
    """Every entry; CacheDamaged when a shard is not as this computer wrote it."""
    key = machine_key()
    entries: dict[str, Entry] = {}
    if key is None:
        return entries
    with gc_paused():
        for number in range(SHARDS):
            found = read_sealed(folder / f"{prefix}-{number:02d}{SUFFIX}", key)
            if found is not None:
                entries.update(_entries(*found))
    return entries


@contextmanager
def gc_paused() -> Iterator[None]:
    """Tens of thousands of new objects, none of them cyclic: Python's collector would walk every
    object alive many times over while they are made (a third of the load time at 10,000 pages)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _entries(index: Any, blobs: list[memoryview]) -> dict[str, Entry]:
    if not isinstance(index, dict):
        raise CacheDamaged("a shard's index is not a table")
    result: dict[str, Entry] = {}
    for name, item in index.items():
        if not (isinstance(item, list) and len(item) == 3 and type(item[1]) is int and type(item[2]) is int
                and 0 <= item[1] <= item[1] + item[2] <= len(blobs)):
            raise CacheDamaged(f"a shard's entry for {name!r} has the wrong shape")
        result[name] = (item[0], tuple(blobs[item[1]:item[1] + item[2]]))
    return result


def save_shards(folder: Path, prefix: str, entries: dict[str, Entry], dirty: set[str]) -> None:
    """Write the shards that hold a changed, new or removed key; remove other versions' caches."""
    key = machine_key()
    if key is None:
        return
    folder.mkdir(parents=True, exist_ok=True)
    with gc_paused():
        _write_shards(folder, prefix, key, entries, {shard_of(name) for name in dirty})
    family = prefix.split("-", 1)[0]
    for old in folder.glob(f"{family}-*"):
        if not old.name.startswith(prefix + "-"):
            old.unlink(missing_ok=True)


def _write_shards(folder: Path, prefix: str, key: bytes, entries: dict[str, Entry], wanted: set[int]) -> None:
    parts: dict[int, dict[str, Entry]] = defaultdict(dict)
    for name, entry in entries.items():
        number = shard_of(name)
        if number in wanted:
            parts[number][name] = entry
    for number in wanted:
        index: dict[str, Any] = {}
        blobs: list[Blob] = []
        for name, (value, data) in parts.get(number, {}).items():
            index[name] = [value, len(blobs), len(data)]
            blobs += data
        write_sealed(folder / f"{prefix}-{number:02d}{SUFFIX}", key, index, blobs)


def discard(folder: Path, problem: CacheDamaged) -> None:
    """Throw the build caches away, saying so in one line: the build that follows is a cold one."""
    for pattern in FAMILIES:
        for path in folder.glob(pattern):
            if path.is_file():
                path.unlink(missing_ok=True)
    print(f"note: the build cache in {folder} was thrown away ({problem}); building from scratch",
          file=sys.stderr)
