"""Meetings and news: listings, fallbacks, calendars, feeds, sitemap, read back with real parsers."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from zoneinfo import ZoneInfo

import feedparser
import icalendar
import pytest

from samizdat.build.output import SiteOutput
from samizdat.build.pipeline import render_site
from samizdat.build.writer import write_output
from samizdat.i18n.dates import format_when

SEOUL = ZoneInfo("Asia/Seoul")
NOW = dt.datetime(2026, 11, 27, 12, 0, tzinfo=SEOUL)
CONFIG_TAIL = 'timezone = "Asia/Seoul"\n'


def meeting(start: str, status: str = "planned", extra: str = "") -> str:
    return (f'start: "{start}"\nstatus: {status}\n{extra}place:\n  name:\n    ru: Посингак\n    en: Bosingak\n'
            "    ko: 보신각\n  address: Jongno 54, Seoul\n  lat: 37.5701\n  lon: 126.9835\n")


def text(title: str) -> str:
    return f"---\ntitle: {title}\n---\n\nText of {title}.\n"


MEETINGS = {
    "2026-12-05-upcoming": meeting("2026-12-05 15:00", extra='end: "2026-12-05 17:00"\n'
                                   "instagram: https://www.instagram.com/p/Example/\n"),
    "2026-12-12-moved": meeting("2026-12-12 15:00", "moved", 'previous_start: "2026-12-06 15:00"\n'),
    "2026-12-19-cancelled": meeting("2026-12-19 15:00", "cancelled"),
    "2022-02-27-first": meeting("2022-02-27"),
}


@pytest.fixture
def site(make_site) -> Path:
    from tests.conftest import MINIMAL_CONFIG

    files: dict[str, str | bytes] = {}
    for name, facts in MEETINGS.items():
        files[f"meetings/{name}.yaml"] = facts
        for code in ("ru", "en", "ko"):
            files[f"content/{code}/meetings/{name}.md"] = text(f"{code} {name}")
    for code in ("ru", "en", "ko"):
        files[f"content/{code}/index.md"] = "---\ntitle: Home\n---\n\n{{ next_meeting() }}\n\n{{ latest_news() }}\n"
        files[f"content/{code}/meetings/index.md"] = text(f"{code} meetings")
        files[f"content/{code}/news/index.md"] = text(f"{code} news")
    for code in ("ru", "en"):  # no Korean version: the Korean listings fall back to Russian
        files[f"content/{code}/news/2026-11-20-statement.md"] = text(f"{code} statement")
    return make_site(files, config=MINIMAL_CONFIG.replace('base_url = "https://example.org"',
                                                          'base_url = "https://example.org"\n' + CONFIG_TAIL))


@pytest.fixture
def built(site: Path, tmp_path: Path) -> tuple[SiteOutput, Path]:
    output = render_site(site, now=NOW)
    out = tmp_path / "out"
    write_output(out, output.pages, output.copies)
    return output, out


def read(out: Path, rel: str) -> str:
    return (out / rel).read_text(encoding="utf-8")


def test_meetings_page_lists_upcoming_then_past_by_year(built) -> None:
    _, out = built
    html = read(out, "en/meetings/index.html")
    upcoming, past = html.split('id="past-title"')
    order = [upcoming.index(f"en 2026-12-{day}") for day in ("05-upcoming", "12-moved", "19-cancelled")]
    assert order == sorted(order)
    assert "<h3>2022</h3>" in past and "en 2022-02-27-first" in past
    assert "en 2022-02-27-first" not in upcoming


def test_home_shows_next_meeting_first_with_end_times_for_the_script(built) -> None:
    _, out = built
    html = read(out, "kr/index.html")
    block = html[html.index('class="next-meeting"'):html.index("</section>")]
    items = re.findall(r'<li data-hide-after="([^"]+)">.*?card-title"><a href="([^"]+)"', block, re.S)
    assert items[0] == ("2026-12-05T17:00:00+09:00", "/kr/meetings/2026-12-05-upcoming/")
    assert [href for _, href in items][1:] == ["/kr/meetings/2026-12-12-moved/", "/kr/meetings/2026-12-19-cancelled/"]
    assert re.search(r'<p class="none-planned" data-show-if-empty="next-meeting-list" hidden>', block)
    assert "2026년 12월 5일 토요일 오후 3:00~5:00" in block


def test_cancelled_and_moved_are_shown_prominently(built) -> None:
    _, out = built
    cancelled = read(out, "meetings/2026-12-19-cancelled/index.html")
    assert '<p class="status-banner cancelled"><strong>Отменена.</strong>' in cancelled
    moved = read(out, "en/meetings/2026-12-12-moved/index.html").replace("\u202f", " ")  # CLDR: 3:00 PM
    assert "<strong>Moved.</strong> It was planned for Sunday, December 6, 2026, 3:00 PM" in moved
    listing = read(out, "en/meetings/index.html")
    assert '<p class="status-badge cancelled">Cancelled</p>' in listing


def test_past_meeting_page_says_so_and_links_calendar_and_map(built) -> None:
    _, out = built
    html = read(out, "en/meetings/2022-02-27-first/index.html")
    assert re.search(r'<p class="time-state passed" data-show-after="2022-02-28T00:00:00\+09:00">', html)
    assert 'href="/en/meetings/2022-02-27-first/2022-02-27-first.ics" download' in html
    assert 'href="https://www.openstreetmap.org/?mlat=37.5701&amp;mlon=126.9835' in html
    assert "<iframe" not in html


def test_missing_translation_falls_back_with_notice_and_warning(built, site: Path) -> None:
    output, out = built
    html = read(out, "kr/news/index.html")
    assert '<a href="/news/2026-11-20-statement/" lang="ru">ru statement</a>' in html
    assert "아직 번역되지 않아 러시아어로 보여 드립니다." in html
    messages = [str(finding) for finding in output.findings]
    assert any(f"missing translation: {site / 'content/ko/news/2026-11-20-statement.md'}" in m for m in messages)


def test_calendars_parse_with_zone_status_uid_and_language(built) -> None:
    _, out = built
    calendars = {code: icalendar.Calendar.from_ical(read(out, path))
                 for code, path in (("ru", "meetings.ics"), ("en", "en/meetings.ics"), ("ko", "kr/meetings.ics"))}
    uids = {code: sorted(str(e["UID"]) for e in cal.walk("VEVENT")) for code, cal in calendars.items()}
    assert uids["ru"] == uids["en"] == uids["ko"] and len(uids["ru"]) == 4
    assert "2026-12-05-upcoming@example.org" in uids["ru"]
    events = {str(e["UID"]).split("@")[0]: e for e in calendars["ko"].walk("VEVENT")}
    upcoming = events["2026-12-05-upcoming"]
    assert upcoming.decoded("DTSTART") == dt.datetime(2026, 12, 5, 15, 0, tzinfo=SEOUL)
    assert str(upcoming.decoded("DTSTART").tzinfo) == "Asia/Seoul"
    assert upcoming.decoded("DTEND") == dt.datetime(2026, 12, 5, 17, 0, tzinfo=SEOUL)
    assert str(upcoming["SUMMARY"]) == "ko 2026-12-05-upcoming"
    assert upcoming["SUMMARY"].params["LANGUAGE"] == "ko"
    assert str(upcoming["URL"]) == "https://example.org/kr/meetings/2026-12-05-upcoming/"
    assert str(events["2026-12-19-cancelled"]["STATUS"]) == "CANCELLED"
    assert str(events["2026-12-12-moved"]["STATUS"]) == "CONFIRMED"
    first = events["2022-02-27-first"]
    assert first.decoded("DTSTART") == dt.date(2022, 2, 27) and first.decoded("DTEND") == dt.date(2022, 2, 28)
    assert [tz["TZID"] for tz in calendars["ko"].walk("VTIMEZONE")] == ["Asia/Seoul"]
    single = icalendar.Calendar.from_ical(read(out, "en/meetings/2026-12-05-upcoming/2026-12-05-upcoming.ics"))
    assert [str(e["UID"]) for e in single.walk("VEVENT")] == ["2026-12-05-upcoming@example.org"]


def test_feeds_parse_with_stable_ids_and_absolute_links(built, site: Path) -> None:
    _, out = built
    feed = feedparser.parse(read(out, "en/feed.xml"))
    assert not feed.bozo
    assert feed.feed.language == "en" if "language" in feed.feed else True
    links = {entry.link for entry in feed.entries}
    assert "https://example.org/en/news/2026-11-20-statement/" in links
    assert "https://example.org/en/meetings/2026-12-05-upcoming/" in links
    ids = {entry.link: entry.id for entry in feed.entries}
    assert ids["https://example.org/en/news/2026-11-20-statement/"] == (
        "tag:example.org,2026-11-20:en/news/2026-11-20-statement")
    assert all(entry.updated_parsed for entry in feed.entries)
    again = render_site(site, now=NOW)
    assert again.pages["en/feed.xml"] == (out / "en/feed.xml").read_bytes()
    korean = feedparser.parse(read(out, "kr/feed.xml"))
    fallback = next(e for e in korean.entries if e.link.endswith("/news/2026-11-20-statement/"))
    assert fallback.link == "https://example.org/news/2026-11-20-statement/"
    html = read(out, "kr/index.html")
    assert '<link rel="alternate" type="application/atom+xml" href="/kr/feed.xml"' in html


def test_sitemap_lists_every_page_with_alternates(built) -> None:
    output, out = built
    root = ET.parse(out / "sitemap.xml").getroot()
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    urls = {url.find("s:loc", ns).text: url for url in root.findall("s:url", ns)}
    pages = [p for p in output.pages if p.endswith("index.html") and "/flyer/" not in p  # flyers: noindex
             and not p.removesuffix("index.html").endswith("search/")]  # the search pages find pages
    assert len(urls) == len(pages)
    upcoming = urls["https://example.org/en/meetings/2026-12-05-upcoming/"]
    alternates = {link.get("hreflang"): link.get("href") for link in upcoming.findall("x:link", ns)}
    assert alternates == {"ru": "https://example.org/meetings/2026-12-05-upcoming/",
                          "en": "https://example.org/en/meetings/2026-12-05-upcoming/",
                          "ko": "https://example.org/kr/meetings/2026-12-05-upcoming/",
                          "x-default": "https://example.org/meetings/2026-12-05-upcoming/"}
    assert "Sitemap: https://example.org/sitemap.xml" in read(out, "robots.txt")


def test_share_tags_use_local_image_and_description(make_site, run_cli, tmp_path: Path) -> None:
    from PIL import Image

    from tests.conftest import MINIMAL_CONFIG

    site = make_site({"content/en/index.md": "---\ntitle: Home\ndescription: About us.\n---\nHi\n",
                      "content/ru/index.md": "---\ntitle: Главная\n---\nПривет\n"},
                     config='image = "assets/share.jpg"\n' + MINIMAL_CONFIG)
    (site / "assets").mkdir()
    Image.new("RGB", (1200, 630), "white").save(site / "assets/share.jpg")
    assert run_cli("build", site, "-o", tmp_path / "out").code == 0
    html = read(tmp_path / "out", "en/index.html")
    assert '<meta property="og:image" content="https://example.org/assets/share.jpg">' in html
    assert '<meta property="og:locale" content="en_US">' in html
    assert '<meta property="og:description" content="About us.">' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html


@pytest.mark.parametrize(("locale", "expected"), [
    ("ko", "2026년 12월 5일 토요일 오후 3:00 (서울 시간)"),
    ("ru", "суббота, 5 декабря 2026 г., 15:00 (по сеульскому времени)"),
    ("en", "Saturday, December 5, 2026, 3:00 PM (Seoul time)"),
    ("en_GB", "Saturday, 5 December 2026, 15:00 (Seoul time)"),
])
def test_meeting_times_as_each_language_writes_them(locale: str, expected: str) -> None:
    assert format_when(dt.datetime(2026, 12, 5, 15, 0, tzinfo=SEOUL), None, locale).replace("\u202f", " ").replace(
        "\xa0", " ") == expected


BAD_MEETINGS = {
    "no start": ('status: planned\nplace:\n  name: X\n', ":1:", "the meeting has no start"),
    "end before start": ('start: "2026-12-05 15:00"\nend: "2026-12-05 13:00"\nplace:\n  name: X\n', ":2:",
                         "ends before it starts"),
    "unknown zone": ('start: "2026-12-05 15:00"\ntimezone: Asia/Pyongyang-ish\nplace:\n  name: X\n', ":2:",
                     "unknown time zone"),
    "unknown status": ('start: "2026-12-05 15:00"\nstatus: postponed\nplace:\n  name: X\n', ":2:",
                       "unknown status 'postponed'"),
    # a region alone is a folder of the zone database: an IsADirectoryError, then a traceback
    "a region for a zone": ('start: "2026-12-05 15:00"\ntimezone: America\nplace:\n  name: X\n', ":2:",
                            "unknown time zone 'America'"),
    "a zone name too long for a file name": ('start: "2026-12-05 15:00"\ntimezone: ' + "x" * 300
                                             + '\nplace:\n  name: X\n', ":2:", "unknown time zone 'xxx"),
    # float() of each of these was a traceback
    "a latitude that is text": ('start: "2026-12-05 15:00"\nplace:\n  name: X\n  lat: "37.5 N"\n  lon: 126.9\n',
                                ":4:", "place lat: '37.5 N' is not a number of degrees from -90 to 90"),
    "a longitude that is a list": ('start: "2026-12-05 15:00"\nplace:\n  name: X\n  lat: 37.5\n  lon: [126, 9]\n',
                                   ":5:", "place lon: [126, 9] is not a number of degrees from -180 to 180"),
    "a latitude past the pole": ('start: "2026-12-05 15:00"\nplace:\n  name: X\n  lat: 126.9\n  lon: 37.5\n',
                                 ":4:", "place lat: 126.9 is not a number of degrees"),
    "no number": ('start: "2026-12-05 15:00"\nplace:\n  name: X\n  lat: .nan\n  lon: 126.9\n', ":4:",
                  "place lat: nan is not a number of degrees"),
}


def test_whole_degrees_make_the_same_map_link_as_ever(make_site, run_cli, tmp_path: Path) -> None:
    facts = 'start: "2026-12-05 15:00"\nplace:\n  name: X\n  lat: 37\n  lon: -127\n'
    site = make_site({"meetings/2026-12-05-x.yaml": facts, "content/en/meetings/2026-12-05-x.md": text("x")})
    assert run_cli("build", site, "-o", tmp_path / "out").code == 0
    html = read(tmp_path / "out", "en/meetings/2026-12-05-x/index.html")
    assert 'href="https://www.openstreetmap.org/?mlat=37&amp;mlon=-127#map=18/37/-127"' in html


@pytest.mark.parametrize("case", sorted(BAD_MEETINGS))
def test_bad_meeting_names_file_and_line(case: str, make_site, run_cli, tmp_path: Path) -> None:
    facts, line, words = BAD_MEETINGS[case]
    site = make_site({"meetings/2026-12-05-x.yaml": facts, "content/en/meetings/2026-12-05-x.md": text("x")})
    result = run_cli("build", site, "-o", tmp_path / "out")
    assert result.code == 1
    assert f"meetings/2026-12-05-x.yaml{line}" in result.err and words in result.err
    assert not (tmp_path / "out").exists()


def test_new_meeting_builds_at_once_with_placeholder_warnings(make_site, run_cli, tmp_path: Path) -> None:
    site = make_site({f"content/{code}/index.md": "Hi\n" for code in ("ru", "en", "ko")})
    created = run_cli("new", "meeting", site, "--start", "2026-12-05 15:00", "--slug", "bosingak")
    assert created.code == 0 and "meetings/2026-12-05-bosingak.yaml" in created.out
    result = run_cli("build", site, "-o", tmp_path / "out")
    assert result.code == 0, result.err
    assert result.err.count("placeholder left to fill in") == 12  # place + address × 3, title + text × 3
    assert "content/ko/meetings/2026-12-05-bosingak.md:2: warning" in result.err
    assert (tmp_path / "out/kr/meetings/2026-12-05-bosingak/index.html").is_file()
    again = run_cli("new", "meeting", site, "--start", "2026-12-05 15:00", "--slug", "bosingak")
    assert again.code == 1 and "already exists; nothing was written" in again.err


def test_new_post_in_every_language(make_site, run_cli, tmp_path: Path) -> None:
    site = make_site({"content/en/index.md": "Hi\n"})
    assert run_cli("new", "post", site, "--slug", "statement", "--date", "2026-03-01").code == 0
    assert run_cli("build", site, "-o", tmp_path / "out").code == 0
    html = read(tmp_path / "out", "kr/news/2026-03-01-statement/index.html")
    assert '<time datetime="2026-03-01">2026년 3월 1일</time>' in html


def test_feed_content_carries_no_tracking_parameters(make_site, tmp_path: Path) -> None:
    from tests.conftest import MINIMAL_CONFIG

    post = ("---\ntitle: Statement\n---\n\nSee [the post](https://www.instagram.com/p/Abc/?igsh=tracker123&x=1).\n")
    site = make_site({"content/en/news/2026-03-01-statement.md": post}, config=MINIMAL_CONFIG)
    output = render_site(site, now=NOW)
    feed = feedparser.parse(output.pages["en/feed.xml"])
    content = feed.entries[0].content[0].value
    assert "https://www.instagram.com/p/Abc/?x=1" in content and "igsh" not in content
