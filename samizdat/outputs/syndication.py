"""What other programs read: Atom feeds, iCalendar files, the sitemap and robots.txt."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Mapping
from typing import Protocol

from samizdat.config import CONFIG_NAME, Language, SiteConfig
from samizdat.content.collections import Collections, Listed, feed_newest
from samizdat.content.pages import Page
from samizdat.content.translations import TranslationIndex
from samizdat.i18n.strings import Catalogs, fill
from samizdat.outputs import paths
from samizdat.outputs.feed_times import build_day, entry_times, first_start
from samizdat.outputs.feeds import FEED_ENTRIES, FeedEntry, atom_bytes
from samizdat.outputs.links import clean_page_links
from samizdat.outputs.sitemap import EntryTexts, SitemapEntry, robots_bytes, sitemap_bytes
from samizdat.stored_files import StoredFiles


class Kept(Protocol):
    """Files made by earlier builds, each with a hash of its inputs (build/cache/generated.py)."""

    def get(self, path: str, inputs: str) -> bytes | None: ...

    def filed(self, path: str, inputs: str) -> str | None:
        """The sha256 of the file made from `inputs` kept in the store under `path`, not read; None if not kept
        there (`get` answers a file held in memory)."""

    def put(self, path: str, inputs: str, data: bytes) -> str | None:
        """Kept; the sha256 of `data` when it went into the store at once (it is read from there when asked for)."""

    def read(self, path: str, digest: str) -> bytes: ...

    def inputs_of(self, path: str, table: tuple[object, ...], hashed: Callable[[tuple[object, ...]], str]) -> str:
        """hashed(table), or the hash of an equal table given for `path` before."""


class _Nothing:
    def get(self, path: str, inputs: str) -> bytes | None:
        return None

    def filed(self, path: str, inputs: str) -> str | None:
        return None

    def put(self, path: str, inputs: str, data: bytes) -> str | None:
        return None

    def read(self, path: str, digest: str) -> bytes:
        raise KeyError(path)  # nothing is ever filed here

    def inputs_of(self, path: str, table: tuple[object, ...], hashed: Callable[[tuple[object, ...]], str]) -> str:
        return hashed(table)


class _Made:
    """The stage's files: held in memory, or named by the sha256 of their bytes where the store keeps them.
    A feed carries its entries' whole bodies (21 MB of feeds on a 3,000-page site): kept in the store, it
    is read only if publication finds the live output without it."""

    def __init__(self, kept: Kept) -> None:
        self.kept = kept
        self.held: dict[str, bytes] = {}
        self.stored: dict[str, str] = {}  # path → sha256 of the bytes kept in the store

    def add(self, path: str, data: bytes) -> None:
        self.held[path] = data

    def kept_or_made(self, path: str, inputs: str, make: Callable[[], bytes]) -> None:
        """The file kept from `inputs` (not read, where the store has it), or made and kept."""
        digest = self.kept.filed(path, inputs)
        if digest is None:
            data = self.kept.get(path, inputs)
            if data is None:
                data = make()
                digest = self.kept.put(path, inputs, data)
            if digest is None:
                self.held[path] = data
                return
        self.stored[path] = digest

    def files(self) -> StoredFiles:
        return StoredFiles(self.held, self.stored, self.kept.read if self.stored else None)


def syndication_outputs(config: SiteConfig, pages: list[Page], index: TranslationIndex, collections: Collections,
                        contents: Mapping[str, str], catalogs: Catalogs, kept: Kept | None = None,
                        content_hashes: Mapping[str, bytes] | None = None, feed_texts: FeedTexts | None = None,
                        sitemap_texts: EntryTexts | None = None) -> StoredFiles:
    """contents: a page's output path → its rendered body HTML. kept: feeds of earlier builds, taken
    when their inputs are the same (a one-edit build makes again only the feeds that list the edit).
    content_hashes: the sha256 of each body's UTF-8, where known without reading the body (the build store
    keeps it): a feed taken from `kept` then reads no body at all. The feeds and the sitemap a store keeps
    are read from it only when asked for. feed_texts, sitemap_texts: the dev server's memos (FeedTexts,
    sitemap.py: EntryTexts), or None."""
    made = _Made(kept or _Nothing())
    feeds = _Feeds(config, contents, catalogs, collections.now, made, content_hashes, feed_texts)
    for language in config.languages:
        if collections.has_feed:  # an empty feed is neither written nor linked
            path = paths.feed_path(language)
            newest = feeds.newest(collections, path,
                                  lambda code=language: collections.news(code) + collections.all_meetings(code))
            title = fill(catalogs.lookup(language.code, "feed_title"), {"site": language.title})
            feeds.feed(language, newest, title, path)
        _tag_feeds(language, collections, feeds)
        if collections.meetings:
            for path, data in _calendars(config, language, collections, contents, catalogs).items():
                made.add(path, data)
    _sitemap(config, pages, index, made, sitemap_texts)
    made.add("robots.txt", robots_bytes(config.base_url))
    return made.files()


def _tag_feeds(language: Language, collections: Collections, feeds: _Feeds) -> None:
    """A feed per tag of this language, beside the tag's page, when the tag has dated pages."""
    prefix = f"{language.prefix}/" if language.prefix else ""
    for tag, _ in collections.tags(language):
        path = f"{prefix}tags/{tag.slug}/feed.xml"
        newest = feeds.newest(collections, path, lambda key=tag.key: collections.tag_feed(key, language))
        if newest:
            feeds.feed(language, newest, f"{language.title}: {tag.name}", path)


