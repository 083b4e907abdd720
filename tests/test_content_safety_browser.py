"""In Chromium: a cleaned SVG runs nothing and fetches nothing, opened by itself or through <img>; a page
whose own script is allowed runs that script and nothing else. Each test first shows that the hostile
input would have acted, so a silent browser is evidence, not an accident."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from samizdat.cli import main
from tests.browser import PageWatch, static_server
from tests.conftest import MINIMAL_CONFIG

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.browser

HOSTILE_SVG = """<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
     viewBox="0 0 20 20" width="200" height="200" onload="fetch('/marker-onload')">
<script>fetch('/marker-script'); document.documentElement.setAttribute('data-ran', 'yes');</script>
<foreignObject width="20" height="20"><iframe xmlns="http://www.w3.org/1999/xhtml" src="/marker-iframe"></iframe>
</foreignObject>
<image width="5" height="5" href="http://127.0.0.2:9/marker-remote.png"/>
<style>@import url(/marker-import.css); rect { stroke: url(/marker-url.svg#x) }</style>
<rect width="20" height="20" fill="#0a58ca"/>
</svg>
"""
MARKERS = ("/marker-",)
HOME = "---\ntitle: Home\n---\nHello.\n\n"
TOOL_SCRIPT = ("document.body.setAttribute('data-tool', 'ran');"
               "const s = document.createElement('script'); s.textContent = \"fetch('/marker-injected')\";"
               "document.body.append(s);"
               "document.body.insertAdjacentHTML('beforeend', '<img src=x onerror=\"fetch(`/marker-onerror`)\">');")


def build(site: Path, out: Path, files: dict[str, str], config: str = MINIMAL_CONFIG) -> None:
    for rel, text in {"samizdat.toml": config, "content/ru/index.md": HOME, "content/ko/index.md": HOME,
                      **files}.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(text, encoding="utf-8")
    assert main(["build", str(site), "-o", str(out)]) == 0


def visit(browser, url: str, watched: PageWatch):  # type: ignore[no-untyped-def]
    page = browser.new_page()
    watched.attach(page)
    page.goto(url, wait_until="networkidle")
    page.wait_for_timeout(300)
    return page


def markers(watched: PageWatch) -> list[str]:
    return [url for url in watched.requests if any(m in url for m in MARKERS)]


def test_a_cleaned_svg_runs_and_fetches_nothing(browser, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(tmp_path / "site", out, {"assets/drawing.svg": HOSTILE_SVG,
                                   "content/en/index.md": HOME + '<img src="/assets/drawing.svg" alt="A drawing">\n'})
    (out / "raw").mkdir()
    shutil.copy(tmp_path / "site/assets/drawing.svg", out / "raw/drawing.svg")  # the file as it was written
    with static_server(out) as base:
        control = PageWatch()
        raw = visit(browser, base + "/raw/drawing.svg", control)
        assert raw.evaluate("document.documentElement.getAttribute('data-ran')") == "yes"
        assert {"/marker-script", "/marker-onload"} <= {url.removeprefix(base) for url in markers(control)}
        raw.close()

        direct = PageWatch()
        page = visit(browser, base + "/assets/drawing.svg", direct)
        assert page.evaluate("document.documentElement.getAttribute('data-ran')") is None
        assert page.evaluate("document.querySelectorAll('rect').length") == 1  # the drawing is there
        assert markers(direct) == [] and direct.outside(base) == []
        page.close()

        embedded = PageWatch()
        page = visit(browser, base + "/en/", embedded)
        width = page.evaluate("document.querySelector('img[alt=\"A drawing\"]').naturalWidth")
        assert width == 200  # the cleaned drawing loads and draws
        assert markers(embedded) == [] and embedded.outside(base) == []
        page.close()


def test_an_allowed_page_runs_its_own_script_and_nothing_else(browser, tmp_path: Path) -> None:
    out = tmp_path / "out"
    config = MINIMAL_CONFIG + '\n[security]\nallow_scripts = ["content/en/index.md"]\n'
    build(tmp_path / "site", out, {"content/en/index.md": HOME + f"<script>{TOOL_SCRIPT}</script>\n"}, config)
    with static_server(out) as base:
        watched = PageWatch()
        page = visit(browser, base + "/en/", watched)
        assert page.get_attribute("body", "data-tool") == "ran"  # the listed script ran
        assert markers(watched) == []  # what it tried to add did not: the policy allows it alone
        assert any("Content Security Policy" in error for error in watched.errors)
        page.close()

        other = PageWatch()
        page = visit(browser, base + "/", other)  # the Russian page, not listed
        assert page.get_attribute("body", "data-tool") is None
        assert page.evaluate("document.scripts.length") == 0
        assert markers(other) == [] and other.outside(base) == []
        page.close()


# Markup that acts in Chromium when published as it is (no policy): each is refused by the build.
ACTING_MARKUP = {
    "script": ("<script>fetch('/marker-script')</script>", None),
    "image error handler": ("<img src=/nothing.png onerror=\"fetch('/marker-onerror')\">", None),
    "refresh": ('<meta http-equiv="refresh" content="0;url=/marker-refresh">', None),
    "iframe srcdoc": ("<iframe srcdoc=\"<script>parent.fetch('/marker-srcdoc')</script>\"></iframe>", None),
    "noscript parsing trick": ('<noscript><p title="</noscript><img src=/nothing.png '
                               "onerror=fetch('/marker-noscript')>\"></noscript>", None),
    "entity-hidden javascript: link": ("<a id=go href=\"&#106;avascript:fetch('/marker-link')\">go</a>", "#go"),
    "svg link": ("<svg width=50 height=50><a id=go xlink:href=\"javascript:fetch('/marker-svg')\">"
                 "<rect width=50 height=50 /></a></svg>", "#go rect"),
}


@pytest.mark.parametrize("markup, click", ACTING_MARKUP.values(), ids=ACTING_MARKUP.keys())
def test_refused_markup_would_have_acted(browser, tmp_path: Path, markup: str, click: str | None) -> None:
    """The control: as a plain page, the markup reaches the marker. Then: the build refuses it."""
    (tmp_path / "plain").mkdir()
    (tmp_path / "plain/index.html").write_text(f"<!doctype html><meta charset=utf-8><p>x</p>{markup}",
                                               encoding="utf-8")
    with static_server(tmp_path / "plain") as base:
        watched = PageWatch()
        page = visit(browser, base + "/", watched)
        if click:
            page.click(click)
            page.wait_for_timeout(300)
        assert markers(watched), "the markup did nothing in Chromium: the case proves nothing"
        page.close()
    site = tmp_path / "site"
    for rel, text in {"samizdat.toml": MINIMAL_CONFIG, "content/ru/index.md": HOME, "content/ko/index.md": HOME,
                      "content/en/index.md": HOME + markup + "\n"}.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(text, encoding="utf-8")
    assert main(["build", str(site), "-o", str(tmp_path / "out")]) == 1
    assert not (tmp_path / "out").exists()
