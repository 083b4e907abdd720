"""Processed images kept in SITE/.samizdat-cache/images/, keyed by the image's bytes and the operation.

A second build with nothing changed decodes no image; a changed image gets a new key and only its own
variants are made again; entries no build used are pruned afterwards.

The cache folder may come from a stranger (a pull request, a ZIP), and what it holds is published as it
is: a planted variant could be a photo whose faces are not masked. So each entry's manifest is sealed
with this computer's key (samizdat/sealed.py) and records the sha256 of every file in the entry; a file
whose size, times or inode differ from the manifest's is hashed again before it is used, and an entry
that fails either test is made again. Stat data only decides what to hash first, as in the build caches.

Beside the photos, `found-…` entries keep what the face detector found in a photo, keyed by its bytes and
the detector alone: an answer in the review page changes the photo's key, not what is in it, so the photo
is masked again from these boxes without a new search (seconds of a core for a large photo).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import asdict
from pathlib import Path
from typing import Any

import PIL

from samizdat.images.model import FacePlan, Photo, Region, Settings, Variant
from samizdat.sealed import CacheDamaged, machine_key, read_sealed, write_sealed

ENGINE_VERSION = "5"  # raise when process.py changes what it writes, so old entries are not reused
CACHE_DIR = ".samizdat-cache/images"
MANIFEST = "photo.sealed"
FOUND = "found.sealed"  # in a found-… entry: the faces the detector found in one photo, before any answer
DIGESTS = "digests.sealed"


def _stat_key(path: Path) -> list[int]:
    """What changes whenever a file is written: its ctime and inode cannot be set back by anyone."""
    stat = path.stat()
    return [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino]


def _sha256(path: Path) -> str:
    with path.open("rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


class ImageCache:
    def __init__(self, site_root: Path) -> None:
        self.folder = site_root / CACHE_DIR
        self._key = machine_key()  # None: nothing can be trusted from disk, every image is processed
        self._digests: dict[str, list] = self._read_digests()
        self._used_digests: dict[str, list] = {}

    def digest(self, path: Path) -> str:
        """sha256 of a file's bytes; read again whenever the file may have been written since."""
        stat_key = _stat_key(path)
        known = self._digests.get(str(path))
        digest = known[-1] if known and known[:-1] == stat_key else _sha256(path)
        self._used_digests[str(path)] = [*stat_key, digest]
        return digest

    def key(self, digest: str, settings: Settings, faces: FacePlan, detector: str) -> str:
        operation = json.dumps([ENGINE_VERSION, PIL.__version__, asdict(settings), asdict(faces),
                                detector if faces.detect or faces.look else ""], sort_keys=True)
        return hashlib.sha256(f"{digest}\n{operation}".encode()).hexdigest()

    @staticmethod
    def found_key(digest: str, detector: str) -> str:
        """The entry of what the detector found in a photo: its bytes and the detector, not the answers
        about it, so that an answer in the review page masks the photo again without a new search."""
        return "found-" + hashlib.sha256(f"{digest}\n{detector}".encode()).hexdigest()

    def load_found(self, key: str) -> tuple[Region, ...] | None:
        """The faces found, as this computer stored them; None: search the photo. Sealed like the photos:
        a planted list naming no faces would publish a photo unmasked."""
        if self._key is None:
            return None
        try:
            sealed = read_sealed(self.entry(key) / FOUND, self._key)
            if sealed is None or sealed[0].get("key") != key:
                return None
            return tuple(Region(**region) for region in sealed[0]["found"])
        except (CacheDamaged, OSError, ValueError, KeyError, TypeError, AttributeError):
            return None

    def store_found(self, key: str, found: tuple[Region, ...]) -> None:
        entry = self.entry(key)
        links = (entry, self.folder, self.folder.parent)
        if self._key is None or any(path.is_symlink() for path in links) or entry.is_file():
            return  # a link planted in the site folder is never written through: the photo is searched again
        entry.mkdir(parents=True, exist_ok=True)
        write_sealed(entry / FOUND, self._key, {"key": key, "found": [asdict(r) for r in found]})

    def entry(self, key: str) -> Path:
        return self.folder / key

    def load(self, key: str) -> Photo | None:
        """The entry as this computer stored it, every file as it was then; None means: process again."""
        if self._key is None:
            return None
        entry = self.entry(key)
        try:
            sealed = read_sealed(entry / MANIFEST, self._key)
            if sealed is None:
                return None
            raw, files = sealed[0]["photo"], sealed[0]["files"]
            photo = Photo(
                key=raw["key"], width=raw["width"], height=raw["height"], full=raw["full"],
                variants=tuple(Variant(**v) for v in raw["variants"]),
                masked=tuple(Region(**r) for r in raw["masked"]),
                unreviewed_faces=int(raw.get("unreviewed_faces", 0)),
            )
            names = [photo.full, *(v.file for v in photo.variants)]
            intact = photo.key == key and set(files) == set(names) and all(
                self._intact(entry / name, files[name]) for name in names)
        except (CacheDamaged, OSError, ValueError, KeyError, TypeError):
            return None
        return photo if intact else None

    def store(self, photo: Photo) -> None:
        if self._key is None:
            return
        entry = self.entry(photo.key)
        names = [photo.full, *(v.file for v in photo.variants)]
        files = {name: [*_stat_key(entry / name), _sha256(entry / name)] for name in names}
        write_sealed(entry / MANIFEST, self._key, {"photo": asdict(photo), "files": files})

    @staticmethod
    def _intact(path: Path, recorded: Any) -> bool:
        if os.path.islink(path) or not path.is_file():
            return False
        return recorded[:-1] == _stat_key(path) or recorded[-1] == _sha256(path)

    def finish(self, used_keys: set[str]) -> int:
        """Remember the digests of this build's files and prune every entry it did not use."""
        self.folder.mkdir(parents=True, exist_ok=True)
        if self._key is not None:
            write_sealed(self.folder / DIGESTS, self._key, self._used_digests)
        pruned = 0
        for entry in self.folder.iterdir():
            if entry.is_dir() and entry.name not in used_keys:
                shutil.rmtree(entry, ignore_errors=True)
                pruned += 1
        return pruned

    def _read_digests(self) -> dict[str, list]:
        if self._key is None:
            return {}
        try:
            sealed = read_sealed(self.folder / DIGESTS, self._key)
        except CacheDamaged:
            return {}
        data = sealed[0] if sealed else {}
        valid = isinstance(data, dict) and all(isinstance(v, list) and len(v) == 5 for v in data.values())
        return data if valid else {}
