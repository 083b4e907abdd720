"""Odd but valid image files for the colour tests: 16-bit PNGs and a Display P3 ICC profile, written by hand.

Pillow cannot write 16-bit colour PNGs or make an RGB profile other than sRGB, so both are assembled here
from their specifications (PNG: RFC 2083; ICC.1:2001-04, a v2 matrix/TRC display profile).
"""

from __future__ import annotations

import struct
import zlib

# Display P3's primaries, adapted to the D50 connection space, as in Apple's own profile.
P3_COLORANTS = {b"rXYZ": (0.5151, 0.2412, -0.0011), b"gXYZ": (0.2920, 0.6922, 0.0419),
                b"bXYZ": (0.1571, 0.0666, 0.7841)}
D50 = (0.9642, 1.0, 0.8249)


def png16(pixels: list[list[tuple[int, ...]]], colour_type: int) -> bytes:
    """A 16-bit PNG (colour type 0 grey, 2 RGB, 4 grey+alpha, 6 RGBA) of rows of sample tuples."""
    height, width = len(pixels), len(pixels[0])
    raw = b"".join(b"\0" + b"".join(struct.pack(">" + "H" * len(px), *px) for px in row) for row in pixels)
    header = struct.pack(">IIBBBBB", width, height, 16, colour_type, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(raw)) + _chunk(b"IEND", b"")


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def display_p3_profile() -> bytes:
    """An ICC v2 RGB display profile with Display P3's primaries and the sRGB tone curve."""
    curve = [round(65535 * _srgb_decode(i / 1023)) for i in range(1024)]
    curv = b"curv" + b"\0" * 4 + struct.pack(">I", len(curve)) + struct.pack(">" + "H" * len(curve), *curve)
    tags = [(b"desc", _desc("Display P3 (test)")), (b"cprt", b"text\0\0\0\0public domain\0"),
            (b"wtpt", _xyz(D50))]
    tags += [(name, _xyz(value)) for name, value in P3_COLORANTS.items()]
    tags += [(b"rTRC", curv), (b"gTRC", curv), (b"bTRC", curv)]
    return _profile(tags)


def _profile(tags: list[tuple[bytes, bytes]]) -> bytes:
    offset = 128 + 4 + 12 * len(tags)
    table, body = b"", b""
    for name, data in tags:
        padded = data + b"\0" * (-len(data) % 4)
        table += struct.pack(">4sII", name, offset + len(body), len(data))
        body += padded
    size = offset + len(body)
    header = (struct.pack(">I4sI4s4s4s", size, b"lcms", 0x02100000, b"mntr", b"RGB ", b"XYZ ")
              + b"\0" * 12 + b"acsp" + b"\0" * 24 + struct.pack(">I", 0) + _s15(D50)
              + b"\0" * 4 + b"\0" * 16 + b"\0" * 28)
    assert len(header) == 128
    return header + struct.pack(">I", len(tags)) + table + body


def _desc(text: str) -> bytes:
    ascii_text = text.encode("ascii") + b"\0"
    return (b"desc" + b"\0" * 4 + struct.pack(">I", len(ascii_text)) + ascii_text
            + struct.pack(">II", 0, 0) + struct.pack(">HB", 0, 0) + b"\0" * 67)


def _xyz(value: tuple[float, float, float]) -> bytes:
    return b"XYZ " + b"\0" * 4 + _s15(value)


def _s15(value: tuple[float, float, float]) -> bytes:
    return struct.pack(">iii", *(round(v * 65536) for v in value))


def _srgb_decode(v: float) -> float:
    return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4
