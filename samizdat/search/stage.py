"""The build's search stage: every searchable page's entry in (made and cached with its rendering,
entry.py), the index files out.

The entries come as JSON text; a language none of whose entries or numbers changed keeps its files from
the last build in this process (the dev server rebuilds in one process): a save rebuilds one language.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from samizdat.config import SiteConfig
from samizdat.content.pages import Page
from samizdat.search.documents import searchable
from samizdat.search.entry import PageEntry, page_entry, unpack
from samizdat.search.index import build_language_index
from samizdat.search.slots import assign


@dataclass(frozen=True)
class SearchPage:
    """What the stage takes of a rendered page: its packed entry ("" when it has none) and its HTML,
    from which the entry is made again should the packed one not read back."""

    entry: str
    html: bytes


# Language code → (what its files were made from, the files), for the life of the process (the dev server).
_FILED: dict[str, tuple[tuple[object, ...], dict[str, bytes]]] = {}


def search_outputs(config: SiteConfig, pages: list[Page], rendered: Mapping[str, SearchPage]) -> dict[str, bytes]:
    """rendered: output path → the page as rendered. Returns output path → chunk file, for every language."""
    kept = [page for page in pages if searchable(page) and page.output_path in rendered]
    files: dict[str, bytes] = {}
    for language in config.languages:
        own = {page.url.lstrip("/"): page for page in kept if page.language == language}
        slots = assign(own)
        sources = [None if path is None else rendered[own[path].output_path] for path in slots]
        made_from = tuple(None if page is None else page.entry or page.html for page in sources)
        known = _FILED.get(language.code)
        if known is None or known[0] != made_from:
            numbered = [None if path is None else _entry(own[path], rendered[own[path].output_path])
                        for path in slots]
            known = _FILED[language.code] = (made_from, build_language_index(language.code, numbered))
        files |= known[1]
    return files


def _entry(page: Page, rendered: SearchPage) -> PageEntry:
    if rendered.entry:
        try:
            return unpack(rendered.entry)
        except ValueError:
            pass  # not what the render step writes: made again from the page, as it would be anew
    return unpack(page_entry(page, rendered.html))
