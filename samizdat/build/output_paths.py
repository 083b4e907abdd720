"""Which names the writer accepts for files inside the output folder: plain relative paths, nothing else.

The pipeline makes every output path from a site's files, and a site is hostile input. Whatever slips
past the stages before, the writer refuses a path that could leave the output folder, mean something
else on another system, or clash with its own bookkeeping, before it writes anything.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from samizdat.errors import OutputError
from samizdat.site_files import MAX_NAME_BYTES

MARKER = ".samizdat-output"  # the manifest: what the last build wrote, with sizes, times and content hashes
TEMP_SUFFIX = ".samizdat-tmp"  # the writer's own temporary names
SPARE_TREE = "_site"  # inside the holder beside the output: the tree the next build is made in
_DRIVE = re.compile(r"^[A-Za-z]:")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_PART = r"[A-Za-z0-9_~@+=,%-][A-Za-z0-9._~@+=,%-]{0,254}"  # ASCII, not starting with a dot, ≤ 255 bytes
_PLAIN = re.compile(rf"{_PART}(?:/{_PART})*")  # the common case, answered by one match
_HINT = "an output path comes from a site file's name or its front matter; rename it to plain letters"


def spare_holder(out: Path) -> Path:
    """The folder beside an output (resolved) that holds its spare tree: `.OUT.spare`."""
    return out.parent / f".{out.name}.spare"


def path_problem(rel: object) -> str | None:
    """Why `rel` is not a plain relative path strictly inside the output folder, or None."""
    if isinstance(rel, str) and _PLAIN.fullmatch(rel) and not rel.endswith(TEMP_SUFFIX):
        return None
    if not isinstance(rel, str) or not rel:
        return "it is empty"
    if _CONTROL.search(rel):
        return "it holds a control character (a NUL, a newline or a tab)"
    if "\\" in rel or _DRIVE.match(rel):
        return "it holds a backslash or a drive letter"
    if rel.startswith("/"):
        return "it is an absolute path"
    parts = rel.split("/")
    if any(part in ("", ".", "..") for part in parts):
        return "it has an empty, '.' or '..' part"
    if any(len(part.encode("utf-8", "surrogatepass")) > MAX_NAME_BYTES for part in parts):
        return f"a part of it is longer than {MAX_NAME_BYTES} bytes"
    if rel == MARKER or parts[-1].endswith(TEMP_SUFFIX):
        return "the writer keeps that name for itself"
    return None


def is_plain(rel: object) -> bool:
    return path_problem(rel) is None


def check_output_paths(paths: Iterable[str]) -> set[str]:
    """Every path plain, and none where another needs a folder (`a` and `a/b.html`); the folders they need
    (parent_folders), which the writer makes."""
    files = set(paths)
    if not all(map(is_plain, files)):  # the first refused path in name order is named, always the same one
        rel, problem = next((rel, problem) for rel in sorted(files) if (problem := path_problem(rel)))
        raise OutputError(f"refusing to write the output path {rel!r}: {problem}", hint=_HINT)
    folders = parent_folders(files)
    clashes = sorted(files & folders)
    if clashes:
        raise OutputError(f"the output path {clashes[0]!r} would be both a file and a folder",
                          hint="two pages or files want the same name; rename one of them")
    return folders


def parent_folders(paths: Iterable[str]) -> set[str]:
    """Every folder the paths need, '' (the output folder itself) excluded. A folder's own parents are in
    the set once it is: files of one folder (most of a site) add one name each, not every prefix again."""
    folders: set[str] = set()
    for rel in paths:
        cut = rel.rfind("/")
        while cut > 0 and (folder := rel[:cut]) not in folders:
            folders.add(folder)
            cut = rel.rfind("/", 0, cut)
    return folders
