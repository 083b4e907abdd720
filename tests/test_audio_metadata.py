"""Sound files carry who recorded them, when, and a cover picture that may be a phone photo with its GPS:
MP3, AAC, FLAC and WAV files are published with every tag cut out, and play exactly as before. Made with a
real ffmpeg (the imageio-ffmpeg wheel ships one) and read back with it."""

from __future__ import annotations

import io
import struct
import subprocess
from pathlib import Path

import imageio_ffmpeg
import pytest
from PIL import Image

from samizdat.documents.audio import audio_file_metadata, clean_audio_file
from samizdat.documents.sniff import AUDIO, OTHER, sniff_head
from samizdat.errors import ImageError
from samizdat.images.verify import verify_published
from tests.hostile import Sandbox, assert_refused

FFMPEG = imageio_ffmpeg.get_ffmpeg_exe()
SECRET = "speaker-name-4e2b"
PLACE = "37.5704 126.9831"  # Bosingak
PAGE = "---\ntitle: Speech\n---\n[the speech](speech{suffix})\n"
# (ffmpeg's codec and format, suffix): every kind of sound file that is cleaned.
FORMATS = {
    "mp3": (["-c:a", "libmp3lame", "-id3v2_version", "3", "-write_id3v1", "1", "-f", "mp3"], ".mp3"),
    "flac": (["-c:a", "flac", "-f", "flac"], ".flac"),
    "wav": (["-c:a", "pcm_s16le", "-write_bext", "1", "-f", "wav"], ".wav"),
    "aac": (["-c:a", "aac", "-f", "adts"], ".aac"),
}


def ffmpeg(*args: str | Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([FFMPEG, "-hide_banner", "-loglevel", "error", "-y", *map(str, args)],
                          capture_output=True, check=False)


def cover_with_gps(path: Path) -> bytes:
    """A JPEG cover whose EXIF holds a GPS position, as a phone photo would."""
    image = Image.new("RGB", (32, 32), (200, 40, 40))
    exif = Image.Exif()
    exif.get_ifd(0x8825).update({1: "N", 2: (37.0, 34.0, 13.0), 3: "E", 4: (126.0, 58.0, 59.0)})
    exif[0x010F] = SECRET  # the camera's maker field, carrying the secret
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif.tobytes())
    path.write_bytes(buffer.getvalue())
    return buffer.getvalue()


def make_sound(path: Path, kind: str) -> bytes:
    """One second of a tone with the speaker's name, a place and a date; MP3 and FLAC get the cover too."""
    codec, _ = FORMATS[kind]
    inputs: list[str | Path] = ["-f", "lavfi", "-i", "sine=frequency=440:duration=1"]
    maps = ["-map", "0:a"]
    if kind in ("mp3", "flac"):
        cover = path.with_name("cover.jpg")
        cover_with_gps(cover)
        inputs += ["-i", cover]
        maps += ["-map", "1:v", "-c:v", "copy", "-disposition:v", "attached_pic"]
    tags = ["-metadata", f"artist={SECRET}", "-metadata", f"comment=recorded at {PLACE}",
            "-metadata", "date=2022-02-27"]
    if kind == "wav":
        tags += ["-metadata", f"originator={SECRET}"]
    result = ffmpeg(*inputs, *maps, *tags, *codec, path)
    assert result.returncode == 0, result.stderr.decode()
    if kind == "aac":  # ADTS has no tags of its own: taggers put ID3 in front and APE at the end
        path.write_bytes(id3v2_tag(SECRET) + path.read_bytes() + ape_tag(PLACE))
    path.with_name("cover.jpg").unlink(missing_ok=True)
    data = path.read_bytes()
    assert SECRET.encode() in data  # the test's own premise: the file carries the secret
    return data


def id3v2_tag(text: str) -> bytes:
    frame_body = b"\x03" + text.encode()
    frame = b"TPE1" + struct.pack(">I", len(frame_body)) + b"\x00\x00" + frame_body
    size = len(frame)
    syncsafe = bytes([(size >> 21) & 0x7F, (size >> 14) & 0x7F, (size >> 7) & 0x7F, size & 0x7F])
    return b"ID3\x04\x00\x00" + syncsafe + frame


def ape_tag(text: str) -> bytes:
    item = struct.pack("<II", len(text), 0) + b"Comment\x00" + text.encode()
    footer = b"APETAGEX" + struct.pack("<IIII", 2000, len(item) + 32, 1, 0) + b"\x00" * 8
    return item + footer


def decoded(path: Path) -> bytes:
    """The sound itself, as 16-bit samples: what a listener hears."""
    result = subprocess.run([FFMPEG, "-hide_banner", "-loglevel", "error", "-i", str(path), "-map", "0:a",
                             "-f", "s16le", "-"], capture_output=True, check=False)
    assert result.returncode == 0, result.stderr.decode()
    return result.stdout


def metadata_seen_by_ffmpeg(path: Path) -> str:
    result = subprocess.run([FFMPEG, "-hide_banner", "-i", str(path), "-f", "ffmetadata", "-"],
                            capture_output=True, text=True, check=False)
    return result.stdout + result.stderr


