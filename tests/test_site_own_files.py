"""A site's own data per language, stylesheet and icon: loaded, linked, and refreshed when they change."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from samizdat.build.pipeline import render_site
from tests.hostile import MINIMAL_PAGES, Sandbox, assert_refused

HEADER = "links:\n  - url: /contacts/\n    text: {text}\n"
LINKS_PAGE = "---\ntitle: T\n---\n{% for link in data.links %}[{{ link.text }}]({{ link.url }}) {% endfor %}\n"


def test_data_per_language_replaces_the_shared_file(make_site) -> None:
    site = make_site(MINIMAL_PAGES | {
        "data/links.yaml": "- {url: /shared/, text: Shared}\n",
        "data/en/links.yaml": "- {url: /en/contacts/, text: Contacts}\n",
        "data/ko/links.yaml": "- {url: /kr/contacts/, text: 연락처}\n",
        **{f"content/{code}/links.md": LINKS_PAGE for code in ("ru", "en", "ko")},
    })
    pages = render_site(site).pages
    assert ">Shared</a>" in pages["links/index.html"].decode()  # Russian has no folder: the shared file
    assert ">Contacts</a>" in pages["en/links/index.html"].decode()
    korean = pages["kr/links/index.html"].decode()
    assert ">연락처</a>" in korean and "Shared" not in korean


def stylesheet_and_icon(page: str) -> tuple[list[str], list[str]]:
    return (re.findall(r'<link rel="stylesheet" href="([^"]+)"', page),
            re.findall(r'<link rel="icon" href="([^"]+)"', page))


def test_site_css_is_linked_after_the_theme_with_its_hash(make_site) -> None:
    site = make_site(MINIMAL_PAGES | {"assets/site.css": ".cards { display: grid; }\n"})
    sheets, _ = stylesheet_and_icon(render_site(site).pages["en/index.html"].decode())
    assert sheets[-1].startswith("/assets/site.css?v=") and sheets[0].startswith("/theme/style.css")
    (site / "assets/site.css").write_text(".cards { display: flex; }\n", encoding="utf-8")
    again, _ = stylesheet_and_icon(render_site(site).pages["en/index.html"].decode())
    assert again[-1] != sheets[-1]  # a changed file gets a new address, so no browser keeps the old one


def test_without_site_css_nothing_is_linked(make_site) -> None:
    sheets, icons = stylesheet_and_icon(render_site(make_site(MINIMAL_PAGES)).pages["index.html"].decode())
    assert not any("site.css" in sheet for sheet in sheets) and icons[0].startswith("/theme/favicon.svg")


@pytest.mark.parametrize(("rel", "url"), [("static/favicon.ico", "/favicon.ico?v="),
                                          ("static/favicon.svg", "/favicon.svg?v="),
                                          ("assets/favicon.svg", "/assets/favicon.svg?v=")])
def test_the_site_favicon_wins_over_the_theme(make_site, rel: str, url: str) -> None:
    icon = b"<svg xmlns='http://www.w3.org/2000/svg'/>" if rel.endswith(".svg") else (
        Path(__file__).parent.parent / "samizdat/themes/default/static/favicon.svg").read_bytes()
    site = make_site(MINIMAL_PAGES | {rel: icon})
    if rel.endswith(".ico"):
        from PIL import Image

        Image.new("RGB", (16, 16), "red").save(site / rel, format="ICO")
    output = render_site(site)
    _, icons = stylesheet_and_icon(output.pages["kr/index.html"].decode())
    assert icons == [icons[0]] and icons[0].startswith(url)


def test_a_linked_stylesheet_is_refused(sandbox: Sandbox, capsys: pytest.CaptureFixture[str]) -> None:
    sandbox.write({})
    (sandbox.site / "assets").mkdir()
    (sandbox.site / "assets/site.css").symlink_to(sandbox.outside / "secret.txt")
    outcome = sandbox.build(capsys)
    assert_refused(outcome, "site.css")
    sandbox.assert_untouched()


FOOTER = """columns:
  - title: {ru: Помощь, en: Help}
    links:
      - {url: {ru: /housing/, en: /en/housing/}, text: {ru: Жильё, en: Housing}}
      - {url: https://example.org/donate, text: Donate}
  - links:
      - {url: /faq/, text: FAQ}
"""


def test_footer_columns_from_data(make_site) -> None:
    site = make_site(MINIMAL_PAGES | {"data/footer.yaml": FOOTER})
    pages = render_site(site).pages
    english = pages["en/index.html"].decode().split('<footer class="site-footer">')[1]
    assert '<p class="footer-title">Help</p>' in english and '<a href="/en/housing/">Housing</a>' in english
    assert english.count("<section>") == 2 and '<a href="/faq/">FAQ</a>' in english
    assert '<a href="/housing/">Жильё</a>' in pages["index.html"].decode()
