"""JPEG metadata segments removed without decoding: for the JPEG photos inside a PDF.

A PDF stores a JPEG photo as the camera's file, EXIF and all (/DCTDecode streams). Re-encoding it would
lose quality, so its segments are walked up to the first scan and the metadata ones dropped; the pixels'
bytes are kept exactly.
"""

from __future__ import annotations

import struct

# Kept: APP0 (JFIF: version and pixel density) and APP14 (Adobe: how the colours are encoded, needed to
# decode CMYK images). Dropped: APP1 (EXIF, XMP), APP2 (ICC profile; a PDF gives the colour space in the
# image's dictionary), APP3…APP13 (IPTC among them), APP15, and comments.
_KEPT_APP = {0xE0, 0xEE}
_COMMENT = 0xFE
_START_OF_SCAN = 0xDA
_NO_LENGTH = {0x01, *range(0xD0, 0xD8)}  # TEM and RSTn markers stand alone


def _segments(data: bytes) -> tuple[list[tuple[int, int, int]], int]:
    """(marker, start, end) of each segment before the first scan, and where the scan starts."""
    segments, offset = [], 2
    while offset + 2 <= len(data) and data[offset] == 0xFF:
        marker = data[offset + 1]
        if marker == 0xFF:  # fill byte
            offset += 1
            continue
        if marker == _START_OF_SCAN:
            break
        if marker in _NO_LENGTH:
            segments.append((marker, offset, offset + 2))
            offset += 2
            continue
        if offset + 4 > len(data):
            break
        end = offset + 2 + struct.unpack(">H", data[offset + 2 : offset + 4])[0]
        segments.append((marker, offset, end))
        offset = end
    return segments, offset


def _is_metadata(marker: int) -> bool:
    return marker == _COMMENT or (0xE0 <= marker <= 0xEF and marker not in _KEPT_APP)


def jpeg_metadata(data: bytes) -> list[str]:
    """Names of the metadata segments of a JPEG stream; empty when it is clean (or not a JPEG)."""
    if not data.startswith(b"\xff\xd8"):
        return []
    segments, _ = _segments(data)
    return [("comment" if marker == _COMMENT else f"APP{marker - 0xE0}") for marker, _, _ in segments
            if _is_metadata(marker)]


def strip_jpeg(data: bytes) -> bytes:
    """The same JPEG without its metadata segments: the pixels' bytes are untouched."""
    if not data.startswith(b"\xff\xd8"):
        return data
    segments, scan = _segments(data)
    kept = [data[start:end] for marker, start, end in segments if not _is_metadata(marker)]
    return b"".join([data[:2], *kept, data[scan:]])
