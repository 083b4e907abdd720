"""A whole site as one ZIP file to pass on (a USB stick, a chat, another host), the same bytes every time.

Same input, same archive: entries in name order, the same time (1980-01-01, the earliest ZIP can hold),
the same permissions, no extra fields. So anyone can rebuild the archive from the site's sources and compare
SHA-256 checksums to know that a copy is untouched.
"""

from __future__ import annotations

import hashlib
import os
import zipfile
from pathlib import Path

from samizdat.build.writer import MARKER
from samizdat.errors import OutputError, SourceLocation

FIXED_TIME = (1980, 1, 1, 0, 0, 0)
FILE_MODE = 0o100644  # a regular file, rw-r--r--
UNIX = 3  # "made by" system: keeps the mode meaningful to unzip
ALREADY_COMPRESSED = frozenset({".jpg", ".jpeg", ".png", ".webp", ".avif", ".gif", ".woff2", ".gz", ".br",
                                ".zip", ".mp4", ".webm", ".mp3", ".ogg", ".pdf"})


def write_archive(folder: Path, archive: Path, top_folder: str) -> str:
    """Zip every file of `folder` under `top_folder/`; returns the archive's SHA-256."""
    _check_archive_path(archive)
    staging = archive.with_name(f".{archive.name}.partial-{os.getpid()}")
    try:
        with zipfile.ZipFile(staging, "w") as bundle:
            for path in sorted(folder.rglob("*"), key=lambda p: p.relative_to(folder).as_posix()):
                rel = path.relative_to(folder).as_posix()
                if path.is_file() and rel != MARKER:
                    _add(bundle, f"{top_folder}/{rel}", path.read_bytes())
        os.replace(staging, archive)
    except OSError as exc:
        staging.unlink(missing_ok=True)
        raise OutputError(f"could not write {archive}: {exc}", SourceLocation(archive),
                          hint="check free disk space and permissions") from exc
    return hashlib.sha256(archive.read_bytes()).hexdigest()


def _add(bundle: zipfile.ZipFile, name: str, data: bytes) -> None:
    entry = zipfile.ZipInfo(name, date_time=FIXED_TIME)
    entry.create_system = UNIX
    entry.external_attr = FILE_MODE << 16
    stored = Path(name).suffix.lower() in ALREADY_COMPRESSED
    entry.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    bundle.writestr(entry, data, compresslevel=None if stored else 9)


def _check_archive_path(archive: Path) -> None:
    if archive.suffix.lower() != ".zip":
        raise OutputError(f"{archive} must end in .zip", SourceLocation(archive), hint="e.g. -o site-mirror.zip")
    if archive.is_dir() or (archive.exists() and not zipfile.is_zipfile(archive)):
        raise OutputError(f"{archive} exists and is not a ZIP archive; refusing to replace it",
                          SourceLocation(archive), hint="choose another file name")
    if not archive.parent.is_dir():
        raise OutputError(f"the folder {archive.parent} does not exist", SourceLocation(archive),
                          hint="create it first or choose another path")
