"""Point a finding in a built page back at the file a volunteer edits: the page, a data file or a template."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote

from samizdat.content.pages import Page
from samizdat.errors import SourceLocation
from samizdat.images.stage import OUTPUT_DIR as IMAGES_DIR
from samizdat.line_numbers import LINES_LOOKED_AT

# A processed photo is published as /_images/<key>/<original name>-<width>.<format>; its source names the original.
_VARIANT_RE = re.compile(rf"/{IMAGES_DIR}/[0-9a-f]+/(.+)-\d+\.\w+$")


class Locator:
    """Finds the first line that holds a piece of the offending markup: page first, then data, then templates."""

    def __init__(self, data_files: list[Path], template_files: list[Path]) -> None:
        self.data_files, self.template_files = data_files, template_files
        self._texts: dict[Path, list[str]] = {}
        self._looked = 0
        self._elsewhere: dict[tuple[str, ...], SourceLocation | None] = {}  # needles → their data or template line

    def find(self, page: Page | None, needles: Iterable[str], occurrence: int = 0) -> SourceLocation | None:
        """occurrence: which of the page's lines holding a needle (0: the first), so that the same
        address written on two lines is reported at each; past the last, the last."""
        wanted = [n for n in dict.fromkeys(needles) if n and n.strip()]
        if page:
            if not self._may_look(page.path):
                return SourceLocation(page.path)
            lines = self._lines_of(page.path, wanted)
            if lines:
                return SourceLocation(page.path, lines[min(occurrence, len(lines) - 1)])
        key = tuple(wanted)
        if key not in self._elsewhere:  # the same for every page: a template's markup is looked for once
            self._elsewhere[key] = self._in_data_or_templates(wanted)
        found = self._elsewhere[key]
        if found is not None:
            return found
        return SourceLocation(page.path) if page else None

    def _in_data_or_templates(self, wanted: list[str]) -> SourceLocation | None:
        for path in self.data_files + self.template_files:
            if not self._may_look(path):
                return None
            line = self._line_of(path, wanted)
            if line:
                return SourceLocation(path, line)
        return None

    def _may_look(self, path: Path) -> bool:
        self._looked += len(self._lines(path))
        return self._looked <= LINES_LOOKED_AT

    def _lines_of(self, path: Path, needles: list[str]) -> list[int]:
        return [number for number, text in enumerate(self._lines(path), start=1)
                if any(needle in text for needle in needles)]

    def _line_of(self, path: Path, needles: list[str]) -> int | None:
        lines = self._lines(path)
        for needle in needles:
            for number, text in enumerate(lines, start=1):
                if needle in text:
                    return number
        return None

    def _lines(self, path: Path) -> list[str]:
        if path not in self._texts:
            try:
                self._texts[path] = path.read_text(encoding="utf-8").splitlines()
            except (OSError, UnicodeDecodeError):
                self._texts[path] = []
        return self._texts[path]


def url_needles(url: str) -> list[str]:
    """How a URL may be written in a source: as rendered, without its leading slash, without a query,
    and with its letters as typed (Markdown writes /kr/소식/ as /kr/%EC%86%8C%EC%8B%9D/)."""
    needles = []
    for form in dict.fromkeys([url, unicodedata.normalize("NFC", unquote(url))]):
        bare = form.split("#")[0].split("?")[0]
        needles += [form, form.lstrip("/"), bare, bare.lstrip("/")]
    variant = _VARIANT_RE.search(url.split("#")[0].split("?")[0])
    return needles + ([f"/{variant[1]}.", f"{variant[1]}."] if variant else [])
