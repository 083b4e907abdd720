"""The new site as the importers plan it, before anything is written."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from samizdat.importers.source import SourceFile


@dataclass(frozen=True)
class LanguagePlan:
    code: str
    prefix: str  # the old site's URL prefix for this language, kept so addresses stay the same
    name: str
    title: str
    default: bool = False
    description: str = ""


@dataclass(frozen=True)
class PagePlan:
    lang: str
    rel: str  # path below content/<lang>/, e.g. "about.md" or "news/2020-01-02-hello.md"
    front: dict[str, Any]
    body: str
    source: str  # the old site's file


@dataclass(frozen=True)
class CopyPlan:
    dest: str  # path inside the new site, e.g. "static/css/main.css"
    source: SourceFile


@dataclass(frozen=True)
class TextPlan:
    dest: str  # e.g. "data/navigation.yaml"
    text: str
    sources: tuple[str, ...]  # the old site's files: one, or a language's each for per-language data


@dataclass(frozen=True)
class SitePlan:
    base_url: str
    timezone: str | None
    languages: tuple[LanguagePlan, ...]
    pages: tuple[PagePlan, ...]
    copies: tuple[CopyPlan, ...] = ()
    texts: tuple[TextPlan, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def default(self) -> LanguagePlan:
        return next(lang for lang in self.languages if lang.default)
