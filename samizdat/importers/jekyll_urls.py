"""The URL Jekyll gave a page or a post, from `permalink:` (the page's, the `defaults`' or the site's)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

STYLES = {"date": "/:categories/:year/:month/:day/:title:output_ext",
          "pretty": "/:categories/:year/:month/:day/:title/",
          "ordinal": "/:categories/:year/:y_day/:title:output_ext",
          "none": "/:categories/:title:output_ext"}
POST_NAME = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})-(.+)$")


def post_parts(name: str) -> tuple[dt.date, str] | None:
    """`2016-05-20-welcome.md` → (2016-05-20, "welcome")."""
    match = POST_NAME.match(name.rsplit(".", 1)[0])
    if not match:
        return None
    try:
        return dt.date(*(int(part) for part in match.groups()[:3])), match.group(4)
    except ValueError:
        return None


def slugify(text: str) -> str:
    return re.sub(r"[^\w.~-]+", "-", text.lower()).strip("-") or "page"


def expand(template: str, values: dict[str, str]) -> str:
    def one(match: re.Match[str]) -> str:
        return values.get(match.group(1), "")
    url = re.sub(r":(\w+)", one, template)
    url = re.sub(r"/{2,}", "/", "/" + url)
    return url


def post_url(template: str, day: dt.date, slug: str, categories: list[str], title: str | None) -> str:
    template = STYLES.get(template, template)
    values = {"year": f"{day.year:04d}", "month": f"{day.month:02d}", "day": f"{day.day:02d}",
              "i_month": str(day.month), "i_day": str(day.day), "short_year": f"{day.year % 100:02d}",
              "y_day": f"{day.timetuple().tm_yday:03d}", "title": slug, "slug": slug,
              "categories": "/".join(slugify(c) for c in categories), "output_ext": ".html"}
    return expand(template, values)


def page_url(rel: str, style: str, permalink: Any, collection: str | None = None) -> str:
    """rel: path inside the site (or the collection), e.g. `about.md`, `docs/index.html`."""
    stem = rel.rsplit(".", 1)[0]
    if isinstance(permalink, str) and permalink:
        values = {"path": stem, "name": stem.rsplit("/", 1)[-1], "basename": stem.rsplit("/", 1)[-1],
                  "title": stem.rsplit("/", 1)[-1], "collection": collection or "", "output_ext": ".html"}
        url = expand(permalink, values)
        return url
    if stem == "index" or stem.endswith("/index"):
        return "/" + stem.removesuffix("index")
    pretty = style == "pretty" or style.endswith("/")
    return f"/{stem}/" if pretty else f"/{stem}.html"


def categories_of(front: dict[str, Any], folders: str) -> list[str]:
    """Jekyll's categories: the folders above _posts, then the front matter's."""
    found = [part for part in folders.split("/") if part]
    value = front.get("categories", front.get("category"))
    if isinstance(value, str):
        found += value.split()
    elif isinstance(value, list):
        found += [str(v) for v in value]
    return found
