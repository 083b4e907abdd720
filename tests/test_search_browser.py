"""The search page in a real browser: queries typed in each language on the served bundled site and on a
relative build opened from file://, under the strict policy, with the CLI finding the same pages."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from samizdat.search.query import folder_reader, search
from tests.browser import PageWatch, static_server
from tests.conftest import copy_site

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.browser

BUNDLED = Path(__file__).parent.parent / "site"
CODES = {"ru": "", "en": "en/", "ko": "kr/"}  # language → its folder
QUERIES = [  # (reader's language, query, the page that must come first)
    ("ko", "집회", "kr/meetings/2022-02-27-bosingak/"),
    ("ko", "보신각에서", "kr/meetings/2022-02-27-bosingak/"),
    ("ko", "시위", "kr/"),
    ("ru", "акциями", "meetings/2022-02-27-bosingak/"),
    ("ru", "Посингак", "meetings/2022-02-27-bosingak/"),
    ("ru", "протесты", ""),
    ("ru", "предпосылок", ""),  # the page says предпосылках: a vowel that comes and goes (query.py)
    ("en", "protests", "en/meetings/2022-02-27-bosingak/"),
    ("en", "Bosingak", "en/meetings/2022-02-27-bosingak/"),
    ("en", "보신각", "kr/meetings/2022-02-27-bosingak/"),  # another language's page, after the reader's (none)
    ("en", "protests Protests PROTESTS protests", "en/meetings/2022-02-27-bosingak/"),  # each word once
    # The first 32 distinct words of that page, then words it does not have: the 33rd word on is not looked for.
    ("en", "on sunday 27 february 2022 three days after russia invaded ukraine russians ukrainians belarusians and "
           "koreans came together in front of bosingak pavilion jongno seoul to protest against the war our group "
           "zzzqqq nowhere", "en/meetings/2022-02-27-bosingak/"),
]
RECORD_CSP_VIOLATIONS = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
"""


@pytest.fixture(scope="module")
def relative_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from samizdat.cli import main

    root = tmp_path_factory.mktemp("search-relative")
    out = root / "out"
    assert main(["build", str(copy_site(BUNDLED, root / "site")), "-o", str(out), "--relative"]) == 0
    return out


@pytest.fixture(scope="module")
def served(bundled_build: Path) -> Iterator[str]:
    with static_server(bundled_build) as base:
        yield base + "/"


def _search_page(base: str, lang: str) -> str:
    url = f"{base}{CODES[lang]}search/"
    return url + "index.html" if base.startswith("file:") else url


def _type_query(page, query: str) -> list[str]:  # type: ignore[no-untyped-def]
    page.fill("#search-query", "")
    page.type("#search-query", query)
    page.press("#search-query", "Enter")
    page.wait_for_selector(".search-status:not(:empty)")  # wait_for_function would need 'unsafe-eval'
    page.wait_for_timeout(100)
    return [a.get_attribute("href") for a in page.query_selector_all(".search-results h2 a")]


def _site_path(href: str, base: str) -> str:
    assert href.startswith(base), href
    return href[len(base):].removesuffix("index.html")


@pytest.mark.parametrize("where", ["served", "file"])
def test_typed_queries_find_the_pages_the_cli_finds(browser, request, bundled_build: Path, where: str) -> None:
    folder = bundled_build if where == "served" else request.getfixturevalue("relative_build")
    base = request.getfixturevalue("served") if where == "served" else folder.as_uri() + "/"
    context = browser.new_context(viewport={"width": 390, "height": 800})
    context.add_init_script(RECORD_CSP_VIOLATIONS)
    page = context.new_page()
    watch = PageWatch()
    watch.attach(page)
    for lang, query, first in QUERIES:
        page.goto(_search_page(base, lang))
        paths = [_site_path(href, base) for href in _type_query(page, query)]
        assert paths and paths[0] == first, (query, paths)
        codes = [lang, *(code for code in CODES if code != lang)]
        assert paths == [r.path for r in search(folder_reader(folder), codes, query)], query
        marks = [m.inner_text().lower() for m in page.query_selector_all(".search-results mark")]
        assert marks, query
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert page.evaluate("window.__csp") == []
    assert watch.errors == []
    assert all(url.startswith(base) for url in watch.requests), watch.outside(base.rstrip("/"))
    context.close()


def test_results_come_with_title_date_snippet_and_filters_by_keyboard(browser, served: str) -> None:
    page = browser.new_page()
    page.goto(_search_page(served, "ko"))
    assert page.get_attribute("#search-query", "id") == "search-query"
    assert page.query_selector("label[for=search-query]").inner_text()
    page.focus("#search-query")
    page.keyboard.type("집회")
    page.keyboard.press("Enter")
    page.wait_for_selector(".search-results li")
    first = page.query_selector(".search-results li")
    assert first.query_selector("h2 a").inner_text() == "보신각 앞 첫 집회"
    assert "2022" in first.query_selector(".search-meta").inner_text()
    assert first.query_selector("mark").inner_text() == "집회"
    assert page.get_attribute(".search-status", "role") == "status"
    count = len(page.query_selector_all(".search-results li"))
    page.keyboard.press("Tab")  # the search button
    page.keyboard.press("Tab")  # the first filter: news
    page.keyboard.press("Tab")  # meetings
    assert page.evaluate("document.activeElement.value") == "m"
    page.keyboard.press("Space")
    for _ in range(50):
        if len(page.query_selector_all(".search-results li")) < count:
            break
        page.wait_for_timeout(50)
    assert "meetings" not in " ".join(a.get_attribute("href") for a in page.query_selector_all(".search-results a"))
    page.close()


def test_the_query_is_in_the_address_and_survives_a_reload(browser, served: str) -> None:
    page = browser.new_page()
    page.goto(_search_page(served, "en") + "?q=Bosingak")
    page.wait_for_selector(".search-results li")
    assert page.input_value("#search-query") == "Bosingak"
    page.close()


def test_without_javascript_the_page_says_what_to_do(browser, served: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(_search_page(served, "ru"))
    assert page.is_visible(".search-nojs") and "JavaScript" in page.inner_text(".search-nojs")
    assert not page.is_visible("form.search-form")
    context.close()


def test_the_header_links_to_the_search_page(browser, served: str) -> None:
    page = browser.new_page()
    page.goto(served + "kr/")
    page.click("a.search-link")
    page.wait_for_url("**/kr/search/")
    assert page.inner_text("h1") == "사이트 검색"
    page.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_axe_finds_no_violation_on_a_page_of_results(browser, served: str, width: int) -> None:
    from tests.tools import npm_file

    axe = npm_file("axe-core/axe.min.js", "axe-core")
    # axe is a script the strict CSP rightly refuses, so this context alone bypasses the CSP.
    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.goto(_search_page(served, "ko"))
    assert _type_query(page, "집회")
    page.add_script_tag(path=str(axe))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    assert [(v["id"], [n["target"] for n in v["nodes"]]) for v in result["violations"]] == []
    context.close()
