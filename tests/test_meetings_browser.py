"""A visitor's clock, not the build's, decides what is upcoming: the page stays right on a static host."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from samizdat.build.pipeline import render_site
from samizdat.build.writer import write_output
from tests.browser import PageWatch, static_server
from tests.test_meetings import NOW, SEOUL, site  # noqa: F401  (the fixture)

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.browser


def visible_titles(page) -> list[str]:  # type: ignore[no-untyped-def]
    return page.locator("#next-meeting-list .card-title a").evaluate_all(
        "links => links.filter(a => a.checkVisibility()).map(a => a.textContent)")


@pytest.mark.parametrize(("clock", "expected"), [
    (dt.datetime(2026, 12, 1, 12, 0, tzinfo=SEOUL), ["en 2026-12-05-upcoming"]),
    (dt.datetime(2026, 12, 5, 17, 30, tzinfo=SEOUL), ["en 2026-12-12-moved"]),  # the first one has ended
    (dt.datetime(2027, 1, 10, 9, 0, tzinfo=SEOUL), []),
])
def test_next_meeting_follows_the_visitors_clock(browser, site: Path, tmp_path: Path,  # noqa: F811
                                                 clock: dt.datetime, expected: list[str]) -> None:
    output = render_site(site, now=NOW)  # built days before the visit
    write_output(tmp_path / "out", output.pages, output.copies)
    with static_server(tmp_path / "out") as base:
        page = browser.new_page()
        watched = PageWatch()
        watched.attach(page)
        page.clock.set_fixed_time(clock)
        page.goto(base + "/en/")
        assert visible_titles(page) == expected
        none_planned = page.locator(".next-meeting .none-planned")
        assert none_planned.is_visible() == (expected == [])
        page.goto(base + "/en/meetings/2026-12-05-upcoming/")
        assert page.locator(".time-state.passed").is_visible() == (clock > dt.datetime(2026, 12, 5, 17, 0,
                                                                                         tzinfo=SEOUL))
        assert watched.errors == []  # no CSP violation: the script runs by its hash
        page.close()
