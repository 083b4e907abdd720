"""MP4, MOV, M4A and 3GP files without the place and time they were recorded.

A phone writes where a video was shot into `udta` (`©xyz`) and `meta` (Apple's
`com.apple.quicktime.location.ISO6709`), the moment into every `mvhd`, `tkhd` and `mdhd`, and an action
camera writes a whole GPS track (GoPro's `gpmd`) as samples in `mdat`. None of that can be cut out without
moving `mdat`, whose chunks are addressed by absolute offsets, so each piece is overwritten in place
instead: metadata boxes become `free` boxes of zeros, timestamps become zero, and the samples of every
track that is neither picture nor sound (GPS, subtitles, timecode, text) become zeros. The file keeps
its length and every offset; players skip `free` boxes and empty tracks.
"""

from __future__ import annotations

import mmap
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from samizdat.documents.spans import all_zero, cleaned_copy, fill_zeros, left_in

ENGINE = "iso-media 1"  # raise when this module changes what it writes, so cached copies are made again

# Boxes that hold other boxes, as far down as metadata is found.
CONTAINERS = frozenset({b"moov", b"trak", b"mdia", b"minf", b"stbl", b"edts", b"moof", b"traf", b"mvex", b"dinf"})
# Boxes that hold nothing a player needs: user data, metadata (location, titles, the phone's model),
# vendor boxes (XMP), and free space that an editing program may have left old metadata in.
BLANKED = frozenset({b"udta", b"meta", b"uuid", b"XMP_", b"free", b"skip", b"wide"})
TIMESTAMPED = frozenset({b"mvhd", b"tkhd", b"mdhd"})  # creation and modification time after version/flags
PICTURE_AND_SOUND = frozenset({b"vide", b"soun"})
MAX_DEPTH = 16  # real files nest containers 6 deep; a hostile one could nest them until the stack ends


Buffer = bytes | bytearray | mmap.mmap


class MediaProblem(Exception):
    """The file is not the ISO media file its first bytes promise (cut short, boxes out of bounds)."""


@dataclass(frozen=True)
class Box:
    kind: bytes
    start: int  # offset of the box's header
    body: int  # offset of its content
    end: int


@dataclass(frozen=True)
class MediaCleaning:
    blanked: tuple[str, ...]  # the kinds of metadata boxes overwritten
    cleared_tracks: tuple[str, ...]  # handler types of tracks whose samples were zeroed


def boxes(data: Buffer, start: int, end: int) -> Iterator[Box]:
    position = start
    while position + 8 <= end:
        size, kind = struct.unpack_from(">I4s", data, position)
        body = position + 8
        if size == 1:
            if body + 8 > end:
                raise MediaProblem(f"a {kind!r} box at byte {position} is cut short")
            size, body = struct.unpack_from(">Q", data, body)[0], body + 8
        elif size == 0:
            size = end - position
        if size < body - position or position + size > end:
            raise MediaProblem(f"a {kind!r} box at byte {position} runs past its container")
        yield Box(kind, position, body, position + size)
        position += size
    if position != end and any(data[position:end]):
        raise MediaProblem(f"{end - position} stray bytes at byte {position}")


def clean_iso_file(source: Path, target: Path) -> MediaCleaning:
    """A cleaned copy of `source` at `target` (spans.cleaned_copy)."""
    return cleaned_copy(source, target, clean_iso_media, MediaProblem)


def iso_file_metadata(path: Path) -> list[str]:
    """What remains in a published file that clean_iso_file removes (empty when it is clean)."""
    return left_in(path, remaining_metadata, MediaProblem)


def clean_iso_media(data: bytearray | mmap.mmap) -> MediaCleaning:
    """Overwrite, in `data`, everything that can tell where and when the file was recorded."""
    blanked: list[str] = []
    cleared: list[str] = []
    _clean_level(data, 0, len(data), blanked, cleared)
    return MediaCleaning(tuple(sorted(set(blanked))), tuple(cleared))


