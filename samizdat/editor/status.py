"""The dashboard: what needs a volunteer now. Translations missing or out of date, placeholders left,
what `samizdat check` finds, and the meetings to come."""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response

from samizdat.checks.runner import check_site
from samizdat.config import load_config
from samizdat.content.meetings import Meeting, load_meetings
from samizdat.content.placeholders import find_placeholders
from samizdat.content.translation_status import MISSING, OUTDATED, UNTRACKED
from samizdat.editor.files import rel_of
from samizdat.editor.pages import rel_for, site_status
from samizdat.editor.web import render
from samizdat.errors import SamizdatError
from samizdat.findings import Finding

SCANNED = ("content", "meetings", "data")  # where scaffolding leaves <<TODO: …>> marks
TEXT_FILES = (".md", ".markdown", ".html", ".yaml", ".yml")


@dataclass(frozen=True)
class Todo:
    rel: str
    language: str
    state: str


@dataclass(frozen=True)
class Placeholder:
    rel: str
    line: int
    text: str


class CheckCache:
    """`samizdat check` builds the whole site: run once per preview build, not on every visit."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._done: tuple[int, tuple[Finding, ...] | str] | None = None

    def findings(self, site_root: Path, generation: int) -> tuple[Finding, ...] | str:
        with self._lock:
            if self._done is None or self._done[0] != generation:
                try:
                    result: tuple[Finding, ...] | str = tuple(
                        f for f in check_site(site_root).findings if f.severity != "info")
                except SamizdatError as exc:
                    result = str(exc)
                self._done = (generation, result)
            return self._done[1]


def translation_todos(site_root: Path) -> list[Todo]:
    config, status = site_status(site_root)
    return [Todo(rel_for(config, row, code), code, entry.state) for _, row in sorted(status.items())
            for code, entry in row.items() if entry.state in (MISSING, OUTDATED, UNTRACKED)]


def placeholders(site_root: Path) -> list[Placeholder]:
    found = []
    for folder in SCANNED:
        if (site_root / folder).is_symlink():  # a folder linked elsewhere is not the site's: never read through
            continue
        for path in sorted((site_root / folder).rglob("*")):  # rglob enters no linked folder below
            if path.suffix in TEXT_FILES and path.is_file() and not path.is_symlink():
                text = path.read_text(encoding="utf-8", errors="replace")
                found += [Placeholder(rel_of(site_root, path), line, mark) for line, mark in find_placeholders(text)]
    return found


def upcoming(site_root: Path) -> list[Meeting]:
    config = load_config(site_root)
    now = dt.datetime.now(dt.UTC)

    def moment(meeting: Meeting) -> dt.datetime:
        start = meeting.end or meeting.start
        if isinstance(start, dt.datetime):
            return start
        return dt.datetime.combine(start, dt.time(23, 59), meeting.timezone)

    return sorted((m for m in load_meetings(site_root, config.timezone).values() if moment(m) >= now),
                  key=moment)


def dashboard(request: Request) -> Response:
    editor = request.app.state.editor
    root = editor.site_root
    state = editor.preview.state
    findings = editor.checks.findings(root, state.generation)
    return render(request, "dashboard.html", todos=translation_todos(root), placeholders=placeholders(root),
                  findings=findings if not isinstance(findings, str) else (), check_error=findings
                  if isinstance(findings, str) else None, meetings=upcoming(root), build_error=state.error)
