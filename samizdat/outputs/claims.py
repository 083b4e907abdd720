"""Who writes each output file: a page, a file of the site, or the build itself (sitemap, feeds, headers…).

Two writers of one file are an error naming both, so that a page never vanishes behind the sitemap and
a static file never silently replaces a page. So are two names that a disk on a Mac or on Windows takes
for one file (About/ and about/, a Korean name in NFC and in NFD), a file where another output needs a
folder, and a file where the build puts a precompressed copy of another (name.gz, name.br).
"""

from __future__ import annotations

import posixpath
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import NamedTuple, Protocol

from samizdat.content.pages import Page
from samizdat.errors import ContentError, SourceLocation

COMPRESSED_SUFFIXES = (".gz", ".br")  # what precompressing writes beside a text file


class Claim(NamedTuple):
    """One writer of one output file. Places are worked out only for an error: thousands of claims pass
    (a tuple: made for every page twice a build, where a frozen dataclass took a microsecond each)."""

    output: str  # the file below the output folder
    page: Page | None = None
    file: Path | None = None  # a file published as it is; neither: a file the build makes itself

    @property
    def kind(self) -> str:
        return "page" if self.page else "file" if self.file else "generated file"

    @property
    def owner(self) -> str:
        if self.page:
            return f"the page {SourceLocation(self.page.path)}"
        return f"the file {SourceLocation(self.file)}" if self.file else f"the build's own {self.output}"

    @property
    def location(self) -> SourceLocation | None:
        if self.page:
            return self.page.location("permalink") if "permalink" in self.page.data else self.page.location()
        return SourceLocation(self.file) if self.file else None

    @property
    def url(self) -> str:
        return "/" + self.output.removesuffix("index.html")


def page_claims(pages: Iterable[Page]) -> list[Claim]:
    return [Claim(page.output_path, page) for page in pages]


def file_claims(copies: Mapping[str, Path]) -> list[Claim]:
    return [Claim(rel, None, path) for rel, path in copies.items()]


def generated_claims(outputs: Iterable[str]) -> list[Claim]:
    return [Claim(rel) for rel in outputs]


def disk_key(output: str) -> str:
    """The name a case-insensitive, normalising disk (macOS, Windows) sees: one key, one file."""
    if output.isascii():
        return output.lower()
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", output).casefold())


class Passed(Protocol):
    """Lists of outputs that passed the check lately: whether claims clash depends on their outputs alone. The
    dev server's memo holds the last few (RecentPasses); a build that keeps its state in the store files the
    hash of the last list of each check (build/cache/generated.py: FiledPasses)."""

    def __contains__(self, outputs: object) -> bool: ...

    def add(self, outputs: tuple[str, ...]) -> None: ...


class RecentPasses:
    """The dev server's: it checks the same few thousand outputs on every save (twice: pages before rendering,
    every file after), so the last few lists are kept, newest first."""

    KEPT = 4

    def __init__(self) -> None:
        self.lists: list[tuple[str, ...]] = []

    def __contains__(self, outputs: object) -> bool:
        return outputs in self.lists

    def add(self, outputs: tuple[str, ...]) -> None:
        self.lists[:] = [outputs, *self.lists[:self.KEPT - 1]]


def check_claims(claims: Iterable[Claim] | Callable[[], list[Claim]], outputs: tuple[str, ...] | None = None,
                 passed: Passed | None = None) -> None:
    """claims: a list, or what makes it, with `outputs` (each claim's output, in order), so that a list that
    passed lately is not made again (a save of the dev server makes 10,000 claims for it)."""
    if outputs is not None and passed is not None and outputs in passed:
        return
    claims = list(claims() if callable(claims) else claims)
    if outputs is None:
        outputs = tuple(claim.output for claim in claims)
        if passed is not None and outputs in passed:
            return
    _check_claims(claims)
    if passed is not None:
        passed.add(outputs)


def _check_claims(claims: list[Claim]) -> None:
    by_key: dict[str, Claim] = {}
    for claim in claims:
        other = by_key.setdefault(disk_key(claim.output), claim)
        if other is not claim:
            raise _clash(claim, other, _same_file(claim, other))
    folders: dict[str, Claim] = {}  # the key of every folder some output lies in → one such output
    for key, claim in by_key.items():
        for folder in _folders(key):
            if folders.setdefault(folder, claim) is not claim:
                break  # this folder's own folders were recorded with it
    for key, claim in by_key.items():
        if key in folders:
            raise _clash(claim, folders[key], f"{claim.output} would be a file where {folders[key].output} "
                         "needs a folder")
        base, suffix = posixpath.splitext(key)
        if suffix in COMPRESSED_SUFFIXES and base in by_key:
            raise _clash(claim, by_key[base], f"{claim.output} is where the build puts the compressed copy of "
                         f"{by_key[base].output}")


def _same_file(claim: Claim, other: Claim) -> str:
    if claim.output == other.output:
        return f"both would be written to {claim.url}"
    return (f"{claim.url} and {other.url} differ only in upper and lower case or in how their letters are "
            "composed (Unicode NFC and NFD), so disks on Mac and Windows take them for one file")


def _folders(key: str) -> Iterable[str]:
    end = key.rfind("/")
    while end > 0:
        yield key[:end]
        end = key.rfind("/", 0, end)


def _clash(claim: Claim, other: Claim, why: str) -> ContentError:
    """The error points at a file of the site (the page's permalink line where there is one)."""
    if claim.location is None:
        claim, other = other, claim
    return ContentError(
        f"this {claim.kind} clashes with {other.owner}: {why}",
        claim.location,
        hint="change the permalink or rename the file; the build's own files (sitemap.xml, robots.txt, feed.xml, "
        "meetings.ics, _headers…) keep their names" if other.location is None
        else "change the permalink or rename one of the files",
    )
