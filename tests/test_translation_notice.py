"""The "this translation may be out of date" notice on every layout that shows a page's text."""

from __future__ import annotations

import pytest

from samizdat.build.pipeline import render_site

PAGES = {  # translation key → (the layout it gets by itself, its Russian output)
    "about": ("default", "about/index.html"),
    "news": ("news", "news/index.html"),
    "news/2026-01-01-statement": ("post", "news/2026-01-01-statement/index.html"),
    "meetings": ("meetings", "meetings/index.html"),
    "meetings/2026-12-05-rally": ("meeting", "meetings/2026-12-05-rally/index.html"),
}
OLD = '{lang: en, hash: "000000000000"}'  # recorded against a version of the source that is gone


@pytest.fixture
def site(make_site):
    files = {"content/ru/index.md": "---\ntitle: Главная\n---\n", "content/en/index.md": "---\ntitle: Home\n---\n",
             "meetings/2026-12-05-rally.yaml": 'start: "2026-12-05 15:00"\nplace:\n  name: Bosingak\n'}
    for key in PAGES:
        rel = "index" if key in ("news", "meetings") else ""
        name = f"{key}/{rel}.md" if rel else f"{key}.md"
        files[f"content/en/{name}"] = f"---\ntitle: {key} en\n---\nThe English text of {key}.\n"
        files[f"content/ru/{name}"] = f"---\ntitle: {key} ru\ntranslation_of: {OLD}\n---\nРусский текст.\n"
    return make_site(files)


@pytest.mark.parametrize("key", PAGES)
def test_every_layout_shows_the_outdated_notice(site, key: str) -> None:
    layout, output = PAGES[key]
    pages = render_site(site).pages
    page = pages[output].decode()
    assert 'class="translation-notice"' in page, layout
    assert page.count('class="translation-notice"') == 1
    assert 'href="/en/' in page.split('class="translation-notice"')[1].split("</p>")[0]  # links the original
    assert 'class="translation-notice"' not in pages["en/" + output].decode()  # the source has no notice


def test_a_site_layout_without_the_notice_still_shows_it(make_site) -> None:
    files = {"content/ru/index.md": "---\ntitle: Главная\n---\n", "content/en/index.md": "---\ntitle: Home\n---\n",
             "content/en/about.md": "---\ntitle: About\n---\nEnglish.\n",
             "content/ru/about.md": f"---\ntitle: О нас\nlayout: page\ntranslation_of: {OLD}\n---\nРусский.\n",
             "templates/page.html": '{% extends "base.html" %}{% block main %}{{ page.content }}{% endblock %}\n'}
    page = render_site(make_site(files)).pages["about/index.html"].decode()
    assert page.count('class="translation-notice"') == 1
    assert page.index('class="translation-notice"') < page.index("Русский")
