"""No published file carries its maker's metadata, whatever its name: photos, PDFs, office files, icons.

Each case builds a hostile site in the sandbox and reads the published bytes back with Pillow or pikepdf;
nothing about the output is assumed.
"""

from __future__ import annotations

import base64
import io
import re
import zlib
from pathlib import Path

import pikepdf
import pytest
from PIL import ExifTags, Image

from samizdat.products import folder_for
from tests.documentfiles import (
    AUTHOR,
    SOFTWARE,
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
from tests.hostile import Sandbox, assert_refused, sandbox
from tests.imagefiles import SECRETS, halves, png_with_everything

FIXTURES = (sandbox,)  # pytest finds the fixture by its name in this module

PAGE = "content/en/index.md"
LEAKS = (*SECRETS, b"PhoneMaker", AUTHOR.encode(), SOFTWARE.encode())


def animated_webp() -> bytes:
    buffer = io.BytesIO()
    frames = [Image.new("RGB", (20, 20), colour) for colour in ("red", "blue")]
    frames[0].save(buffer, "WEBP", save_all=True, append_images=frames[1:])
    return buffer.getvalue()


def shown(src: str) -> str:
    return f"---\ntitle: Home\n---\nHello.\n\n![march]({src})\n"


def carried(markup: str) -> str:
    """A page with `markup` on its line 6, where PHOTO stands for a photo with GPS written as a data: URL."""
    return f"---\ntitle: Home\n---\nHello.\n\n{markup.replace('PHOTO', photo_data())}\n"


def photo_data(kind: str = "image/jpeg") -> str:
    return f"data:{kind};base64,{base64.b64encode(jpeg_with_gps()).decode()}"


def drawing_with_photo() -> str:
    """An SVG drawing that shows the photo, itself written as a data: URL."""
    drawing = f'<svg xmlns="http://www.w3.org/2000/svg"><image href="{photo_data()}"/></svg>'
    return f"data:image/svg+xml;base64,{base64.b64encode(drawing.encode()).decode()}"


# name → (site files, where the cleaned copy is published). Each source carries GPS or text chunks.
RASTERS_CLEANED = {
    "jfif": ({"assets/march.jfif": jpeg_with_gps()}, "assets/march.jfif"),
    "jpe": ({"assets/march.jpe": jpeg_with_gps()}, "assets/march.jpe"),
    "upper-case JPG": ({"assets/MARCH.JPG": jpeg_with_gps()}, "assets/MARCH.JPG"),
    "jfif beside a page": ({"content/en/march.jfif": jpeg_with_gps()}, "en/march.jfif"),
    "jfif in static": ({"static/march.jfif": jpeg_with_gps()}, "march.jfif"),
    "jfif shown on a page": ({"assets/march.jfif": jpeg_with_gps(), PAGE: shown("/assets/march.jfif")},
                             "assets/march.jfif"),
    "png with text chunks": ({"assets/poster.png": png_with_everything(halves((60, 40), "red", "blue", True))},
                             "assets/poster.png"),
}

# name → (site files, the name the one error must give, its line or None)
REFUSED = {
    "jpeg with no suffix": ({"assets/march": jpeg_with_gps()}, "march", None),
    "jpeg named .txt": ({"assets/notes.txt": jpeg_with_gps()}, "notes.txt", None),
    "jpeg named .pdf": ({"static/leaflet.pdf": jpeg_with_gps()}, "leaflet.pdf", None),
    "jpeg named .png, shown on a page": ({"assets/march.png": jpeg_with_gps(), PAGE: shown("/assets/march.png")},
                                        PAGE, 6),
    "tiff named .txt": ({"assets/scan.txt": tiff_with_gps()}, "scan.txt", None),
    "tiff shown on a page": ({"assets/scan.tif": tiff_with_gps(), PAGE: shown("/assets/scan.tif")}, PAGE, 6),
    "heic with no suffix": ({"content/en/IMG_0001": heic_header()}, "IMG_0001", None),
    "animated gif shown on a page": ({"assets/loop.gif": animated_gif(), PAGE: shown("/assets/loop.gif")},
                                     PAGE, 6),
    "pdf with a password": ({"assets/leaflet.pdf": pdf(encryption=pikepdf.Encryption(owner="o", user="u"))},
                            "leaflet.pdf", None),
    "pdf encrypted without a password": ({"assets/leaflet.pdf": pdf(encryption=pikepdf.Encryption(owner="o",
                                                                                                  user=""))},
                                         "leaflet.pdf", None),
    "damaged pdf": ({"assets/leaflet.pdf": b"%PDF-1.7\n1 0 obj << /Type /Cat"}, "leaflet.pdf", None),
    "pdf with an attached photo": ({"assets/leaflet.pdf": pdf(attachment=True)}, "leaflet.pdf", None),
    "pdf named .txt": ({"assets/leaflet.txt": pdf()}, "leaflet.txt", None),
    "pdf with no suffix": ({"static/leaflet": pdf()}, "leaflet", None),
    "icon with a text chunk": ({"static/favicon.ico": icon(text_chunk=True)}, "favicon.ico", None),
    "plain zip of photos": ({"assets/photos.zip": plain_zip()}, "photos.zip", None),
    "photo pasted into a page as data": ({PAGE: shown("data:image/jpeg;base64,"
                                                      + base64.b64encode(jpeg_with_gps()).decode())}, PAGE, 6),
    # A browser shows or opens a photo written as a data: URL from any of these; none was refused.
    "photo as data in <Img>": ({PAGE: carried('<Img src="PHOTO" alt="the march">')}, PAGE, 6),
    "photo as data behind a link": ({PAGE: carried("[the march](PHOTO)")}, PAGE, 6),
    "photo as data in a style": ({PAGE: carried('<p style="background: url(PHOTO)">The march</p>')}, PAGE, 6),
    "photo as data in a style, CSS-escaped": (
        {PAGE: carried('<p style="background: url(\\64 ata:' + photo_data()[5:] + ')">The march</p>')}, PAGE, 6),
    "photo as data in a <style>": ({PAGE: carried("<style>main { background: url('PHOTO') }</style>")}, PAGE, 6),
    "photo as data in an inline drawing": ({PAGE: carried('<svg><image href="PHOTO" width="9" height="9"/></svg>')},
                                           PAGE, 6),
    "photo as data in an image button": ({PAGE: carried('<input type="image" src="PHOTO" alt="Go">')}, PAGE, 6),
    "photo as data in a video's poster": ({PAGE: carried('<video poster="PHOTO"></video>')}, PAGE, 6),
    "photo as data that calls itself text": ({PAGE: carried(f'<p style="background: url({photo_data("text/plain")})">'
                                                            "x</p>")}, PAGE, 6),
    "photo as data in a drawing as data": ({PAGE: carried(f'<p style="background: url({drawing_with_photo()})">'
                                                          "x</p>")}, PAGE, 6),
    "photo as data in a page's data block": ({PAGE: carried('<script type="application/ld+json">{"image": "PHOTO"}'
                                                            "</script>")}, PAGE, 6),
    "photo as data in a stylesheet": ({"assets/extra.css": f"body {{ color: #222 }}\nmain {{ background: "
                                                           f"url({photo_data()}) }}\n"}, "extra.css", 2),
    "photo as data in a JSON file": ({"static/march.json": f'{{"photo": "{photo_data()}"}}'}, "march.json", 1),
    "photo as data in a text file of no known name": ({"static/march.note": f"See {photo_data()}\n"}, "march.note", 1),
}
OFFICE_REFUSED = {
    **{f"{kind}": ({f"assets/leaflet.{kind}": office(kind)}, f"leaflet.{kind}")
       for kind in ("docx", "xlsx", "pptx", "odt", "ods", "odp")},
    "docx named .pdf": ({"assets/leaflet.pdf": office("docx")}, "leaflet.pdf"),
    "odt named .zip beside a page": ({"content/en/leaflet.zip": office("odt")}, "leaflet.zip"),
    "doc": ({"assets/leaflet.doc": old_office()}, "leaflet.doc"),
    "xls named .txt": ({"static/budget.txt": old_office()}, "budget.txt"),
    "rtf": ({"assets/leaflet.rtf": b"{\\rtf1\\ansi{\\info{\\author " + AUTHOR.encode() + b"}}Hello}"},
            "leaflet.rtf"),
}

# name → (site files, the file left out, and the start of the warning about it)
LEFT_OUT = {
    "tiff": ({"assets/scan.tif": tiff_with_gps()}, "scan.tif", "image scan.tif is in the TIFF format"),
    "jpeg named .png": ({"assets/march.png": jpeg_with_gps()}, "march.png",
                        "image march.png is a JPEG file, but its name ends in .png"),
    "heic": ({"assets/IMG_0001.heic": heic_header()}, "IMG_0001.heic", "image IMG_0001.heic is damaged or in a"),
    "animated gif": ({"assets/loop.gif": animated_gif()}, "loop.gif", "image loop.gif is animated"),
    "animated webp": ({"assets/loop.webp": animated_webp()}, "loop.webp", "image loop.webp is animated"),
}

# name → (site files, output path): published byte for byte, as nothing in them names a maker.
PASSED = {
    "css": ({"assets/style.css": b"body { color: #222 }\n"}, "assets/style.css"),
    "text starting with BM": ({"static/notes.txt": b"BMW 320 parked at the corner\x00\x00\x00\x00\x00\x00\x28"
                                                   b"\x00\x00\x00 of the square\n"}, "notes.txt"),
    "text naming %PDF late": ({"static/about.txt": b"x" * 2000 + b"%PDF-1.7 is the format"}, "about.txt"),
    "font": ({"assets/font.woff2": b"wOF2\x00\x01\x00\x00" + bytes(range(256)) * 4}, "assets/font.woff2"),
    "clean icon": ({"static/favicon.ico": icon(text_chunk=False)}, "favicon.ico"),
    "json": ({"content/en/data.json": b'{"meeting": "Saturday"}'}, "en/data.json"),
    "css naming data: URLs": ({"assets/notes.css": b"/* icons as data:image/png;base64, URLs are refused */\n"
                                                   b"a { color: #222 }\n"}, "assets/notes.css"),
}


def _build_ok(sandbox: Sandbox, capsys: pytest.CaptureFixture[str], files: dict[str, bytes | str]):
    sandbox.write(files)
    outcome = sandbox.build(capsys)
    assert outcome.code == 0, outcome.err
    sandbox.assert_untouched()
    return outcome


def assert_clean_raster(data: bytes) -> None:
    """Read back with Pillow: no EXIF (GPS among it), XMP, ICC, comments or text chunks; no secret bytes."""
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        assert not image.getexif(), dict(image.getexif())
        assert not image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        kept = [key for key in ("exif", "xmp", "XML:com.adobe.xmp", "icc_profile", "comment", "photoshop")
                if image.info.get(key)]
        assert not kept, kept
        assert not getattr(image, "text", {}), image.text
    assert not [leak for leak in LEAKS if leak in data]


@pytest.mark.parametrize("case", RASTERS_CLEANED)
def test_a_raster_under_any_image_name_is_published_without_metadata(sandbox: Sandbox, capsys, case: str) -> None:
    files, output = RASTERS_CLEANED[case]
    source = next(data for data in files.values() if isinstance(data, bytes))
    assert any(leak in source for leak in LEAKS) or Image.open(io.BytesIO(source)).getexif()  # dirty to begin
    _build_ok(sandbox, capsys, files)
    published = (sandbox.out / output).read_bytes()
    assert published != source
    assert_clean_raster(published)
    with Image.open(io.BytesIO(source)) as original, Image.open(io.BytesIO(published)) as copy:
        assert copy.format == original.format  # the name still says what the file is
        assert copy.size == original.size


@pytest.mark.parametrize("case", REFUSED)
def test_a_file_that_cannot_be_cleaned_or_hides_its_kind_is_refused(sandbox: Sandbox, capsys, case: str) -> None:
    files, name, line = REFUSED[case]
    sandbox.write(files)
    outcome = sandbox.build(capsys)
    assert_refused(outcome, name, line)
    assert "hint:" in outcome.err
    assert not sandbox.out.exists()
    sandbox.assert_untouched()


@pytest.mark.parametrize("case", OFFICE_REFUSED)
def test_an_office_file_is_refused_with_a_hint_to_export_a_pdf(sandbox: Sandbox, capsys, case: str) -> None:
    files, name = OFFICE_REFUSED[case]
    sandbox.write(files)
    outcome = sandbox.build(capsys)
    assert_refused(outcome, name)
    assert "export it as PDF" in outcome.err, outcome.err
    assert not sandbox.out.exists()
    sandbox.assert_untouched()


@pytest.mark.parametrize("case", LEFT_OUT)
def test_an_unreadable_raster_nobody_shows_is_left_out_with_a_warning(sandbox: Sandbox, capsys, case: str) -> None:
    files, name, warning = LEFT_OUT[case]
    outcome = _build_ok(sandbox, capsys, files)
    assert f"{name}: warning: {warning}" in outcome.err, outcome.err
    assert not [path for path in sandbox.output_files() if path.name == name]


@pytest.mark.parametrize("case", PASSED)
def test_a_file_without_metadata_is_published_as_it_is(sandbox: Sandbox, capsys, case: str) -> None:
    files, output = PASSED[case]
    _build_ok(sandbox, capsys, files)
    assert (sandbox.out / output).read_bytes() == next(iter(files.values()))


# Video and sound files samizdat recognises but cannot clean: each is refused, whatever its name.
UNCLEANED_MEDIA = {
    "march.wmv": b"\x30\x26\xb2\x75\x8e\x66\xcf\x11\xa6\xd9\x00\xaa\x00\x62\xce\x6c" + b"\x00" * 60,
    "march.flv": b"FLV\x01\x05\x00\x00\x00\x09" + b"\x00" * 60,
    "speech.aiff": b"FORM\x00\x00\x00\x40AIFFCOMM" + b"\x00" * 60,
    # A camcorder's clip (AVCHD: GPS and time in the video stream), and the same packets as broadcast TS
    "clip.mts": b"".join(b"\x00\x00\x00\x00\x47\x40\x00\x10" + b"\xff" * 184 for _ in range(4)),
    "clip.ts": b"".join(b"\x47\x40\x00\x10" + b"\xff" * 184 for _ in range(4)),
}


@pytest.mark.parametrize("name", UNCLEANED_MEDIA)
def test_a_video_samizdat_cannot_clean_is_refused(sandbox: Sandbox, capsys, name: str) -> None:
    sandbox.write({f"assets/{name}": UNCLEANED_MEDIA[name]})
    outcome = sandbox.build(capsys)
    assert_refused(outcome, name)
    assert "cannot remove the place, time and names" in outcome.err and "convert it to MP4" in outcome.err
    sandbox.assert_untouched()


def test_an_mp4_is_cleaned_without_a_warning(sandbox: Sandbox, capsys) -> None:
    """MP4 and MOV files are cleaned (tests/test_video_metadata.py); one with nothing to clean is unchanged."""
    outcome = _build_ok(sandbox, capsys, {"assets/march.mp4": mp4_header()})
    assert "march.mp4" not in outcome.err, outcome.err
    assert (sandbox.out / "assets/march.mp4").read_bytes() == mp4_header()


def every_byte_string(doc: pikepdf.Pdf) -> bytes:
    """Every object of a PDF written out, streams decoded where pikepdf can: what a curious reader can see."""
    parts = []
    for obj in doc.objects:
        parts.append(obj.unparse() if not isinstance(obj, pikepdf.Stream) else obj.read_raw_bytes())
        if isinstance(obj, pikepdf.Stream):
            parts.append(obj.unparse())  # the stream's dictionary
            try:
                parts.append(obj.read_bytes(pikepdf.StreamDecodeLevel.all))
            except pikepdf.PdfError:
                parts.append(zlib.decompress(obj.read_raw_bytes()))  # a JPEG behind Flate
    return b"\n".join(parts)


PDFS_CLEANED = {
    "author, creator and xmp": ({"assets/leaflet.pdf": pdf()}, "assets/leaflet.pdf"),
    "upper-case name beside a page": ({"content/en/LEAFLET.PDF": pdf()}, "en/LEAFLET.PDF"),
    "photo with exif inside": ({"assets/leaflet.pdf": pdf(photo=True)}, "assets/leaflet.pdf"),
    "photo with exif behind Flate": ({"assets/leaflet.pdf": pdf(photo=True, flate=True)}, "assets/leaflet.pdf"),
    "comment with its author": ({"static/leaflet.pdf": pdf(comment=True)}, "leaflet.pdf"),
    "broken cross-reference table": ({"assets/leaflet.pdf": re.sub(rb"startxref\s+\d+", b"startxref\n9", pdf())},
                                     "assets/leaflet.pdf"),
}


@pytest.mark.parametrize("case", PDFS_CLEANED)
def test_a_pdf_is_published_without_who_made_it(sandbox: Sandbox, capsys, case: str) -> None:
    files, output = PDFS_CLEANED[case]
    source = files[next(iter(files))]
    with pikepdf.open(io.BytesIO(source)) as original:
        assert AUTHOR.encode() in every_byte_string(original)  # the test file really is dirty
    _build_ok(sandbox, capsys, files)
    with pikepdf.open(sandbox.out / output) as doc:
        assert not doc.is_encrypted
        assert "/Info" not in doc.trailer or not doc.docinfo.keys()
        assert "/Metadata" not in doc.Root
        assert not [obj.objgen for obj in doc.objects if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream)
                    and ("/Metadata" in obj or "/PieceInfo" in obj)]
        text = every_byte_string(doc)
        assert not [leak for leak in LEAKS if leak in text]
        assert len(doc.pages) == 1
        assert_pdf_content_kept(doc, case)


