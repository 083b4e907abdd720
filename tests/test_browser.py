"""Real-browser tests: the switcher through the three editions, nothing from other hosts, live reload."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from samizdat.serve.server import background_server
from tests.browser import PageWatch, static_server
from tests.conftest import BUNDLED_SITE

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.browser

# Lazy images load only when scrolled near; visit the whole page, then count the ones that failed.
SCROLL_AND_COUNT_BROKEN_IMAGES = """async () => {
  for (let y = 0; y <= document.body.scrollHeight; y += 300) {
    window.scrollTo(0, y);
    await new Promise(resolve => setTimeout(resolve, 30));
  }
  await Promise.all([...document.images].map(img => img.decode().catch(() => null)));
  return [...document.images].filter(img => !img.complete || img.naturalWidth === 0).length;
}"""




@pytest.mark.parametrize("width", [390, 1280])
def test_switcher_walks_the_three_editions(browser, bundled_build: Path, width: int) -> None:
    with static_server(bundled_build) as base:
        page = browser.new_page(viewport={"width": width, "height": 900})
        watched = PageWatch()
        watched.attach(page)
        page.goto(base + "/", wait_until="networkidle")
        assert page.get_attribute("html", "lang") == "ru"
        assert page.inner_text("h1") == "Россияне против войны"

        for code, path, heading in [("en", "/en/", "Russians Against War"),
                                    ("ko", "/kr/", "전쟁에 반대하는 러시아인"),
                                    ("ru", "/", "Россияне против войны")]:
            page.click(f"nav.lang-switcher a[hreflang={code}]")
            page.wait_for_load_state("networkidle")
            assert page.url == base + path
            assert page.get_attribute("html", "lang") == code
            assert page.inner_text("h1") == heading

        broken = page.evaluate(SCROLL_AND_COUNT_BROKEN_IMAGES)
        assert broken == 0
        assert watched.outside(base) == []
        assert watched.errors == []
        # The photo rows load a resized local copy (AVIF, WebP or JPEG, whichever the browser takes).
        assert any(url.startswith(base + "/_images/") and "/20220514-" in url for url in watched.requests)
        page.close()


def test_keyboard_user_can_skip_to_content(browser, bundled_build: Path) -> None:
    with static_server(bundled_build) as base:
        page = browser.new_page()
        page.goto(base + "/en/")
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.textContent")
        assert focused == "Skip to content"
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "content"
        page.close()


@pytest.fixture
def dev_server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    site = shutil.copytree(BUNDLED_SITE, tmp_path / "site", ignore=shutil.ignore_patterns("_site", ".samizdat-cache"))
    with background_server(site) as (base, _):
        yield base, site


def test_live_reload_shows_edits_and_build_errors(browser, dev_server, capsys) -> None:
    base, site = dev_server
    page = browser.new_page()
    watched = PageWatch()
    watched.attach(page)
    page.goto(base + "/en/")
    expect = playwright_api.expect
    expect(page.locator("h1")).to_have_text("Russians Against War")
    source = site / "content/en/index.md"
    original = source.read_text(encoding="utf-8")

    source.write_text(original.replace("# Russians Against War", "# Russians Against the War"), encoding="utf-8")
    expect(page.locator("h1")).to_have_text("Russians Against the War", timeout=5000)

    source.write_text(original.replace("title: Russians Against War", "title: [broken"), encoding="utf-8")
    title_line = original.splitlines().index("title: Russians Against War") + 1
    page.wait_for_selector("#samizdat-build-error", timeout=5000)
    assert f"index.md:{title_line}" in page.inner_text("#samizdat-build-error")
    assert page.inner_text("h1") == "Russians Against the War"  # the last good page stays under the error
    time.sleep(0.2)
    assert f"index.md:{title_line}" in capsys.readouterr().err  # and the terminal says it too

    source.write_text(original, encoding="utf-8")
    expect(page.locator("h1")).to_have_text("Russians Against War", timeout=5000)
    assert page.query_selector("#samizdat-build-error") is None
    assert watched.outside(base) == []
    assert watched.errors == []
    page.close()
