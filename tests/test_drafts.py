"""Drafts (`draft: true`, `published: false`) are never published, anywhere; `serve --drafts` shows them marked."""

from __future__ import annotations

import pytest

from samizdat.serve.state import DevState
from tests.hostile import Sandbox, assert_refused

HIDDEN = "kept-back-4d2e"  # written in every draft: it must appear in no published file
MEETING = 'start: "2026-12-05 15:00"\nstatus: planned\nplace:\n  name: Bosingak\n  address: Jongno 54\n'

# (file, text): each kept back by its own flag, in a different place of the site.
DRAFTS = [
    ("content/ru/news/2026-11-20-plan.md", f"---\ntitle: {HIDDEN} news\ndraft: true\n---\n{HIDDEN}\n"),
    ("content/en/action.md", f"---\ntitle: {HIDDEN} page\npublished: false\nmenu: 1\n---\n{HIDDEN}\n"),
    ("content/en/route/index.md", f"---\ntitle: {HIDDEN} bundle\ndraft: true\n---\n![map](map.txt)\n"),
    ("content/ko/meetings/2026-12-05-rally.md", f"---\ntitle: {HIDDEN} meeting\ndraft: true\n---\n{HIDDEN}\n"),
]
PUBLISHED = {
    "content/ru/news/index.md": "---\ntitle: Новости\n---\n{{ latest_news() }}\n",
    "content/en/news/2026-11-21-open.md": "---\ntitle: Open statement\ndraft: false\npublished: true\n---\nHi.\n",
    "content/en/route/map.txt": f"{HIDDEN} the route\n",
    "meetings/2026-12-05-rally.yaml": MEETING,
    "content/ru/meetings/index.md": "---\ntitle: Встречи\n---\n",
}


def test_drafts_are_published_nowhere(sandbox: Sandbox, capsys: pytest.CaptureFixture[str]) -> None:
    sandbox.write(PUBLISHED | dict(DRAFTS))
    outcome = sandbox.build(capsys)
    assert outcome.code == 0, outcome.err
    sandbox.assert_untouched()
    names = {path.relative_to(sandbox.out).as_posix() for path in sandbox.output_files()}
    assert "en/news/2026-11-21-open/index.html" in names  # `draft: false` and `published: true` publish
    for path in sandbox.output_files():  # pages, listings, feeds, calendars, sitemap, menus, the bundle's file
        assert HIDDEN.encode() not in path.read_bytes(), path
    for rel in ("news/2026-11-20-plan/", "en/action/", "en/route/", "kr/meetings/2026-12-05-rally/"):
        assert not any(name.startswith(rel) for name in names), rel


def test_check_lists_every_draft_with_its_line(sandbox: Sandbox, capsys: pytest.CaptureFixture[str]) -> None:
    sandbox.write(PUBLISHED | dict(DRAFTS))
    outcome = sandbox.run(capsys, "check", sandbox.site)
    for rel, text in DRAFTS:
        line = text.split("\n").index(next(row for row in text.split("\n") if row.startswith(("draft", "published"))))
        assert f"{rel}:{line + 1}: info [draft]" in outcome.out, outcome.out


def test_serve_drafts_shows_them_marked(sandbox: Sandbox) -> None:
    sandbox.write(PUBLISHED | dict(DRAFTS))
    state = DevState(sandbox.site, drafts=True)
    state.rebuild()
    assert state.output is not None, state.error
    page = state.output.pages["en/action/index.html"].decode()
    assert 'class="draft-mark"' in page and HIDDEN in page
    assert 'class="draft-mark"' not in state.output.pages["en/news/2026-11-21-open/index.html"].decode()
    hidden = DevState(sandbox.site)  # without --drafts the dev server hides them as the build does
    hidden.rebuild()
    assert hidden.output is not None and "en/action/index.html" not in hidden.output.pages


@pytest.mark.parametrize("flag", ['draft: "yes"', 'draft: "true"', "draft:", 'published: "false"', "published: 0",
                                  "draft: [true]"])
def test_unclear_flag_is_refused(sandbox: Sandbox, capsys: pytest.CaptureFixture[str], flag: str) -> None:
    sandbox.write({"content/en/plan.md": f"---\ntitle: Plan\n{flag}\n---\n{HIDDEN}\n"})
    outcome = sandbox.build(capsys)
    assert_refused(outcome, "plan.md", 3)
    assert "true or false" in outcome.err
    sandbox.assert_untouched()
