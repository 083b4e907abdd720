"""MP3, AAC, FLAC and WAV files without their tags.

A recorder app or a sound editor writes the title, the artist (often the person speaking), the date and
place of the recording, comments, the software, and in MP3 and FLAC files an attached picture, which may
be a phone photo with its own GPS position. Unlike a video's `mdat`, nothing in these files points at
the sound by an absolute offset, so the tags are cut out rather than overwritten:

- MP3 and AAC (ADTS): ID3v2 tags at the start (one or several, as some taggers leave), and ID3v1,
  Enhanced TAG, APEv2, Lyrics3 and appended ID3v2 tags at the end; what remains must start with a frame.
- FLAC: every metadata block but the stream's description (STREAMINFO) and its seek table; an ID3 tag
  some programs put in front of `fLaC` goes too.
- WAV: every chunk but `fmt `, `fact` and `data` (`LIST`/INFO, `bext` with its originator and time,
  `id3 `, `iXML`, cue lists…); the RIFF size is written again.

Ogg files (Opus, Vorbis, FLAC in Ogg) are cleaned by ogg.py, WebM and Matroska by matroska.py, AVI by avi.py.
"""

from __future__ import annotations

import mmap
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from samizdat.documents.spans import shown

ENGINE = "audio 1"  # raise when this module changes what it writes, so cached copies are made again

ID3_HEADER = 10
ID3V1 = 128
ENHANCED_TAG = 227  # "TAG+" before an ID3v1 tag
APE_FOOTER = 32
LYRICS3_END = b"LYRICS200"
FLAC_KEPT_BLOCKS = {0: "STREAMINFO", 3: "SEEKTABLE"}
FLAC_BLOCK_NAMES = {1: "PADDING", 2: "APPLICATION", 4: "VORBIS_COMMENT", 5: "CUESHEET", 6: "PICTURE"}
WAV_KEPT_CHUNKS = frozenset({b"fmt ", b"fact", b"data"})
COPY_BLOCK = 1 << 20

# What the cleaned file is made of, in order: bytes written anew, or a (start, end) range of the source.
Part = bytes | tuple[int, int]


class AudioProblem(Exception):
    """The file is not the sound file its first bytes promise (cut short, a tag larger than the file)."""


@dataclass(frozen=True)
class AudioCleaning:
    removed: tuple[str, ...]  # what was cut out, e.g. ("ID3v2", "APEv2") or ("VORBIS_COMMENT", "PICTURE")


def clean_audio_file(source: Path, made: Path) -> AudioCleaning:
    """Write `source` without its tags to `made`; AudioProblem if it cannot be read as what it claims."""
    with source.open("rb") as file:
        if source.stat().st_size == 0:
            raise AudioProblem("the file is empty")
        # Read through the map, copied through the file: no view of the map outlives it.
        with mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) as data:
            start, removed = skip_id3v2(data, 0)
            if data[start:start + 4] == b"fLaC":
                parts, cut = _flac_parts(data, start)
            elif data[:4] == b"RIFF" and data[8:12] == b"WAVE":
                parts, cut = _wav_parts(data)
            else:
                parts, cut = _mpeg_parts(data, start)
        with made.open("wb") as out:
            for part in parts:
                _write_part(file, out, part)
    return AudioCleaning(tuple(removed + cut))


def _write_part(source: BinaryIO, out: BinaryIO, part: Part) -> None:
    if isinstance(part, bytes):
        out.write(part)
        return
    start, end = part
    source.seek(start)
    while start < end:
        block = source.read(min(COPY_BLOCK, end - start))
        if not block:
            raise AudioProblem("the file changed while it was read")
        out.write(block)
        start += len(block)


