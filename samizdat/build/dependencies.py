"""The answer each recorded read (outputs/reads.py) gives on the current site, as a short hash.

A page rendered earlier is reused only when every read it made answers the same now: the same field
values of the pages it listed, the same pages in its listings in the same order, the same meetings past,
the same data files, interface strings, template files and image sizes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import jinja2
from jinja2.loaders import split_template_path

from samizdat.config import SiteConfig
from samizdat.content.collections import Collections, Listed
from samizdat.content.pages import Page
from samizdat.errors import SamizdatError
from samizdat.i18n.strings import Catalogs
from samizdat.outputs.filters import image_size
from samizdat.outputs.reads import WHOLE_PAGE, Read
from samizdat.site_files import site_file

MISSING = "\0missing"


class ReadAnswers:
    """Answers on one build's site, each computed once: many pages make the same reads."""

    def __init__(self, config: SiteConfig, pages: Iterable[Page], collections: Collections,
                 sources: SiteSources) -> None:
        self._config = config
        self._languages = {language.code: language for language in config.languages}
        self._pages = {page.path_text: page for page in pages}
        self._collections = collections
        self._sources = sources
        self._known: dict[Read, str] = {}

    def hash(self, read: Read) -> str:
        known = self._known.get(read)
        if known is None:
            known = self._known[read] = hashlib.sha256(repr(self._answer(read)).encode()).hexdigest()[:24]
        return known

    def _answer(self, read: Read) -> object:
        match read:
            case ("page", path, field):
                return self._field(path, field)
            case ("list", method, code, argument):
                return self._listing(method, code, argument)
            case ("news_listing", key, code):
                language = self._languages.get(code)
                if language is None:
                    return MISSING
                listing = self._collections.news_listing(key, language)
                return (_identities(listing.posts), listing.number, listing.count, listing.year, listing.years)
            case ("tags", code):
                language = self._languages.get(code)
                return MISSING if language is None else self._collections.tags(language)
            case ("tags_of", key, code):
                language = self._languages.get(code)
                return MISSING if language is None else self._collections.tags_of(key, language)
            case ("tag", code, tag_id):
                return self._collections.tag_index.tags.get((code, tag_id), MISSING)
            case ("has_feed",):
                return self._collections.has_feed
            case ("moment",):
                return sorted(key for key, meeting in self._collections.meetings.items()
                              if meeting.is_past(self._collections.now))
            case ("data",):
                return sorted(self._sources.data)
            case ("data", name):
                return self._sources.data.get(name, MISSING)
            case ("string", code, key):
                return self._string(code, key)
            case ("template", name):
                return self._sources.template(name)
            case ("image", path):
                return self._image(path)
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

    def _listing(self, method: str, code: str, argument: str) -> object:
        language = self._languages.get(code)
        if language is not None and method in ("tagged", "tag_feed"):
            return _identities(getattr(self._collections, method)(argument, language))
        if language is None or argument or method not in ("news", "all_meetings", "upcoming", "past_by_year"):
            return MISSING
        if method == "past_by_year":
            return [(year, _identities(items)) for year, items in self._collections.past_by_year(language)]
        return _identities(getattr(self._collections, method)(language))


    def _string(self, code: str, key: str) -> object:
        try:
            return self._sources.catalogs.lookup(code, key)
        except KeyError:
            return MISSING

    def _image(self, path: str) -> object:
        try:
            return image_size(site_file(self._config.root, path))
        except SamizdatError:
            return MISSING


class SiteSources:
    """The site-wide inputs a page may read a piece of: data files, strings, template files."""

    def __init__(self, data: dict[str, Any], catalogs: Catalogs, template_dirs: tuple[Path, ...]) -> None:
        self.data, self.catalogs, self.template_dirs = data, catalogs, template_dirs

    def template(self, name: str) -> object:
        """The file Jinja2 loads for the name (the site's override first), as its folder and bytes."""
        try:
            pieces = split_template_path(name)  # refuses "..", as the loader does
        except jinja2.TemplateNotFound:
            return MISSING
        for number, folder in enumerate(self.template_dirs):
            path = folder.joinpath(*pieces)
            if path.is_file():
                return number, path.read_bytes()
        return MISSING


def _identities(items: list[Listed]) -> list[tuple[str, str]]:
    return [(item.page.path_text, item.meeting.id if item.meeting else "") for item in items]
