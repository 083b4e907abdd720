"""Point a finding in a built page back at the file a volunteer edits: the page, a data file or a template."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from samizdat.content.pages import Page
from samizdat.errors import SourceLocation
from samizdat.images.stage import OUTPUT_DIR as IMAGES_DIR

# A processed photo is published as /_images/<key>/<original name>-<width>.<format>; its source names the original.
_VARIANT_RE = re.compile(rf"/{IMAGES_DIR}/[0-9a-f]+/(.+)-\d+\.\w+$")


class Locator:
    """Finds the first line that holds a piece of the offending markup: page first, then data, then templates."""

    def __init__(self, data_files: list[Path], template_files: list[Path]) -> None:
        self.data_files, self.template_files = data_files, template_files
        self._texts: dict[Path, list[str]] = {}

    def find(self, page: Page | None, needles: Iterable[str]) -> SourceLocation | None:
        wanted = [n for n in dict.fromkeys(needles) if n and n.strip()]
        for path in ([page.path] if page else []) + self.data_files + self.template_files:
            line = self._line_of(path, wanted)
            if line:
                return SourceLocation(path, line)
        return SourceLocation(page.path) if page else None

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
    """How a URL may be written in a source: as rendered, without its leading slash, without a query."""
    bare = url.split("#")[0].split("?")[0]
    variant = _VARIANT_RE.search(bare)
    return [url, url.lstrip("/"), bare, bare.lstrip("/")] + ([f"/{variant[1]}.", f"{variant[1]}."] if variant else [])
