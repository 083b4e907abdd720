"""Reading a site: config → sources → pages → translations → data, meetings and listings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from samizdat.build.body_only import LastLoad, bodies_only, carried_tag_index
from samizdat.build.cache.caches import BuildCaches
from samizdat.build.cache.sources import ParseCache, Parsed
from samizdat.build.cache.store import Store
from samizdat.build.timings import Timings
from samizdat.config import SiteConfig, load_config
from samizdat.content.collections import Collections, carry_over, check_meeting_pages
from samizdat.content.data import load_data, load_language_data
from samizdat.content.drafts import draft_findings, with_schedule, without_bundles
from samizdat.content.meetings import Meeting, load_meetings
from samizdat.content.news_pages import news_pages
from samizdat.content.pages import Page
from samizdat.content.required import check_sources_exist
from samizdat.content.sources import ContentFile, discover
from samizdat.content.tags import TagIndex, TagNames, tag_pages
from samizdat.content.translation_status import Status, translation_status
from samizdat.content.translations import TranslationIndex, check_unique_outputs, link_translations
from samizdat.findings import Finding
from samizdat.i18n.strings import Catalogs, load_catalogs
from samizdat.outputs.claims import check_claims, page_claims
from samizdat.site_files import check_site_folders
from samizdat.theme import ThemePaths, theme_paths


@dataclass(frozen=True)
class LoadedSite:
    """Everything read from the site's folder, before anything is rendered."""

    config: SiteConfig
    theme: ThemePaths
    parsed: list[Parsed]
    content_files: list[ContentFile]
    index: TranslationIndex
    status: Status
    data: dict[str, Any]
    language_data: dict[str, dict[str, Any]]  # language code → data/<code>/*.yaml, over the shared data
    catalogs: Catalogs
    meetings: dict[str, Meeting]
    collections: Collections
    now: dt.datetime
    findings: list[Finding]
    drafts: list[Page]  # held back from publication (built only with --drafts)
    unchanged: frozenset[str] = frozenset()  # source paths whose page is the one the render cache last saw
    bodies_only: bool = False  # the last build's site but for the bodies of pages (build/body_only.py)

    @property
    def pages(self) -> list[Page]:
        return [item.page for item in self.parsed]


def load_site(site_root: Path, now: dt.datetime, caches: BuildCaches | None, timings: Timings,
              drafts: bool = False, changed: Collection[str] | None = None) -> LoadedSite:
    """drafts: build pages marked as drafts too (the dev server's --drafts); otherwise they are left out
    before anything is linked, so no listing, feed, sitemap, menu or switcher can name them.
    changed: the paths changed since this process last read the site, where all are known (discover)."""
    with timings.stage("config"):
        config = load_config(site_root)
        theme = theme_paths(config)
        if caches is not None:
            caches.prepare(config, drafts)
        memos = caches.memos if caches is not None else None  # the dev server's, from its last save
    with timings.stage("discover"):
        seen, listed = (caches.seen, caches.listed) if caches is not None else (None, None)
        if caches is not None:
            caches.seen = caches.listed = None  # a walk serves the build that follows it, and no later one
        sources, content_files = discover(config, changed, memos.discovered if memos else None, seen, listed)
        # content/ was walked just now, templates/ and strings/ with the theme, data/ and meetings/ are when
        # read; assets/ and static/ are copied at the end, but rendering already opens images there.
        check_site_folders(config.root, ("assets", "static"))
    with timings.stage("parse"):
        parse_cache = caches.parse if caches and caches.parse else ParseCache(Store(None))
        parsed = parse_cache.parse_all(sources, config)
        today = now.astimezone(ZoneInfo(config.timezone)).date()
        parsed = [_scheduled(item, today) for item in parsed]
        held = [item.page for item in parsed if item.page.held]
        if not drafts:
            parsed = [item for item in parsed if not item.page.held]
            content_files = without_bundles(content_files, held, config.root / "content")
        own = [item.page for item in parsed]
        # A save of bodies alone (the dev server's) keeps what the last build made of front matter.
        last = parse_cache.last_load
        every = own if drafts else [*own, *held]
        replaced = bodies_only(last, changed, parse_cache.entries, every, today)
        kept = last if replaced is not None else None
        news = kept.news_pages if kept else news_pages(own, config)
        parsed += [Parsed(page, ()) for page in news]
    with timings.stage("data"):
        data = load_data(config.root)
        catalogs = load_catalogs(list(theme.string_dirs), config.languages, config.default_language.code)
        tag_names = TagNames(data.get("tags"), config.root)
        listed = [item.page for item in parsed]
        tags = carried_tag_index(kept.tag_index, replaced) if kept and replaced else TagIndex.build(listed, tag_names)
        tagged = kept.tag_pages if kept else tag_pages(config, tags, tag_names, catalogs)
        made = [*news, *tagged]
        parsed += [Parsed(page, ()) for page in tagged]
        pages = [item.page for item in parsed]
    # Output clashes are checked before rendering so the message names both source files.
    with timings.stage("link"):
        if not kept:  # made of front matter and paths: they passed on the last build's, if nothing but bodies changed
            check_unique_outputs(pages)
            # About.md beside about.md: before rendering, as it is cheap
            check_claims(page_claims(pages), passed=caches.passed("pages") if caches else None)
        index = link_translations(pages, config)
        if not kept:
            check_sources_exist(index, held)
        hashes = parse_cache.paragraphs()
        status = translation_status(index, config, hashes, parse_cache.status_rows)
        parse_cache.keep_paragraphs(hashes)
    with timings.stage("meetings"):
        meetings = load_meetings(config.root, config.timezone)
        collections = Collections(config, index, meetings, now, tags)
        if kept and replaced:
            carry_over(collections, kept.collections, replaced.pairs)
        parse_cache.last_load = LastLoad({page.path_text: page for page in every}, news, tags, tagged, collections,
                                         today)
        return LoadedSite(
            config, theme, parsed, content_files, index, status,
            data=data,
            language_data=load_language_data(config.root, [lang.code for lang in config.languages]),
            catalogs=catalogs,
            meetings=meetings,
            collections=collections,
            now=now,
            findings=check_meeting_pages(pages, meetings) + draft_findings(held, drafts),
            drafts=held,
            # A page the build makes (news pages, tag pages) shares its source's path but follows other pages
            # too: reads of that path are always answered again.
            unchanged=parse_cache.unchanged - {page.path_text for page in made},
            bodies_only=replaced is not None,
        )


def _scheduled(item: Parsed, today: dt.date) -> Parsed:
    page = with_schedule(item.page, today)
    return item if page is item.page else replace(item, page=page)
