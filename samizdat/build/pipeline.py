"""The build, top to bottom: config → sources → pages → translations → render → syndication → static
→ images → links → publishing touches (onion headers, relative URLs, precompressed copies) → write."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from samizdat.build.caches import BuildCaches
from samizdat.build.parallel import render_pages
from samizdat.build.parse_cache import ParseCache
from samizdat.build.render_cache import RenderCache
from samizdat.build.signatures import collections_signature, listing_layouts, page_signature, site_signature
from samizdat.build.timings import Timings
from samizdat.build.writer import WriteReport, check_output_folder, write_output
from samizdat.config import SiteConfig, load_config
from samizdat.content.collections import Collections, check_meeting_pages
from samizdat.content.data import load_data
from samizdat.content.meetings import load_meetings
from samizdat.content.pages import SECTION_LAYOUTS, Page
from samizdat.content.placeholders import find_placeholders
from samizdat.content.sources import discover, read_text
from samizdat.content.translations import TranslationIndex, check_unique_outputs, link_translations
from samizdat.errors import ContentError, SourceLocation
from samizdat.findings import Finding
from samizdat.i18n.strings import Catalogs, load_catalogs
from samizdat.images.stage import ImageReport, PageInfo, process_site_images
from samizdat.outputs.links import clean_page_links
from samizdat.outputs.render import VARS_CSS, RenderedPage, Renderer
from samizdat.outputs.static import static_files
from samizdat.outputs.syndication import syndication_outputs
from samizdat.outputs.views import mirrors_url
from samizdat.publish import onion
from samizdat.publish.precompress import precompress
from samizdat.publish.relative import relativize_outputs
from samizdat.theme import THEME_URL, ThemePaths, theme_paths

NOT_FOUND_TEMPLATE = "404.html"
MIRRORS_TEMPLATE = "mirrors.html"


@dataclass(frozen=True)
class BuildOptions:
    # Every internal URL relative to its own file, so the output works under any sub-path and from
    # file:// (mirrors, USB copies); off by default because /en/-style URLs are shorter and cacheable.
    relative: bool = False
    precompress: bool | None = None  # None: as publish.precompress in samizdat.toml says


@dataclass
class SiteOutput:
    """A whole built site in memory: what `build` writes and what `serve` serves."""

    config: SiteConfig
    pages: dict[str, bytes]  # output path → rendered bytes
    copies: dict[str, Path]  # output path → file published as it is
    findings: list[Finding] = field(default_factory=list)
    timings: Timings = field(default_factory=Timings)
    images: ImageReport | None = None
    rendered_count: int = 0  # pages rendered anew (the rest came from the cache)
    written: WriteReport | None = None


def render_site(site_root: Path, options: BuildOptions = BuildOptions(), now: dt.datetime | None = None,
                caches: BuildCaches | None = None) -> SiteOutput:
    """now: the moment meetings are sorted into upcoming and past (default: the build's own time).
    caches: what earlier builds parsed and rendered; only what changed is parsed and rendered again."""
    timings = Timings()
    now = now or dt.datetime.now(dt.UTC)
    with timings.stage("config"):
        config = load_config(site_root)
        theme = theme_paths(config)
        if caches is not None:
            caches.prepare(config)
    with timings.stage("discover"):
        sources, content_files = discover(config)
    with timings.stage("parse"):
        parse_cache = caches.parse if caches and caches.parse else ParseCache(None)
        parsed = parse_cache.parse_all(sources, config)
        pages = [item.page for item in parsed]
    # Output clashes are checked before rendering so the message names both source files.
    with timings.stage("link"):
        check_unique_outputs(pages)
        index = link_translations(pages, config)
    with timings.stage("data"):
        data = load_data(config.root)
        catalogs = load_catalogs(list(theme.string_dirs), config.languages, config.default_language.code)
        meetings = load_meetings(config.root, config.timezone)
        findings = check_meeting_pages(pages, meetings)
        collections = Collections(config, index, meetings, now)
    with timings.stage("render"):
        renderer = Renderer(config, theme, catalogs, index, data, collections)
        render_cache = caches.render if caches and caches.render else RenderCache(None)
        results, rendered_count = _render(renderer, pages, render_cache, theme, collections, now)
        rendered = {path: result.html for path, result in results.items()}
        rendered |= _not_found_pages(renderer, config, rendered)
        rendered |= _mirrors_pages(renderer, config, rendered)
        rendered[THEME_URL.strip("/") + "/" + VARS_CSS] = renderer.vars_css()
    # Feeds and calendars carry the pages' rendered text, so they come after rendering.
    with timings.stage("syndication"):
        contents = {path: result.content for path, result in results.items()}
        rendered |= syndication_outputs(config, pages, index, collections, contents, catalogs)
    with timings.stage("static"):
        copies = static_files(config, theme.static_dir, content_files)
        _check_static_clashes(copies, pages)
    # Every raster image passes through here: no original is published as it is.
    with timings.stage("images"):
        images = process_site_images(config, _page_infos(pages, rendered), rendered, copies)
        rendered, copies = images.pages, images.copies
    with timings.stage("links"):
        rendered = {rel: clean_page_links(body) if rel.endswith(".html") else body for rel, body in rendered.items()}
    # The publishing touches see the final URLs, so they come after images rewrote them.
    if config.publish.onion and onion.HEADERS_FILE not in copies:
        html = [rel for rel in rendered if rel.endswith(".html")]
        rendered[onion.HEADERS_FILE] = onion.headers_file(config.publish.onion, html)
    if options.relative:
        with timings.stage("relative"):
            rendered, copies = _relative(config, rendered, copies)
    if config.publish.precompress if options.precompress is None else options.precompress:
        with timings.stage("precompress"):
            rendered |= precompress(rendered, copies)
    findings += _translation_findings(index, config) + _string_findings(catalogs, config)
    findings += _placeholder_findings([(item.page.path, item.placeholders) for item in parsed]
                                      + [(m.path, tuple(find_placeholders(read_text(m.path))))
                                         for m in meetings.values()])
    findings += images.findings
    return SiteOutput(config, rendered, copies, findings, timings, images.report, rendered_count)


def _render(renderer: Renderer, pages: list[Page], cache: RenderCache, theme: ThemePaths, collections: Collections,
            now: dt.datetime) -> tuple[dict[str, RenderedPage], int]:
    """Every page's rendering, from the cache where its signature is unchanged; returns how many were rendered."""
    site = site_signature(renderer.config, theme, pages)
    listings = collections_signature(collections, pages, now)
    layouts = listing_layouts(theme)
    signatures = {page.output_path: page_signature(page, site, listings, layouts) for page in pages}
    results = {page.output_path: hit for page in pages
               if (hit := cache.get(page.output_path, signatures[page.output_path])) is not None}
    todo = [page for page in pages if page.output_path not in results]
    results |= {page.output_path: result for page, result in zip(todo, render_pages(renderer, todo), strict=True)}
    # Feeds and calendars need the body HTML of listed pages only; the rest keeps the cache small.
    listed = {page.output_path for page in pages if page.section in SECTION_LAYOUTS and page.key not in SECTION_LAYOUTS}
    cache.replace_all({path: (signatures[path], result if path in listed else RenderedPage(result.html, ""))
                       for path, result in results.items()})
    return results, len(todo)


def build_site(site_root: Path, out_dir: Path | None = None, options: BuildOptions = BuildOptions()) -> SiteOutput:
    out_dir = out_dir or site_root / "_site"
    check_output_folder(out_dir, site_root)
    caches = BuildCaches(on_disk=True)
    output = render_site(site_root, options, caches=caches)
    with output.timings.stage("write"):
        output.written = write_output(out_dir, output.pages, output.copies)
        caches.save()  # only after the output is written: the caches never run ahead of it
    return output


def _not_found_pages(renderer: Renderer, config: SiteConfig, rendered: dict[str, bytes]) -> dict[str, bytes]:
    """A 404 page per language, and the root 404.html that static hosts serve, unless the site has its own."""
    if not renderer.has_template(NOT_FOUND_TEMPLATE):
        return {}
    result = {}
    for language in config.languages:
        path = f"{language.prefix}/404.html" if language.prefix else "404.html"
        if path not in rendered:
            result[path] = renderer.render_special(NOT_FOUND_TEMPLATE, language, "/" + path)
    if "404.html" not in rendered and "404.html" not in result:  # static hosts look for the root one
        result["404.html"] = renderer.render_special(NOT_FOUND_TEMPLATE, config.default_language, "/404.html")
    return result


def _mirrors_pages(renderer: Renderer, config: SiteConfig, rendered: dict[str, bytes]) -> dict[str, bytes]:
    """A page per language listing the site's mirrors and how to check a copy, when there are mirrors."""
    if not config.publish.mirrors or not renderer.has_template(MIRRORS_TEMPLATE):
        return {}
    versions = {language.code: mirrors_url(language) for language in config.languages}
    result = {}
    for language in config.languages:
        url = versions[language.code]
        path = url.lstrip("/") + "index.html"
        if path not in rendered:
            title = renderer.string(language.code, "mirrors_title")
            result[path] = renderer.render_special(MIRRORS_TEMPLATE, language, url, versions, title)
    return result


def _relative(config: SiteConfig, rendered: dict[str, bytes],
              copies: dict[str, Path]) -> tuple[dict[str, bytes], dict[str, Path]]:
    """Rendered pages and copied HTML/CSS files with relative URLs; rewritten copies become rendered files."""
    text_copies = {rel: path.read_bytes() for rel, path in copies.items() if rel.endswith((".html", ".css"))}
    changed = relativize_outputs(config.base_url, rendered, text_copies, rendered.keys() | copies.keys())
    return rendered | changed, {rel: path for rel, path in copies.items() if rel not in changed}


def _page_infos(pages: list[Page], rendered: dict[str, bytes]) -> list[PageInfo]:
    """Every rendered HTML page with its URL and source file (none for template-only pages such as 404)."""
    by_output = {page.output_path: page for page in pages}
    infos = []
    for rel in rendered:
        if rel.endswith(".html"):
            page = by_output.get(rel)
            infos.append(PageInfo(rel, page.url if page else "/" + rel, page.path if page else None))
    return infos


def _check_static_clashes(copies: dict[str, Path], pages: list[Page]) -> None:
    by_output = {page.output_path: page for page in pages}
    for rel, source in copies.items():
        if rel in by_output:
            raise ContentError(
                f"the file {rel} would overwrite the page from {SourceLocation(by_output[rel].path)}",
                SourceLocation(source),
                hint="rename the file or change the page's permalink",
            )


def _translation_findings(index: TranslationIndex, config: SiteConfig) -> list[Finding]:
    findings = []
    content = config.root / "content"
    for key, group in index.by_key.items():
        source = group.get(config.default_language.code) or next(iter(group.values()))
        try:
            rel = source.path.relative_to(content / source.language.code).as_posix()
        except ValueError:
            rel = source.path.name
        for language in config.languages:
            if language.code not in group:
                missing = SourceLocation(content / language.code / rel)
                listed = (f" (listed in {language.code} in the {source.language.code} version meanwhile)"
                          if source.section in SECTION_LAYOUTS else "")
                findings.append(Finding(
                    "warning", f"missing translation: {missing}{listed}",
                    SourceLocation(source.path),
                    hint=f"translate {rel} into {language.name}, or give a page the translation_key {key!r}",
                ))
    return findings


def _placeholder_findings(files: list[tuple[Path, tuple[tuple[int, str], ...]]]) -> list[Finding]:
    return [
        Finding("warning", f"placeholder left to fill in: {mark}", SourceLocation(path, line),
                hint="replace it with the real text")
        for path, marks in files for line, mark in marks
    ]


def _string_findings(catalogs: Catalogs, config: SiteConfig) -> list[Finding]:
    findings = []
    for language in config.languages:
        missing = catalogs.missing(language.code)
        if missing:
            findings.append(Finding(
                "warning",
                f"{len(missing)} interface string(s) not translated to {language.code}: {', '.join(missing[:5])}"
                + ("…" if len(missing) > 5 else ""),
                hint=f"add them to strings/{language.code}.yaml in the site folder",
            ))
    return findings
