"""Writing the new site: only inside DEST, never over a file that exists, then one build to prove it.

DEST must be missing or empty, so nothing a user wrote can be overwritten; every path is checked to
stay inside it (a page of the old site may name its own URL, and that name is hostile input), and
every file is created with O_EXCL, so a link planted in DEST between the check and the write is not
followed either.

Every file the plan holds is checked (check_plan) before the first is written: one that would leave
DEST, or land where another does, refuses the import with an error naming the old site's files, and
DEST stays as it was. A write that fails all the same (a full disk, a source file gone) takes back
what was written.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from samizdat.errors import ImportSourceError, SourceLocation
from samizdat.importers.model import LanguagePlan, SitePlan
from samizdat.importers.report import shown
from samizdat.importers.source import read_bytes
from samizdat.outputs.claims import disk_key

REPORT_NAME = "IMPORT-REPORT.md"
OWN_FILES = ("samizdat.toml", ".gitignore", REPORT_NAME)  # written by the import, from no one file
NOTHING_WRITTEN = "; nothing was written to the new site's folder"
WRITE_HINT = "check the free space and the folder's permissions, then import again"


def check_dest(dest: Path) -> None:
    if dest.is_symlink() or (dest.exists() and not dest.is_dir()):
        raise ImportSourceError("the new site's folder is not a folder", SourceLocation(dest),
                                hint="name a new folder; samizdat creates it")
    if dest.is_dir() and any(dest.iterdir()):
        raise ImportSourceError("the new site's folder is not empty", SourceLocation(dest),
                                hint="name a new or empty folder, so nothing in it can be overwritten")


def leaves_the_site(rel: str) -> bool:
    """A path that is not plainly a name inside the new site: `..`, absolute, a backslash, a NUL."""
    parts = PurePosixPath(rel).parts
    return not parts or rel.startswith("/") or any(p in ("", ".", "..") or "\\" in p or "\0" in p for p in parts)


@dataclass(frozen=True)
class Planned:
    """A file the import will write, and the old site's files it comes from (none for the import's own)."""

    dest: str
    sources: tuple[str, ...]


def planned_files(plan: SitePlan) -> list[Planned]:
    return [*(Planned(name, ()) for name in OWN_FILES),
            *(Planned(f"content/{page.lang}/{page.rel}", (page.source,) if page.source else ()) for page in plan.pages),
            *(Planned(text.dest, text.sources) for text in plan.texts),
            *(Planned(copy.dest, (copy.source.rel,)) for copy in plan.copies)]


def check_plan(plan: SitePlan, src: Path) -> None:
    """Refuse, before anything is written, a file that would leave the new site, two files in one place,
    and a file where another needs a folder (`data/a-b.yaml` from `_data/a-b.yml` and `_data/a/b.yml`)."""
    _no_file_in_the_way(_one_place_each(planned_files(plan), src), src)


def _one_place_each(files: list[Planned], src: Path) -> dict[str, Planned]:
    """The files by the name a file system may take them for (disk_key), each inside the new site."""
    taken: dict[str, Planned] = {}
    for planned in files:
        if leaves_the_site(planned.dest):
            raise _refusal(src, planned, f"{_named(planned)} would be written outside the new site, as "
                                         f"{shown(repr(planned.dest))}", "change its address (permalink)")
        # macOS and Windows ignore case and how an accented letter is composed, and the new site must open
        # on the group's machines, not only on the one that imported it: one file by the build's own measure
        first = taken.setdefault(disk_key(planned.dest), planned)
        if first is not planned:
            raise _refusal(src, planned, f"{_named(first)} and {_named(planned)} would both be written "
                                         f"{_where_both(first, planned)}", "rename one of them")
    return taken


def _no_file_in_the_way(taken: dict[str, Planned], src: Path) -> None:
    for planned in taken.values():
        folders = planned.dest.split("/")[:-1]
        for depth in range(1, len(folders) + 1):
            in_the_way = taken.get(disk_key("/".join(folders[:depth])))
            if in_the_way is not None:
                raise _refusal(src, planned, f"{_named(in_the_way)} would be written as the file "
                                             f"{shown(in_the_way.dest)}, where {_named(planned)} needs a folder (for "
                                             f"{shown(planned.dest)})", "rename one of them")


def _named(planned: Planned) -> str:
    return " and ".join(f"`{shown(source)}`" for source in planned.sources) or f"the import's own {planned.dest}"


def _where_both(first: Planned, second: Planned) -> str:
    if first.dest == second.dest:
        return f"as {shown(first.dest)} in the new site"
    return (f"as {shown(first.dest)} and {shown(second.dest)} in the new site, one file on macOS and Windows, "
            "where names ignore case")


def _refusal(src: Path, planned: Planned, message: str, change: str) -> ImportSourceError:
    place = src.joinpath(*planned.sources[-1].split("/")) if planned.sources else src
    return ImportSourceError(message + NOTHING_WRITTEN, SourceLocation(place),
                             hint=f"{change} (in a copy of the old site if it is not yours), then import again")


class SiteWriter:
    def __init__(self, dest: Path) -> None:
        check_dest(dest)
        # The folders this writer makes for the new site, the deepest last: taken back with it (new/deep/site)
        self.made: list[Path] = [folder for folder in (*reversed(dest.absolute().parents), dest.absolute())
                                 if not folder.exists()]
        dest.mkdir(parents=True, exist_ok=True)
        self.root = dest.resolve()
        self.written: list[str] = []

    def path_of(self, rel: str) -> Path:
        if leaves_the_site(rel):
            raise ImportSourceError(f"refused to write outside the new site: {rel!r}", SourceLocation(self.root))
        path = self.root.joinpath(*PurePosixPath(rel).parts)
        if not path.resolve().is_relative_to(self.root):
            raise ImportSourceError(f"refused to write outside the new site: {rel!r}", SourceLocation(self.root))
        return path

    def exists(self, rel: str) -> bool:
        return self.path_of(rel).exists()

    def write(self, rel: str, data: bytes) -> None:
        path = self.path_of(rel)
        try:
            self._create(rel, path, data)
        except OSError as exc:
            raise ImportSourceError(f"cannot write the new site's file: {exc.strerror}", SourceLocation(path),
                                    hint=WRITE_HINT) from exc

    def _create(self, rel: str, path: Path, data: bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.parent.resolve().is_relative_to(self.root):
            raise ImportSourceError(f"refused to write outside the new site: {rel!r}", SourceLocation(self.root))
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(path, flags, 0o644)
        self.written.append(rel)  # created here (O_EXCL), so this writer's to take back, even if writing fails
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)

    def take_back(self) -> None:
        """Remove what this writer wrote and the folders left empty, and the new site's folder and those
        above it that this writer made: after a failed write, the disk is as the user gave it."""
        for rel in reversed(self.written):
            path = self.root.joinpath(*rel.split("/"))
            if path.parent.resolve().is_relative_to(self.root):
                path.unlink(missing_ok=True)
        folders = {parent for rel in self.written for parent in PurePosixPath(rel).parents if parent.parts}
        for folder in sorted(folders, key=lambda f: len(f.parts), reverse=True):
            path = self.root.joinpath(*folder.parts)
            if path.is_dir() and not path.is_symlink() and not any(path.iterdir()):
                path.rmdir()
        for folder in reversed(self.made):  # the new site's folder first, then the folders made above it
            if folder.is_dir() and not folder.is_symlink() and not any(folder.iterdir()):
                folder.rmdir()
        self.written.clear()


def write_site(plan: SitePlan, writer: SiteWriter) -> None:
    """Every file of the plan, or none: a write that fails takes back the ones before it."""
    try:
        writer.write("samizdat.toml", site_toml(plan).encode())
        writer.write(".gitignore", b"_site/\n.samizdat-cache/\n")
        for page in plan.pages:
            writer.write(f"content/{page.lang}/{page.rel}", page_text(page.front, page.body).encode())
        for text in plan.texts:
            writer.write(text.dest, text.text.encode())
        for copy in plan.copies:
            writer.write(copy.dest, read_bytes(copy.source))
    except ImportSourceError as exc:
        writer.take_back()
        raise ImportSourceError(exc.message + NOTHING_WRITTEN, exc.location, exc.hint) from exc


def page_text(front: dict[str, Any], body: str) -> str:
    head = yaml.safe_dump(front, allow_unicode=True, sort_keys=False, width=1000) if front else ""
    return f"---\n{head}---\n{body}"


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def site_toml(plan: SitePlan) -> str:
    lines = ["# Written by `samizdat import`. Every option is explained in samizdat's docs/configuration.md.",
             f"base_url = {_q(plan.base_url)}"]
    if plan.timezone:
        lines.append(f"timezone = {_q(plan.timezone)}")
    for language in plan.languages:
        lines += ["", *_language_lines(language)]
    return "\n".join(lines) + "\n"


def _language_lines(language: LanguagePlan) -> list[str]:
    lines = [f"[languages.{language.code}]"]
    if language.default:
        lines.append("default = true")
    if language.prefix or not language.default:
        lines.append(f"prefix = {_q(language.prefix)}")
    lines += [f"name = {_q(language.name)}", f"title = {_q(language.title)}",
              f"marker = {_q(language.code.split('-')[0].upper())}"]
    if language.description:
        lines.append(f"description = {_q(language.description)}")
    return lines
