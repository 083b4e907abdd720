"""Cleaned PDFs (and videos) kept in SITE/.samizdat-cache/documents/, one file per source content and cleaning engine.

A rebuild with nothing changed opens no PDF to clean it; files no build used are pruned. Plain files and
one JSON file of digests: nothing here is unpickled or executed.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pikepdf

ENGINE_VERSION = "1"  # raise when pdf.py changes what it writes, so old entries are not reused
PDF_OPERATION = f"pdf {ENGINE_VERSION}\n{pikepdf.__version__}\n{pikepdf.__libqpdf_version__}"
CACHE_DIR = ".samizdat-cache/documents"
DIGESTS = "digests.json"


class DocumentCache:
    def __init__(self, site_root: Path) -> None:
        self.folder = site_root / CACHE_DIR
        self._digests = self._read_digests()
        self._used_digests: dict[str, list[int | str]] = {}
        self._used_entries: set[str] = set()

    def entry(self, source: Path, operation: str = PDF_OPERATION, suffix: str = ".pdf") -> Path:
        """Where the cleaned copy of `source` is (or will be) kept; `operation` names what cleans it."""
        key = hashlib.sha256(f"{self._digest(source)}\n{operation}".encode()).hexdigest()
        self._used_entries.add(f"{key}{suffix}")
        return self.folder / f"{key}{suffix}"

    def store(self, made: Path, entry: Path) -> None:
        os.replace(made, entry)  # atomic: a build stopped halfway never leaves half a file under the key

    def finish(self) -> None:
        """Remember this build's digests and prune every entry it did not use."""
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / DIGESTS).write_text(json.dumps(self._used_digests), encoding="utf-8")
        for entry in self.folder.iterdir():
            if entry.name != DIGESTS and entry.name not in self._used_entries:
                entry.unlink(missing_ok=True)

    def _digest(self, path: Path) -> str:
        """sha256 of a file's bytes, remembered by size and modification time so unchanged files are not read."""
        stat = path.stat()
        known = self._digests.get(str(path))
        if isinstance(known, list) and known[:2] == [stat.st_size, stat.st_mtime_ns]:
            digest = str(known[2])
        else:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        self._used_digests[str(path)] = [stat.st_size, stat.st_mtime_ns, digest]
        return digest

    def _read_digests(self) -> dict[str, list[int | str]]:
        try:
            data = json.loads((self.folder / DIGESTS).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}
