"""Rendering every page, from the cache where a page's inputs did not change, plus the template-only
pages (404, mirrors). Each page's links are cleaned and hardened and its markup checked where it is
rendered (page_check.py), so the cache keeps that work."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from samizdat.build.cache.pages import FinalPage, RenderCache
from samizdat.build.cache.reads import ReadBook
from samizdat.build.cache.signatures import notice_of, page_signature, site_signature
from samizdat.build.dependencies import ReadAnswers, SiteSources
from samizdat.build.load import LoadedSite
from samizdat.build.page_check import CheckedPage, check_page
from samizdat.build.parallel import render_pages
from samizdat.config import Language
from samizdat.content.pages import SECTION_LAYOUTS, Page
from samizdat.content.tags import TAGS, generated_key
from samizdat.content.translation_status import outdated_sources
from samizdat.errors import SamizdatError, raise_all
from samizdat.findings import Finding
from samizdat.outputs.page_safety import PageRules, findings_of
from samizdat.outputs.reads import Read
from samizdat.outputs.render import (
    SEARCH_FOLDER,
    SEARCH_TEMPLATE,
    VARS_CSS,
    RenderedPage,
    Renderer,
    SpecialRenderer,
)
from samizdat.outputs.views import mirrors_url
from samizdat.search.stage import SearchPage
from samizdat.theme import THEME_URL

NOT_FOUND_TEMPLATE = "404.html"
MIRRORS_TEMPLATE = "mirrors.html"


@dataclass(frozen=True)
class RenderedSite:
    pages: dict[str, FinalPage]  # output path → page
    extra: dict[str, bytes]  # template-only pages and generated theme files
    rendered_count: int  # pages rendered anew; the rest came from the cache
    rules: PageRules  # what markup pages may carry; published HTML files meet the same
    unsafe: tuple[Finding, ...] = ()  # markup that breaks "no code from content" (see page_safety.py)
    scripts: tuple[str, ...] = ()  # hashes of the theme's scripts on template-only pages (the search page)
    search: bool = False  # the theme has a search page: the build writes the index (samizdat/search/)


def render_site_pages(site: LoadedSite, cache: RenderCache) -> RenderedSite:
    outdated = outdated_sources(site.status)
    renderer = Renderer(site.config, site.theme, site.catalogs, site.index, site.data, site.collections, outdated,
                        site.language_data, cache.templates)
    rules = PageRules.for_site(site.config, frozenset(renderer.theme_scripts))
    whole_site = site_signature(site.config, site.theme, site.pages, cache.url_table)  # what every page reads
    signatures = _signatures(site, whole_site, outdated, cache.signature_memo)
    answers = ReadAnswers(site.config, site.pages, site.collections,
                          SiteSources(site.data, site.catalogs, site.theme.template_dirs))
    # A page is reused when its own inputs are the same and every read it made of others answers the same.
    cache.book.check(answers, site.unchanged, site.bodies_only)
    results = {path: hit for path, signature in signatures.items()
               if (hit := cache.get(path, signature)) and cache.book.holds(hit.reads)}
    todo = [page for page in site.pages if page.output_path not in results]
    unsafe: list[Finding] = []
    refused: set[str] = set()  # never cached: the next build must look at them again
    errors: list[SamizdatError] = []
    # Feeds and calendars need the body HTML of listed pages only; the rest keeps the cache small. A tag's
    # feed lists dated pages of any section: a tagged page keeps its body too.
    listed = {p.output_path for p in site.pages
              if (p.section in SECTION_LAYOUTS and p.key not in SECTION_LAYOUTS) or p.data.get(TAGS)}
    # Each page is filed in the build store as it comes (RenderCache.file): this process keeps its small
    # facts, and its bytes stay on the disk until a stage or the writer asks for them. The listings come
    # last (parallel.py), and the pages are then taken in their own order, as every later stage sees them.
    listings: list[Page] = []
    others: list[Page] = []
    for page in todo:
        (listings if _lists_pages(page) else others).append(page)
    made: dict[str, FinalPage] = {}
    for page, outcome in render_pages(renderer, rules, others, listings):
        if isinstance(outcome, SamizdatError):
            errors.append(outcome)
        if errors:
            continue  # the build stops: nothing more is filed
        path = page.output_path
        final, violations = _final(outcome, rules, page, (cache.book, answers), keep_content=path in listed)
        unsafe += violations
        if violations:
            refused.add(path)
        made[path] = final if violations else cache.file(path, signatures[path], final)
    raise_all(errors)
    results |= {page.output_path: made[page.output_path] for page in todo}
    # A page taken from the cache stays the same object, so that only pages rendered anew are saved again.
    cache.replace_all({path: (signatures[path], page if path in listed or not page.has_content
                              else page.without_content())
                       for path, page in results.items() if path not in refused})
    specials = _KeptSpecials(renderer, cache.special_memo, answers, whole_site)
    extra = (_not_found_pages(specials, site, results) | _mirrors_pages(specials, site, results)
             | _search_pages(specials, site, results))
    if site.collections.meetings:  # flyers are meetings': a site without any makes none
        from samizdat.build.flyer_pages import flyer_pages  # and the flyer modules, loaded for a site with meetings

        extra |= flyer_pages(specials, site, results)
    specials.forget_unused()
    scripts: set[str] = set()
    for path, html in extra.items():
        final, violations = _finish(RenderedPage(html, ""), rules)
        extra[path] = final.html
        scripts.update(final.scripts)
        unsafe += violations
    extra[THEME_URL.strip("/") + "/" + VARS_CSS] = renderer.vars_css()
    return RenderedSite(results, extra, len(todo), rules, tuple(unsafe), tuple(sorted(scripts)), renderer.has_search)


def _lists_pages(page: Page) -> bool:
    """A page made to list others: a section's index (news, meetings), a page of the news or a tag's page."""
    return page.key in SECTION_LAYOUTS or generated_key(page.key)


class _KeptSpecials:
    """The renderer, as the pages a template makes alone (404, search, mirrors, flyers) see it: the dev
    server keeps each such page between saves, and makes it again when its arguments or the site-wide
    inputs of every page changed, or a read it made answers differently. A build without a kept
    render cache (`samizdat build`) makes them all, as before."""

    def __init__(self, renderer: Renderer, memo: dict[str, tuple[tuple[tuple[Read, str], ...], bytes]],
                 answers: ReadAnswers, whole_site: str) -> None:
        self._renderer, self._memo, self._answers = renderer, memo, answers
        self._site = whole_site  # the site-wide inputs every page reads (build/cache/signatures.py)
        self._used: set[str] = set()

    @property
    def has_search(self) -> bool:
        return self._renderer.has_search

    def has_template(self, name: str) -> bool:
        return self._renderer.has_template(name)

    def string(self, code: str, key: str) -> str:
        return self._renderer.string(code, key)

    def render_special(self, name: str, language: Language, url: str, versions: dict[str, str] | None = None,
                       title: str = "", extra: dict[str, Any] | None = None) -> bytes:
        # The site-wide inputs are part of the key: when they change, every kept page is made again (and
        # the old entries are forgotten as unused).
        key = repr((self._site, name, language.code, url, sorted((versions or {}).items()), title,
                    sorted((extra or {}).items())))
        self._used.add(key)
        known = self._memo.get(key)
        if known is not None and all(self._answers.hash(read) == answer for read, answer in known[0]):
            return known[1]
        html, reads = self._renderer.render_special_with_reads(name, language, url, versions, title, extra)
        self._memo[key] = (tuple((read, self._answers.hash(read)) for read in reads), html)
        return html

    def forget_unused(self) -> None:
        for key in self._memo.keys() - self._used:
            del self._memo[key]


class StoredSearchPage(SearchPage):
    """What the search stage takes of a page (its entry, and its HTML should the entry not read back),
    each read from the store only if the stage asks for it: a page kept from the last build has only the
    hash of its entry in memory."""

    def __init__(self, page: FinalPage) -> None:  # not the dataclass's: it would set entry and html
        object.__setattr__(self, "page", page)

    @property  # type: ignore[override]
    def entry(self) -> str:
        return self.page.search  # type: ignore[attr-defined, no-any-return]

    @property  # type: ignore[override]
    def html(self) -> bytes:
        return self.page.html  # type: ignore[attr-defined, no-any-return]

    @property
    def entry_hash(self) -> bytes:
        return self.page.search_hash  # type: ignore[attr-defined, no-any-return]

    def release(self) -> None:
        self.page.forget_search()  # type: ignore[attr-defined]


def read_entries(cache: RenderCache) -> Callable[[list[SearchPage]], None]:
    """The search stage's `prefetch`: the entries of the pages kept in the store, read together."""
    def prefetch(pages: list[SearchPage]) -> None:
        cache.search_entries(page.page for page in pages if isinstance(page, StoredSearchPage))
    return prefetch


