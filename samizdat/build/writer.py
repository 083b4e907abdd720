"""The one writer of the output folder: only what changed is written, and never half of it.

A new folder is staged whole and renamed into place. An existing build folder is updated in two
phases: every changed file is first written beside its target under a temporary name (where a full
disk or a permission error shows up, and everything is undone), then all are renamed into place and
the files of pages that no longer exist are removed. Unchanged files are not touched, which keeps
rebuilds fast (deleting thousands of files is slow on many disks) and keeps their times for
rsync and caches. A folder that samizdat did not write is never replaced.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from samizdat.errors import OutputError, SourceLocation

WRITE_THREADS = 8  # creating files is latency-bound on many disks: 8 at once were 5× faster than one
MARKER = ".samizdat-output"  # also the manifest: what the last build wrote, with sizes, times and hashes
MANIFEST_VERSION = 1
TEMP_SUFFIX = ".samizdat-tmp"


@dataclass(frozen=True)
class WriteReport:
    written: int
    unchanged: int
    removed: int


def check_output_folder(out_dir: Path, site_root: Path) -> None:
    out, root = out_dir.resolve(), site_root.resolve()
    if out == root or root.is_relative_to(out):
        raise OutputError(f"the output folder {out_dir} would hold the site's own files",
                          hint="choose an output folder such as SITE/_site")
    for protected in ("content", "assets", "data", "templates", "strings", "static", "meetings"):
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


def write_output(out_dir: Path, pages: Mapping[str, bytes], copies: Mapping[str, Path]) -> WriteReport:
    out_dir = out_dir.resolve()
    if out_dir.is_dir() and (out_dir / MARKER).is_file():
        return _update(out_dir, pages, copies)
    return _write_new(out_dir, pages, copies)


def _write_new(out_dir: Path, pages: Mapping[str, bytes], copies: Mapping[str, Path]) -> WriteReport:
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = out_dir.with_name(f".{out_dir.name}.staging-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    try:
        with ThreadPoolExecutor(WRITE_THREADS) as pool:
            copied = pool.map(lambda item: (item[0], _copy(item[1], staging / item[0])), copies.items())
            written = pool.map(lambda item: (item[0], _write(staging / item[0], item[1])), pages.items())
            manifest = dict(copied) | dict(written)
        _save_manifest(staging, manifest)
        if out_dir.exists():  # an empty folder, or one left without its marker
            out_dir.rmdir()
        staging.rename(out_dir)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise OutputError(f"could not write the output: {exc}", hint="check free disk space and permissions") from exc
    return WriteReport(len(manifest), 0, 0)


def _update(out_dir: Path, pages: Mapping[str, bytes], copies: Mapping[str, Path]) -> WriteReport:
    old = _load_manifest(out_dir)
    new: dict[str, list[int | str]] = {}
    pending: list[tuple[str, bytes | Path, str]] = []  # (output path, bytes or source file, digest)
    for rel, data in pages.items():
        digest = hashlib.sha256(data).hexdigest()
        if _unchanged(out_dir / rel, old.get(rel), digest):
            new[rel] = old[rel]
        else:
            pending.append((rel, data, digest))
    for rel, source in copies.items():
        stat = source.stat()
        digest = f"copy:{stat.st_size}:{stat.st_mtime_ns}"  # a copy changes when its source does
        if _unchanged(out_dir / rel, old.get(rel), digest):
            new[rel] = old[rel]
        else:
            pending.append((rel, source, digest))
    with ThreadPoolExecutor(WRITE_THREADS) as pool:
        outcomes = list(pool.map(lambda item: _stage(out_dir, *item), pending))
        failures = [outcome for outcome in outcomes if isinstance(outcome, OSError)]
        if failures:  # undo phase one: the output is as it was
            list(pool.map(lambda item: _temp(out_dir / item[0]).unlink(missing_ok=True), pending))
            raise OutputError(f"could not write the output: {failures[0]}",
                              hint="check free disk space and permissions") from failures[0]
        new |= {rel: entry for (rel, _, _), entry in zip(pending, outcomes, strict=True)}  # type: ignore[misc]
        # Phase two: rename keeps the size and time the manifest recorded.
        list(pool.map(lambda item: os.replace(_temp(out_dir / item[0]), out_dir / item[0]), pending))
        removed = [rel for rel in old if rel not in new]
        list(pool.map(lambda rel: (out_dir / rel).unlink(missing_ok=True), removed))
    for rel in removed:
        _remove_empty_parents(out_dir / rel, out_dir)
    _save_manifest(out_dir, new)
    return WriteReport(len(pending), len(new) - len(pending), len(removed))


def _stage(out_dir: Path, rel: str, content: bytes | Path, digest: str) -> list[int | str] | OSError:
    """Phase one for one file: its new content beside it, under a temporary name."""
    try:
        if isinstance(content, Path):
            return _copy(content, _temp(out_dir / rel), digest)
        return _write(_temp(out_dir / rel), content, digest)
    except OSError as exc:
        return exc


def _unchanged(target: Path, entry: list[int | str] | None, digest: str) -> bool:
    """Same content as last time, and the file on disk is still the one we wrote then."""
    if entry is None or entry[2] != digest:
        return False
    try:
        stat = target.stat()
    except OSError:
        return False
    return [stat.st_size, stat.st_mtime_ns] == entry[:2]


def _write(target: Path, data: bytes, digest: str | None = None) -> list[int | str]:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    stat = target.stat()
    return [stat.st_size, stat.st_mtime_ns, digest or hashlib.sha256(data).hexdigest()]


def _copy(source: Path, target: Path, digest: str | None = None) -> list[int | str]:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    stat, source_stat = target.stat(), source.stat()
    return [stat.st_size, stat.st_mtime_ns, digest or f"copy:{source_stat.st_size}:{source_stat.st_mtime_ns}"]


def _temp(target: Path) -> Path:
    return target.with_name(f".{target.name}{TEMP_SUFFIX}")


def _remove_empty_parents(path: Path, top: Path) -> None:
    for parent in path.parents:
        if parent == top or not parent.is_relative_to(top):
            return
        try:
            parent.rmdir()
        except OSError:
            return


def _load_manifest(out_dir: Path) -> dict[str, list[int | str]]:
    try:
        data = json.loads((out_dir / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = None
    if isinstance(data, dict) and data.get("version") == MANIFEST_VERSION:
        return data["files"]
    # A marker from an older samizdat: every file it wrote is a candidate for removal.
    return {p.relative_to(out_dir).as_posix(): [-1, -1, ""] for p in out_dir.rglob("*")
            if p.is_file() and p.name != MARKER}


def _save_manifest(out_dir: Path, files: dict[str, list[int | str]]) -> None:
    text = json.dumps({"version": MANIFEST_VERSION, "about": "written by `samizdat build`; do not edit",
                       "files": files}, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    temp = out_dir / (MARKER + TEMP_SUFFIX)
    temp.write_text(text, encoding="utf-8")
    os.replace(temp, out_dir / MARKER)
