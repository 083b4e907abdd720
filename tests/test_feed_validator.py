"""Every Atom feed passes the W3C feed validator (its source, vendored in tests/vendor) with nothing above
information level: the bundled site's feeds, and a site with upcoming, moved, cancelled and past meetings
and news posts, as feed readers meet them."""

from __future__ import annotations

import sys
from pathlib import Path

import feedparser
import pytest

from samizdat.build.pipeline import render_site
from tests.conftest import BUNDLED_SITE
from tests.test_feed_dates import CONFIG, FEEDS, NOW, facts, texts

sys.path.insert(0, str(Path(__file__).parent / "vendor"))
import feedvalidator
from feedvalidator import logging as feed_logging


def problems(feed: bytes, url: str) -> list[str]:
    """Warnings and errors the validator logs for a feed served at `url` (information is left out)."""
    events = feedvalidator.validateString(feed, firstOccurrenceOnly=1, base=url)["loggedEvents"]
    serious = [e for e in events if isinstance(e, feed_logging.Warning | feed_logging.Error)]
    return [f"{type(e).__name__} line {e.params.get('line')}: {e.params}" for e in serious]


@pytest.fixture
def meetings_site(make_site) -> Path:
    files = {
        "meetings/2026-12-05-rally.yaml": facts("2026-12-05 15:00"),
        "meetings/2026-12-12-moved.yaml": facts("2026-12-12 15:00", 'updated: "2026-11-25 09:00"\n'),
        "meetings/2026-12-19-off.yaml": facts("2026-12-19 15:00", "status: cancelled\n"),
        "meetings/2022-02-27-first.yaml": facts("2022-02-27"),
        "content/en/news/2026-03-01-statement.md": "---\ntitle: Statement\n---\nWe stand with Ukraine.\n",
        "content/ru/news/2026-03-01-statement.md": "---\ntitle: Заявление\n---\nМы с Украиной.\n",
        **texts("2026-12-05-rally"), **texts("2026-12-12-moved"), **texts("2026-12-19-off"),
        **texts("2022-02-27-first"),
    }
    return make_site(files, config=CONFIG)


def test_the_bundled_sites_feeds_are_valid() -> None:
    output = render_site(BUNDLED_SITE)
    feeds = {rel: data for rel, data in output.pages.items() if rel.endswith("feed.xml")}
    assert len(feeds) == 3
    for rel, data in feeds.items():
        assert problems(data, f"{output.config.base_url}/{rel}") == [], rel


def test_meeting_and_news_feeds_are_valid(meetings_site: Path) -> None:
    output = render_site(meetings_site, now=NOW)
    for rel in FEEDS.values():
        data = output.pages[rel]
        assert data.count(b"<entry") >= 5, rel  # the four meetings and the news post, in every language
        assert problems(data, f"https://example.org/{rel}") == [], rel


def test_the_validator_finds_a_broken_feed() -> None:
    """The check bites: a feed without ids and dates is reported."""
    broken = (b'<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
              b"<title>x</title><entry><title>y</title></entry></feed>")
    assert problems(broken, "https://example.org/feed.xml")


def test_control_characters_in_a_title_leave_the_feed_readable(make_site) -> None:
    """XML has no place for most control characters, even escaped: one pasted into a title made readers
    refuse the language's whole feed. The entry stays, without them."""
    site = make_site({"content/en/news/2026-03-01-statement.md":
                      '---\ntitle: "Meet\\x0b\\x01\\uFFFE here"\n---\nWe stand\x0c with Ukraine.\n'}, config=CONFIG)
    output = render_site(site, now=NOW)
    data = output.pages[FEEDS["en"]]
    assert problems(data, f"https://example.org/{FEEDS['en']}") == []
    parsed = feedparser.parse(data)
    assert not parsed.bozo, parsed.bozo_exception
    assert [entry.title for entry in parsed.entries if "Meet" in entry.title] == ["Meet here"]
