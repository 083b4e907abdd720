"""No code from content: each page's markup checked against the rules in outputs/page_rules.py, and each
broken rule traced back to the file and line a volunteer edits (the page, a data file, a site template).

The theme's own scripts are the only ones that run; a page listed in `[security] allow_scripts` may add
its own. The build refuses a page that breaks a rule; `samizdat check` lists every one as a finding.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

from samizdat.config import SiteConfig
from samizdat.content.pages import Page
from samizdat.errors import ContentError, SourceLocation
from samizdat.findings import Finding, finding
from samizdat.line_numbers import LINES_LOOKED_AT
from samizdat.markdown import html_pieces
from samizdat.outputs.page_rules import NESTING_RULE, Violation, scan_page

CODE = "unsafe-markup"


@dataclass(frozen=True)
class PageRules:
    origin: str  # scheme://host of the site
    trusted: frozenset[str]  # the theme's script bodies, stripped
    allow_scripts: frozenset[Path]  # source files whose own scripts may run
    search: tuple[Path, ...]  # where markup that is not the page's own may come from: data, site templates
    # Where each needle is in those files, found once a build: markup a template puts on every page is
    # traced to its line once, not once a page (_Tracer).
    searched: SearchedFiles = field(default_factory=lambda: SearchedFiles(), compare=False, repr=False)

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


class SearchedFiles:
    """Files read once (lower-cased, by line), the lines looked at counted, and where each needle was found in
    the site's data files and templates (the same for every page of a build). A stranger's page of 6,000
    `onclick`s made every finding parse all of the page's markup again and read its files again (62 s)."""

    def __init__(self) -> None:
        self.lines: dict[Path, list[str]] = {}
        self.looked = 0
        self.in_search: dict[str, SourceLocation | None] = {}

    def line_of(self, path: Path, needle: str) -> int | bool | None:
        """The first line of path holding needle; None where none does; False past LINES_LOOKED_AT."""
        lines = self.lines.get(path)
        if lines is None:
            lines = self.lines[path] = _read(path).lower().splitlines()
        self.looked += len(lines)
        if self.looked > LINES_LOOKED_AT:
            return False
        return _needle_line(lines, (needle,))


class _Tracer:
    """Where one page's broken rules were written: each file read once, the page's own markup scanned once."""

    def __init__(self, page: Page | None, rules: PageRules, fallback: Path | None) -> None:
        self.page, self.rules, self.fallback = page, rules, fallback
        self._pieces: dict[tuple[str, str], tuple[int, str]] | None = None

    def locate(self, violation: Violation) -> SourceLocation | None:
        """The Markdown's own markup first (by pulldown-cmark's source ranges), then any line of the page's
        file, a data file or a site template that holds the markup, then the file alone."""
        page = self.page
        if page is not None and violation.rule != NESTING_RULE:  # a page nested too deep is not parsed again
            line = self._markdown_line(violation, page)
            if line is not None:
                return SourceLocation(page.path, line)
        files = self.rules.searched
        own = ([page.path] if page else []) + ([self.fallback] if self.fallback else [])
        for needle in violation.needles:  # the most telling needle in any file before a vaguer one
            for path in own:
                line = files.line_of(path, needle)
                if line is False:
                    return self._alone()
                if line is not None:
                    return SourceLocation(path, line)
            if needle not in files.in_search:
                files.in_search[needle] = self._in_search(needle)
            if files.in_search[needle] is not None:
                return files.in_search[needle]
        return self._alone()

    def _in_search(self, needle: str) -> SourceLocation | None:
        for path in self.rules.search:
            line = self.rules.searched.line_of(path, needle)
            if line is False:
                return None
            if line is not None:
                return SourceLocation(path, line)
        return None

    def _alone(self) -> SourceLocation | None:
        source = self.page.path if self.page else self.fallback
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
