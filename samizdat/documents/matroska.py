"""WebM and Matroska files without their tags, attachments, chapters, title and recording date.

A phone or an editor writes the place (`location`), the people and the software into Tags, a cover
picture or fonts into Attachments, chapter names into Chapters, and the title and the moment of the
recording into the segment's Info. Clusters, Cues and the SeekHead point at the picture and sound by
their position, so nothing is cut out: each of these elements is overwritten in place by an EBML Void
element of the same length (ID 0xEC, then zeros), which every player skips. The SeekHead's entries that
pointed at them are voided too, and a parent's CRC-32 element is written again. Track names and the file
names in Info go the same way, and Void elements already there are zeroed (an editor that shrank the tags
may have left the old ones inside). Tracks that are neither picture nor sound (subtitles, metadata) lose
their blocks and codec data. The file keeps its length; the picture and sound are not touched.
"""

from __future__ import annotations

import mmap
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from samizdat.documents.spans import all_zero, cleaned_copy, fill_zeros, left_in, shown

ENGINE = "matroska 2"  # raise when this module changes what it writes, so cached copies are made again

EBML_HEADER, DOC_TYPE = 0x1A45DFA3, 0x4282
SEGMENT, CLUSTER, CUES = 0x18538067, 0x1F43B675, 0x1C53BB6B
SEEK_HEAD, SEEK, SEEK_ID = 0x114D9B74, 0x4DBB, 0x53AB
INFO, TRACKS, TRACK_ENTRY = 0x1549A966, 0x1654AE6B, 0xAE
VOID, CRC32 = 0xEC, 0xBF
# Whole elements of the segment that hold nothing a player needs to play the file.
BLANKED = {0x1254C367: "Tags", 0x1941A469: "Attachments", 0x1043A770: "Chapters"}
# The file names of the segment and its neighbours can hold a date ("VID_20220227_103000.mkv").
BLANKED_IN_INFO = {0x7BA9: "Title", 0x4461: "DateUTC", 0x7384: "SegmentFilename", 0x3C83BB: "PrevFilename",
                   0x3E83BB: "NextFilename"}
BLANKED_IN_TRACK = {0x536E: "a track's Name"}
# Tracks that are neither picture nor sound (subtitles, metadata, buttons) can carry any text: their
# blocks and codec data are voided, as MP4 files' data tracks are emptied.
TRACK_NUMBER, TRACK_TYPE, CODEC_PRIVATE = 0xD7, 0x83, 0x63A2
PICTURE_AND_SOUND = frozenset({1, 2, 3})  # video, audio, complex (both, as DV)
SIMPLE_BLOCK, BLOCK_GROUP, BLOCK = 0xA3, 0xA0, 0xA1
OTHER_TRACK_DATA = "the data of a subtitle or data track"
# The elements a segment holds: one of them (or a new segment) ends a cluster written with no size.
SEGMENT_LEVEL = frozenset({SEEK_HEAD, INFO, TRACKS, CLUSTER, CUES, *BLANKED, EBML_HEADER, SEGMENT})
DOC_TYPES = (b"matroska", b"webm")
MAX_SIZE_WIDTH = 8
OLD_DATA = "old data in a Void element"

Buffer = bytes | bytearray | mmap.mmap


class MatroskaProblem(Exception):
    """The file is not the Matroska or WebM file its first bytes promise (cut short, sizes out of bounds)."""


@dataclass(frozen=True)
class Element:
    id: int
    start: int  # offset of its ID
    data: int  # offset of its content
    end: int
    sized: bool = True  # False: written with an unknown size (a live recording's segment and clusters)


@dataclass(frozen=True)
class Found:
    name: str
    element: Element
    parents: tuple[Element, ...]  # innermost last: whose CRC-32 must be written again


@dataclass(frozen=True)
class MatroskaCleaning:
    voided: tuple[str, ...]


def _vint(data: Buffer, at: int, end: int, width_limit: int) -> tuple[int, int]:
    """A variable-length integer: (its value with the length marker kept, its width in bytes)."""
    if at >= end:
        raise MatroskaProblem(f"an element at byte {at} is cut short")
    first = data[at]
    width = 9 - first.bit_length()
    if first == 0 or width > width_limit or at + width > end:
        raise MatroskaProblem(f"an element at byte {at} has a damaged header")
    return int.from_bytes(data[at:at + width], "big"), width


