"""Processed images kept with the build's other results, keyed by the image's bytes and the operation.

A second build with nothing changed decodes no image; a changed image gets a new key and only its own
variants are made again; results no build used are pruned when the build is saved.

What a cached photo publishes is exactly what this computer made: the result (sizes, variants, masked
regions, as plain JSON) is a row of the build store or, for the dev server, kept in memory; its files
are named by their sha256 in the folder beside the store (samizdat/products.py) and each is hashed again
before use unless its stat data says it was not written since. A file with other bytes under a
variant's name (a photo whose faces are not masked) makes the photo be processed again. Nothing is read
from the site's `.samizdat-cache/`.

Beside the photos, `found:` results keep what the face detector found in a photo, keyed by its bytes and
the detector alone: an answer in the review page changes the photo's key, not what is in it, so the photo
is masked again from these boxes without a new search (seconds of a core for a large photo). They are
rows of the same store, so a list planted in the site folder (naming no faces) is never read.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import asdict, replace
from pathlib import Path

from samizdat.documents.sniff import suffix_of
from samizdat.images.model import READABLE_FORMATS, FacePlan, Photo, Region, Settings, Source, Variant
from samizdat.images.work import KIND
from samizdat.products import ProductBook

ENGINE_VERSION = "5"  # raise when process.py changes what it writes, so old entries are not reused
FOUND_KIND = "found:"  # what the detector found in a photo, before any answer
PROBE_KIND = "probe:"  # what a sound image's header says (probe.py)


class ImageCache:
    def __init__(self, book: ProductBook) -> None:
        self.book = book
        self._files: dict[str, dict[str, Path]] = {}  # photo key → file name → the file to publish

    def digest(self, path: Path) -> str:
        """sha256 of a file's bytes; read again whenever the file may have been written since."""
        return self.book.digest(path)

    def key(self, digest: str, settings: Settings, faces: FacePlan, detector: str) -> str:
        import PIL  # a photo's key names the Pillow that made its files: loaded only when there are photos

        operation = json.dumps([ENGINE_VERSION, PIL.__version__, asdict(settings), asdict(faces),
                                detector if faces.detect or faces.look else ""], sort_keys=True)
        return hashlib.sha256(f"{digest}\n{operation}".encode()).hexdigest()

    @staticmethod
    def found_key(digest: str, detector: str) -> str:
        """The result of what the detector found in a photo: its bytes and the detector, not the answers
        about it, so that an answer in the review page masks the photo again without a new search."""
        return hashlib.sha256(f"{digest}\n{detector}".encode()).hexdigest()

    def load_found(self, key: str) -> tuple[Region, ...] | None:
        """The faces found, as this computer kept them; None: search the photo."""
        kept = self.book.find(FOUND_KIND + key)
        if kept is None:
            return None
        try:
            value = kept[0]
            if value["key"] != key:
                return None
            return tuple(Region(**region) for region in value["found"])
        except (ValueError, KeyError, TypeError, AttributeError):
            return None

    def store_found(self, key: str, found: tuple[Region, ...]) -> None:
        self.book.keep(FOUND_KIND + key, {"key": key, "found": [asdict(r) for r in found]}, [])

    def probed(self, path: Path, digest: str) -> Source | None:
        """The image as probe.py found it on an earlier build: the same bytes under a name with the same
        ending, read by the same Pillow. Only sound images are kept: a problem is found, and told, anew."""
        from samizdat.images.limits import MAX_PHOTO_PIXELS  # Pillow: a site with photos has it loaded

        kept = self.book.find(self._probe_key(path, digest))
        if kept is None:
            return None
        try:
            value = kept[0]
            found = Source(path, digest, str(value["format"]), int(value["width"]), int(value["height"]))
        except (ValueError, KeyError, TypeError):
            return None
        sound = found.format in READABLE_FORMATS and 0 < found.width * found.height <= MAX_PHOTO_PIXELS
        return found if sound and found.width > 0 else None

    def keep_probed(self, source: Source) -> None:
        self.book.keep(self._probe_key(source.path, source.digest),
                       {"format": source.format, "width": source.width, "height": source.height}, [])

    @staticmethod
    def _probe_key(path: Path, digest: str) -> str:
        import PIL

        return f"{PROBE_KIND}{digest}:{suffix_of(path.name)}:{PIL.__version__}"

    def staging(self) -> Path:
        """A folder of the job's own for a worker to write the photo's files into."""
        return self.book.folder.staging()

    def file(self, photo: Photo, name: str) -> Path:
        return self._files[photo.key][name]

    def load(self, key: str) -> Photo | None:
        """The photo as this computer made it, every file as it was then; None means: process again."""
        found = self.book.find(KIND + key)
        if found is None:
            return None
        value, by_digest = found
        try:
            raw, files = value["photo"], value["files"]
            photo = Photo(
                key=raw["key"], width=int(raw["width"]), height=int(raw["height"]), full=str(raw["full"]),
                variants=tuple(Variant(**v) for v in raw["variants"]),
                masked=tuple(Region(**r) for r in raw["masked"]),
                unreviewed_faces=int(raw.get("unreviewed_faces", 0)),
            )
            names = [photo.full, *(v.file for v in photo.variants)]
            if photo.key != key or set(files) != set(names):
                return None
            self._files[key] = {name: by_digest[files[name]] for name in names}
        except (ValueError, KeyError, TypeError):
            return None
        return photo

    def store(self, photo: Photo, made: Path) -> None:
        """Move the files a worker wrote into `made` into the folder, and keep the result."""
        names = [photo.full, *(v.file for v in photo.variants)]
        digests = {name: self.book.folder.put(made / name) for name in names}
        shutil.rmtree(made, ignore_errors=True)
        value = {"photo": asdict(replace(photo, found=None)), "files": digests}  # what was found is kept apart
        self.book.keep(KIND + photo.key, value, sorted(set(digests.values())))
        self._files[photo.key] = {name: self.book.folder.folder / digest for name, digest in digests.items()}

    def pruned(self) -> int:
        """Results of earlier builds this one did not use: they go when the build is saved."""
        return self.book.unused(KIND)
