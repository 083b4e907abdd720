"""Tags per language: a page and a feed per tag, names translated through data/tags.yaml, Korean and
Russian addresses that work, and a tag list per language."""

from __future__ import annotations

from urllib.parse import quote

import feedparser
import pytest

from samizdat.build.pipeline import render_site
from tests.hostile import MINIMAL_PAGES, Sandbox, assert_refused

TAG_NAMES = "ukraine: {ru: Украина, en: Ukraine, ko: 우크라이나}\n"


def post(title: str, tags: str) -> str:
    return f"---\ntitle: {title}\ntags: {tags}\n---\nText.\n"


@pytest.fixture
def output(make_site):
    site = make_site(MINIMAL_PAGES | {
        "data/tags.yaml": TAG_NAMES,
        "content/ru/news/2026-03-01-a.md": post("Пост", "[Украина, права человека]"),
        "content/en/news/2026-03-01-a.md": post("Post", "[ukraine, housing]"),
        "content/ko/news/2026-03-01-a.md": post("글", "[우크라이나, 인권]"),
        "content/en/about.md": post("About", "Housing"),  # one word, any case: the same tag
    })
    return render_site(site)


def test_each_language_has_its_tag_pages_with_its_names(output) -> None:
    pages = output.pages
    russian = pages["tags/ukraine/index.html"].decode()
    assert "<h1>Украина</h1>" in russian and ">Пост</a>" in russian and "Post" not in russian
    assert "<h1>Ukraine</h1>" in pages["en/tags/ukraine/index.html"].decode()
    assert "<h1>우크라이나</h1>" in pages["kr/tags/ukraine/index.html"].decode()
    # the switcher joins the three languages' pages of one tag
    assert 'hreflang="ko" href="https://example.org/kr/tags/ukraine/"' in russian
    housing = pages["en/tags/housing/index.html"].decode()
    assert ">Post</a>" in housing and ">About</a>" in housing


def test_russian_and_korean_tags_have_working_addresses(output) -> None:
    assert "tags/права-человека/index.html" in output.pages
    assert "kr/tags/인권/index.html" in output.pages
    post_page = output.pages["news/2026-03-01-a/index.html"].decode()
    assert 'href="/tags/права-человека/"' in post_page or f'href="/tags/{quote("права-человека")}/"' in post_page
    assert 'rel="tag">права человека</a>' in post_page


def test_tag_feeds_hold_the_dated_pages_only(output) -> None:
    feed = feedparser.parse(output.pages["en/tags/housing/feed.xml"])
    assert not feed.bozo and [entry.title for entry in feed.entries] == ["Post"]  # not the undated About page
    listing = output.pages["en/tags/index.html"].decode()
    assert ">Housing</a> (2)" in listing or ">housing</a> (2)" in listing


def test_check_is_clean_with_tags(make_site, run_cli) -> None:
    site = make_site(MINIMAL_PAGES | {"data/tags.yaml": TAG_NAMES,
                                      "content/ru/news/2026-03-01-a.md": post("Пост", "[Украина, права человека]"),
                                      "content/ko/news/2026-03-01-a.md": post("글", "[인권]")})
    result = run_cli("check", site)
    assert "error" not in result.out.split("checked")[0], result.out


@pytest.mark.parametrize(("tags", "line"), [("{a: b}", 3), ("[1, 2]", 3), ('["..."]', 3), ('["/"]', 3), ("[' ']", 3)])
def test_bad_tags_are_refused(sandbox: Sandbox, capsys: pytest.CaptureFixture[str], tags: str, line: int) -> None:
    sandbox.write({"content/en/about.md": f"---\ntitle: A\ntags: {tags}\n---\nText.\n"})
    outcome = sandbox.build(capsys)
    assert_refused(outcome, "about.md", line)
    sandbox.assert_untouched()
