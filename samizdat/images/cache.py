"""Processed images kept in SITE/.samizdat-cache/images/, keyed by the image's bytes and the operation.

A second build with nothing changed decodes no image; a changed image gets a new key and only its own
variants are made again; entries no build used are pruned afterwards.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import asdict
from pathlib import Path

import PIL

from samizdat.images.model import FacePlan, Photo, Region, Settings, Variant

ENGINE_VERSION = "4"  # raise when process.py changes what it writes, so old entries are not reused
CACHE_DIR = ".samizdat-cache/images"
MANIFEST = "photo.json"
DIGESTS = "digests.json"


class ImageCache:
    def __init__(self, site_root: Path) -> None:
        self.folder = site_root / CACHE_DIR
        self._digests: dict[str, list] = self._read_digests()
        self._used_digests: dict[str, list] = {}

    def digest(self, path: Path) -> str:
        """sha256 of a file's bytes, remembered by size and modification time so unchanged files are not read."""
        stat = path.stat()
        known = self._digests.get(str(path))
        if known and known[0] == stat.st_size and known[1] == stat.st_mtime_ns:
            digest = known[2]
        else:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        self._used_digests[str(path)] = [stat.st_size, stat.st_mtime_ns, digest]
        return digest

    def key(self, digest: str, settings: Settings, faces: FacePlan, detector: str) -> str:
        operation = json.dumps([ENGINE_VERSION, PIL.__version__, asdict(settings), asdict(faces),
                                detector if faces.detect or faces.look else ""], sort_keys=True)
        return hashlib.sha256(f"{digest}\n{operation}".encode()).hexdigest()

    def entry(self, key: str) -> Path:
        return self.folder / key

    def load(self, key: str) -> Photo | None:
        entry = self.entry(key)
        try:
            raw = json.loads((entry / MANIFEST).read_text(encoding="utf-8"))
            photo = Photo(
                key=raw["key"], width=raw["width"], height=raw["height"], full=raw["full"],
                variants=tuple(Variant(**v) for v in raw["variants"]),
                masked=tuple(Region(**r) for r in raw["masked"]),
                unreviewed_faces=int(raw.get("unreviewed_faces", 0)),
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None
        files = [photo.full, *(v.file for v in photo.variants)]
        return photo if all((entry / name).is_file() for name in files) else None

    def store(self, photo: Photo) -> None:
        (self.entry(photo.key) / MANIFEST).write_text(json.dumps(asdict(photo)), encoding="utf-8")

    def finish(self, used_keys: set[str]) -> int:
        """Remember the digests of this build's files and prune every entry it did not use."""
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / DIGESTS).write_text(json.dumps(self._used_digests), encoding="utf-8")
        pruned = 0
        for entry in self.folder.iterdir():
            if entry.is_dir() and entry.name not in used_keys:
                shutil.rmtree(entry, ignore_errors=True)
                pruned += 1
        return pruned

    def _read_digests(self) -> dict[str, list]:
        try:
            data = json.loads((self.folder / DIGESTS).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}
