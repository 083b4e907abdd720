"""Filters and helpers templates use: per-language values, dates, URLs, image sizes, inline scripts."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel import Locale
from jinja2 import pass_context
from markupsafe import Markup

from samizdat.config import Language
from samizdat.content.meetings import Meeting
from samizdat.errors import ContentError, SourceLocation
from samizdat.i18n.dates import format_day, format_when


@pass_context
def localize(ctx: Any, value: Any) -> Any:
    """A data value given per language ({ru: …, en: …}) in the page's language, else the default."""
    if not isinstance(value, dict):
        return value
    lang: Language = ctx["lang"]
    for code in (lang.code, ctx["site"].default_language.code):
        if code in value:
            return value[code]
    return next(iter(value.values()), "")


@pass_context
def date_filter(ctx: Any, value: Any, style: str = "long") -> str:
    return "" if value is None else format_day(value, ctx["lang"].locale, style)


@pass_context
def when_filter(ctx: Any, meeting: Meeting, previous: bool = False) -> str:
    """A meeting's time in the page's language (or its previous time, for a moved meeting)."""
    start = meeting.previous_start if previous else meeting.start
    if start is None:
        return ""
    return format_when(start, None if previous else meeting.end, ctx["lang"].locale)


@pass_context
def language_name(ctx: Any, language: Language) -> str:
    """A language's name in the page's language, to fit its grammar: «러시아어로», not «Русский로»."""
    names = _babel_locale(ctx["lang"].locale).languages
    return names.get(language.code.replace("-", "_")) or names.get(language.code.split("-")[0]) or language.name


@lru_cache(maxsize=64)
def _babel_locale(name: str) -> Locale:
    return Locale.parse(name)


def iso_moment(value: dt.datetime | dt.date) -> str:
    return value.isoformat()


def site_path(path: str) -> str:
    """A site path as a URL; the one place that decides how internal links are written."""
    if path.startswith(("http://", "https://", "mailto:", "#")):
        return path
    return "/" + path.lstrip("/")


@pass_context
def url_filter(ctx: Any, path: str) -> str:
    return site_path(path)


@lru_cache(maxsize=4096)
def image_size(path: Path) -> tuple[int, int]:
    from PIL import Image  # loaded by the first template that asks for a picture's size

    try:
        with Image.open(path) as image:
            return image.size
    except (OSError, ValueError) as exc:
        raise ContentError(f"cannot read image: {exc}", SourceLocation(path),
                           hint="check that the file exists and is a JPEG, PNG, WebP or GIF") from exc


# The event the dev server sends after it puts a saved page's new <main> in place of the old (serve/livereload.js).
MAIN_SWAPPED = "samizdat:main-swapped"


@dataclass(frozen=True)
class InlineScript:
    """A script small enough to inline, allowed by its hash in the Content-Security-Policy."""

    source: str

    @property
    def csp_hash(self) -> str:
        digest = hashlib.sha256(self.source.encode("utf-8")).digest()
        return f"'sha256-{base64.b64encode(digest).decode()}'"

    @property
    def tag(self) -> Markup:
        # A script that applies itself again on the dev server's swap says so: a save is then swapped in
        # instead of loading the page again (the theme's meeting-times script; a site's own copy may not).
        marker = " data-main-swap" if MAIN_SWAPPED in self.source else ""
        return Markup(f"<script{marker}>{self.source}</script>")


def static_hashes(folder: Path) -> dict[str, str]:
    """Short content hashes for cache-busting the theme's CSS and icons."""
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()[:10]
        for path in sorted(folder.rglob("*")) if path.is_file()
    }


@lru_cache(maxsize=64)
def _likely_locale(code: str) -> str:
    from babel.core import get_global

    likely = get_global("likely_subtags").get(code.split("_")[0], code)
    parts = likely.split("_")
    return f"{parts[0]}_{parts[-1]}" if len(parts) > 1 else parts[0]


def og_locale(language: Language) -> str:
    """Open Graph wants language_TERRITORY: ru → ru_RU, ko → ko_KR, en → en_US (or the set locale)."""
    return language.locale if "_" in language.locale else _likely_locale(language.locale)
