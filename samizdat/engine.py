"""Which build of samizdat this is, for caches: its version and the state of its own source files, so
that a changed engine (a development checkout, a reinstall) never reuses what an older one cached."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from samizdat import __version__

PACKAGE = Path(__file__).parent


@lru_cache(maxsize=1)
def engine_id() -> str:
    hasher = hashlib.sha256(__version__.encode())
    for path in sorted(PACKAGE.rglob("*.py")):
        stat = path.stat()
        hasher.update(f"{path.relative_to(PACKAGE)}\t{stat.st_size}\t{stat.st_mtime_ns}\n".encode())
    return f"{__version__}+{hasher.hexdigest()[:12]}"
