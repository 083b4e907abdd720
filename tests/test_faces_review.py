"""The review scales: riskiest photos first, unsure boxes shown close up in the site's language, and a
box a person rejects in data/faces.yaml (`not_faces`) left unmasked, while every other box stays masked."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest
from PIL import Image

from bench.faceset import make_scene
from samizdat.images.faces import detect_faces
from samizdat.images.review import review_words
from tests.conftest import MINIMAL_CONFIG
from tests.test_images_faces import ASTRONAUT, FACE, face_site, flat

pytest.importorskip("cv2")


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def test_the_crowd_comes_first_with_its_unsure_boxes_close_up(make_site, run_cli, tmp_path: Path) -> None:
    crowd = make_scene(0, faces=12, size=(800, 600), seed=11).image()
    site = make_site({"content/en/index.md": "Hi.\n", "assets/a-portrait.png": ASTRONAUT.read_bytes(),
                      "assets/z-crowd.png": _png(crowd)}, config=MINIMAL_CONFIG + "\n[images]\nmask_faces = true\n")
    result = run_cli("faces", site, "-o", tmp_path / "review")
    assert result.code == 0, result.err
    html = (tmp_path / "review/index.html").read_text(encoding="utf-8")
    words = review_words("ru")
    titles = re.findall(r"<h2>(.*?)</h2>", html)
    assert titles == ["assets/z-crowd.png", "assets/a-portrait.png"]  # many small faces outrank one large one
    crowd_section = html.split("<h2>")[1]
    assert words["unsure"] in crowd_section and words["reject"] in crowd_section
    lines = re.findall(r"<code>- \[(\d+), (\d+), (\d+), (\d+)\]</code> \((0\.\d\d)\)", crowd_section)
    assert lines and all(float(score) < 0.3 for *_, score in lines)
    for name in re.findall(r'src="(\d+-unsure-\d+\.jpg)"', crowd_section):
        with Image.open(tmp_path / "review" / name) as close_up:
            assert max(close_up.size) == 160


def test_english_is_the_fallback_for_a_language_without_words() -> None:
    assert review_words("xx")["title"] == review_words("en")["title"]
    assert review_words("ko")["title"] != review_words("en")["title"]


def test_a_rejected_box_is_left_unmasked_and_only_that_one(make_site, run_cli, tmp_path: Path) -> None:
    with Image.open(ASTRONAUT) as opened:
        regions = detect_faces(opened.convert("RGB"))
    face = next(r for r in regions if r.x <= FACE[0] and r.x + r.w >= FACE[2])
    box = f"[{face.x}, {face.y}, {face.w}, {face.h}]"
    site = face_site(make_site, faces=f"assets/astronaut.png:\n  not_faces: [{box}]\n")
    assert run_cli("build", site, "-o", tmp_path / "out").code == 0
    with Image.open(tmp_path / "out/assets/astronaut.png") as published:
        assert not flat(published.convert("RGB"), FACE)  # the volunteer said: not a face
    elsewhere = f"[{face.x + face.w}, {face.y}, {face.w}, {face.h}]"  # a box beside it rejects nothing
    site = face_site(make_site, faces=f"assets/astronaut.png:\n  not_faces: [{elsewhere}]\n")
    assert run_cli("build", site, "-o", tmp_path / "out2").code == 0
    with Image.open(tmp_path / "out2/assets/astronaut.png") as published:
        assert flat(published.convert("RGB"), FACE)


@pytest.mark.parametrize("value", ["[[1, 2, 3]]", "[[-1, 0, 10, 10]]", "yes"])
def test_a_malformed_rejection_is_refused_at_its_line(value: str, make_site, run_cli, tmp_path: Path) -> None:
    site = face_site(make_site, faces=f"# reviewed\nassets/astronaut.png:\n  not_faces: {value}\n")
    result = run_cli("build", site, "-o", tmp_path / "out")
    assert result.code == 1
    assert "faces.yaml:2:" in result.err and "`not_faces` must be a list" in result.err


@pytest.mark.parametrize("linked", [".samizdat-cache", ".samizdat-cache/faces-review"])
def test_the_review_page_is_never_written_through_a_link_the_site_brings(linked: str, make_site, run_cli,
                                                                        tmp_path: Path) -> None:
    """By default the page goes to SITE/.samizdat-cache/faces-review; a site from a stranger may bring
    that folder, or the cache folder, as a link to a folder of the volunteer's."""
    site = make_site({"content/en/index.md": "Hi.\n", "assets/portrait.png": ASTRONAUT.read_bytes()},
                     config=MINIMAL_CONFIG + "\n[images]\nmask_faces = true\n")
    elsewhere = tmp_path / "volunteer-files"
    elsewhere.mkdir()
    (site / linked).parent.mkdir(parents=True, exist_ok=True)
    (site / linked).symlink_to(elsewhere, target_is_directory=True)
    result = run_cli("faces", site)
    assert result.code == 1 and "Traceback" not in result.err, result.err
    assert f"{linked} is a symbolic link" in result.err
    assert list(elsewhere.iterdir()) == []


def test_the_faces_file_is_not_read_through_a_linked_data_folder(make_site, run_cli, tmp_path: Path) -> None:
    site = make_site({"content/en/index.md": "Hi.\n", "assets/portrait.png": ASTRONAUT.read_bytes()},
                     config=MINIMAL_CONFIG + "\n[images]\nmask_faces = true\n")
    elsewhere = tmp_path / "volunteer"
    elsewhere.mkdir()
    (elsewhere / "faces.yaml").write_text("assets/portrait.png: {mask: false}\n", encoding="utf-8")
    (site / "data").mkdir(exist_ok=True)
    shutil.rmtree(site / "data")
    (site / "data").symlink_to(elsewhere, target_is_directory=True)
    result = run_cli("faces", site, "-o", tmp_path / "review")
    assert result.code == 1 and "Traceback" not in result.err, result.err
    assert "data is a symbolic link" in result.err
