"""Feeds and calendars as readers and calendar apps expect them: no date in the future, an entry that
changes (in every language) when its meeting is moved or cancelled, DTSTAMP never the meeting's start,
and no feed (nor a link to one) where there is nothing to put in it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import feedparser
import icalendar
import pytest

from samizdat.build.pipeline import render_site
from tests.conftest import MINIMAL_CONFIG

SEOUL = ZoneInfo("Asia/Seoul")
NOW = dt.datetime(2026, 11, 27, 12, 0, tzinfo=SEOUL)
LATER = NOW + dt.timedelta(days=3)
CONFIG = MINIMAL_CONFIG.replace('base_url = "https://example.org"',
                                'base_url = "https://example.org"\ntimezone = "Asia/Seoul"')
FEEDS = {"ru": "feed.xml", "en": "en/feed.xml", "ko": "kr/feed.xml"}
PLACE = "place:\n  name: Bosingak\n  address: Jongno 54\n"


def facts(start: str, extra: str = "") -> str:
    return f'start: "{start}"\n{extra}{PLACE}'


def texts(name: str) -> dict[str, str]:
    return {f"content/{code}/meetings/{name}.md": f"---\ntitle: {code} {name}\n---\nText.\n" for code in FEEDS}


@pytest.fixture
def site(make_site) -> Path:
    files = {"meetings/2026-12-05-rally.yaml": facts("2026-12-05 15:00"),
             "meetings/2026-12-20-later.yaml": facts("2026-12-20 15:00", 'announced: "2026-11-20 10:00"\n'),
             "meetings/2022-02-27-first.yaml": facts("2022-02-27"),
             "content/en/news/2027-01-01-scheduled.md": "---\ntitle: Scheduled\n---\nSoon.\n",
             **texts("2026-12-05-rally"), **texts("2026-12-20-later"), **texts("2022-02-27-first")}
    return make_site(files, config=CONFIG)


def feed(output, code: str) -> feedparser.FeedParserDict:
    return feedparser.parse(output.pages[FEEDS[code]])


def entries(parsed: feedparser.FeedParserDict) -> dict[str, feedparser.FeedParserDict]:
    return {entry.link.rsplit("/", 2)[-2]: entry for entry in parsed.entries}


def moment(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def test_no_date_in_a_feed_is_after_the_build(site: Path) -> None:
    output = render_site(site, now=NOW)
    for code in FEEDS:
        parsed = feed(output, code)
        assert not parsed.bozo, parsed.bozo_exception
        assert moment(parsed.feed.updated) <= NOW
        ids = [entry.id for entry in parsed.entries]
        assert len(ids) == len(set(ids)) == 3  # the three meetings: the post dated 2027 waits for its day
        assert not any("scheduled" in entry.link for entry in parsed.entries)
        for entry in parsed.entries:  # the rules of RFC 4287 the W3C validator checks for dates
            assert entry.title and entry.id and entry.link
            assert moment(entry.published) <= moment(entry.updated) <= NOW, entry.link
    got = entries(feed(output, "en"))
    assert moment(got["2026-12-20-later"].published) == dt.datetime(2026, 11, 20, 10, 0, tzinfo=SEOUL)  # announced
    day = dt.datetime(2026, 11, 27, tzinfo=dt.UTC)  # the build's day: the same bytes all day
    assert moment(got["2026-12-05-rally"].published) == day  # not announced: as of the build, not its start
    assert moment(got["2022-02-27-first"].published) == dt.datetime(2022, 2, 27, tzinfo=SEOUL)


@pytest.mark.parametrize("change", [
    "status: cancelled\n",
    "status: cancelled\nupdated: \"2026-11-26 09:00\"\n",
    'status: moved\nprevious_start: "2026-12-05 15:00"\n',
])
def test_a_changed_meeting_changes_its_entry_in_every_language(site: Path, change: str) -> None:
    before = render_site(site, now=NOW)
    path = site / "meetings/2026-12-05-rally.yaml"
    start = "2026-12-12 15:00" if "moved" in change else "2026-12-05 15:00"
    path.write_text(facts(start, change), encoding="utf-8")
    after = render_site(site, now=LATER)
    for code in FEEDS:
        old = entries(feed(before, code))["2026-12-05-rally"]
        new = entries(feed(after, code))["2026-12-05-rally"]
        assert new.id == old.id  # the same entry, so a reader shows it as changed, not as a new one
        assert moment(new.updated) > moment(old.updated)
        assert moment(new.updated) <= LATER
        assert new.title != old.title and new.title.endswith(old.title)  # "Cancelled: …" in the entry's language


def test_dtstamp_is_the_build_or_the_change_never_the_start(site: Path) -> None:
    (site / "meetings/2022-02-27-first.yaml").write_text(
        facts("2022-02-27", 'status: cancelled\nupdated: "2022-02-20 08:00"\n'), encoding="utf-8")
    output = render_site(site, now=NOW)
    calendar = icalendar.Calendar.from_ical(output.pages["en/meetings.ics"])
    stamps = {str(event["uid"]).split("@")[0]: event.decoded("dtstamp") for event in calendar.walk("VEVENT")}
    assert stamps["2026-12-05-rally"] == dt.datetime(2026, 11, 27, tzinfo=dt.UTC)  # the build's day, not the start
    assert stamps["2026-12-20-later"] == dt.datetime(2026, 11, 20, 1, 0, tzinfo=dt.UTC)  # announced
    assert stamps["2022-02-27-first"] == dt.datetime(2022, 2, 19, 23, 0, tzinfo=dt.UTC)  # updated
    assert all(stamp <= NOW for stamp in stamps.values())


def test_an_empty_feed_is_neither_written_nor_linked(make_site) -> None:
    site = make_site({f"content/{code}/index.md": f"---\ntitle: {code}\n---\nHi.\n" for code in FEEDS}
                     | {"content/en/news/index.md": "---\ntitle: News\n---\n"}, config=CONFIG)
    output = render_site(site, now=NOW)
    assert not any(rel.endswith("feed.xml") for rel in output.pages)
    for rel, data in output.pages.items():
        if rel.endswith(".html"):
            assert b"atom+xml" not in data and b"feed.xml" not in data, rel
