"""Knowing, in milliseconds, that nothing changed since the last build into the same folder.

Like git's index, this looks at every input file's size, modification time, change time (to the
nanosecond) and inode: if all are as they were after the last build, no meeting has passed since, and
the output folder still holds exactly what was written, the build has nothing to do. The change time
and inode are set by the system on every write and cannot be put back (`touch -d` and os.utime restore
only the modification time), so an edit that keeps the size and the old time is still seen. Anything
else, a fresh clone included, takes the ordinary build, whose caches are keyed by content.

The record is one row of the store (store.py): JSON, never code, in a file a site folder cannot bring along.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any, NamedTuple

from samizdat.build.cache.store import Store
from samizdat.build.manifest import read_manifest
from samizdat.build.output_paths import MARKER, SPARE_TREE, spare_holder
from samizdat.engine import engine_id
from samizdat.errors import SourceLocation
from samizdat.findings import Finding
from samizdat.quick_hash import sha256
from samizdat.sealed import CacheDamaged

# theme.THEMES_DIR, named here without importing the config and its locale data: "nothing changed" is
# answered before either is needed.
THEMES_DIR = Path(__file__).resolve().parents[2] / "themes"
SKIPPED_DIRS = {".git", ".samizdat-cache", "_site", "__pycache__", "node_modules", ".venv"}


FORGOTTEN = "forgotten"  # in place of the sources' fingerprint: no build's sources have it


class BuildRecord(NamedTuple):  # a named tuple, as SourceLocation (errors.py): read before anything else
    fingerprint: str
    next_change: dt.datetime | None  # when a meeting next moves from upcoming to past
    html_pages: int
    files: int
    images: int  # photos the build published (all from the cache when nothing changed)
    # The warnings and errors only: what `samizdat build` shows again when nothing changed. Notes (a page
    # per translation, thousands on a large site) are for `samizdat check`, and reading them back would
    # cost the "nothing changed" answer more than the rest of it.
    findings: tuple[Finding, ...]


def fingerprint(site_root: Path, out_dir: Path, options: object, seen: dict[str, os.stat_result] | None = None,
                listed: dict[str, list[os.DirEntry[str]]] | None = None) -> str:
    """seen: filled with each file's stat by its path, for a build that follows (discovery need not stat the
    same files again; content/sources.py). listed: filled with each folder's entries by its path, for the
    same build (discovery need not read the same folders again; site_files.py)."""
    hasher = sha256(f"{engine_id()}\n{out_dir.resolve()}\n{options!r}\n".encode())
    out = os.fspath(out_dir.resolve())
    lines: list[str] = []
    for folder in (site_root.resolve(), THEMES_DIR):
        _stat_lines(os.fspath(folder), out, lines, seen, listed)
    hasher.update("".join(lines).encode("utf-8", "surrogateescape"))
    return hasher.hexdigest()


def _stat_lines(top: str, out: str, lines: list[str], seen: dict[str, os.stat_result] | None = None,
                listed: dict[str, list[os.DirEntry[str]]] | None = None) -> None:
    """A line per file below top, each folder's files in name order; folders are entered, never links to
    them, and from a stack, not by recursion (a ZIP may nest folders thousands deep). Directory entries and
    strings only: "nothing changed" does this for every file of the site."""
    pending = [top]
    while pending:
        folder = pending.pop()
        lines.append(f"{folder}/\n")
        try:
            with os.scandir(folder) as found:
                entries = sorted(found, key=lambda entry: entry.name)
        except OSError:  # unreadable: the build itself says so, if it needs the folder
            lines.append(f"{folder}\t?\n")
            continue
        if listed is not None:
            listed[folder] = entries
        inner = []
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if entry.name not in SKIPPED_DIRS and entry.path != out:
                    inner.append(entry.path)
                continue
            try:
                stat = entry.stat()
            except OSError:  # a link to nothing, or a file gone since the folder was read
                lines.append(f"{entry.path}\t?\n")
                continue
            lines.append(f"{entry.path}\t{stat.st_size}\t{stat.st_mtime_ns}\t{stat.st_ctime_ns}\t{stat.st_ino}\n")
            if seen is not None:
                seen[entry.path] = stat
        pending += reversed(inner)


def unchanged(record: BuildRecord | None, current: str, out_dir: Path, now: dt.datetime) -> bool:
    if record is None or record.fingerprint != current:
        return False
    if record.next_change is not None and now >= record.next_change:
        return False
    return _output_intact(out_dir)


def _output_intact(out_dir: Path) -> bool:
    """Every file the last build wrote is still there with the size and time it had, and its publication
    finished: the build's state is saved while the previous site is cleared from the spare beside the
    output, and a build killed then leaves that work to the next one."""
    try:
        manifest = read_manifest(out_dir)
        if manifest is None or not _mirrored(out_dir, manifest):
            return False
        files = json.loads(manifest)["files"]
        folder = os.fspath(out_dir) + "/"  # strings, not Path objects: thousands of files
        for rel, (size, mtime_ns, _) in files.items():
            stat = os.lstat(folder + rel)  # a link in its place is not what the build wrote
            if stat.st_size != size or stat.st_mtime_ns != mtime_ns:
                return False
    except (OSError, ValueError, KeyError, TypeError, RecursionError):  # the output folder is anyone's to edit
        return False
    return True


def _mirrored(out_dir: Path, manifest: bytes) -> bool:
    """The spare holds the output's manifest, which publication puts there last (a link, else a copy)."""
    live = out_dir.resolve()
    spare = spare_holder(live) / SPARE_TREE
    if os.path.samestat(os.lstat(spare / MARKER), os.lstat(live / MARKER)):
        return True
    return read_manifest(spare) == manifest


