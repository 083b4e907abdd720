"""The build's large outputs (image variants, stripped photos, cleaned PDFs and videos), and the results that name them.

The files are kept in a folder beside the build store (`$XDG_CACHE_HOME/samizdat/sites/<site>.files/`,
0700), each named by the sha256 of its bytes; a result (a processed photo, a cleaned document) is a
row of plain JSON naming its files by digest, kept in the build store (`build/cache/products.py`) or,
for `serve`, in memory. Nothing of it is in the site folder, so nothing a site brings along in its
`.samizdat-cache/` is read.

A file is used only when its bytes hash to its name: a forged file in the folder (an unmasked photo
under a masked one's name) is never published, the result is made again instead. Its stat data (size,
times, inode; the change time cannot be set back) only decides whether it must be hashed again. Files
are written under a name of their own and renamed into place, so builds running at once never see
half a file; files no result of the last build names are pruned after it.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import os
import secrets
import shutil
import stat
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from samizdat.sealed import site_cache

STAGING = ".staging-"  # the prefix of a writer's temporary files and folders
STALE_STAGING_SECONDS = 3600  # a writer's leftovers older than this are from a build that was stopped

StatKey = tuple[int, int, int, int]


def folder_for(site_root: Path) -> Path:
    return site_cache(site_root, ".files")


def make_private(folder: Path) -> None:
    """The folder and every missing folder above it made readable by this user only (mkdir's `parents`
    would make those with the default mode)."""
    missing = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for path in reversed(missing):
        path.mkdir(mode=0o700, exist_ok=True)


def stat_key(path: Path) -> StatKey:
    """What changes whenever a file is written: its ctime and inode cannot be set back by anyone."""
    return _stat_key(path.stat())


def _stat_key(info: os.stat_result) -> StatKey:
    return (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)


def sha256_of(path: Path) -> str:
    with path.open("rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def is_digest(name: object) -> bool:
    return isinstance(name, str) and len(name) == 64 and not name.strip("0123456789abcdef")


class ProductFolder:
    """Files named by the sha256 of their bytes. `None`: a folder of this process's own, removed at exit
    (the user's cache folder cannot be written)."""

    def __init__(self, folder: Path | None, verified: dict[str, StatKey] | None = None) -> None:
        self._folder = folder
        self.verified: dict[str, StatKey] = dict(verified or {})  # digest → stat when its bytes last hashed right
        # digest → its file, checked by `get` in this build: a photo's variants are asked for by the image
        # stage, the check of what is published, and publication (a stat each, thousands on a large site)
        self.checked: dict[str, Path] = {}

    @property
    def folder(self) -> Path:
        """Made on first use: a build without photos or documents makes nothing."""
        if self._folder is not None:
            try:
                make_private(self._folder)
                return self._folder
            except OSError:  # the user's cache folder cannot be written: this process keeps its own
                self._folder = None
        self._folder = Path(tempfile.mkdtemp(prefix="samizdat-files-"))
        atexit.register(shutil.rmtree, self._folder, True)
        return self._folder

    def staging(self, suffix: str = "") -> Path:
        """A name no other writer uses, in the folder, for a file (or a folder of files) being made."""
        return self.folder / f"{STAGING}{os.getpid()}-{secrets.token_hex(8)}{suffix}"

    def put(self, made: Path) -> str:
        """Move a finished file into place under the hash of its bytes; returns the hash."""
        digest = sha256_of(made)
        os.chmod(made, 0o600)
        target = self.folder / digest
        os.replace(made, target)  # atomic: a reader sees the old file or the whole new one
        self.verified[digest] = stat_key(target)
        return digest

    def get(self, digest: str) -> Path | None:
        """The file whose bytes hash to `digest`, or None (missing, not a plain file, or other bytes)."""
        path = self.checked.get(digest)
        if path is not None:
            return path
        if not is_digest(digest) or self._folder is None:  # nothing kept yet: the folder is made by `put`
            return None
        path = self._folder / digest
        try:
            info = os.lstat(path)
            if not stat.S_ISREG(info.st_mode):
                return None
            known = _stat_key(info)
            if self.verified.get(digest) != known:
                if sha256_of(path) != digest:
                    return None
                self.verified[digest] = known
        except OSError:
            return None
        self.checked[digest] = path
        return path

    def prune(self, keep: set[str]) -> int:
        """Remove every file not in `keep`, and writers' leftovers from builds that were stopped."""
        if self._folder is None or not self._folder.is_dir():
            return 0
        removed, now = 0, time.time()
        for entry in self._folder.iterdir():
            if entry.name in keep:
                continue
            if entry.name.startswith(STAGING):
                try:
                    if now - entry.lstat().st_mtime < STALE_STAGING_SECONDS:
                        continue  # another build's file being made
                except OSError:
                    continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)
            self.verified.pop(entry.name, None)
            self.checked.pop(entry.name, None)
            removed += 1
        return removed


