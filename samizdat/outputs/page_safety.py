"""No code from content: each page's markup checked against the rules in outputs/page_rules.py, and each
broken rule traced back to the file and line a volunteer edits (the page, a data file, a site template).

The theme's own scripts are the only ones that run; a page listed in `[security] allow_scripts` may add
its own. The build refuses a page that breaks a rule; `samizdat check` lists every one as a finding.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

from samizdat.config import SiteConfig
from samizdat.content.pages import Page
from samizdat.errors import ContentError, SourceLocation
from samizdat.findings import Finding, finding
from samizdat.markdown import html_pieces
from samizdat.outputs.page_rules import NESTING_RULE, Violation, scan_page

CODE = "unsafe-markup"


@dataclass(frozen=True)
class PageRules:
    origin: str  # scheme://host of the site
    trusted: frozenset[str]  # the theme's script bodies, stripped
    allow_scripts: frozenset[Path]  # source files whose own scripts may run
    search: tuple[Path, ...]  # where markup that is not the page's own may come from: data, site templates

    @classmethod
    def for_site(cls, config: SiteConfig, trusted: frozenset[str]) -> PageRules:
        root = config.root
        search = [*sorted((root / "data").glob("*.y*ml")), *_files(root / "templates")]
        return cls(config.origin, trusted, frozenset(root / rel for rel in config.security.allow_scripts),
                   tuple(search))

    def may_run_own(self, source: Path | None) -> bool:
        return source is not None and source in self.allow_scripts


class UnsafeMarkupError(ContentError):
    """A page, template, data value or published HTML file carries code or a way off the site."""


# Lines looked at while tracing one page's broken rules back to their files. A stranger's page of 6,000
# `onclick`s made every finding parse all of the page's markup again and read its files again (62 s; 20,000
# would take twelve minutes): the markup is now scanned once a page, and past this many lines a finding
# names its file alone, as where the line cannot be told.
LINES_LOOKED_AT = 20_000_000


def findings_of(violations: tuple[Violation, ...], page: Page | None, rules: PageRules,
                fallback: Path | None = None) -> list[Finding]:
    """One finding per broken rule, at the line to edit. `fallback`: the file to name when no source says
    more (an HTML file among assets, a page made by a template alone)."""
    tracer = _Tracer(page, rules, fallback)
    return [finding(CODE, violation.message, tracer.locate(violation), violation.hint) for violation in violations]


def refuse(findings: list[Finding]) -> None:
    """The build's verdict: the first broken rule, as one error."""
    if findings:
        first = findings[0]
        more = f" (and {len(findings) - 1} more; `samizdat check` lists them all)" if len(findings) > 1 else ""
        raise UnsafeMarkupError(first.message + more, first.location, first.hint)


class _Tracer:
    """Where one page's broken rules were written: each file read once, the page's own markup scanned once."""

    def __init__(self, page: Page | None, rules: PageRules, fallback: Path | None) -> None:
        self.page, self.rules, self.fallback = page, rules, fallback
        self._pieces: dict[tuple[str, str], tuple[int, str]] | None = None
        self._lines: dict[Path, list[str]] = {}
        self._looked = 0

    def locate(self, violation: Violation) -> SourceLocation | None:
        """The Markdown's own markup first (by pulldown-cmark's source ranges), then any line of the page's
        file, a data file or a site template that holds the markup, then the file alone."""
        page = self.page
        if page is not None and violation.rule != NESTING_RULE:  # a page nested too deep is not parsed again
            line = self._markdown_line(violation, page)
            if line is not None:
                return SourceLocation(page.path, line)
        paths = ([page.path] if page else []) + ([self.fallback] if self.fallback else []) + list(self.rules.search)
        for needle in violation.needles:  # the most telling needle in any file before a vaguer one
            for path in paths:
                lines = self._lower_lines(path)
                self._looked += len(lines)
                if self._looked > LINES_LOOKED_AT:
                    break
                line = _needle_line(lines, (needle,))
                if line is not None:
                    return SourceLocation(path, line)
        source = page.path if page else self.fallback
        return SourceLocation(source) if source else None

    def _markdown_line(self, violation: Violation, page: Page) -> int | None:
        """The line of the first piece of the page's own markup that breaks the same rule the same way;
        None when the page's Markdown has none (the markup came from a template, data or a shortcode)."""
        if self._pieces is None:
            self._pieces = {}
            for first, markup in html_pieces(page.body):
                scan = scan_page(LexborHTMLParser(markup), frozenset(), self.rules.may_run_own(page.path),
                                 self.rules.origin)
                for broken in scan.violations:
                    self._pieces.setdefault((broken.rule, broken.message), (first, markup))
        found = self._pieces.get((violation.rule, violation.message))
        if found is None:
            return None
        first, markup = found
        tag_first = sorted(violation.needles, key=lambda needle: not needle.startswith("<"))  # where it opens
        return page.body_line + first + (_needle_line(markup.splitlines(), tuple(tag_first)) or 1) - 1

    def _lower_lines(self, path: Path) -> list[str]:
        lines = self._lines.get(path)
        if lines is None:
            lines = self._lines[path] = _read(path).lower().splitlines()
        return lines


def _needle_line(lines: list[str], needles: tuple[str, ...]) -> int | None:
    wanted = [needle.lower() for needle in needles if needle.strip()]
    for needle in wanted:
        for number, text in enumerate(lines, 1):
            if needle in text.lower():
                return number
    return None


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []
