"""`samizdat import jekyll`: the plan of the new site from the old site's files."""

from __future__ import annotations

import posixpath
import re
from typing import Any

from samizdat.importers import jekyll_plan as jp
from samizdat.importers import jekyll_urls as urls
from samizdat.importers.data_files import convert_data, language_data
from samizdat.importers.frontmatter import as_date
from samizdat.importers.jekyll import OldDoc, classify, collections_of, read_config, static_url
from samizdat.importers.liquid import Links, translate
from samizdat.importers.liquid_expr import Scope
from samizdat.importers.markup import html_as_markdown, kramdown, neutralise_code
from samizdat.importers.model import CopyPlan, PagePlan, SitePlan
from samizdat.importers.pages import finish_pages, rel_for_url, strip_prefix, url_for_rel
from samizdat.importers.report import ReportBuilder
from samizdat.importers.source import SourceTree, image_matches, read_text

EXPLICIT_KEYS = ("translation_key", "language_reference", "lang-ref", "lang_ref", "ref", "page_id", "namespace")


def plan_jekyll(tree: SourceTree, default_language: str | None, report: ReportBuilder) -> SitePlan:
    config = read_config(tree, report)
    docs, data_files, static = classify(tree, config, report)
    codes, prefixes, default = jp.languages(config, docs, default_language, report)
    multi = _is_multiple_languages(config, tree)
    placed = [p for doc in docs for p in _place(doc, config, codes, prefixes, default, multi, report)]
    links = _links(tree, placed, codes)
    i18n = _i18n_tables(tree, codes, report)
    base = jp.base_url(config, report, _cname(tree))
    data = language_data(data_files, codes, default)
    pages = [_page(p, config, base, prefixes, links, i18n, data, report) for p in placed]
    titles = {code: str(table["title"]) for code, table in i18n.items() if isinstance(table.get("title"), str)}
    languages = jp.language_plans(codes, prefixes, default, config, titles)
    pages = finish_pages(pages, languages, {p.lang for p in placed if p.doc.kind == "post"}, report)
    texts = convert_data(data_files, codes, report)
    # Jekyll's assets/ is samizdat's assets/ (both at /assets/), where pages' images are looked for
    copies = [CopyPlan(_static_dest(static_url(f, collections_of(config))), f)
              for f in static if image_matches(f, report)]
    for copy in copies:
        report.convert(copy.source.rel, copy.dest)
    _summary(config, report)
    return SitePlan(base, jp.timezone(config), languages, tuple(pages), tuple(copies), tuple(texts))


def _cname(tree: SourceTree) -> str | None:
    """GitHub Pages' custom domain: the site's address when _config.yml gives none."""
    found = next((f for f in tree.files if f.rel == "CNAME"), None)
    text = (read_text(found) or "").strip() if found else ""
    return text if re.fullmatch(r"[A-Za-z0-9.-]+\.[A-Za-z]{2,}", text) else None


def _static_dest(url_path: str) -> str:
    return url_path if url_path.startswith("assets/") else f"static/{url_path}"


def _is_multiple_languages(config: dict[str, Any], tree: SourceTree) -> bool:
    plugins = [str(p) for p in (config.get("plugins") or config.get("gems") or []) if isinstance(p, str)]
    return "jekyll-multiple-languages-plugin" in plugins or any(f.rel.startswith("_i18n/") for f in tree.files)


def _place(doc: OldDoc, config: dict[str, Any], codes: list[str], prefixes: dict[str, str], default: str,
           multi: bool, report: ReportBuilder) -> list[jp.Placed]:
    if doc.kind == "i18n":
        report.leave_out(doc.file.rel, "a translated piece: written into the pages that use it ({% tf %})")
        return []
    if multi and doc.kind == "page" and doc.lang is None and not (doc.page.front or {}).get("lang"):
        return [_place_one(doc, config, code, prefixes, default, report) for code in codes]
    said = (doc.page.front or {}).get("lang")
    if isinstance(said, str) and said not in codes:
        report.note(doc.file.rel, f"lang: {said} is not one of the site's languages ({', '.join(codes)}): "
                                  "imported by its address; add the language to _config.yml and import again")
    return [_place_one(doc, config, _lang_of(doc, codes, prefixes, default), prefixes, default, report)]


def _lang_of(doc: OldDoc, codes: list[str], prefixes: dict[str, str], default: str) -> str:
    front = doc.page.front or {}
    for value in (doc.lang, front.get("lang"), front.get("language")):
        if isinstance(value, str) and value in codes:
            return value
    link = front.get("permalink")
    first = (link if isinstance(link, str) else "/" + doc.inner).strip("/").split("/")[0]
    return next((code for code, prefix in prefixes.items() if prefix and prefix == first), default)


def _place_one(doc: OldDoc, config: dict[str, Any], lang: str, prefixes: dict[str, str], default: str,
               report: ReportBuilder) -> jp.Placed:
    front = jp.front_of(doc, config, lang)
    style = str(config.get("permalink") or "date")
    if doc.kind in ("post", "draft"):
        url, day, rel = _post_place(doc, front, style)
    else:
        collection = (config.get("collections") or {}).get(doc.kind, {}) if doc.kind != "page" else {}
        link = front.get("permalink") or (collection.get("permalink") if isinstance(collection, dict) else None)
        url = urls.page_url(doc.inner, style, link, doc.kind)
        day, rel = as_date(front.get("date")), ""
    url = _with_prefix(url, prefixes.get(lang, ""), lang != default)
    stripped = strip_prefix(url, prefixes.get(lang, ""))
    rel = rel or rel_for_url(stripped)
    key = next((str(front[k]) for k in EXPLICIT_KEYS if isinstance(front.get(k), (str, int))), None)
    draft = doc.kind == "draft" or front.get("published") is False or front.get("draft") is True
    if draft:
        report.note(doc.file.rel, "a draft: written with `draft: true`, not published (`samizdat serve --drafts` "
                    "shows it; remove the line to publish it)")
    if not stripped.strip("/"):
        key = "index"  # every language's home page is one page in samizdat, whatever key the old site gave it
    return jp.Placed(doc, lang, url, key or (stripped.strip("/") or "index"), rel, day, draft)


