"""A whole built site in memory: what `build` writes, what `serve` serves and what `check` reads."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from samizdat.build.timings import Timings
from samizdat.config import SiteConfig
from samizdat.findings import Finding
from samizdat.images.model import ImageReport

if TYPE_CHECKING:
    from samizdat.build.writer import WriteReport
    from samizdat.content.pages import Page


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