@dataclass
class ProductBook:
    """The results of the stages that make files, by key ("image:<key>", "document:<key>"): a plain JSON
    value and the digests of its files; and the digests of the source files they were made from."""

    folder: ProductFolder
    results: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)  # key → (JSON, file digests)
    sources: dict[str, tuple[StatKey, str]] = field(default_factory=dict)  # path → (stat, sha256)
    used: set[str] = field(default_factory=set)  # result keys this build used or made
    used_sources: dict[str, tuple[StatKey, str]] = field(default_factory=dict)
    # Files read back clean by images/verify.py: digest → what read them (its walkers, or Pillow and its version)
    clean: dict[str, str] = field(default_factory=dict)
    used_clean: dict[str, str] = field(default_factory=dict)
    changed: bool = False  # a result was made, or a source hashed anew

    def start(self) -> None:
        """A new build: nothing used yet. The dev server keeps one book from build to build and saves none: what
        its last build learnt of files (their digests, which were read back clean) serves the next one."""
        self.sources.update(self.used_sources)
        self.clean.update(self.used_clean)
        self.used, self.used_sources, self.used_clean = set(), {}, {}
        self.folder.checked = {}  # files may have been written since the last build looked

    def digest(self, path: Path) -> str:
        """sha256 of a source file's bytes; hashed again whenever the file may have been written since."""
        key = stat_key(path)
        known = self.sources.get(str(path)) or self.used_sources.get(str(path))
        if known is not None and known[0] == key:
            digest = known[1]
        else:
            digest, self.changed = sha256_of(path), True
        self.used_sources[str(path)] = (key, digest)
        return digest

    def published_digest(self, path: Path) -> str:
        """sha256 of a file about to be published. One of the folder's is known by its name, once its stat
        data or its bytes say it was not written since (ProductFolder.get); any other file by `digest`. A
        site's hundreds of photo variants are then not read again on each build to learn what they hold."""
        name, folder = path.name, self.folder
        if folder.checked.get(name) == path or (path.parent == folder._folder and folder.get(name) == path):
            return name
        return self.digest(path)

    def clean_reader(self, digest: str) -> str | None:
        """What read a file with these bytes back clean (images/verify.py), by this engine (the store is its
        alone) on this computer; None: it was not, or not lately."""
        return self.used_clean.get(digest) or self.clean.get(digest)

    def found_clean(self, digest: str, reader: str) -> None:
        """Kept for the next build as long as the build publishes these bytes."""
        if self.clean.get(digest) != reader:
            self.changed = True
        self.used_clean[digest] = reader

    def find(self, key: str) -> tuple[Any, dict[str, Path]] | None:
        """The result and its files by digest, each file checked; None: make it again."""
        found = self.results.get(key)
        if found is None:
            return None
        files = {}
        for digest in found[1]:
            path = self.folder.get(digest)
            if path is None:
                return None
            files[digest] = path
        try:
            value = json.loads(found[0])
        except (ValueError, RecursionError):
            return None
        self.used.add(key)
        return value, files

    def keep(self, key: str, value: Any, digests: list[str]) -> None:
        self.results[key] = (json.dumps(value, sort_keys=True, separators=(",", ":")), tuple(digests))
        self.used.add(key)
        self.changed = True

    def unused(self, prefix: str) -> int:
        """Results of this kind the build did not use: pruned when the build is saved."""
        return sum(1 for key in self.results if key.startswith(prefix) and key not in self.used)

    def kept_files(self) -> set[str]:
        return {digest for key in self.used for digest in self.results[key][1]}

    def finish(self) -> None:
        """The build is over: the results it did not use go (the store rewrites its rows from these)."""
        if (any(key not in self.used for key in self.results) or self.sources.keys() != self.used_sources.keys()
                or self.clean.keys() != self.used_clean.keys()):
            self.changed = True
        self.results = {key: value for key, value in self.results.items() if key in self.used}
        self.sources = dict(self.used_sources)
        self.clean = dict(self.used_clean)


def transient_book(site_root: Path) -> ProductBook:
    """For a build without a build store (checks, tests): results in memory, files beside the store, never pruned."""
    return ProductBook(ProductFolder(folder_for(site_root)))
