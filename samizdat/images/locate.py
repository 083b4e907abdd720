"""Which file and line refer to an image: searched only when something is wrong, so builds pay nothing."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from samizdat.errors import SourceLocation


@dataclass(frozen=True)
class Reference:
    """One <img> in one rendered page."""

    src: str  # as written in the page
    site_path: str  # where a browser would fetch it from, e.g. assets/x.jpg
    page_output: str  # the rendered page, e.g. en/index.html
    page_source: Path | None  # the page's Markdown or HTML file; None for pages made by a template alone


class SourceLines:
    """Each file's lines, read once: a build that locates many references (a warning on every page) reads
    every page, data file and template once, not once a reference."""

    def __init__(self, site_root: Path) -> None:
        self.site_root = site_root
        self._lines: dict[Path, list[str]] = {}
        self._templates: list[Path] | None = None

    def of(self, path: Path) -> list[str]:
        lines = self._lines.get(path)
        if lines is None:
            try:
                lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
            except OSError:
                lines = []
            self._lines[path] = lines
        return lines

    def data_files(self) -> list[Path]:
        return sorted((self.site_root / "data").glob("*.y*ml"))

    def templates(self) -> list[Path]:
        if self._templates is None:
            self._templates = sorted((self.site_root / "templates").rglob("*.html"))
        return self._templates


def locate(ref: Reference, site_root: Path, lines: SourceLines | None = None) -> SourceLocation:
    """The page's own line that names the image, else the data file line (photo rows), else the page."""
    lines = lines or SourceLines(site_root)
    needles = [ref.src, ref.site_path, "/" + ref.site_path]
    if ref.page_source is not None:
        line = _first_line(lines.of(ref.page_source), needles)
        if line:
            return SourceLocation(ref.page_source, line)
    for data_file in lines.data_files():
        line = _first_line(lines.of(data_file), needles)
        if line:
            return SourceLocation(data_file, line)
    for template in lines.templates():
        line = _first_line(lines.of(template), needles)
        if line:
            return SourceLocation(template, line)
    return SourceLocation(ref.page_source or site_root / ref.page_output)


def _first_line(lines: list[str], needles: list[str]) -> int | None:
    for number, line in enumerate(lines, 1):
        if any(needle and needle in line for needle in needles):
            return number
    return None
