"""A whole built site in memory: what `build` writes, what `serve` serves and what `check` reads."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar

from samizdat.build.nothing_changed import NothingChanged
from samizdat.build.timings import Timings

if TYPE_CHECKING:  # "nothing changed" is answered without the config and its locale data
    from samizdat.build.cache.pages import FinalPage
    from samizdat.build.publication import WriteReport
    from samizdat.config import SiteConfig
    from samizdat.content.pages import Page
    from samizdat.findings import Finding
    from samizdat.images.report import ImageReport


class HashedFiles(Protocol):
    """Files kept outside the process's memory, each read when asked for, their hashes known without
    their bytes (the feeds, the sitemap, a language's search index files: stored_files.py)."""

    def __getitem__(self, rel: str) -> bytes: ...

    def __iter__(self) -> Iterator[str]: ...

    def digest(self, rel: str) -> str: ...


class Pages(Mapping[str, bytes]):
    """Output path → bytes, read-only. A page no stage has rewritten since it was rendered keeps its
    `FinalPage` (`as_rendered`), whose facts (the hash of its bytes, its policy tag, whether it shows an
    image) answer a later stage without the bytes: a page kept from the last build has them in the store
    only (build/cache/pages.py), and a one-edit build reads them for the few pages it changes. Files
    `kept` (HashedFiles) are read each time they are asked for, and publication asks only for those the
    output lacks (`as_stored`)."""

    __slots__ = ("_bytes", "_kept", "_kept_names", "_rendered")

    def __init__(self, rendered: Mapping[str, FinalPage] | None = None,
                 written: Mapping[str, bytes] | None = None, kept: HashedFiles | None = None) -> None:
        self._bytes: dict[str, bytes] = dict(written or {})
        self._rendered: dict[str, FinalPage] = {rel: page for rel, page in (rendered or {}).items()
                                                if rel not in self._bytes}
        self._kept = kept
        self._kept_names: dict[str, None] = {} if kept is None else dict.fromkeys(
            rel for rel in kept if rel not in self._bytes and rel not in self._rendered)

    def __getitem__(self, rel: str) -> bytes:
        data = self._bytes.get(rel)
        if data is not None:
            return data
        page = self._rendered.get(rel)
        if page is not None:
            return page.html
        if rel in self._kept_names:
            assert self._kept is not None
            return self._kept[rel]
        raise KeyError(rel)

    def __contains__(self, rel: object) -> bool:
        return rel in self._bytes or rel in self._rendered or rel in self._kept_names

    def __iter__(self) -> Iterator[str]:
        yield from self._rendered
        yield from self._bytes
        yield from self._kept_names

    def __len__(self) -> int:
        return len(self._rendered) + len(self._bytes) + len(self._kept_names)

    def as_rendered(self, rel: str) -> FinalPage | None:
        """The page as rendered, while no stage has given it other bytes."""
        return self._rendered.get(rel)

    def as_stored(self, rel: str) -> tuple[Callable[[], bytes], str] | None:
        """A reader of the bytes that does not keep them, and their sha256, for a file whose bytes need not
        be in memory (a page as rendered, a kept file); None for bytes a stage made."""
        page = self._rendered.get(rel)
        if page is not None:
            return page.read_html, page.digest
        if rel in self._kept_names:
            kept = self._kept
            assert kept is not None
            return (lambda: kept[rel]), kept.digest(rel)
        return None

    def replace(self, changed: Mapping[str, bytes]) -> Pages:
        """These pages with new bytes; the rest as they are."""
        return Pages(self._rendered, {**self._bytes, **changed}, self._kept) if changed else self

    def beside(self, files: Mapping[str, bytes]) -> Pages:
        """These pages and other files (a page wins over a file of the same name). The kept files stay
        kept: each Pages takes from them only the names nothing else it holds has (__init__)."""
        if not isinstance(files, Pages):
            return Pages(self._rendered, {**{rel: data for rel, data in files.items() if rel not in self},
                                          **self._bytes}, self._kept)
        if self._kept_names and files._kept_names:
            raise ValueError("kept files on both sides")  # one store's, all of them files, never pages
        return Pages({**{rel: page for rel, page in files._rendered.items() if rel not in self}, **self._rendered},
                     {**{rel: data for rel, data in files._bytes.items() if rel not in self}, **self._bytes},
                     self._kept if self._kept_names else files._kept)


Item = TypeVar("Item")
Value = TypeVar("Value")


class Column(Mapping[str, Value], Generic[Item, Value]):
    """One field of each item, taken when asked for: a stage that reads the body HTML of the listed
    pages does not make every page kept in the store read its own."""

    __slots__ = ("_field", "_items")

    def __init__(self, items: Mapping[str, Item], field: Callable[[Item], Value]) -> None:
        self._items, self._field = items, field

    def __getitem__(self, key: str) -> Value:
        return self._field(self._items[key])

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)


@dataclass(frozen=True)
class Outputs:
    """The site's files as they pass between the stages after rendering; each stage hands on a new one.

    pages: the HTML the build rendered (content pages, 404s, search and mirror pages), which the policy,
    the image stage and the publishing touches rewrite; files: what the build generated otherwise (feeds,
    sitemap, search index, header files, cleaned drawings, compressed copies); copies: site files
    published as they are. Read-only mappings: no stage can change what an earlier one handed on."""

    pages: Pages
    files: Pages  # written from memory, or kept in the store and read when asked for (feeds, search index)
    copies: Mapping[str, Path]

    @classmethod
    def of(cls, pages: Mapping[str, bytes], files: Mapping[str, bytes], copies: Mapping[str, Path]) -> Outputs:
        return cls(pages if isinstance(pages, Pages) else Pages(written=pages),
                   files if isinstance(files, Pages) else Pages(written=files), MappingProxyType(dict(copies)))

    def replace(self, pages: Mapping[str, bytes] | None = None, files: Mapping[str, bytes] | None = None,
                copies: Mapping[str, Path] | None = None) -> Outputs:
        return Outputs.of(self.pages if pages is None else pages, self.files if files is None else files,
                          self.copies if copies is None else copies)

    def in_memory(self) -> Pages:
        """Every file written from memory, by output path: generated files and pages."""
        return self.pages.beside(self.files)


@dataclass
class SiteOutput:
    """A whole built site in memory: what `build` writes and what `serve` serves."""

    config: SiteConfig
    pages: Mapping[str, bytes]  # output path → rendered bytes (a `Pages` from the pipeline)
    copies: dict[str, Path]  # output path → file published as it is
    findings: list[Finding] = field(default_factory=list)
    timings: Timings = field(default_factory=Timings)
    images: ImageReport | None = None
    rendered_count: int = 0  # pages rendered anew (the rest came from the cache)
    written: WriteReport | None = None
    sources: dict[str, Page] = field(default_factory=dict)  # output path → the page it was rendered from
    next_change: dt.datetime | None = None  # when a meeting next moves from upcoming to past
    # Stages left out on purpose (BuildOptions.search_index): every file it holds is final, the files of
    # these stages are missing. Empty for every build that is written, checked or published.
    later: tuple[str, ...] = ()

    @property
    def html_pages(self) -> int:
        return sum(1 for rel in self.pages if rel.endswith(".html"))


BuildResult = SiteOutput | NothingChanged
