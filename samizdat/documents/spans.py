"""Byte ranges of a file mapped in memory, read and zeroed a block at a time: a hostile file's element of
gigabytes is never copied whole into memory."""

from __future__ import annotations

import mmap

BLOCK = 1 << 20

Buffer = bytes | bytearray | mmap.mmap


def all_zero(data: Buffer, start: int, end: int) -> bool:
    return not any(any(data[at:min(at + BLOCK, end)]) for at in range(start, end, BLOCK))


def fill_zeros(data: bytearray | mmap.mmap, start: int, end: int) -> None:
    for at in range(start, end, BLOCK):
        stop = min(at + BLOCK, end)
        data[at:stop] = bytes(stop - at)


def shown(raw: bytes) -> str:
    """Bytes of a hostile file quoted in a message: a terminal escape or a newline is shown as \\x1b, \\n."""
    return raw.decode("latin-1").encode("unicode_escape").decode("ascii")
