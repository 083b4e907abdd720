"""What a page read of other pages while it rendered, recorded rather than declared.

Templates see other pages only through listings (`collections.news(lang)`, `upcoming`, …). Here each
listed page is handed over wrapped, so every field a template touches (`item.page.title`,
`item.page.data.kicker`, a field that only a site's own override prints) is written down, as is every
listing asked for and whether a page looked at the moment that sorts meetings. The build then reuses a
page only when each of those reads gives the same answer again (see build/dependencies.py and
build/cache/reads.py), so a new field in a template needs no change in the engine.

The site-wide inputs a page uses are recorded the same way, so an edit re-renders only the pages
that used what changed. A read is a tuple of strings:
- ("page", source path, field): one attribute of a page; "data.NAME" for one front-matter field,
  "data" for all of them, "*" for the page as a whole (a method was called);
- ("list", method, language code, argument): which pages a listing gave, in which order (the
  argument is a tag page's key for `tagged` and `tag_feed`, else empty);
- ("tags", language code): every tag of a language with its count; ("tags_of", key, code): a page's tags;
  ("tag", language code, id): one tag as that language names it (how a page's own tags are recorded);
- ("moment",): which meetings are past at the build's moment;
- ("data", name): one data file (data/NAME.yaml), ("data",) for the list of them;
- ("string", language code, key): one interface string;
- ("template", name): one template file (layout, partial, shortcode, a parent it extends);
- ("image", site path): the size of an image a template asked for.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from samizdat.content.collections import Collections, Listed
from samizdat.content.pages import Page
from samizdat.content.tags import TAGS

Read = tuple[str, ...]
WHOLE_PAGE, MOMENT = "*", ("moment",)
HAS_FEED = ("has_feed",)  # whether the site has any news or meeting: every page's feed link follows it
# A listing the recorder has no precise answer for (tags, pages of a section, news pages): a page that
# used one is rendered again on every build, never reused on a guess.
UNRECORDED = ("unrecorded",)


class ReadLog:
    """The reads of one page's rendering, in first-seen order."""

    def __init__(self) -> None:
        self._reads: dict[Read, None] = {}

    def add(self, read: Read) -> None:
        self._reads[read] = None

    @property
    def reads(self) -> tuple[Read, ...]:
        return tuple(self._reads)


# The log of the page rendering now in this process (workers render one page at a time each).
_current: ContextVar[ReadLog | None] = ContextVar("samizdat_reads", default=None)


@contextmanager
def recording(log: ReadLog) -> Iterator[ReadLog]:
    token = _current.set(log)
    try:
        yield log
    finally:
        _current.reset(token)


def record(read: Read) -> None:
    """Note a read of the page rendering now; outside a page's rendering (404, mirrors) nothing."""
    log = _current.get()
    if log is not None:
        log.add(read)


class RecordedSiteData(Mapping[str, Any]):
    """The data files as templates see them (`data.photos`): each file looked up is recorded."""

    def __init__(self, data: Mapping[str, Any], log: ReadLog) -> None:
        self._data, self._log = data, log

    def __getitem__(self, key: str) -> Any:
        self._log.add(("data", key))
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        self._log.add(("data",))
        return iter(self._data)

    def __len__(self) -> int:
        self._log.add(("data",))
        return len(self._data)

    def __str__(self) -> str:
        self._log.add(("data",))
        return str(self._data)


class RecordedData(Mapping[str, Any]):
    """Another page's front matter: each field looked up is recorded; walking all of it records all."""

    def __init__(self, data: Mapping[str, Any], log: ReadLog, path: str) -> None:
        self._data, self._log, self._path = data, log, path

    def __getitem__(self, key: str) -> Any:
        self._log.add(("page", self._path, f"data.{key}"))
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        self._log.add(("page", self._path, "data"))
        return iter(self._data)

    def __len__(self) -> int:
        self._log.add(("page", self._path, "data"))
        return len(self._data)

    def __str__(self) -> str:
        self._log.add(("page", self._path, "data"))
        return str(self._data)


class RecordedPage:
    """Another page as a listing shows it: reading any attribute records it."""

    def __init__(self, page: Page, log: ReadLog) -> None:
        self._page, self._log, self._path = page, log, page.path_text

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._page, name)
        if name == "data":
            return RecordedData(value, self._log, self._path)
        self._log.add(("page", self._path, WHOLE_PAGE if callable(value) else name))
        return value

    def __str__(self) -> str:
        self._log.add(("page", self._path, WHOLE_PAGE))
        return str(self._page)


class RecordingCollections:
    """The listings as one page's templates see them; what they return and touch is recorded."""

    def __init__(self, collections: Collections, log: ReadLog, page: Page | None = None) -> None:
        self._collections, self._log, self._page = collections, log, page  # page: the one rendering
        self.meetings = collections.meetings  # their facts are site-wide inputs already

    @property
    def now(self) -> Any:
        self._log.add(MOMENT)
        return self._collections.now

    def news(self, language: Any) -> list[Listed]:
        return self._listed("news", language, self._collections.news(language))

    def all_meetings(self, language: Any) -> list[Listed]:
        return self._listed("all_meetings", language, self._collections.all_meetings(language))

    def upcoming(self, language: Any) -> list[Listed]:
        self._log.add(MOMENT)
        return self._listed("upcoming", language, self._collections.upcoming(language))

    def past_by_year(self, language: Any) -> list[tuple[int, list[Listed]]]:
        self._log.add(MOMENT)
        self._log.add(("list", "past_by_year", language.code, ""))
        return [(year, [self._wrap(item) for item in items])
                for year, items in self._collections.past_by_year(language)]

    def meeting_of(self, page: Page) -> Any:
        return self._collections.meeting_of(page)

    def news_listing(self, key: str, language: Any) -> Any:
        """A page of the news list: which posts, in what order, and the paging around them."""
        listing = self._collections.news_listing(key, language)
        self._log.add(("news_listing", key, language.code))
        return dataclasses.replace(listing, posts=[self._wrap(item) for item in listing.posts])

    def tags_of(self, key: str, language: Any) -> Any:
        tags = self._collections.tags_of(key, language)
        page = self._page
        if page is None or key != page.key or language.code != page.language.code:
            self._log.add(("tags_of", key, language.code))
        elif tags:
            # The page's own tags: their names in its front matter are in its signature; which tag each
            # name is comes from data/tags.yaml, and each tag's name and address in this language from the
            # page that used it first. Asked of every page, this is a few hundred reads, not one a page.
            self._log.add(("data", TAGS))
            for tag in tags:
                self._log.add(("tag", language.code, tag.id))
        return tags

    def tags(self, language: Any) -> Any:
        """Every tag of the language with its count (the tags page)."""
        self._log.add(("tags", language.code))
        return self._collections.tags(language)

    def tagged(self, key: str, language: Any) -> list[Listed]:
        return self._listed("tagged", language, self._collections.tagged(key, language), key)

    def tag_feed(self, key: str, language: Any) -> list[Listed]:
        return self._listed("tag_feed", language, self._collections.tag_feed(key, language), key)

    def __getattr__(self, name: str) -> Any:
        """Any other listing is handed over as it is, and marks the page as never reusable."""
        self._log.add(UNRECORDED)
        return getattr(self._collections, name)

    def _listed(self, method: str, language: Any, items: list[Listed], argument: str = "") -> list[Listed]:
        self._log.add(("list", method, language.code, argument))
        return [self._wrap(item) for item in items]

    def _wrap(self, item: Listed) -> Listed:
        return Listed(RecordedPage(item.page, self._log), item.language, item.meeting)  # type: ignore[arg-type]
