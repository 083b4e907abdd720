"""A site without its home page is an error that says what to do (check fails, publishing refuses), and
a translation whose source vanished stops the build naming the source and the ways out."""

from __future__ import annotations

import pytest

from tests.hostile import Sandbox, assert_refused

SOURCE = "---\ntitle: About\n---\nAbout us.\n"
TRANSLATION = '---\ntitle: О нас\ntranslation_of: {lang: en, hash: "0123456789ab"}\n---\nО нас.\n'


@pytest.mark.parametrize("home", [None, "---\ntitle: Главная\ndraft: true\n---\nПривет.\n"])
def test_a_missing_home_page_is_an_error(sandbox: Sandbox, capsys: pytest.CaptureFixture[str],
                                         home: str | None) -> None:
    sandbox.write({})
    (sandbox.site / "content/ru/index.md").unlink()
    if home is not None:
        (sandbox.site / "content/ru/index.md").write_text(home, encoding="utf-8")
    outcome = sandbox.run(capsys, "check", sandbox.site)
    assert outcome.code == 1
    assert "error [missing-home]" in outcome.out and "nothing would be published at /" in outcome.out
    assert ("remove `draft: true`" if home else "create content/ru/index.md") in outcome.out
    if home:
        assert "content/ru/index.md:3: error [missing-home]" in outcome.out
    mirror = sandbox.run(capsys, "mirror", sandbox.site, "-o", sandbox.out / "site.zip")
    assert mirror.code == 1 and not (sandbox.out / "site.zip").exists()  # publishing refuses it


@pytest.mark.parametrize("home", [None, "---\ntitle: Главная\ndraft: true\n---\nПривет.\n"])
def test_a_build_without_a_home_page_writes_nothing(sandbox: Sandbox, capsys: pytest.CaptureFixture[str],
                                                    home: str | None) -> None:
    """A host serving the output folder would publish a site whose own address is a 404."""
    sandbox.write({})
    first = sandbox.build(capsys)
    assert first.code == 0, first.err
    before = (sandbox.out / "index.html").read_bytes()
    (sandbox.site / "content/ru/index.md").unlink()
    if home is not None:
        (sandbox.site / "content/ru/index.md").write_text(home, encoding="utf-8")
    outcome = sandbox.build(capsys)
    assert outcome.code == 1
    assert "nothing would be published at /" in outcome.err
    assert ("remove `draft: true`" if home else "create content/ru/index.md") in outcome.err
    assert (sandbox.out / "index.html").read_bytes() == before  # the last good site stays as it was
    sandbox.assert_untouched()


@pytest.mark.parametrize("sources", [
    {},  # the English page was deleted
    {"content/en/about-us.md": SOURCE},  # or renamed
])
def test_a_translation_whose_source_vanished_stops_the_build(sandbox: Sandbox, capsys: pytest.CaptureFixture[str],
                                                             sources: dict[str, str]) -> None:
    sandbox.write({"content/ru/about.md": TRANSLATION, **sources})
    outcome = sandbox.build(capsys)
    assert_refused(outcome, "content/ru/about.md", 3)
    assert "translation of the en page 'about', which no longer exists" in outcome.err
    assert "rename this file the same way" in outcome.err and "delete this page too" in outcome.err
    sandbox.assert_untouched()


def test_a_translation_of_a_draft_still_builds(sandbox: Sandbox, capsys: pytest.CaptureFixture[str]) -> None:
    sandbox.write({"content/ru/about.md": TRANSLATION,
                   "content/en/about.md": "---\ntitle: About\ndraft: true\n---\nAbout us.\n"})
    outcome = sandbox.build(capsys)
    assert outcome.code == 0, outcome.err
    assert (sandbox.out / "about/index.html").is_file() and not (sandbox.out / "en/about").exists()


JEKYLL_SITEMAP = "---\nlayout: null\n---\n<?xml version=\"1.0\"?>\n<urlset>{% for page in site.pages %}" \
                 "<url><loc>{{ page.url }}</loc></url>{% endfor %}</urlset>\n"
JEKYLL_FEED = "---\n---\n<feed>{{ site.title }}</feed>\n"


@pytest.mark.parametrize(("rel", "text"), [
    ("content/sitemap.xml", JEKYLL_SITEMAP),
    ("content/feed.xml", JEKYLL_FEED),
    ("static/sitemap.xml", "<urlset>{% for p in site.pages %}{% endfor %}</urlset>\n"),
    ("content/en/feed.xml", JEKYLL_FEED),
])
def test_a_jekyll_template_never_replaces_a_generated_file(sandbox: Sandbox, capsys: pytest.CaptureFixture[str],
                                                           rel: str, text: str) -> None:
    sandbox.write({rel: text, "content/en/news/2026-01-01-a.md": "---\ntitle: A\n---\nA.\n"})
    outcome = sandbox.build(capsys)
    assert_refused(outcome, rel, 1)
    assert "template of another site generator" in outcome.err
    sandbox.assert_untouched()


def test_a_plain_robots_file_still_replaces_the_generated_one(sandbox: Sandbox,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    sandbox.write({"static/robots.txt": "User-agent: *\nDisallow: /private/\n"})
    assert sandbox.build(capsys).code == 0
    assert "Disallow: /private/" in (sandbox.out / "robots.txt").read_text()
