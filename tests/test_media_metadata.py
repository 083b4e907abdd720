"""Ogg sound files (Opus voice messages, Vorbis, FLAC in Ogg, Speex), WebM/Matroska and AVI videos carry
titles, the place of the recording, the speaker's name, chapter names and cover pictures: they are
published without them, and play exactly as before. Made with a real ffmpeg (the imageio-ffmpeg wheel
ships one) and read back with it."""

from __future__ import annotations

import base64
import io
import os
import struct
import subprocess
import zlib
from pathlib import Path

import pytest
from PIL import Image

from samizdat.config import load_config
from samizdat.documents.avi import AviProblem, avi_file_metadata, clean_avi_file
from samizdat.documents.cache import DocumentCache
from samizdat.documents.matroska import (
    CRC32,
    INFO,
    SEEK_HEAD,
    SEGMENT,
    VOID,
    Element,
    MatroskaProblem,
    children,
    clean_matroska_file,
    matroska_file_metadata,
)
from samizdat.documents.ogg import (
    FIRST_PAGE,
    LAST_PAGE,
    OggProblem,
    build_page,
    clean_ogg_file,
    ogg_crc,
    ogg_file_metadata,
    read_pages,
)
from samizdat.documents.sniff import sniff
from samizdat.documents.stage import clean_documents, cleaner_for
from samizdat.errors import ImageError
from samizdat.images.verify import verify_published
from samizdat.products import transient_book
from tests.hostile import Sandbox, assert_refused
from tests.test_audio_metadata import FFMPEG, cover_with_gps, ffmpeg

SECRET = "speaker-name-4e2b"
PLACE = "+37.5704+126.9831/"  # Bosingak, as ISO 6709
TITLE = "march-to-bosingak-9d1"
CHAPTER = "chapter-where-they-met-5c7"
PAGE = "---\ntitle: Speech\n---\n[the recording](speech{suffix})\n"
SOUND = ["-f", "lavfi", "-i", "sine=frequency=440:duration=1"]
PICTURE_AND_SOUND = ["-f", "lavfi", "-i", "testsrc=size=64x48:duration=1:rate=10", *SOUND]
# name → (inputs, ffmpeg's codecs and format, suffix, streams compared after cleaning)
FORMATS = {
    "opus": (SOUND, ["-c:a", "libopus", "-f", "ogg"], ".opus", ["0:a"]),
    "vorbis": (SOUND, ["-c:a", "libvorbis", "-f", "ogg"], ".ogg", ["0:a"]),
    "flac-in-ogg": (SOUND, ["-c:a", "flac", "-f", "ogg"], ".oga", ["0:a"]),
    "webm": (PICTURE_AND_SOUND, ["-c:v", "libvpx", "-c:a", "libopus", "-f", "webm"], ".webm", ["0:v:0", "0:a"]),
    "mkv": (PICTURE_AND_SOUND, ["-c:v", "mpeg4", "-c:a", "flac", "-f", "matroska"], ".mkv", ["0:v:0", "0:a"]),
    "avi": (PICTURE_AND_SOUND, ["-c:v", "mjpeg", "-c:a", "pcm_s16le", "-f", "avi"], ".avi", ["0:v:0", "0:a"]),
}
OGG = ("opus", "vorbis", "flac-in-ogg")
EBML_WEBM = b"\x1a\x45\xdf\xa3\x87\x42\x82\x84webm"  # an EBML header of DocType webm alone


def picture_comment(jpeg: bytes) -> str:
    """A METADATA_BLOCK_PICTURE comment, as taggers store a cover picture in Ogg: a FLAC picture block."""
    mime, description = b"image/jpeg", b"cover"
    block = struct.pack(">II", 3, len(mime)) + mime + struct.pack(">I", len(description)) + description
    block += struct.pack(">IIIII", 32, 32, 24, 0, len(jpeg)) + jpeg
    return base64.b64encode(block).decode("ascii")


