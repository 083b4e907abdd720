"""Files carried as data: URLs (outputs/data_urls.py): found however they are written, and only real files."""

from __future__ import annotations

import base64
from urllib.parse import quote, quote_from_bytes

import pytest

from samizdat.outputs import data_urls
from samizdat.outputs.data_urls import carried_file, css_text, may_carry
from tests.documentfiles import jpeg_with_gps, pdf

PHOTO = jpeg_with_gps()
ENCODED = base64.b64encode(PHOTO).decode()
DRAWING = f'<svg xmlns="http://www.w3.org/2000/svg"><image href="data:image/jpeg;base64,{ENCODED}"/></svg>'

# Each as the browser reads it (an attribute after its entities, a style, a stylesheet): each shows the photo.
CARRIED = {
    "as written by editors": f"data:image/jpeg;base64,{ENCODED}",
    "in capitals": f"DATA:IMAGE/JPEG;BASE64,{ENCODED}",
    "claiming to be text": f"data:text/plain;base64,{ENCODED}",
    "with no type": f"data:;base64,{ENCODED}",
    "with a long header holding brackets": f"data:image/jpeg;x=({'a' * 5000});base64,{ENCODED}",
    "wrapped in lines": "data:image/jpeg;base64," + "\n".join(ENCODED[i:i + 76] for i in range(0, len(ENCODED), 76)),
    "with tabs and newlines in the scheme": f"d\ta\nta:image/jpeg;base64,{ENCODED}",
    "percent-escaped": "data:image/jpeg," + quote_from_bytes(PHOTO),
    "in a CSS url()": f"main {{ background: url('data:image/jpeg;base64,{ENCODED}') no-repeat }}",
    "in CSS, escaped": css_text(f"main {{ background: url(\\64 ata:image/jpeg;base64,{ENCODED}) }}"),
    "after harmless data: URLs": "a{b:url(data:,x)} c{d:url(data:,y)} e{f:url(data:,z)} "
                                 f"g{{h:url(data:image/jpeg;base64,{ENCODED})}}",
    "in a drawing, base64": "data:image/svg+xml;base64," + base64.b64encode(DRAWING.encode()).decode(),
    "in a drawing, percent-escaped": "data:image/svg+xml," + quote(DRAWING),
    "in a drawing, as it is": "data:image/svg+xml," + DRAWING,
    "in a drawing, its scheme an entity": "data:image/svg+xml," + quote(DRAWING.replace("data:", "d&#97;ta:")),
    "in a drawing, its colon escaped": "data:image/svg+xml," + quote(DRAWING.replace("data:", "data%3A")),
    "in a page in a drawing": "data:text/html;base64," + base64.b64encode(
        ("<p>x</p><img src='data:image/svg+xml;base64,"
         + base64.b64encode(DRAWING.encode()).decode() + "'>").encode()).decode(),
}
# Text that names data: URLs, or carries one without a file samizdat would clean.
PASSED = {
    "a sentence naming the scheme": "Small icons may be written as data:image/png;base64, in CSS",
    "an alt text": "Data: image/png, 4 MB",
    "a word ending in data": f"metadata:image/jpeg;base64,{ENCODED}",
    "a drawing without pictures": "data:image/svg+xml,%3Csvg%3E%3C/svg%3E",
    "an empty URL": "data:,",
    "text as data": "data:text/plain,Hello%20world",
    "no comma after the scheme": "data:image/jpeg;base64",
}


@pytest.mark.parametrize("case", CARRIED)
def test_a_photo_carried_as_data_is_found_however_it_is_written(case: str) -> None:
    text = CARRIED[case]
    assert may_carry(text)
    found = carried_file(text)
    assert found is not None and found[0] == "JPEG", found


@pytest.mark.parametrize("case", PASSED)
def test_text_naming_data_urls_carries_nothing(case: str) -> None:
    assert carried_file(PASSED[case]) is None


def test_any_file_samizdat_cleans_is_found_not_only_photos() -> None:
    found = carried_file("data:application/octet-stream;base64," + base64.b64encode(pdf()).decode())
    assert found is not None and found[0] == "PDF document"


def test_a_hostile_text_is_read_in_linear_work(monkeypatch: pytest.MonkeyPatch) -> None:
    """Many schemes naming one payload decode it once, not once each (a stranger's page of 20,000 of them)."""
    decoded: list[int] = []
    real = data_urls._base64_all
    monkeypatch.setattr(data_urls, "_base64_all", lambda written: decoded.append(len(written)) or real(written))
    assert carried_file("data:" * 20_000 + "," + "QUJD" * 50_000) is None
    assert len(decoded) == 1, len(decoded)
    decoded.clear()
    assert carried_file("data:,QUJDRA== " * 20_000) is None  # one payload each, each read once
    assert 0 < len(decoded) <= 20_000
