"""Every file the editor reads or writes in the site folder, by a path proven to stay inside it.

A path from a request (`content/en/about.md`) passes the build's own rules (content/urls.py: confine,
no `..`, no hidden names, no drive letters, NFC), must start in a folder the editor may change, and
may not pass through a symbolic link: a link placed in the site could otherwise lead a write to any
file the editor's user may change. Writes go to a temporary file beside the target, then are renamed.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from samizdat.content.urls import UnsafePath, confine
from samizdat.errors import SamizdatError, SourceLocation
from samizdat.site_files import replace_file

WRITABLE = ("content", "meetings", "assets", "data")  # the folders a volunteer's work goes to


class OutsideSite(SamizdatError):
    """A path from a request that would leave the site folder or reach a file the editor must not touch."""


def site_path(site_root: Path, rel: str, folders: tuple[str, ...] = WRITABLE) -> Path:
    try:
        clean = confine(rel)
    except UnsafePath as exc:
        raise OutsideSite(f"refused path {rel!r}: {exc.problem}", hint="pick a page from the editor's list") from None
    if clean.split("/", 1)[0] not in folders or "/" not in clean:
        raise OutsideSite(f"refused path {rel!r}: the editor only changes files in {', '.join(folders)}",
                          hint="pick a page from the editor's list")
    root = site_root.resolve()
    path = root / clean
    walked = root
    for part in clean.split("/"):
        walked = walked / part
        if walked.is_symlink():
            raise OutsideSite(f"refused path {rel!r}: {walked.relative_to(root)} is a symbolic link",
                              SourceLocation(walked), hint="replace the link with the file itself")
    return path


def read_text(path: Path) -> str:
    return path.read_bytes().decode("utf-8") if path.is_file() else ""


def fingerprint(path: Path) -> str:
    """What a form remembers of the file it was opened on: a save on a changed file is a conflict."""
    data = path.read_bytes() if path.is_file() else b""
    return hashlib.sha256(data).hexdigest()[:16]


def write_file(site_root: Path, rel: str, data: bytes) -> Path:
    path = site_path(site_root, rel)
    path.parent.mkdir(parents=True, exist_ok=True)
    site_path(site_root, rel)  # again: the folders just made must not have been links
    replace_file(path, data)
    return path


def rel_of(site_root: Path, path: Path) -> str:
    return path.resolve().relative_to(site_root.resolve()).as_posix()