def load_record(store: Store) -> BuildRecord | None:
    try:
        rows = store.rows("SELECT value FROM record WHERE id = 1")
        return _record(json.loads(str(rows[0][0]))) if rows else None
    except (CacheDamaged, ValueError) as exc:
        store.discard(exc if isinstance(exc, CacheDamaged) else CacheDamaged("the last build's record is damaged"))
        return None


def save_record(store: Store, record: BuildRecord) -> None:
    fields = record._asdict() | {
        "next_change": record.next_change.isoformat() if record.next_change else None,
        "findings": [_finding_fields(item) for item in record.findings if item.severity != "info"],
    }
    with store.writing() as db:
        if db is not None:
            db.execute("INSERT OR REPLACE INTO record VALUES (1, ?)", (json.dumps(fields, ensure_ascii=False),))


def forget(store: Store, record: BuildRecord | None) -> None:
    """The last build's record no longer answers "nothing changed" (the build about to run may fail), but
    still names the output that build published, so that the next build believes its manifest."""
    if record is None:
        with store.writing() as db:
            if db is not None:
                db.execute("DELETE FROM record")
        return
    save_record(store, record._replace(fingerprint=f"{FORGOTTEN}:{published_output(record)}"))


def published_output(record: BuildRecord | None) -> str | None:
    """The identity of the output the recorded build published (manifest.output_identity)."""
    return record.fingerprint.rpartition(":")[2] if record is not None else None


def _finding_fields(item: Finding) -> list[Any]:
    where = item.location
    place = [str(where.path), where.line, where.column] if where else None
    return [item.severity, item.message, place, item.hint, item.code]


def _record(fields: Any) -> BuildRecord:
    """The record as save_record wrote it; CacheDamaged for anything else."""
    try:
        next_change = fields["next_change"]
        record = BuildRecord(
            fields["fingerprint"], dt.datetime.fromisoformat(next_change) if next_change is not None else None,
            fields["html_pages"], fields["files"], fields["images"],
            tuple(_finding(item, paths) for paths in [{}] for item in fields["findings"]))
        counts = (record.html_pages, record.files, record.images)
        if not isinstance(record.fingerprint, str) or not all(type(count) is int for count in counts):
            raise ValueError("a field of the wrong type")
    except (KeyError, TypeError, ValueError) as exc:
        raise CacheDamaged("the last build's record does not have the shape samizdat writes") from exc
    return record


def _finding(item: Any, paths: dict[str, Path]) -> Finding:
    """paths: the Path of each text seen so far (a page has a finding for each missing translation)."""
    severity, message, place, hint, code = item
    location = None
    texts, numbers = [severity, message], []
    if place is not None:
        path, line, column = place
        texts.append(path)
        numbers += [line, column]
        location = SourceLocation(paths[path] if path in paths else paths.setdefault(path, Path(path)), line, column)
    if (not all(isinstance(text, str) for text in texts)
            or not all(value is None or isinstance(value, str) for value in (hint, code))
            or not all(value is None or type(value) is int for value in numbers)):
        raise ValueError("a finding of the wrong type")
    return Finding(severity, message, location, hint, code)
