"""`samizdat check` gives every broken link its line, once per line it is written on."""

from __future__ import annotations

import re

import pytest

from tests.hostile import Sandbox

CASES = [  # (the page's text, the lines a broken-link finding must name)
    ("---\ntitle: 소식\n---\n\n[모임](/kr/없는-페이지/)\n", [5]),  # raw Korean letters
    ("---\ntitle: 소식\n---\n\n[모임](없는-페이지/)\n", [5]),  # relative, raw Korean letters
    ("---\ntitle: T\n---\n\n[a](/kr/gone/)\n\ntext\n\n[b](/kr/gone/)\n", [5, 9]),  # the same URL twice
    ("---\ntitle: T\n---\n\n[a](/kr/%EC%97%86%EC%9D%8C/) and\n[b](/kr/없음/)\n", [5, 6]),  # typed either way
    ("---\ntitle: T\n---\n\n[a](/kr/#없는-제목)\n", [5]),  # an anchor with Korean letters
]


@pytest.mark.parametrize(("text", "lines"), CASES)
def test_each_broken_link_has_its_line(sandbox: Sandbox, capsys: pytest.CaptureFixture[str], text: str,
                                       lines: list[int]) -> None:
    sandbox.write({"content/ko/news.md": text})
    outcome = sandbox.run(capsys, "check", sandbox.site)
    assert outcome.code == 1
    found = [int(line) for line in re.findall(r"content/ko/news\.md:(\d+): error \[broken-(?:link|anchor)\]",
                                              outcome.out)]
    assert found == lines, outcome.out


def test_a_page_of_thousands_of_problems_is_checked_in_bounded_time(
        sandbox: Sandbox, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Each finding searched its page's lines, so a stranger's page of 20,000 images from other hosts, one a
    line, made `samizdat check` (and the editor's publish, which runs it) look at 400 million lines for two
    minutes. The lines looked at are counted: past the limit (made small here), every problem is still
    reported, naming its page alone, as where the line cannot be told."""
    import samizdat.checks.locate as locate

    monkeypatch.setattr(locate, "LINES_LOOKED_AT", 1_000)
    images = "\n".join(f'<img src="https://h{n}.example/x.png" alt="{n}">' for n in range(60))
    sandbox.write({"content/ko/news.md": f"---\ntitle: T\n---\n\n{images}\n"})
    outcome = sandbox.run(capsys, "check", sandbox.site)
    assert outcome.code == 1
    found = re.findall(r"content/ko/news\.md(:\d+)?: error \[third-party-load\]: <img> loads https://h(\d+)\.",
                       outcome.out)
    assert sorted(int(n) for _, n in found) == list(range(60))  # every one reported
    located = {int(n): int(line[1:]) for line, n in found if line}
    assert 0 < len(located) < 60 and all(located[n] == 5 + n for n in located)


def test_a_link_that_works_is_not_looked_for_in_the_sources(sandbox: Sandbox, capsys: pytest.CaptureFixture[str],
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Every link inside the site was traced to its source line before the check knew it was broken: a
    stranger's page of 20,000 headings, each linked, took 10 s of looking for lines no finding needed (and
    every page's menu links were looked for on every page). Only a broken link is traced now, and a page's
    ids are a set."""
    import samizdat.checks.locate as locate

    looked: list[tuple[str, ...]] = []
    real_find = locate.Locator.find

    def counted(self, page, needles, occurrence=0):  # type: ignore[no-untyped-def]
        looked.append(tuple(needles))
        return real_find(self, page, needles, occurrence)

    monkeypatch.setattr(locate.Locator, "find", counted)
    n = 300
    sections = "".join(f"## Part {i}\n\n[to part {n - 1 - i}](#part-{n - 1 - i}) and [home](/kr/)\n\n"
                       for i in range(n))
    sandbox.write({"content/ko/news.md": f"---\ntitle: T\n---\n\n{sections}[gone](#no-such-part)\n"})
    outcome = sandbox.run(capsys, "check", sandbox.site)
    assert outcome.code == 1
    assert re.findall(r"content/ko/news\.md:(\d+): error \[broken-anchor\]", outcome.out) == [str(5 + 4 * n)]
    assert [needles for needles in looked if "#no-such-part" in needles] and not [
        needles for needles in looked if any("#part-" in needle or needle == "/kr/" for needle in needles)]


def test_the_check_reads_a_page_as_a_browser_does(sandbox: Sandbox, capsys: pytest.CaptureFixture[str]) -> None:
    """A repeated attribute is its first value in a browser: `<img src="https://tracker…" src="/local">` loads
    the tracker. The check read pages with Python's HTMLParser, which keeps the last value, and so passed it.
    A `<template>`'s content is inert: nothing in it loads, and nothing in it is reported."""
    sandbox.write({"content/ko/news.md": (
        "---\ntitle: T\n---\n\n"
        '<img src="https://tracker.example/p.png" src="/kr/" alt="x">\n\n'
        '<template><img src="https://inert.example/p.png" alt="y"></template>\n')})
    outcome = sandbox.run(capsys, "check", sandbox.site)
    assert outcome.code == 1
    assert re.findall(r"content/ko/news\.md:(\d+): error \[third-party-load\]: <img> loads (\S+)", outcome.out) == [
        ("5", "https://tracker.example/p.png")]
