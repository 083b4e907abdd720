"""A relative build in a real browser: from file:// and under a sub-path, every link, image and style loads."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.browser import static_server
from tests.publishing import publishing_site
from tests.test_browser import SCROLL_AND_COUNT_BROKEN_IMAGES

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.browser

SUB_PATH = "/some/sub/path/"
EDITIONS = [("en", "en/index.html", "Russians Against War"), ("ko", "kr/index.html", "전쟁에 반대하는 러시아인"),
            ("ru", "index.html", "Россияне против войны")]


@pytest.fixture(scope="module")
def relative_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from samizdat.cli import main

    root = tmp_path_factory.mktemp("relative")
    out = root / "out"
    assert main(["build", str(publishing_site(root / "site")), "-o", str(out), "--relative"]) == 0
    return out


@contextmanager
def served_under_sub_path(build: Path, tmp_path: Path) -> Iterator[str]:
    """The build at http://127.0.0.1:PORT/some/sub/path/, as on an IPFS gateway or a shared host."""
    folder = tmp_path / "docroot" / SUB_PATH.strip("/")
    shutil.copytree(build, folder)
    with static_server(tmp_path / "docroot") as base:
        yield base + SUB_PATH


class Failures:
    """Every response with an error status and every request that failed (file:// has no statuses)."""

    def __init__(self, page) -> None:  # type: ignore[no-untyped-def]
        self.items: list[str] = []
        self.requests: list[str] = []
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("response", lambda r: r.status >= 400 and self.items.append(f"{r.status} {r.url}"))
        # ERR_ABORTED is the browser dropping a request of the page it navigates away from (the favicon,
        # say), not a missing file: a missing file shows as a 404 response above.
        page.on("requestfailed", lambda r: r.failure != "net::ERR_ABORTED"
                and self.items.append(f"failed {r.url}: {r.failure}"))


def walk_the_site(page, start: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(start + "index.html" if start.startswith("file:") else start, wait_until="load")
    assert page.get_attribute("html", "lang") == "ru"
    for code, rel, heading in EDITIONS:
        page.click(f"nav.lang-switcher a[hreflang={code}]")
        page.wait_for_load_state("load")
        assert page.url == start + rel
        assert page.get_attribute("html", "lang") == code
        assert page.inner_text("h1") == heading
        assert page.evaluate("getComputedStyle(document.body).marginTop") == "0px"  # the stylesheet loaded
        assert page.evaluate(SCROLL_AND_COUNT_BROKEN_IMAGES) == 0
        assert page.evaluate("document.images.length") >= 6

    page.click("footer a[href$='mirrors/index.html']")
    assert page.url == start + "mirrors/index.html"
    page.click("nav.lang-switcher a[hreflang=ko]")
    assert page.url == start + "kr/mirrors/index.html"
    assert page.evaluate(SCROLL_AND_COUNT_BROKEN_IMAGES) == 0

    page.goto(start + "kr/404.html", wait_until="load")
    page.click("main a")
    assert page.url == start + "kr/index.html"


def test_relative_build_from_file_url(browser, relative_build: Path) -> None:
    page = browser.new_page()
    failures = Failures(page)
    start = relative_build.as_uri() + "/"
    walk_the_site(page, start)
    assert failures.items == []
    assert all(url.startswith(start) for url in failures.requests)
    page.close()


def test_relative_build_under_a_sub_path(browser, relative_build: Path, tmp_path: Path) -> None:
    with served_under_sub_path(relative_build, tmp_path) as start:
        page = browser.new_page()
        failures = Failures(page)
        walk_the_site(page, start)
        assert failures.items == []
        assert all(url.startswith(start) for url in failures.requests)
        assert any(url.endswith((".jpg", ".webp", ".avif")) for url in failures.requests)  # the photos loaded
        page.close()