def make_media(path: Path, kind: str) -> bytes:
    """One second of a recording with a title, a place, the speaker's name, a chapter name, and a cover
    picture whose EXIF holds a GPS position (an attachment in Matroska, a comment in Ogg)."""
    inputs, codecs, _, _ = FORMATS[kind]
    chapters = path.with_name("chapters.txt")
    chapters.write_text(f";FFMETADATA1\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=0\nEND=500\ntitle={CHAPTER}\n")
    cover = path.with_name("cover.jpg")
    jpeg = cover_with_gps(cover)
    extra: list[str | Path] = []
    if kind in OGG:
        extra += ["-metadata", f"METADATA_BLOCK_PICTURE={picture_comment(jpeg)}"]
    if kind == "mkv":
        extra += ["-attach", cover, "-metadata:s:t", "mimetype=image/jpeg"]
    tags = ["-metadata", f"title={TITLE}", "-metadata", f"location={PLACE}", "-metadata", f"artist={SECRET}",
            "-metadata", "creation_time=2022-02-27T10:00:00Z"]
    if kind not in OGG:  # in Ogg a stream's title would replace the file's: one comment packet holds both
        tags += ["-metadata:s:a:0", f"title={SECRET}"]
    maps = ["-map", "0:a"] if kind in OGG else ["-map", "0:v", "-map", "1:a"]
    chapters_input = str(inputs.count("-i"))  # the chapters file comes after the generated inputs
    result = ffmpeg(*inputs, "-i", chapters, *maps, "-map_chapters", chapters_input, *tags, *extra, *codecs, path)
    assert result.returncode == 0, result.stderr.decode()
    chapters.unlink()
    cover.unlink()
    data = path.read_bytes()
    assert TITLE.encode() in data and SECRET.encode() in data  # the test's own premise
    return data


def metadata_seen_by_ffmpeg(path: Path) -> str:
    result = subprocess.run([FFMPEG, "-hide_banner", "-i", str(path), "-f", "ffmetadata", "-"],
                            capture_output=True, text=True, check=False)
    return result.stdout + result.stderr


def frames(path: Path, streams: list[str]) -> str:
    """A checksum of every decoded frame of picture and sound: what a viewer sees and hears."""
    maps = [arg for stream in streams for arg in ("-map", stream)]
    result = subprocess.run([FFMPEG, "-hide_banner", "-loglevel", "error", "-i", str(path), *maps,
                             "-f", "framemd5", "-"], capture_output=True, text=True, check=False)
    assert result.returncode == 0 and not result.stderr, result.stderr
    assert result.stdout.count("\n") > 10  # frames were decoded
    return result.stdout


def published_metadata(path: Path) -> list[str]:
    reader = {".webm": matroska_file_metadata, ".mkv": matroska_file_metadata, ".avi": avi_file_metadata}
    return reader.get(path.suffix, ogg_file_metadata)(path)


@pytest.mark.parametrize("kind", list(FORMATS))
def test_a_recording_is_published_without_its_metadata_and_plays_the_same(
        sandbox: Sandbox, capsys: pytest.CaptureFixture[str], kind: str) -> None:
    suffix, streams = FORMATS[kind][2], FORMATS[kind][3]
    source = sandbox.site / "content/en" / f"speech{suffix}"
    sandbox.write({"content/en/speech.md": PAGE.format(suffix=suffix)})
    original = make_media(source, kind)
    before = metadata_seen_by_ffmpeg(source)
    assert TITLE in before and SECRET in before
    if kind != "avi":  # AVI has no place for a place of recording
        assert PLACE in before
    if kind in ("opus", "webm", "mkv"):  # ffmpeg writes chapters in these
        assert CHAPTER in before
    assert published_metadata(source)  # the read-back sees them before cleaning
    outcome = sandbox.build(capsys)
    assert outcome.code == 0, outcome.err
    assert f"speech{suffix}" not in outcome.err, outcome.err  # no warning either
    sandbox.assert_untouched()
    published = sandbox.out / "en" / f"speech{suffix}"
    data = published.read_bytes()
    for secret in (TITLE, SECRET, PLACE, CHAPTER, "2022-02-27", "METADATA_BLOCK_PICTURE"):
        assert secret.encode() not in data and secret.encode() not in data.upper(), secret
    seen = metadata_seen_by_ffmpeg(published)
    for secret in (TITLE, SECRET, PLACE, CHAPTER, "Attachment", "Chapter #"):
        assert secret not in seen, seen
    assert frames(published, streams) == frames(source, streams)
    assert published_metadata(published) == []
    if kind not in OGG:
        assert len(data) == len(original)  # overwritten in place: every offset still points right
    assert source.read_bytes() == original  # the volunteer's own file is not changed


