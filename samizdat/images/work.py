"""Whether the image stage has anything to do, answered before it is imported.

A site that publishes no raster image, has no data/faces.yaml and whose pages show no <img> and name no
share picture gets its pages and files back from the stage as they are, with no finding. Its build then
does not import the stage (images/stage.py with its model, cache, face policy and tag rewriting: about
15 ms of every build's start) and takes `no_image_work` instead, which returns what the stage would.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from samizdat.documents.sniff import RASTER_SUFFIXES
from samizdat.images.report import ImageReport
from samizdat.site_files import site_file

if TYPE_CHECKING:
    from samizdat.findings import Finding
    from samizdat.products import ProductBook

FACES_FILE = "data/faces.yaml"  # which photos have faces masked (policy.py)
KIND = "image:"  # the prefix of the stage's results in the build's ProductBook (cache.py)


@dataclass(frozen=True)
class ImageOutput:
    pages: dict[str, bytes]
    copies: dict[str, Path]
    report: ImageReport
    findings: tuple[Finding, ...]


def is_raster(path: str) -> bool:
    """Named as a raster image. A raster under any other name never gets this far: the documents stage
    recognises every published file by its bytes and refuses a name that hides what the file is."""
    dot = path.rfind(".")
    return dot != -1 and path[dot:].lower() in RASTER_SUFFIXES


def has_image_work(root: Path, copies: Iterable[str]) -> bool:
    """Whether the published files (by output path) hold a raster image, or the site has a data/faces.yaml
    (the stage reads it, and refuses one that names a photo the site does not publish). Whether a page
    shows an image or names a share picture the caller knows from the pages (build/cache/pages.py:
    shows_media). site_file refuses a link on the way to data/faces.yaml as the stage's reading of it does."""
    return any(is_raster(rel) for rel in copies) or site_file(root, FACES_FILE).is_file()


def no_image_work(rendered: dict[str, bytes], copies: dict[str, Path], book: ProductBook | None) -> ImageOutput:
    """The stage's output when has_image_work is false and no page shows media: the pages and files as
    they are, and the count of the images of earlier builds this one leaves to be pruned."""
    return ImageOutput(dict(rendered), dict(copies), ImageReport(0, 0, book.unused(KIND) if book else 0), ())
