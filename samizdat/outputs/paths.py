"""Where the build puts per-language files; templates and writers both ask here."""

from __future__ import annotations

from samizdat.config import Language
from samizdat.content.pages import Page
from samizdat.content.urls import UnsafePath, confine
from samizdat.errors import ContentError

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
    # Both parts were confined when the page was read (its output path, its translation key), but the
    # joined name is longer by ".ics", so it is checked again.
    try:
        return confine(page.output_path.rsplit("/", 1)[0] + f"/{page.slug}.ics")
    except UnsafePath as exc:
        raise ContentError(f"the meeting's calendar file cannot be named after this page: it has {exc.problem}",
                           page.location("translation_key") if "translation_key" in page.data else page.location(),
                           hint="give the meeting a shorter name") from None
