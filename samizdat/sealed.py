"""The user's cache folder, where the build store and its files live, and the error for a damaged cache.

A site folder comes from strangers (a pull request, a ZIP), and so may its .samizdat-cache/: nothing
there is read. Build state lives under $XDG_CACHE_HOME/samizdat/ (else ~/.cache/samizdat/), readable by
the user only, as plain values (build/cache/store.py) and files named by their sha256 (products.py).
Earlier versions sealed cache files in the site folder with a key kept at `key_path()`; the name stays
the anchor of the user's cache folder.
"""

from __future__ import annotations

import os
from pathlib import Path

from samizdat.quick_hash import sha256

KEY_NAME = "cache-key"


class CacheDamaged(Exception):
    """A cache that was not written, as it is, by samizdat on this computer: thrown away, never trusted."""


def key_path() -> Path:
    """$XDG_CACHE_HOME/samizdat/cache-key, else ~/.cache/samizdat/cache-key: never in a site folder."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "samizdat" / KEY_NAME


def site_cache(site_root: Path, suffix: str) -> Path:
    """A site's place in the user's cache folder, beside the key, named by the site's resolved path:
    its build store (".sqlite3", build/cache/store.py) and the folder of its files (".files")."""
    name = sha256(os.fsencode(site_root.resolve())).hexdigest()[:32]
    return key_path().parent / "sites" / f"{name}{suffix}"
