"""A rendered page made final where it was rendered: its links cleaned, its text typeset for its language
(outputs/typography.py), its markup checked against "no code from content" (outputs/page_rules.py) and
its links hardened, all on one parse of the page (two where typesetting changed its text: the check reads
the tree the change was checked on), whose tree the search index then reads as well (search/entry.py).

This runs in the render workers (build/parallel.py), so the parse is spread over every core instead of
waiting in the main process, and a searchable page is parsed once, not twice. What needs the main
process stays there: turning a broken rule into a finding at the line to edit reads the site's files,
and only for a page that breaks one (build/render_stage.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

from samizdat.nesting import too_deep
from samizdat.outputs.links import clean_page_links
from samizdat.outputs.page_rules import Violation, nesting_violation, scan_page
from samizdat.outputs.page_safety import PageRules
from samizdat.outputs.render import RenderedPage
from samizdat.outputs.security import harden_external_links, script_hash
from samizdat.outputs.typography import typeset_tree


@dataclass(frozen=True)
class CheckedPage:
    page: RenderedPage  # html: the page as published (links cleaned and hardened); search: its entry
    scripts: tuple[str, ...]  # hashes of the inline scripts the page may run, for the security policy
    violations: tuple[Violation, ...] = ()  # the rules it breaks: the build refuses it


def check_page(rendered: RenderedPage, rules: PageRules, source: Path | None,
               read_search: Callable[[LexborHTMLParser], str] | None = None,
               language: str | None = None) -> CheckedPage:
    """The page made final. read_search: the page's search entry from the tree it was checked on (the page
    before its links were hardened: the same text, the same elements), for a searchable page; a page that
    breaks a rule is refused and gets none. language: the code its text is typeset for, where the renderer
    left that to this step (a content page's); None for a page typeset already."""
    html = clean_page_links(rendered.html)
    text = html.decode("utf-8")
    nested = too_deep(text)
    if nested is not None:  # refused before the parse, which would take minutes
        return CheckedPage(rendered, (), (nesting_violation(nested),))
    tree = LexborHTMLParser(text)
    if language is not None:
        typeset, tree = typeset_tree(text, tree, language)
        if typeset is not text:
            text, html = typeset, typeset.encode("utf-8")
    scan = scan_page(tree, rules.trusted, rules.may_run_own(source), rules.origin)
    if scan.links_to_harden:  # only those tags are rewritten; the rest stays byte for byte
        html = harden_external_links(text, rules.origin, scan.links).encode("utf-8")
    search = read_search(tree) if read_search is not None and not scan.violations else rendered.search
    final = RenderedPage(html, rendered.content, rendered.reads, search)
    return CheckedPage(final, tuple(script_hash(s) for s in scan.scripts), scan.violations)
