"""What a site must have before it is published: a home page, and a source for every translation
that names one."""

from __future__ import annotations

from samizdat.config import SiteConfig
from samizdat.content.pages import Page
from samizdat.content.translation_status import TRANSLATION_OF, recorded_language
from samizdat.content.translations import TranslationIndex
from samizdat.errors import ContentError, SourceLocation
from samizdat.findings import Finding, finding

HOME = "index"


def home_page_findings(index: TranslationIndex, config: SiteConfig, drafts: list[Page]) -> list[Finding]:
    """Without the default language's home page the site's own address is a 404. An error of `check`, so
    `deploy`, `deploy-rsync` and `mirror` refuse to publish such a site, and `build` refuses to write it
    (`serve` still shows it, with the error, for the preview). Another language's missing home page is a
    translation-missing warning."""
    language = config.default_language
    if language.code in index.by_key.get(HOME, {}) or any(
            page.url == language.root_url for group in index.by_key.values() for page in group.values()):
        return []  # a home page under another translation_key still serves the site's address
    draft = next((page for page in drafts if page.key == HOME and page.language.code == language.code), None)
    if draft is not None:
        return [finding("missing-home", f"the home page in {language.name} is a draft: nothing would be "
                        f"published at {language.root_url}", draft.location("draft"),
                        hint="remove `draft: true` (or `published: false`) from the home page")]
    return [finding("missing-home", f"the site has no home page in {language.name}: nothing would be published "
                    f"at {language.root_url}", SourceLocation(config.root / "content" / language.code),
                    hint=f"create content/{language.code}/index.md (a title and a line of text are enough)")]


def refuse_without_home(findings: list[Finding]) -> None:
    """`build` writes only a site that can be published: without the home page the output folder would
    hold a site whose own address is a 404, and a host serving that folder would publish it so."""
    missing = next((item for item in findings if item.code == "missing-home" and item.severity == "error"), None)
    if missing is not None:
        raise ContentError(missing.message, missing.location, hint=missing.hint)


def check_sources_exist(index: TranslationIndex, drafts: list[Page]) -> None:
    """A translation whose source was renamed or deleted would be published as if it were its own
    original, with no word to anyone: the build says what happened and what to do."""
    held = {(page.key, page.language.code) for page in drafts}
    for key, group in index.by_key.items():
        for page in group.values():
            lang = recorded_language(page)
            if lang is None or lang == page.language.code or lang in group or (key, lang) in held:
                continue
            raise ContentError(
                f"this page is a translation of the {lang} page {key!r}, which no longer exists "
                f"(it was renamed, moved or deleted)",
                page.location(TRANSLATION_OF),
                hint=f"if the {lang} page was renamed, rename this file the same way (or give both the same "
                "translation_key); if it was deleted, delete this page too, or remove its translation_of "
                "lines to keep it as a page of its own",
            )
