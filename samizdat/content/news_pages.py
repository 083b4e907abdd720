"""The news section's extra pages: page 2, 3… of a long list (news/page/2/) and, once posts span more
than one year, one page per year (news/2026/).

They are made as pages of their own, with translation keys shared by every language, right after
parsing: listings fall back to the default language, so every language has the same number of them,
and the language switcher, the sitemap and the URL checks treat them like any page.
"""

from __future__ import annotations

import math
import posixpath
import re
from dataclasses import dataclass

from samizdat.config import SiteConfig
from samizdat.content.frontmatter import FrontMatter
from samizdat.content.pages import Page

NEWS = "news"
PER_PAGE = 20  # posts on one page of the list; `paginate: N` on the default language's news page changes it
_DERIVED_RE = re.compile(r"^news/(?:page/(?P<number>\d+)|(?P<year>\d{4}))$")


@dataclass(frozen=True)
class Derived:
    number: int  # the page of the list (1 for the news page itself and for a year's page)
    year: int | None  # the year a yearly page shows


def derived(key: str) -> Derived | None:
    """What a derived page's key says; None for any other key, the news page itself included."""
    match = _DERIVED_RE.match(key)
    if match is None:
        return None
    return Derived(int(match["number"] or 1), int(match["year"]) if match["year"] else None)


def per_page(pages: list[Page], config: SiteConfig) -> int:
    home = next((p for p in pages if p.key == NEWS and p.language.code == config.default_language.code), None)
    value = home.data.get("paginate") if home else None
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else PER_PAGE


def news_pages(pages: list[Page], config: SiteConfig) -> list[Page]:
    """The extra pages of every language's news page."""
    posts = [page for page in pages if page.section == NEWS and page.key != NEWS and derived(page.key) is None]
    count = math.ceil(len({page.key for page in posts}) / per_page(pages, config))
    years = sorted({page.date.year for page in posts if page.date})
    made = []
    for index in (page for page in pages if page.key == NEWS and page.output_path.endswith("index.html")):
        made += [_page(index, f"page/{number}", f"{index.title} · {number}") for number in range(2, count + 1)]
        if len(years) > 1:
            made += [_page(index, str(year), f"{index.title} · {year}") for year in years]
    return made


def _page(index: Page, suffix: str, title: str) -> Page:
    folder = posixpath.dirname(index.output_path)
    output = f"{folder}/{suffix}/index.html" if folder else f"{suffix}/index.html"
    data = {"title": title, "description": index.description} if index.description else {"title": title}
    return Page(path=index.path, language=index.language, key=f"{NEWS}/{suffix}", title=title, layout=index.layout,
                url=f"{index.url}{suffix}/", output_path=output, body="", body_line=index.body_line,
                front_matter=FrontMatter(data, "", index.body_line, ()), description=index.description)
