"""A cache dictionary kept as a few dozen pickle files by key, so that saving after a one-page edit
writes one small file instead of the whole cache again."""

from __future__ import annotations

import os
import pickle
import zlib
from collections import defaultdict
from pathlib import Path
from typing import Any

SHARDS = 32
_READ_ERRORS = (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError)


def shard_of(key: str) -> int:
    return zlib.crc32(key.encode("utf-8")) % SHARDS


def load_shards(folder: Path, prefix: str) -> dict[str, Any]:
    """Every entry; an unreadable shard means an empty cache (a cold build), never a wrong one."""
    entries: dict[str, Any] = {}
    for index in range(SHARDS):
        try:
            with (folder / f"{prefix}-{index:02d}.pickle").open("rb") as file:
                part = pickle.load(file)
        except FileNotFoundError:
            continue
        except _READ_ERRORS:
            return {}
        if not isinstance(part, dict):
            return {}
        entries.update(part)
    return entries


def save_shards(folder: Path, prefix: str, entries: dict[str, Any], dirty: set[str]) -> None:
    """Write the shards that hold a changed, new or removed key; remove other versions' caches."""
    folder.mkdir(parents=True, exist_ok=True)
    wanted = {shard_of(key) for key in dirty}
    parts: dict[int, dict[str, Any]] = defaultdict(dict)
    for key, value in entries.items():
        index = shard_of(key)
        if index in wanted:
            parts[index][key] = value
    for index in wanted:
        path = folder / f"{prefix}-{index:02d}.pickle"
        temp = path.with_suffix(".tmp")
        with temp.open("wb") as file:
            pickle.dump(parts.get(index, {}), file, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temp, path)
    family = prefix.split("-", 1)[0]
    for old in folder.glob(f"{family}-*.pickle"):
        if not old.name.startswith(prefix + "-"):
            old.unlink(missing_ok=True)
