"""A page nested deeper than browsers show is refused before it is parsed: the HTML parser's time grows
faster than the square of the depth (200,000 nested <div> took minutes), and Markdown makes such a page
from one line of `> > > …`."""

from __future__ import annotations

import pytest

from samizdat.nesting import MAX_DEPTH, nesting_depth
from tests import hostile
from tests.hostile import Sandbox, assert_refused

sandbox = hostile.sandbox  # the fixture

DEEP = {  # each is a page of about a megabyte; the parser would take minutes on it
    "quotes in quotes": "> " * 200_000 + "x",
    "elements never closed": "<div>" * 200_000,
    "stray end tags between them": "</span><div>" * 100_000,
    "end tags of elements not open": "<section>" + "</div><section>" * 100_000,
}


@pytest.mark.parametrize("deep", DEEP)
def test_a_page_nested_too_deep_is_refused(sandbox: Sandbox, capsys: pytest.CaptureFixture[str], deep: str) -> None:
    sandbox.write({"content/en/about.md": "---\ntitle: About\n---\n" + DEEP[deep] + "\n"})
    outcome = sandbox.build(capsys)
    assert_refused(outcome, "content/en/about.md")
    assert f"more than the {MAX_DEPTH} browsers show" in outcome.err
    sandbox.assert_untouched()


def test_a_published_html_file_nested_too_deep_is_refused(sandbox: Sandbox,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    sandbox.write({"assets/deep.html": "<!doctype html><title>x</title>" + "<div>" * 200_000})
    outcome = sandbox.build(capsys)
    assert_refused(outcome, "assets/deep.html")
    assert "nest 200,000 deep" in outcome.err


def test_pages_that_leave_elements_open_as_html_allows_still_build(sandbox: Sandbox,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """Paragraphs, list items and table cells close themselves; many of them are not deep."""
    body = "<ul>" + "<li>item" * 2000 + "</ul>\n\n<table>" + "<tr><td>a<td>b" * 1000 + "</table>\n\n" + "<p>x" * 2000
    sandbox.write({"content/en/about.md": "---\ntitle: About\n---\n" + body + "\n"})
    outcome = sandbox.build(capsys)
    assert outcome.code == 0, outcome.err
    page = (sandbox.out / "en/about/index.html").read_text(encoding="utf-8")
    assert page.count("<li>item") == 2000


def test_the_measure_follows_the_parser() -> None:
    assert nesting_depth("<div>" * 600) == 600
    assert nesting_depth("<div></div>" * 600) == 1
    assert nesting_depth("<p>" * 600) == 0
    assert nesting_depth("<div><span>" * 300 + "</div>" * 300) == 600  # an end tag closes what it holds
    assert nesting_depth("<b>x</b>" * 1000) == 1
    assert nesting_depth("<div>" * 100) <= MAX_DEPTH  # a page with few tags is not measured at all
