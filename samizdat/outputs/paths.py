"""Where the build puts per-language files; templates and writers both ask here."""

from __future__ import annotations

from samizdat.config import Language
from samizdat.content.pages import Page
from samizdat.content.urls import confine

FEED_NAME = "feed.xml"
CALENDAR_NAME = "meetings.ics"


def _prefixed(language: Language, name: str) -> str:
    return f"{language.prefix}/{name}" if language.prefix else name


def feed_path(language: Language) -> str:
    return _prefixed(language, FEED_NAME)


def calendar_path(language: Language) -> str:
    return _prefixed(language, CALENDAR_NAME)


def meeting_ics_path(page: Page) -> str:
    """Beside the meeting's page, named after the meeting so the download has a telling name."""
    # Both parts were confined when the page was read (its output path, its translation key); confining
    # the joined path again keeps the promise if either rule changes.
    return confine(page.output_path.rsplit("/", 1)[0] + f"/{page.slug}.ics")
