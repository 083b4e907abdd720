"""Real PDFs and office files for the metadata tests, made with pikepdf and zipfile, carrying their makers' names."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

import pikepdf
from PIL import Image, PngImagePlugin

from tests.imagefiles import camera_exif, halves, jpeg_with_everything

AUTHOR = "Jane Volunteer-4471"  # the name a leaflet's maker would rather not publish
SOFTWARE = "LeafletWriter 9.1 (serial 55-XQ)"


def jpeg_with_gps(size: tuple[int, int] = (64, 48)) -> bytes:
    """A JPEG whose EXIF holds GPS (tag 34853), the camera's make and serial number."""
    buffer = io.BytesIO()
    halves(size, "red", "blue", vertical=True).save(buffer, "JPEG", exif=camera_exif())
    return buffer.getvalue()


def tiff_with_gps() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "teal").save(buffer, "TIFF", exif=camera_exif().tobytes())
    return buffer.getvalue()


def animated_gif() -> bytes:
    buffer = io.BytesIO()
    frames = [Image.new("RGB", (20, 20), colour) for colour in ("red", "blue")]
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], comment=AUTHOR.encode())
    return buffer.getvalue()


def heic_header() -> bytes:
    """The opening of an iPhone HEIC photo (its ftyp box); Pillow cannot read the rest without a plugin."""
    return struct.pack(">I", 24) + b"ftypheic" + b"\x00\x00\x00\x00" + b"mif1heic" + b"\x00" * 200


def pdf(*, author: bool = True, xmp: bool = True, photo: bool = False, comment: bool = False,
        attachment: bool = False, encryption: pikepdf.Encryption | None = None, flate: bool = False) -> bytes:
    """A one-page leaflet with the metadata a word processor leaves, and optionally a photo with EXIF."""
    doc = pikepdf.new()
    doc.add_blank_page(page_size=(200, 200))
    page = doc.pages[0]
    page.Contents = pikepdf.Stream(doc, b"BT /F1 12 Tf 20 100 Td (Come to the square) Tj ET")
    if photo:
        jpeg = jpeg_with_everything(halves((64, 48), "red", "blue", vertical=True))
        image = pikepdf.Stream(doc, zlib.compress(jpeg) if flate else jpeg)
        image.update({"/Type": pikepdf.Name.XObject, "/Subtype": pikepdf.Name.Image, "/Width": 64, "/Height": 48,
                      "/ColorSpace": pikepdf.Name.DeviceRGB, "/BitsPerComponent": 8,
                      "/Filter": pikepdf.Array([pikepdf.Name.FlateDecode, pikepdf.Name.DCTDecode]) if flate
                      else pikepdf.Name.DCTDecode})
        page.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image))
        page.Contents = pikepdf.Stream(doc, b"q 64 0 0 48 0 0 cm /Im0 Do Q")
    if xmp:
        with doc.open_metadata(set_pikepdf_as_editor=False) as meta:
            meta["dc:creator"] = [AUTHOR]
            meta["xmp:CreatorTool"] = SOFTWARE
    if author:
        doc.docinfo["/Author"] = AUTHOR
        doc.docinfo["/Creator"] = SOFTWARE
        doc.docinfo["/CreationDate"] = "D:20240224093000+09'00'"
    if comment:
        note = pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Text, Rect=[10, 10, 30, 30],
                                  Contents=pikepdf.String("check the date"), T=pikepdf.String(AUTHOR))
        page.Annots = doc.make_indirect(pikepdf.Array([doc.make_indirect(note)]))
    if attachment:
        doc.attachments["original.jpg"] = pikepdf.AttachedFileSpec(doc, jpeg_with_gps())
    buffer = io.BytesIO()
    doc.save(buffer, encryption=encryption or False, compress_streams=False)
    return buffer.getvalue()


def office(kind: str) -> bytes:
    """A minimal docx/xlsx/pptx/odt/ods/odp whose properties name its author."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if kind in ("odt", "ods", "odp"):
            kinds = {"odt": "text", "ods": "spreadsheet", "odp": "presentation"}
            archive.writestr("mimetype", f"application/vnd.oasis.opendocument.{kinds[kind]}")
            archive.writestr("meta.xml", f"<office:document-meta><dc:creator>{AUTHOR}</dc:creator>"
                             "</office:document-meta>")
            archive.writestr("content.xml", "<office:document-content/>")
        else:
            folder = {"docx": "word", "xlsx": "xl", "pptx": "ppt"}[kind]
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr("docProps/core.xml", f"<cp:coreProperties><dc:creator>{AUTHOR}</dc:creator>"
                             "</cp:coreProperties>")
            archive.writestr(f"{folder}/document.xml", "<document/>")
    return buffer.getvalue()


def plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("march.jpg", jpeg_with_gps())
    return buffer.getvalue()


def old_office() -> bytes:
    """The opening of a Word 97 .doc: an OLE2 compound file."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16 + b"\x3e\x00\x03\x00\xfe\xff" + b"\x00" * 490


def icon(text_chunk: bool) -> bytes:
    """favicon.ico with one PNG inside, with or without a text chunk naming its maker."""
    info = PngImagePlugin.PngInfo()
    if text_chunk:
        info.add_text("Author", AUTHOR)
    png = io.BytesIO()
    Image.new("RGBA", (16, 16), "red").save(png, "PNG", pnginfo=info)
    data = png.getvalue()
    entry = struct.pack("<BBBBHHII", 16, 16, 0, 0, 1, 32, len(data), 22)
    return struct.pack("<HHH", 0, 1, 1) + entry + data


def mp4_header() -> bytes:
    return struct.pack(">I", 24) + b"ftypmp42" + b"\x00\x00\x00\x00" + b"mp42isom" + b"\x00" * 100
