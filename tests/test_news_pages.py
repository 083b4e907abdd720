"""News pagination and the yearly archive: every post reachable, in every language, nothing twice."""

from __future__ import annotations

import re

import pytest

from samizdat.build.pipeline import render_site
from tests.hostile import MINIMAL_PAGES

NEWS_PAGE = "---\ntitle: {title}\n{extra}---\n"


def site_with_posts(make_site, count: int, paginate: int | None = None, years: tuple[int, ...] = (2026,)):
    files = dict(MINIMAL_PAGES)
    extra = f"paginate: {paginate}\n" if paginate else ""
    for code, title in (("ru", "Новости"), ("en", "News"), ("ko", "소식")):
        files[f"content/{code}/news/index.md"] = NEWS_PAGE.format(title=title, extra=extra if code == "ru" else "")
    for number in range(count):
        year = years[number % len(years)]
        name = f"{year}-01-{number % 28 + 1:02d}-post{number:03d}"
        files[f"content/ru/news/{name}.md"] = f"---\ntitle: post{number:03d}\n---\nТекст.\n"
    return make_site(files)


def listed(html: str) -> list[str]:
    return re.findall(r">(post\d{3})</a>", html)


@pytest.mark.parametrize(("count", "paginate", "pages"), [(45, None, 3), (20, None, 1), (7, 3, 3), (0, None, 1)])
def test_every_post_is_on_exactly_one_page_in_every_language(make_site, count: int, paginate: int | None,
                                                            pages: int) -> None:
    output = render_site(site_with_posts(make_site, count, paginate)).pages
    for prefix in ("", "en/", "kr/"):
        seen = []
        for number in range(1, pages + 1):
            rel = f"{prefix}news/index.html" if number == 1 else f"{prefix}news/page/{number}/index.html"
            html = output[rel].decode()
            seen += listed(html)
            assert ('rel="next"' in html) == (number < pages) and ('rel="prev"' in html) == (number > 1)
        assert sorted(seen) == [f"post{n:03d}" for n in range(count)]
        assert f"{prefix}news/page/{pages + 1}/index.html" not in output


def test_yearly_archive_when_posts_span_years(make_site) -> None:
    output = render_site(site_with_posts(make_site, 6, years=(2024, 2025, 2026))).pages
    for prefix in ("", "en/", "kr/"):
        index = output[f"{prefix}news/index.html"].decode()
        assert [f"/{prefix}news/{year}/" in index for year in (2024, 2025, 2026)] == [True, True, True]
        by_year = [listed(output[f"{prefix}news/{year}/index.html"].decode()) for year in (2024, 2025, 2026)]
        assert sorted(post for year in by_year for post in year) == [f"post{n:03d}" for n in range(6)]
        assert by_year[0] == ["post003", "post000"]  # newest first


def test_one_year_makes_no_archive(make_site) -> None:
    output = render_site(site_with_posts(make_site, 3)).pages
    assert "news/2026/index.html" not in output and 'class="archive"' not in output["news/index.html"].decode()
