"""Template errors in a volunteer's words (which file and line, which name is unknown, what there is),
and every page's mistake reported by one build."""

from __future__ import annotations

import pytest

from tests.hostile import Sandbox, assert_refused

CASES = [  # (page text, words the message must hold)
    ("{{ site.baseurl }}", ["site has no value 'baseurl'", "base_url", "url filter"]),
    ("{{ page.tittle }}", ["page has no value 'tittle'", "title"]),
    ("{{ foo }}", ["unknown name 'foo'", " page,", " site,", " url_of"]),
    ("{{ '/x/'|relative_url }}", ["unknown filter 'relative_url'", "url", "{{ '/about/'|url }}"]),
    ("{% assign x = 1 %}", ["unknown tag {% assign %}", "{% set name = … %}"]),
    ("{{ lang.nmae }}", ["lang has no value 'nmae'", "name"]),
    ("{% for post in site.posts %}{% endfor %}", ["site has no value 'posts'", "collections.news(lang)"]),
]


@pytest.mark.parametrize(("code", "words"), CASES)
def test_a_page_template_error_says_what_is_wrong(sandbox: Sandbox, capsys: pytest.CaptureFixture[str], code: str,
                                                  words: list[str]) -> None:
    sandbox.write({"content/en/about.md": f"---\ntitle: About\n---\n\nText.\n\n{code}\n"})
    outcome = sandbox.build(capsys)
    assert_refused(outcome, "content/en/about.md", 7)
    for word in words:
        assert word in outcome.err, outcome.err
    assert "samizdat.outputs" not in outcome.err and "object'" not in outcome.err  # no Python names


def test_a_layout_error_names_the_template_line(sandbox: Sandbox, capsys: pytest.CaptureFixture[str]) -> None:
    sandbox.write({"templates/default.html": '{% extends "base.html" %}\n{% block main %}\n'
                                             "{{ site.baseurl }}{{ page.content }}\n{% endblock %}\n"})
    outcome = sandbox.build(capsys)
    assert_refused(outcome, "templates/default.html", 3)
    assert "site has no value 'baseurl'" in outcome.err
    assert outcome.err.count("default.html:3") == 1  # every page fails the same way: told once


def test_every_page_mistake_is_reported_at_once(sandbox: Sandbox, capsys: pytest.CaptureFixture[str]) -> None:
    sandbox.write({f"content/en/p{n}.md": f"---\ntitle: P{n}\n---\n{{{{ missing{n} }}}}\n" for n in range(3)}
                  | {"content/ko/bad.md": "---\ntitle: B\nlayout: nosuch\n---\nText.\n"})
    outcome = sandbox.build(capsys)
    assert outcome.code == 1
    for n in range(3):
        assert f"p{n}.md:4" in outcome.err and f"unknown name 'missing{n}'" in outcome.err
    assert "layout 'nosuch' does not exist" in outcome.err
    assert sum(line.startswith("error:") for line in outcome.err.splitlines()) == 4
    sandbox.assert_untouched()


def test_many_mistakes_are_cut_at_a_limit(sandbox: Sandbox, capsys: pytest.CaptureFixture[str]) -> None:
    sandbox.write({f"content/en/p{n:02d}.md": f"---\ntitle: P\n---\n{{{{ missing{n} }}}}\n" for n in range(25)})
    outcome = sandbox.build(capsys)
    assert outcome.code == 1 and outcome.err.count("unknown name") == 20
    assert "and 5 more problem(s)" in outcome.err


def test_every_file_mistake_is_reported_at_once(sandbox: Sandbox, capsys: pytest.CaptureFixture[str]) -> None:
    sandbox.write({"content/en/a.md": "---\ntitle: [broken\n---\nA\n",
                   "content/en/b.md": "---\ntitle: 2022\n---\nB\n",
                   "meetings/2026-12-05-x.yaml": 'start: "2026-02-30 15:00"\nplace:\n  name: X\n',
                   "meetings/2026-12-06-y.yaml": 'start: "2026-12-06 25:00"\nplace:\n  name: Y\n'})
    outcome = sandbox.build(capsys)
    assert outcome.code == 1 and "Traceback" not in outcome.err
    assert "content/en/a.md:2" in outcome.err and "content/en/b.md:2" in outcome.err  # both pages at once
    sandbox.write({"content/en/a.md": "---\ntitle: A\n---\nA\n", "content/en/b.md": "---\ntitle: B\n---\nB\n"})
    outcome = sandbox.build(capsys)
    assert "2026-12-05-x.yaml:1" in outcome.err and "2026-12-06-y.yaml:1" in outcome.err  # both meetings
