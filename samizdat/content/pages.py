"""Page objects: a source file's language, translation key, layout and URL."""

from __future__ import annotations

import datetime as dt
import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from samizdat.config import Language, SiteConfig
from samizdat.content.frontmatter import FrontMatter, split_front_matter
from samizdat.content.sources import SourceFile
from samizdat.content.urls import UnsafePath, confine, permalink_output
from samizdat.errors import ContentError, SourceLocation
from samizdat.kept import kept


@dataclass(frozen=True)
class Page:
    path: Path
    language: Language
    key: str  # translation key: the versions of one page share it
    title: str
    layout: str
    url: str  # site-relative URL path, e.g. "/en/about/"
    output_path: str  # file below the output folder, e.g. "en/about/index.html"
    body: str
    body_line: int
    front_matter: FrontMatter = field(repr=False)
    date: dt.date | None = None
    description: str = ""
    scheduled: bool = False  # dated after the build's day: held back like a draft (see drafts.py)

    # Kept once asked: listings, feeds, the translation status and the checks ask every page, many times a
    # build (80,000 times in a save of 10,000 pages). A page is never changed, only replaced.
    @kept
    def data(self) -> dict[str, Any]:
        return self.front_matter.data

    @kept  # asked of every page, many times a build, by listings and feeds
    def section(self) -> str:
        """The first folder of the page's key ("news" for news/2026-03-01-statement), or ""."""
        return self.key.split("/", 1)[0] if "/" in self.key else ""

    @kept
    def path_text(self) -> str:
        """The source's path as text with forward slashes: how recorded reads and the caches name the page."""
        return self.path.as_posix()

    @property
    def slug(self) -> str:
        return self.key.rsplit("/", 1)[-1]

    @kept
    def draft(self) -> bool:
        """`draft: true` (Hugo) or `published: false` (Jekyll): never published; `serve --drafts` shows it."""
        return self.data.get("draft") is True or self.data.get("published") is False

    @property
    def held(self) -> bool:
        """Not published: a draft, or a post whose date has not come yet."""
        return self.draft or self.scheduled

    @kept
    def menu(self) -> int | None:
        """Front matter `menu: N` puts the page in the site's navigation, ordered by N."""
        value = self.data.get("menu")
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    def location(self, key: str | None = None) -> SourceLocation:
        return SourceLocation(self.path, self.front_matter.line_of(key) if key else None)


def make_page(source: SourceFile, config: SiteConfig) -> Page:
    fm = split_front_matter(source.text, source.path)
    data = fm.data
    language = _language_of(source, fm, config)
    for key in ("title", "layout", "permalink", "translation_key", "description", "menu_title"):
        if key in data and not isinstance(data[key], str):
            raise ContentError(
                f"front matter `{key}` must be text", SourceLocation(source.path, fm.line_of(key)),
                hint=f'write it in quotes, e.g. {key}: "…"',
            )
    _check_flags(data, source.path, fm)
    stem = _stem(source.rel)
    key = _key(data["translation_key"], source.path, fm) if data.get("translation_key") else stem
    section = key.split("/", 1)[0] if "/" in key else ""
    if "permalink" in data:
        url, output_path = _permalink(data["permalink"], source.path, fm)
    else:
        url, output_path = _url_from_path(stem, language, source.path)
    return Page(
        path=source.path,
        language=language,
        key=key,
        title=data.get("title", ""),
        layout=data.get("layout") or _default_layout(key, section),
        url=url,
        output_path=output_path,
        body=fm.body,
        body_line=fm.body_line,
        front_matter=fm,
        date=_date(data.get("date"), source.path, fm) or _date_from_name(key),
        description=data.get("description", ""),
    )


DRAFT_FLAGS = ("draft", "published")