class _Feeds:
    """Atom feeds of one build, each taken from `kept` when its inputs hash the same."""

    def __init__(self, config: SiteConfig, contents: Mapping[str, str], catalogs: Catalogs, now: dt.datetime,
                 made: _Made, content_hashes: Mapping[str, bytes] | None = None,
                 texts: FeedTexts | None = None) -> None:
        self.config, self.contents, self.catalogs, self.now, self.made = config, contents, catalogs, now, made
        self.content_hashes, self.texts = content_hashes, texts
        self._config_text = (config.root / CONFIG_NAME).read_bytes()  # any other config value a feed may show
        # A page is in several feeds (its language's, each of its tags'): its part of the hash and its times
        # are made once.
        self._entries: dict[tuple[str, str], bytes] = {}
        self._times: dict[tuple[str, str], tuple[dt.datetime, dt.datetime]] = {}

    def newest(self, collections: Collections, path: str, items: Callable[[], list[Listed]]) -> list[Listed]:
        """The entries of a feed: only the newest go into it, and their summaries are the costly part, so
        they are chosen first. Kept with the listings (collections.feed_newest), as their order is theirs: a save
        that changed only bodies takes them from the last build."""
        def choose() -> list[Listed]:
            return sorted(items(), key=lambda item: (self._entry_times(item)[1], item.page.key),
                          reverse=True)[:FEED_ENTRIES]

        return feed_newest(collections, path, (build_day(self.now), self.config.timezone), choose)

    def feed(self, language: Language, newest: list[Listed], title: str, path: str) -> None:
        """The feed of these entries (newest(), in order), kept or made."""
        def make() -> bytes:
            config, now = self.config, self.now
            entries = [_feed_entry(config, item, self.contents[item.page.output_path], now,
                                   _status(item, self.catalogs), self.texts)
                       for item in newest]
            return atom_bytes(config, language.code, title, language.title, config.base_url + "/" + path,
                              config.base_url + language.root_url, entries)

        self.made.kept_or_made(path, self._inputs(language, title, path, newest), make)

    def _inputs(self, language: Language, title: str, path: str, newest: list[Listed]) -> str:
        """Everything _feed_entry and atom_bytes read, hashed: the same hash, the same bytes."""
        hasher = hashlib.sha256(self._config_text)
        hasher.update(repr((self.config.base_url, self.config.timezone, language.code, language.title,
                            language.root_url, title, path)).encode())  # the base URL may be the dev server's
        for item in newest:
            hasher.update(self._entry_inputs(item))
        return hasher.hexdigest()

    def _entry_times(self, item: Listed) -> tuple[dt.datetime, dt.datetime]:
        key = (item.page.output_path, item.meeting.id if item.meeting else "")
        known = self._times.get(key)
        if known is None:
            known = self._times[key] = entry_times(self.config, item, self.now)
        return known

    def _entry_inputs(self, item: Listed) -> bytes:
        page = item.page
        key = (page.output_path, item.meeting.id if item.meeting else "")
        known = self._entries.get(key)
        if known is None:
            fields = repr((page.key, page.language.code, page.title, page.url, page.description,
                           self._entry_times(item), _status(item, self.catalogs),
                           first_start(item.meeting) if item.meeting else None))
            hasher = hashlib.sha256(fields.encode())
            content = (self.content_hashes[page.output_path] if self.content_hashes is not None
                       else hashlib.sha256(self.contents[page.output_path].encode()).digest())
            hasher.update(content)  # fixed length: no other split of fields and text hashes the same
            known = self._entries[key] = hasher.digest()
        return known


