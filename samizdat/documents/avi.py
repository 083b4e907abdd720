"""AVI files without their INFO list, recording date and camera data.

Cameras and editors write the title, the artist, the software and the date into a `LIST`/`INFO` chunk,
the moment of the recording into `IDIT`, a timecode into `ISMP`, the camera's own data (Nikon's `ncdt`
list, the EXIF-like blocks some cameras keep in a stream's `strd`), stream names into `strn` and XMP
into `_PMX`. The index (`idx1`, `indx`) points at the frames by their offsets, so nothing is cut out:
every chunk outside the few a player needs is turned in place into a `JUNK` chunk of the same size,
filled with zeros, and so is every `JUNK` chunk already there (free space can hold old data). The
frames in `movi` are not touched, and the file keeps its length.
"""

from __future__ import annotations

import mmap
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from samizdat.documents.spans import all_zero, cleaned_copy, fill_zeros, left_in, shown

ENGINE = "avi 1"  # raise when this module changes what it writes, so cached copies are made again

CHUNK_HEADER = 8
JUNK = b"JUNK"
# Lists walked into (movi is kept whole: it holds the frames and sound), and the chunks kept in them:
# the main and stream headers, the stream formats, the OpenDML header, video properties, the indexes.
WALKED_LISTS = frozenset({b"hdrl", b"strl", b"odml"})
KEPT_LISTS = WALKED_LISTS | {b"movi"}
KEPT_CHUNKS = frozenset({b"avih", b"strh", b"strf", b"indx", b"vprp", b"dmlh", b"idx1"})
MAX_DEPTH = 4

Buffer = bytes | bytearray | mmap.mmap


class AviProblem(Exception):
    """The file is not the AVI file its first bytes promise (cut short, chunks out of bounds)."""


@dataclass(frozen=True)
class Chunk:
    kind: bytes  # the FourCC; for a LIST, "LIST " and its list type, e.g. b"LIST INFO"
    start: int
    body: int
    end: int  # the end of its content (the pad byte of an odd size not counted)


@dataclass(frozen=True)
class AviCleaning:
    blanked: tuple[str, ...]


def chunks(data: Buffer, start: int, end: int) -> Iterator[Chunk]:
    at = start
    while at + CHUNK_HEADER <= end:
        kind, size = struct.unpack_from("<4sI", data, at)
        body = at + CHUNK_HEADER
        if body + size > end:
            raise AviProblem(f"the chunk {_name(kind)} at byte {at} claims {size} bytes, more than its "
                             "container holds (the file is cut short or damaged)")
        if kind in (b"LIST", b"RIFF"):
            if size < 4:
                raise AviProblem(f"the {_name(kind)} chunk at byte {at} is too short to say its type")
            kind += b" " + bytes(data[body:body + 4])
        yield Chunk(kind, at, body, body + size)
        at = body + size + (size & 1)
    if at < end and not all_zero(data, at, end):
        raise AviProblem(f"{end - at} stray bytes at byte {at}")


def find_metadata(data: Buffer) -> list[Chunk]:
    """Every chunk the cleaning turns into zeros: the first RIFF must be an AVI, the others AVIX."""
    found: list[Chunk] = []
    riffs = list(chunks(data, 0, len(data)))
    if not riffs or riffs[0].kind != b"RIFF AVI ":
        raise AviProblem("the file does not start with an AVI RIFF chunk")
    for riff in riffs:
        if riff.kind not in (b"RIFF AVI ", b"RIFF AVIX"):
            raise AviProblem(f"an unknown {_name(riff.kind)} chunk at byte {riff.start}")
        _look(data, riff.body + 4, riff.end, found)
    return found


def _look(data: Buffer, start: int, end: int, found: list[Chunk], depth: int = 0) -> None:
    """Real files nest lists two deep (RIFF → hdrl → strl); a hostile one could nest them until the stack ends."""
    if depth > MAX_DEPTH:
        raise AviProblem(f"lists nested more than {MAX_DEPTH} deep at byte {start}")
    for chunk in chunks(data, start, end):
        list_type = chunk.kind[5:] if chunk.kind.startswith(b"LIST ") else b""
        if list_type in WALKED_LISTS:
            _look(data, chunk.body + 4, chunk.end, found, depth + 1)
        elif _unneeded(chunk, list_type) and (chunk.kind != JUNK or not all_zero(data, chunk.body, chunk.end)):
            found.append(chunk)


def _unneeded(chunk: Chunk, list_type: bytes) -> bool:
    return list_type not in KEPT_LISTS and chunk.kind not in KEPT_CHUNKS


def blank(data: Buffer, chunk: Chunk) -> None:
    data[chunk.start:chunk.start + 4] = JUNK
    fill_zeros(data, chunk.body, chunk.end)


def clean_avi(data: bytearray | mmap.mmap) -> AviCleaning:
    found = find_metadata(data)
    for chunk in found:
        blank(data, chunk)
    return AviCleaning(tuple(_name(chunk.kind) for chunk in found if chunk.kind != JUNK))


def clean_avi_file(source: Path, target: Path) -> AviCleaning:
    """A cleaned copy of `source` at `target` (spans.cleaned_copy)."""
    return cleaned_copy(source, target, clean_avi, AviProblem)


def avi_file_metadata(path: Path) -> list[str]:
    """What a published AVI file still holds that clean_avi blanks (empty when it is clean)."""
    return left_in(path, lambda data: [f"the chunk {_name(chunk.kind)} at byte {chunk.start}"
                                       for chunk in find_metadata(data)], AviProblem)


def _name(kind: bytes) -> str:
    return shown(kind).strip() or repr(kind)
