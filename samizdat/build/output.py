"""A whole built site in memory: what `build` writes, what `serve` serves and what `check` reads."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

from samizdat.build.timings import Timings
from samizdat.config import SiteConfig
from samizdat.findings import Finding
from samizdat.images.model import ImageReport

if TYPE_CHECKING:
    from samizdat.build.writer import WriteReport
    from samizdat.content.pages import Page


@dataclass(frozen=True)
class Outputs:
    """The site's files as they pass between the stages after rendering; each stage hands on a new one.

    pages: the HTML the build rendered (content pages, 404s, search and mirror pages), which the policy,
    the image stage and the publishing touches rewrite; files: what the build generated otherwise (feeds,
    sitemap, search index, header files, cleaned drawings, compressed copies); copies: site files
    published as they are. Read-only mappings: no stage can change what an earlier one handed on."""

    pages: Mapping[str, bytes]
    files: Mapping[str, bytes]
    copies: Mapping[str, Path]

    @classmethod
    def of(cls, pages: Mapping[str, bytes], files: Mapping[str, bytes], copies: Mapping[str, Path]) -> Outputs:
        return cls(MappingProxyType(dict(pages)), MappingProxyType(dict(files)), MappingProxyType(dict(copies)))

    def replace(self, pages: Mapping[str, bytes] | None = None, files: Mapping[str, bytes] | None = None,
                copies: Mapping[str, Path] | None = None) -> Outputs:
        return Outputs.of(self.pages if pages is None else pages, self.files if files is None else files,
                          self.copies if copies is None else copies)

    def in_memory(self) -> dict[str, bytes]:
        """Every file written from memory, by output path: generated files and pages."""
        return {**self.files, **self.pages}


@dataclass
class SiteOutput:
    """A whole built site in memory: what `build` writes and what `serve` serves."""

    config: SiteConfig
    pages: dict[str, bytes]  # output path → rendered bytes
    copies: dict[str, Path]  # output path → file published as it is
    findings: list[Finding] = field(default_factory=list)
    timings: Timings = field(default_factory=Timings)
    images: ImageReport | None = None
    rendered_count: int = 0  # pages rendered anew (the rest came from the cache)
    written: WriteReport | None = None
    sources: dict[str, Page] = field(default_factory=dict)  # output path → the page it was rendered from
    next_change: dt.datetime | None = None  # when a meeting next moves from upcoming to past

    @property
    def html_pages(self) -> int:
        return sum(1 for rel in self.pages if rel.endswith(".html"))


@dataclass(frozen=True)
class NothingChanged:
    """What `samizdat build` answers when every input and the output are as the last build left them:
    nothing was read, rendered or written. Its own type, so no caller mistakes it for an empty site.
    It holds no config: the answer reads nothing of the site but its files' stat data."""

    findings: tuple[Finding, ...]  # the last build's, as the user should still see them
    html_pages: int
    files: int
    images: ImageReport
    timings: Timings


BuildResult = SiteOutput | NothingChanged
