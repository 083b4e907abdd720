"""What cleaning an SVG drawing gave (assets/svg.py), apart from the cleaning itself: a drawing cleaned on an
earlier build is handed on from the build's results without loading lxml (assets/publish.py)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from samizdat.errors import SourceLocation
from samizdat.findings import Finding, finding

# What a cleaning removes, as the volunteer is told: code and outside references change what a
# drawing does (a warning), the rest only what it says about its author (a note).
SCRIPT, HTML, HANDLER = "scripts", "HTML inside the drawing (foreignObject)", "event handlers or script links"
OUTSIDE, PICTURE, CSS = "references to other files or sites", "embedded pictures", "CSS imports or url()"
METADATA, EDITOR, COMMENT = "metadata (author, licence)", "editor data (Inkscape, Sodipodi…)", "comments"
CODE_LABELS = (SCRIPT, HTML, HANDLER, OUTSIDE, PICTURE, CSS)


@dataclass(frozen=True)
class CleanedSvg:
    data: bytes
    removed: tuple[str, ...]  # what went, one label per kind (see CODE_LABELS and NOTE_LABELS)

    def findings(self, source: Path) -> list[Finding]:
        """What the volunteer should know: code, pictures and outside references are a warning (the
        drawing may look different); editor data and comments a note."""
        code = [label for label in self.removed if label in CODE_LABELS]
        if code:
            return [finding("svg-cleaned", f"published without: {', '.join(code)}", SourceLocation(source),
                            hint="check how the drawing looks; save an embedded photo as its own file in assets/")]
        if self.removed:
            return [finding("svg-metadata", f"published without: {', '.join(self.removed)}", SourceLocation(source))]
        return []
