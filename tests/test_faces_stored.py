"""An answer in the review page masks the photo again from the faces found before: the detector is not run
again (it takes seconds a photo), and a stored list that was tampered with is never trusted."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

import samizdat.images.process
import samizdat.images.review
from samizdat.images.cache import CACHE_DIR, FOUND, ImageCache
from samizdat.images.decisions import Decision, record
from samizdat.images.model import Region
from samizdat.images.review import write_face_review
from tests.test_images_faces import FACE, face_site, flat

pytest.importorskip("cv2")


@pytest.fixture
def searches(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Counts every search of a photo, by the build and by the review page."""
    calls: list[str] = []
    for module in (samizdat.images.process, samizdat.images.review):
        real = module.detect_faces

        def counted(image: Image.Image, quick: bool = False, real=real, where=module.__name__) -> object:
            calls.append(f"{where}{' quick' if quick else ''}")
            return real(image, quick=quick)

        monkeypatch.setattr(module, "detect_faces", counted)
    return calls


def test_an_answer_masks_again_from_the_stored_faces_without_a_search(make_site, run_cli, tmp_path: Path,
                                                                     searches: list[str]) -> None:
    site = face_site(make_site)
    assert run_cli("build", site, "-o", tmp_path / "out").code == 0
    assert searches == ["samizdat.images.process"]
    with Image.open(tmp_path / "out/assets/astronaut.png") as published:
        assert flat(published.convert("RGB"), FACE)
    stored = list((site / CACHE_DIR).glob(f"found-*/{FOUND}"))
    assert len(stored) == 1

    page = write_face_review(site, tmp_path / "review", interactive=True)  # the page reads the same faces
    assert searches == ["samizdat.images.process"]
    face = next(r for r in page_regions(site) if r.x <= FACE[0] and r.x + r.w >= FACE[2])
    record(site, Decision("assets/astronaut.png", (face.x, face.y, face.w, face.h), "reject"))
    assert "assets/astronaut.png" in page.photos

    assert run_cli("build", site, "-o", tmp_path / "out2").code == 0
    assert searches == ["samizdat.images.process"]  # masked again, not searched again
    with Image.open(tmp_path / "out2/assets/astronaut.png") as published:
        assert not flat(published.convert("RGB"), FACE)  # the answer is in the photo


def test_a_stored_list_changed_by_hand_is_not_trusted(make_site, run_cli, tmp_path: Path,
                                                     searches: list[str]) -> None:
    site = face_site(make_site)
    assert run_cli("build", site, "-o", tmp_path / "out").code == 0
    (stored,) = (site / CACHE_DIR).glob(f"found-*/{FOUND}")
    data = stored.read_bytes()
    planted = data.replace(b'"found":[{', b'"found":[],"x":[{')  # no faces, says the planted list
    assert planted != data
    stored.write_bytes(planted)
    (site / "data").mkdir(exist_ok=True)
    (site / "data/faces.yaml").write_text("assets/astronaut.png:\n  regions: [[0, 0, 10, 10]]\n", encoding="utf-8")
    assert run_cli("build", site, "-o", tmp_path / "out2").code == 0
    assert searches == ["samizdat.images.process", "samizdat.images.process"]
    with Image.open(tmp_path / "out2/assets/astronaut.png") as published:
        assert flat(published.convert("RGB"), FACE)


def page_regions(site: Path) -> tuple[Region, ...]:
    cache = ImageCache(site)
    (entry,) = (site / CACHE_DIR).glob("found-*")
    found = cache.load_found(entry.name)
    assert found
    return found


def test_a_planted_link_in_place_of_the_stored_list_is_never_written_through(make_site, run_cli, tmp_path: Path,
                                                                            searches: list[str]) -> None:
    site = face_site(make_site)
    assert run_cli("build", site, "-o", tmp_path / "out").code == 0
    (stored,) = (site / CACHE_DIR).glob(f"found-*/{FOUND}")
    entry = stored.parent
    stored.unlink()
    entry.rmdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    entry.symlink_to(outside, target_is_directory=True)
    (site / "data").mkdir(exist_ok=True)
    (site / "data/faces.yaml").write_text("assets/astronaut.png:\n  regions: [[0, 0, 10, 10]]\n", encoding="utf-8")
    assert run_cli("build", site, "-o", tmp_path / "out2").code == 0
    write_face_review(site, tmp_path / "review")
    assert list(outside.iterdir()) == []
    assert len(searches) == 3  # searched again by the build and by the page: nothing trusted through the link
    with Image.open(tmp_path / "out2/assets/astronaut.png") as published:
        assert flat(published.convert("RGB"), FACE)
