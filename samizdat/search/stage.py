"""The build's search stage: every searchable page's entry in (made and cached with its rendering,
entry.py), the index files out.

The entries come as text (entry.pack); a language none of whose entries or numbers changed keeps its files from
the last build: in this process (the dev server rebuilds in one process), or else from the build store
(`kept`, under a hash of the entries), so a one-edit `samizdat build` files one language, not all. What
decides it is each entry's hash, which the build store keeps beside the entry. A language whose pages kept
their numbers is refiled from its last filing with the changed pages' old and new entries (refile.py);
the entries of every page are read (`prefetch`) only for a language filed afresh.
"""

from __future__ import annotations

import hashlib
import json
import struct
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from functools import cached_property
from itertools import compress
from operator import ne
from typing import Protocol

import orjson

from samizdat.collector import gc_paused
from samizdat.config import Language, SiteConfig
from samizdat.content.pages import Page
from samizdat.sealed import CacheDamaged
from samizdat.search.documents import searchable
from samizdat.search.entry import PageEntry, page_entry, unpack
from samizdat.search.index import file_language, is_index_file
from samizdat.search.refile import Change, pack_stems, refile, unpack_stems
from samizdat.search.slots import assign
from samizdat.search.tokens import Stems
from samizdat.stored_files import StoredFiles


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

    def release(self) -> None:
        """The language is filed: what was read of the page for it may leave memory (a page kept in the
        build store reads it again if asked)."""


NO_ENTRY = hashlib.sha256(b"").digest()  # the entry hash of a page without an entry


class Kept(Protocol):
    """Files made by earlier builds, each with a hash of its inputs (build/cache/generated.py)."""

    def get(self, path: str, inputs: str) -> bytes | None: ...

    def put(self, path: str, inputs: str, data: bytes, digest: str | None = None) -> str | None: ...

    def latest(self, path: str) -> tuple[str, bytes] | None:
        """The file kept under `path`, whatever it was made from, with the hash of that."""

    def holds(self, path: str, inputs: str) -> bool:
        """Whether a file is kept under `path` made from `inputs`; kept for the next build if so."""

    def read(self, path: str, digest: str) -> bytes:
        """The file of this sha256 kept under `path`, read again each time (not kept in memory); CacheDamaged
        if gone. (An index file is kept under the sha256 of its bytes as its inputs.)"""


@dataclass(frozen=True)
class _Filing:
    """One language's files and what they were made from, for the next build to file from."""

    made_from: tuple[object, ...]  # each number's entry hash (or the page's HTML, should it have no entry)
    files: StoredFiles
    inputs: str  # the hash of its pages and entries the store keeps the files under ("" while it keeps none)
    # refile.Stems, when the filing can be refiled; as the store keeps them (pack_stems) until asked for
    kept_stems: Stems | bytes | None = None
    pages: tuple[SearchPage | None, ...] = ()  # each number's page, whose entry the next build may need

    @cached_property
    def stems(self) -> Stems | None:
        return unpack_stems(self.kept_stems) if isinstance(self.kept_stems, bytes) else self.kept_stems


# Language code → its last filing: the dev server's memo (build/cache/memos.py), which keeps no store.
Filings = dict[str, _Filing]
STORED = "search-filing:"  # + language code: the name of a language's filing in `kept`; its files have their own
# A filing changed in more pages than this, or than a sixteenth of the language, is made afresh: past it,
# reading every entry and weighing them all in arrays costs less than weighing the changed pages one by one.
REFILE_AT_MOST = 32


def search_outputs(config: SiteConfig, pages: list[Page], rendered: Mapping[str, SearchPage],
                   kept: Kept | None = None,
                   prefetch: Callable[[list[SearchPage]], None] | None = None,
                   replaced: Mapping[str, SearchPage] | None = None,
                   filings: Filings | None = None) -> StoredFiles:
    """rendered: output path → the page as rendered. Returns output path → chunk file, for every language
    (where there is a store, read from it when asked for: stored_files.py).
    prefetch: told the pages of a language before their entries are read one by one, to read them together.
    replaced: output path → the page the last build had there, for the pages rendered anew (their old
    entries say what a language refiled from its last filing loses: refile.py).
    filings: each language's last filing, where the caller keeps no store (the dev server), updated here."""
    with gc_paused():  # millions of small lists and dicts, none in a cycle (collector.py)
        return _search_outputs(config, pages, rendered, kept, prefetch, replaced or {},
                               filings if filings is not None else {})


