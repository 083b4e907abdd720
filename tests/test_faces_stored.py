"""An answer in the review page masks the photo again from the faces found before: the detector is not run
again (it takes seconds a photo), and a list planted in the site folder is never trusted nor written through."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from PIL import Image

import samizdat.images.process
import samizdat.images.review
from samizdat.build.cache.products import open_products
from samizdat.build.cache.store import Store, store_path
from samizdat.images.cache import FOUND_KIND, ImageCache
from samizdat.images.decisions import Decision, record
from samizdat.images.faces import detector_version
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


def found_rows(site: Path) -> dict[str, dict]:
    """What the build store keeps of the faces found, by key."""
    db = sqlite3.connect(store_path(site))
    rows = db.execute("SELECT key, value FROM products WHERE key LIKE ?", (FOUND_KIND + "%",)).fetchall()
    db.close()
    return {key: json.loads(value) for key, value in rows}


def page_regions(site: Path) -> tuple[Region, ...]:
    cache = ImageCache(open_products(Store(None), site))
    found = cache.load_found(cache.found_key(cache.digest(site / "assets/astronaut.png"), detector_version()))
    assert found
    return found


def test_an_answer_masks_again_from_the_stored_faces_without_a_search(make_site, run_cli, tmp_path: Path,
                                                                     searches: list[str]) -> None:
    site = face_site(make_site)
    assert run_cli("build", site, "-o", tmp_path / "out").code == 0
    assert searches == ["samizdat.images.process"]
    with Image.open(tmp_path / "out/assets/astronaut.png") as published:
        assert flat(published.convert("RGB"), FACE)
    (stored,) = found_rows(site).values()
    assert stored["found"]

    book = open_products(Store(None), site)
    page = write_face_review(site, tmp_path / "review", interactive=True, book=book)  # the page reads the same faces
    assert searches == ["samizdat.images.process"]
    face = next(r for r in page_regions(site) if r.x <= FACE[0] and r.x + r.w >= FACE[2])
    record(site, Decision("assets/astronaut.png", (face.x, face.y, face.w, face.h), "reject"))
    assert "assets/astronaut.png" in page.photos

    assert run_cli("build", site, "-o", tmp_path / "out2").code == 0
    assert searches == ["samizdat.images.process"]  # masked again, not searched again
    with Image.open(tmp_path / "out2/assets/astronaut.png") as published:
        assert not flat(published.convert("RGB"), FACE)  # the answer is in the photo


def test_a_list_planted_in_the_site_folder_is_not_trusted(make_site, run_cli, tmp_path: Path,
                                                          searches: list[str]) -> None:
    """The old place of the lists, in the site's own `.samizdat-cache/`, could come with a stranger's site:
    a list there that names no faces is never read, and the face stays masked."""
    site = face_site(make_site)
    planted = site / ".samizdat-cache/images/found-planted/found.sealed"
    planted.parent.mkdir(parents=True)
    planted.write_text(json.dumps({"key": "planted", "found": []}), encoding="utf-8")
    assert run_cli("build", site, "-o", tmp_path / "out").code == 0
    (site / "data").mkdir(exist_ok=True)
    (site / "data/faces.yaml").write_text("assets/astronaut.png:\n  regions: [[0, 0, 10, 10]]\n", encoding="utf-8")
    assert run_cli("build", site, "-o", tmp_path / "out2").code == 0
    assert searches == ["samizdat.images.process"]  # the store's own list, not the planted one
    with Image.open(tmp_path / "out2/assets/astronaut.png") as published:
        assert flat(published.convert("RGB"), FACE)


def test_a_planted_link_in_the_site_folder_is_never_written_through(make_site, run_cli, tmp_path: Path,
                                                                    searches: list[str]) -> None:
    site = face_site(make_site)
    outside = tmp_path / "outside"
    outside.mkdir()
    (site / ".samizdat-cache").mkdir(exist_ok=True)
    (site / ".samizdat-cache/images").symlink_to(outside, target_is_directory=True)
    assert run_cli("build", site, "-o", tmp_path / "out").code == 0
    write_face_review(site, tmp_path / "review", book=open_products(Store(None), site))
    assert list(outside.iterdir()) == []
    assert searches == ["samizdat.images.process"]
    with Image.open(tmp_path / "out/assets/astronaut.png") as published:
        assert flat(published.convert("RGB"), FACE)