def audio_file_metadata(path: Path) -> list[str]:
    """The tags a published sound file still holds (empty when clean): the build's read-back."""
    with path.open("rb") as file:
        if path.stat().st_size == 0:
            return []
        with mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) as data:
            try:
                start, found = skip_id3v2(data, 0)
                if data[start:start + 4] == b"fLaC":
                    blocks = list(flac_blocks(data, start + 4))
                    return found + [name for kind, name, _, _ in blocks if kind not in FLAC_KEPT_BLOCKS]
                if data[:4] == b"RIFF" and data[8:12] == b"WAVE":
                    return found + [_chunk_name(kind) for kind, _, _ in wav_chunks(data)
                                    if kind not in WAV_KEPT_CHUNKS]
                _, tail = _trailing_tags(data, start)
                return found + tail
            except AudioProblem as problem:
                return [f"a file that cannot be read ({problem})"]


def skip_id3v2(data: bytes | mmap.mmap, start: int) -> tuple[int, list[str]]:
    """Where the first ID3v2 tag(s) at `start` end; taggers sometimes leave two in a row."""
    removed: list[str] = []
    while data[start:start + 3] == b"ID3":
        start += _id3v2_length(data, start)
        if start > len(data):
            raise AudioProblem("an ID3 tag claims to be longer than the file")
        removed.append("ID3v2")
    return start, removed


def _id3v2_length(data: bytes | mmap.mmap, at: int) -> int:
    """The length of the ID3v2 tag whose header (or footer, for "3DI") is at `at`, header and footer included."""
    if at + ID3_HEADER > len(data):
        raise AudioProblem("an ID3 tag is cut short")
    flags, size = data[at + 5], data[at + 6:at + 10]
    if any(byte & 0x80 for byte in size):
        raise AudioProblem("an ID3 tag's size is not written as ID3 writes it")
    body = (size[0] << 21) | (size[1] << 14) | (size[2] << 7) | size[3]
    return ID3_HEADER + body + (ID3_HEADER if flags & 0x10 else 0)


def _trailing_tags(data: bytes | mmap.mmap, start: int) -> tuple[int, list[str]]:
    """Where the sound ends before the tags at the end of an MP3 or AAC file, and which tags they are."""
    end, found = len(data), []
    while end > start:
        if end - ID3V1 >= start and data[end - ID3V1:end - ID3V1 + 3] == b"TAG":
            end -= ID3V1
            found.append("ID3v1")
            if end - ENHANCED_TAG >= start and data[end - ENHANCED_TAG:end - ENHANCED_TAG + 4] == b"TAG+":
                end -= ENHANCED_TAG
        elif end - APE_FOOTER >= start and data[end - APE_FOOTER:end - APE_FOOTER + 8] == b"APETAGEX":
            size, _, flags = struct.unpack_from("<III", data, end - APE_FOOTER + 12)
            if size < APE_FOOTER:
                raise AudioProblem("an APE tag's size is smaller than its own footer")
            end -= size + (APE_FOOTER if flags & 0x80000000 else 0)
            found.append("APEv2")
        elif end - 15 >= start and data[end - 9:end] == LYRICS3_END:
            digits = bytes(data[end - 15:end - 9])
            if not digits.isdigit():
                raise AudioProblem("a Lyrics3 tag's size is not a number")
            end -= int(digits) + 15
            found.append("Lyrics3")
        elif end - ID3_HEADER >= start and data[end - ID3_HEADER:end - ID3_HEADER + 3] == b"3DI":
            end -= _id3v2_length(data, end - ID3_HEADER)  # its footer repeats the header: both counted
            found.append("ID3v2")
        else:
            break
        if end < start:
            raise AudioProblem("a tag at the end claims to be longer than the file")
    return end, found


def _mpeg_parts(data: mmap.mmap, start: int) -> tuple[list[Part], list[str]]:
    end, found = _trailing_tags(data, start)
    if not is_mpeg_frame(data[start:start + 4]):
        raise AudioProblem("no MP3 or AAC frame follows its tags")
    return [(start, end)], found