def _search_outputs(config: SiteConfig, pages: list[Page], rendered: Mapping[str, SearchPage],
                    kept: Kept | None, prefetch: Callable[[list[SearchPage]], None] | None,
                    replaced: Mapping[str, SearchPage], filings: Filings) -> StoredFiles:
    by_language = _by_language(config, pages, rendered)
    languages: list[StoredFiles] = []
    for language in config.languages:
        own = by_language[language.code]
        digests = {path: rendered[page.output_path].entry_hash for path, page in own.items()}
        # Kept across builds only when every page's entry says all the index takes from it: a page's
        # HTML alone (no entry) does not hold its date or kind.
        store = kept if NO_ENTRY not in digests.values() else None
        code = language.code
        inputs = _inputs_hash(code, digests) if store is not None else ""
        # Asked before the pages are numbered: a language none of whose pages changed (most, in a one-edit
        # build) needs neither its numbers nor its last filing's hashes and stems.
        stored = _kept_filing(store, code, inputs) if store is not None else None
        if stored is not None:
            filings.pop(code, None)
            languages.append(stored.files)
            continue
        slots = assign(own)
        sources = [None if path is None else rendered[own[path].output_path] for path in slots]
        hashes = [None if path is None else digests[path] for path in slots]
        # A page without an entry is indexed from its HTML, which then stands for it here.
        made_from = tuple(hashes) if NO_ENTRY not in hashes else tuple(
            page.html if page is not None and digest == NO_ENTRY else digest
            for page, digest in zip(sources, hashes, strict=True))
        # This process's last filing: the dev server's, which keeps no store (a build with one reads it back)
        known = filings.get(code) if store is None else None
        if known is None or known.made_from != made_from:
            if NO_ENTRY not in hashes:
                last = known if known is not None and known.stems is not None else _last_stored(store, code)
                numbered_pages = [None if path is None else own[path] for path in slots]
                stored = _refiled(code, last, made_from, sources, numbered_pages, replaced)
                if stored is not None:
                    stored = _keep(store, code, inputs, stored)
            if stored is None:
                if prefetch is not None:
                    prefetch([page for page in sources if page is not None])
                numbered: list[PageEntry | None] = []
                for path in slots:
                    if path is None:
                        numbered.append(None)
                        continue
                    source = rendered[own[path].output_path]
                    numbered.append(_entry(own[path], source))
                    source.release()  # read back as an entry: the packed text may go at once
                filed, stems = file_language(code, numbered)
                stored = _keep(store, code, inputs,
                               _Filing(made_from, filed, inputs, stems if NO_ENTRY not in hashes else None))
            known = replace(stored, made_from=made_from, inputs=inputs, pages=tuple(sources))
            if store is None:
                filings[code] = known
            else:  # its stems and pages are the largest thing the stage would keep
                filings.pop(code, None)
        languages.append(known.files)
    return StoredFiles.joined(languages)


def _by_language(config: SiteConfig, pages: list[Page], rendered: Mapping[str, SearchPage],
                 ) -> dict[str, dict[str, Page]]:
    """Language code → the URL path (without its leading slash) of each of its searchable pages → the page, in
    one pass over the site (a language's code is its name in samizdat.toml: no two share one)."""
    grouped: dict[str, tuple[Language, dict[str, Page]]] = {language.code: (language, {})
                                                            for language in config.languages}
    for page in pages:
        if not searchable(page) or page.output_path not in rendered:
            continue
        group = grouped.get(page.language.code)
        # `is` first: a page's language is the config's own object, and comparing fields costs ten times more
        if group is not None and (page.language is group[0] or page.language == group[0]):
            group[1][page.url.lstrip("/")] = page
    return {code: own for code, (_, own) in grouped.items()}


