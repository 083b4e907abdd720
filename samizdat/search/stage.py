"""The build's search stage: every searchable page's entry in (made and cached with its rendering,
entry.py), the index files out.

The entries come as text (entry.pack); a language none of whose entries or numbers changed keeps its files from
the last build: in this process (the dev server rebuilds in one process), or else from the build store
(`kept`, under a hash of the entries), so a one-edit `samizdat build` files one language, not all. What
decides it is each entry's hash, which the build store keeps beside the entry: the entries themselves are
read (`prefetch`) only for a language that is filed again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Protocol

from samizdat.collector import gc_paused
from samizdat.config import SiteConfig
from samizdat.content.pages import Page
from samizdat.search.documents import searchable
from samizdat.search.entry import PageEntry, page_entry, unpack
from samizdat.search.index import build_language_index, is_index_file
from samizdat.search.slots import assign


@dataclass(frozen=True)
class SearchPage:
    """What the stage takes of a rendered page: its packed entry ("" when it has none) and its HTML,
    from which the entry is made again should the packed one not read back."""

    entry: str
    html: bytes

    @property
    def entry_hash(self) -> bytes:
        """sha256 of the entry's UTF-8 (a page kept in the build store has it without its entry)."""
        return hashlib.sha256(self.entry.encode()).digest()


NO_ENTRY = hashlib.sha256(b"").digest()  # the entry hash of a page without an entry


class Kept(Protocol):
    """Files made by earlier builds, each with a hash of its inputs (build/cache/generated.py)."""

    def get(self, path: str, inputs: str) -> bytes | None: ...

    def put(self, path: str, inputs: str, data: bytes) -> None: ...


# Language code → (what its files were made from, the files), for the life of the process (the dev server).
_FILED: dict[str, tuple[tuple[object, ...], dict[str, bytes], str]] = {}  # … and the hash of what they were made from
STORED = "search-index:"  # + language code: the name of a language's files in `kept`


def search_outputs(config: SiteConfig, pages: list[Page], rendered: Mapping[str, SearchPage],
                   kept: Kept | None = None,
                   prefetch: Callable[[list[SearchPage]], None] | None = None) -> dict[str, bytes]:
    """rendered: output path → the page as rendered. Returns output path → chunk file, for every language.
    prefetch: told the pages of a language before their entries are read one by one, to read them together."""
    with gc_paused():  # millions of small lists and dicts, none in a cycle (collector.py)
        return _search_outputs(config, pages, rendered, kept, prefetch)


def _search_outputs(config: SiteConfig, pages: list[Page], rendered: Mapping[str, SearchPage],
                    kept: Kept | None, prefetch: Callable[[list[SearchPage]], None] | None) -> dict[str, bytes]:
    searched = [page for page in pages if searchable(page) and page.output_path in rendered]
    files: dict[str, bytes] = {}
    for language in config.languages:
        own = {page.url.lstrip("/"): page for page in searched if page.language == language}
        slots = assign(own)
        sources = [None if path is None else rendered[own[path].output_path] for path in slots]
        hashes = [None if page is None else page.entry_hash for page in sources]
        # Kept across builds only when every page's entry says all the index takes from it: a page's
        # HTML alone (no entry) does not hold its date or kind.
        store = kept if NO_ENTRY not in hashes else None
        # A page without an entry is indexed from its HTML, which then stands for it here.
        made_from = tuple(page.html if page is not None and digest == NO_ENTRY else digest
                          for page, digest in zip(sources, hashes, strict=True))
        known = _FILED.get(language.code)
        if known is None or known[0] != made_from:
            inputs = _inputs_hash(language.code, made_from) if store is not None else ""
            stored = (_unpacked(store.get(STORED + language.code, inputs), language.code)
                      if store is not None else None)
            if stored is None:
                if prefetch is not None:
                    prefetch([page for page in sources if page is not None])
                numbered = [None if path is None else _entry(own[path], rendered[own[path].output_path])
                            for path in slots]
                stored = build_language_index(language.code, numbered)
                _keep(store, language.code, inputs, stored)
            known = _FILED[language.code] = (made_from, stored, inputs)
        elif store is not None:  # the same files as this process's last build: their row stays in the store
            inputs = known[2] or _inputs_hash(language.code, made_from)
            if store.get(STORED + language.code, inputs) is None:
                _keep(store, language.code, inputs, known[1])
        files |= known[1]
    return files


def _keep(store: Kept | None, code: str, inputs: str, files: dict[str, bytes]) -> None:
    if store is not None:
        store.put(STORED + code, inputs, _packed(files))


def _inputs_hash(code: str, made_from: tuple[object, ...]) -> str:
    """Everything a language's files are made from: its code, and each number's entry hash or none."""
    hasher = hashlib.sha256(code.encode())
    for source in made_from:
        if source is None:
            hasher.update(b"\xff" * 8)  # an empty number: no length is this long
            continue
        data = source.encode() if isinstance(source, str) else bytes(source)  # type: ignore[arg-type]
        hasher.update(len(data).to_bytes(8, "little"))
        hasher.update(data)
    return hasher.hexdigest()


def _packed(files: dict[str, bytes]) -> bytes:
    """The files as one value for the store: each path and file after its length (eight bytes each).
    Framing is all it takes, where JSON escaped every quote in the chunks' own JSON again."""
    parts = []
    for path, data in files.items():
        name = path.encode("utf-8")
        parts += (len(name).to_bytes(8, "little"), name, len(data).to_bytes(8, "little"), data)
    return b"".join(parts)


def _unpacked(packed: bytes | None, code: str) -> dict[str, bytes] | None:
    """_packed() backwards; None for anything it cannot have written (the value comes from the store),
    or a file that is not one of the language's index files (index.is_index_file)."""
    if packed is None:
        return None
    files, view, at = {}, memoryview(packed), 0
    try:
        while at < len(view):
            fields = []
            for _ in range(2):
                size = int.from_bytes(view[at: at + 8], "little")
                if at + 8 + size > len(view) or len(view[at: at + 8]) < 8:
                    return None
                fields.append(bytes(view[at + 8: at + 8 + size]))
                at += 8 + size
            path = fields[0].decode("utf-8")
            if not is_index_file(path, code):
                return None
            files[path] = fields[1]
    except UnicodeDecodeError:
        return None
    return files



def _entry(page: Page, rendered: SearchPage) -> PageEntry:
    if rendered.entry:
        try:
            return unpack(rendered.entry)
        except ValueError:
            pass  # not what the render step writes: made again from the page, as it would be anew
    return unpack(page_entry(page, rendered.html))