def _signatures(site: LoadedSite, whole_site: str, outdated: dict[Path, Page],
                memo: dict[str, tuple[object, ...]]) -> dict[str, str]:
    """Every page's signature. The dev server keeps its parsed pages between saves, so a page that is
    the same object with the same site-wide inputs keeps its signature without hashing its text again."""
    signatures = {}
    for item in site.parsed:
        page = item.page
        inputs = (page, whole_site, notice_of(outdated.get(page.path)) if outdated else "")
        known = memo.get(page.output_path)
        if known is not None and known[0] is page and known[1:3] == inputs[1:]:
            signatures[page.output_path] = str(known[3])
            continue
        signature = page_signature(page, whole_site, inputs[2], item.digest)
        memo[page.output_path] = (*inputs, signature)
        signatures[page.output_path] = signature
    for gone in memo.keys() - signatures.keys():
        del memo[gone]
    return signatures


def _finish(rendered: RenderedPage, rules: PageRules) -> tuple[FinalPage, list[Finding]]:
    """A page made by a template alone, checked here (pages are checked where they are rendered)."""
    return _final(check_page(rendered, rules, None), rules, None)


def _final(checked: CheckedPage, rules: PageRules, page: Page | None,
           book: tuple[ReadBook, ReadAnswers] | None = None,
           keep_content: bool = True) -> tuple[FinalPage, list[Finding]]:
    """The page as the cache keeps it, and a finding at the line to edit for each rule it breaks (which
    reads the site's files, so it is done here, not in the render workers). The page's allowed scripts go
    to the policy by hash. keep_content: False for a page no feed or calendar lists, whose body is not kept."""
    rendered = checked.page
    found = findings_of(checked.violations, page, rules) if checked.violations else []
    reads = book[0].record(rendered.reads, book[1]) if book else ()
    content = rendered.content if keep_content else ""
    return FinalPage(rendered.html, content, checked.scripts, reads, rendered.search), found


