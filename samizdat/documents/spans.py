"""Byte ranges of a file mapped in memory, read and zeroed a block at a time: a hostile file's element of
gigabytes is never copied whole into memory."""

from __future__ import annotations

import mmap
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

BLOCK = 1 << 20

Buffer = bytes | bytearray | mmap.mmap
Cleaning = TypeVar("Cleaning")


def cleaned_copy(source: Path, target: Path, clean: Callable[[mmap.mmap], Cleaning],
                 problem: type[Exception]) -> Cleaning:
    """A copy of `source` at `target`, cleaned in place through a memory map: a film of gigabytes is never
    held in memory. An empty file is `problem`, since there is nothing to map."""
    shutil.copyfile(source, target)
    with target.open("r+b") as file:
        if file.seek(0, 2) == 0:
            raise problem("the file is empty")
        with mmap.mmap(file.fileno(), 0) as data:
            return clean(data)


def left_in(path: Path, find: Callable[[mmap.mmap], list[str]], problem: type[Exception]) -> list[str]:
    """What `find` says a published file still holds (empty when it is clean, or empty itself); a file
    `find` cannot read is named as such, so the read-back refuses it."""
    with path.open("rb") as file:
        if file.seek(0, 2) == 0:
            return []
        with mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) as data:
            try:
                return find(data)
            except problem as failed:
                return [f"a file that cannot be read ({failed})"]


def all_zero(data: Buffer, start: int, end: int) -> bool:
    return not any(any(data[at:min(at + BLOCK, end)]) for at in range(start, end, BLOCK))


def fill_zeros(data: bytearray | mmap.mmap, start: int, end: int) -> None:
    for at in range(start, end, BLOCK):
        stop = min(at + BLOCK, end)
        data[at:stop] = bytes(stop - at)


def shown(raw: bytes) -> str:
    """Bytes of a hostile file quoted in a message: a terminal escape or a newline is shown as \\x1b, \\n."""
    return raw.decode("latin-1").encode("unicode_escape").decode("ascii")
