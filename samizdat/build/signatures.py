"""What each page's output depends on, as content hashes: equal signature, equal bytes.

A page depends on the site-wide inputs (engine, config, templates, strings, data, meeting facts, and
the table of every page's URL and menu entry, which the switcher and menus read), on its own source,
and, if it shows listings (meetings, news, a home page's "next meeting"), on every listed item's
facts and on which meetings are past at the build's moment. File times are never used: a fresh clone
resets them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from pathlib import Path

from samizdat.config import CONFIG_NAME, SiteConfig
from samizdat.content.collections import Collections
from samizdat.content.pages import SECTION_LAYOUTS, Page
from samizdat.engine import engine_id
from samizdat.templates import needs_template_pass
from samizdat.theme import ThemePaths

LISTING_LAYOUTS = {layout for pair in SECTION_LAYOUTS.values() for layout in pair}


def _digest(parts: Iterable[str | bytes]) -> str:
    hasher = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "little"))
        hasher.update(data)
    return hasher.hexdigest()


def _files(folders: Iterable[Path], pattern: str = "*") -> list[str | bytes]:
    parts: list[str | bytes] = []
    for folder in folders:
        if folder.is_dir():
            for path in sorted(folder.rglob(pattern)):
                if path.is_file():
                    parts += [path.as_posix(), path.read_bytes()]
    return parts


def site_signature(config: SiteConfig, theme: ThemePaths, pages: list[Page]) -> str:
    url_table = sorted(
        f"{page.key}\t{page.language.code}\t{page.url}\t{page.menu}\t{page.data.get('menu_title', '')}\t"
        f"{page.title if page.menu is not None else ''}"
        for page in pages
    )
    root = config.root
    return _digest([
        engine_id(),
        (root / CONFIG_NAME).read_bytes(),
        *_files(theme.template_dirs),
        *_files(theme.string_dirs),
        *_files([theme.static_dir]),
        *_files([root / "data", root / "meetings"]),
        *_files([root / "assets", root / "static"], "site.css"),  # linked by every page, with its hash
        *_files([root / "assets", root / "static"], "favicon.*"),
        *url_table,
    ])


def collections_signature(collections: Collections, pages: list[Page], now: dt.datetime) -> str:
    # Every page, not only news and meetings: {{ pages("projects") }} lists any folder's pages, with
    # their images and weights.
    listed = sorted(
        f"{p.key}\t{p.language.code}\t{p.url}\t{p.title}\t{p.date}\t{p.description}\t{p.data.get('updated', '')}"
        f"\t{p.data.get('image', '')}\t{p.data.get('image_alt', '')}\t{p.data.get('weight', '')}"
        f"\t{p.data.get('tags', '')}"
        for p in pages if p.key not in SECTION_LAYOUTS
    )
    past = sorted(meeting_id for meeting_id, meeting in collections.meetings.items() if meeting.is_past(now))
    return _digest([*listed, "past:", *past])


def listing_layouts(theme: ThemePaths) -> set[str]:
    """Layouts that read the listings: the theme's own, and any template file that mentions them."""
    names = set(LISTING_LAYOUTS)
    for folder in theme.template_dirs:
        for path in folder.glob("*.html"):
            if "collections" in path.read_text(encoding="utf-8", errors="replace"):
                names.add(path.stem)
    return names


def uses_listings(page: Page, layouts: set[str]) -> bool:
    """Conservative: a listing layout, or any page with template code (it may call next_meeting())."""
    return page.layout in layouts or needs_template_pass(page.body)


def notice_of(outdated_source: Page | None) -> str:
    """What a translation's "out of date" notice shows of its source: part of the page's inputs."""
    return f"{outdated_source.url}\t{outdated_source.language.code}" if outdated_source else ""


def page_signature(page: Page, site: str, listings: str, layouts: set[str], notice: str) -> str:
    """notice: notice_of() the page this translation follows, when that changed since."""
    return _digest([site, page.path.as_posix(), "\n".join(page.front_matter.lines), page.body,
                    listings if uses_listings(page, layouts) else "", notice])
