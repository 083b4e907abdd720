"""Render many pages on every core, each checked and made final on the same core (page_check.py).
Markdown and Jinja2 are pure Python work, so processes, not threads."""

from __future__ import annotations

import gc
import os
import sys
import threading
from collections.abc import Iterator
from functools import partial

from samizdat.allocator import map_large_blocks
from samizdat.build.page_check import CheckedPage, check_page
from samizdat.content.pages import Page
from samizdat.errors import RunawayTemplateError, SamizdatError
from samizdat.outputs.page_safety import PageRules
from samizdat.outputs.render import RenderedPage, Renderer
from samizdat.progress import Progress
from samizdat.search import wordcount
from samizdat.search.documents import searchable
from samizdat.search.entry import tree_entry

PARALLEL_FROM = 400  # below this, starting workers costs more than it saves
PROGRESS_FROM = 2000  # about the number of pages that takes a couple of seconds to render
SLICE = 32  # pages a worker renders, then checks, then sends back together

_NOT_RENDERED = SamizdatError("not rendered: the build stopped rendering after a template ran away (above)")

# Set before the workers fork, so each inherits the prepared renderer instead of receiving it pickled.
_renderer: Renderer | None = None
_rules: PageRules | None = None
_pages: list[Page] = []


def _render_slice(bounds: tuple[int, int]) -> list[CheckedPage | SamizdatError]:
    assert _renderer is not None and _rules is not None
    return render_all(_renderer, _rules, _pages[bounds[0]:bounds[1]])


def render_all(renderer: Renderer, rules: PageRules, pages: list[Page]) -> list[CheckedPage | SamizdatError]:
    """A page's mistake is kept, not raised, so one build reports every page's mistake at once.
    Every page is rendered first, then each is checked and, when searchable, its words read from the
    tree it was checked on (search/entry.py): the HTML parser and the arrays that count the words run
    with their code and tables still in the processor's caches (done between renderings, the same work
    took a third longer)."""
    rendered: list[RenderedPage | SamizdatError] = []
    for page in pages:
        try:
            rendered.append(renderer.render(page))
        except RunawayTemplateError as exc:
            # A layout that runs away does so on every page: the rest would each take as long again.
            rendered.append(exc)
            rendered += [_NOT_RENDERED] * (len(pages) - len(rendered))
            break
        except SamizdatError as exc:
            rendered.append(exc)
    results: list[CheckedPage | SamizdatError] = []
    for page, outcome in zip(pages, rendered, strict=True):
        if isinstance(outcome, SamizdatError):
            results.append(outcome)
            continue
        read_search = partial(tree_entry, page) if renderer.has_search and searchable(page) else None
        results.append(check_page(outcome, rules, page.path, read_search, page.language.code))
    return results


def render_pages(renderer: Renderer, rules: PageRules, pages: list[Page],
                 listings: list[Page] | None = None) -> Iterator[tuple[Page, CheckedPage | SamizdatError]]:
    """Each page with its outcome as soon as it is known: the caller files each one away (the build store
    keeps its bytes on the disk), so no process holds every rendered page at once. A worker never uses the
    build store, whose connection must not cross a fork (store.py): a page's body comes from its source file
    (build/cache/sources.py).

    listings: pages that list others (tag pages, the news pages), rendered last, in this process, once the
    workers have ended. Each reads fields of hundreds of pages, and a worker that touches a page object
    copies the memory around it from the main process (reference counts): rendered in the workers, the
    listings of 3,000 linked files made the build's peak 17 MiB higher. Rendered here, they take one core
    instead of every core: rendering took 4 % longer at 3,000 linked files and 9 % at 10,002, where the
    whole cold build took 8 % longer (docs/performance.md)."""
    listings = listings or []
    workers = min(len(os.sched_getaffinity(0)), 8)
    # fork is unsafe in a process with other threads (the dev server): render there in-process.
    if (len(pages) + len(listings) < PARALLEL_FROM or workers < 2 or threading.active_count() > 1
            or os.name != "posix"):
        everything = [*pages, *listings]
        yield from zip(everything, render_all(renderer, rules, everything), strict=True)
        return
    progress = Progress("pages", len(pages) + len(listings), sys.stderr, min_items=PROGRESS_FROM)
    stopped = False
    for page, outcome in zip(pages, _render_on_workers(renderer, rules, pages, workers, progress), strict=True):
        stopped = stopped or isinstance(outcome, RunawayTemplateError)
        yield page, outcome
    for page in listings:
        # After a template ran away (as in render_all), every other page would run away as long again
        outcome = _NOT_RENDERED if stopped else render_all(renderer, rules, [page])[0]
        stopped = stopped or isinstance(outcome, RunawayTemplateError)
        progress.step(1)
        yield page, outcome


def _render_on_workers(renderer: Renderer, rules: PageRules, pages: list[Page], workers: int,
                       progress: Progress) -> Iterator[CheckedPage | SamizdatError]:
    """Each page's outcome, in the order of `pages`, rendered on `workers` forked processes."""
    from multiprocessing import get_context  # a few milliseconds a one-edit build, which renders in-process, saves

    global _renderer, _rules, _pages
    _renderer, _rules, _pages = renderer, rules, pages
    map_large_blocks()  # the workers give back the large strings they free (allocator.py)
    if renderer.has_search:
        wordcount.prepare()
    try:
        # Small slices: a worker holds one slice's pages until it sends them, and the main process until it
        # has filed them; more than a few dozen at a time saves nothing measurable.
        step = max(1, min(SLICE, -(-len(pages) // (workers * 4))))
        slices = [(start, min(start + step, len(pages))) for start in range(0, len(pages), step)]
        gc.freeze()  # the workers' collections then never walk (and copy) the site the main process built
        with get_context("fork").Pool(workers) as pool:
            done = 0
            for chunk in pool.imap(_render_slice, slices):  # in order, so outcomes line up with pages
                yield from chunk
                done += len(chunk)
                progress.step(len(chunk))
                if any(isinstance(outcome, RunawayTemplateError) for outcome in chunk):
                    # As in render_all: the other slices would each run away as long again. Leaving the
                    # pool stops the workers at once.
                    yield from [_NOT_RENDERED] * (len(pages) - done)
                    return
    finally:
        gc.unfreeze()
        _renderer, _rules, _pages = None, None, []
