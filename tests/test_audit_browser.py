"""Every page of the bundled site in a real browser, at a phone and a desktop width.

No console error, no CSP violation, no request to any host but the test server, and axe-core finds
no accessibility violation. Screenshots go to screenshots/<width>/ for a developer to look at.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser import PageWatch, static_server
from tests.tools import REPO, npm_file

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.browser

WIDTHS = {"phone": 390, "desktop": 1280}
SCREENSHOTS = REPO / "screenshots"
# Registered before any page script: every CSP violation the page meets, as the browser reports it.
RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation',
  e => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));
"""
SCROLL_THROUGH = """async () => {
  for (let y = 0; y <= document.body.scrollHeight; y += 300) {
    window.scrollTo(0, y);
    await new Promise(resolve => setTimeout(resolve, 20));
  }
  await Promise.all([...document.images].map(img => img.decode().catch(() => null)));
  window.scrollTo(0, 0);
}"""




@pytest.fixture(scope="module")
def served(bundled_build: Path) -> Iterator[tuple[str, list[str]]]:
    paths = sorted("/" + p.relative_to(bundled_build).as_posix().removesuffix("index.html")
                   for p in bundled_build.rglob("*.html"))
    with static_server(bundled_build) as base:
        yield base, paths


def slug(path: str) -> str:
    return path.strip("/").replace("/", "_").removesuffix(".html") or "home"


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_every_page_loads_cleanly_under_its_csp(browser, served, width: int) -> None:
    base, paths = served
    assert {"/", "/en/", "/kr/", "/404.html", "/en/404.html", "/kr/404.html"} <= set(paths)
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.add_init_script(RECORD_CSP_VIOLATIONS)
    (SCREENSHOTS / str(width)).mkdir(parents=True, exist_ok=True)
    for path in paths:
        page = context.new_page()
        watched = PageWatch()
        watched.attach(page)
        page.goto(base + path, wait_until="networkidle")
        page.evaluate(SCROLL_THROUGH)
        page.wait_for_load_state("networkidle")
        assert page.evaluate("window.__cspViolations") == [], path
        assert watched.errors == [], path  # CSP violations are console errors too
        assert watched.outside(base) == [], path
        assert page.evaluate("document.documentElement.scrollWidth") <= width, path  # no sideways scrolling
        page.screenshot(path=str(SCREENSHOTS / str(width) / f"{slug(path)}.png"), full_page=True)
        page.close()
    context.close()


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_axe_finds_no_violation(browser, served, width: int) -> None:
    axe = npm_file("axe-core/axe.min.js", "axe-core")
    base, paths = served
    # axe is a script the strict CSP rightly refuses, so this context alone bypasses the CSP.
    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
    found = {}
    for path in paths:
        page = context.new_page()
        page.goto(base + path, wait_until="load")
        page.add_script_tag(path=str(axe))
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        violations = [f"{v['id']}: {v['help']} ({len(v['nodes'])} elements: "
                      f"{', '.join(str(n['target']) for n in v['nodes'][:3])})" for v in result["violations"]]
        if violations:
            found[path] = violations
        page.close()
    context.close()
    assert found == {}