def test_the_cover_attached_to_a_matroska_file_goes(tmp_path: Path) -> None:
    source, cleaned = tmp_path / "march.mkv", tmp_path / "cleaned.mkv"
    make_media(source, "mkv")
    jpeg = cover_with_gps(tmp_path / "cover.jpg")
    assert jpeg in source.read_bytes()
    result = clean_matroska_file(source, cleaned)
    assert {"Attachments", "Tags", "Chapters", "Title", "DateUTC", "a track's Name"} <= set(result.voided)
    assert jpeg not in cleaned.read_bytes()


def test_the_cover_in_an_ogg_comment_goes(tmp_path: Path) -> None:
    source, cleaned = tmp_path / "speech.opus", tmp_path / "cleaned.opus"
    make_media(source, "opus")
    encoded = picture_comment(cover_with_gps(tmp_path / "cover.jpg")).encode()
    assert encoded in source.read_bytes()
    assert clean_ogg_file(source, cleaned).streams == ("Opus",)
    assert encoded not in cleaned.read_bytes()
    assert b"OpusTags" in cleaned.read_bytes()  # the comment packet is there, with no comments


def _pages_of(path: Path) -> list[bytes]:
    data = path.read_bytes()
    return [data[page.start:page.end] for page in read_pages(data)]


def test_every_page_of_a_cleaned_ogg_file_is_numbered_and_checksummed(tmp_path: Path) -> None:
    """Header pages shrink when a cover picture goes: the later pages are renumbered, with new CRCs."""
    source, cleaned = tmp_path / "speech.opus", tmp_path / "cleaned.opus"
    make_media(source, "opus")
    noise = io.BytesIO()
    Image.frombytes("RGB", (160, 160), os.urandom(160 * 160 * 3)).save(noise, "JPEG", quality=95, subsampling=0)
    assert 40_000 < len(noise.getvalue()) < 90_000  # larger than one page, smaller than an argument may be
    big = ["-metadata", f"METADATA_BLOCK_PICTURE={picture_comment(noise.getvalue())}"]
    assert ffmpeg(*SOUND, "-c:a", "libopus", *big, "-f", "ogg", source).returncode == 0
    clean_ogg_file(source, cleaned)
    before, after = list(read_pages(source.read_bytes())), list(read_pages(cleaned.read_bytes()))
    assert len(before) > len(after) >= 3
    assert [page.sequence for page in after] == list(range(len(after)))
    assert after[0].flags & FIRST_PAGE and after[-1].flags & LAST_PAGE
    assert _pages_of(source)[-1][26:] == _pages_of(cleaned)[-1][26:]  # the sound itself, byte for byte
    assert frames(cleaned, ["0:a"]) == frames(source, ["0:a"])


def test_ogg_crc_is_the_one_ogg_defines() -> None:
    """Polynomial 0x04C11DB7, not reflected, starting at zero: checked against the bit-by-bit definition."""
    def by_bits(data: bytes) -> int:
        crc = 0
        for byte in data:
            crc ^= byte << 24
            for _ in range(8):
                crc = ((crc << 1) ^ 0x04C11DB7 if crc & 0x80000000 else crc << 1) & 0xFFFFFFFF
        return crc

    for data in (b"", b"\x00", b"OggS", os.urandom(3000)):
        assert ogg_crc(data) == by_bits(data)


def test_streams_mixed_in_one_ogg_file_and_chained_files_are_all_cleaned(tmp_path: Path) -> None:
    both, chained, cleaned = tmp_path / "both.ogg", tmp_path / "chained.opus", tmp_path / "cleaned.ogg"
    result = ffmpeg(*SOUND, *SOUND, "-map", "0:a", "-map", "1:a", "-metadata", f"artist={SECRET}",
                    "-c:a:0", "libopus", "-c:a:1", "libvorbis", "-f", "ogg", both)
    assert result.returncode == 0, result.stderr.decode()
    assert clean_ogg_file(both, cleaned).streams == ("Opus", "Vorbis")
    assert SECRET.encode() not in cleaned.read_bytes() and ogg_file_metadata(cleaned) == []
    assert frames(cleaned, ["0:a:0", "0:a:1"]) == frames(both, ["0:a:0", "0:a:1"])
    first, second = tmp_path / "1.opus", tmp_path / "2.opus"
    make_media(first, "opus")
    make_media(second, "opus")
    chained.write_bytes(first.read_bytes() + second.read_bytes())
    assert len(ogg_file_metadata(chained)) == 2
    assert clean_ogg_file(chained, cleaned).streams == ("Opus", "Opus")
    assert ogg_file_metadata(cleaned) == [] and SECRET.encode() not in cleaned.read_bytes()


