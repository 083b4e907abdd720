"""Colour on a terminal only, and never with NO_COLOR."""

from __future__ import annotations

import io

import pytest

from samizdat.terminal import paint

LINE = "site/content/en/a.md:3: error [broken-link]: link to /x/\n  hint: correct the address"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("env", "stream", "coloured"), [
    ({}, Terminal(), True),
    ({"NO_COLOR": "1"}, Terminal(), False),
    ({"TERM": "dumb"}, Terminal(), False),
    ({}, io.StringIO(), False),  # a pipe or a file: plain text
])
def test_colour_only_where_wanted(monkeypatch: pytest.MonkeyPatch, env: dict[str, str], stream: io.StringIO,
                                  coloured: bool) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    text = paint(LINE, stream)
    assert ("\033[" in text) == coloured
    if coloured:
        assert "\033[1;31merror\033[0m [broken-link]" in text and "content/en/a.md" in text
    else:
        assert text == LINE