def _clean_level(data: Buffer, start: int, end: int, blanked: list[str], cleared: list[str], depth: int = 0) -> None:
    if depth > MAX_DEPTH:
        raise MediaProblem(f"boxes nested more than {MAX_DEPTH} deep at byte {start}")
    for box in list(boxes(data, start, end)):
        if box.kind in BLANKED:
            _blank(data, box)
            if box.kind not in (b"free", b"skip", b"wide"):
                blanked.append(box.kind.decode("latin-1"))
        elif box.kind in TIMESTAMPED:
            _zero_times(data, box)
        elif box.kind == b"trak":
            _clean_level(data, box.body, box.end, blanked, cleared, depth + 1)
            handler = _handler(data, box)
            if handler not in PICTURE_AND_SOUND:
                _zero_samples(data, box)
                cleared.append(handler.decode("latin-1", "replace"))
        elif box.kind in CONTAINERS:
            _clean_level(data, box.body, box.end, blanked, cleared, depth + 1)


def _blank(data: Buffer, box: Box) -> None:
    """A `free` box of the same length: every offset after it stays right."""
    data[box.start + 4:box.start + 8] = b"free"
    fill_zeros(data, box.body, box.end)


def _zero_times(data: Buffer, box: Box) -> None:
    if box.body + 4 > box.end:
        raise MediaProblem(f"a {box.kind!r} box at byte {box.start} is cut short")
    width = 8 if data[box.body] == 1 else 4  # version 1 keeps 64-bit times
    times = box.body + 4
    if times + 2 * width > box.end:
        raise MediaProblem(f"a {box.kind!r} box at byte {box.start} is cut short")
    data[times:times + 2 * width] = bytes(2 * width)


def _find(data: Buffer, box: Box, path: tuple[bytes, ...]) -> Box | None:
    for child in boxes(data, box.body, box.end):
        if child.kind == path[0]:
            return child if len(path) == 1 else _find(data, child, path[1:])
    return None


def _handler(data: Buffer, trak: Box) -> bytes:
    hdlr = _find(data, trak, (b"mdia", b"hdlr"))
    if hdlr is None or hdlr.body + 12 > hdlr.end:
        return b"none"  # a track that does not say what it is: treated as data, not picture or sound
    return bytes(data[hdlr.body + 8:hdlr.body + 12])


def _zero_samples(data: Buffer, trak: Box) -> None:
    """Every byte of the track's samples, found through its chunk offsets, sample sizes and chunk runs.
    Each table is walked once and each byte zeroed at most once: a hostile file's tables cost time in
    proportion to their bytes, however its chunks overlap."""
    stbl = _find(data, trak, (b"mdia", b"minf", b"stbl"))
    if stbl is None:
        return
    tables = {child.kind: child for child in boxes(data, stbl.body, stbl.end)}
    for start, end in _merged(_sample_spans(data, tables)):
        fill_zeros(data, start, end)


def _sample_spans(data: Buffer, tables: dict[bytes, Box]) -> list[tuple[int, int]]:
    """(start, end) of each chunk's samples, as the tables place them."""
    offsets = _chunk_offsets(data, tables)
    sizes = SampleSizes.read(data, tables.get(b"stsz"))
    per_chunk = _samples_per_chunk(_chunk_runs(data, tables.get(b"stsc")), len(offsets))
    spans, sample = [], 0
    for offset, count in zip(offsets, per_chunk, strict=True):
        length = sizes.total(sample, count)
        sample += count
        if offset + length > len(data):
            raise MediaProblem(f"a track's samples at byte {offset} run past the end of the file")
        spans.append((offset, offset + length))
    return spans


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans sorted, with those that overlap or touch made one, so that no byte is zeroed twice.

    Real encoders write each chunk once, one after the other, so overlapping chunks mean a made-up file;
    they are merged rather than refused because zeroing a byte twice changes nothing: refusing would turn
    a file away for a flaw that cannot hurt. What overlaps cost is the hostile part: 600,000 chunks all
    pointing at the same megabyte zeroed it 600,000 times (minutes for a file of a few MB). Merged, every
    byte is zeroed at most once; the sort is over the offset table's entries, and takes one pass when
    they are in file order, as encoders write them."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _need(box: Box, length: int) -> None:
    if box.body + length > box.end:
        raise MediaProblem(f"a {box.kind!r} box at byte {box.start} is cut short")


