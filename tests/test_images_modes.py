"""Every pixel mode a published format can hold comes out as the right sRGB colours, or is refused by name.

Each file is built into a site; the published full-size copy and its resized copies are read back and
their pixels compared with the expected colours: 16-bit samples scaled (v/257), and colours under an ICC
profile converted by ImageCms from the same numbers.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image, ImageCms

from samizdat.images.colour import UnsupportedMode, to_srgb
from tests.colourfiles import display_p3_profile, png16
from tests.conftest import MINIMAL_CONFIG
from tests.hostile import MINIMAL_PAGES, assert_refused, sandbox  # noqa: F401

CONFIG = MINIMAL_CONFIG + '\n[images]\nformats = ["webp"]\nwidths = [320]\n'
BLOCK = 16  # each test image is a row of flat blocks this wide, sampled at their centres
SAMPLES16 = [(0, 0, 0), (65535, 65535, 65535), (32768, 4000, 60000), (1000, 50000, 20000)]
P3_COLOURS = [(200, 100, 50), (30, 180, 90), (120, 60, 220), (250, 250, 10)]
Pixel = tuple[int, ...]


@dataclass(frozen=True)
class Case:
    name: str  # file name in assets/
    data: bytes
    expected: list[Pixel]  # the colour of each block, as published (RGB, or RGBA when see-through)
    tolerance: int = 1


def _blocks(colours: list[Pixel], mode: str) -> Image.Image:
    image = Image.new(mode, (BLOCK * len(colours), BLOCK))
    for i, colour in enumerate(colours):
        image.paste(colour if len(colour) > 1 else colour[0], (i * BLOCK, 0, (i + 1) * BLOCK, BLOCK))
    return image


def _saved(image: Image.Image, fmt: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def _eight(v: int) -> int:
    return round(v / 257)


def _rows16(samples: list[Pixel]) -> list[list[Pixel]]:
    return [[s for s in samples for _ in range(BLOCK)] for _ in range(BLOCK)]


def _p3_to_srgb(colours: list[Pixel]) -> list[Pixel]:
    """What ImageCms makes of these numbers read as Display P3: the reference the build must match."""
    profile = ImageCms.ImageCmsProfile(io.BytesIO(display_p3_profile()))
    converted = ImageCms.profileToProfile(_blocks(colours, "RGB"), profile, ImageCms.createProfile("sRGB"))
    return [converted.getpixel((i * BLOCK + BLOCK // 2, BLOCK // 2)) for i in range(len(colours))]


def _palette_p3() -> bytes:
    return _saved(_blocks(P3_COLOURS, "RGB").quantize(colors=8), "PNG", icc_profile=display_p3_profile())


def _cases() -> list[Case]:
    grey16 = [(s[0],) for s in SAMPLES16] + [(257 * 100,), (65280,)]
    transparent_gif = _blocks([(0,), (1,), (2,)], "P")
    transparent_gif.putpalette([255, 0, 0, 0, 255, 0, 0, 0, 255])
    return [
        Case("grey16.png", png16(_rows16(grey16), 0), [(_eight(v),) * 3 for (v,) in grey16]),
        Case("rgb16.png", png16(_rows16(SAMPLES16), 2), [tuple(_eight(v) for v in s) for s in SAMPLES16]),
        Case("greyalpha16.png", png16(_rows16([(40000, 30000), (65535, 65535)]), 4),
             [(156, 156, 156, 117), (255, 255, 255, 255)]),
        Case("rgba16.png", png16(_rows16([(65535, 0, 30000, 20000), (0, 0, 0, 65535)]), 6),
             [(255, 0, 117, 78), (0, 0, 0, 255)]),
        Case("palette-p3.png", _palette_p3(), _p3_to_srgb(P3_COLOURS)),
        Case("rgb-p3.png", _saved(_blocks(P3_COLOURS, "RGB"), "PNG", icc_profile=display_p3_profile()),
             _p3_to_srgb(P3_COLOURS)),
        Case("bilevel.png", _saved(_blocks([(0,), (1,)], "1"), "PNG"), [(0, 0, 0), (255, 255, 255)]),
        Case("greyalpha.png", _saved(_blocks([(90, 200), (10, 0)], "LA"), "PNG"), [(90, 90, 90, 200), (10, 10, 10, 0)]),
        Case("transparent.gif", _saved(transparent_gif, "GIF", transparency=1),
             [(255, 0, 0, 255), (0, 255, 0, 0), (0, 0, 255, 255)]),
        Case("grey.jpg", _saved(_blocks([(30,), (220,)], "L"), "JPEG", quality=95), [(30,) * 3, (220,) * 3], 3),
        Case("cmyk.jpg", _saved(_blocks([(0, 255, 255, 0), (0, 0, 0, 0)], "CMYK"), "JPEG", quality=95),
             [(255, 0, 0), (255, 255, 255)], 4),
    ]


CASES = _cases()


def _published(out: Path, name: str) -> list[Path]:
    html = (out / "en/index.html").read_text(encoding="utf-8")
    variants = sorted(set(re.findall(r"(/_images/\S+?) \d+w", html)))
    assert len(variants) == 2, html  # the PNG/JPEG fallback and the WebP copy
    return [out / "assets" / name, *(out / v.lstrip("/") for v in variants)]


def _close(found: Pixel, wanted: Pixel, tolerance: int) -> bool:
    return len(found) == len(wanted) and all(abs(a - b) <= tolerance for a, b in zip(found, wanted, strict=True))


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_every_mode_is_published_in_its_true_colours(case: Case, make_site, run_cli, tmp_path: Path) -> None:
    site = make_site({"content/en/index.md": f"![x](/assets/{case.name})\n", f"assets/{case.name}": case.data},
                     config=CONFIG)
    result = run_cli("build", site, "-o", tmp_path / "out")
    assert result.code == 0, result.err
    for path in _published(tmp_path / "out", case.name):
        lossy = path.suffix in (".webp", ".jpg")
        with Image.open(path) as opened:
            image = opened.convert("RGBA" if len(case.expected[0]) == 4 else "RGB")
        for i, wanted in enumerate(case.expected):
            if lossy and len(wanted) == 4 and wanted[3] == 0:
                continue  # a fully see-through pixel's colour is the encoder's to choose
            found = image.getpixel((i * BLOCK + BLOCK // 2, BLOCK // 2))
            assert _close(found, wanted, case.tolerance + (10 if path.suffix == ".webp" else 0)), (path, i, found)


def test_profile_changes_the_numbers_it_must_change() -> None:
    """The P3 reference is not the identity: keeping P3 numbers as sRGB would fail the test above."""
    moved = _p3_to_srgb(P3_COLOURS)
    assert max(max(abs(a - b) for a, b in zip(m, c, strict=True)) for m, c in zip(moved, P3_COLOURS, strict=True)) > 20


@pytest.mark.parametrize("mode", ["F", "LAB", "HSV"])
def test_modes_without_a_sure_meaning_are_refused(mode: str) -> None:
    with pytest.raises(UnsupportedMode, match=mode):
        to_srgb(Image.new(mode, (4, 4)), None)


def _tall_screenshot(width: int, height: int) -> bytes:
    image = Image.new("RGB", (width, height), (220, 30, 30))
    image.paste((30, 30, 220), (0, height // 2, width, height))
    return _saved(image, "PNG")


TALL = _tall_screenshot(400, 20000)  # a phone's scrolling screenshot: beyond WebP's 16383 pixels a side
TALL_CONFIG = MINIMAL_CONFIG + '\n[images]\nformats = ["webp"]\n'  # default widths: a 400 × 20000 copy


@pytest.mark.parametrize("command", ["build", "check"])
def test_a_tall_screenshot_no_page_uses_neither_crashes_build_nor_check(command: str, make_site, run_cli,
                                                                         tmp_path: Path) -> None:
    site = make_site({**MINIMAL_PAGES, "assets/scroll.png": TALL}, config=TALL_CONFIG)
    args = ["-o", tmp_path / "out"] if command == "build" else []
    result = run_cli(command, site, *args)
    assert result.code == 0, result.out + result.err
    assert "Traceback" not in result.err and "scroll.png" not in result.out + result.err
    if command == "build":
        with Image.open(tmp_path / "out/assets/scroll.png") as full:
            assert full.size == (400, 20000)
            assert full.convert("RGB").getpixel((200, 100)) == (220, 30, 30)


def test_a_tall_screenshot_on_a_page_gets_a_webp_copy_within_the_limit(make_site, run_cli, tmp_path: Path) -> None:
    site = make_site({"content/en/index.md": "![scroll](/assets/scroll.png)\n", "assets/scroll.png": TALL},
                     config=TALL_CONFIG)
    result = run_cli("build", site, "-o", tmp_path / "out")
    assert result.code == 0, result.err
    html = (tmp_path / "out/en/index.html").read_text(encoding="utf-8")
    webp = re.search(r'type="image/webp" srcset="[^"]*?(\S+) (\d+)w"', html)  # its largest copy
    assert webp is not None, html
    with Image.open(tmp_path / "out" / webp[1].lstrip("/")) as copy:
        assert copy.format == "WEBP" and max(copy.size) <= 16383 and copy.width == int(webp[2])
        assert abs(copy.height / copy.width - 50) < 0.2  # in proportion, not squeezed
        top, bottom = copy.convert("RGB").getpixel((copy.width // 2, 50)), copy.convert("RGB").getpixel(
            (copy.width // 2, copy.height - 50))
    assert _close(top, (220, 30, 30), 12) and _close(bottom, (30, 30, 220), 12)


SHARE_CASES = {
    "missing": ("---\ntitle: March\nimage: assets/march.jpg\n---\nText.\n", {}, 3),
    "hidden, so never published": ("---\ntitle: March\nimage: assets/.private/march.jpg\n---\nText.\n",
                                   {"assets/.private/march.jpg": b"x"}, 3),
    "another site": ("---\ntitle: March\nimage: https://tracker.example/pixel.jpg\n---\nText.\n", {}, 3),
}


@pytest.mark.parametrize("page, extra, line", SHARE_CASES.values(), ids=SHARE_CASES.keys())
def test_a_share_image_that_is_not_published_is_refused_at_its_line(page: str, extra: dict, line: int,
                                                                    sandbox, capsys) -> None:  # noqa: F811
    sandbox.write({"content/en/march.md": page, **extra})
    outcome = sandbox.build(capsys)
    assert_refused(outcome, "march.md", line)
    assert "share picture" in outcome.err
    sandbox.assert_untouched()


def test_a_published_share_image_is_accepted_and_stripped(make_site, run_cli, tmp_path: Path) -> None:
    photo = _saved(Image.new("RGB", (64, 64), (10, 120, 200)), "JPEG", exif=b"Exif\0\0SECRET-GPS")
    site = make_site({"content/en/march.md": "---\ntitle: March\nimage: assets/march.jpg\n---\nText.\n",
                      "assets/march.jpg": photo}, config=CONFIG)
    result = run_cli("build", site, "-o", tmp_path / "out")
    assert result.code == 0, result.err
    assert 'og:image" content="https://example.org/assets/march.jpg"' in (
        tmp_path / "out/en/march/index.html").read_text(encoding="utf-8")
    assert b"SECRET-GPS" not in (tmp_path / "out/assets/march.jpg").read_bytes()


