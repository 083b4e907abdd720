"""Listings: meetings (upcoming first, then past by year) and news, per language, with fallbacks.

A meeting or post missing in a language is still listed there, in the default language's version,
so a visitor never misses a protest because its text was not translated yet.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass
from itertools import groupby

from samizdat.config import Language, SiteConfig
from samizdat.content.meetings import Meeting
from samizdat.content.news_pages import Derived, derived, per_page
from samizdat.content.pages import Page
from samizdat.content.tags import Tag, TagIndex
from samizdat.content.translations import TranslationIndex
from samizdat.errors import ContentError, SourceLocation
from samizdat.findings import Finding

NEWS, MEETINGS = "news", "meetings"


@dataclass(frozen=True)
class Listed:
    page: Page  # the version shown: the listing's language, or a fallback
    language: Language  # the listing's language
    meeting: Meeting | None = None

    @property
    def fallback(self) -> bool:
        return self.page.language.code != self.language.code


@dataclass(frozen=True)
class NewsListing:
    posts: list[Listed]
    number: int  # this page of the list, from 1
    count: int  # pages in the list
    year: int | None  # the year shown, on a yearly page
    years: list[int]  # every year with posts, newest first, when there is more than one

    def page_key(self, number: int) -> str:
        """The translation key of a page of the list, for url_of()."""
        return NEWS if number == 1 else f"{NEWS}/page/{number}"


class Collections:
    def __init__(self, config: SiteConfig, index: TranslationIndex, meetings: dict[str, Meeting],
                 now: dt.datetime, tags: TagIndex | None = None) -> None:
        self.config, self.index, self.now = config, index, now
        self.tag_index = tags or TagIndex({}, {}, {})
        self.meetings = meetings
        self._keys = {
            section: sorted(key for key in index.by_key if key.startswith(section + "/") and derived(key) is None)
            for section in (NEWS, MEETINGS)
        }
        self._news: dict[str, list[Listed]] = {}  # language code → its news, newest first
        self._years: dict[str, dict[int, list[Listed]]] = {}  # language code → year → its news, newest first
        self._tagged: dict[tuple[str, str], list[Listed]] = {}  # (language code, tag page's key) → its pages
        # A feed's path → (what its order depends on besides the listings, its newest entries in order)
        self._newest: dict[str, tuple[object, list[Listed]]] = {}
        self.per_page = per_page([page for group in index.by_key.values() for page in group.values()], config)

    @property
    def has_feed(self) -> bool:
        """Whether the feeds have anything: every language's feed lists the others' posts as fallbacks."""
        return bool(self._keys[NEWS] or self._keys[MEETINGS])

    def meeting_of(self, page: Page) -> Meeting | None:
        return self.meetings.get(page.slug) if page.section == MEETINGS and page.key != MEETINGS else None

    def news(self, language: Language) -> list[Listed]:
        # Every news page and every page with the latest posts asks: sorted once a language, a copy each.
        return list(self._sorted_news(language))

    def _sorted_news(self, language: Language) -> list[Listed]:
        known = self._news.get(language.code)
        if known is None:
            items = [Listed(self._version(key, language), language) for key in self._keys[NEWS]]
            known = self._news[language.code] = sorted(
                items, key=lambda item: (item.page.date or dt.date.min, item.page.key), reverse=True)
        return known

    def _news_years(self, language: Language) -> dict[int, list[Listed]]:
        """A language's posts by year, newest year first: each page of the list asks (hundreds at 10,000
        pages), and going over every post for each was most of answering their reads."""
        known = self._years.get(language.code)
        if known is None:
            known = self._years[language.code] = {}
            for item in self._sorted_news(language):
                if item.page.date:
                    known.setdefault(item.page.date.year, []).append(item)
            known = self._years[language.code] = dict(sorted(known.items(), reverse=True))
        return known

    def news_listing(self, key: str, language: Language) -> NewsListing:
        """What one page of the news section shows: a page of the list, or a year's posts."""
        where = derived(key) or Derived(1, None)
        posts = self._sorted_news(language)
        by_year = self._news_years(language)
        years = list(by_year)
        count = max(1, math.ceil(len(posts) / self.per_page))
        if where.year is not None:
            shown = list(by_year.get(where.year, []))
        else:
            shown = posts[(where.number - 1) * self.per_page: where.number * self.per_page]
        return NewsListing(shown, where.number, count, where.year, years if len(years) > 1 else [])

    def tags_of(self, key: str, language: Language) -> list[Tag]:
        """The tags of a page (by its key) in this language, for the links under its text."""
        return self.tag_index.of_page.get((language.code, key), [])

    def tags(self, language: Language) -> list[tuple[Tag, int]]:
        """Every tag used in this language, with how many pages have it, by name."""
        found = [(tag, len(self.tag_index.tagged[(code, tag_id)]))
                 for (code, tag_id), tag in self.tag_index.tags.items() if code == language.code]
        return sorted(found, key=lambda pair: pair[0].name.casefold())

    def tagged(self, key: str, language: Language) -> list[Listed]:
        """The pages with one tag (a tag page's key, tags/<id>), newest first, then by title."""
        return list(self._sorted_tagged(key, language))

    def _sorted_tagged(self, key: str, language: Language) -> list[Listed]:
        # The tag's page, its feed and the check of every page that read them ask: sorted once a build.
        known = self._tagged.get((language.code, key))
        if known is None:
            pages = self.tag_index.tagged.get((language.code, key.removeprefix("tags/")), [])
            items = [Listed(page, language, self.meeting_of(page)) for page in pages]
            known = self._tagged[(language.code, key)] = sorted(
                items, key=lambda item: (-(_day(item).toordinal()), item.page.title.casefold()))
        return known

    def tag_feed(self, key: str, language: Language) -> list[Listed]:
        """What a tag's feed holds: its dated pages (posts, meetings); none, and there is no feed."""
        return [item for item in self._sorted_tagged(key, language) if item.meeting or item.page.date]

    def all_meetings(self, language: Language) -> list[Listed]:
        items = [
            Listed(self._version(key, language), language, self.meetings[key.split("/", 1)[1]])
            for key in self._keys[MEETINGS]
        ]
        return sorted(items, key=lambda item: item.meeting.starts_at if item.meeting else self.now)

    def upcoming(self, language: Language) -> list[Listed]:
        """As of the build; pages also carry the end times so a script can hide what passed since."""
        return [item for item in self.all_meetings(language) if item.meeting and not item.meeting.is_past(self.now)]

    def past_by_year(self, language: Language) -> list[tuple[int, list[Listed]]]:
        past = [item for item in self.all_meetings(language) if item.meeting and item.meeting.is_past(self.now)]
        past.reverse()
        return [(year, list(group)) for year, group in groupby(past, key=_year)]

    def pages_in(self, section: str, language: Language) -> list[Listed]:
        """The pages below a folder (`projects` lists projects/housing, projects/help…), the folder's own
        index page left out, ordered by their `weight:` (smaller first), then by title."""
        section = section.strip("/")
        keys = [key for key in self.index.by_key if key.startswith(section + "/")] if section else []
        items = [Listed(self._version(key, language), language) for key in keys]
        return sorted(items, key=lambda item: (_weight(item.page), item.page.title.casefold(), item.page.key))

    def _version(self, key: str, language: Language) -> Page:
        group = self.index.by_key[key]
        return group.get(language.code) or group.get(self.config.default_language.code) or next(iter(group.values()))