def _not_found_pages(renderer: SpecialRenderer, site: LoadedSite, rendered: dict[str, FinalPage]) -> dict[str, bytes]:
    """A 404 page per language, and the root 404.html that static hosts serve, unless the site has its own."""
    if not renderer.has_template(NOT_FOUND_TEMPLATE):
        return {}
    result = {}
    for language in site.config.languages:
        path = f"{language.prefix}/404.html" if language.prefix else "404.html"
        if path not in rendered:
            result[path] = renderer.render_special(NOT_FOUND_TEMPLATE, language, "/" + path)
    if "404.html" not in rendered and "404.html" not in result:  # static hosts look for the root one
        result["404.html"] = renderer.render_special(NOT_FOUND_TEMPLATE, site.config.default_language, "/404.html")
    return result


def _mirrors_pages(renderer: SpecialRenderer, site: LoadedSite, rendered: dict[str, FinalPage]) -> dict[str, bytes]:
    """A page per language listing the site's mirrors and how to check a copy, when there are mirrors."""
    if not site.config.publish.mirrors or not renderer.has_template(MIRRORS_TEMPLATE):
        return {}
    urls = {language.code: mirrors_url(language) for language in site.config.languages}
    return _page_per_language(renderer, site, rendered, MIRRORS_TEMPLATE, urls, "mirrors_title")


def _search_pages(renderer: SpecialRenderer, site: LoadedSite, rendered: dict[str, FinalPage]) -> dict[str, bytes]:
    """A search page per language, when the theme has one."""
    if not renderer.has_search:
        return {}
    urls = {language.code: f"{language.root_url}{SEARCH_FOLDER}/" for language in site.config.languages}
    return _page_per_language(renderer, site, rendered, SEARCH_TEMPLATE, urls, "search_title")


def _page_per_language(renderer: SpecialRenderer, site: LoadedSite, rendered: dict[str, FinalPage], template: str,
                       urls: dict[str, str], title_key: str) -> dict[str, bytes]:
    """One page of `template` per language at `urls` (each the others' translation); a page of the site's
    own at that address wins."""
    result = {}
    for language in site.config.languages:
        url = urls[language.code]
        path = url.lstrip("/") + "index.html"
        if path not in rendered:
            title = renderer.string(language.code, title_key)
            result[path] = renderer.render_special(template, language, url, urls, title)
    return result
