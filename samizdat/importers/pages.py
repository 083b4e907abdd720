"""Pages of the new site: file names from the URLs they keep, no two in one place, a home page and a
news list in every language that needs them."""

from __future__ import annotations

from samizdat.importers.languages import news_title
from samizdat.importers.model import LanguagePlan, PagePlan
from samizdat.importers.report import ReportBuilder


def rel_for_url(url: str) -> str:
    """`/` → index.md, `/about/` → about/index.md, `/a/b.html` → a/b.md (the permalink keeps `.html`)."""
    path = url.strip("/")
    if not path:
        return "index.md"
    if url.endswith("/"):
        return f"{path}/index.md"
    return path.rsplit(".", 1)[0] + ".md" if "." in path.rsplit("/", 1)[-1] else f"{path}.md"


def strip_prefix(url: str, prefix: str) -> str:
    """`/en/about/` → `/about/` for the prefix `en`; `/enough/` stays as it is."""
    if prefix and (url == f"/{prefix}" or url.startswith(f"/{prefix}/")):
        return url[len(prefix) + 1:] or "/"
    return url


def url_for_rel(rel: str, prefix: str) -> str:
    """The URL samizdat gives a file below content/<lang>/ without a permalink."""
    stem = rel.removesuffix(".md")
    stem = "" if stem == "index" else stem.removesuffix("/index")
    head = f"/{prefix}/" if prefix else "/"
    return head + (f"{stem}/" if stem else "")


def finish_pages(pages: list[PagePlan], languages: tuple[LanguagePlan, ...], with_news: set[str],
                 report: ReportBuilder) -> list[PagePlan]:
    kept: list[PagePlan] = []
    places: set[tuple[str, str]] = set()
    keys: set[tuple[str, str]] = set()
    for page in pages:
        if any(part in ("", ".", "..") for part in page.rel.split("/")) or "\\" in page.rel:
            report.note(page.source, f"its address {page.front.get('permalink')!r} leaves the site: not imported")
            report.converted.pop(page.source, None)
            report.leave_out(page.source, "an address outside the site")
            continue
        if (page.lang, page.rel.lower()) in places:
            report.note(page.source, f"a second page at content/{page.lang}/{page.rel}: not imported")
            report.converted.pop(page.source, None)
            report.leave_out(page.source, "another page has the same address")
            continue
        places.add((page.lang, page.rel.lower()))
        front = dict(page.front)
        key = (page.lang, str(front.get("translation_key")))
        if key in keys:
            front.pop("translation_key")
        keys.add(key)
        if front.pop("jekyll_home", False) and page.lang in with_news:
            page = PagePlan(page.lang, page.rel, front, page.body.rstrip() + "\n\n{{ latest_news(10) }}\n", page.source)
        kept.append(PagePlan(page.lang, page.rel, front, page.body, page.source))
    return kept + _missing(languages, places, with_news, report)


def _missing(languages: tuple[LanguagePlan, ...], places: set[tuple[str, str]], with_news: set[str],
             report: ReportBuilder) -> list[PagePlan]:
    made: list[PagePlan] = []
    for language in languages:
        if (language.code, "index.md") not in places:
            body = "{{ latest_news(10) }}\n" if language.code in with_news else ""
            made.append(PagePlan(language.code, "index.md", {"title": language.title, "translation_key": "index"},
                                 body, ""))
            report.summary.append(f"no home page in {language.code}: content/{language.code}/index.md was made; "
                                  "write its text")
        if language.code in with_news and (language.code, "news/index.md") not in places:
            made.append(PagePlan(language.code, "news/index.md", {"title": news_title(language.code)}, "", ""))
    return made