def _check_flags(data: dict[str, Any], path: Path, fm: FrontMatter) -> None:
    """A draft flag that is not plainly true or false (`draft: "yes"`, `published: no thanks`, an empty value)
    is refused rather than guessed: guessing wrong would publish a page its author meant to keep back."""
    for key in DRAFT_FLAGS:
        if key in data and not isinstance(data[key], bool):
            raise ContentError(
                f"front matter `{key}` must be true or false, not {data[key]!r}",
                SourceLocation(path, fm.line_of(key)),
                hint=f"write `{key}: true` or `{key}: false` without quotes",
            )


# Pages in these sections get their layout without saying so: a meeting's text page, a news post,
# and the section's own index page, which lists them.
SECTION_LAYOUTS = {"meetings": ("meetings", "meeting"), "news": ("news", "post")}


def _default_layout(key: str, section: str) -> str:
    if key in SECTION_LAYOUTS:
        return SECTION_LAYOUTS[key][0]
    if section in SECTION_LAYOUTS:
        return SECTION_LAYOUTS[section][1]
    return "default"


def _date_from_name(key: str) -> dt.date | None:
    """news/2026-03-01-statement.md is dated 1 March 2026 unless its front matter says otherwise."""
    name = key.rsplit("/", 1)[-1]
    try:
        return dt.date.fromisoformat(name[:10])
    except ValueError:
        return None


def _language_of(source: SourceFile, fm: FrontMatter, config: SiteConfig) -> Language:
    code = fm.data.get("lang", source.folder_language)
    if code is None:
        return config.default_language
    language = config.language(str(code))
    if language is None:
        raise ContentError(
            f"language {code!r} is not declared in samizdat.toml",
            SourceLocation(source.path, fm.line_of("lang")),
            hint=f"declared: {', '.join(lang.code for lang in config.languages)}",
        )
    if source.folder_language and code != source.folder_language:
        raise ContentError(
            f"front matter says lang: {code} but the file is in the {source.folder_language}/ folder",
            SourceLocation(source.path, fm.line_of("lang")),
            hint="move the file to the folder of its language, or remove the lang line",
        )
    return language


def _stem(rel: str) -> str:
    """"about/index.md" → "about", "index.md" → "index", "news/x.md" → "news/x"."""
    base = posixpath.splitext(rel)[0]
    if base == "index":
        return "index"
    return base.removesuffix("/index")


def _url_from_path(stem: str, language: Language, path: Path) -> tuple[str, str]:
    """Discovery gave `stem` in NFC and checked its names; confining again keeps this true for any caller."""
    prefix = f"{language.prefix}/" if language.prefix else ""
    directory = prefix if stem == "index" else f"{prefix}{stem}/"
    try:
        output = confine(f"{directory}index.html")
    except UnsafePath as exc:
        raise ContentError(f"the file name cannot become an address: it has {exc.problem}", SourceLocation(path),
                           hint="rename the file (letters, digits, - and _ are safe everywhere)") from None
    return "/" + output.removesuffix("index.html"), output


def _permalink(value: str, path: Path, fm: FrontMatter) -> tuple[str, str]:
    try:
        return permalink_output(value)
    except UnsafePath as exc:
        raise ContentError(
            f"permalink {value!r} cannot be used: {exc.problem}",
            SourceLocation(path, fm.line_of("permalink")),
            hint="write an address inside the site such as /en/about/ (plain names separated by /)",
        ) from None


def _key(value: str, path: Path, fm: FrontMatter) -> str:
    """A translation key names the page's calendar file too (meetings/<key>.ics), so it is held to the
    same rules as a path."""
    try:
        return confine(value)
    except UnsafePath as exc:
        raise ContentError(f"translation_key {value!r} cannot be used: {exc.problem}",
                           SourceLocation(path, fm.line_of("translation_key")),
                           hint="use the page's file path without its language, e.g. news/2026-03-01-statement",
                           ) from None


def _date(value: Any, path: Path, fm: FrontMatter) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value.date() if isinstance(value, dt.datetime) else value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError as exc:
        raise ContentError(
            f"date {value!r} is not a date", SourceLocation(path, fm.line_of("date")),
            hint="write dates as YYYY-MM-DD, e.g. 2022-02-27",
        ) from exc
