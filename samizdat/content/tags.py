"""Tags: `tags: [Украина, housing]` in a page's front matter, per language.

Each language has its own tag pages (/en/tags/ukraine/, /tags/украина/) listing that language's
pages, and a feed per tag. data/tags.yaml may give a tag one id and its name in each language:

    ukraine: {ru: Украина, en: Ukraine, ko: 우크라이나}

A page may then be tagged by the id or by any of its names; the tag's pages in every language share
the id (so the language switcher joins them) and show the name in their own language. A tag without
an entry there is its own name, its address made of its letters (Cyrillic and Hangul kept, as heading
ids are: /tags/права-человека/).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from samizdat.config import SiteConfig
from samizdat.content.frontmatter import FrontMatter
from samizdat.content.news_pages import derived
from samizdat.content.pages import Page
from samizdat.content.urls import UnsafePath, confine
from samizdat.errors import ContentError, SourceLocation
from samizdat.markdown import slugify

TAGS = "tags"
NAMES_FILE = "data/tags.yaml"
MAX_LENGTH = 80


@dataclass(frozen=True)
class Tag:
    id: str  # the same in every language for a tag of data/tags.yaml; its slug otherwise
    slug: str  # the last part of its address
    name: str  # as shown in the page's language

    @property
    def key(self) -> str:
        return f"{TAGS}/{self.id}"


def generated_key(key: str) -> bool:
    """Keys of pages the build makes (news/page/2, news/2026, tags/…), which are not translated."""
    return derived(key) is not None or key == TAGS or key.startswith(TAGS + "/")


def page_tags(page: Page) -> tuple[str, ...]:
    value = page.data.get(TAGS)
    if value is None:
        return ()
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not all(isinstance(item, str) and item.strip() for item in values):
        raise ContentError("front matter `tags` must be a list of words", page.location(TAGS),
                           hint="write e.g. tags: [Украина, housing]")
    return tuple(dict.fromkeys(item.strip() for item in values))


class TagNames:
    """data/tags.yaml: tag id → name per language."""

    def __init__(self, raw: Any, root: Path) -> None:
        self.path = root / NAMES_FILE
        if raw is not None and not (isinstance(raw, dict) and all(
                isinstance(names, dict) and all(isinstance(name, str) for name in names.values())
                for names in raw.values())):
            raise ContentError("data/tags.yaml must give each tag its names: `ukraine: {ru: Украина, en: Ukraine}`",
                               SourceLocation(self.path, 1), hint="one line per tag, as in docs/site-format.md")
        self.names: dict[str, dict[str, str]] = {str(key): value for key, value in (raw or {}).items()}
        self._by_name = {name.casefold(): key for key, names in self.names.items() for name in names.values()}
        self._resolved: dict[tuple[str, str], Tag] = {}  # (name, language code) → its tag: thousands of pages

    def resolve(self, text: str, page: Page) -> Tag:
        code = page.language.code
        tag = self._resolved.get((text, code))
        if tag is None:
            known = text if text in self.names else self._by_name.get(text.casefold())
            if known is not None:
                tag = Tag(known, _slug(known, page), self.names[known].get(code) or text)
            else:
                slug = _slug(text, page)
                tag = Tag(slug, slug, text)
            self._resolved[(text, code)] = tag
        return tag


def _slug(text: str, page: Page) -> str:
    slug = _address_of(text)
    return slug if slug is not None else _refuse(text, page)


@functools.lru_cache(maxsize=4096)  # a site has a few hundred tags, each on many pages, on every build
def _address_of(text: str) -> str | None:
    """The tag's name in its address, or None when it cannot be one."""
    slug = slugify(text)[:MAX_LENGTH]
    if not slug or "/" in slug:
        return None
    try:
        return confine(slug)
    except UnsafePath:
        return None


def _refuse(text: str, page: Page) -> str:
    raise ContentError(f"the tag {text!r} cannot become an address", page.location(TAGS),
                       hint="use letters or digits in a tag, e.g. tags: [housing]")


@dataclass(frozen=True)
class TagIndex:
    tagged: dict[tuple[str, str], list[Page]]  # (language code, tag id) → its pages
    tags: dict[tuple[str, str], Tag]  # (language code, tag id) → the tag as named in that language
    of_page: dict[tuple[str, str], list[Tag]]  # (language code, page key) → the page's tags

    @classmethod
    def build(cls, pages: list[Page], names: TagNames) -> TagIndex:
        tagged: dict[tuple[str, str], list[Page]] = {}
        tags: dict[tuple[str, str], Tag] = {}
        of_page: dict[tuple[str, str], list[Tag]] = {}
        for page in pages:
            for text in page_tags(page):
                tag = names.resolve(text, page)
                where = (page.language.code, tag.id)
                tags.setdefault(where, tag)
                tagged.setdefault(where, []).append(page)
                of_page.setdefault((page.language.code, page.key), []).append(tags[where])
        return cls(tagged, tags, of_page)


class Catalogs(Protocol):
    """The interface strings (i18n.strings.Catalogs), as far as tag pages need them: content never imports
    i18n, which reads its catalogs with content's loaders."""

    def lookup(self, code: str, key: str) -> str: ...


def tag_pages(config: SiteConfig, index: TagIndex, names: TagNames, catalogs: Catalogs) -> list[Page]:
    """A page per tag and language, and a page of all tags per language that has any."""
    made = []
    for (code, _), tag in sorted(index.tags.items()):
        language = config.language(code)
        assert language is not None
        made.append(_page(names.path, language, tag.key, tag.name, "tag", f"{TAGS}/{tag.slug}"))
    for language in config.languages:
        if any(code == language.code for code, _ in index.tags):
            made.append(_page(names.path, language, TAGS, catalogs.lookup(language.code, "tags_title"), "tags", TAGS))
    return made


def _page(path: Path, language: Any, key: str, title: str, layout: str, folder: str) -> Page:
    prefix = f"{language.prefix}/" if language.prefix else ""
    data = {"title": title} if title else {}
    return Page(path=path, language=language, key=key, title=title, layout=layout,
                url=f"/{prefix}{folder}/", output_path=f"{prefix}{folder}/index.html", body="", body_line=1,
                front_matter=FrontMatter(data, "", 1, ()))
