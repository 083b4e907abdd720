"""Meetings refuse impossible dates and times, when created and when built, and warn about times that
fall in a clock change, naming both offsets."""

from __future__ import annotations

import datetime as dt

import pytest

from samizdat.build.pipeline import render_site
from tests.conftest import MINIMAL_CONFIG
from tests.hostile import Sandbox, assert_refused

BERLIN = MINIMAL_CONFIG.replace('base_url = "https://example.org"',
                                'base_url = "https://example.org"\ntimezone = "Europe/Berlin"')
PLACE = "place:\n  name: Alexanderplatz\n  address: Berlin\n"
TEXTS = {f"content/{code}/meetings/2026-03-29-rally.md": "---\ntitle: Rally\n---\nText.\n" for code in ("ru", "en")}


@pytest.mark.parametrize(("start", "end", "says"), [
    ("2026-02-30 15:00", None, "not a day"),
    ("2026-13-01 15:00", None, "not a day"),
    ("2026-12-05 25:00", None, "not a time of day"),
    ("2026-12-05 10:61", None, "not a time of day"),
    ("2026-12-05 15:00", "2026-12-05 14:00", "before --start"),
    ("2026-12-05 15:00", "2026-12-04", "before --start"),
    ("2026-03-29 02:30", None, "does not exist"),  # the clocks go forward in Berlin at 02:00
    ("5 December", None, "not a date"),
])
def test_new_meeting_refuses_impossible_times(sandbox: Sandbox, capsys: pytest.CaptureFixture[str], start: str,
                                              end: str | None, says: str) -> None:
    sandbox.write({}, config=BERLIN)
    outcome = sandbox.run(capsys, "new", "meeting", sandbox.site, "--start", start, "--slug", "rally",
                          *(["--end", end] if end else []))
    assert outcome.code == 1 and "Traceback" not in outcome.err
    assert says in outcome.err and "nothing was written" in outcome.err, outcome.err
    sandbox.assert_untouched()  # not one of the facts file and the texts was written


def test_new_meeting_warns_of_a_time_that_happens_twice(sandbox: Sandbox, capsys: pytest.CaptureFixture[str]) -> None:
    sandbox.write({}, config=BERLIN)
    outcome = sandbox.run(capsys, "new", "meeting", sandbox.site, "--start", "2026-10-25 02:30", "--slug", "rally")
    assert outcome.code == 0, outcome.err
    assert "happens twice" in outcome.err and "+02:00" in outcome.err and "+01:00" in outcome.err
    facts = (sandbox.site / "meetings/2026-10-25-rally.yaml").read_text(encoding="utf-8")
    assert 'start: "2026-10-25 02:30"' in facts and "announced:" in facts


@pytest.mark.parametrize(("start", "problem"), [
    ('"2026-02-30 15:00"', "not a day"),
    ('"2026-12-05 24:00"', "not a time of day"),
    ('"2026-10-25 02:30+05:00"', "never at +05:00"),
])
def test_build_refuses_impossible_times_with_the_line(sandbox: Sandbox, capsys: pytest.CaptureFixture[str],
                                                      start: str, problem: str) -> None:
    sandbox.write({"meetings/2026-03-29-rally.yaml": f"status: planned\nstart: {start}\n{PLACE}", **TEXTS},
                  config=BERLIN)
    outcome = sandbox.build(capsys)
    assert_refused(outcome, "2026-03-29-rally.yaml", 2)
    assert problem in outcome.err
    sandbox.assert_untouched()


@pytest.mark.parametrize(("start", "warned", "offset"), [
    ('"2026-03-29 02:30"', "does not exist", None),
    ('"2026-10-25 02:30"', "happens twice", dt.timedelta(hours=2)),
    ('"2026-10-25 02:30+01:00"', None, dt.timedelta(hours=1)),  # the author chose: no warning
    ('"2026-10-25 02:30+02:00"', None, dt.timedelta(hours=2)),
    ('"2026-06-01 02:30"', None, dt.timedelta(hours=2)),
])
def test_build_warns_of_clock_changes_naming_both_offsets(make_site, start: str, warned: str | None,
                                                          offset: dt.timedelta | None) -> None:
    site = make_site({"meetings/2026-03-29-rally.yaml": f"status: planned\nstart: {start}\n{PLACE}", **TEXTS},
                     config=BERLIN)
    output = render_site(site, now=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    clock = [item for item in output.findings if "+01:00" in item.message]
    if warned is None:
        assert not clock
    else:
        assert len(clock) == 1 and warned in clock[0].message and "+02:00" in clock[0].message
        assert clock[0].location is not None and clock[0].location.line == 2
    if offset is not None:
        page = output.pages["en/meetings/2026-03-29-rally/index.html"].decode()
        sign = f"+{int(offset.total_seconds() // 3600):02d}:00"
        assert f"02:30:00{sign}" in page, page
