"""Group pages by translation key and check that no two pages write the same file."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from samizdat.config import Language, SiteConfig
from samizdat.content.pages import Page
from samizdat.errors import ContentError, SourceLocation


@dataclass(frozen=True)
class Alternate:
    """One entry of a page's language switcher."""

    language: Language
    url: str
    exists: bool  # False: no translation, the link goes to that language's home page
    current: bool


@dataclass(frozen=True)
class TranslationIndex:
    by_key: dict[str, dict[str, Page]]  # key → language code → page
    languages: tuple[Language, ...]

    def translations(self, page: Page) -> list[Page]:
        """Every version of the page, itself included, in the config's language order."""
        group = self.by_key[page.key]
        return [group[lang.code] for lang in self.languages if lang.code in group]

    def menu(self, language: Language) -> list[MenuItem]:
        """Pages with `menu: N` in their front matter, in this language, ordered by N."""
        entries = [
            (page.menu, page.key, MenuItem(page.data.get("menu_title") or page.title or language.title, page.url,
                                           page.key))
            for group in self.by_key.values()
            if (page := group.get(language.code)) is not None and page.menu is not None
        ]
        return [item for _, _, item in sorted(entries, key=lambda entry: (entry[0], entry[1]))]

    def switcher(self, page: Page) -> list[Alternate]:
        group = self.by_key[page.key]
        entries = []
        for lang in self.languages:
            if lang.code in group:
                entries.append(Alternate(lang, group[lang.code].url, True, lang.code == page.language.code))
            else:
                home = self.by_key.get("index", {}).get(lang.code)
                entries.append(Alternate(lang, home.url if home else lang.root_url, False, False))
        return entries


@dataclass(frozen=True)
class MenuItem:
    title: str
    url: str
    key: str


def check_unique_outputs(pages: Iterable[Page]) -> None:
    seen: dict[str, Page] = {}
    for page in pages:
        other = seen.setdefault(page.output_path, page)
        if other is not page:
            raise ContentError(
                f"two pages would write the same URL {page.url}: this one and {SourceLocation(other.path)}",
                page.location("permalink") if "permalink" in page.data else page.location(),
                hint="change the permalink or the file name of one of them",
            )


def link_translations(pages: Iterable[Page], config: SiteConfig) -> TranslationIndex:
    by_key: dict[str, dict[str, Page]] = {}
    for page in pages:
        group = by_key.setdefault(page.key, {})
        other = group.setdefault(page.language.code, page)
        if other is not page:
            raise ContentError(
                f"two {page.language.code} pages share the translation key {page.key!r}: "
                f"this one and {SourceLocation(other.path)}",
                page.location("translation_key"),
                hint="give each page its own translation_key, or remove one of them",
            )
    return TranslationIndex(by_key, config.languages)
