"""One build at a time per output folder and per site cache.

An advisory lock (flock) on a file beside the output (`.OUT.lock`) and one in the site's cache. The
kernel drops a lock when its process ends, however it ends, so a killed build never leaves a stale
one. A second build waits for the first and says so on stderr; it then checks from scratch whether
anything changed, so it never reports files that another build wrote.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from samizdat.errors import OutputError, SourceLocation

try:
    import fcntl
except ImportError:  # Windows: no flock; builds there are not guarded against each other
    fcntl = None  # type: ignore[assignment]

CACHE_LOCK = "build.lock"


def output_lock_path(out_dir: Path) -> Path:
    out = out_dir.resolve()
    return out.parent / f".{out.name}.lock"


@contextmanager
def build_locks(out_dir: Path, cache_dir: Path) -> Iterator[None]:
    """The output's lock, then the cache's: always in this order, so two builds cannot wait on each other."""
    lock = output_lock_path(out_dir)
    _make_folder(lock.parent)
    with _held(lock, f"the output folder {out_dir}"), cache_lock(cache_dir):
        yield


@contextmanager
def cache_lock(cache_dir: Path) -> Iterator[None]:
    """The site cache's lock alone: what `samizdat check` holds while it reads the build store."""
    _make_folder(cache_dir)
    if cache_dir.is_symlink():
        raise OutputError(f"{cache_dir} is a symbolic link", SourceLocation(cache_dir),
                          hint="delete it; samizdat keeps its caches in a folder of its own there")
    with _held(cache_dir / CACHE_LOCK, f"the site's cache {cache_dir}"):
        yield


@contextmanager
def _held(path: Path, what: str) -> Iterator[None]:
    fd = _open(path)
    try:
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                print(f"samizdat: another build is using {what}; waiting for it to finish…",
                      file=sys.stderr, flush=True)
                fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _open(path: Path) -> int:
    """The lock file, never through a link (a site could ship one pointing anywhere)."""
    flags = os.O_NOFOLLOW | os.O_CLOEXEC
    try:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | flags, 0o644)
        except OSError as exc:
            if exc.errno not in (errno.EROFS, errno.EACCES, errno.EPERM):
                raise
            fd = os.open(path, os.O_RDONLY | flags)  # flock needs no write access to an existing file
    except OSError as exc:
        reason = "it is a symbolic link" if exc.errno == errno.ELOOP else exc.strerror
        raise OutputError(f"cannot open the lock file {path}: {reason}", SourceLocation(path),
                          hint="samizdat keeps this empty file so that two builds never write at once; "
                               "delete whatever is there, or check the folder's permissions") from exc
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise OutputError(f"the lock file {path} is not a plain file", SourceLocation(path),
                          hint="delete it; samizdat makes it again")
    return fd


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot make the folder {folder}: {exc.strerror}", SourceLocation(folder),
                          hint="a file may be in the way, or the folder is read-only") from exc
