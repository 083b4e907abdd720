"""How long cleaning a recording takes, against copying it (the peer measured in the same run).

Makes a 30-minute Opus voice recording and a 2-minute 640×360 video (Matroska, MP4 and AVI with the same
frames) with the ffmpeg of imageio-ffmpeg, then times each cleaner, median of --repeat runs:

    .venv/bin/python -m bench.media_cleaning [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import imageio_ffmpeg

from samizdat.documents.avi import clean_avi_file
from samizdat.documents.isomedia import clean_iso_file
from samizdat.documents.matroska import clean_matroska_file
from samizdat.documents.ogg import clean_ogg_file

FFMPEG = imageio_ffmpeg.get_ffmpeg_exe()
VIDEO = ["-f", "lavfi", "-i", "testsrc=size=640x360:duration=120:rate=25", "-f", "lavfi", "-i", "sine=duration=120"]


def make(folder: Path) -> dict[str, Path]:
    files = {name: folder / name for name in ("voice.opus", "march.mkv", "march.mp4", "march.avi")}
    commands = [
        ["-f", "lavfi", "-i", "sine=duration=1800", "-metadata", "title=x", "-c:a", "libopus", "-b:a", "32k",
         files["voice.opus"]],
        [*VIDEO, "-metadata", "title=x", "-c:v", "mpeg4", "-q:v", "3", "-c:a", "libopus", files["march.mkv"]],
        ["-i", files["march.mkv"], "-c", "copy", files["march.mp4"]],
        ["-i", files["march.mkv"], "-c:v", "copy", "-c:a", "pcm_s16le", files["march.avi"]],
    ]
    for command in commands:
        subprocess.run([FFMPEG, "-v", "error", "-y", *map(str, command)], check=True)
    return files


def median_ms(clean: Callable[[Path, Path], object], source: Path, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        clean(source, source.with_name("cleaned-" + source.name))
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        files = make(Path(temporary))
        print(f"load average before: {os.getloadavg()[0]:.2f}")
        for name, clean in (("voice.opus", clean_ogg_file), ("march.mkv", clean_matroska_file),
                            ("march.mp4", clean_iso_file), ("march.avi", clean_avi_file)):
            source = files[name]
            copy, cleaning = median_ms(shutil.copyfile, source, args.repeat), median_ms(clean, source, args.repeat)
            size = source.stat().st_size / 1e6
            print(f"{name:11} {size:6.1f} MB  copy {copy:7.1f} ms  clean {cleaning:7.1f} ms  "
                  f"ratio {cleaning / copy:4.1f}")
        print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
