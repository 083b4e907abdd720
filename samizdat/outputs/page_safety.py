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


def findings_of(violations: tuple[Violation, ...], page: Page | None, rules: PageRules,
                fallback: Path | None = None) -> list[Finding]:
    """One finding per broken rule, at the line to edit. `fallback`: the file to name when no source says
    more (an HTML file among assets, a page made by a template alone)."""
    return [finding(CODE, violation.message, locate(violation, page, rules, fallback), violation.hint)
            for violation in violations]


def refuse(findings: list[Finding]) -> None:
    """The build's verdict: the first broken rule, as one error."""
    if findings:
        first = findings[0]
        more = f" (and {len(findings) - 1} more; `samizdat check` lists them all)" if len(findings) > 1 else ""
        raise UnsafeMarkupError(first.message + more, first.location, first.hint)


def locate(violation: Violation, page: Page | None, rules: PageRules, fallback: Path | None) -> SourceLocation | None:
    """The Markdown's own markup first (by pulldown-cmark's source ranges), then any line of the page's
    file, a data file or a site template that holds the markup, then the file alone."""
    if page is not None and violation.rule != NESTING_RULE:  # a page nested too deep is not parsed again
        line = _markdown_line(violation, page, rules)
        if line is not None:
            return SourceLocation(page.path, line)
    paths = ([page.path] if page else []) + ([fallback] if fallback else []) + list(rules.search)
    for needle in violation.needles:  # the most telling needle in any file before a vaguer one
        for path in paths:
            line = _needle_line(_read(path).splitlines(), (needle,))
            if line is not None:
                return SourceLocation(path, line)
    source = page.path if page else fallback
    return SourceLocation(source) if source else None


def _markdown_line(violation: Violation, page: Page, rules: PageRules) -> int | None:
    """The line of the first piece of the page's own markup that breaks the same rule the same way;
    None when the page's Markdown has none (the markup came from a template, data or a shortcode)."""
    for first, markup in html_pieces(page.body):
        scan = scan_page(LexborHTMLParser(markup), frozenset(), rules.may_run_own(page.path), rules.origin)
        if any(v.rule == violation.rule and v.message == violation.message for v in scan.violations):
            tag_first = sorted(violation.needles, key=lambda needle: not needle.startswith("<"))  # where it opens
            return page.body_line + first + (_needle_line(markup.splitlines(), tuple(tag_first)) or 1) - 1
    return None


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
