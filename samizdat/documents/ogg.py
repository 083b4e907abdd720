"""Ogg sound files (Opus, Vorbis, FLAC in Ogg, Speex) without their comments.

A Telegram or WhatsApp voice message is an Opus stream in Ogg; its comment packet, like a Vorbis or FLAC
one, may name the speaker, the place and the date, and a METADATA_BLOCK_PICTURE comment holds a cover
picture that may be a phone photo with its GPS position. Each logical stream's header packets are read
(pages checked against their CRC), the comment packet is replaced by one with the same vendor string
and no comments (FLAC in Ogg also loses every metadata block but STREAMINFO and SEEKTABLE, keeping the
emptied VORBIS_COMMENT block its mapping requires), and the header packets are paged again. Every later
page of that stream is renumbered and its CRC written anew; the sound pages are otherwise copied
byte for byte. A stream of any other kind (Theora video, a Skeleton index, subtitles) is refused:
samizdat cannot say what it holds.
"""

from __future__ import annotations

import mmap
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from samizdat.documents.audio import AudioProblem, skip_id3v2
from samizdat.documents.spans import shown

ENGINE = "ogg 1"  # raise when this module changes what it writes, so cached copies are made again

CAPTURE = b"OggS"
HEADER = 27  # a page's fixed header, before its lacing values
CONTINUED, FIRST_PAGE, LAST_PAGE = 1, 2, 4
NO_PACKET_ENDS = 0xFFFF_FFFF_FFFF_FFFF  # the granule position of a page on which no packet ends
SEGMENT = 255
MAX_HEADER = 64 << 20  # a header packet's bytes are gathered in memory: a cover picture is a few megabytes
FLAC_KEPT = {0: "STREAMINFO", 3: "SEEKTABLE"}
FLAC_COMMENT = 4
# The first bytes of streams samizdat does not clean, and what they are.
OTHER_STREAMS = {
    b"\x80theora": "a Theora video stream", b"fishead\x00": "a Skeleton index stream",
    b"\x80kate": "a Kate subtitle stream", b"BBCD": "a Dirac video stream", b"CELT    ": "a CELT sound stream",
    b"\x01video\x00\x00\x00": "an OGM video stream", b"\x01text\x00": "an OGM text stream",
}

Buffer = bytes | bytearray | mmap.mmap


class OggProblem(Exception):
    """The file is not the Ogg file its first bytes promise (cut short, a page that fails its CRC)."""


