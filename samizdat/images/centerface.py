"""CenterFace, run by OpenCV's DNN module on one RGB tile: face boxes with their confidence.

The model file ships inside samizdat's own wheel (models/centerface.onnx, MIT), so nothing is
downloaded at run time and no further package is needed beyond OpenCV. The decoding follows the
model's reference code (Star-Clouds/CenterFace, MIT): a heat map of face centres at a quarter of the
input's resolution, with each centre's size and sub-pixel offset.
"""

from __future__ import annotations

import importlib.resources
from functools import lru_cache
from typing import Any

MODEL = "centerface.onnx"
STRIDE = 4  # the heat map has one cell per 4 × 4 input pixels
OUTPUTS = ["537", "538", "539", "540"]  # heat map, sizes, offsets, landmarks


@lru_cache(maxsize=1)
def _network() -> Any:
    import cv2

    with importlib.resources.as_file(importlib.resources.files("samizdat.images") / "models" / MODEL) as path:
        return cv2.dnn.readNetFromONNX(str(path))


def model_version() -> str:
    """Part of the image cache key: a new model or OpenCV makes every masked photo again."""
    import cv2

    return f"centerface-1/opencv-{cv2.__version__}"


def detect(tile: Any, threshold: float) -> Any:
    """Boxes (N × 5: left, top, right, bottom, score) in the tile's pixels; its sides are multiples of 32."""
    import cv2
    import numpy

    height, width = tile.shape[:2]
    blob = cv2.dnn.blobFromImage(tile, scalefactor=1.0, size=(width, height), mean=(0, 0, 0), swapRB=False)
    net = _network()
    net.setInput(blob)
    heatmap, sizes, offsets, _ = net.forward(OUTPUTS)
    rows, cols = numpy.nonzero(heatmap[0, 0] > threshold)
    if len(rows) == 0:
        return numpy.empty((0, 5), dtype=numpy.float32)
    face_h = numpy.exp(sizes[0, 0, rows, cols]) * STRIDE
    face_w = numpy.exp(sizes[0, 1, rows, cols]) * STRIDE
    centre_y = (rows + offsets[0, 0, rows, cols] + 0.5) * STRIDE
    centre_x = (cols + offsets[0, 1, rows, cols] + 0.5) * STRIDE
    return numpy.stack([centre_x - face_w / 2, centre_y - face_h / 2, centre_x + face_w / 2,
                        centre_y + face_h / 2, heatmap[0, 0, rows, cols]], axis=1).astype(numpy.float32)
