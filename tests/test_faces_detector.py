"""The crowd detector: recall on a small fixed set of bench photos, tiles that leave no gap, merging that
keeps a face whole, and a model that is read from the installed package, never fetched."""

from __future__ import annotations

import itertools
import socket

import numpy
import pytest

from bench.faces import COVERED, coverage, masked_share
from bench.faceset import make_scene
from samizdat.images import faces

pytest.importorskip("cv2")
SCENES = [make_scene(index, faces=12, size=(800, 600), seed=11) for index in range(2)]


@pytest.fixture(scope="module")
def found() -> list[list[tuple[int, int, int, int]]]:
    return [[(r.x, r.y, r.x + r.w, r.y + r.h) for r in faces.detect_faces(scene.image())] for scene in SCENES]


def test_recall_on_a_small_fixed_crowd_set_is_above_ninety_percent(found) -> None:
    known = [(face, boxes) for scene, boxes in zip(SCENES, found, strict=True) for face in scene.faces]
    assert len(known) == 24 and min(face.width for face, _ in known) < 24  # small faces are in the set
    covered = [coverage(face, boxes) >= COVERED for face, boxes in known]
    assert sum(covered) / len(covered) > 0.90, [(f.width, f.angle, f.covered_by) for (f, _), c in
                                                 zip(known, covered, strict=True) if not c]


def test_masks_leave_most_of_the_photo_visible(found) -> None:
    shares = [masked_share(boxes, (800, 600)) for boxes in found]
    assert max(shares) < 0.3, shares


def test_every_found_face_is_padded_and_scored(found) -> None:
    regions = faces.detect_faces(SCENES[0].image())
    assert regions and all(0 < r.confidence <= 1 and r.origin == "detected" for r in regions)


@pytest.mark.parametrize("length", [1, 799, 800, 801, 1600, 1601, 3200, 4033, 6000, 8000])
@pytest.mark.parametrize("overlap", [96, 160])
@pytest.mark.parametrize("most", [800, 1600])
def test_blocks_cover_every_pixel_with_the_promised_overlap(length: int, overlap: int, most: int) -> None:
    spans = faces._spans(length, most, overlap)
    covered = numpy.zeros(length, dtype=int)
    for start, side in spans:
        assert 0 < side <= most
        covered[start:start + side] += 1
    assert covered.min() >= 1 and spans[0][0] == 0 and sum(spans[-1]) == length
    for (before, side), (after, _) in itertools.pairwise(spans):
        assert before + side - after >= overlap  # a face up to `overlap` wide is whole in some block
    # Little is searched twice: the overlaps, and less than 32 pixels a block to reach a multiple of 32.
    assert sum(side for _, side in spans) < length + (len(spans) - 1) * overlap + 32 * len(spans)


def test_a_face_cut_by_a_tile_edge_is_merged_into_one_box_and_others_stay_apart() -> None:
    boxes = numpy.array([[100, 100, 140, 150, 0.9],  # the whole face, from one tile
                         [100, 100, 125, 150, 0.4],  # its left part, cut by the next tile's edge
                         [104, 98, 142, 151, 0.3],  # the same face found at another scale
                         [300, 100, 340, 150, 0.2]], dtype=numpy.float32)  # another face
    merged = sorted(faces.merge(boxes))
    assert len(merged) == 2
    assert merged[0][:4] == (100, 98, 142, 151) and merged[0][4] == pytest.approx(0.9)
    assert merged[1][:4] == (300, 100, 340, 150)


def test_a_cut_face_surer_than_the_whole_is_masked_whole_and_weak_neighbours_do_not_grow_it() -> None:
    boxes = numpy.array([[100, 100, 118, 150, 0.6],  # the left part of a face, cut by a tile's edge: surest
                         [100, 100, 140, 150, 0.3],  # the whole face, found in the next tile
                         [128, 110, 170, 160, 0.05]], dtype=numpy.float32)  # a weak box beside it, on a wall
    merged = faces.merge(boxes)
    assert merged[0][:4] == (100, 100, 140, 150) and merged[0][4] == pytest.approx(0.6)
    assert len(merged) == 2 and merged[1][:4] == (128, 110, 170, 160)  # kept apart, not a union of both


def test_the_model_comes_from_the_package_with_no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    from samizdat.images import centerface

    centerface._network.cache_clear()

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the face detector tried to use the network")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    assert faces.detect_faces(SCENES[1].image())


def test_both_runtimes_read_the_published_weights_alike() -> None:
    """ONNX Runtime is used when installed, OpenCV otherwise (on the published weights, whose results can be
    compared): both runtimes must read those weights the same way, at any block size."""
    from samizdat.images import centerface

    backend, fast = centerface._network(centerface.FLOAT_MODEL)
    assert backend == "onnxruntime"
    opencv = centerface._opencv(centerface._resource(centerface.FLOAT_MODEL))
    block = numpy.asarray(SCENES[0].image())[:576, :800]
    for ours, theirs in zip(fast(block), opencv(block), strict=True):
        assert ours.shape == theirs.shape and numpy.abs(ours - theirs).max() < 1e-3


