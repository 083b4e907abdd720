"""The answer each recorded read (outputs/reads.py) gives on the current site, as a short hash.

A page rendered earlier is reused only when every read it made answers the same now: the same field
values of the pages it listed, the same pages in its listings in the same order, the same meetings past.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from samizdat.config import SiteConfig
from samizdat.content.collections import Collections, Listed
from samizdat.content.pages import Page
from samizdat.outputs.reads import WHOLE_PAGE, Read

MISSING = "\0missing"
Reads = tuple[tuple[Read, str], ...]  # each read with the hash of its answer


class ReadAnswers:
    """Answers on one build's site, each computed once: many pages make the same reads."""

    def __init__(self, config: SiteConfig, pages: Iterable[Page], collections: Collections) -> None:
        self._languages = {language.code: language for language in config.languages}
        self._pages = {page.path.as_posix(): page for page in pages}
        self._collections = collections
        self._known: dict[Read, str] = {}

    def hashes(self, reads: Iterable[Read]) -> Reads:
        return tuple((read, self.hash(read)) for read in reads)

    def still_true(self, recorded: Reads) -> bool:
        return all(self.hash(read) == digest for read, digest in recorded)

    def hash(self, read: Read) -> str:
        known = self._known.get(read)
        if known is None:
            known = self._known[read] = hashlib.sha256(repr(self._answer(read)).encode()).hexdigest()[:24]
        return known

    def _answer(self, read: Read) -> object:
        match read:
            case ("page", path, field):
                return self._field(path, field)
            case ("list", method, code, _):
                return self._listing(method, code)
            case ("moment",):
                return sorted(key for key, meeting in self._collections.meetings.items()
                              if meeting.is_past(self._collections.now))
        return MISSING  # a read this version does not know: never equal to a recorded hash

    def _field(self, path: str, field: str) -> object:
        page = self._pages.get(path)
        if page is None:
            return MISSING
        if field == WHOLE_PAGE:
            return (path, page.front_matter.lines, page.body)
        if field.startswith("data."):
            return page.data.get(field.removeprefix("data."), MISSING)
        return getattr(page, field, MISSING)

    def _listing(self, method: str, code: str) -> object:
        language = self._languages.get(code)
        if language is None or method not in ("news", "all_meetings", "upcoming", "past_by_year"):
            return MISSING
        if method == "past_by_year":
            return [(year, _identities(items)) for year, items in self._collections.past_by_year(language)]
        return _identities(getattr(self._collections, method)(language))


def _identities(items: list[Listed]) -> list[tuple[str, str]]:
    return [(item.page.path.as_posix(), item.meeting.id if item.meeting else "") for item in items]