def _table(data: Buffer, box: Box, entry: str) -> list[tuple[int, ...]]:
    _need(box, 8)
    count = struct.unpack_from(">I", data, box.body + 4)[0]
    width = struct.calcsize(entry)
    if box.body + 8 + count * width > box.end:
        raise MediaProblem(f"a {box.kind!r} table at byte {box.start} is longer than its box")
    return [struct.unpack_from(entry, data, box.body + 8 + i * width) for i in range(count)]


def _chunk_offsets(data: Buffer, tables: dict[bytes, Box]) -> list[int]:
    if b"stco" in tables:
        return [row[0] for row in _table(data, tables[b"stco"], ">I")]
    if b"co64" in tables:
        return [row[0] for row in _table(data, tables[b"co64"], ">Q")]
    return []


@dataclass(frozen=True)
class SampleSizes:
    """The sample-size table: one size for every sample, or one per sample."""
    uniform: int
    count: int
    sizes: tuple[int, ...] = ()

    @classmethod
    def read(cls, data: Buffer, stsz: Box | None) -> SampleSizes:
        if stsz is None:
            return cls(0, 0)
        _need(stsz, 12)
        uniform, count = struct.unpack_from(">II", data, stsz.body + 4)
        if uniform:
            return cls(uniform, count)
        if stsz.body + 12 + 4 * count > stsz.end:
            raise MediaProblem(f"an stsz table at byte {stsz.start} is longer than its box")
        return cls(0, count, struct.unpack_from(f">{count}I", data, stsz.body + 12))

    def total(self, first: int, count: int) -> int:
        """The bytes of `count` samples from sample `first` (samples past the table count nothing)."""
        count = max(0, min(count, self.count - first))
        return self.uniform * count if self.uniform else sum(self.sizes[first:first + count])


def _chunk_runs(data: Buffer, stsc: Box | None) -> list[tuple[int, int]]:
    """(first chunk, samples per chunk) from the sample-to-chunk table."""
    return [] if stsc is None else [(row[0], row[1]) for row in _table(data, stsc, ">III")]


def _samples_per_chunk(runs: list[tuple[int, int]], chunks: int) -> list[int]:
    """How many samples each chunk (numbered from 1) holds: the last run that starts at or before it."""
    counts, run, current = [], 0, 0
    for chunk in range(1, chunks + 1):
        while run < len(runs) and runs[run][0] <= chunk:
            current = runs[run][1]
            run += 1
        counts.append(current)
    return counts


def remaining_metadata(data: Buffer) -> list[str]:
    """What a cleaned file still holds that clean_iso_media removes: for the final check of the output."""
    found: list[str] = []
    _look(data, 0, len(data), found)
    return found


def _look(data: Buffer, start: int, end: int, found: list[str], depth: int = 0) -> None:
    if depth > MAX_DEPTH:
        raise MediaProblem(f"boxes nested more than {MAX_DEPTH} deep at byte {start}")
    for box in boxes(data, start, end):
        if box.kind in BLANKED and not all_zero(data, box.body, box.end):
            found.append(f"a {box.kind.decode('latin-1')} box at byte {box.start}")
        elif box.kind in TIMESTAMPED and any(data[box.body + 4:box.body + 4 + (16 if data[box.body] == 1 else 8)]):
            found.append(f"the recording time in {box.kind.decode('latin-1')} at byte {box.start}")
        elif box.kind in CONTAINERS:
            _look(data, box.body, box.end, found, depth + 1)
