"""The cascade: the enlarged search (four fifths of the cost) runs only where the own-size search proposes,
and still finds the small faces that only it can see, masked in the published photo."""

from __future__ import annotations

import io
from pathlib import Path

import numpy
import pytest
from PIL import Image, ImageFilter

from samizdat.images import faces
from tests.conftest import MINIMAL_CONFIG

pytest.importorskip("cv2")
skimage_data = pytest.importorskip("skimage.data")
SIZE = (2400, 1600)
WIDTH = 16  # the faces' width in the photo: too small for the model at the photo's own size
AT = ((500, 1100), (1900, 300))  # where two of scikit-image's real face crops (Labeled Faces in the Wild) go
CROPS = (0, 8)


def crowd_photo() -> tuple[Image.Image, list[tuple[int, int, int, int]]]:
    """A cat photographed large, two faces of 16 px in it; blurred a little and saved as a phone would.
    Returns the photo and each face's eyes-to-mouth box (the crop's middle)."""
    photo = Image.fromarray(skimage_data.chelsea()).resize(SIZE, Image.Resampling.BICUBIC)
    crops = skimage_data.lfw_subset()
    inner = []
    for index, (x, y) in zip(CROPS, AT, strict=True):
        face = Image.fromarray((crops[index] * 255).astype(numpy.uint8)).convert("RGB")
        photo.paste(face.resize((WIDTH, WIDTH), Image.Resampling.LANCZOS), (x, y))
        inner.append((x + WIDTH // 5, y + WIDTH // 5, x + WIDTH - WIDTH // 5, y + WIDTH - WIDTH // 6))
    saved = io.BytesIO()
    photo.filter(ImageFilter.GaussianBlur(0.6)).save(saved, "JPEG", quality=70)
    return Image.open(io.BytesIO(saved.getvalue())).convert("RGB"), inner


def covered(regions: tuple[faces.Region, ...], box: tuple[int, int, int, int]) -> bool:
    return any(r.x <= box[0] and r.y <= box[1] and r.x + r.w >= box[2] and r.y + r.h >= box[3] for r in regions)


@pytest.fixture(scope="module")
def photo() -> tuple[Image.Image, list[tuple[int, int, int, int]]]:
    return crowd_photo()


def test_the_faces_need_the_enlarged_search(photo, monkeypatch: pytest.MonkeyPatch) -> None:
    image, inner = photo
    real = faces._scales
    monkeypatch.setattr(faces, "_scales", lambda size: real(size)[:-1])  # overview and own size only
    found = faces.detect_faces(image)
    assert not any(covered(found, box) for box in inner)


def test_the_cascade_finds_them_and_enlarges_a_small_part_of_the_photo(photo, monkeypatch: pytest.MonkeyPatch) -> None:
    image, inner = photo
    searched: list[tuple[int, ...]] = []
    real = faces._detect
    monkeypatch.setattr(faces, "_detect", lambda block, model: searched.append(block.shape) or real(block, model))
    found = faces.detect_faces(image)
    assert all(covered(found, box) for box in inner)
    # The overview (one block) and the own-size blocks come first; the enlarged windows after them.
    own_size = 1 + len(faces._blocks(SIZE, faces.SEARCH.tile, faces.OVERLAP[1.0]))
    enlarged = sum(height * width for height, width, _ in searched[own_size:])
    assert searched[own_size:] and enlarged < 0.1 * (2 * SIZE[0]) * (2 * SIZE[1])


def test_without_proposals_the_whole_photo_is_searched_enlarged(photo, monkeypatch: pytest.MonkeyPatch) -> None:
    """A model that cannot propose (OpenCV's fallback runs the published weights) loses no face for it."""
    image, inner = photo
    monkeypatch.setattr(faces, "CASCADE_MOST", 0.0)  # as when the proposals cover most of the photo
    found = faces.detect_faces(image, search=faces.Search(skip_flat=False))
    assert all(covered(found, box) for box in inner)


def test_the_small_faces_are_masked_in_the_published_photo(photo, make_site, run_cli, tmp_path: Path) -> None:
    image, inner = photo
    saved = io.BytesIO()
    image.save(saved, "PNG")
    site = make_site({"content/en/index.md": "![A crowd](../assets/crowd.png)\n", "assets/crowd.png": saved.getvalue()},
                     config=MINIMAL_CONFIG + "\n[images]\nmask_faces = true\n")
    result = run_cli("build", site, "-o", tmp_path / "out")
    assert result.code == 0, result.err
    with Image.open(tmp_path / "out/assets/crowd.png") as published:
        assert published.size == SIZE
        pixels = numpy.asarray(published.convert("RGB"))
    for left, top, right, bottom in inner:
        assert not pixels[top:bottom, left:right].any()  # solid black over the face
        assert numpy.asarray(image)[top:bottom, left:right].any()  # where the photo had a face
    assert pixels.mean() > 0.9 * numpy.asarray(image).mean()  # and the rest of the photo is still there


def test_scattered_proposals_give_windows_that_hold_them_all_and_never_overlap() -> None:
    """Proposals laid out as corners with a lone place inside each (as noise or gravel in a stranger's photo
    might place them): the rectangle around each corner holds the lone place's rectangle, so groups must be
    merged again. Every proposal must still be inside a window, no two windows may overlap, and the merging
    must end (it was pairwise, and cubic in the number of groups)."""
    size = (4000, 3000)
    cell = faces.REACH // 2
    points = []
    for left in range(0, 3600, 400):
        for top in range(0, 2600, 400):
            points += [(left + cell * i, top) for i in range(20)] + [(left, top + cell * i) for i in range(20)]
            points.append((left + 12 * cell, top + 12 * cell))  # inside the corner's rectangle, touching nothing
    windows = faces._windows(numpy.array(points, dtype=float), size)
    assert windows is not None and len(windows) == 9 * 7  # each corner and its lone place: one window
    for x, y in points:
        assert any(left <= x < right and top <= y < bottom for left, top, right, bottom in windows), (x, y)
    for i, a in enumerate(windows):
        for b in windows[i + 1:]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), (a, b)


def test_proposals_over_most_of_the_photo_mean_the_whole_photo_is_searched() -> None:
    size = (1200, 900)
    grid = numpy.array([(x, y) for x in range(0, 1200, 30) for y in range(0, 900, 30)], dtype=float)
    assert faces._windows(grid, size) is None
    assert faces._windows(numpy.empty((0, 2)), size) == []
