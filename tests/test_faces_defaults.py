"""Safer defaults for protest photos: `init` masks faces unless told the site shows no people, and a photo
that shows faces, published unmasked, is a warning until a person marks it as looked at."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from tests.conftest import MINIMAL_CONFIG
from tests.hostile import MINIMAL_PAGES
from tests.test_images_faces import ASTRONAUT

pytest.importorskip("cv2")


@pytest.mark.parametrize("flag, masked", [("--people", True), ("--no-people", False), (None, True)])
def test_init_masks_faces_unless_told_there_are_no_people(flag: str | None, masked: bool, run_cli,
                                                           tmp_path: Path) -> None:
    args = ["init", tmp_path / "site", "--languages", "en"] + ([flag] if flag else [])
    result = run_cli(*args)  # under pytest stdin is not a terminal: nobody to ask, so faces are masked
    assert result.code == 0, result.err
    config = tomllib.loads((tmp_path / "site/samizdat.toml").read_text(encoding="utf-8"))
    assert config.get("images", {}).get("mask_faces", False) is masked
    assert ("faces will be masked" in result.out) is masked
    (tmp_path / "site/assets/astronaut.png").write_bytes(ASTRONAUT.read_bytes())
    (tmp_path / "site/content/en/index.md").write_text("![a](/assets/astronaut.png)\n", encoding="utf-8")
    built = run_cli("build", tmp_path / "site", "-o", tmp_path / "out")
    assert built.code == 0, built.err
    assert ("[unreviewed-faces]" in built.out + built.err) is not masked


FACES_CASES = {
    "neither masked nor reviewed": (None, 1),
    "reviewed: left unmasked on purpose": ("assets/astronaut.png: {mask: false}\n", 0),
    "masked": ("assets/astronaut.png: {mask: true}\n", 0),
}


@pytest.mark.parametrize("faces, warnings", FACES_CASES.values(), ids=FACES_CASES.keys())
def test_check_warns_about_faces_neither_masked_nor_reviewed(faces: str | None, warnings: int, make_site, run_cli
                                                             ) -> None:
    files: dict[str, str | bytes] = {**MINIMAL_PAGES, "assets/astronaut.png": ASTRONAUT.read_bytes(),
                                     "assets/poster.png": _poster()}
    if faces:
        files["data/faces.yaml"] = faces
    site = make_site(files, config=MINIMAL_CONFIG)
    result = run_cli("check", site)
    lines = [line for line in result.out.splitlines() if "[unreviewed-faces]" in line]
    assert len(lines) == warnings, result.out
    if warnings:
        assert "warning [unreviewed-faces]: photo assets/astronaut.png shows 1 face(s)" in lines[0]
        assert "poster.png" not in result.out  # a drawing with no face is not reported


def _poster() -> bytes:
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (400, 300), (200, 30, 30))
    ImageDraw.Draw(image).rectangle((40, 40, 360, 120), fill=(250, 250, 250))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()
