"""CenterFace on one block of an RGB image, of any size: face boxes with their confidence.

The model files ship inside samizdat's own wheel (models/, MIT), so nothing is downloaded at run time.
ONNX Runtime runs the int8 copy (weights and activations in 8 bits, calibrated on the face benchmark's
tuning photos: 1.8 times as fast a block on one core, and the same share of faces found on its held-out
photos, as docs/photo-safety.md measures; it reads the photo's bytes as they are, and has one more output,
the places where a face too small for it may be: bench/facemodel.py says how it was made); OpenCV, the
fallback when ONNX Runtime is missing, runs the published weights, which were checked to give ONNX
Runtime's results (its own int8 arithmetic was not measured; without proposals, it searches the whole photo
enlarged). The decoding follows the model's reference code (Star-Clouds/CenterFace, MIT): a heat map of
face centres at a quarter of the input's resolution, with each centre's size and sub-pixel offset.
"""

from __future__ import annotations

import importlib.resources
from collections.abc import Callable
from functools import lru_cache
from typing import Any

INT8_MODEL = "centerface-int8.onnx"
FLOAT_MODEL = "centerface.onnx"  # the weights as published: the int8 copy's source, and what OpenCV runs
MULTIPLE = 32  # the input's sides must be multiples of 32 (five halvings, then three doublings)
STRIDE = 4  # the heat map has one cell per 4 × 4 input pixels
INPUT = "input.1"
OUTPUTS = ["537", "538", "539", "540"]  # heat map, sizes, offsets, landmarks
PROPOSALS = "proposals"  # the int8 copy's extra output: above 0 where a face too small for the model may be


def _resource(name: str) -> Any:
    return importlib.resources.files("samizdat.images") / "models" / name


@lru_cache(maxsize=2)
def _network(model: str) -> tuple[str, Callable[[Any], list[Any]]]:
    """(backend name, a function from an H × W × 3 block of bytes, H and W multiples of 32, to the four
    outputs, and the proposals when the model has them)."""
    try:
        import onnxruntime
    except ImportError:
        return "opencv", _opencv(_resource(FLOAT_MODEL))
    options = onnxruntime.SessionOptions()
    options.log_severity_level = 3
    options.intra_op_num_threads = 1  # images are processed one per core already
    options.inter_op_num_threads = 1
    session = onnxruntime.InferenceSession(_resource(model).read_bytes(), options,
                                           providers=["CPUExecutionProvider"])
    outputs = OUTPUTS + [PROPOSALS] * any(output.name == PROPOSALS for output in session.get_outputs())
    given = session.get_inputs()[0]
    if given.type == "tensor(uint8)":  # the int8 copy reads the photo's bytes as they are (bench/facemodel.py)
        return "onnxruntime", lambda block: session.run(outputs, {given.name: block[None]})
    return "onnxruntime", lambda block: session.run(outputs, {given.name: _blob(block)})


def _blob(block: Any) -> Any:
    """The 1 × 3 × H × W floats the published weights read."""
    import numpy

    return numpy.ascontiguousarray(block.transpose(2, 0, 1)[None], dtype=numpy.float32)


def _opencv(resource: Any) -> Callable[[Any], list[Any]]:
    import cv2

    with importlib.resources.as_file(resource) as path:
        net = cv2.dnn.readNetFromONNX(str(path))

    def run(block: Any) -> list[Any]:
        net.setInput(_blob(block))
        return list(net.forward(OUTPUTS))

    return run


def model_version(model: str = INT8_MODEL) -> str:
    """Part of the image cache key: a new model (its bytes) or runtime makes every masked photo again."""
    backend, _ = _network(model)
    if backend == "onnxruntime":
        import onnxruntime

        return f"{model}-{_digest(model)}/onnxruntime-{onnxruntime.__version__}"
    import cv2

    return f"{FLOAT_MODEL}-{_digest(FLOAT_MODEL)}/opencv-{cv2.__version__}"


@lru_cache(maxsize=4)
def _digest(model: str) -> str:
    import hashlib

    return hashlib.sha256(_resource(model).read_bytes()).hexdigest()[:12]


def detect(block: Any, threshold: float, model: str = INT8_MODEL) -> Any:
    """Boxes (N × 5: left, top, right, bottom, score) in the pixels of an RGB block of any size."""
    return detect_and_propose(block, threshold, model)[0]


def detect_and_propose(block: Any, threshold: float, model: str = INT8_MODEL) -> tuple[Any, Any]:
    """(the boxes, as `detect` gives them; the centres (N × 2: x, y, in the block's pixels) of the cells
    of 4 × 4 pixels where a face too small for the model may be, or None when the model cannot tell)."""
    import numpy

    height, width = block.shape[:2]
    padded_h, padded_w = -(-height // MULTIPLE) * MULTIPLE, -(-width // MULTIPLE) * MULTIPLE
    padded = numpy.zeros((padded_h, padded_w, 3), dtype=numpy.uint8)  # black beyond the edges
    padded[:height, :width] = block
    heatmap, sizes, offsets, _, *proposals = _network(model)[1](padded)
    cells = (slice(0, -(-height // STRIDE)), slice(0, -(-width // STRIDE)))
    proposed = None
    if proposals:
        rows, cols = numpy.nonzero(proposals[0][0, 0][cells] > 0)
        proposed = numpy.stack([(cols + 0.5) * STRIDE, (rows + 0.5) * STRIDE], axis=1)
    rows, cols = numpy.nonzero(heatmap[0, 0][cells] > threshold)
    if len(rows) == 0:
        return numpy.empty((0, 5), dtype=numpy.float32), proposed
    face_h = numpy.exp(sizes[0, 0, rows, cols]) * STRIDE
    face_w = numpy.exp(sizes[0, 1, rows, cols]) * STRIDE
    centre_y = (rows + offsets[0, 0, rows, cols] + 0.5) * STRIDE
    centre_x = (cols + offsets[0, 1, rows, cols] + 0.5) * STRIDE
    boxes = numpy.stack([centre_x - face_w / 2, centre_y - face_h / 2, centre_x + face_w / 2,
                         centre_y + face_h / 2, heatmap[0, 0, rows, cols]], axis=1).astype(numpy.float32)
    return boxes, proposed
