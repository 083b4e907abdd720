"""The old site's folder, read as hostile input: every file listed once, no symbolic link followed.

A site handed over for import may come from a stranger's ZIP: a link to /etc/passwd or to the user's
home must not be read, a FIFO must not hang the import, and a huge file must not fill the memory.
Whatever is not read is still listed, so the report can say so.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from samizdat.errors import ImportSourceError, SourceLocation

MAX_FILES = 50_000  # a site with more is not a site a group hands over; stop before walking forever
MAX_TEXT_BYTES = 8 * 1024 * 1024  # a page or data file larger than this is not read as text
SKIPPED_FOLDERS = {".git", ".hg", ".svn", "node_modules", ".jekyll-cache", ".sass-cache", "vendor"}


@dataclass(frozen=True)
class SourceFile:
    rel: str  # the path inside the old site, with `/`
    path: Path

    @property
    def name(self) -> str:
        return self.rel.rsplit("/", 1)[-1]


@dataclass(frozen=True)
class Skipped:
    rel: str
    reason: str


@dataclass(frozen=True)
class SourceTree:
    root: Path
    files: tuple[SourceFile, ...]
    skipped: tuple[Skipped, ...]  # links, devices and tool folders: never read


def walk_source(root: Path) -> SourceTree:
    if root.is_symlink() or not root.is_dir():
        raise ImportSourceError("the old site is not a folder", SourceLocation(root),
                                hint="give the folder that holds _config.yml (Jekyll) or hugo.toml (Hugo)")
    files: list[SourceFile] = []
    skipped: list[Skipped] = []
    stack = [(root, "")]
    while stack:
        folder, prefix = stack.pop()
        with os.scandir(folder) as entries:
            for entry in sorted(entries, key=lambda e: e.name):
                _visit(entry, prefix + entry.name, files, skipped, stack)
        if len(files) > MAX_FILES:
            raise ImportSourceError(f"the old site has more than {MAX_FILES} files", SourceLocation(root),
                                    hint="import the folder of the site itself, not a folder above it")
    files.sort(key=lambda f: f.rel)
    skipped.sort(key=lambda s: s.rel)
    return SourceTree(root, tuple(files), tuple(skipped))


def _visit(entry: os.DirEntry[str], rel: str, files: list[SourceFile], skipped: list[Skipped],
           stack: list[tuple[Path, str]]) -> None:
    mode = entry.stat(follow_symlinks=False).st_mode
    if not entry.name.isprintable():
        skipped.append(Skipped(rel, "a name with control characters (a newline, a terminal escape): rename it"))
    elif stat.S_ISLNK(mode):
        skipped.append(Skipped(rel, "a symbolic link: not followed, nothing it points to was read"))
    elif stat.S_ISDIR(mode):
        if entry.name in SKIPPED_FOLDERS:
            skipped.append(Skipped(rel + "/", "a tool's folder (version control, caches, packages): not read"))
        else:
            stack.append((Path(entry.path), rel + "/"))
    elif stat.S_ISREG(mode):
        files.append(SourceFile(rel, Path(entry.path)))
    else:
        skipped.append(Skipped(rel, "not a regular file (a device, socket or pipe): not read"))


def read_bytes(file: SourceFile, limit: int | None = None) -> bytes:
    """The file's bytes, opened without following a link (one may have replaced it since the walk)."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(file.path, flags)
    except OSError as exc:
        raise ImportSourceError(f"cannot read the file: {exc.strerror}", SourceLocation(file.path)) from exc
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise ImportSourceError("not a regular file", SourceLocation(file.path))
        return handle.read() if limit is None else handle.read(limit + 1)


def read_text(file: SourceFile) -> str | None:
    """The file as text, or None when it is binary, not UTF-8 or too large to be a page."""
    data = read_bytes(file, MAX_TEXT_BYTES)
    if len(data) > MAX_TEXT_BYTES or b"\0" in data:
        return None
    try:
        return data.decode("utf-8-sig").replace("\r\n", "\n")
    except UnicodeDecodeError:
        return None


MAGIC = {".png": (b"\x89PNG",), ".jpg": (b"\xff\xd8",), ".jpeg": (b"\xff\xd8",), ".gif": (b"GIF8",),
         ".ico": (b"\x00\x00\x01\x00",), ".webp": (b"RIFF",)}


def image_matches(file: SourceFile, report: Any) -> bool:
    """samizdat refuses an image whose name lies about its kind (a PNG named .ico); such a file is
    listed instead of stopping the first build."""
    suffix = "." + file.name.rsplit(".", 1)[-1].lower() if "." in file.name else ""
    if suffix not in MAGIC or read_bytes(file, 16).startswith(MAGIC[suffix]):
        return True
    report.leave_out(file.rel, f"its content is not what {suffix} says: rename it to its real kind and copy it "
                               "to static/")
    return False
