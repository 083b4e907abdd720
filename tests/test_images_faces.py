"""Faces masked in a real photograph (scikit-image's astronaut, shipped inside its wheel), before resizing."""

from __future__ import annotations

import importlib.resources
import re
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageStat

import samizdat.images.faces
from samizdat.images.review import review_words
from tests.conftest import MINIMAL_CONFIG
from tests.test_build import Elements, read

ASTRONAUT = importlib.resources.files("skimage.data") / "astronaut.png"  # 512×512, Eileen Collins
FACE = (200, 90, 250, 150)  # the middle of her face: eyes, nose and mouth
HAND_REGION = [400, 400, 60, 60]  # a box added by hand in data/faces.yaml (the patch on her suit)
UNTOUCHED = (20, 300, 120, 420)  # her arm and the background, far from both masks
PAGE = "![Astronaut](../assets/astronaut.png)\n"


def face_site(make_site, images: str = "mask_faces = true\n", faces: str | None = None) -> Path:
    files: dict[str, str | bytes] = {
        "content/en/index.md": PAGE,
        "assets/astronaut.png": ASTRONAUT.read_bytes(),
    }
    if faces is not None:
        files["data/faces.yaml"] = faces
    return make_site(files, config=MINIMAL_CONFIG + "\n[images]\n" + images)


def published_copies(out: Path) -> list[Path]:
    html = read(out, "en/index.html")
    urls = set(re.findall(r"(/_images/\S+?) \d+w", html))
    assert len(urls) >= 6  # PNG, WebP (and AVIF) at 320 and 512
    return [out / url.lstrip("/") for url in sorted(urls)] + [out / "assets/astronaut.png"]


def scaled(box: tuple[int, int, int, int], factor: float) -> tuple[int, int, int, int]:
    return tuple(round(v * factor) for v in box)  # type: ignore[return-value]


def flat(image: Image.Image, box: tuple[int, int, int, int]) -> bool:
    stat = ImageStat.Stat(image.crop(box))
    return max(stat.stddev) < 4 and max(stat.mean) < 16


def test_face_and_hand_region_are_masked_in_every_copy(make_site, run_cli, tmp_path: Path) -> None:
    original = Image.open(ASTRONAUT).convert("RGB")
    hand = (HAND_REGION[0], HAND_REGION[1], HAND_REGION[0] + HAND_REGION[2], HAND_REGION[1] + HAND_REGION[3])
    assert not flat(original, FACE) and not flat(original, hand)
    site = face_site(make_site, faces=f"assets/astronaut.png:\n  regions: [{HAND_REGION}]\n")
    out = tmp_path / "out"
    result = run_cli("build", site, "-o", out)
    assert result.code == 0, result.err

    for path in published_copies(out):
        with Image.open(path) as opened:
            image = opened.convert("RGB")
        factor = image.width / original.width
        inset = 3  # resampling softens the mask's edge by a pixel or two
        face = scaled(FACE, factor)
        assert flat(image, face), path
        hand_box = scaled((hand[0] + inset, hand[1] + inset, hand[2] - inset, hand[3] - inset), factor)
        assert flat(image, hand_box), path
        reference = original.resize(image.size, Image.Resampling.LANCZOS)
        box = scaled(UNTOUCHED, factor)
        difference = ImageStat.Stat(ImageChops.difference(image.crop(box), reference.crop(box))).mean
        assert max(difference) < 8, (path, difference)
        assert not flat(image, box)


def test_pixelate_leaves_only_large_cells(make_site, run_cli, tmp_path: Path) -> None:
    site = face_site(make_site, images='mask_faces = true\nmask_style = "pixelate"\n')
    out = tmp_path / "out"
    assert run_cli("build", site, "-o", out).code == 0
    with Image.open(out / "assets/astronaut.png") as opened:
        face = opened.convert("RGB").crop(FACE)
    colours = face.getcolors(maxcolors=64)
    assert colours is not None and len(colours) <= 16  # a handful of blocks, no detail of the face


def test_a_photo_can_opt_out_while_the_site_masks(make_site, run_cli, tmp_path: Path) -> None:
    site = face_site(make_site, faces="assets/astronaut.png: {mask: false}\n")
    out = tmp_path / "out"
    assert run_cli("build", site, "-o", out).code == 0
    with Image.open(out / "assets/astronaut.png") as opened:
        assert not flat(opened.convert("RGB"), FACE)


def test_missing_detector_says_how_to_install_it(make_site, run_cli, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(samizdat.images.faces, "detector_available", lambda: False)
    site = face_site(make_site)
    result = run_cli("build", site, "-o", tmp_path / "out")
    assert result.code == 1
    assert "samizdat.toml:" in result.err and "pip install samizdat[faces]" in result.err
    assert not (tmp_path / "out").exists()


def test_a_faces_entry_for_a_missing_photo_is_an_error(make_site, run_cli, tmp_path: Path) -> None:
    site = face_site(make_site, faces="# photos\nassets/astronot.png:\n  mask: true\n")
    result = run_cli("build", site, "-o", tmp_path / "out")
    assert result.code == 1
    assert "faces.yaml:2: assets/astronot.png is not an image the site publishes" in result.err


def test_review_page_shows_each_photo_with_its_regions(make_site, run_cli, tmp_path: Path) -> None:
    site = face_site(make_site, faces=f"assets/astronaut.png:\n  regions: [{HAND_REGION}]\n")
    result = run_cli("faces", site, "-o", tmp_path / "review")
    assert result.code == 0, result.err
    html = (tmp_path / "review/index.html").read_text(encoding="utf-8")
    words = review_words("ru")  # the site's main language is Russian: so is the page
    assert "assets/astronaut.png" in html and '<html lang="ru"' in html and words["title"] in html
    assert f"{words['by_hand']}: [400, 400, 60, 60]" in html and f"{words['detected']}: [" in html
    page = Elements(html)
    images = [img["src"] for img in page.all("img")]
    assert images[:2] == ["0-regions.jpg", "0-masked.jpg"]
    assert all((tmp_path / "review" / (src or "")).is_file() for src in images)
    assert "http" not in "".join(images) and "<script" not in html
    with Image.open(tmp_path / "review" / images[1]) as masked:
        assert flat(masked.convert("RGB"), FACE)