def _speex_file(path: Path, comment: bytes) -> bytes:
    """A Speex stream (ffmpeg cannot encode Speex): its header, its comments, one packet of sound."""
    header = b"Speex   " + b"1.2".ljust(20, b"\x00") + struct.pack("<13i", 1, 80, 8000, 0, 4, 1, -1, 160,
                                                                       0, 1, 0, 0, 0)
    sound = bytes(range(38))
    pages = [build_page(FIRST_PAGE, 0, 7, 0, bytes([len(header)]), header),
             build_page(0, 0, 7, 1, bytes([255] * (len(comment) // 255) + [len(comment) % 255]), comment),
             build_page(LAST_PAGE, 160, 7, 2, bytes([len(sound)]), sound)]
    path.write_bytes(b"".join(pages))
    return sound


def test_a_speex_stream_loses_its_comments(tmp_path: Path) -> None:
    text = f"ARTIST={SECRET}".encode()
    comment = struct.pack("<I", 6) + b"vendor" + struct.pack("<II", 2, len(text)) + text + struct.pack("<I", 5)
    comment += b"A=xyz" + b"x" * 600  # long enough to span two pages' worth of lacing
    source, cleaned = tmp_path / "speech.spx", tmp_path / "cleaned.spx"
    sound = _speex_file(source, comment)
    assert ogg_file_metadata(source) == ["2 comments in the Speex stream"]
    clean_ogg_file(source, cleaned)
    pages = list(read_pages(cleaned.read_bytes()))
    data = cleaned.read_bytes()
    assert data[pages[1].body:pages[1].end] == struct.pack("<I", 6) + b"vendor" + struct.pack("<I", 0)
    assert data[pages[2].body:pages[2].end] == sound and SECRET.encode() not in data
    assert ogg_file_metadata(cleaned) == []


def test_a_theora_video_in_ogg_is_refused(sandbox: Sandbox, capsys: pytest.CaptureFixture[str]) -> None:
    sandbox.write({"content/en/speech.md": PAGE.format(suffix=".ogv")})
    path = sandbox.site / "content/en/speech.ogv"
    result = ffmpeg(*PICTURE_AND_SOUND, "-c:v", "libtheora", "-c:a", "libvorbis", path)
    assert result.returncode == 0, result.stderr.decode()
    outcome = sandbox.build(capsys)
    assert_refused(outcome, "speech.ogv")
    assert "holds a Theora video stream, which samizdat cannot clean" in outcome.err
    assert "convert it to MP4" in outcome.err
    sandbox.assert_untouched()


def _opus_with_a_flipped_byte(data: bytes) -> bytes:
    return data[:-10] + bytes([data[-10] ^ 0xFF]) + data[-9:]


def _first_page_claims_more(data: bytes) -> bytes:
    return data[:27] + b"\xff" + data[28:]  # the first lacing value: the page runs into the next one


def _element_past_the_end(data: bytes) -> bytes:
    at = data.index(b"\x18\x53\x80\x67") + 4  # the segment's size: eight bytes, all but the marker 0x7f
    return data[:at] + b"\x01\x7f\xff\xff\xff\xff\xff\xfe" + data[at + 8:]


def _zero_size_byte(data: bytes) -> bytes:
    segment = next(e for e in children(data, Element(0, 0, 0, len(data))) if e.id == SEGMENT)
    info = next(e for e in children(data, segment) if e.id == INFO)
    at = info.start + 4  # the Info element's size: a first byte 0 is no size at all
    return data[:at] + b"\x00" + data[at + 1:]


def _avi_chunk_past_the_end(data: bytes) -> bytes:
    at = data.index(b"idx1") + 4
    return data[:at] + b"\xf0\xff\xff\xff" + data[at + 4:]


# (kind, what the damage is, the damage, what the error says)
DAMAGED = [
    ("opus", "a page that fails its CRC", _opus_with_a_flipped_byte, "fails its checksum"),
    ("opus", "a page whose size runs into the next", _first_page_claims_more, "checksum"),
    ("opus", "cut short", lambda data: data[:len(data) // 2], "runs past the end"),
    ("vorbis", "no headers after the first page", lambda data: data[:58], "ends before the headers"),
    ("webm", "an element running past the end", _element_past_the_end, "more than its container holds"),
    ("webm", "a size of zero bytes", _zero_size_byte, "damaged header"),
    ("mkv", "cut short", lambda data: data[:len(data) // 2], "cut short"),
    ("webm", "not Matroska", lambda data: data.replace(b"webm", b"wxyz", 1), "not Matroska or WebM"),
    ("avi", "a chunk larger than the file", _avi_chunk_past_the_end, "more than its container holds"),
    ("avi", "cut short", lambda data: data[:len(data) // 2], "more than its container holds"),
    ("avi", "a RIFF size of zero", lambda data: data[:4] + b"\x00\x00\x00\x00" + data[8:], "too short"),
]


@pytest.mark.parametrize(("kind", "name", "damage", "message"), DAMAGED, ids=[f"{k}: {n}" for k, n, _, _ in DAMAGED])
def test_a_damaged_recording_is_one_clear_error(sandbox: Sandbox, capsys: pytest.CaptureFixture[str], kind: str,
                                                name: str, damage, message: str) -> None:
    suffix = FORMATS[kind][2]
    sandbox.write({"content/en/speech.md": PAGE.format(suffix=suffix)})
    path = sandbox.site / "content/en" / f"speech{suffix}"
    path.write_bytes(damage(make_media(path, kind)))
    outcome = sandbox.build(capsys)
    assert_refused(outcome, f"speech{suffix}")
    assert "cannot be read as" in outcome.err and message in outcome.err, (name, outcome.err)
    assert outcome.err.count("error") == 1, outcome.err
    sandbox.assert_untouched()


def test_a_live_recording_with_no_sizes_is_cleaned(tmp_path: Path) -> None:
    """A browser's or phone's live recording writes its segment and clusters with an unknown size."""
    source, cleaned = tmp_path / "live.webm", tmp_path / "cleaned.webm"
    make_media(source, "webm")
    data = bytearray(source.read_bytes())
    segment = data.index(b"\x18\x53\x80\x67") + 4
    data[segment:segment + 8] = b"\x01\xff\xff\xff\xff\xff\xff\xff"
    clusters = 0
    at = data.find(b"\x1f\x43\xb6\x75")
    while at >= 0:
        width = 9 - data[at + 4].bit_length()
        data[at + 4:at + 4 + width] = ((1 << (8 * width - width + 1)) - 1).to_bytes(width, "big")
        clusters += 1
        at = data.find(b"\x1f\x43\xb6\x75", at + 4)
    assert clusters >= 1
    source.write_bytes(bytes(data))
    assert "Tags" in matroska_file_metadata(source)
    clean_matroska_file(source, cleaned)
    assert matroska_file_metadata(cleaned) == [] and TITLE.encode() not in cleaned.read_bytes()
    assert frames(cleaned, ["0:v:0", "0:a"]) == frames(source, ["0:v:0", "0:a"])


def test_an_avi_keeps_only_the_chunks_a_player_needs(tmp_path: Path) -> None:
    """Cameras put the moment of the recording (IDIT) and their own data (strd, XMP) beside the headers."""
    source, cleaned = tmp_path / "march.avi", tmp_path / "cleaned.avi"
    data = make_media(source, "avi")
    camera = b"IDIT" + struct.pack("<I", 26) + b"SUN FEB 27 10:00:00 2022\n\x00"
    at = data.index(b"LIST", 12)  # the hdrl list: the camera chunk goes at its end
    hdrl_size = struct.unpack_from("<I", data, at + 4)[0]
    data = (data[:at + 4] + struct.pack("<I", hdrl_size + len(camera)) + data[at + 8:at + 8 + hdrl_size]
            + camera + data[at + 8 + hdrl_size:])
    data = data[:4] + struct.pack("<I", len(data) - 8) + data[8:]
    source.write_bytes(data)
    assert any("IDIT" in found for found in avi_file_metadata(source))
    result = clean_avi_file(source, cleaned)
    assert {"IDIT", "LIST INFO", "strn"} <= set(result.blanked)
    assert b"2022" not in cleaned.read_bytes() and avi_file_metadata(cleaned) == []
    assert frames(cleaned, ["0:v:0", "0:a"]) == frames(source, ["0:v:0", "0:a"])


@pytest.mark.parametrize("kind", ["opus", "webm", "avi"])
def test_an_uncleaned_recording_never_passes_the_final_check(tmp_path: Path, kind: str) -> None:
    path = tmp_path / f"speech{FORMATS[kind][2]}"
    make_media(path, kind)
    with pytest.raises(ImageError, match="still holds metadata"):
        verify_published({f"en/{path.name}": path})


def test_a_voice_message_under_another_name_is_refused(sandbox: Sandbox, capsys: pytest.CaptureFixture[str]) -> None:
    sandbox.write({"content/en/speech.md": PAGE.format(suffix=".mp3")})
    make_media(sandbox.site / "content/en/speech.mp3", "opus")
    outcome = sandbox.build(capsys)
    assert_refused(outcome, "speech.mp3")
    assert "is an Ogg audio file, but its name ends in .mp3" in outcome.err and "rename it to speech.ogg" in outcome.err


def test_the_checksums_of_a_cleaned_matroska_file_still_hold(tmp_path: Path) -> None:
    """ffmpeg starts each top-level element of a Matroska file with a CRC-32 of the rest: those whose
    content changed are written again."""
    source, cleaned = tmp_path / "march.mkv", tmp_path / "cleaned.mkv"
    make_media(source, "mkv")
    clean_matroska_file(source, cleaned)
    data = cleaned.read_bytes()
    segment = next(e for e in children(data, Element(0, 0, 0, len(data))) if e.id == SEGMENT)
    checked = []
    for master in children(data, segment):
        first = next(children(data, master), None) if master.id != VOID else None
        if first is not None and first.id == CRC32:
            assert data[first.data:first.end] == struct.pack("<I", zlib.crc32(data[first.end:master.end]))
            checked.append(master.id)
    assert {INFO, SEEK_HEAD} <= set(checked)  # the two whose content the cleaning changed


def _ogg(*pages: tuple[int, int, bytes, bytes]) -> bytes:
    """Pages of stream 5: (flags, sequence, lacing values, body)."""
    return b"".join(build_page(flags, 0, 5, sequence, lacing, body) for flags, sequence, lacing, body in pages)


OPUS_HEAD = b"OpusHead\x01\x01\x38\x01\x80\xbb\x00\x00\x00\x00\x00"
# name → (file bytes, suffix, what the error says). Each must end in one error, never a hang or a crash.
HOSTILE = {
    "Ogg pages with no segments, forever": (
        _ogg((FIRST_PAGE, 0, b"", b"")) + b"".join(_ogg((0, n, b"", b"")) for n in range(1, 20_000)),
        ".opus", "ends before the headers"),
    "an Ogg packet that never ends": (
        _ogg((FIRST_PAGE, 0, bytes([255] * 255), b"O" * 255 * 255))
        + b"".join(_ogg((1, n, bytes([255] * 255), bytes(255 * 255))) for n in range(1, 40)),
        ".opus", "ends before the headers"),
    "an Ogg page of an unknown version": (_ogg((FIRST_PAGE, 0, bytes([19]), OPUS_HEAD))[:4] + b"\x01"
                                          + _ogg((FIRST_PAGE, 0, bytes([19]), OPUS_HEAD))[5:], ".opus",
                                          "unknown Ogg version"),
    "an Ogg page of a stream never begun": (_ogg((0, 0, bytes([19]), OPUS_HEAD)), ".opus", "no stream begun"),
    "two Ogg streams with one number": (_ogg((FIRST_PAGE, 0, bytes([19]), OPUS_HEAD))
                                        + _ogg((FIRST_PAGE, 0, bytes([19]), OPUS_HEAD)), ".opus", "two streams"),
    "an Opus comment longer than its packet": (
        _ogg((FIRST_PAGE, 0, bytes([19]), OPUS_HEAD),
             (0, 1, bytes([20]), b"OpusTags" + struct.pack("<I", 0xFFFFFFF0) + b"vendor\x00\x00")),
        ".opus", "cut short"),
    "a Matroska element with no size that may not go without": (
        EBML_WEBM + b"\x18\x53\x80\x67\x01\xff\xff\xff\xff\xff\xff\xff" + b"\x12\x54\xc3\x67\xff", ".webm",
        "has no size"),
    "an AVI list nested in itself": (
        b"RIFF" + struct.pack("<I", 4 + 12 * 40) + b"AVI "
        + b"".join(b"LIST" + struct.pack("<I", 4 + 12 * (39 - n)) + b"hdrl" for n in range(40)), ".avi",
        "nested more than"),
    "an AVI chunk of a huge size": (b"RIFF" + struct.pack("<I", 16) + b"AVI " + b"JUNK\xff\xff\xff\xff", ".avi",
                                    "more than its container holds"),
}


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_recording_is_one_error(tmp_path: Path, name: str) -> None:
    data, suffix, message = HOSTILE[name]
    source, cleaned = tmp_path / f"hostile{suffix}", tmp_path / f"cleaned{suffix}"
    source.write_bytes(data)
    clean = {".opus": clean_ogg_file, ".webm": clean_matroska_file, ".avi": clean_avi_file}[suffix]
    with pytest.raises((OggProblem, MatroskaProblem, AviProblem), match=message):
        clean(source, cleaned)
    found = published_metadata(source)
    assert len(found) == 1 and found[0].startswith("a file that cannot be read") and message in found[0]


def test_segments_nested_without_sizes_are_read_without_recursion(tmp_path: Path) -> None:
    path = tmp_path / "nested.webm"
    path.write_bytes(EBML_WEBM + b"\x18\x53\x80\x67\x01\xff\xff\xff\xff\xff\xff\xff" * 50_000)
    assert matroska_file_metadata(path) == []
    path.write_bytes(EBML_WEBM + (b"\x18\x53\x80\x67\x01\xff\xff\xff\xff\xff\xff\xff" * 50_000)
                     + b"\x12\x54\xc3\x67\x81\x00")  # Tags, empty, inside the last of them
    assert matroska_file_metadata(path) == ["Tags"]
    assert clean_matroska_file(path, tmp_path / "cleaned.webm").voided == ("Tags",)


def test_a_cleaned_recording_is_taken_from_the_build_results_the_next_time(sandbox: Sandbox) -> None:
    """A rebuild with nothing changed cleans nothing again; the cleaning engine is part of the key."""
    site = sandbox.write({})
    sources = {}
    for kind in ("opus", "webm", "avi"):
        path = site / "assets" / f"speech{FORMATS[kind][2]}"
        path.parent.mkdir(exist_ok=True)
        make_media(path, kind)
        sources[f"assets/{path.name}"] = path
    config, book = load_config(site), transient_book(site)
    first = clean_documents(config, sources, book)
    second = clean_documents(config, sources, book)
    assert (first.cleaned, first.cached, second.cleaned, second.cached) == (3, 0, 0, 3)
    assert first.copies == second.copies and all(first.copies[rel] != path for rel, path in sources.items())
    verify_published(second.copies)  # the final read-back finds nothing left in the cached copies
    keys = {DocumentCache(book).key(path, f"{cleaner_for(sniff(path).family).engine}\n{path.suffix}")
            for path in sources.values()}
    assert keys <= set(book.results)


def test_old_tags_left_in_free_space_of_a_matroska_file_go(tmp_path: Path) -> None:
    """An editor that shrinks a file's tags marks the old bytes as a Void element without erasing them."""
    source, cleaned = tmp_path / "march.webm", tmp_path / "cleaned.webm"
    data = bytearray(make_media(source, "webm"))
    segment = next(e for e in children(data, Element(0, 0, 0, len(data))) if e.id == SEGMENT)
    free = next(e for e in children(data, segment) if e.id == VOID and e.end - e.data > 40)
    data[free.data:free.data + 30] = f"ARTIST={SECRET}".encode().ljust(30, b"\x00")
    source.write_bytes(bytes(data))
    assert "old data in a Void element" in matroska_file_metadata(source)
    clean_matroska_file(source, cleaned)
    assert SECRET.encode() not in cleaned.read_bytes() and matroska_file_metadata(cleaned) == []


def test_a_hostile_chunk_name_cannot_write_to_the_terminal(sandbox: Sandbox, capsys) -> None:
    sandbox.write({"assets/march.avi": b"RIFF" + struct.pack("<I", 12) + b"AVI " + b"\x1b[2J\xff\xff\xff\xff"})
    outcome = sandbox.build(capsys)
    assert_refused(outcome, "march.avi")
    assert "the chunk \\x1b[2J at byte 12" in outcome.err and "\x1b" not in outcome.err


@pytest.mark.parametrize(("suffix", "codecs"), [(".mkv", ["-c:v", "mpeg4", "-c:a", "flac", "-c:s", "ass"]),
                                                (".webm", ["-c:v", "libvpx", "-c:a", "libopus", "-c:s", "webvtt"])])
def test_the_subtitles_of_a_matroska_file_go(tmp_path: Path, suffix: str, codecs: list[str]) -> None:
    """Subtitles can carry any text (who speaks, where): their blocks and codec data are voided, as an MP4
    file's text tracks are emptied; picture and sound stay as they were."""
    subtitles, source, cleaned = tmp_path / "s.srt", tmp_path / f"march{suffix}", tmp_path / f"cleaned{suffix}"
    subtitles.write_text(f"1\n00:00:00,000 --> 00:00:00,800\n{SECRET} speaks at {PLACE}\n")
    result = ffmpeg(*PICTURE_AND_SOUND, "-i", subtitles, "-map", "0", "-map", "1", "-map", "2", *codecs, source)
    assert result.returncode == 0, result.stderr.decode()
    assert SECRET.encode() in source.read_bytes()
    voided = clean_matroska_file(source, cleaned).voided
    assert "the data of a subtitle or data track" in voided
    assert SECRET.encode() not in cleaned.read_bytes() and matroska_file_metadata(cleaned) == []
    assert frames(cleaned, ["0:v:0", "0:a"]) == frames(source, ["0:v:0", "0:a"])


@pytest.mark.parametrize("name", ["speech.opus", "speech.mp3"])
def test_an_ogg_file_with_an_id3_tag_in_front_is_taken_for_what_it_is(
        sandbox: Sandbox, capsys: pytest.CaptureFixture[str], tmp_path_factory: pytest.TempPathFactory,
        name: str) -> None:
    """Some taggers write an ID3 tag into any sound file: in front of an Ogg one, it hides the OggS the
    file starts with. Named as an Ogg file, it is published as one, without the tag and its comments;
    named .mp3, the error says it is an Ogg file, never that it should be named .mp3."""
    from tests.test_audio_metadata import id3v2_tag

    suffix = Path(name).suffix
    sandbox.write({"content/en/speech.md": PAGE.format(suffix=suffix)})
    source = sandbox.site / "content/en" / name
    make_media(source, "opus")
    tag = id3v2_tag("tagged-by-" + SECRET)
    source.write_bytes(tag + source.read_bytes())
    assert sniff(source).name == "ID3-tagged Ogg audio file"
    outcome = sandbox.build(capsys)
    if suffix == ".mp3":
        assert_refused(outcome, name)
        assert "is an ID3-tagged Ogg audio file, but its name ends in .mp3" in outcome.err
        assert "rename it to speech.ogg" in outcome.err
        return
    assert outcome.code == 0, outcome.err
    sandbox.assert_untouched()
    published = sandbox.out / "en" / name
    data = published.read_bytes()
    assert data.startswith(b"OggS") and b"ID3" not in data[:10]
    for secret in (SECRET, TITLE, PLACE, "METADATA_BLOCK_PICTURE"):
        assert secret.encode() not in data, secret
    assert ogg_file_metadata(published) == []
    without_tag = tmp_path_factory.mktemp("compare") / "without-tag.opus"
    without_tag.write_bytes(source.read_bytes()[len(tag):])
    assert frames(published, ["0:a"]) == frames(without_tag, ["0:a"])


def test_an_ogg_file_behind_an_id3_tag_never_passes_the_final_check_uncleaned(tmp_path: Path) -> None:
    from tests.test_audio_metadata import id3v2_tag

    path = tmp_path / "speech.opus"
    make_media(path, "opus")
    path.write_bytes(id3v2_tag(SECRET) + path.read_bytes())
    with pytest.raises(ImageError, match=r"still holds metadata|cannot be read"):
        verify_published({f"en/{path.name}": path})
