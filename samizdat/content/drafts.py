"""Drafts: pages marked `draft: true` or `published: false`, kept out of the published site.

A draft is removed right after parsing, so nothing later (listings, feeds, calendars, the sitemap,
menus, language switchers) can know of it. Files in a draft's own folder (content/en/x/index.md with
its photos beside it) stay back too: a draft's photos are no more public than its text.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from dataclasses import replace
from pathlib import Path

from samizdat.content.pages import Page
from samizdat.content.sources import ContentFile
from samizdat.errors import SourceLocation
from samizdat.findings import Finding, finding


def without_bundles(files: list[ContentFile], drafts: list[Page], content_dir: Path) -> list[ContentFile]:
    """The content files, less those in the folder of a draft that is its folder's index page."""
    folders = {(language, folder) for language, folder in (_bundle_of(page, content_dir) for page in drafts)
               if folder}
    return [item for item in files if not any(
        item.folder_language == language and item.rel.startswith(folder + "/") for language, folder in folders)]


def _bundle_of(page: Page, content_dir: Path) -> tuple[str | None, str]:
    """(language folder, folder below it) when the draft is a folder's index.md, else a folder of ""."""
    parts = page.path.relative_to(content_dir).parts
    language = parts[0] if len(parts) > 1 and page.language.code == parts[0] else None
    rel = "/".join(parts[1:] if language else parts)
    name = posixpath.basename(rel)
    if posixpath.splitext(name)[0] != "index":
        return language, ""
    return language, posixpath.dirname(rel)


# A meeting's text is dated by its meeting, which is announced before it happens; the home page is never held.
NEVER_SCHEDULED = frozenset({"meetings"})


def with_schedule(page: Page, today: dt.date) -> Page:
    """A post dated after `today` (the build's day in the site's time zone) waits for its day, as in
    Jekyll and Hugo: a statement written ahead of an action is not public before it."""
    due = (page.date is not None and page.date > today and page.section not in NEVER_SCHEDULED
           and page.key != "index")
    return replace(page, scheduled=True) if due != page.scheduled else page


def next_due(held: list[Page], timezone: dt.tzinfo) -> dt.datetime | None:
    """The first moment a scheduled post is due: the build after it must publish it."""
    days = [page.date for page in held if page.scheduled and page.date is not None]
    if not days:
        return None
    return dt.datetime.combine(min(days), dt.time(), timezone)


def draft_findings(drafts: list[Page], shown: bool) -> list[Finding]:
    what = "shown by --drafts, never published" if shown else "not published"
    return [_scheduled_finding(page, shown) if page.scheduled and not page.draft else
            finding("draft", f"draft ({what}): {page.url}", SourceLocation(page.path, _flag_line(page)),
                    hint="remove `draft: true` (or `published: false`) to publish it")
            for page in sorted(drafts, key=lambda page: str(page.path))]


def _scheduled_finding(page: Page, shown: bool) -> Finding:
    what = "shown by --drafts until then" if shown else "published by the first build on or after that day"
    return finding("scheduled", f"scheduled for {page.date} ({what}): {page.url}",
                   SourceLocation(page.path, page.front_matter.line_of("date")),
                   hint="change its `date:` to publish it sooner")


def _flag_line(page: Page) -> int | None:
    key = "draft" if page.data.get("draft") is True else "published"
    return page.front_matter.line_of(key)
