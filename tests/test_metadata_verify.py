"""The pieces under the metadata promise: sniffing by bytes, JPEG segments dropped losslessly, the last check."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from samizdat.documents.jpeg import jpeg_metadata, strip_jpeg
from samizdat.documents.sniff import sniff, sniff_head
from samizdat.errors import ImageError
from samizdat.images.verify import verify_published
from tests.documentfiles import (
    animated_gif,
    heic_header,
    icon,
    jpeg_with_gps,
    mp4_header,
    office,
    old_office,
    pdf,
    plain_zip,
    tiff_with_gps,
)
from tests.imagefiles import halves, jpeg_with_everything, png_with_everything


def _image(fmt: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, fmt, **options)
    return buffer.getvalue()


# name → (bytes, family, kind name). Each raster is made by Pillow, so its magic is Pillow's own.
SNIFFED = {
    "jpeg": (jpeg_with_gps(), "raster", "JPEG"),
    "png": (_image("PNG"), "raster", "PNG"),
    "gif": (animated_gif(), "raster", "GIF"),
    "webp": (_image("WEBP"), "raster", "WEBP"),
    "avif": (_image("AVIF"), "raster", "AVIF"),
    "tiff": (tiff_with_gps(), "raster", "TIFF"),
    "bmp": (_image("BMP"), "raster", "BMP"),
    "heic": (heic_header(), "raster", "HEIF"),
    "icon": (icon(text_chunk=False), "icon", "Windows icon"),
    "pdf": (pdf(), "pdf", "PDF document"),
    "pdf after junk": (b"junk\n" * 100 + pdf(), "pdf", "PDF document"),
    "docx": (office("docx"), "office", "Word document (docx)"),
    "xlsx": (office("xlsx"), "office", "Excel workbook (xlsx)"),
    "odp": (office("odp"), "office", "OpenDocument presentation (odp)"),
    "doc": (old_office(), "office", "old binary Office document (doc, xls or ppt)"),
    "zip": (plain_zip(), "archive", "ZIP archive"),
    "mp4": (mp4_header(), "iso-media", "MP4 or QuickTime video or audio file"),
    "webm": (b"\x1a\x45\xdf\xa3" + b"\x00" * 60, "matroska", "WebM or Matroska video or audio file"),
    "ogg": (b"OggS\x00\x02" + b"\x00" * 60, "ogg", "Ogg audio file"),
    "avi": (b"RIFF\x00\x00\x00\x00AVI LIST" + b"\x00" * 60, "avi", "AVI video file"),
    "wmv": (b"\x30\x26\xb2\x75\x8e\x66\xcf\x11\xa6\xd9\x00\xaa\x00\x62\xce\x6c", "media",
            "Windows Media file (WMV, WMA or ASF)"),
    "aiff": (b"FORM\x00\x00\x00\x40AIFFCOMM", "media", "AIFF sound file"),
    "text starting with caff": (b"caffeine and cake at the corner cafe, 6 pm\n", "other", "file"),
    "text starting with BM": (b"BMW parked at the corner, plate 12-34, seen twice\n", "other", "file"),
    "css": (b"body { color: red }", "other", "file"),
    "empty": (b"", "other", "file"),
}


@pytest.mark.parametrize("case", SNIFFED)
def test_a_file_is_recognised_by_its_bytes_not_its_name(tmp_path: Path, case: str) -> None:
    data, family, name = SNIFFED[case]
    path = tmp_path / "no-suffix"
    path.write_bytes(data)
    kind = sniff(path)
    assert (kind.family, kind.name) == (family, name)
    if family == "raster" and case not in ("heic",):
        with Image.open(io.BytesIO(data)) as image:  # Pillow agrees on what it is
            assert image.format == name


def test_sniffing_reads_only_the_head() -> None:
    assert sniff_head(jpeg_with_gps()[:16]).name == "JPEG"


@pytest.mark.parametrize("source", [jpeg_with_gps(), jpeg_with_everything(halves((64, 48), "red", "blue", True))])
def test_jpeg_segments_are_dropped_without_touching_the_pixels(source: bytes) -> None:
    assert jpeg_metadata(source)
    cleaned = strip_jpeg(source)
    assert jpeg_metadata(cleaned) == []
    with Image.open(io.BytesIO(source)) as before, Image.open(io.BytesIO(cleaned)) as after:
        assert not after.getexif()
        assert not after.info.get("icc_profile") and not after.info.get("comment")
        assert before.tobytes() == after.tobytes()


def test_the_adobe_segment_needed_to_decode_cmyk_is_kept() -> None:
    buffer = io.BytesIO()
    Image.new("CMYK", (8, 8), (0, 255, 0, 0)).save(buffer, "JPEG")  # Pillow writes APP14 "Adobe" for CMYK
    source = buffer.getvalue()
    assert b"Adobe" in source
    cleaned = strip_jpeg(source)
    assert b"Adobe" in cleaned
    with Image.open(io.BytesIO(source)) as before, Image.open(io.BytesIO(cleaned)) as after:
        assert before.tobytes() == after.tobytes()


# name → (output path, bytes): any of these about to be published stops the build.
NEVER_PUBLISHED = {
    "jpeg with gps under .jfif": ("assets/a.jfif", jpeg_with_gps()),
    "jpeg with gps under .css": ("assets/a.css", jpeg_with_gps()),
    "png with text chunks": ("a.png", png_with_everything(halves((20, 20), "red", "blue", True))),
    "pdf with an author": ("leaflet.pdf", pdf()),
    "pdf with exif only in its photo": ("leaflet.pdf", pdf(author=False, xmp=False, photo=True)),
    "docx": ("leaflet.docx", office("docx")),
    "icon with a text chunk": ("favicon.ico", icon(text_chunk=True)),
    "heic nobody can read back": ("a.heic", heic_header()),
}


@pytest.mark.parametrize("case", NEVER_PUBLISHED)
def test_the_last_check_stops_any_file_with_metadata(tmp_path: Path, case: str) -> None:
    output, data = NEVER_PUBLISHED[case]
    path = tmp_path / "file"
    path.write_bytes(data)
    with pytest.raises(ImageError) as raised:
        verify_published({"clean.css": _written(tmp_path, b"body {}"), output: path})
    assert output in str(raised.value) or path.name in str(raised.value)


def test_the_last_check_passes_clean_files(tmp_path: Path) -> None:
    clean = {"a.jpg": _image("JPEG"), "a.png": _image("PNG"), "favicon.ico": icon(text_chunk=False),
             "leaflet.pdf": pdf(author=False, xmp=False), "style.css": b"body {}"}
    verify_published({rel: _written(tmp_path, data, rel) for rel, data in clean.items()})


def _written(folder: Path, data: bytes, name: str = "clean.css") -> Path:
    path = folder / name.replace("/", "_")
    path.write_bytes(data)
    return path
