"""A post dated after the build's day waits for its day, as in Jekyll and Hugo: a statement written
ahead of an action is not public before it. `check` lists it, `serve --drafts` shows it marked, and the
first build on its day publishes it (the build's up-to-date record expires then)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from samizdat.build.options import BuildOptions
from samizdat.build.pipeline import render_site
from tests.conftest import MINIMAL_CONFIG
from tests.hostile import Sandbox

SEOUL = ZoneInfo("Asia/Seoul")
CONFIG = MINIMAL_CONFIG.replace('base_url = "https://example.org"',
                                'base_url = "https://example.org"\ntimezone = "Asia/Seoul"')
SECRET = "embargoed-7f3a"
FILES = {
    "content/ru/index.md": "---\ntitle: Главная\n---\nПривет.\n",
    "content/en/index.md": "---\ntitle: Home\n---\n{{ latest_news() }}\n",
    "content/en/news/index.md": "---\ntitle: News\n---\n",
    "content/en/news/2026-11-01-old.md": "---\ntitle: Old statement\n---\nPublished.\n",
    "content/en/news/2026-12-01-action.md": f"---\ntitle: {SECRET}\n---\nWe go out on the first.\n",
    "content/en/letter.md": f"---\ntitle: Letter\ndate: 2026-12-02\n---\n{SECRET} letter.\n",
    "meetings/2026-12-05-rally.yaml": 'start: "2026-12-05 15:00"\nplace:\n  name: Bosingak\n  address: Jongno 54\n',
    "content/en/meetings/2026-12-05-rally.md": "---\ntitle: Rally\n---\nCome.\n",
}
BEFORE = dt.datetime(2026, 11, 30, 23, 30, tzinfo=SEOUL)  # the evening before, in the site's zone
ON_THE_DAY = dt.datetime(2026, 12, 1, 0, 5, tzinfo=SEOUL)


@pytest.fixture
def site(make_site) -> Path:
    return make_site(FILES, config=CONFIG)


def test_a_post_dated_tomorrow_is_published_nowhere(site: Path) -> None:
    output = render_site(site, now=BEFORE)
    assert "en/news/2026-11-01-old/index.html" in output.pages
    assert "en/meetings/2026-12-05-rally/index.html" in output.pages  # a meeting's text is announced ahead
    assert len(output.pages) > 5
    for rel, data in output.pages.items():  # listings, feeds, the sitemap, the home page's news
        assert SECRET.encode() not in data, rel
    assert not any(rel.startswith(("en/news/2026-12-01-action", "en/letter")) for rel in output.pages)
    # UTC is still on 30 November 14:30; the site's day decides, and the build must run again at its start.
    assert output.next_change == dt.datetime(2026, 12, 1, tzinfo=SEOUL)


def test_on_its_day_the_post_is_published_and_listed(site: Path) -> None:
    output = render_site(site, now=ON_THE_DAY)
    post = output.pages["en/news/2026-12-01-action/index.html"].decode()
    assert SECRET in post and "draft-mark" not in post
    assert b"2026-12-01-action" in output.pages["en/feed.xml"]
    assert b"2026-12-01-action" in output.pages["en/news/index.html"]
    assert "en/letter/index.html" not in output.pages  # its own day is the 2nd
    assert output.next_change == dt.datetime(2026, 12, 2, tzinfo=SEOUL)


def test_serve_drafts_shows_a_scheduled_post_marked(site: Path) -> None:
    output = render_site(site, BuildOptions(drafts=True), now=BEFORE)
    post = output.pages["en/news/2026-12-01-action/index.html"].decode()
    assert SECRET in post and 'class="draft-mark"' in post
    assert 'class="draft-mark"' not in output.pages["en/news/2026-11-01-old/index.html"].decode()


def test_check_lists_scheduled_posts_with_their_date_line(sandbox: Sandbox,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    files = dict(FILES)
    files["content/en/news/2099-01-01-far.md"] = "---\ntitle: Far\n---\nLater.\n"
    files["content/en/later.md"] = "---\ntitle: Later\ndate: 2099-02-01\n---\nLater.\n"
    sandbox.write(files, config=CONFIG)
    outcome = sandbox.run(capsys, "check", sandbox.site)
    assert "content/en/later.md:3: info [scheduled]: scheduled for 2099-02-01" in outcome.out, outcome.out
    assert "content/en/news/2099-01-01-far.md: info [scheduled]: scheduled for 2099-01-01" in outcome.out, outcome.out
    build = sandbox.build(capsys)
    assert build.code == 0, build.err
    assert not (sandbox.out / "en/news/2099-01-01-far").exists()
    sandbox.assert_untouched()
