"""Which file and line refer to an image: searched only when something is wrong, so builds pay nothing."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from samizdat.errors import SourceLocation
from samizdat.line_numbers import LINES_LOOKED_AT


@dataclass(frozen=True)
class Reference:
    """One <img> in one rendered page."""

    src: str  # as written in the page
    site_path: str  # where a browser would fetch it from, e.g. assets/x.jpg
    page_output: str  # the rendered page, e.g. en/index.html
    page_source: Path | None  # the page's Markdown or HTML file; None for pages made by a template alone


class SourceLines:
    """Files read once for a build that locates many references (a warning on every page): the data files
    and templates, and where each reference's needles are in them, for the whole build (the same on every
    page: an image in the footer is looked for once); a page's own lines only until the next page's are
    asked for, so that a site of 10,000 pages is not held in memory as lines. The lines looked at are
    counted, as the check's are (line_numbers.LINES_LOOKED_AT): past the limit a reference names its page."""

    def __init__(self, site_root: Path) -> None:
        self.site_root = site_root
        self._shared: dict[Path, list[str]] | None = None  # the data files, then the site's templates
        self._page: tuple[Path, list[str]] | None = None
        self._elsewhere: dict[tuple[str, ...], SourceLocation | None] = {}
        self._looked = 0

    def in_page(self, path: Path, needles: list[str]) -> int | None:
        if self._page is None or self._page[0] != path:
            self._page = (path, _read_lines(path))
        return self._first_line(self._page[1], needles)

    def in_data_or_templates(self, needles: list[str]) -> SourceLocation | None:
        """The data file line (photo rows), else the template line, that holds a needle."""
        key = tuple(needles)
        if key not in self._elsewhere:
            self._elsewhere[key] = self._search(needles)
        return self._elsewhere[key]

    def _search(self, needles: list[str]) -> SourceLocation | None:
        if self._shared is None:
            files = [*sorted((self.site_root / "data").glob("*.y*ml")),
                     *sorted((self.site_root / "templates").rglob("*.html"))]
            self._shared = {path: _read_lines(path) for path in files}
        for path, lines in self._shared.items():
            line = self._first_line(lines, needles)
            if line:
                return SourceLocation(path, line)
        return None

    def _first_line(self, lines: list[str], needles: list[str]) -> int | None:
        self._looked += len(lines)
        return _first_line(lines, needles) if self._looked <= LINES_LOOKED_AT else None


def locate(ref: Reference, site_root: Path, lines: SourceLines | None = None) -> SourceLocation:
    """The page's own line that names the image, else the data file line (photo rows), else the template
    line, else the page."""
    lines = lines or SourceLines(site_root)
    needles = [ref.src, ref.site_path, "/" + ref.site_path]
    if ref.page_source is not None:
        line = lines.in_page(ref.page_source, needles)
        if line:
            return SourceLocation(ref.page_source, line)
    return lines.in_data_or_templates(needles) or SourceLocation(ref.page_source or site_root / ref.page_output)


def _read_lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []


def _first_line(lines: list[str], needles: list[str]) -> int | None:
    for number, line in enumerate(lines, 1):
        if any(needle and needle in line for needle in needles):
            return number
    return None
