"""A missing, damaged, unsupported or oversized image: one error naming the page and line; output untouched."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from tests.conftest import tree_digest
from tests.imagefiles import png_bomb

GOOD_PAGE = "# Home\n\nText.\n\n![good](../assets/good.jpg)\n"


def jpeg(size: tuple[int, int] = (400, 300)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "teal").save(buffer, "JPEG")
    return buffer.getvalue()


def tiff() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "teal").save(buffer, "TIFF")
    return buffer.getvalue()


BAD_IMAGES = {
    "missing": (None, "image bad.jpg does not exist"),
    "corrupt": (b"this is not an image at all", "image bad.jpg is damaged or in a format that cannot be read"),
    "truncated": (jpeg((900, 700))[:900], "image bad.jpg is damaged and cannot be decoded"),
    "unsupported": (tiff(), "image bad.jpg is in the TIFF format, which is not published"),
    "bomb": (png_bomb(), "image bad.jpg is too large to process safely (900,000,000 pixels; the limit is"),
}


@pytest.fixture
def good_site(make_site, run_cli, tmp_path: Path) -> tuple[Path, Path, dict[str, str]]:
    site = make_site({"content/en/index.md": GOOD_PAGE, "assets/good.jpg": jpeg(),
                      "data/photos.yaml": "row:\n  - image: assets/good.jpg\n    link: /\n    alt: good\n"})
    out = tmp_path / "out"
    assert run_cli("build", site, "-o", out).code == 0
    return site, out, tree_digest(out)


@pytest.mark.parametrize("case", BAD_IMAGES)
def test_bad_image_in_markdown_names_page_and_line(good_site, run_cli, case: str) -> None:
    site, out, before = good_site
    data, message = BAD_IMAGES[case]
    if data is not None:
        (site / "assets/bad.jpg").write_bytes(data)
    (site / "content/en/index.md").write_text(GOOD_PAGE + "\nMore.\n\n![bad](../assets/bad.jpg)\n", encoding="utf-8")

    result = run_cli("build", site, "-o", out)

    assert result.code == 1
    assert f"content/en/index.md:9: {message}" in result.err, result.err
    assert "hint:" in result.err
    assert tree_digest(out) == before


def test_bad_image_in_raw_html_names_its_line(good_site, run_cli) -> None:
    site, out, before = good_site
    (site / "content/en/index.md").write_text(GOOD_PAGE + '<p>\n<img src="/assets/gone.png" alt="">\n</p>\n',
                                              encoding="utf-8")
    result = run_cli("build", site, "-o", out)
    assert result.code == 1
    assert "content/en/index.md:7: image gone.png does not exist" in result.err
    assert tree_digest(out) == before


def test_bad_image_in_a_photo_row_names_the_data_file_line(good_site, run_cli) -> None:
    site, out, before = good_site
    (site / "data/photos.yaml").write_text(
        "row:\n  - image: assets/good.jpg\n    link: /\n    alt: good\n"
        "  - image: assets/lost.jpg\n    link: /\n    alt: lost\n", encoding="utf-8")
    (site / "content/en/index.md").write_text(GOOD_PAGE + '\n{{ photo_row("row") }}\n', encoding="utf-8")
    result = run_cli("build", site, "-o", out)
    assert result.code == 1
    assert "data/photos.yaml:5: image lost.jpg does not exist" in result.err
    assert tree_digest(out) == before


def test_an_unreferenced_bad_file_is_left_out_with_a_warning(good_site, run_cli) -> None:
    site, out, _ = good_site
    (site / "assets/scan.tiff").write_bytes(tiff())
    result = run_cli("build", site, "-o", out)
    assert result.code == 0
    assert "scan.tiff: warning: image scan.tiff is in the TIFF format" in result.err
    assert not (out / "assets/scan.tiff").exists()


def test_a_photo_with_more_pixels_than_a_photo_needs_is_refused(good_site, run_cli) -> None:
    """9,400 × 9,400 pixels of one colour are a PNG of a few hundred KB, under Pillow's own limit, that took
    1.7 GB to process: refused from its header, with the page and line, before a pixel is decoded."""
    site, out, before = good_site
    (site / "assets/huge.png").write_bytes(png_bomb(9400, 9400))
    (site / "content/en/index.md").write_text(GOOD_PAGE + "\nMore.\n\n![huge](../assets/huge.png)\n",
                                              encoding="utf-8")
    result = run_cli("build", site, "-o", out)
    assert result.code == 1 and "Traceback" not in result.err
    assert ("content/en/index.md:9: image huge.png is too large to process safely (9,400 × 9,400 = 88,360,000 "
            "pixels; the limit is 60,000,000 pixels)") in result.err, result.err
    assert "hint: scale it down" in result.err
    assert tree_digest(out) == before