# Not methods: templates see the listings' methods (docs/templates.md), and these two are the build's.

def carry_over(collections: Collections, last: Collections, pairs: dict[int, tuple[Page, Page]]) -> None:
    """Give `collections` the last build's sorted news and tag lists and feeds' entries, for a save that
    changed nothing but bodies (build/body_only.py): the same lists, with each replaced page (pairs: id of
    the old page → old and new page) in place of the old one. The lists are never changed once made: those
    that hold no replaced page are taken as they are."""
    def swapped(items: list[Listed]) -> list[Listed]:
        return [Listed(pair[1], item.language, item.meeting)
                if (pair := pairs.get(id(item.page))) is not None and pair[0] is item.page else item
                for item in items]

    news = any(old.section == NEWS for old, _ in pairs.values())
    for code, items in last._news.items():
        collections._news[code] = swapped(items) if news else items
    tagged = {(old.language.code, f"tags/{tag.id}") for old, _ in pairs.values()
              for tag in last.tag_index.of_page.get((old.language.code, old.key), [])}
    for where, items in last._tagged.items():
        collections._tagged[where] = swapped(items) if where in tagged else items
    # A feed's entries are a few dozen: every list is looked over
    collections._newest = {path: (depends, swapped(items)) for path, (depends, items) in last._newest.items()}


def feed_newest(collections: Collections, path: str, depends: object,
                choose: Callable[[], list[Listed]]) -> list[Listed]:
    """A feed's newest entries (outputs/syndication.py chooses them): once a build, or from the last one
    (carry_over) when `depends` (the build's day) is the same."""
    known = collections._newest.get(path)
    if known is None or known[0] != depends:
        known = collections._newest[path] = (depends, choose())
    return known[1]


def check_meeting_pages(pages: list[Page], meetings: dict[str, Meeting]) -> list[Finding]:
    """Every meeting text needs its facts file; a facts file without any text is reported."""
    texts = {page.slug for page in pages if page.section == MEETINGS and page.key != MEETINGS}
    for page in pages:
        if page.section == MEETINGS and page.key != MEETINGS and page.slug not in meetings:
            raise ContentError(
                f"meeting text without facts: there is no meetings/{page.slug}.yaml",
                SourceLocation(page.path),
                hint="create it with `samizdat new meeting`, or check the file name",
            )
    clocks = [Finding("warning", message, SourceLocation(meeting.path, line), hint=hint)
              for meeting in meetings.values() for line, message, hint in meeting.clock_notes]
    return clocks + [
        Finding("warning", "meeting has no text page in any language", SourceLocation(meeting.path),
                hint=f"add content/<language>/meetings/{meeting.id}.md")
        for meeting_id, meeting in meetings.items() if meeting_id not in texts
    ]


def _year(item: Listed) -> int:
    return item.meeting.starts_at.year if item.meeting else 0


def _weight(page: Page) -> int:
    value = page.data.get("weight")
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _day(item: Listed) -> dt.date:
    if item.meeting is not None:
        return item.meeting.starts_at.date()
    return item.page.date or dt.date.min