def test_the_int8_model_finds_the_faces_the_published_weights_find() -> None:
    """The int8 copy is what builds run: every face the published weights are sure of, it finds too."""
    image = SCENES[1].image()
    exact = faces.detect_faces(image, search=faces.Search(model="centerface.onnx"))
    fast = faces.detect_faces(image)
    sure = [r for r in exact if r.confidence >= 0.3]
    assert sure
    for region in sure:
        assert any(faces._same_box(region, other) or _overlap(region, other) > 0.5 for other in fast), region


def _overlap(a: faces.Region, b: faces.Region) -> float:
    ix = max(0, min(a.x + a.w, b.x + b.w) - max(a.x, b.x))
    iy = max(0, min(a.y + a.h, b.y + b.h) - max(a.y, b.y))
    return ix * iy / (a.w * a.h)


def test_the_quick_look_is_one_pass_of_the_model_whatever_the_photo_size(monkeypatch: pytest.MonkeyPatch) -> None:
    """The look at every unmasked photo runs in every cold build: one 800 × 600 pass, not a tiled search."""
    from PIL import Image

    calls = []
    real = faces._detect
    monkeypatch.setattr(faces, "_detect", lambda block, model: calls.append(block.shape) or real(block, model))
    photo = Image.new("RGB", (4000, 3000), (90, 120, 150))
    faces.detect_faces(photo, quick=True)
    assert calls == [(600, 800, 3)]
    calls.clear()
    faces.detect_faces(photo.resize((1600, 1200)), search=faces.Search(skip_flat=False, cascade=False))
    assert len(calls) == 1 + 1 + 6  # the full search: overview, own size, enlarged twice (3200 × 2400)
    for search in (faces.Search(), faces.Search(cascade=False)):
        calls.clear()
        faces.detect_faces(photo.resize((1600, 1200)), search=search)
        assert len(calls) == 1 + 1  # a plain photo: nothing proposed, and nothing but plain areas to enlarge


def test_plain_sky_is_left_out_of_the_enlarged_search_and_no_face_is_lost(monkeypatch: pytest.MonkeyPatch) -> None:
    from PIL import Image

    crowd = make_scene(0, faces=12, size=(1600, 600), seed=11)
    photo = Image.new("RGB", (1600, 1200), (120, 160, 210))  # a clear sky above the crowd
    photo.paste(crowd.image(), (0, 600))
    searched = []
    real = faces._detect
    monkeypatch.setattr(faces, "_detect", lambda block, model: searched.append(block.shape) or real(block, model))
    # The rule of the enlarged search over the whole photo (when the proposals cover most of it).
    everywhere = faces.detect_faces(photo, search=faces.Search(skip_flat=False, cascade=False))
    pixels_everywhere, searched[:] = sum(h * w for h, w, _ in searched), []
    trimmed = faces.detect_faces(photo, search=faces.Search(cascade=False))
    assert sum(h * w for h, w, _ in searched) < 0.75 * pixels_everywhere
    assert len(trimmed) >= len(crowd.faces) * 0.8 and trimmed == everywhere  # the same faces, every one


def test_the_benchmark_sets_share_no_background_and_no_face() -> None:
    """Thresholds are chosen on the tuning set; the held-out figures mean something only if it is new."""
    from bench.faceset import SPLITS, crops_of

    tuning, held_out = SPLITS["tuning"], SPLITS["held-out"]
    assert not set(tuning.backgrounds) & set(held_out.backgrounds) and tuning.seed != held_out.seed
    tuning_faces, held_out_faces = {c.name for c in crops_of(tuning)}, {c.name for c in crops_of(held_out)}
    assert len(tuning_faces) >= 50 and len(held_out_faces) >= 50 and not tuning_faces & held_out_faces
    assert not {name.split()[0] for name in tuning_faces} - {"lfw", "astronaut.png"}
    scene = make_scene(0, faces=10, size=(800, 600), seed=held_out.seed, split=held_out)
    assert {face.source for face in scene.faces} <= held_out_faces


@pytest.mark.parametrize(("name", "value"), [("NEEDED_SCORE", ((24, 0.5), (float("inf"), 0.9))), ("PADDING", 0.1),
                                             ("ENLARGE", 1.5), ("UNION_IOU", 0.9), ("REACH", 48),
                                             ("CASCADE_MOST", 0.9), ("SEARCH", faces.Search(cascade=False)),
                                             ("SEARCH", faces.Search(tile=800))])
def test_a_photo_is_masked_again_when_the_search_changes(monkeypatch: pytest.MonkeyPatch, name: str,
                                                         value: object) -> None:
    """The detector's version is part of the image cache key: other bars must not reuse old masks."""
    before = faces.detector_version()
    monkeypatch.setattr(faces, name, value)
    assert faces.detector_version() != before
