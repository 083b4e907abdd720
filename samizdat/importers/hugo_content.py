"""Hugo pages: their language (`content/<lang>/`, a language's `contentDir`, `name.<lang>.md`), the
URL they had (`url`, `slug`, `[permalinks]`), their translation key, and dated sections as news."""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from dataclasses import dataclass
from typing import Any

from samizdat.importers import jekyll_urls as urls
from samizdat.importers.frontmatter import OldPage, as_date, samizdat_front
from samizdat.importers.hugo_shortcodes import convert_shortcodes
from samizdat.importers.markup import html_as_markdown, neutralise_code
from samizdat.importers.model import PagePlan
from samizdat.importers.pages import rel_for_url, strip_prefix, url_for_rel
from samizdat.importers.report import ReportBuilder
from samizdat.importers.source import SourceFile

NEWS_SECTIONS = {"post", "posts", "blog", "news"}
SUFFIX = re.compile(r"^(.*)\.([A-Za-z]{2,3}(?:-[A-Za-z0-9]+)?)\.(md|markdown|html)$")


@dataclass(frozen=True)
class HugoSite:
    default: str
    codes: tuple[str, ...]
    prefixes: dict[str, str]
    content_dirs: dict[str, str]  # contentDir → language
    permalinks: dict[str, str]  # section → pattern


@dataclass(frozen=True)
class Placed:
    file: SourceFile
    page: OldPage
    lang: str
    inner: str  # path below the content folder, without the language suffix
    url: str
    key: str
    rel: str
    date: dt.date | None


def lang_and_inner(rel: str, site: HugoSite) -> tuple[str, str]:
    """content/ko/about.md → (ko, about.md); content/about.ko.md → (ko, about.md)."""
    for folder, code in site.content_dirs.items():
        if rel.startswith(folder.rstrip("/") + "/"):
            rel = "content/" + rel[len(folder.rstrip("/")) + 1:]
            return _suffix(rel.removeprefix("content/"), site, code)
    inner = rel.removeprefix("content/")
    first, _, rest = inner.partition("/")
    if first in site.codes and rest and not site.content_dirs:
        return first, rest
    return _suffix(inner, site, site.default)


def _suffix(inner: str, site: HugoSite, fallback: str) -> tuple[str, str]:
    match = SUFFIX.match(inner)
    if match and match.group(2) in site.codes:
        return match.group(2), f"{match.group(1)}.{match.group(3)}"
    return fallback, inner


def place(file: SourceFile, page: OldPage, site: HugoSite) -> Placed:
    lang, inner = lang_and_inner(file.rel, site)
    front = page.front or {}
    stem = re.sub(r"\.(md|markdown|html)$", "", inner)
    is_index = posixpath.basename(stem) in ("_index", "index")
    path = posixpath.dirname(stem) if is_index else stem
    key = str(front.get("translationKey") or path or "index")
    day = as_date(front.get("date"))
    url = _url(path, front, site, is_index, day)
    prefix = site.prefixes.get(lang, "")
    url = url if not prefix or url.startswith(f"/{prefix}/") else f"/{prefix}{url}"
    section = path.split("/", 1)[0]
    stripped = strip_prefix(url, prefix)
    if section in NEWS_SECTIONS and day and not is_index:
        rel = f"news/{day.isoformat()}-{urls.slugify(posixpath.basename(path))}.md"
    elif section in NEWS_SECTIONS and is_index and path == section:
        rel = "news/index.md"
    else:
        rel = rel_for_url(stripped)
    return Placed(file, page, lang, inner, url, key, rel, day)


def _url(path: str, front: dict[str, Any], site: HugoSite, is_index: bool, day: dt.date | None) -> str:
    if isinstance(front.get("url"), str):
        return "/" + front["url"].strip("/") + ("/" if not front["url"].endswith(".html") else "")
    slug = front.get("slug") if isinstance(front.get("slug"), str) else None
    section = path.split("/", 1)[0] if "/" in path else ""
    pattern = site.permalinks.get(section)
    if pattern and day and not is_index:
        name = posixpath.basename(path)
        return urls.expand(pattern, {"year": f"{day.year:04d}", "month": f"{day.month:02d}",
                                     "day": f"{day.day:02d}", "slug": slug or name, "title": slug or name,
                                     "filename": name, "section": section, "contentbasename": name})
    if slug and not is_index:
        path = posixpath.join(posixpath.dirname(path), slug)
    return "/" + (path.strip("/") + "/" if path.strip("/") else "")


def page_plan(placed: Placed, resolve: Any, prefix: str, report: ReportBuilder) -> PagePlan:
    front = placed.page.front or {}
    out = samizdat_front(front, "hugo")
    if placed.date:
        out["date"] = placed.date
    out["translation_key"] = placed.key
    if placed.url != url_for_rel(placed.rel, prefix):
        out["permalink"] = placed.url
    rel = placed.rel
    if front.get("draft") is True:
        out["draft"] = True
        report.note(placed.file.rel, "a draft: written with `draft: true`, not published (`samizdat serve --drafts` "
                    "shows it; remove the line to publish it)")
    aliases = front.get("aliases") or []
    for alias in aliases if isinstance(aliases, list) else [aliases]:  # one address written without a list
        report.note(placed.file.rel, f"the old address {alias} (aliases) gets no redirect: samizdat writes none")

    def note(line: int, text: str) -> None:
        report.note(placed.file.rel, text, line)

    body = convert_shortcodes(placed.page.body, lambda target: resolve(target, placed), note, placed.page.body_line)
    if placed.file.name.lower().endswith(".html"):  # Hugo read it as HTML, not Markdown
        body = html_as_markdown(body)
    body, code = neutralise_code(body)
    for line, text in code:
        note(placed.page.body_line + line - 1, text)
    report.convert(placed.file.rel, f"content/{placed.lang}/{rel}")
    return PagePlan(placed.lang, rel, out, body, placed.file.rel)


def resolver(placed: list[Placed], site: HugoSite) -> Any:
    """For `{{< ref "about.md" >}}`: the new URL of the named page, in the linking page's language
    unless the name says another (`about.fr.md`)."""
    def resolve(target: str, page: Placed) -> str | None:
        name, _, anchor = target.partition("#")
        name = name.strip("/").removeprefix("content/")
        if not name:
            return f"#{anchor}" if anchor else None
        lang, inner = lang_and_inner("content/" + name, site)
        lang = lang if SUFFIX.match(name) or name.split("/", 1)[0] in site.codes else page.lang
        stem = _stem(inner)
        for other in placed:
            other_stem = _stem(other.inner)
            if other.lang == lang and stem in (other_stem, other_stem.rsplit("/", 1)[-1],
                                               other_stem.removesuffix("/index"), other_stem.removesuffix("/_index")):
                return other.url + (f"#{anchor}" if anchor else "")
        return None

    return resolve


def _stem(inner: str) -> str:
    return re.sub(r"\.(md|markdown|html)$", "", inner)
