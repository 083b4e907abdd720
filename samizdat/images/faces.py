"""Find faces with OpenCV's bundled Haar cascades and cover them for good, before any resizing.

The cascades ship inside the opencv-python-headless wheel (cv2.data.haarcascades), so nothing is
downloaded at run time. Masks are solid blocks by default: advice to protest photographers prefers
them to blur, which can be partly undone.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from PIL import Image

from samizdat.images.model import Region

INSTALL_HINT = "install the face detector with: pip install samizdat[faces]"
CASCADES = ("haarcascade_frontalface_default.xml", "haarcascade_profileface.xml")
DETECT_SIDE = 1600  # faces are found on a copy at most this large: fast, and enough for faces in a crowd
PADDING = 0.2  # grow each found box by this share on every side: hair, ears and chin identify too
PIXELATE_CELLS = 4  # cells across a pixelated face: few enough that nothing can be recognised
BLOCK_COLOUR = (0, 0, 0)


def detector_available() -> bool:
    try:
        _cv2()
    except ImportError:
        return False
    return True


def _cv2() -> Any:
    import cv2  # an optional extra: imported only when faces are asked for

    return cv2


@lru_cache(maxsize=1)
def _cascades() -> tuple[Any, ...]:
    cv2 = _cv2()
    return tuple(cv2.CascadeClassifier(cv2.data.haarcascades + name) for name in CASCADES)


def detect_faces(image: Image.Image) -> tuple[Region, ...]:
    import numpy

    scale = min(1.0, DETECT_SIDE / max(image.size))
    grey = image.convert("L")
    if scale < 1.0:
        grey = grey.resize((round(image.width * scale), round(image.height * scale)), Image.Resampling.BOX)
    pixels = numpy.asarray(grey)
    found: list[Region] = []
    for cascade in _cascades():
        for x, y, w, h in cascade.detectMultiScale(pixels, scaleFactor=1.1, minNeighbors=5, minSize=(20, 20)):
            found.append(_padded(Region(int(x / scale), int(y / scale), int(w / scale), int(h / scale)), image.size))
    return tuple(found)


def _padded(region: Region, size: tuple[int, int]) -> Region:
    pad_x, pad_y = int(region.w * PADDING), int(region.h * PADDING)
    x, y = max(0, region.x - pad_x), max(0, region.y - pad_y)
    right = min(size[0], region.x + region.w + pad_x)
    bottom = min(size[1], region.y + region.h + pad_y)
    return Region(x, y, right - x, bottom - y, region.origin)


def mask_regions(image: Image.Image, regions: tuple[Region, ...], style: str) -> Image.Image:
    """Cover each region in place of its pixels; nothing of the face is kept under the mask."""
    if not regions:
        return image
    image = image.copy()
    for region in regions:
        box = _clipped(region, image.size)
        if box is None:
            continue
        if style == "pixelate":
            image.paste(_pixelated(image.crop(box)), box[:2])
        else:
            fill = (*BLOCK_COLOUR, 255) if image.mode == "RGBA" else BLOCK_COLOUR
            image.paste(fill, box)
    return image


def _pixelated(face: Image.Image) -> Image.Image:
    cells_x = PIXELATE_CELLS
    cells_y = max(1, round(PIXELATE_CELLS * face.height / face.width))
    return face.resize((cells_x, cells_y), Image.Resampling.BOX).resize(face.size, Image.Resampling.NEAREST)


def _clipped(region: Region, size: tuple[int, int]) -> tuple[int, int, int, int] | None:
    left, top = max(0, region.x), max(0, region.y)
    right, bottom = min(size[0], region.x + region.w), min(size[1], region.y + region.h)
    return (left, top, right, bottom) if right > left and bottom > top else None
