"""The build's search stage: every searchable page's published HTML in, the index files out.

Its only state is a memo of the pages it has already read, keyed by their bytes, kept for the life of
the process (the dev server rebuilds in one process): a save re-reads only the page that changed,
and re-encodes only the index chunks it touches.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

from samizdat.config import SiteConfig
from samizdat.content.pages import Page
from samizdat.search.documents import search_doc, searchable
from samizdat.search.incremental import IncrementalIndex
from samizdat.search.index import IndexedDoc
from samizdat.search.tokens import count_terms


def analyse(page: Page, html: bytes) -> IndexedDoc:
    doc = search_doc(page, html)
    code = page.language.code
    return IndexedDoc(doc, count_terms(doc.text, code), count_terms(doc.title, code))


class _Memo:
    """Page output path → (digest of its HTML, what the index took from it)."""

    def __init__(self) -> None:
        self.entries: dict[str, tuple[bytes, IndexedDoc]] = {}
        self.languages: dict[str, IncrementalIndex] = {}
        self.seen: dict[str, tuple[bytes, str, str, bytes]] = {}  # path → (the HTML hashed, url, title, digest)

    def language_files(self, code: str, paths: list[str]) -> dict[str, bytes]:
        """A save re-encodes only the chunks the changed pages touch (incremental.py)."""
        index = self.languages.setdefault(code, IncrementalIndex(code))
        return dict(index.update([self.entries[path][1] for path in paths]))

    def analysed(self, pages: list[Page], html: Mapping[str, bytes]) -> dict[str, IndexedDoc]:
        digests = {page.output_path: self._digest(page, html[page.output_path]) for page in pages}
        todo = [page for page in pages if self.entries.get(page.output_path, (b"",))[0] != digests[page.output_path]]
        for page in todo:  # on every core measured slower: the analysis is small beside pickling it back
            self.entries[page.output_path] = (digests[page.output_path], analyse(page, html[page.output_path]))
        for gone in self.entries.keys() - digests.keys():
            del self.entries[gone]
            self.seen.pop(gone, None)
        return {path: self.entries[path][1] for path in digests}

    def _digest(self, page: Page, html: bytes) -> bytes:
        """A page the render cache handed over unchanged is the very same bytes object: not hashed again."""
        seen = self.seen.get(page.output_path)
        if seen is not None and seen[0] is html and seen[1] == page.url and seen[2] == page.title:
            return seen[3]
        digest = hashlib.blake2b(html + page.url.encode() + page.title.encode(), digest_size=16).digest()
        self.seen[page.output_path] = (html, page.url, page.title, digest)
        return digest


_MEMO = _Memo()


def search_outputs(config: SiteConfig, pages: list[Page], html: Mapping[str, bytes]) -> dict[str, bytes]:
    """html: output path → the page as published. Returns output path → chunk file, for every language."""
    kept = [page for page in pages if searchable(page) and page.output_path in html]
    _MEMO.analysed(kept, html)
    files: dict[str, bytes] = {}
    for language in config.languages:
        paths = [page.output_path for page in kept if page.language == language]
        files |= _MEMO.language_files(language.code, paths)
    return files
