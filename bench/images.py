"""Image stage cost: a cold build (every image processed) and a one-edit build (every image from the
cache: a sentence of another page changed), per format set.

    python -m bench.images [--photos 24] [--side 2400]

Made-up photographs (noise and gradients, so encoders work as on real ones) in a throwaway site. The
one-edit builds are `samizdat build` in a new process each, as a volunteer runs it: what a build keeps
in memory between builds of one process (a loaded network, say) does not hide what each build costs.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageDraw

from bench.run import _remove, _store_files
from samizdat.build.command import build_site

CONFIG = """base_url = "https://example.org"
[languages.en]
name = "English"
title = "Bench"
[images]
formats = {formats}
"""


EDITS = 3


def make_site(root: Path, photos: int, side: int, formats: list[str]) -> None:
    (root / "assets").mkdir(parents=True)
    (root / "content/en").mkdir(parents=True)
    (root / "samizdat.toml").write_text(CONFIG.format(formats=formats).replace("'", '"'), encoding="utf-8")
    lines = []
    for n in range(photos):
        image = Image.effect_noise((side, side * 3 // 4), 40 + n).convert("RGB")
        ImageDraw.Draw(image).ellipse((side // 4, side // 8, side // 2, side // 2), fill=(200, (120 + n) % 256, 90))
        image.save(root / f"assets/p{n}.jpg", quality=90)
        lines.append(f"![photo {n}](../assets/p{n}.jpg)\n")
    (root / "content/en/index.md").write_text("\n".join(lines), encoding="utf-8")
    _edit(root, 0)


def _edit(root: Path, n: int) -> None:
    (root / "content/en/notes.md").write_text(f"---\ntitle: Notes\n---\n\nA note, edited {n} times.\n",
                                              encoding="utf-8")


def measure(photos: int, side: int, formats: list[str]) -> tuple[float, float]:
    root = Path(tempfile.mkdtemp()) / "site"
    try:
        make_site(root, photos, side, formats)
        start = time.perf_counter()
        build_site(root)
        cold = time.perf_counter() - start
        edits = []
        for n in range(1, EDITS + 1):
            _edit(root, n)
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "samizdat", "build", str(root)], check=True, capture_output=True)
            edits.append(time.perf_counter() - start)
        return cold, statistics.median(edits)
    finally:
        _remove(*_store_files(root))  # the store and the photos' files, in the user's cache folder
        shutil.rmtree(root.parent, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--photos", type=int, default=24)
    parser.add_argument("--side", type=int, default=2400)
    args = parser.parse_args()
    for formats in ([], ["webp"], ["avif", "webp"]):
        cold, edit = measure(args.photos, args.side, formats)
        label = "+".join(["jpeg", *formats])
        print(f"{label:16} {args.photos} photos {args.side}px: cold {cold:.2f} s "
              f"({cold / args.photos * 1000:.0f} ms/photo), one edit {edit:.2f} s (median of {EDITS})")


if __name__ == "__main__":
    main()