def _refiled(code: str, last: _Filing | None, made_from: tuple[object, ...], sources: list[SearchPage | None],
             numbered: list[Page | None], replaced: Mapping[str, SearchPage]) -> _Filing | None:
    """The language refiled from its last filing (refile.py), when every page kept its number and the old
    entry of each changed one is at hand, with the hash the last filing has for it; else None."""
    if last is None or last.stems is None or len(last.made_from) != len(made_from):
        return None
    # the numbers whose entry hash is not the last filing's: compared in C, for a table of 8,192 numbers
    changed = list(compress(range(len(made_from)), map(ne, last.made_from, made_from)))
    held = len(made_from) - made_from.count(None)
    if not changed or len(changed) > min(REFILE_AT_MOST, max(1, held // 16)):
        return None
    changes = []
    for number in changed:
        page = numbered[number]
        if page is None or last.made_from[number] is None:
            return None  # a page came or went: numbers may have moved
        # This build's old page first; else the one the last filing in this process had (the dev server's
        # second part renders nothing: its first part replaced the page)
        before = replaced.get(page.output_path) or (last.pages[number] if last.pages else None)
        try:
            entry = before.entry if before is not None else None
        except CacheDamaged:  # a page of an earlier build in this process, its row since written over
            return None
        if entry is None or hashlib.sha256(entry.encode()).digest() != last.made_from[number]:
            return None
        try:
            old = unpack(entry)
        except ValueError:
            return None
        source = sources[number]
        assert source is not None
        changes.append(Change(number, old, _entry(page, source)))
    refiled = refile(code, last.files, last.stems, changes)
    if refiled is None:
        return None
    return _Filing(made_from, refiled[0], "", refiled[1])


def _last_stored(store: Kept | None, code: str) -> _Filing | None:
    """The filing the store keeps for the language, whatever it was made from."""
    if store is None:
        return None
    found = store.latest(STORED + code)
    return _in(store, code, found[0], _unpacked(found[1], code, store)) if found is not None else None


def _kept_filing(store: Kept, code: str, inputs: str) -> _Filing | None:
    """The filing the store keeps for the language made from `inputs`, if it holds every one of its files."""
    return _in(store, code, inputs, _unpacked(store.get(STORED + code, inputs), code, store, refiling=False))


def _in(store: Kept, code: str, inputs: str, filing: _Filing | None) -> _Filing | None:
    return filing if filing is not None and _holds(store, code, inputs, filing) else None


def _holds(store: Kept, code: str, inputs: str, filing: _Filing) -> bool:
    """Whether the store holds the filing and each of its files (which it then keeps for the next build)."""
    listed = [store.holds(path, digest) for path, digest in filing.files.stored().items()]
    return store.holds(STORED + code, inputs) and all(listed) and not filing.files.held()


def _keep(store: Kept | None, code: str, inputs: str, filing: _Filing) -> _Filing:
    """The filing, its files in the store (each under the sha256 of its bytes, so a refiled language writes
    only the files it changed) and read from it from now on; where there is no store, as it is."""
    if store is None:
        return filing
    files = filing.files
    if not all([store.holds(path, digest) for path, digest in files.stored().items()]):  # each one kept
        raise CacheDamaged("a search index file went missing from the build cache")
    for path, data in files.held().items():
        if not store.holds(path, files.digest(path)):
            store.put(path, files.digest(path), data, files.digest(path))
    store.put(STORED + code, inputs, _packed(filing))
    return replace(filing, files=files.in_store(store.read))


def _inputs_hash(code: str, digests: Mapping[str, bytes]) -> str:
    """Everything a language's files are made from: its code, and each page's address with its entry hash
    (the pages' numbers are the addresses' to give: slots.py), in the order of the addresses."""
    paths = sorted(digests)
    hashes = [digests[path] for path in paths]
    # The hashes as one text where each is a sha256 (32 bytes), as a list of texts should one not be
    listed = b"".join(hashes).hex() if set(map(len, hashes)) <= {32} else [bytes(digest).hex() for digest in hashes]
    table = [code, paths, listed]
    try:
        text = orjson.dumps(table)
    except orjson.JSONEncodeError:  # a lone surrogate, which the standard library writes as an escape
        text = json.dumps(table).encode()
    return hashlib.sha256(text).hexdigest()  # JSON reads back one way only: no two tables give the same text


# The fields of a packed filing: its files' paths (one a line: no index file's name holds a line break) and
# their sha256s (32 bytes each, in the same order), and what refiling them takes (each number's entry hash,
# the stems).
_PATHS, _DIGESTS, _HASHES, _STEMS = "#paths", "#digests", "#hashes", "#stems"
_HOLE = b"\0" * 32  # the hash written for a number no page holds


def _packed(filing: _Filing) -> bytes:
    """The filing as one value for the store: its files' paths and sha256s (the bytes are rows of their own)
    and what refiling them takes, each field after its name and length (eight bytes each). Framing is all it
    takes, where JSON escaped every quote in the stems again; the files are two fields, not two a file,
    so that a language taken as it is reads its hundreds of files in a few calls."""
    paths = list(filing.files)
    fields = {_PATHS: "\n".join(paths).encode("utf-8"),
              _DIGESTS: bytes.fromhex("".join([filing.files.digest(path) for path in paths]))}
    hashes = [_HOLE if digest is None else digest for digest in filing.made_from]
    # Kept to refile from where each number's is an entry hash (a page's HTML stands for a page without one)
    if filing.kept_stems is not None and set(map(type, hashes)) <= {bytes} and set(map(len, hashes)) <= {32}:
        fields[_HASHES] = b"".join(hashes)  # type: ignore[arg-type]
        fields[_STEMS] = filing.kept_stems if isinstance(filing.kept_stems, bytes) else pack_stems(filing.kept_stems)
    parts = []
    for field, data in fields.items():
        name = field.encode("utf-8")
        parts += (len(name).to_bytes(8, "little"), name, len(data).to_bytes(8, "little"), data)
    return b"".join(parts)


def _unpacked(packed: bytes | None, code: str, store: Kept, refiling: bool = True) -> _Filing | None:
    """_packed() backwards, its files read from `store` when asked for; None for anything it cannot have
    written (the value comes from the store), or a file that is not one of the language's index files
    (index.is_index_file). refiling: with what refiling the filing takes (its entry hashes and stems), which
    a language taken as it is does without."""
    fields = _fields(packed, (_PATHS, _DIGESTS, _HASHES, _STEMS) if refiling else (_PATHS, _DIGESTS))
    if fields is None or _PATHS not in fields or _DIGESTS not in fields:
        return None
    try:
        paths = fields[_PATHS].decode("utf-8").split("\n") if fields[_PATHS] else []
    except UnicodeDecodeError:
        return None
    digests = fields[_DIGESTS].hex()
    if len(digests) != 64 * len(paths) or not all(is_index_file(path, code) for path in paths):
        return None
    files = StoredFiles(stored={path: digests[64 * at: 64 * at + 64] for at, path in enumerate(paths)},
                        read=store.read)
    hashes = fields.get(_HASHES, b"")
    if _STEMS not in fields or len(hashes) % 32:
        return _Filing((), files, "")
    numbers = struct.unpack("32s" * (len(hashes) // 32), hashes)  # a third of the time of slicing 8,192 times
    made_from = tuple([None if digest == _HOLE else digest for digest in numbers])
    return _Filing(made_from, files, "", fields[_STEMS])  # the stems are read if the language is refiled


def _fields(packed: bytes | None, wanted: tuple[str, ...]) -> dict[str, bytes] | None:
    """The fields of a packed filing named in `wanted` (the rest are passed over unread); None where it has
    a field twice, one _packed() does not write, or does not end where its last field does."""
    if packed is None:
        return None
    fields: dict[str, bytes] = {}
    seen: set[str] = set()
    view, at = memoryview(packed), 0
    while at < len(view):
        found = []
        for _ in range(2):
            size = int.from_bytes(view[at: at + 8], "little")
            if at + 8 + size > len(view) or len(view[at: at + 8]) < 8:
                return None
            found.append(view[at + 8: at + 8 + size])
            at += 8 + size
        name = bytes(found[0])
        field = name.decode("utf-8", "replace")
        if field not in (_PATHS, _DIGESTS, _HASHES, _STEMS) or field in seen:
            return None
        seen.add(field)
        if field in wanted:
            fields[field] = bytes(found[1])
    return fields


def _entry(page: Page, rendered: SearchPage) -> PageEntry:
    if rendered.entry:
        try:
            return unpack(rendered.entry)
        except ValueError:
            pass  # not what the render step writes: made again from the page, as it would be anew
    return unpack(page_entry(page, rendered.html))