def element_at(data: Buffer, at: int, end: int) -> Element:
    ident, id_width = _vint(data, at, end, 4)
    size, size_width = _vint(data, at + id_width, end, MAX_SIZE_WIDTH)
    content = at + id_width + size_width
    size &= (1 << (7 * size_width)) - 1
    if size == (1 << (7 * size_width)) - 1:  # all ones: the size is not known
        if ident not in (SEGMENT, CLUSTER):
            raise MatroskaProblem(f"an element at byte {at} has no size, which only segments and clusters may")
        return Element(ident, at, content, end, sized=False)
    if content + size > end:
        raise MatroskaProblem(f"an element at byte {at} claims {size} bytes, more than its container holds "
                              "(the file is cut short or damaged)")
    return Element(ident, at, content, content + size)


def children(data: Buffer, parent: Element) -> Iterator[Element]:
    at = parent.data
    while at < parent.end:
        child = element_at(data, at, parent.end)
        if not child.sized:
            child = _cluster_extent(data, child) if child.id == CLUSTER else child
        yield child
        at = child.end


def _cluster_extent(data: Buffer, cluster: Element) -> Element:
    """A cluster written with no size ends where the next element of the segment (or a new segment) starts."""
    at = cluster.data
    while at < cluster.end:
        ident, _ = _vint(data, at, cluster.end, 4)
        if ident in SEGMENT_LEVEL:
            break
        at = element_at(data, at, cluster.end).end
    return Element(CLUSTER, cluster.start, cluster.data, at, sized=False)


def find_metadata(data: Buffer) -> list[Found]:
    """Every element the cleaning voids, from the EBML header to the last segment."""
    found: list[Found] = []
    at = 0
    while at < len(data):
        if data[at] == 0 and all_zero(data, at, len(data)):
            break  # zeros after the last segment: nothing to read
        element = element_at(data, at, len(data))
        if element.id == EBML_HEADER:
            _check_doc_type(data, element)
        elif element.id == SEGMENT:
            segments = [element]
            while segments:  # a segment written with no size holds the segments chained after it
                segments += _look_in_segment(data, segments.pop(), found)
        elif _old_data(data, element):
            found.append(Found(OLD_DATA, element, ()))
        elif element.id != VOID:
            raise MatroskaProblem(f"an unknown element (ID {element.id:X}) at byte {at} outside any segment")
        at = element.end
    return found


def _check_doc_type(data: Buffer, header: Element) -> None:
    for child in children(data, header):
        if child.id == DOC_TYPE:
            doc_type = bytes(data[child.data:child.end]).rstrip(b"\x00")
            if doc_type not in DOC_TYPES:
                raise MatroskaProblem(f"an EBML file of type “{shown(doc_type[:32])}”, not Matroska or WebM")


def _look_in_segment(data: Buffer, segment: Element, found: list[Found]) -> list[Element]:
    """Adds what the segment holds to `found`; returns the segments found inside it."""
    inner: list[Element] = []
    other_tracks: set[int] = set()  # numbers of the tracks that are neither picture nor sound
    for child in children(data, segment):
        if child.id == SEGMENT:
            inner.append(child)
        elif child.id == EBML_HEADER:
            _check_doc_type(data, child)
        elif child.id in BLANKED:
            found.append(Found(BLANKED[child.id], child, ()))
        elif _old_data(data, child):
            found.append(Found(OLD_DATA, child, ()))
        elif child.id in (INFO, SEEK_HEAD):
            found += _inside(data, child, BLANKED_IN_INFO if child.id == INFO else {}, ())
        elif child.id == TRACKS:
            found += _look_in_tracks(data, child, other_tracks)
        elif child.id == CLUSTER and other_tracks:  # clusters are walked only when there is something to find
            found += [Found(OTHER_TRACK_DATA, block, (child,)) for block in children(data, child)
                      if _block_track(data, block) in other_tracks]
    return inner