def is_mpeg_frame(head: bytes) -> bool:
    """An MPEG audio Layer II or III frame header, or an AAC ADTS one (Layer I is left out: its first
    two bytes can be a UTF-16 text's byte-order mark)."""
    if len(head) < 4 or head[0] != 0xFF or head[1] & 0xE0 != 0xE0:
        return False
    version, layer = (head[1] >> 3) & 3, (head[1] >> 1) & 3
    if layer == 0:  # ADTS: a 12-bit sync word, MPEG version bit, layer 0, a known sampling rate
        return head[1] & 0xF0 == 0xF0 and (head[2] >> 2) & 0xF < 13
    bitrate, rate = head[2] >> 4, (head[2] >> 2) & 3
    return version != 1 and layer in (1, 2) and bitrate != 15 and rate != 3


def flac_blocks(data: bytes | mmap.mmap, at: int) -> Iterator[tuple[int, str, int, int]]:
    """(type, name, start, end) of each metadata block after "fLaC"; the last one has its flag set."""
    while True:
        if at + 4 > len(data):
            raise AudioProblem("the FLAC metadata is cut short")
        header = data[at]
        kind, length = header & 0x7F, int.from_bytes(data[at + 1:at + 4], "big")
        end = at + 4 + length
        if end > len(data):
            raise AudioProblem("a FLAC metadata block claims to be longer than the file")
        yield kind, FLAC_KEPT_BLOCKS.get(kind) or FLAC_BLOCK_NAMES.get(kind, f"block {kind}"), at, end
        if header & 0x80:
            return
        at = end


def _flac_parts(data: mmap.mmap, start: int) -> tuple[list[Part], list[str]]:
    blocks = list(flac_blocks(data, start + 4))
    if not blocks or blocks[0][0] != 0:
        raise AudioProblem("a FLAC file must begin with its STREAMINFO block")
    kept = [(at, end) for kind, _, at, end in blocks if kind in FLAC_KEPT_BLOCKS]
    parts: list[Part] = [b"fLaC"]
    for number, (at, end) in enumerate(kept):
        last = number == len(kept) - 1
        parts += [bytes([(data[at] & 0x7F) | (0x80 if last else 0)]), (at + 1, end)]
    parts.append((blocks[-1][3], len(data)))
    return parts, [name for kind, name, _, _ in blocks if kind not in FLAC_KEPT_BLOCKS]


def wav_chunks(data: bytes | mmap.mmap) -> Iterator[tuple[bytes, int, int]]:
    """(id, start, end) of each chunk of a RIFF WAVE file, end including the pad byte of odd sizes."""
    at, end_of_riff = 12, min(len(data), 8 + struct.unpack_from("<I", data, 4)[0])
    while at + 8 <= end_of_riff:
        kind, size = struct.unpack_from("<4sI", data, at)
        end = at + 8 + size + (size & 1)
        if at + 8 + size > len(data):
            raise AudioProblem(f"the chunk {_chunk_name(kind)} claims to be longer than the file")
        yield kind, at, min(end, len(data))
        at = end


def _wav_parts(data: mmap.mmap) -> tuple[list[Part], list[str]]:
    chunks = list(wav_chunks(data))
    kinds = [kind for kind, _, _ in chunks]
    if b"fmt " not in kinds or b"data" not in kinds:
        raise AudioProblem("a WAV file needs its fmt and data chunks")
    kept = [(at, end) for kind, at, end in chunks if kind in WAV_KEPT_CHUNKS]
    riff_size = 4 + sum(end - at for at, end in kept)
    if riff_size > 0xFFFFFFFF:
        raise AudioProblem("the sound is larger than a WAV file can hold")
    header = b"RIFF" + struct.pack("<I", riff_size) + b"WAVE"
    return [header, *kept], [_chunk_name(kind) for kind in kinds if kind not in WAV_KEPT_CHUNKS]


def _chunk_name(kind: bytes) -> str:
    return shown(kind).strip() or repr(kind)
