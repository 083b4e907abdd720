"""`samizdat import hugo`: `hugo.toml`/`config.toml`/`config.yaml` languages, `content/<lang>/` and
`name.<lang>.md` pages, `translationKey`, drafts, `aliases` and shortcodes (listed), data and static."""

from __future__ import annotations

import posixpath
import re
import tomllib
from typing import Any

from samizdat.content.safe_yaml import load_yaml
from samizdat.errors import ContentError
from samizdat.importers.data_files import convert_data
from samizdat.importers.frontmatter import FrontMatterProblem, as_date, samizdat_front, split
from samizdat.importers.languages import display_name, normal_code
from samizdat.importers.markup import escape_jinja, jinja_comment
from samizdat.importers.model import CopyPlan, LanguagePlan, PagePlan, SitePlan
from samizdat.importers.pages import finish_pages, rel_for_url, url_for_rel
from samizdat.importers.report import ReportBuilder
from samizdat.importers.source import SourceFile, SourceTree, image_matches, read_text

CONFIGS = ("hugo.toml", "hugo.yaml", "hugo.yml", "config.toml", "config.yaml", "config.yml")
SHORTCODE = re.compile(r"\{\{[<%]\s*(/?)(\w[\w-]*)(.*?)\s*[>%]\}\}", re.S)


def plan_hugo(tree: SourceTree, default_language: str | None, report: ReportBuilder) -> SitePlan:
    config = _config(tree, report)
    languages = _languages(config, default_language)
    codes = [language.code for language in languages]
    pages: list[PagePlan] = []
    data, copies = [], []
    for file in tree.files:
        top = file.rel.split("/", 1)[0]
        if file.rel.startswith("content/") and file.name.lower().endswith((".md", ".markdown", ".html")):
            pages += _page(file, codes, languages, config, report)
        elif top == "data":
            data.append(file)
        elif top == "static" and image_matches(file, report):
            copies.append(CopyPlan(file.rel, file))
            report.convert(file.rel, file.rel)
        elif top == "content":
            copies += _bundle_files(file, codes, report)
        elif file.rel not in CONFIGS:
            report.leave_out(file.rel, _why(top))
    texts = convert_data([SourceFile("_" + f.rel, f.path) for f in data], codes, report)
    for f in data:  # convert_data names them by the Jekyll folder; record the Hugo path
        report.converted[f.rel] = report.converted.pop("_" + f.rel, [])
        if not report.converted[f.rel]:
            report.converted.pop(f.rel)
            report.leave_out(f.rel, report.left_out.pop("_" + f.rel, "not imported"))
    pages = finish_pages(pages, languages, set(), report)
    base = str(_get(config, "baseurl") or "https://example.org").rstrip("/")
    if not base.startswith(("https://", "http://")) or "example.org" in base:
        report.note(next((c for c in CONFIGS if any(f.rel == c for f in tree.files)), "hugo.toml"),
                    "write the site's real address as base_url in samizdat.toml")
    return SitePlan(base, _timezone(config), tuple(languages), tuple(pages), tuple(copies), tuple(texts))


def _why(top: str) -> str:
    return {"layouts": "a Hugo template: samizdat's theme is used", "themes": "a Hugo theme: samizdat's theme is used",
            "i18n": "Hugo's interface strings: samizdat's theme has its own (strings/<lang>.yaml)",
            "archetypes": "a Hugo archetype: `samizdat new` makes new pages",
            "assets": "Hugo Pipes input: put finished files in static/"}.get(top, "not part of a samizdat site")


def _get(config: dict[str, Any], key: str) -> Any:
    return next((v for k, v in config.items() if k.lower() == key), None)


def _config(tree: SourceTree, report: ReportBuilder) -> dict[str, Any]:
    for name in CONFIGS:
        file = next((f for f in tree.files if f.rel == name), None)
        if file is None:
            continue
        text = read_text(file) or ""
        try:
            data = tomllib.loads(text) if name.endswith(".toml") else load_yaml(text, file.path)
        except (tomllib.TOMLDecodeError, ContentError) as exc:
            report.note(name, f"cannot be read: {exc}")
            report.leave_out(name, "a broken configuration")
            return {}
        report.convert(name, "samizdat.toml")
        return data if isinstance(data, dict) else {}
    return {}


