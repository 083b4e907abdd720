"""Videos from phones carry where and when they were shot: MP4, MOV, M4A and 3GP files are published
with every metadata box overwritten, recording times zeroed and data tracks (GPS, subtitles) emptied, and
still play. Made with a real ffmpeg (the imageio-ffmpeg wheel ships one) and read back with it."""

from __future__ import annotations

import struct
import subprocess
from pathlib import Path

import imageio_ffmpeg
import pytest

from samizdat.documents.isomedia import SampleSizes, _merged, _samples_per_chunk, iso_file_metadata
from samizdat.errors import ImageError
from samizdat.images.verify import verify_published
from tests.hostile import Sandbox, assert_refused

FFMPEG = imageio_ffmpeg.get_ffmpeg_exe()
PLACE = "+37.5704+126.9831/"  # Bosingak
SECRET = "protest-route-9c1e"
PAGE = "---\ntitle: Video\n---\n[the march](march{suffix})\n"


def ffmpeg(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([FFMPEG, "-hide_banner", "-loglevel", "error", "-y", *map(str, args)],
                          capture_output=True, text=True, check=False)


def make_video(path: Path, container: str = "mp4", subtitles: bool = False) -> bytes:
    """One second of picture and sound with a place, a title, a recording time and, if asked, a subtitle
    track that names the route."""
    inputs: list[str | Path] = ["-f", "lavfi", "-i", "testsrc=size=64x48:rate=5", "-f", "lavfi", "-i",
                                "sine=frequency=440"]
    maps = ["-map", "0:v", "-map", "1:a"]
    if subtitles:
        srt = path.with_suffix(".srt")
        srt.write_text(f"1\n00:00:00,000 --> 00:00:01,000\n{SECRET}\n", encoding="utf-8")
        inputs += ["-i", srt]
        maps += ["-map", "2:s", "-c:s", "mov_text"]
    result = ffmpeg(*inputs, *maps, "-t", "1", "-metadata", f"location={PLACE}", "-metadata", f"title={SECRET}",
                    "-metadata", "creation_time=2022-02-27T10:00:00Z", "-c:v", "mpeg4", "-c:a", "aac",
                    "-f", container, path)
    assert result.returncode == 0, result.stderr
    data = path.read_bytes()
    seen = metadata_seen_by_ffmpeg(path)  # the test's own premise: ffmpeg reads the place back
    assert "location=+37.5704+126.9831" in seen and SECRET in seen and SECRET.encode() in data, seen
    return data


def metadata_seen_by_ffmpeg(path: Path) -> str:
    result = subprocess.run([FFMPEG, "-hide_banner", "-i", str(path), "-f", "ffmetadata", "-"],
                            capture_output=True, text=True, check=False)
    return result.stdout


def plays(path: Path) -> bool:
    """Every frame and sample decodes."""
    result = ffmpeg("-xerror", "-i", path, "-f", "null", "-")
    return result.returncode == 0 and not result.stderr.strip()


@pytest.mark.parametrize(("container", "suffix", "subtitles"), [
    ("mp4", ".mp4", False),
    ("mov", ".mov", True),
    ("mp4", ".m4v", True),
])
def test_a_video_is_published_without_place_time_or_data_tracks(
        sandbox: Sandbox, capsys: pytest.CaptureFixture[str], container: str, suffix: str, subtitles: bool) -> None:
    source = sandbox.site / "content/en" / f"march{suffix}"
    sandbox.write({"content/en/video.md": PAGE.format(suffix=suffix)})
    original = make_video(source, container, subtitles)
    outcome = sandbox.build(capsys)
    assert outcome.code == 0, outcome.err
    sandbox.assert_untouched()
    published = sandbox.out / "en" / f"march{suffix}"
    data = published.read_bytes()
    assert len(data) == len(original)  # overwritten in place: every offset still right
    assert PLACE.encode() not in data and SECRET.encode() not in data
    seen = metadata_seen_by_ffmpeg(published)
    assert "location" not in seen and "title" not in seen and "creation_time" not in seen, seen
    assert "37.57" not in seen and "2022" not in seen and SECRET not in seen, seen
    assert plays(published)
    assert iso_file_metadata(published) == []
    assert source.read_bytes() == original  # the volunteer's own file is not changed


def test_the_second_build_takes_the_cleaned_video_from_the_cache(sandbox: Sandbox,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    sandbox.write({"content/en/video.md": PAGE.format(suffix=".mp4")})
    make_video(sandbox.site / "content/en/march.mp4")
    assert sandbox.build(capsys).code == 0
    (sandbox.site / "content/en/video.md").write_text(PAGE.format(suffix=".mp4") + "More.\n", encoding="utf-8")
    assert sandbox.build(capsys).code == 0
    assert "location" not in metadata_seen_by_ffmpeg(sandbox.out / "en/march.mp4")


def test_an_uncleaned_video_never_passes_the_final_check(tmp_path: Path) -> None:
    """Defence in depth: whatever put it there (a planted cache entry, a bug), a video that still holds
    its place stops the build."""
    path = tmp_path / "march.mp4"
    make_video(path)
    assert iso_file_metadata(path)
    with pytest.raises(ImageError, match="still holds metadata"):
        verify_published({"en/march.mp4": path})


@pytest.mark.parametrize(("name", "cut"), [
    ("a video cut off inside its index", lambda data: data[: data.index(b"moov") + 200]),
    ("a box that claims more than the file holds",
     lambda data: data[: data.index(b"moov") - 4] + b"\x7f\xff\xff\xff" + data[data.index(b"moov"):]),
    ("boxes nested five thousand deep (past Python's stack)",
     lambda data: data + b"".join(struct.pack(">I4s", 8 * (5000 - level), b"moov") for level in range(5000))),
])
def test_a_damaged_video_is_one_clear_error(sandbox: Sandbox, capsys: pytest.CaptureFixture[str], name: str,
                                            cut) -> None:
    sandbox.write({"content/en/video.md": PAGE.format(suffix=".mp4")})
    path = sandbox.site / "content/en/march.mp4"
    path.write_bytes(cut(make_video(path)))
    outcome = sandbox.build(capsys)
    assert_refused(outcome, "march.mp4")
    assert "cannot be read as a video" in outcome.err
    sandbox.assert_untouched()


def test_a_video_under_another_name_is_refused(sandbox: Sandbox, capsys: pytest.CaptureFixture[str]) -> None:
    sandbox.write({"content/en/video.md": PAGE.format(suffix=".txt")})
    make_video(sandbox.site / "content/en/march.txt")
    outcome = sandbox.build(capsys)
    assert_refused(outcome, "march.txt")
    assert "rename it to march.mp4" in outcome.err


def test_hostile_sample_tables_cost_time_in_proportion_to_their_bytes() -> None:
    """A run claiming four billion samples a chunk, or a size table claiming four billion samples, is
    counted by arithmetic and slices, never sample by sample."""
    assert _samples_per_chunk([(1, 2), (3, 2**32 - 1)], 4) == [2, 2, 2**32 - 1, 2**32 - 1]
    assert SampleSizes(7, 2**32 - 1).total(10, 2**32 - 1) == 7 * (2**32 - 11)
    assert SampleSizes(0, 3, (5, 6, 7)).total(1, 2**32 - 1) == 13


def iso_box(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I4s", 8 + len(body), kind) + body


def overlapping_chunks_mp4(chunks: int = 600_000, payload: int = 4 << 20, sample_size: int = 1024) -> bytes:
    """A data track of `chunks` chunks that all point at the same `payload` bytes of `mdat` (1 KB samples,
    enough of them a chunk to cover it): 6.4 MB, most of it the offset table."""
    def moov(offset: int) -> bytes:
        per_chunk = payload // sample_size
        stbl = iso_box(b"stbl", iso_box(b"stsc", struct.pack(">IIIII", 0, 1, 1, per_chunk, 1))
                       + iso_box(b"stsz", struct.pack(">III", 0, sample_size, chunks * per_chunk))
                       + iso_box(b"stco", struct.pack(">II", 0, chunks) + struct.pack(">I", offset) * chunks))
        hdlr = iso_box(b"hdlr", bytes(8) + b"meta" + bytes(13))
        return iso_box(b"moov", iso_box(b"trak", iso_box(b"mdia", hdlr + iso_box(b"minf", stbl))))

    ftyp = iso_box(b"ftyp", b"mp42" + bytes(4) + b"mp42isom")
    payload_at = len(ftyp + moov(0)) + 8  # the body of mdat, after the index
    return ftyp + moov(payload_at) + iso_box(b"mdat", b"\x5a" * payload)


def test_chunks_that_overlap_are_zeroed_once(sandbox: Sandbox) -> None:
    """600,000 chunks over the same 4 MB were zeroed one after the other: 2.4 TB of writing for a 6.4 MB
    file. Overlapping spans are merged, so the file is cleaned at once and byte for byte."""
    sandbox.write({"content/en/video.md": PAGE.format(suffix=".mp4")})
    original = overlapping_chunks_mp4()
    (sandbox.site / "content/en/march.mp4").write_bytes(original)
    outcome = sandbox.build_in_a_process()
    assert outcome.code == 0, outcome.err
    published = (sandbox.out / "en/march.mp4").read_bytes()
    payload_at = original.index(b"\x5a" * 64)
    assert published == original[:payload_at] + bytes(len(original) - payload_at)
    sandbox.assert_untouched()


def test_sample_spans_are_merged_in_file_order() -> None:
    assert _merged([(50, 60), (0, 10), (5, 20), (20, 30), (52, 55), (0, 0)]) == [(0, 30), (50, 60)]
    assert _merged([(7, 9)] * 1000) == [(7, 9)]
    assert _merged([]) == []
