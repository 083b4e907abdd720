"""What templates see: plain, read-only views of the site and of one page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from samizdat.config import Language, SiteConfig, ThemeConfig
from samizdat.content.translations import Alternate


@dataclass(frozen=True)
class SiteView:
    title: str  # in the page's language
    description: str
    base_url: str
    languages: tuple[Language, ...]
    default_language: Language
    theme: ThemeConfig

    @classmethod
    def for_language(cls, config: SiteConfig, language: Language) -> SiteView:
        return cls(language.title, language.description, config.base_url, config.languages,
                   config.default_language, config.theme)


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
    original: Alternate | None = None  # set when this translation's source changed since it was translated

    @property
    def translations(self) -> tuple[Alternate, ...]:
        """The versions that exist, for <link rel=alternate hreflang>."""
        return tuple(entry for entry in self.switcher if entry.exists)