def _look_in_tracks(data: Buffer, tracks: Element, other_tracks: set[int]) -> list[Found]:
    found = _inside(data, tracks, {}, ())
    for entry in children(data, tracks):
        if entry.id != TRACK_ENTRY:
            continue
        found += _inside(data, entry, BLANKED_IN_TRACK, (tracks,))
        fields = {e.id: e for e in children(data, entry)}
        kind = _unsigned(data, fields[TRACK_TYPE]) if TRACK_TYPE in fields else 0
        if kind not in PICTURE_AND_SOUND and TRACK_NUMBER in fields:
            other_tracks.add(_unsigned(data, fields[TRACK_NUMBER]))
            if CODEC_PRIVATE in fields:
                found.append(Found(OTHER_TRACK_DATA, fields[CODEC_PRIVATE], (tracks, entry)))
    return found


def _unsigned(data: Buffer, element: Element) -> int:
    if element.end - element.data > 8:
        raise MatroskaProblem(f"a number at byte {element.start} is longer than eight bytes")
    return int.from_bytes(data[element.data:element.end], "big")


def _block_track(data: Buffer, element: Element) -> int | None:
    """The track number a SimpleBlock or a BlockGroup's Block starts with; None for anything else."""
    if element.id == BLOCK_GROUP:
        element = next((e for e in children(data, element) if e.id == BLOCK), element)
    if element.id not in (SIMPLE_BLOCK, BLOCK):
        return None
    number, width = _vint(data, element.data, element.end, MAX_SIZE_WIDTH)
    return number & ((1 << (7 * width)) - 1)


def _inside(data: Buffer, master: Element, names: dict[int, str], outer: tuple[Element, ...]) -> list[Found]:
    """The children of `master` named in `names`, Void elements holding old data, and in a SeekHead the
    entries that point at what is voided."""
    parents, result = (*outer, master), []
    for child in children(data, master):
        if child.id in names:
            result.append(Found(names[child.id], child, parents))
        elif _old_data(data, child):
            result.append(Found(OLD_DATA, child, parents))
        elif master.id == SEEK_HEAD and child.id == SEEK and _seeks_blanked(data, child):
            result.append(Found("a SeekHead entry of metadata", child, parents))
    return result


def _old_data(data: Buffer, element: Element) -> bool:
    """A Void element is free space: an editor that shrank the tags may have left the old ones in it."""
    return element.id == VOID and not all_zero(data, element.data, element.end)


def _seeks_blanked(data: Buffer, seek: Element) -> bool:
    for child in children(data, seek):
        if child.id == SEEK_ID:
            return int.from_bytes(data[child.data:child.end], "big") in BLANKED
    return False


def void(data: Buffer, element: Element) -> None:
    """An EBML Void element of exactly the same length: 0xEC, its size, then zeros."""
    total = element.end - element.start
    width = MAX_SIZE_WIDTH if total > MAX_SIZE_WIDTH else total - 1
    size = total - 1 - width
    data[element.start] = VOID
    data[element.start + 1:element.start + 1 + width] = (size | (1 << (7 * width))).to_bytes(width, "big")
    fill_zeros(data, element.start + 1 + width, element.end)


def _rewrite_crc(data: Buffer, parent: Element) -> None:
    """A master element may start with a CRC-32 of the rest of its content: written again after a change."""
    first = element_at(data, parent.data, parent.end) if parent.data < parent.end else None
    if first is not None and first.id == CRC32 and first.end - first.data == 4:
        data[first.data:first.end] = struct.pack("<I", zlib.crc32(data[first.end:parent.end]))


def clean_matroska(data: bytearray | mmap.mmap) -> MatroskaCleaning:
    found = find_metadata(data)
    for item in found:
        void(data, item.element)
    for parent in sorted({p for item in found for p in item.parents}, key=lambda p: p.data, reverse=True):
        _rewrite_crc(data, parent)  # inner elements first: an outer CRC covers the inner ones
    return MatroskaCleaning(tuple(item.name for item in found))


def clean_matroska_file(source: Path, target: Path) -> MatroskaCleaning:
    """A cleaned copy of `source` at `target` (spans.cleaned_copy)."""
    return cleaned_copy(source, target, clean_matroska, MatroskaProblem)


def matroska_file_metadata(path: Path) -> list[str]:
    """What a published file still holds that clean_matroska voids (empty when it is clean)."""
    return left_in(path, lambda data: [item.name for item in find_metadata(data)], MatroskaProblem)