def _post_place(doc: OldDoc, front: dict[str, Any], style: str) -> tuple[str, Any, str]:
    folders, inner = doc.inner.split("|", 1) if "|" in doc.inner else ("", doc.inner)
    name = inner.rsplit("/", 1)[-1]
    parts = urls.post_parts(name)
    day = as_date(front.get("date")) or (parts[0] if parts else None)
    slug = parts[1] if parts else name.rsplit(".", 1)[0]
    link = front.get("permalink") if isinstance(front.get("permalink"), str) else style
    categories = urls.categories_of(front, folders.strip("/"))
    url = urls.post_url(link, day, urls.slugify(slug), categories, None) if day else f"/{urls.slugify(slug)}/"
    stem = f"{day.isoformat()}-{urls.slugify(slug)}" if day else urls.slugify(slug)
    return url, day, f"news/{stem}.md"


def _with_prefix(url: str, prefix: str, needed: bool) -> str:
    if not needed or not prefix or url.strip("/").split("/")[0] == prefix:
        return url
    return f"/{prefix}{url}"


def _links(tree: SourceTree, placed: list[jp.Placed], codes: list[str]) -> dict[str, Links]:
    """Per language: where each old file went, for `{% link %}` and `{% post_url %}`."""
    files = {f.rel: f for f in tree.files}
    result: dict[str, Links] = {}
    for code in codes:
        mine = {p.doc.file.rel: p.url for p in placed if p.lang == code}
        posts = {p.doc.file.name.rsplit(".", 1)[0]: p.url for p in placed if p.lang == code and p.doc.kind == "post"}

        def include(name: str, relative: bool, page: str) -> str | None:
            rel = posixpath.normpath(posixpath.join(posixpath.dirname(page), name)) if relative else f"_includes/{name}"
            found = files.get(rel)
            return read_text(found) if found else None

        def i18n_file(name: str, code: str = code) -> str | None:
            found = files.get(f"_i18n/{code}/{name}")
            return read_text(found) if found else None

        result[code] = Links(mine, posts, include, i18n_file)
    return result


def _i18n_tables(tree: SourceTree, codes: list[str], report: ReportBuilder) -> dict[str, dict[str, Any]]:
    from samizdat.importers.data_files import load_data

    tables: dict[str, dict[str, Any]] = {}
    for file in tree.files:
        for code in codes:
            if file.rel in (f"_i18n/{code}.yml", f"_i18n/{code}.yaml"):
                data = load_data(file, report)
                tables[code] = data if isinstance(data, dict) else {}
                report.leave_out(file.rel, "jekyll-multiple-languages texts: written into the pages ({% t %})")
    return tables


def _page(place: jp.Placed, config: dict[str, Any], base: str, prefixes: dict[str, str],
          links: dict[str, Links], i18n: dict[str, dict[str, Any]], data: dict[str, dict[str, Any]],
          report: ReportBuilder) -> PagePlan:
    doc = place.doc
    front = jp.front_of(doc, config, place.lang)
    scope = Scope(config, front, base, i18n=i18n.get(place.lang, {}), data=data.get(place.lang, {}))
    result = translate(doc.page.body, scope, links[place.lang], doc.file.rel, doc.page.body_line)
    if doc.file.name.lower().endswith((".html", ".htm")):  # Jekyll read it as HTML, not Markdown
        body, cut = html_as_markdown(result.text), []
    else:
        body, cut = kramdown(result.text)
    body, code = neutralise_code(body)
    for line, text in result.notes + [(doc.page.body_line + line - 1, t) for line, t in cut + code]:
        report.note(doc.file.rel, text, line)
    out_front = jp.samizdat_page_front(front, place, url_for_rel(place.rel, jp.prefix_of(prefixes, place.lang)))
    if front.get("layout") == "home":  # Jekyll's home layout lists the posts: finish_pages adds the list
        out_front["jekyll_home"] = True
    old = front.get("redirect_from")
    for address in [old] if isinstance(old, str) else old if isinstance(old, list) else []:
        report.note(doc.file.rel, f"the old address {address} (redirect_from) gets no redirect: samizdat writes none")
    report.convert(doc.file.rel, f"content/{place.lang}/{place.rel}")
    return PagePlan(place.lang, place.rel, out_front, body, doc.file.rel)


def _summary(config: dict[str, Any], report: ReportBuilder) -> None:
    plugins = [str(p) for p in (config.get("plugins") or config.get("gems") or [])]
    if plugins:
        report.summary.append(f"plugins not run: {', '.join(plugins)} (sitemap, feeds and SEO tags are "
                              "samizdat's own; redirects, pagination and the rest need a person)")
    report.summary.append("layouts: every page uses samizdat's theme; posts are news posts (content/<lang>/news/)")