class UnknownStream(OggProblem):
    """The file holds a stream samizdat cannot clean: `what` says which kind."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


@dataclass(frozen=True)
class Page:
    start: int
    end: int
    flags: int
    serial: int
    sequence: int
    lacing: bytes
    body: int  # offset of the page's body, after its lacing values


@dataclass
class Stream:
    """One logical stream of the file: its header packets and the pages that carried them."""
    serial: int
    codec: str = ""
    packets: list[bytes] = field(default_factory=list)
    header_pages: list[int] = field(default_factory=list)  # indexes into the file's pages
    partial: bytearray = field(default_factory=bytearray)
    ended: bool = False  # its last page (EOS) was seen

    def complete(self) -> bool:
        if not self.packets:
            return False
        if self.codec == "FLAC":
            return len(self.packets) > 1 and bool(self.packets[-1][0] & 0x80)
        return len(self.packets) == {"Opus": 2, "Vorbis": 3, "Speex": 2}[self.codec]


@dataclass(frozen=True)
class OggCleaning:
    streams: tuple[str, ...]  # the codec of each stream cleaned
    removed: tuple[str, ...]  # e.g. ("3 comments", "PICTURE")


_REVERSED_BITS = bytes(int(f"{byte:08b}"[::-1], 2) for byte in range(256))


def ogg_crc(data: bytes | bytearray) -> int:
    """Ogg's CRC-32: polynomial 0x04C11DB7, not reflected, starting at zero, no final inversion. zlib's
    CRC-32 is the same polynomial reflected, so it is asked for the bit-reversed bytes (all in C)."""
    reflected = zlib.crc32(data.translate(_REVERSED_BITS), 0xFFFFFFFF) ^ 0xFFFFFFFF
    return int(f"{reflected:032b}"[::-1], 2)


def read_pages(data: Buffer, start: int = 0) -> Iterator[Page]:
    """Every page, back to back from `start` (the first byte, or the end of an ID3 tag some taggers put in
    front); each checked against its CRC."""
    at = start
    while at < len(data):
        if data[at:at + 4] != CAPTURE:
            raise OggProblem(f"no Ogg page starts at byte {at}")
        if at + HEADER > len(data):
            raise OggProblem(f"the page at byte {at} is cut short")
        version, flags, serial, sequence, crc, count = struct.unpack_from("<BB8xIIIB", data, at + 4)
        if version != 0:
            raise OggProblem(f"the page at byte {at} is of an unknown Ogg version ({version})")
        lacing = bytes(data[at + HEADER:at + HEADER + count])
        end = at + HEADER + count + sum(lacing)
        if len(lacing) < count or end > len(data):
            raise OggProblem(f"the page at byte {at} runs past the end of the file")
        page = bytearray(data[at:end])
        page[22:26] = bytes(4)
        if ogg_crc(page) != crc:
            raise OggProblem(f"the page at byte {at} fails its checksum (CRC): the file is damaged")
        yield Page(at, end, flags, serial, sequence, lacing, at + HEADER + count)
        at = end


def read_streams(data: Buffer, start: int = 0) -> tuple[list[Page], list[Stream]]:
    """The file's pages from `start`, and its logical streams with their header packets (a chained file's
    links one after another, each stream ending at its last page)."""
    pages, streams, live = [], [], {}
    for index, page in enumerate(read_pages(data, start)):
        pages.append(page)
        stream = live.get(page.serial)
        if page.flags & FIRST_PAGE:
            if stream is not None and not stream.ended:
                raise OggProblem(f"two streams numbered {page.serial} at byte {page.start}")
            stream = live[page.serial] = Stream(page.serial)
            streams.append(stream)
        elif stream is None or stream.ended:
            raise OggProblem(f"the page at byte {page.start} belongs to no stream begun before it")
        if not stream.complete():
            _take_header_page(data, page, index, stream)
        stream.ended = bool(page.flags & LAST_PAGE)
    unfinished = [stream for stream in streams if not stream.complete()]
    if not pages:
        raise OggProblem("the file is empty")
    if unfinished:
        raise OggProblem(f"the file ends before the headers of stream {unfinished[0].serial}")
    return pages, streams


def _take_header_page(data: Buffer, page: Page, index: int, stream: Stream) -> None:
    """Gather the page's packets into the stream's headers; the sound must start on a page of its own."""
    if bool(page.flags & CONTINUED) != bool(stream.partial):
        raise OggProblem(f"the page at byte {page.start} does not continue the packet before it as it says")
    stream.header_pages.append(index)
    at = page.body
    for value in page.lacing:
        if stream.complete():
            raise OggProblem(f"the page at byte {page.start} holds sound after stream {stream.serial}'s "
                             "headers (they must end their page)")
        stream.partial += data[at:at + value]
        at += value
        if len(stream.partial) > MAX_HEADER:
            raise OggProblem(f"a header packet of stream {stream.serial} is larger than {MAX_HEADER >> 20} MB")
        if value < SEGMENT:
            stream.packets.append(bytes(stream.partial))
            stream.partial.clear()
            if len(stream.packets) == 1:
                stream.codec = _codec(stream.packets[0])


def _codec(first: bytes) -> str:
    if first.startswith(b"OpusHead"):
        return "Opus"
    if first.startswith(b"\x01vorbis"):
        return "Vorbis"
    if first.startswith(b"\x7fFLAC") and first[9:13] == b"fLaC":
        return "FLAC"
    if first.startswith(b"Speex   "):
        if len(first) < 80:
            raise OggProblem("a Speex header is cut short")
        if struct.unpack_from("<I", first, 68)[0]:
            raise UnknownStream("a Speex stream with extra header packets")
        return "Speex"
    for start, what in OTHER_STREAMS.items():
        if first.startswith(start):
            raise UnknownStream(what)
    raise UnknownStream(f"a stream of an unknown kind (its first packet starts with “{shown(first[:8])}”)")


@dataclass(frozen=True)
class Comments:
    vendor: bytes
    count: int
    end: int  # where the comment list ends in the packet


def read_comments(packet: bytes, at: int) -> Comments:
    """A Vorbis comment structure at `at`: vendor string, then a counted list of length-prefixed texts."""
    def length(position: int) -> int:
        if position + 4 > len(packet):
            raise OggProblem("a comment packet is cut short")
        return struct.unpack_from("<I", packet, position)[0]

    vendor_end = at + 4 + length(at)
    count = length(vendor_end)
    position = vendor_end + 4
    for _ in range(count):
        position += 4 + length(position)
        if position > len(packet):
            raise OggProblem("a comment runs past the end of its packet")
    return Comments(packet[at + 4:vendor_end], count, position)


def empty_comments(vendor: bytes) -> bytes:
    return struct.pack("<I", len(vendor)) + vendor + struct.pack("<I", 0)


def clean_headers(stream: Stream) -> tuple[list[bytes], list[str]]:
    """The stream's header packets with no comments, and what went."""
    first, *rest = stream.packets
    if stream.codec == "FLAC":
        return _clean_flac(first, rest)
    prefix = {"Opus": b"OpusTags", "Vorbis": b"\x03vorbis", "Speex": b""}[stream.codec]
    packet = rest[0]
    if not packet.startswith(prefix):
        raise OggProblem(f"the {stream.codec} stream's second packet is not its comments")
    comments = read_comments(packet, len(prefix))
    removed = [f"{comments.count} comments"] if comments.count else []
    if stream.codec == "Opus" and packet[comments.end:comments.end + 1] and packet[comments.end] & 1:
        removed.append("binary data after the comments")
    framing = b"\x01" if stream.codec == "Vorbis" else b""
    return [first, prefix + empty_comments(comments.vendor) + framing, *rest[1:]], removed


