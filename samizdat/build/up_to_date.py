"""Knowing, in milliseconds, that nothing changed since the last build into the same folder.

Like make and git's index, this looks at every input file's size and modification time (to the
nanosecond): if all are as they were after the last build, no meeting has passed since, and the output
folder still holds exactly what was written, the build has nothing to do. Anything else, a fresh clone
included (its files have new times), takes the ordinary build, whose caches are keyed by content.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import pickle
from dataclasses import dataclass
from pathlib import Path

from samizdat.build.writer import MARKER
from samizdat.engine import engine_id
from samizdat.findings import Finding
from samizdat.theme import THEMES_DIR

RECORD = "last-build.pickle"
SKIPPED_DIRS = {".git", ".samizdat-cache", "_site", "__pycache__", "node_modules", ".venv"}


@dataclass(frozen=True)
class BuildRecord:
    fingerprint: str
    next_change: dt.datetime | None  # when a meeting next moves from upcoming to past
    html_pages: int
    files: int
    images: int  # photos the build published (all from the cache when nothing changed)
    findings: tuple[Finding, ...]


def fingerprint(site_root: Path, out_dir: Path, options: object) -> str:
    hasher = hashlib.sha256(f"{engine_id()}\n{out_dir.resolve()}\n{options!r}\n".encode())
    out = out_dir.resolve()
    for folder in (site_root.resolve(), THEMES_DIR):
        for top, dirs, files in os.walk(folder):
            dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS and Path(top, d) != out)
            for name in sorted(files):
                stat = os.stat(os.path.join(top, name))
                hasher.update(f"{top}/{name}\t{stat.st_size}\t{stat.st_mtime_ns}\n".encode())
    return hasher.hexdigest()


def unchanged(record: BuildRecord | None, current: str, out_dir: Path, now: dt.datetime) -> bool:
    if record is None or record.fingerprint != current:
        return False
    if record.next_change is not None and now >= record.next_change:
        return False
    return _output_intact(out_dir)


def _output_intact(out_dir: Path) -> bool:
    """Every file the last build wrote is still there with the size and time it had."""
    try:
        files = json.loads((out_dir / MARKER).read_text(encoding="utf-8"))["files"]
        for rel, (size, mtime_ns, _) in files.items():
            stat = (out_dir / rel).stat()
            if stat.st_size != size or stat.st_mtime_ns != mtime_ns:
                return False
    except (OSError, ValueError, KeyError, TypeError):
        return False
    return True


def load_record(cache_dir: Path) -> BuildRecord | None:
    try:
        with (cache_dir / RECORD).open("rb") as file:
            record = pickle.load(file)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        return None
    return record if isinstance(record, BuildRecord) else None


def save_record(cache_dir: Path, record: BuildRecord) -> None:
    cache_dir.mkdir(parents=True, exist_ok=True)
    temp = cache_dir / (RECORD + ".tmp")
    with temp.open("wb") as file:
        pickle.dump(record, file)
    os.replace(temp, cache_dir / RECORD)


def forget(cache_dir: Path) -> None:
    (cache_dir / RECORD).unlink(missing_ok=True)
