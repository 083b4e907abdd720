"""The build's search stage: every searchable page's published HTML in, the index files out.

Its only state is a memo of the pages it has already read, keyed by their bytes, kept for the life of
the process (the dev server rebuilds in one process): a save re-reads only the page that changed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

from samizdat.config import SiteConfig
from samizdat.content.pages import Page
from samizdat.search.documents import search_doc, searchable
from samizdat.search.index import IndexedDoc, build_language_index
from samizdat.search.tokens import count_terms


class _Memo:
    """Page output path → (digest of its HTML, what the index took from it)."""

    def __init__(self) -> None:
        self.entries: dict[str, tuple[bytes, IndexedDoc]] = {}

    def indexed(self, page: Page, html: bytes) -> IndexedDoc:
        digest = hashlib.blake2b(html + page.url.encode() + page.title.encode(), digest_size=16).digest()
        known = self.entries.get(page.output_path)
        if known and known[0] == digest:
            return known[1]
        doc = search_doc(page, html)
        code = page.language.code
        item = IndexedDoc(doc, count_terms(doc.text, code), count_terms(doc.title, code))
        self.entries[page.output_path] = (digest, item)
        return item

    def keep_only(self, paths: set[str]) -> None:
        for gone in self.entries.keys() - paths:
            del self.entries[gone]


_MEMO = _Memo()


def search_outputs(config: SiteConfig, pages: list[Page], html: Mapping[str, bytes]) -> dict[str, bytes]:
    """html: output path → the page as published. Returns output path → chunk file, for every language."""
    kept = [page for page in pages if searchable(page) and page.output_path in html]
    _MEMO.keep_only({page.output_path for page in kept})
    files: dict[str, bytes] = {}
    for language in config.languages:
        indexed = [_MEMO.indexed(page, html[page.output_path]) for page in kept if page.language == language]
        files |= build_language_index(language.code, indexed)
    return files
