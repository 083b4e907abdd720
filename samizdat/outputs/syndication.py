"""What other programs read: Atom feeds, iCalendar files, the sitemap and robots.txt."""

from __future__ import annotations

import datetime as dt

from samizdat.config import Language, SiteConfig
from samizdat.content.collections import Collections, Listed
from samizdat.content.pages import Page
from samizdat.content.translations import TranslationIndex
from samizdat.i18n.strings import Catalogs
from samizdat.outputs import paths
from samizdat.outputs.calendar import CalendarEvent, calendar_bytes
from samizdat.outputs.feed_times import entry_times, first_start
from samizdat.outputs.feeds import FEED_ENTRIES, FeedEntry, atom_bytes
from samizdat.outputs.links import clean_page_links
from samizdat.outputs.sitemap import SitemapEntry, robots_bytes, sitemap_bytes
from samizdat.outputs.text import plain_text, summary


def syndication_outputs(config: SiteConfig, pages: list[Page], index: TranslationIndex, collections: Collections,
                        contents: dict[str, str], catalogs: Catalogs) -> dict[str, bytes]:
    """contents: a page's output path → its rendered body HTML."""
    outputs: dict[str, bytes] = {}
    for language in config.languages:
        if collections.has_feed:  # an empty feed is neither written nor linked
            items = collections.news(language) + collections.all_meetings(language)
            title = catalogs.lookup(language.code, "feed_title").format(site=language.title)
            outputs[paths.feed_path(language)] = _feed(config, language, items, title, paths.feed_path(language),
                                                       contents, catalogs, collections.now)
        outputs |= _tag_feeds(config, language, collections, contents, catalogs)
        if collections.meetings:
            outputs |= _calendars(config, language, collections, contents, catalogs)
    outputs["sitemap.xml"] = sitemap_bytes([_sitemap_entry(config, page, index) for page in pages])
    outputs["robots.txt"] = robots_bytes(config.base_url)
    return outputs


def _tag_feeds(config: SiteConfig, language: Language, collections: Collections, contents: dict[str, str],
               catalogs: Catalogs) -> dict[str, bytes]:
    """A feed per tag of this language, beside the tag's page, when the tag has dated pages."""
    outputs = {}
    for tag, _ in collections.tags(language):
        items = collections.tag_feed(tag.key, language)
        if items:
            prefix = f"{language.prefix}/" if language.prefix else ""
            path = f"{prefix}tags/{tag.slug}/feed.xml"
            title = f"{language.title}: {tag.name}"
            outputs[path] = _feed(config, language, items, title, path, contents, catalogs, collections.now)
    return outputs


def _feed(config: SiteConfig, language: Language, items: list[Listed], title: str, path: str,
          contents: dict[str, str], catalogs: Catalogs, now: dt.datetime) -> bytes:
    # Only the newest entries go into the feed; their summaries are the costly part, so sort first.
    newest = sorted(items, key=lambda item: (entry_times(config, item, now)[1], item.page.key),
                    reverse=True)[:FEED_ENTRIES]
    entries = [_feed_entry(config, item, contents[item.page.output_path], now, _status(item, catalogs))
               for item in newest]
    key = (config.base_url, language.code, title, language.title, path, language.root_url, tuple(entries))
    if key not in _feeds:
        _forget_beyond(_feeds, FEEDS_KEPT)
        _feeds[key] = atom_bytes(config, language.code, title, language.title, config.base_url + "/" + path,
                                 config.base_url + language.root_url, entries)
    return _feeds[key]


# The dev server writes every feed on every save, nearly always as before: the finished feeds and each
# page's summary and cleaned text are kept for the process's next build, keyed by everything they are
# made from (the page's rendered text, the entries).
FEEDS_KEPT, CONTENTS_KEPT = 256, 4096
_feeds: dict[tuple[object, ...], bytes] = {}
_contents: dict[str, tuple[str, str]] = {}


def _from_content(content: str) -> tuple[str, str]:
    """(summary, the text with its links cleaned: feeds too carry no tracking ids)."""
    found = _contents.get(content)
    if found is None:
        _forget_beyond(_contents, CONTENTS_KEPT)
        found = _contents[content] = (summary(content), clean_page_links(content.encode("utf-8")).decode("utf-8"))
    return found


def _forget_beyond(memo: dict, limit: int) -> None:  # type: ignore[type-arg]
    if len(memo) >= limit:
        memo.clear()


def _feed_entry(config: SiteConfig, item: Listed, content: str, now: dt.datetime, status: str) -> FeedEntry:
    """status: the meeting's status in the entry's language ("Cancelled"), put before the title when it is
    not planned, so that a reader shows what changed; empty for news and planned meetings."""
    page = item.page
    published, updated = entry_times(config, item, now)
    title = page.title or page.key
    return FeedEntry(
        key=page.key,
        language=page.language.code,
        title=f"{status}: {title}" if status else title,
        url=config.base_url + page.url,
        updated=updated,
        published=published,
        summary=page.description or _from_content(content)[0],
        content_html=_from_content(content)[1],
        dated=(first_start(item.meeting) if item.meeting else published).date(),
    )


def _status(item: Listed, catalogs: Catalogs) -> str:
    if item.meeting is None or item.meeting.status == "planned":
        return ""
    return catalogs.lookup(item.page.language.code, f"status_{item.meeting.status}")


def _calendars(config: SiteConfig, language: Language, collections: Collections, contents: dict[str, str],
               catalogs: Catalogs) -> dict[str, bytes]:
    name = catalogs.lookup(language.code, "calendar_name").format(site=language.title)
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


def _sitemap_entry(config: SiteConfig, page: Page, index: TranslationIndex) -> SitemapEntry:
    versions = index.translations(page)
    alternates = [(other.language.code, config.base_url + other.url) for other in versions]
    default = next((other for other in versions if other.language.is_default), None)
    if default is not None:
        alternates.append(("x-default", config.base_url + default.url))
    return SitemapEntry(config.base_url + page.url, tuple(alternates))
