"""The manifest `.samizdat-output`: every file the last build wrote, with its size, time and content hash.

It lives in the output folder, which anyone can edit, so it is read as untrusted data: an entry that
is not a plain path inside the output, or not well formed, is dropped (its file is then written
again). Its names are only ever compared with the names of this build, never opened as they are.
The format is unchanged since version 1 (`build/cache/record.py` reads the same file):
{"version": 1, "files": {"en/index.html": [size, mtime_ns, sha256 of the content]}}.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Collection
from pathlib import Path

from samizdat.build.output_paths import MARKER, is_plain
from samizdat.quick_hash import sha256

MANIFEST_VERSION = 1
Entry = list  # [size, mtime_ns, digest]


def load_manifest(out_dir: Path, checked: Collection[str] = ()) -> dict[str, Entry]:
    """checked: names this build checked already (output_paths.check_output_paths): not checked again."""
    import orjson  # here: it loads dataclasses, which "nothing changed" (build/cache/record.py) does without

    try:
        # orjson refuses nesting deeper than 1,024 and integers beyond 64 bits: such a manifest is dropped
        data = orjson.loads(read_manifest(out_dir) or b"")
    except orjson.JSONDecodeError:
        return {}
    if not isinstance(data, dict) or data.get("version") != MANIFEST_VERSION:
        return {}
    files = data.get("files")
    if not isinstance(files, dict):
        return {}
    return {rel: entry for rel, entry in files.items() if (rel in checked or is_plain(rel)) and _well_formed(entry)}


def read_manifest(folder: Path) -> bytes | None:
    """The manifest's bytes, or None where the folder holds none: where its name holds anything but a
    plain file, such as a link or a pipe (the output folder may come with the site, as `SITE/_site/`),
    nothing is opened through it and nothing waits on it."""
    try:
        fd = os.open(folder / MARKER, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as file:
        return file.read() if stat.S_ISREG(os.fstat(fd).st_mode) else None


def holds_manifest(folder: Path) -> bool:
    """Whether the folder holds a manifest samizdat can have written: a plain file, not a link to one."""
    try:
        return stat.S_ISREG(os.lstat(folder / MARKER).st_mode)
    except OSError:
        return False


def output_identity(out_dir: Path) -> str:
    """Which build's output the folder holds now: the hash of its manifest (every build writes a new one,
    naming its files' times), so that a record of 'nothing changed' cannot stand for another build's output."""
    manifest = read_manifest(out_dir)
    return "none" if manifest is None else sha256(manifest).hexdigest()


def _well_formed(entry: object) -> bool:
    return (isinstance(entry, list) and len(entry) == 3 and all(type(v) is int for v in entry[:2])
            and isinstance(entry[2], str))


def save_manifest(folder: Path, files: dict[str, Entry]) -> None:
    """A new file (never written into an existing one: that inode may be shared with the live output)."""
    import orjson

    text = orjson.dumps({"version": MANIFEST_VERSION, "about": "written by `samizdat build`; do not edit",
                         "files": files}, option=orjson.OPT_SORT_KEYS)
    path = folder / MARKER
    path.unlink(missing_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    with os.fdopen(fd, "wb") as file:
        file.write(text)