def assert_pdf_content_kept(doc: pikepdf.Pdf, case: str) -> None:
    page = doc.pages[0]
    if case.startswith("photo with exif"):
        image = page.Resources.XObject.Im0
        jpeg = image.read_raw_bytes()
        assert_clean_raster(jpeg)
        with Image.open(io.BytesIO(jpeg)) as photo:
            assert photo.size == (64, 48)
            assert photo.getpixel((5, 20))[0] > 200  # still red on the left: the pixels were not touched
    elif case == "comment with its author":
        (note,) = page.Annots
        assert "/T" not in note
        assert str(note.Contents) == "check the date"
    else:
        assert b"Come to the square" in page.Contents.read_bytes()


def test_an_unchanged_pdf_is_not_cleaned_again(sandbox: Sandbox, capsys, monkeypatch) -> None:
    from samizdat.documents import pdf as pdf_module  # the stage imports it when it cleans a PDF

    calls: list[Path] = []

    def counting(source: Path, target: Path) -> None:
        calls.append(source)
        stage_strip(source, target)

    stage_strip = pdf_module.strip_pdf
    monkeypatch.setattr(pdf_module, "strip_pdf", counting)
    files = {"assets/leaflet.pdf": pdf(), "assets/other.pdf": pdf(comment=True)}
    _build_ok(sandbox, capsys, files)
    first = (sandbox.out / "assets/leaflet.pdf").read_bytes()
    assert len(calls) == 2
    _build_ok(sandbox, capsys, files | {"content/en/more.md": "---\ntitle: More\n---\nMore.\n"})  # a rebuild
    assert len(calls) == 2
    assert (sandbox.out / "assets/leaflet.pdf").read_bytes() == first
    _build_ok(sandbox, capsys, files | {"assets/leaflet.pdf": pdf(photo=True)})
    assert [path.name for path in calls[2:]] == ["leaflet.pdf"]
    # Beside the theme's icon, cleaned once too (assets/publish.py), the PDFs: the old leaflet's copy is pruned
    kept = sorted(p for p in folder_for(sandbox.site).iterdir() if p.is_file() and p.read_bytes().startswith(b"%PDF"))
    assert len(kept) == 2
    assert {p.read_bytes() for p in kept} == {(sandbox.out / f"assets/{name}.pdf").read_bytes()
                                              for name in ("leaflet", "other")}
    assert not (sandbox.site / ".samizdat-cache/documents").exists()