def _clean_flac(first: bytes, blocks: list[bytes]) -> tuple[list[bytes], list[str]]:
    """STREAMINFO (in the first packet), an emptied VORBIS_COMMENT block first, as the mapping requires,
    then the seek tables; the header count written again."""
    declared = struct.unpack_from(">H", first, 7)[0] if len(first) >= 9 else -1
    if len(first) < 51 or (declared and declared != len(blocks)):
        raise OggProblem("the FLAC stream's first packet does not match its metadata blocks")
    vendor, removed = b"samizdat", []
    for block in blocks:
        kind = block[0] & 0x7F
        if len(block) < 4 or int.from_bytes(block[1:4], "big") != len(block) - 4:
            raise OggProblem("a FLAC metadata block's length does not match its packet")
        if kind == FLAC_COMMENT:
            comments = read_comments(block, 4)
            vendor = comments.vendor
            removed += [f"{comments.count} comments"] if comments.count else []
        elif kind not in FLAC_KEPT:
            removed.append(_FLAC_NAMES.get(kind, f"block {kind}"))
    comment = empty_comments(vendor)
    kept = [bytes([FLAC_COMMENT]) + len(comment).to_bytes(3, "big") + comment]
    kept += [block for block in blocks if block[0] & 0x7F == 3]
    kept[-1] = bytes([kept[-1][0] | 0x80]) + kept[-1][1:]
    kept[:-1] = [bytes([block[0] & 0x7F]) + block[1:] for block in kept[:-1]]
    return [first[:7] + struct.pack(">H", len(kept)) + first[9:], *kept], removed


_FLAC_NAMES = {1: "PADDING", 2: "APPLICATION", 5: "CUESHEET", 6: "PICTURE"}


def build_page(flags: int, granule: int, serial: int, sequence: int, lacing: bytes, body: bytes) -> bytes:
    page = bytearray(struct.pack("<4sBBQIIIB", CAPTURE, 0, flags, granule, serial, sequence, 0, len(lacing)))
    page += lacing + body
    page[22:26] = struct.pack("<I", ogg_crc(page))
    return bytes(page)


def header_pages(packets: list[bytes], serial: int, sequence: int, ends_stream: bool) -> list[bytes]:
    """The header packets paged again from page number `sequence`: the first alone on the stream's first
    page, the others after it, the last page flushed so the sound starts on a page of its own. Header
    pages have granule 0."""
    pages = [_packet_pages([packets[0]], serial, sequence, FIRST_PAGE)]
    pages.append(_packet_pages(packets[1:], serial, sequence + len(pages[0]), 0))
    flat = [page for group in pages for page in group]
    if ends_stream:  # a stream of headers alone: its last page says so
        last = bytearray(flat[-1])
        last[5] |= LAST_PAGE
        last[22:26] = bytes(4)
        last[22:26] = struct.pack("<I", ogg_crc(last))
        flat[-1] = bytes(last)
    return flat


