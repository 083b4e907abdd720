"""Defence in depth: read every published file back and fail if any image, icon, PDF, video or sound holds metadata.

Each file is recognised by its bytes, not its name, so a photo under any name is checked. Image headers
are walked without decoding pixels (JPEG markers up to the scan, PNG chunks, RIFF chunks), so checking
thousands of images costs little; AVIF is asked through Pillow, PDFs through pikepdf.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from pathlib import Path

from samizdat.documents.sniff import (
    ARCHIVE,
    AUDIO,
    AVI,
    ICON,
    ISO_MEDIA,
    MATROSKA,
    MEDIA,
    OFFICE,
    OGG,
    PDF,
    RASTER,
    sniff,
)
from samizdat.errors import ImageError, SourceLocation
from samizdat.products import ProductBook

# JPEG markers that carry metadata: APP1 (EXIF, XMP) … APP15, APP13 is IPTC; COM is a comment.
_JPEG_ALLOWED_APP = {0xE0}  # APP0 is JFIF: version and pixel density only
_APP_NAMES = {0xE1: "EXIF/XMP (APP1)", 0xE2: "ICC (APP2)", 0xED: "IPTC (APP13)"}
_PNG_METADATA = {b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"iCCP", b"tIME"}
_RIFF_METADATA = {b"EXIF", b"XMP ", b"ICCP"}
_INFO_KEYS = ("exif", "xmp", "XML:com.adobe.xmp", "icc_profile", "comment", "photoshop", "iptc")


def metadata_blocks(data: bytes) -> list[str]:
    """The names of the metadata blocks in an encoded image; empty when it is clean."""
    walker = _walker(data)
    return walker(data) if walker is not None else _pillow_blocks(data)


def _walker(data: bytes) -> Callable[[bytes], list[str]] | None:
    """This engine's own reader of the image's blocks, where it has one (else Pillow reads them)."""
    if data[:2] == b"\xff\xd8":
        return _jpeg_blocks
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return _png_blocks
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return _riff_blocks
    return None


BUG_HINT = "this is a bug in samizdat: please report it with the file that caused it"


def verify_published(files: dict[str, Path], book: ProductBook | None = None) -> None:
    """Every file about to be published, read back: metadata left in any is a build error, never a publish.

    book: the build's results, where the images and icons read back clean are remembered by the digest of
    their bytes (ProductBook.clean_reader), so that a site's thousands of photo variants are not all read
    again on each build. The walkers below are this engine's code, and the store is this engine's alone;
    Pillow's version, which reads the other image formats, is part of what is remembered. PDFs, videos and
    sounds are read again every time: their readers are libraries, and they are few. Files whose first
    bytes say there is nothing to read in them (a stylesheet, a font) are remembered too."""
    for output, path in files.items():
        digest = book.published_digest(path) if book is not None else None
        if digest is not None and book is not None and _read_clean_before(book, digest):
            continue
        family = sniff(path).family
        reader = WALKERS  # what read it back: this engine's code, or a library (whose version is kept)
        if family == ICON:
            _verify_icon(output, path)
        elif family in (RASTER, PDF, OFFICE, ARCHIVE, MEDIA) or family in _MEDIA_READERS:
            found, reader = _metadata(path, family)
            if found:
                raise ImageError(f"the output file {output} still holds metadata ({', '.join(found)}); "
                                 "nothing was published", SourceLocation(path), hint=BUG_HINT)
        if digest is not None and book is not None and family not in _READ_BY_LIBRARIES:
            book.found_clean(digest, reader)


WALKERS = "walkers"  # read back by this engine's own code alone
LIBRARY = "library"  # read back by pikepdf or a media reader: never kept (_READ_BY_LIBRARIES)


def _read_clean_before(book: ProductBook, digest: str) -> bool:
    """Read back clean before, by the same reader: this engine, and the same Pillow where Pillow read it (it
    is asked its version only then: a site without such files does not load it)."""
    reader = book.clean_reader(digest)
    if reader is None or (reader != WALKERS and reader != _pillow_reader()):
        return False
    book.found_clean(digest, reader)
    return True


def _pillow_reader() -> str:
    from PIL import __version__ as pillow

    return f"pillow-{pillow}"


def _metadata(path: Path, family: str) -> tuple[list[str], str]:
    """The metadata blocks found, and what read the file (WALKERS, or a library: see verify_published)."""
    if family == RASTER:
        data = path.read_bytes()
        return metadata_blocks(data), WALKERS if _walker(data) is not None else _pillow_reader()
    if family == PDF:
        from samizdat.documents.pdf import pdf_metadata  # pikepdf: loaded when a site publishes a PDF

        return pdf_metadata(path), LIBRARY
    if family in _MEDIA_READERS:
        return _media_metadata(path, family), LIBRARY
    return ["a file of a kind that is never published"], WALKERS


_MEDIA_READERS = frozenset({ISO_MEDIA, AUDIO, OGG, MATROSKA, AVI})  # families with a reader of their own
_READ_BY_LIBRARIES = _MEDIA_READERS | {PDF, OFFICE, ARCHIVE, MEDIA}  # never taken as clean from memory


def _media_metadata(path: Path, family: str) -> list[str]:
    # loaded when a site publishes a video or a sound (documents/stage.py: cleaner_for)
    from samizdat.documents import audio, avi, isomedia, matroska, ogg

    readers = {ISO_MEDIA: isomedia.iso_file_metadata, AUDIO: audio.audio_file_metadata, OGG: ogg.ogg_file_metadata,
               MATROSKA: matroska.matroska_file_metadata, AVI: avi.avi_file_metadata}
    return readers[family](path)


def _verify_icon(output: str, path: Path) -> None:
    """An icon is published as it is: the PNG images inside it must carry no text, EXIF or profile."""
    found = icon_blocks(path.read_bytes())
    if found:
        raise ImageError(f"the icon {path.name} (published as {output}) holds metadata ({', '.join(found)})",
                         SourceLocation(path),
                         hint="export the icon again without metadata, e.g. in GIMP (Export As → favicon.ico) "
                         "or with ImageMagick (magick in.png -strip favicon.ico)")


def icon_blocks(data: bytes) -> list[str]:
    """The metadata blocks of the PNG images inside a Windows icon (BMP images inside carry none)."""
    count = struct.unpack("<H", data[4:6])[0]
    found = []
    for index in range(count):
        entry = data[6 + 16 * index : 22 + 16 * index]
        if len(entry) < 16:
            return ["a damaged icon directory"]
        size, offset = struct.unpack("<II", entry[8:16])
        image = data[offset : offset + size]
        if image.startswith(b"\x89PNG\r\n\x1a\n"):
            found += _png_blocks(image)
    return found


def _jpeg_blocks(data: bytes) -> list[str]:
    found, offset = [], 2
    while offset + 4 <= len(data) and data[offset] == 0xFF:
        marker = data[offset + 1]
        if marker == 0xDA:  # start of scan: only pixels follow
            break
        length = struct.unpack(">H", data[offset + 2 : offset + 4])[0]
        if marker == 0xFE:
            found.append("JPEG comment")
        elif 0xE1 <= marker <= 0xEF:
            found.append(_APP_NAMES.get(marker, f"APP{marker - 0xE0}"))
        offset += 2 + length
    return found


def _png_blocks(data: bytes) -> list[str]:
    found, offset = [], 8
    while offset + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[offset : offset + 8])
        if kind in _PNG_METADATA:
            found.append(f"PNG {kind.decode()} chunk")
        if kind == b"IEND":
            break
        offset += 12 + length
    return found


def _riff_blocks(data: bytes) -> list[str]:
    found, offset = [], 12
    while offset + 8 <= len(data):
        kind, length = struct.unpack("<4sI", data[offset : offset + 8])
        if kind in _RIFF_METADATA:
            found.append(f"WebP {kind.decode().strip()} chunk")
        offset += 8 + length + (length & 1)
    return found


def _pillow_blocks(data: bytes) -> list[str]:
    import io

    from PIL import Image  # loaded when a published file is an image Pillow reads

    try:
        with Image.open(io.BytesIO(data)) as image:
            found = [key for key in _INFO_KEYS if image.info.get(key)]
            if image.getexif():
                found.append("EXIF")
    except (OSError, ValueError, SyntaxError):
        return ["an image that cannot be read back"]  # what cannot be checked is not published
    return sorted(set(found))
