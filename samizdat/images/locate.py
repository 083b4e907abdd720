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


def locate(ref: Reference, site_root: Path) -> SourceLocation:
    """The page's own line that names the image, else the data file line (photo rows), else the page."""
    needles = [ref.src, ref.site_path, "/" + ref.site_path]
    if ref.page_source is not None:
        line = _first_line(ref.page_source, needles)
        if line:
            return SourceLocation(ref.page_source, line)
    for data_file in sorted((site_root / "data").glob("*.y*ml")):
        line = _first_line(data_file, needles)
        if line:
            return SourceLocation(data_file, line)
    for template in sorted((site_root / "templates").rglob("*.html")):
        line = _first_line(template, needles)
        if line:
            return SourceLocation(template, line)
    return SourceLocation(ref.page_source or site_root / ref.page_output)


def _first_line(path: Path, needles: list[str]) -> int | None:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    for number, line in enumerate(text.splitlines(), 1):
        if any(needle and needle in line for needle in needles):
            return number
    return None
