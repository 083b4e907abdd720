"""Meeting flyers printed by Chromium: one A4 sheet per language, and QR codes a reader decodes."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import pytest
import zxingcpp
from PIL import Image

from tests.browser import PageWatch, static_server

pytestmark = pytest.mark.browser

MEETING = "meetings/2022-02-27-bosingak/"
BASE = "https://www.voicesinkorea.kr/"
A4_POINTS = (595.28, 841.89)
FLYERS = {  # flyer → how many languages it carries
    f"{MEETING}flyer/": 1,
    f"en/{MEETING}flyer/": 1,
    f"kr/{MEETING}flyer/": 1,
    f"{MEETING}flyer/all/": 3,
}


@pytest.mark.parametrize("flyer", sorted(FLYERS))
def test_flyer_prints_one_a4_page_per_language(browser, bundled_build: Path, flyer: str) -> None:
    with static_server(bundled_build) as base:
        page = browser.new_page()
        watch = PageWatch()
        watch.attach(page)
        page.goto(f"{base}/{flyer}")
        pdf = page.pdf(format="A4", prefer_css_page_size=True, print_background=True)
        page.close()
    assert not watch.errors, watch.errors  # the CSP blocked nothing: no inline style, no script
    assert not watch.outside(base)
    with pikepdf.open(io.BytesIO(pdf)) as document:
        sizes = [tuple(float(value) for value in page.mediabox[2:]) for page in document.pages]
    assert len(sizes) == FLYERS[flyer], f"{flyer}: {len(sizes)} pages for {FLYERS[flyer]} languages"
    for width, height in sizes:  # Chromium rounds the sheet to whole CSS pixels: within a point of A4
        assert abs(width - A4_POINTS[0]) < 1 and abs(height - A4_POINTS[1]) < 1


@pytest.mark.parametrize("flyer", sorted(FLYERS))
def test_flyer_qr_codes_decode_to_the_meeting_pages(browser, bundled_build: Path, flyer: str) -> None:
    with static_server(bundled_build) as base:
        page = browser.new_page(viewport={"width": 900, "height": 1200})
        page.goto(f"{base}/{flyer}")
        page.emulate_media(media="print")
        shots = [code.screenshot() for code in page.locator("svg.qr").all()]
        captions = page.locator(".flyer-sheet .flyer-url").all_inner_texts()
        page.close()
    decoded = [_decode(shot) for shot in shots]
    prefixes = ["", "en/", "kr/"] if FLYERS[flyer] == 3 else [flyer.removesuffix(f"{MEETING}flyer/")]
    assert decoded == [f"{BASE}{prefix}{MEETING}" for prefix in prefixes]
    assert captions == decoded  # the address printed under each code is the one it holds


def _decode(png: bytes) -> str:
    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)).convert("L"))
    assert len(results) == 1, f"{len(results)} codes found in the picture"
    assert results[0].format == zxingcpp.BarcodeFormat.QRCode
    return results[0].text
