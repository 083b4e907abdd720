"""Render many pages on every core. Markdown and Jinja2 are pure Python work, so processes, not threads."""

from __future__ import annotations

import os
import sys
import threading
from dataclasses import replace
from multiprocessing import get_context

from samizdat.content.pages import Page
from samizdat.errors import SamizdatError
from samizdat.outputs.render import RenderedPage, Renderer
from samizdat.progress import Progress
from samizdat.search.documents import searchable
from samizdat.search.entry import page_entry

PARALLEL_FROM = 400  # below this, starting workers costs more than it saves
PROGRESS_FROM = 2000  # about the number of pages that takes a couple of seconds to render

# Set before the workers fork, so each inherits the prepared renderer instead of receiving it pickled.
_renderer: Renderer | None = None
_pages: list[Page] = []


def _render_slice(bounds: tuple[int, int]) -> list[RenderedPage | SamizdatError]:
    assert _renderer is not None
    return render_all(_renderer, _pages[bounds[0]:bounds[1]])


def render_all(renderer: Renderer, pages: list[Page]) -> list[RenderedPage | SamizdatError]:
    """A page's mistake is kept, not raised, so one build reports every page's mistake at once.
    A searchable page's words are read here too, on the same core (search/entry.py): after all the
    pages are rendered, not between them, as the HTML parser and the arrays that read the words then
    run with their code and tables still in the processor's caches (per page, a third of the time)."""
    results: list[RenderedPage | SamizdatError] = []
    for page in pages:
        try:
            results.append(renderer.render(page))
        except SamizdatError as exc:
            results.append(exc)
    if renderer.has_search:
        results = [replace(result, search=page_entry(page, result.html))
                   if isinstance(result, RenderedPage) and searchable(page) else result
                   for page, result in zip(pages, results, strict=True)]
    return results


def render_pages(renderer: Renderer, pages: list[Page]) -> list[RenderedPage | SamizdatError]:
    workers = min(len(os.sched_getaffinity(0)), 8)
    # fork is unsafe in a process with other threads (the dev server): render there in-process.
    if len(pages) < PARALLEL_FROM or workers < 2 or threading.active_count() > 1 or os.name != "posix":
        return render_all(renderer, pages)
    global _renderer, _pages
    _renderer, _pages = renderer, pages
    try:
        step = -(-len(pages) // (workers * 4))  # a few slices per worker evens out uneven pages
        slices = [(start, min(start + step, len(pages))) for start in range(0, len(pages), step)]
        progress = Progress("pages", len(pages), sys.stderr, min_items=PROGRESS_FROM)
        results: list[RenderedPage | SamizdatError] = []
        with get_context("fork").Pool(workers) as pool:
            for chunk in pool.imap(_render_slice, slices):  # in order, so results line up with pages
                results += chunk
                progress.step(len(chunk))
        return results
    finally:
        _renderer, _pages = None, []