def _packet_pages(packets: list[bytes], serial: int, sequence: int, flags: int) -> list[bytes]:
    values, ends = [], []  # lacing values, and whether each ends a packet
    for packet in packets:
        full, rest = divmod(len(packet), SEGMENT)
        values += [SEGMENT] * full + [rest]
        ends += [False] * full + [True]
    body = b"".join(packets)
    pages, at, continued = [], 0, 0
    for first in range(0, len(values), SEGMENT):
        lacing = bytes(values[first:first + SEGMENT])
        granule = 0 if any(ends[first:first + SEGMENT]) else NO_PACKET_ENDS
        pages.append(build_page(flags | continued, granule, serial, sequence + len(pages), lacing,
                                body[at:at + sum(lacing)]))
        at += sum(lacing)
        continued = 0 if ends[first + len(lacing) - 1] else CONTINUED
        flags &= ~FIRST_PAGE
    return pages


def clean_ogg_file(source: Path, made: Path) -> OggCleaning:
    """Write `source` without comments to `made`; OggProblem if it cannot be read as Ogg. An ID3 tag in
    front of the first page (some taggers write one into any file) is left out with them: only pages are
    written."""
    with source.open("rb") as file:
        if source.stat().st_size == 0:
            raise OggProblem("the file is empty")
        with mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) as data:
            try:
                start, removed = skip_id3v2(data, 0)
            except AudioProblem as problem:
                raise OggProblem(str(problem)) from None
            pages, streams = read_streams(data, start)
        plan: dict[int, bytes] = {}  # page index → what replaces it (b"" drops it)
        shift: dict[int, int] = {}  # page index of a sound page → how far its sequence number moves
        for stream in streams:
            packets, gone = clean_headers(stream)
            removed += gone
            first, *others = stream.header_pages
            new = header_pages(packets, stream.serial, pages[first].sequence,
                               pages[stream.header_pages[-1]].flags & LAST_PAGE != 0)
            plan[first] = b"".join(new if not others else new[:1])
            for number, index in enumerate(others):
                plan[index] = b"".join(new[1:]) if number == 0 else b""
            _shift_sound_pages(pages, stream, len(new) - len(stream.header_pages), shift)
        with made.open("wb") as out:
            for index, page in enumerate(pages):
                _write_page(file, out, page, plan.get(index), shift.get(index, 0))
    return OggCleaning(tuple(stream.codec for stream in streams), tuple(removed))


def _shift_sound_pages(pages: list[Page], stream: Stream, delta: int, shift: dict[int, int]) -> None:
    if delta == 0:
        return
    last_header = stream.header_pages[-1]
    for index in range(last_header + 1, len(pages)):
        page = pages[index]
        if page.serial == stream.serial:
            if page.flags & FIRST_PAGE:
                break  # a later link of a chained file reusing the number: a stream of its own
            shift[index] = delta


def _write_page(source: BinaryIO, out: BinaryIO, page: Page, replacement: bytes | None, delta: int) -> None:
    if replacement is not None:
        out.write(replacement)
        return
    source.seek(page.start)
    data = bytearray(source.read(page.end - page.start))
    if len(data) != page.end - page.start:
        raise OggProblem("the file changed while it was read")
    if delta:
        struct.pack_into("<I", data, 18, (page.sequence + delta) & 0xFFFFFFFF)
        data[22:26] = bytes(4)
        data[22:26] = struct.pack("<I", ogg_crc(data))
    out.write(data)


def ogg_file_metadata(path: Path) -> list[str]:
    """The comments a published Ogg file still holds (empty when clean): the build's read-back."""
    with path.open("rb") as file:
        if path.stat().st_size == 0:
            return []
        with mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) as data:
            try:
                _, streams = read_streams(data)
                found = []
                for stream in streams:
                    cleaned, removed = clean_headers(stream)
                    if removed or cleaned != stream.packets:
                        found += [f"{what} in the {stream.codec} stream" for what in removed or ["comments"]]
                return found
            except OggProblem as problem:
                return [f"a file that cannot be read ({problem})"]
