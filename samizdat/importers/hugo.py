"""`samizdat import hugo`: languages from `hugo.toml`/`config.toml`/`config.yaml`, pages (see
hugo_content), `data/`, `static/` and page bundles' files; templates, themes and the rest are listed."""

from __future__ import annotations

import re
import tomllib
from typing import Any

from samizdat.content.safe_yaml import load_yaml
from samizdat.errors import ContentError
from samizdat.importers.data_files import convert_data
from samizdat.importers.frontmatter import FrontMatterProblem, split
from samizdat.importers.hugo_content import HugoSite, Placed, lang_and_inner, page_plan, place, resolver
from samizdat.importers.languages import display_name, normal_code
from samizdat.importers.model import CopyPlan, LanguagePlan, SitePlan, TextPlan
from samizdat.importers.pages import finish_pages
from samizdat.importers.report import ReportBuilder
from samizdat.importers.source import SourceFile, SourceTree, image_matches, read_text

CONFIGS = ("hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json", "config.toml", "config.yaml", "config.yml",
           "config.json", "config/_default/hugo.toml", "config/_default/config.toml")
PAGE = (".md", ".markdown", ".html")
WHY = {"layouts": "a Hugo template: samizdat's theme is used", "themes": "a Hugo theme: samizdat's theme is used",
       "i18n": "Hugo's interface strings: samizdat's theme has its own (strings/<lang>.yaml)",
       "archetypes": "a Hugo archetype: `samizdat new` makes new pages",
       "assets": "Hugo Pipes input: put the finished files in static/", "resources": "Hugo's cache",
       "public": "Hugo's old build output",
       "config": "part of Hugo's split configuration: only the main config file was read; copy what matters "
                 "into samizdat.toml"}


def plan_hugo(tree: SourceTree, default_language: str | None, report: ReportBuilder) -> SitePlan:
    name, config = _config(tree, report)
    languages = _languages(config, default_language)
    site = _site(config, languages)
    placed, data, copies = _sort(tree, site, name, report)
    resolve = resolver(placed, site)
    pages = [page_plan(p, resolve, site.prefixes.get(p.lang, ""), report) for p in placed]
    news = {p.lang for p in placed if p.rel.startswith("news/") and p.rel != "news/index.md"}
    pages = finish_pages(pages, tuple(languages), news, report)
    texts = [TextPlan(text.dest, text.text, tuple(source.removeprefix("_") for source in text.sources))
             for text in convert_data(data, list(site.codes), report)]  # read as Jekyll's `_data/…`: named as they are
    base = str(_get(config, "baseurl") or "").rstrip("/")
    if not base.startswith(("https://", "http://")) or re.search(r"//(www\.)?example\.(org|com)", base):
        report.note(name or "hugo.toml", "write the site's real address as base_url in samizdat.toml")
        base = base if base.startswith(("https://", "http://")) else "https://example.org"
    if _get(config, "defaultcontentlanguageinsubdir"):
        report.summary.append(f"the main language keeps its folder (/{site.prefixes[site.default]}/) and nothing is "
                              "published at /, where Hugo wrote a redirect: set its prefix to \"\" to serve it at /")
    if any(_get(v, "menu") for v in (_get(config, "languages") or {}).values() if isinstance(v, dict)) or \
            _get(config, "menu"):
        report.summary.append("menus in the config were not converted: list the links in data/header.yaml")
    return SitePlan(base, _timezone(config), tuple(languages), tuple(pages), tuple(copies), tuple(texts))


def _sort(tree: SourceTree, site: HugoSite, config_name: str | None,
          report: ReportBuilder) -> tuple[list[Placed], list[SourceFile], list[CopyPlan]]:
    placed: list[Placed] = []
    data: list[SourceFile] = []
    copies: list[CopyPlan] = []
    content_roots = ("content/", *(d.rstrip("/") + "/" for d in site.content_dirs))
    for file in tree.files:
        top = file.rel.split("/", 1)[0]
        if file.rel.startswith(content_roots) and file.name.lower().endswith(PAGE):
            placed += _read_page(file, site, report)
        elif top == "data":
            data.append(SourceFile("_" + file.rel, file.path))  # convert_data reads `_data/…`, as Jekyll's
        elif top == "static" and image_matches(file, report):
            copies.append(CopyPlan(file.rel, file))
            report.convert(file.rel, file.rel)
        elif file.rel.startswith(content_roots) and image_matches(file, report):
            lang, inner = lang_and_inner(file.rel, site)
            copies.append(CopyPlan(f"content/{lang}/{inner}", file))  # a page bundle's file, beside its page
            report.convert(file.rel, f"content/{lang}/{inner}")
        elif file.rel != config_name:
            report.leave_out(file.rel, WHY.get(top, "not part of a samizdat site"))
    for moved in [key for key in report.converted if key.startswith("_data/")]:
        report.converted[moved[1:]] = report.converted.pop(moved)
    for moved in [key for key in report.left_out if key.startswith("_data/")]:
        report.left_out[moved[1:]] = report.left_out.pop(moved)
    return placed, data, copies


