"""Reading and tidying the two trees of a publication (the live output and its spare) without ever
following a symbolic link: both lie in a folder that anyone may have edited."""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Callable
from pathlib import Path

from samizdat.build.manifest import Entry


class Tree:
    """A folder whose sub-folders are checked, once each, to be real folders and not links."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._folders: dict[str, bool] = {"": True}

    def path(self, rel: str) -> str:
        return f"{self.root}/{rel}"

    def plain_folder(self, rel: str) -> bool:
        known = self._folders.get(rel)
        if known is None:
            known = self.plain_folder(rel.rpartition("/")[0]) and _is_folder(self.path(rel))
            self._folders[rel] = known
        return known

    def file_stat(self, rel: str) -> os.stat_result | None:
        """The plain file at rel, reached through plain folders only, or None."""
        if not self.plain_folder(rel.rpartition("/")[0]):
            return None
        try:
            info = os.lstat(self.path(rel))
        except OSError:
            return None
        return info if stat.S_ISREG(info.st_mode) else None

    def make_parents(self, rel: str) -> bool:
        """Make the folders rel needs; False where a link or a file is in the way."""
        parent = rel.rpartition("/")[0]
        if not parent or self.plain_folder(parent):
            return True
        if not self.make_parents(parent) or os.path.lexists(self.path(parent)):
            return False
        os.mkdir(self.path(parent))
        self._folders[parent] = True
        return True

    def prune_parents(self, rel: str) -> None:
        """Remove the folders above rel that are left empty."""
        parent = rel.rpartition("/")[0]
        while parent and self.plain_folder(parent):
            try:
                os.rmdir(self.path(parent))
            except OSError:
                return
            self._folders.pop(parent, None)
            parent = parent.rpartition("/")[0]


class LiveTree(Tree):
    """The live output as the last manifest describes it. believed: whether the manifest is the one a build
    of this user wrote; any other (an output folder that came with the site: a ZIP keeps file times) may
    claim any content for its files, and then no file of it is taken for new content."""

    def __init__(self, root: Path, entries: dict[str, Entry], believed: bool = True) -> None:
        super().__init__(root)
        self.entries = entries
        self.believed = believed

    def reusable(self, digests: dict[str, str]) -> dict[str, int]:
        """Of the files named (with the hash of the content each should hold), those the live output holds
        as the manifest vouches, by their inodes: still the file written then (size and time), with that
        content. A stat of each: one loop, every file of the site on every build."""
        if not self.believed:
            return {}
        entries, plain_folder, root = self.entries, self.plain_folder, f"{self.root}/"
        found: dict[str, int] = {}
        for rel, digest in digests.items():
            entry = entries.get(rel)
            if entry is None or entry[2] != digest or not plain_folder(rel.rpartition("/")[0]):
                continue
            try:
                info = os.lstat(root + rel)
            except OSError:
                continue
            if stat.S_ISREG(info.st_mode) and info.st_size == entry[0] and info.st_mtime_ns == entry[1]:
                found[rel] = info.st_ino
        return found


def sweep(root: Path, keep_file: Callable[[str, int], bool], keep_folder: Callable[[str], bool],
          removed: list[str] | None = None, tolerant: bool = False) -> set[str]:
    """Remove every entry below root but the files and folders asked for; links are removed, never followed.
    Returns the files kept; adds what it removed to `removed`. tolerant: go on past what cannot be removed
    (cleaning up after a failure)."""
    removed = [] if removed is None else removed
    kept: set[str] = set()
    stack = [("", str(root))]
    while stack:
        rel_folder, folder = stack.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                rel = f"{rel_folder}/{entry.name}" if rel_folder else entry.name
                try:
                    if entry.is_dir(follow_symlinks=False):
                        if keep_folder(rel):
                            stack.append((rel, entry.path))
                        else:
                            shutil.rmtree(entry.path)
                            removed.append(rel)
                    elif entry.is_file(follow_symlinks=False) and keep_file(rel, entry.inode()):
                        kept.add(rel)
                    else:
                        os.unlink(entry.path)
                        removed.append(rel)
                except OSError:
                    if not tolerant:
                        raise
    return kept


def _is_folder(path: str) -> bool:
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False
