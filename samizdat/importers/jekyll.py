"""A Jekyll site as a samizdat site: `_config.yml`, pages, posts, drafts, collections, `_data`,
static files, and the languages of polyglot, jekyll-multiple-languages and one-permalink-per-language
sites (the Voices in Korea layout: `/`, `/en/`, `/kr/`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from samizdat.content.safe_yaml import load_yaml
from samizdat.errors import ContentError
from samizdat.importers import jekyll_urls as urls
from samizdat.importers.frontmatter import FrontMatterProblem, OldPage, split
from samizdat.importers.report import ReportBuilder
from samizdat.importers.source import SourceFile, SourceTree, read_text

PAGE_EXTENSIONS = (".md", ".markdown", ".html", ".htm")
TEXT_EXTENSIONS = (*PAGE_EXTENSIONS, ".xml", ".txt", ".scss", ".css", ".json", ".yml")  # may hold front matter
RUBY = re.compile(r"(^|/)(Gemfile(\.lock)?|Rakefile|[^/]*\.gemspec|[^/]*\.rb)$")
GENERATED = {"sitemap.xml": "samizdat writes its own sitemap.xml",
             "feed.xml": "samizdat writes its own feeds (feed.xml in each language)",
             "atom.xml": "samizdat writes its own feeds (feed.xml in each language)",
             "rss.xml": "samizdat writes its own feeds (feed.xml in each language)",
             "robots.txt": "samizdat writes its own robots.txt"}
REPOSITORY_FILES = re.compile(r"^(README|LICENSE|LICENCE|CHANGELOG|History|CODE_OF_CONDUCT|CONTRIBUTING)"
                              r"(\.[\w.]+)?$", re.I)


@dataclass(frozen=True)
class OldDoc:
    """A page, post or collection document of the old site, read."""

    file: SourceFile
    kind: str  # "page", "post", "draft" or a collection's name
    inner: str  # the path inside its folder (_posts/, _drafts/, _<collection>/ or the site)
    page: OldPage
    lang: str | None  # the language its place says (_posts/ko/, _i18n/es/), if any


def read_config(tree: SourceTree, report: ReportBuilder) -> dict[str, Any]:
    for file in tree.files:
        if file.rel in ("_config.yml", "_config.yaml"):
            text = read_text(file) or ""
            try:
                data = load_yaml(text, file.path)
            except ContentError as exc:
                report.note(file.rel, f"cannot be read ({exc.message}); the defaults were used",
                            exc.location.line if exc.location else None)
                report.leave_out(file.rel, "a broken configuration")
                return {}
            report.convert(file.rel, "samizdat.toml")
            return _with_shapes(data, file.rel, report) if isinstance(data, dict) else {}
    report.summary.append("no _config.yml: Jekyll's defaults were used")
    return {}


# The settings the import reads as lists (of texts or of tables) or as a table. Jekyll takes a list of
# collection names or a table of them; any other shape is dropped with a note, not read as it is (a
# number where a list was expected stopped the import with a traceback).
LIST_SETTINGS = ("exclude", "include", "plugins", "gems", "languages", "defaults")


def _with_shapes(config: dict[str, Any], rel: str, report: ReportBuilder) -> dict[str, Any]:
    shaped = dict(config)
    for key in LIST_SETTINGS:
        value = shaped.get(key)
        if value is None or isinstance(value, list):
            continue
        if isinstance(value, str) and key != "defaults":
            shaped[key] = [value]  # one name written without a list
            continue
        report.note(rel, f"`{key}:` should be a list; it was left out")
        del shaped[key]
    collections = shaped.get("collections")
    if isinstance(collections, list):
        shaped["collections"] = {str(name): {} for name in collections if isinstance(name, str | int)}
    elif collections is not None and not isinstance(collections, dict):
        report.note(rel, "`collections:` should be a list or a table of collections; it was left out")
        del shaped["collections"]
    return shaped


def classify(tree: SourceTree, config: dict[str, Any], report: ReportBuilder) -> tuple[list[OldDoc], list[SourceFile],
                                                                                     list[SourceFile]]:
    """Pages and posts, data files, static files; every other file is listed in the report."""
    docs: list[OldDoc] = []
    data: list[SourceFile] = []
    static: list[SourceFile] = []
    collections = collections_of(config)
    excluded = {str(e).strip("/") for e in config.get("exclude", []) or [] if isinstance(e, str)}
    for file in tree.files:
        reason = _not_imported(file, excluded, collections)
        if reason:
            report.leave_out(file.rel, reason)
        elif file.rel.startswith("_data/"):
            data.append(file)
        else:
            _sort_file(file, collections, docs, static, report)
    return docs, data, static


def collections_of(config: dict[str, Any]) -> dict[str, dict[str, Any]]:
    found = config.get("collections") or {}  # a table: read_config gave it its shape
    return {str(k): (v if isinstance(v, dict) else {}) for k, v in found.items() if str(k) != "posts"}


def _not_imported(file: SourceFile, excluded: set[str], collections: dict[str, Any]) -> str | None:
    rel, top = file.rel, file.rel.split("/", 1)[0]
    if rel.startswith("_config") and rel != "_config.yml" and rel != "_config.yaml":
        return "another configuration file: only _config.yml was read"
    if RUBY.search(rel) or top == "_plugins":
        return "Ruby (gems, plugins): samizdat runs no Ruby; what the plugin did is listed under notes"
    if top in ("_layouts", "_includes"):
        return "a theme template: samizdat's theme is used; the includes pages use were written into them"
    if top in ("_sass", "_scss"):
        return "Sass: compile it to CSS and put the CSS in static/ if the look matters"
    if top == "_site":
        return "Jekyll's old build output"
    if any(rel == e or rel.startswith(e + "/") for e in excluded):
        return "excluded in _config.yml"
    if "/" not in rel and REPOSITORY_FILES.match(rel):
        return "a repository file (not a page of the site)"
    hidden = [part for part in [*rel.split("/")[:-1], file.name] if part.startswith(".")]
    if hidden and not rel.startswith(".well-known/"):
        return "a hidden file: Jekyll does not publish it"
    underscored = top.startswith("_") and top[1:] not in collections and top not in (
        "_posts", "_drafts", "_data", "_i18n")
    return "a folder Jekyll does not publish" if underscored else None


def _sort_file(file: SourceFile, collections: dict[str, Any], docs: list[OldDoc], static: list[SourceFile],
               report: ReportBuilder) -> None:
    text = read_text(file) if file.name.lower().endswith(TEXT_EXTENSIONS) else None
    try:
        page = split(text, file.path) if text is not None else None
    except FrontMatterProblem as exc:
        report.note(file.rel, f"front matter cannot be read: {exc}", exc.line)
        report.leave_out(file.rel, "broken front matter")
        return
    if page is None or page.front is None:
        if file.name.lower().endswith((".md", ".markdown")):
            report.leave_out(file.rel, "Markdown without front matter: Jekyll published it as a plain file")
        elif file.rel.startswith(("_posts/", "_drafts/")):
            report.leave_out(file.rel, "no front matter: Jekyll does not make it a post")
        elif file.rel.startswith("_i18n/"):
            report.leave_out(file.rel, "a translated piece: written into the pages that use it ({% tf %})")
        else:
            static.append(file)  # in a collection too: collection_file_url places it
        return
    if file.name in GENERATED or (not file.name.lower().endswith(PAGE_EXTENSIONS)):
        reason = GENERATED.get(file.name, "a file Jekyll runs through Liquid (not a page): redo it by hand")
        report.leave_out(file.rel, reason)
        return
    docs.append(_doc(file, page, collections))


def static_url(file: SourceFile, collections: dict[str, dict[str, Any]]) -> str:
    """Where Jekyll published a static file: its own path, or for a file in a collection the place
    the collection's permalink gives (`_root/` with `permalink: /` puts its icons at the top)."""
    top, _, inner = file.rel.partition("/")
    collection = collections.get(top[1:]) if top.startswith("_") else None
    if collection is None:
        return file.rel
    template = str(collection.get("permalink") or "/:collection/:path")
    if ":path" in template or ":name" in template:
        return urls.expand(template.replace(":output_ext", ""), {
            "collection": top[1:], "path": inner, "name": inner.rsplit("/", 1)[-1]}).strip("/")
    return (urls.expand(template, {"collection": top[1:]}).strip("/") + "/" + inner).strip("/")


def _doc(file: SourceFile, page: OldPage, collections: dict[str, Any]) -> OldDoc:
    parts = file.rel.split("/")
    if parts[0] == "_i18n" and len(parts) > 2:  # jekyll-multiple-languages: _i18n/<lang>/_posts/…
        inner = "/".join(parts[2:])
        kind = "post" if inner.startswith("_posts/") else "i18n"
        return OldDoc(file, kind, inner.removeprefix("_posts/"), page, parts[1])
    for folder, kind in (("_posts", "post"), ("_drafts", "draft")):
        if folder in parts:
            at = parts.index(folder)
            inner = parts[at + 1:]
            lang = inner[0] if len(inner) > 1 else None  # polyglot: _posts/<lang>/…
            return OldDoc(file, kind, "/".join([*parts[:at], ""]) + "|" + "/".join(inner), page, lang)
    if parts[0].startswith("_") and parts[0][1:] in collections:
        return OldDoc(file, parts[0][1:], "/".join(parts[1:]), page, None)
    return OldDoc(file, "page", file.rel, page, None)