def _read_page(file: SourceFile, site: HugoSite, report: ReportBuilder) -> list[Placed]:
    try:
        page = split(read_text(file) or "", file.path)
    except FrontMatterProblem as exc:
        report.note(file.rel, f"front matter cannot be read: {exc}", exc.line)
        report.leave_out(file.rel, "broken front matter")
        return []
    return [place(file, page, site)]


def _get(config: Any, key: str) -> Any:
    """Hugo's keys ignore case: `baseURL`, `baseurl`."""
    if not isinstance(config, dict):
        return None
    return next((v for k, v in config.items() if str(k).lower() == key), None)


def _config(tree: SourceTree, report: ReportBuilder) -> tuple[str | None, dict[str, Any]]:
    files = {f.rel: f for f in tree.files}
    for name in CONFIGS:
        if name not in files:
            continue
        text = read_text(files[name]) or ""
        try:
            data = tomllib.loads(text) if name.endswith(".toml") else load_yaml(text, files[name].path)
        except (tomllib.TOMLDecodeError, ContentError, RecursionError) as exc:
            reason = "it nests values too deep to read" if isinstance(exc, RecursionError) else exc
            report.note(name, f"cannot be read: {reason}; Hugo's defaults were used")
            report.leave_out(name, "a broken configuration")
            return None, {}
        report.convert(name, "samizdat.toml")
        return name, _with_shapes(data, name, report) if isinstance(data, dict) else {}
    report.summary.append("no hugo.toml or config.toml: Hugo's defaults were used")
    return None, {}


def _with_shapes(config: dict[str, Any], name: str, report: ReportBuilder) -> dict[str, Any]:
    """The config without a `languages` that is not a table of languages (a list or a number stopped the
    import with a traceback): it is left out, with a note."""
    shaped = dict(config)
    for key, value in config.items():
        if str(key).lower() == "languages" and not isinstance(value, dict):
            report.note(name, f"`{key}` should be a table of languages ([languages.en]); it was left out")
            del shaped[key]
    return shaped


def _languages(config: dict[str, Any], wanted: str | None) -> list[LanguagePlan]:
    table = _get(config, "languages") or {}
    default = wanted or normal_code(str(_get(config, "defaultcontentlanguage") or "en")) or "en"
    in_subdir = bool(_get(config, "defaultcontentlanguageinsubdir"))
    entries = [(normal_code(str(k)), v if isinstance(v, dict) else {}) for k, v in table.items()]
    entries.sort(key=lambda kv: _get(kv[1], "weight") if isinstance(_get(kv[1], "weight"), int) else 0)
    codes = [(c, v) for c, v in entries if c]
    if default not in [c for c, _ in codes]:
        codes.insert(0, (default, {}))
    title = str(_get(config, "title") or "My site")
    return [LanguagePlan(code, code.lower() if (code != default or in_subdir) else "",
                         str(_get(v, "languagename") or display_name(code)), str(_get(v, "title") or title),
                         code == default) for code, v in codes]


def _site(config: dict[str, Any], languages: list[LanguagePlan]) -> HugoSite:
    table = _get(config, "languages") or {}
    dirs = {str(_get(v, "contentdir")).strip("/"): normal_code(str(k)) or str(k)
            for k, v in table.items() if isinstance(v, dict) and isinstance(_get(v, "contentdir"), str)}
    links = _get(config, "permalinks") or {}
    links = {str(k): v for k, v in links.items() if isinstance(v, str)} if isinstance(links, dict) else {}
    default = next(language.code for language in languages if language.default)
    return HugoSite(default, tuple(language.code for language in languages),
                    {language.code: language.prefix for language in languages}, dirs, links)


def _timezone(config: dict[str, Any]) -> str | None:
    zone = _get(config, "timezone")
    return zone if isinstance(zone, str) and re.fullmatch(r"[A-Za-z_]+(/[A-Za-z_+-]+)*", zone) else None