@pytest.mark.parametrize("kind", sorted(FORMATS))
def test_a_sound_file_is_published_without_its_tags_and_sounds_the_same(
        sandbox: Sandbox, capsys: pytest.CaptureFixture[str], kind: str) -> None:
    suffix = FORMATS[kind][1]
    source = sandbox.site / "content/en" / f"speech{suffix}"
    sandbox.write({"content/en/speech.md": PAGE.format(suffix=suffix)})
    original = make_sound(source, kind)
    assert audio_file_metadata(source)  # the read-back sees the tags before cleaning
    outcome = sandbox.build(capsys)
    assert outcome.code == 0, outcome.err
    sandbox.assert_untouched()
    published = sandbox.out / "en" / f"speech{suffix}"
    data = published.read_bytes()
    assert SECRET.encode() not in data and PLACE.encode() not in data and b"2022-02-27" not in data
    assert b"\xff\xd8\xff" not in data[:4096] or kind == "aac"  # no cover picture left (JPEG start)
    seen = metadata_seen_by_ffmpeg(published)
    assert SECRET not in seen and PLACE not in seen and "attached pic" not in seen, seen
    assert decoded(published) == decoded(source)
    assert audio_file_metadata(published) == []
    assert source.read_bytes() == original  # the volunteer's own file is not changed


def test_every_tag_at_either_end_of_an_mp3_is_cut(tmp_path: Path) -> None:
    """Two ID3v2 tags in front, and at the end an appended ID3v2, a Lyrics3 tag, APEv2 and ID3v1, as
    years of different taggers leave them."""
    plain = tmp_path / "plain.mp3"
    ffmpeg("-f", "lavfi", "-i", "sine=duration=1", "-c:a", "libmp3lame", "-map_metadata", "-1",
           "-write_xing", "0", "-id3v2_version", "0", "-f", "mp3", plain)
    sound = plain.read_bytes()
    assert sound[:1] == b"\xff"
    appended = id3v2_tag(SECRET)
    appended = appended[:5] + b"\x10" + appended[6:] + b"3DI" + appended[3:5] + b"\x10" + appended[6:10]
    lyrics = b"LYRICSBEGIN" + SECRET.encode()
    lyrics += f"{len(lyrics):06d}".encode() + b"LYRICS200"
    id3v1 = (b"TAG" + SECRET.encode()).ljust(128, b"\x00")
    tagged = tmp_path / "tagged.mp3"
    tagged.write_bytes(id3v2_tag("a") + id3v2_tag(PLACE) + sound + appended + lyrics + ape_tag(PLACE) + id3v1)
    assert set(audio_file_metadata(tagged)) == {"ID3v2", "ID3v1", "APEv2", "Lyrics3"}
    cleaned = tmp_path / "cleaned.mp3"
    result = clean_audio_file(tagged, cleaned)
    assert cleaned.read_bytes() == sound
    assert sorted(result.removed) == ["APEv2", "ID3v1", "ID3v2", "ID3v2", "ID3v2", "Lyrics3"]


def test_an_uncleaned_sound_file_never_passes_the_final_check(tmp_path: Path) -> None:
    path = tmp_path / "speech.flac"
    make_sound(path, "flac")
    assert {"VORBIS_COMMENT", "PICTURE"} <= set(audio_file_metadata(path))
    with pytest.raises(ImageError, match="still holds metadata"):
        verify_published({"en/speech.flac": path})


@pytest.mark.parametrize(("kind", "name", "damage"), [
    ("mp3", "an ID3 tag longer than the file", lambda data: data[:6] + b"\x7f\x7f\x7f\x7f" + data[10:]),
    ("mp3", "an APE tag whose size is zero (a loop that would never end)",
     lambda data: data + b"APETAGEX" + struct.pack("<IIII", 2000, 0, 0, 0) + b"\x00" * 8),
    ("flac", "a metadata block longer than the file",
     lambda data: data[:5] + b"\xff\xff\xff" + data[8:]),
    ("wav", "a chunk longer than the file",
     lambda data: data[:data.index(b"data") + 4] + b"\xff\xff\xff\x7f" + data[data.index(b"data") + 8:]),
    ("mp3", "tags with no sound after them", lambda data: id3v2_tag(SECRET) + b"just text, no frames"),
])
def test_a_damaged_sound_file_is_one_clear_error(sandbox: Sandbox, capsys: pytest.CaptureFixture[str], kind: str,
                                                 name: str, damage) -> None:
    suffix = FORMATS[kind][1]
    sandbox.write({"content/en/speech.md": PAGE.format(suffix=suffix)})
    path = sandbox.site / "content/en" / f"speech{suffix}"
    path.write_bytes(damage(make_sound(path, kind)))
    outcome = sandbox.build(capsys)
    assert_refused(outcome, f"speech{suffix}")
    assert "cannot be read as the sound file" in outcome.err, name
    sandbox.assert_untouched()


def test_a_sound_file_under_another_name_is_refused(sandbox: Sandbox, capsys: pytest.CaptureFixture[str]) -> None:
    sandbox.write({"content/en/speech.md": PAGE.format(suffix=".txt")})
    make_sound(sandbox.site / "content/en/speech.txt", "flac")
    outcome = sandbox.build(capsys)
    assert_refused(outcome, "speech.txt")
    assert "rename it to speech.flac" in outcome.err


def test_text_that_starts_like_a_frame_is_not_taken_for_sound() -> None:
    """A UTF-16 text file's byte-order mark (FF FE) has the bits of an MPEG Layer I frame header."""
    utf16 = "hello, a text saved by Notepad".encode("utf-16")
    assert utf16[:2] == b"\xff\xfe"
    assert sniff_head(utf16).family == OTHER
    assert sniff_head(b"\xff\xfb\x90\x64" + b"\x00" * 400).family == AUDIO  # MPEG-1 Layer III, 128 kbit/s