# A listed body → its summary and its text with links cleaned: the dev server writes every feed on every
# save, nearly always as before, and keeps them for its next save (build/cache/memos.py).
FeedTexts = dict[str, tuple[str, str]]
TEXTS_KEPT = 4096


def _from_content(content: str, texts: FeedTexts | None) -> tuple[str, str]:
    """(summary, the text with its links cleaned: feeds too carry no tracking ids)."""
    found = texts.get(content) if texts is not None else None
    if found is None:
        from samizdat.outputs.text import summary  # loaded when a build writes a feed, not when it keeps them all

        found = (summary(content), clean_page_links(content.encode("utf-8")).decode("utf-8"))
        if texts is not None:
            if len(texts) >= TEXTS_KEPT:
                texts.clear()
            texts[content] = found
    return found


def _feed_entry(config: SiteConfig, item: Listed, content: str, now: dt.datetime, status: str,
                texts: FeedTexts | None) -> FeedEntry:
    """status: the meeting's status in the entry's language ("Cancelled"), put before the title when it is
    not planned, so that a reader shows what changed; empty for news and planned meetings."""
    page = item.page
    published, updated = entry_times(config, item, now)
    title = page.title or page.key
    summary_text, cleaned = _from_content(content, texts)
    return FeedEntry(
        key=page.key,
        language=page.language.code,
        title=f"{status}: {title}" if status else title,
        url=config.base_url + page.url,
        updated=updated,
        published=published,
        summary=page.description or summary_text,
        content_html=cleaned,
        dated=(first_start(item.meeting) if item.meeting else published).date(),
    )


def _status(item: Listed, catalogs: Catalogs) -> str:
    if item.meeting is None or item.meeting.status == "planned":
        return ""
    return catalogs.lookup(item.page.language.code, f"status_{item.meeting.status}")


def _calendars(config: SiteConfig, language: Language, collections: Collections, contents: Mapping[str, str],
               catalogs: Catalogs) -> dict[str, bytes]:
    from samizdat.outputs.calendar import CalendarEvent, calendar_bytes  # loaded for a site with meetings
    from samizdat.outputs.text import plain_text

    name = fill(catalogs.lookup(language.code, "calendar_name"), {"site": language.title})
    events = []
    outputs = {}
    for item in collections.all_meetings(language):
        assert item.meeting is not None
        page = item.page
        place = item.meeting.place
        event = CalendarEvent(
            meeting=item.meeting,
            language=page.language,
            title=page.title or item.meeting.id,
            description=plain_text(contents[page.output_path]),
            place=", ".join(filter(None, (_pick(place.name, page.language, config),
                                          _pick(place.address, page.language, config)))),
            url=config.base_url + page.url,
        )
        events.append(event)
        if not item.fallback:
            outputs[paths.meeting_ics_path(page)] = calendar_bytes([event], config, name, language, collections.now)
    outputs[paths.calendar_path(language)] = calendar_bytes(events, config, name, language, collections.now)
    return outputs


def _pick(value: dict[str, str] | str, language: Language, config: SiteConfig) -> str:
    if isinstance(value, dict):
        return value.get(language.code) or value.get(config.default_language.code) or next(iter(value.values()), "")
    return value


def _sitemap(config: SiteConfig, pages: list[Page], index: TranslationIndex, made: _Made,
             texts: EntryTexts | None) -> None:
    """Every page with its translations: it changes only when a page comes, goes or moves."""
    table = (config.base_url, [(language.code, language.is_default) for language in config.languages],
             *((page.key, page.language.code, page.url) for page in pages))  # all _sitemap_entry reads of a page
    inputs = made.kept.inputs_of("sitemap.xml", table,
                                 lambda items: hashlib.sha256(repr(items).encode()).hexdigest())
    made.kept_or_made("sitemap.xml", inputs,
                      lambda: sitemap_bytes([_sitemap_entry(config, page, index) for page in pages], texts))


def _sitemap_entry(config: SiteConfig, page: Page, index: TranslationIndex) -> SitemapEntry:
    versions = index.translations(page)
    alternates = [(other.language.code, config.base_url + other.url) for other in versions]
    default = next((other for other in versions if other.language.is_default), None)
    if default is not None:
        alternates.append(("x-default", config.base_url + default.url))
    return SitemapEntry(config.base_url + page.url, tuple(alternates))
