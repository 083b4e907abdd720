"""What templates see: plain, read-only views of the site and of one page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from samizdat.config import Language, SiteConfig, ThemeConfig
from samizdat.config_sections import Mirror
from samizdat.content.translations import Alternate


@dataclass(frozen=True)
class SiteView:
    title: str  # in the page's language
    description: str
    base_url: str
    languages: tuple[Language, ...]
    default_language: Language
    theme: ThemeConfig
    image: str | None = None  # the share picture for link previews
    onion: str | None = None  # the onion address, for the onion-location meta tag
    mirrors: tuple[Mirror, ...] = ()
    mirrors_url: str | None = None  # this language's mirrors page, when the site lists mirrors

    @classmethod
    def for_language(cls, config: SiteConfig, language: Language) -> SiteView:
        publish = config.publish
        return cls(language.title, language.description, config.base_url, config.languages,
                   config.default_language, config.theme, config.image, publish.onion, publish.mirrors,
                   mirrors_url(language) if publish.mirrors else None)


MIRRORS_FOLDER = "mirrors"


def mirrors_url(language: Language) -> str:
    return f"{language.root_url}{MIRRORS_FOLDER}/"


@dataclass(frozen=True)
class PageView:
    title: str
    url: str
    lang: str
    content: Markup
    description: str
    date: dt.date | None
    data: dict[str, Any]
    switcher: tuple[Alternate, ...]
    is_home: bool
    indexable: bool = True  # False for pages search engines should skip (404)
    key: str = ""  # translation key, e.g. "meetings/2022-02-27-bosingak"
    original: Alternate | None = None  # set when this translation's source changed since it was translated
    draft: bool = False  # shown only by `serve --drafts`, with a mark saying it is not published

    @property
    def translations(self) -> tuple[Alternate, ...]:
        """The versions that exist, for <link rel=alternate hreflang>."""
        return tuple(entry for entry in self.switcher if entry.exists)
