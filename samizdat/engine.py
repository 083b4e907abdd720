"""Which build of samizdat this is, for caches: its version and the state of its own source files, so
that a changed engine (a development checkout, a reinstall) never reuses what an older one cached."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from samizdat import __version__
from samizdat.quick_hash import sha256

PACKAGE = Path(__file__).parent


@lru_cache(maxsize=1)
def engine_id() -> str:
    hasher = sha256(__version__.encode())
    root = os.fspath(PACKAGE)
    found = []
    for top, _, files in os.walk(root):  # strings, not Path objects: "nothing changed" asks this too
        found += [os.path.join(top, name) for name in files if name.endswith(".py")]
    for path in sorted(found):
        stat = os.stat(path)
        hasher.update(f"{path[len(root) + 1:]}\t{stat.st_size}\t{stat.st_mtime_ns}\n".encode())
    return f"{__version__}+{hasher.hexdigest()[:12]}"
