"""Writing the new site: only inside DEST, never over a file that exists, then one build to prove it.

DEST must be missing or empty, so nothing a user wrote can be overwritten; every path is checked to
stay inside it (a page of the old site may name its own URL, and that name is hostile input), and
every file is created with O_EXCL, so a link planted in DEST between the check and the write is not
followed either.
"""

from __future__ import annotations

import json
import os
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from samizdat.errors import ImportSourceError, SourceLocation
from samizdat.importers.model import LanguagePlan, SitePlan
from samizdat.importers.source import read_bytes


def check_dest(dest: Path) -> None:
    if dest.is_symlink() or (dest.exists() and not dest.is_dir()):
        raise ImportSourceError("the new site's folder is not a folder", SourceLocation(dest),
                                hint="name a new folder; samizdat creates it")
    if dest.is_dir() and any(dest.iterdir()):
        raise ImportSourceError("the new site's folder is not empty", SourceLocation(dest),
                                hint="name a new or empty folder, so nothing in it can be overwritten")


class SiteWriter:
    def __init__(self, dest: Path) -> None:
        check_dest(dest)
        dest.mkdir(parents=True, exist_ok=True)
        self.root = dest.resolve()
        self.written: list[str] = []

    def path_of(self, rel: str) -> Path:
        parts = PurePosixPath(rel).parts
        if not parts or any(p in ("", ".", "..") or "\\" in p or "\0" in p for p in parts) or rel.startswith("/"):
            raise ImportSourceError(f"refused to write outside the new site: {rel!r}", SourceLocation(self.root))
        path = self.root.joinpath(*parts)
        if not path.resolve().is_relative_to(self.root):
            raise ImportSourceError(f"refused to write outside the new site: {rel!r}", SourceLocation(self.root))
        return path

    def exists(self, rel: str) -> bool:
        return self.path_of(rel).exists()

    def write(self, rel: str, data: bytes) -> None:
        path = self.path_of(rel)
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.parent.resolve().is_relative_to(self.root):
            raise ImportSourceError(f"refused to write outside the new site: {rel!r}", SourceLocation(self.root))
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(path, flags, 0o644)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        self.written.append(rel)


def write_site(plan: SitePlan, writer: SiteWriter) -> None:
    writer.write("samizdat.toml", site_toml(plan).encode())
    writer.write(".gitignore", b"_site/\n.samizdat-cache/\n")
    for page in plan.pages:
        writer.write(f"content/{page.lang}/{page.rel}", page_text(page.front, page.body).encode())
    for text in plan.texts:
        writer.write(text.dest, text.text.encode())
    for copy in plan.copies:
        writer.write(copy.dest, read_bytes(copy.source))


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
