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
