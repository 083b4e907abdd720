"""`samizdat build --relative`: every internal URL relative to its file, so a copy works anywhere."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from samizdat.outputs.relative import Relativizer
from tests.publishing import publishing_site
from tests.test_build import Elements

FILES = {"index.html", "en/index.html", "en/about/index.html", "assets/a.jpg", "assets/a-2x.jpg",
         "theme/style.css", "en/feed.xml"}


def test_urls_become_paths_from_the_page() -> None:
    rel = Relativizer("https://example.org", FILES)
    html = (
        '<link rel="canonical" href="https://example.org/en/about/">'
        '<link rel="alternate" hreflang="ru" href="https://example.org/">'
        '<link rel=alternate type=application/atom+xml href=/en/feed.xml>'
        '<link rel="stylesheet" href="/theme/style.css?v=0123456789">'
        '<a href="/">home</a><a href=\'/en/about#team\'>about</a><a href="https://example.org/en/">abs</a>'
        '<img src="/assets/a.jpg" srcset="/assets/a.jpg 1x, /assets/a-2x.jpg 2x" alt="/assets/a.jpg">'
        '<a href="https://other.example/">x</a><a href="//cdn.example/x">y</a><a href="#top">t</a>'
        '<a href="mailto:a@example.org">m</a>'
        '<!-- <a href="/commented/"> --><script>const a = "<a href=\\"/in-script/\\">";</script>'
    )
    page = Elements(rel.html(html, "en/about/index.html"))
    links = page.all("link")
    assert links[0]["href"] == "https://example.org/en/about/"  # search engines keep the official address
    assert links[1]["href"] == "https://example.org/"
    assert links[2]["href"] == "../feed.xml"
    assert links[3]["href"] == "../../theme/style.css?v=0123456789"
    hrefs = [a["href"] for a in page.all("a")]
    assert hrefs == ["../../index.html", "index.html#team", "../index.html", "https://other.example/",
                     "//cdn.example/x", "#top", "mailto:a@example.org"]
    image = page.all("img")[0]
    assert image["src"] == "../../assets/a.jpg"
    assert image["srcset"] == "../../assets/a.jpg 1x, ../../assets/a-2x.jpg 2x"
    assert image["alt"] == "/assets/a.jpg"  # text, not a URL
    result = rel.html(html, "en/about/index.html")
    assert '<a href="/commented/">' in result and '\\"/in-script/\\"' in result


def test_css_urls_are_relative_to_the_stylesheet() -> None:
    rel = Relativizer("https://example.org", FILES)
    css = 'a { background: url(/assets/a.jpg) } b { background: url( "/assets/a-2x.jpg" ) } @import "/x.css";'
    assert rel.css(css, "theme/style.css") == (
        'a { background: url(../assets/a.jpg) } b { background: url( "../assets/a-2x.jpg" ) } @import "../x.css";'
    )


def test_every_internal_link_of_a_relative_build_resolves_to_a_file(run_cli, tmp_path: Path) -> None:
    site = publishing_site(tmp_path / "site")
    out = tmp_path / "out"
    assert run_cli("build", site, "-o", out, "--relative").code == 0
    checked = 0
    for page in out.rglob("*.html"):
        rel = page.relative_to(out).as_posix()
        for tag, attrs in Elements(page.read_text(encoding="utf-8")).tags:
            urls = [attrs.get("href"), attrs.get("src")]
            urls += [entry.split()[0] for entry in (attrs.get("srcset") or "").split(",") if entry.strip()]
            for url in filter(None, urls):
                parts = urlsplit(url)
                if parts.scheme or url.startswith(("#", "//")):
                    continue
                assert not url.startswith("/"), f"{rel}: <{tag}> still root-relative: {url}"
                target = posixpath.normpath(posixpath.join(posixpath.dirname(rel), unquote(parts.path)))
                assert (out / target).is_file(), f"{rel}: {url} → {target} does not exist"
                checked += 1
    assert checked > 100
    css = (out / "theme/style.css").read_text(encoding="utf-8")
    assert "url(/" not in css


def test_normal_build_keeps_root_relative_urls(bundled_build: Path) -> None:
    html = (bundled_build / "en/index.html").read_text(encoding="utf-8")
    assert 'href="/"' in html and 'src="/assets/' in html


@pytest.mark.parametrize("url, from_file", [("/javascript:alert(1)", "index.html"),
                                            ("/en/x/javascript:alert(1)", "en/x/index.html"),
                                            ("/data:text/html,<script>1</script>", "index.html")])
def test_a_path_never_becomes_a_scheme_when_made_relative(url: str, from_file: str) -> None:
    """`/javascript:x` from the top folder would be `javascript:x`: a link the check passed as a path
    must stay a path, or it runs when followed (or at once, in an iframe)."""
    made = Relativizer("https://example.org", {"index.html", "en/x/index.html"}).url(url, from_file)
    assert not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", made), made
    assert made.startswith("./")


def test_a_static_page_cannot_smuggle_a_script_link_through_a_relative_build(make_site, run_cli, tmp_path: Path):
    site = make_site({"static/leaflet.html": "<!doctype html><html lang=en><title>x</title>"
                      "<iframe src=\"/javascript:parent.document.title='pwned'\"></iframe></html>\n"})
    assert run_cli("build", site, "-o", tmp_path / "out", "--relative").code == 0
    html = (tmp_path / "out/leaflet.html").read_text(encoding="utf-8")
    assert 'src="./javascript:' in html and 'src="javascript:' not in html
