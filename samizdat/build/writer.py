"""The one writer of the output folder: stage everything, then swap it in whole.

A failed build never leaves a half-written site, and a folder that samizdat did not write is never
replaced (someone's documents are not a build folder).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from pathlib import Path

from samizdat.errors import OutputError, SourceLocation

MARKER = ".samizdat-output"
MARKER_TEXT = "This folder is written by `samizdat build` and replaced whole on every build.\n"


def check_output_folder(out_dir: Path, site_root: Path) -> None:
    out, root = out_dir.resolve(), site_root.resolve()
    if out == root or root.is_relative_to(out):
        raise OutputError(f"the output folder {out_dir} would hold the site's own files",
                          hint="choose an output folder such as SITE/_site")
    for protected in ("content", "assets", "data", "templates", "strings", "static"):
        if out.is_relative_to(root / protected):
            raise OutputError(f"the output folder {out_dir} is inside the site's {protected}/ folder",
                              hint="choose an output folder such as SITE/_site")
    if out.exists() and not out.is_dir():
        raise OutputError(f"the output path {out_dir} is a file", SourceLocation(out_dir),
                          hint="choose a folder name")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise OutputError(
            f"{out_dir} already holds files that samizdat did not write; refusing to replace them",
            SourceLocation(out_dir),
            hint="choose an empty or new output folder, or move those files away",
        )


def write_output(out_dir: Path, pages: Mapping[str, bytes], copies: Mapping[str, Path]) -> None:
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = out_dir.with_name(f".{out_dir.name}.staging-{os.getpid()}")
    retired = out_dir.with_name(f".{out_dir.name}.old-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    try:
        for rel, source in copies.items():
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
        for rel, data in pages.items():
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        (staging / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise OutputError(f"could not write the output: {exc}", hint="check free disk space and permissions") from exc
    if out_dir.exists():
        out_dir.rename(retired)
    staging.rename(out_dir)
    shutil.rmtree(retired, ignore_errors=True)
