"""Defence in depth: read every output image back and fail if any metadata block is in it.

Headers are walked without decoding pixels (JPEG markers up to the scan, PNG chunks, RIFF chunks), so
checking thousands of images costs little; AVIF is asked through Pillow.
"""

from __future__ import annotations

import struct
from pathlib import Path

from PIL import Image

from samizdat.errors import ImageError, SourceLocation

# JPEG markers that carry metadata: APP1 (EXIF, XMP) … APP15, APP13 is IPTC; COM is a comment.
_JPEG_ALLOWED_APP = {0xE0}  # APP0 is JFIF: version and pixel density only
_APP_NAMES = {0xE1: "EXIF/XMP (APP1)", 0xE2: "ICC (APP2)", 0xED: "IPTC (APP13)"}
_PNG_METADATA = {b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"iCCP", b"tIME"}
_RIFF_METADATA = {b"EXIF", b"XMP ", b"ICCP"}
_INFO_KEYS = ("exif", "xmp", "XML:com.adobe.xmp", "icc_profile", "comment", "photoshop", "iptc")


def metadata_blocks(data: bytes) -> list[str]:
    """The names of the metadata blocks in an encoded image; empty when it is clean."""
    if data[:2] == b"\xff\xd8":
        return _jpeg_blocks(data)
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return _png_blocks(data)
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return _riff_blocks(data)
    return _pillow_blocks(data)


def verify_outputs(files: dict[str, Path]) -> None:
    for output, path in files.items():
        found = metadata_blocks(path.read_bytes())
        if found:
            raise ImageError(
                f"the output image {output} still holds metadata ({', '.join(found)}); nothing was published",
                SourceLocation(path),
                hint="this is a bug in samizdat: please report it with the image that caused it",
            )


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

    with Image.open(io.BytesIO(data)) as image:
        found = [key for key in _INFO_KEYS if image.info.get(key)]
        if image.getexif():
            found.append("EXIF")
    return sorted(set(found))
