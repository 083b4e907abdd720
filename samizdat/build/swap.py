"""The two file-system steps that make publication atomic and durable: a folder exchange and a sync.

Linux exchanges two folders in one step (renameat2 with RENAME_EXCHANGE, ext4, XFS, Btrfs, tmpfs
and others): a reader of the output path sees the old tree or the new one, never neither. Elsewhere,
or on a file system without it, three renames do the same with a short moment in which the output
path does not exist; a build killed in that moment is put right by the next one (`recover_aside`).
"""

from __future__ import annotations

import ctypes
import errno
import functools
import os
import shutil
import stat
import sys
from collections.abc import Callable
from pathlib import Path

AT_FDCWD = -100
RENAME_EXCHANGE = 2
_UNSUPPORTED = {errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP}


@functools.cache
def _libc() -> ctypes.CDLL | None:
    """The C library, once, when first needed: `samizdat build` with nothing to do never loads it."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None, use_errno=True)  # the running program's own symbols include libc's
    except OSError:
        return None


def _function(name: str) -> Callable[..., int] | None:
    return getattr(_libc(), name, None)


def exchange(new: Path, live: Path, aside: Path) -> None:
    """`new` takes the place of `live` and `live` that of `new`; `aside` is the fallback's parking place."""
    renameat2 = _function("renameat2")
    if renameat2 is not None:
        if renameat2(AT_FDCWD, os.fsencode(new), AT_FDCWD, os.fsencode(live), RENAME_EXCHANGE) == 0:
            return
        code = ctypes.get_errno()
        if code not in _UNSUPPORTED:
            raise OSError(code, os.strerror(code), str(live))
    os.rename(live, aside)
    os.rename(new, live)  # between these two renames the live path is missing: recover_aside mends a kill
    os.rename(aside, new)


def recover_aside(live: Path, spare: Path, aside: Path) -> None:
    """Undo the fallback exchange that a killed build left half done; every tree in it was complete. Only
    a folder can have been parked there: anything else (a link to a folder elsewhere, which a site whose
    output lies in it may bring) is removed, never moved into the output's place."""
    if not os.path.lexists(aside):
        return
    if not _plain_folder(aside):
        remove_any(aside)
    elif not os.path.lexists(live):
        os.rename(aside, live)  # the previous site goes back; the new one was never visible
    elif not os.path.lexists(spare):
        os.rename(aside, spare)
    else:
        remove_any(aside)


def sync_tree(path: Path) -> None:
    """Everything written below `path` is on the disk (data and names), so that a power cut after the
    exchange cannot show the new names with empty or missing files behind them."""
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        syncfs = _function("syncfs")
        if syncfs is not None and syncfs(fd) == 0:
            return
    finally:
        os.close(fd)
    os.sync()  # no syncfs (not Linux): every file system; slower on a busy machine, never less safe


def sync_file(path: Path) -> None:
    _fsync(path, os.O_RDONLY | os.O_NOFOLLOW)


def sync_folder(path: Path) -> None:
    """The names in one folder are durable (after a rename or an exchange in it)."""
    _fsync(path, os.O_RDONLY | os.O_DIRECTORY)


def _fsync(path: Path, flags: int) -> None:
    fd = os.open(path, flags)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _plain_folder(path: Path) -> bool:
    return stat.S_ISDIR(os.lstat(path).st_mode)


def remove_any(path: Path) -> None:
    """Remove a file, a link or a whole folder without following any link (rmtree is link-safe)."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif os.path.lexists(path):
        path.unlink()