def _languages(config: dict[str, Any], wanted: str | None) -> list[LanguagePlan]:
    table = _get(config, "languages") or {}
    default = wanted or normal_code(str(_get(config, "defaultcontentlanguage") or "en")) or "en"
    in_subdir = bool(_get(config, "defaultcontentlanguageinsubdir"))
    entries = sorted(((normal_code(str(k)), v if isinstance(v, dict) else {}) for k, v in table.items()),
                     key=lambda kv: kv[1].get("weight", 0) if isinstance(kv[1].get("weight", 0), int) else 0)
    codes = [(c, v) for c, v in entries if c] or [(default, {})]
    if default not in [c for c, _ in codes]:
        codes.insert(0, (default, {}))
    title = str(_get(config, "title") or "My site")
    return [LanguagePlan(code, code.lower() if (code != default or in_subdir) else "",
                         str(_get(v, "languagename") or display_name(code)), str(_get(v, "title") or title),
                         code == default) for code, v in codes]


def _timezone(config: dict[str, Any]) -> str | None:
    zone = _get(config, "timezone")
    return zone if isinstance(zone, str) and re.fullmatch(r"[A-Za-z_]+(/[A-Za-z_+-]+)*", zone) else None


def _lang_and_rel(rel: str, codes: list[str], default: str) -> tuple[str, str]:
    """content/ko/about.md → (ko, about.md); content/about.ko.md → (ko, about.md)."""
    inner = rel.removeprefix("content/")
    first, _, rest = inner.partition("/")
    if first in codes and rest:
        return first, rest
    match = re.match(r"^(.*)\.([A-Za-z]{2,3}(?:-[A-Za-z0-9]+)?)\.(md|markdown|html)$", inner)
    if match and match.group(2) in codes:
        return match.group(2), f"{match.group(1)}.{match.group(3)}"
    return default, inner


def _page(file: SourceFile, codes: list[str], languages: list[LanguagePlan], config: dict[str, Any],
          report: ReportBuilder) -> list[PagePlan]:
    default = next(language.code for language in languages if language.default)
    lang, inner = _lang_and_rel(file.rel, codes, default)
    prefix = next(language.prefix for language in languages if language.code == lang)
    try:
        old = split(read_text(file) or "", file.path)
    except FrontMatterProblem as exc:
        report.note(file.rel, f"front matter cannot be read: {exc}", exc.line)
        report.leave_out(file.rel, "broken front matter")
        return []
    front = old.front or {}
    stem = re.sub(r"\.(md|markdown|html)$", "", inner)
    section_index = stem.endswith("_index") or stem == "_index"
    path = stem.removesuffix("_index").removesuffix("index").rstrip("/")
    key = str(front.get("translationKey") or path or "index")
    if isinstance(front.get("slug"), str) and not section_index:
        path = posixpath.join(posixpath.dirname(path), front["slug"])
    url = front["url"] if isinstance(front.get("url"), str) else "/" + (path + "/" if path else "")
    url = url if not prefix or url.startswith(f"/{prefix}/") else f"/{prefix}{url}"
    stripped = url.removeprefix(f"/{prefix}") if prefix else url
    rel = rel_for_url(stripped or "/")
    out = samizdat_front(front, "hugo")
    if as_date(front.get("date")):
        out["date"] = as_date(front.get("date"))
    out["translation_key"] = key
    if url != url_for_rel(rel, prefix):
        out["permalink"] = url
    if front.get("draft") is True:
        rel = posixpath.join(posixpath.dirname(rel), "_" + posixpath.basename(rel))
        out["draft"] = True
        report.note(file.rel, "a draft: written as content/…/_name.md with `draft: true`, not published")
    for alias in front.get("aliases") or []:
        report.note(file.rel, f"old address {alias} (aliases) gets no redirect: samizdat writes none")
    body = _shortcodes(old.body, file.rel, old.body_line, report)
    report.convert(file.rel, f"content/{lang}/{rel}")
    return [PagePlan(lang, rel, out, body, file.rel)]


def _shortcodes(body: str, source: str, first_line: int, report: ReportBuilder) -> str:
    out: list[str] = []
    pos = 0
    for match in SHORTCODE.finditer(body):
        out.append(escape_jinja(body[pos:match.start()]))
        line = first_line + body.count("\n", 0, match.start())
        report.note(source, f"Hugo shortcode `{match.group(0)[:60]}` kept as a comment: redo it with a samizdat "
                            "shortcode or HTML", line)
        out.append(jinja_comment(match.group(0)))
        pos = match.end()
    out.append(escape_jinja(body[pos:]))
    return "".join(out)


def _bundle_files(file: SourceFile, codes: list[str], report: ReportBuilder) -> list[CopyPlan]:
    """A page bundle's image or file: copied beside the page, in the default language's folder."""
    if not image_matches(file, report):
        return []
    lang, inner = _lang_and_rel(file.rel, codes, codes[0])
    dest = f"content/{lang}/{inner}"
    report.convert(file.rel, dest)
    return [CopyPlan(dest, file)]
