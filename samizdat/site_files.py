"""Reading the site folder without leaving it: every file the build reads is a regular file below the site.

Symbolic links are refused, all of them, even those that stay inside the site. A site arrives from
strangers (a ZIP, a pull request), and a link that stays inside can still reach .git/ (remote addresses,
tokens) or the build's cache, which the walks below skip by name; following links would also mean
guarding against loops. Volunteers copy a file instead. FIFOs, sockets and devices are refused too:
reading one waits forever or never ends.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Mapping
from pathlib import Path

from samizdat.errors import ContentError, SourceLocation, shown

# Every folder of a site the build reads from (samizdat.toml is checked where it is read).
SITE_FOLDERS = ("content", "assets", "static", "data", "meetings", "strings", "templates")
MAX_NAME_BYTES = 255  # the longest file name ext4, APFS, NTFS and most others accept


def site_files(folder: Path, skip: Callable[[str], bool] = lambda name: False) -> list[Path]:
    """Every regular file below `folder`, sorted; names for which `skip` is true are not entered.
    A symbolic link or a special file anywhere on the way is an error naming it."""
    return sorted(Path(name) for name in site_file_names(folder, skip))


def site_file_names(folder: Path, skip: Callable[[str], bool] = lambda name: False,
                    listed: Mapping[str, list[os.DirEntry[str]]] | None = None) -> list[str]:
    """`site_files` as path strings, in the order the folders are read (or listed): for a caller that keeps
    what it made of each path (content/sources.py: `discover`), to which a `Path` per file is most of the walk.
    listed: each folder's entries by its path, as a walk of the site read them moments ago (the build's
    check for changes, build/cache/record.py); they stand in for reading the folders again."""
    if not os.path.lexists(folder):
        return []
    root = folder.parent  # the site: every folder walked here is one of its SITE_FOLDERS
    check_plain(folder, root, directory=True)
    top = os.fspath(folder)
    if listed is not None:
        found = _walk(top, skip, listed.get, None)
        if found is not None:
            return found
    walked = _walk(top, skip, _read_folder, root)
    assert walked is not None  # given the site, the walk refuses what it cannot take rather than give up
    return walked


def _read_folder(path: str) -> list[os.DirEntry[str]]:
    with os.scandir(path) as entries:
        return list(entries)


def _walk(top: str, skip: Callable[[str], bool], entries_of: Callable[[str], list[os.DirEntry[str]] | None],
          root: Path | None) -> list[str] | None:
    """The files below top, folder by folder as `entries_of` gives them. root: the site, where anything but a
    file or a folder is refused as the walk meets it (a walk of the folders themselves). None: a walk of
    the folders as a walk of the site listed them, given up (None) at a folder that walk did not enter (it
    skips some by name) or at anything but a file or a folder, which the walk of the folders then refuses
    in the order the system gives."""
    found: list[str] = []
    pending = [top]  # a stack, not recursion: a ZIP may nest folders thousands deep
    while pending:
        entries = entries_of(pending.pop())
        if entries is None:
            return None
        for entry in entries:
            if skip(entry.name):
                continue
            if entry.is_dir(follow_symlinks=False):
                pending.append(entry.path)
            elif entry.is_file(follow_symlinks=False):
                found.append(entry.path)
            elif root is None:
                return None
            else:
                check_plain(Path(entry.path), root)  # raises: a link or a special file
    return found


def check_plain(path: Path, root: Path, directory: bool = False) -> None:
    """`path` is a real file (or folder), not a link to somewhere else nor a device or pipe."""
    info = path.lstat()
    if stat.S_ISLNK(info.st_mode):
        raise ContentError(
            f"{path.name} is a symbolic link (to {os.readlink(path)!r}){_leaves(path, root)}",
            SourceLocation(path),
            hint="replace the link with a copy of the file: samizdat reads only real files inside the site "
            "folder, so that a site from someone else cannot publish files from your computer",
        )
    if not (stat.S_ISDIR(info.st_mode) if directory else stat.S_ISREG(info.st_mode)):
        kind = "folder" if directory else "regular file"
        raise ContentError(f"{path.name} is not a {kind}", SourceLocation(path),
                           hint="remove it: the build reads only ordinary files and folders")


def _leaves(link: Path, root: Path) -> str:
    """Say so when a link leads outside the site, the usual trick of a hostile site."""
    try:
        target = link.resolve()
    except (OSError, RuntimeError):  # a loop of links
        return ", which leads round in a loop"
    return "" if target.is_relative_to(root.resolve()) else ", which leads outside the site folder"


def check_site_folders(root: Path, folders: tuple[str, ...] = SITE_FOLDERS) -> None:
    """Walk every folder the build reads before any of it is read, so a link is refused before use."""
    for name in folders:
        site_files(root / name)


def site_file(root: Path, rel: str) -> Path:
    """A file a template names by its site path ("/assets/x.jpg"), proven to be a real file in the site."""
    parts = [part for part in rel.replace("\\", "/").split("/") if part not in ("", ".")]
    path = root.joinpath(*parts)
    if ".." in parts or any(part.startswith(".") for part in parts) or not parts:
        raise ContentError(f"{rel!r} is not a file of the site", SourceLocation(path),
                           hint="name a file below the site folder, e.g. /assets/photo.jpg")
    if any(len(part.encode("utf-8", "surrogatepass")) > MAX_NAME_BYTES for part in parts):
        # No file can have such a name, and asking the system about it is an error of its own, not "no file".
        raise ContentError(f"{shown(rel)} is not a file of the site: a name in it is longer than "
                           f"{MAX_NAME_BYTES} bytes",
                           SourceLocation(root), hint="name a file below the site folder, e.g. /assets/photo.jpg")
    for step in range(1, len(parts) + 1):
        if os.path.lexists(root.joinpath(*parts[:step])):
            check_plain(root.joinpath(*parts[:step]), root, directory=step < len(parts))
    return path


def replace_file(path: Path, data: bytes) -> None:
    """Write a file of the site whole: into a new file beside it (a name no one can have put a link at:
    it is made with O_EXCL), then renamed over it, so an interrupted write never leaves half a file. The
    file keeps its permissions; a new one is readable by all, as an editor saves it."""
    import tempfile  # it loads shutil, which the "nothing changed" answer does without (build/output_paths.py)

    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            try:
                info = os.lstat(path)
                mode = stat.S_IMODE(info.st_mode) if stat.S_ISREG(info.st_mode) else 0o644
            except FileNotFoundError:
                mode = 0o644
            os.fchmod(out.fileno(), mode)
            out.write(data)
            out.flush()
            os.fsync(out.fileno())  # on the disk before its name replaces the file a person wrote
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
