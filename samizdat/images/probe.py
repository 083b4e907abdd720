"""Read an image's header: is it a raster image Pillow can process safely, and how big is it upright?"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from samizdat.documents.sniff import RASTER_NAMES, suffix_of
from samizdat.images.limits import MAX_PHOTO_PIXELS
from samizdat.images.model import READABLE_FORMATS, Source

ORIENTATION_TAG = 0x0112
_SWAPPING_ORIENTATIONS = {5, 6, 7, 8}  # rotated a quarter turn: width and height trade places
CONVERT_HINT = "export it as JPEG (photos) or PNG (drawings, screenshots)"


class ImageProblem(Exception):
    """What is wrong with one image; the caller adds the page and line that refers to it."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message, self.hint = message, hint


def probe(path: Path, digest: str) -> Source:
    if not path.is_file():
        raise ImageProblem(f"image {path.name} does not exist",
                           "check the file name and folder (names are case-sensitive), or add the file")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            image = Image.open(path)
        except Image.DecompressionBombError as exc:
            pixels = re.search(r"\((\d+) pixels\)", str(exc))
            raise _bomb(path, f"{int(pixels[1]):,} pixels" if pixels else "far too many pixels") from exc
        except UnidentifiedImageError as exc:
            raise ImageProblem(f"image {path.name} is damaged or in a format that cannot be read",
                               f"open it in an image editor and {CONVERT_HINT}") from exc
        except OSError as exc:
            raise ImageProblem(f"image {path.name} cannot be read: {exc}", "check the file's permissions") from exc
    with image:
        return _checked(image, path, digest)


def _checked(image: Image.Image, path: Path, digest: str) -> Source:
    if image.format not in READABLE_FORMATS:
        raise ImageProblem(f"image {path.name} is in the {image.format} format, which is not published",
                           CONVERT_HINT)
    suffix = suffix_of(path.name)
    if suffix not in RASTER_NAMES.get(image.format, (suffix,)):
        # Published under its own name, a JPEG called .png would be served and saved as what it is not.
        raise ImageProblem(f"image {path.name} is a {image.format} file, but its name ends in {suffix}",
                           f"rename it to {path.stem}{RASTER_NAMES[image.format][0]} (and the links to it)")
    width, height = image.size
    if width * height > MAX_PHOTO_PIXELS:  # before any pixel is decoded: the header says the size
        raise _bomb(path, f"{width:,} × {height:,} = {width * height:,} pixels")
    if getattr(image, "n_frames", 1) > 1:
        raise ImageProblem(f"image {path.name} is animated; only still images are published",
                           "use a still frame, or link to the video instead")
    try:
        orientation = image.getexif().get(ORIENTATION_TAG)
    except (OSError, ValueError, SyntaxError):
        orientation = None  # a damaged EXIF block is dropped anyway
    if orientation in _SWAPPING_ORIENTATIONS:
        width, height = height, width
    return Source(path, digest, image.format, width, height)


def _bomb(path: Path, detail: str) -> ImageProblem:
    return ImageProblem(
        f"image {path.name} is too large to process safely ({detail}; the limit is {MAX_PHOTO_PIXELS:,} pixels)",
        "scale it down before adding it: a few thousand pixels a side is more than a page shows (6000 × 4000 fits)",
    )
