"""The build, top to bottom:

config → sources → pages → translations → data (load.py) → render, from the cache where nothing changed
(render_stage.py) → feeds, calendars, sitemap → static files → security policy → images → publishing
touches (finishing.py) → findings → the one writer (writer.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from samizdat.build.caches import BuildCaches
from samizdat.build.finishing import check_static_clashes, page_infos, publishing_touches, secure
from samizdat.build.load import load_site
from samizdat.build.render_cache import CACHE_DIR, RenderCache
from samizdat.build.render_stage import render_site_pages
from samizdat.build.site_findings import site_findings
from samizdat.build.timings import Timings
from samizdat.build.up_to_date import BuildRecord, fingerprint, forget, load_record, save_record, unchanged
from samizdat.build.writer import WriteReport, check_output_folder, write_output
from samizdat.config import SiteConfig, load_config
from samizdat.content.pages import Page
from samizdat.findings import Finding
from samizdat.images.stage import ImageReport, process_site_images
from samizdat.outputs.static import static_files
from samizdat.outputs.syndication import syndication_outputs


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
    sources: dict[str, Page] = field(default_factory=dict)  # output path → the page it was rendered from
    next_change: dt.datetime | None = None  # when a meeting next moves from upcoming to past
    up_to_date: bool = False  # nothing changed since the last build into the same folder: nothing was done
    html_pages: int = 0  # set when up_to_date, as `pages` is then empty


def render_site(site_root: Path, options: BuildOptions = BuildOptions(), now: dt.datetime | None = None,
                caches: BuildCaches | None = None) -> SiteOutput:
    """now: the moment meetings are sorted into upcoming and past (default: the build's own time).
    caches: what earlier builds parsed and rendered; only what changed is parsed and rendered again."""
    timings = Timings()
    site = load_site(site_root, now or dt.datetime.now(dt.UTC), caches, timings)
    config, pages = site.config, site.pages
    with timings.stage("render"):
        rendered_site = render_site_pages(site, caches.render if caches and caches.render else RenderCache(None))
        rendered = {path: page.html for path, page in rendered_site.pages.items()} | rendered_site.extra
    # Feeds and calendars carry the pages' rendered text, so they come after rendering.
    with timings.stage("syndication"):
        contents = {path: page.content for path, page in rendered_site.pages.items()}
        rendered |= syndication_outputs(config, pages, site.index, site.collections, contents, site.catalogs)
    with timings.stage("static"):
        copies = static_files(config, site.theme.static_dir, site.content_files)
        check_static_clashes(copies, pages)
    # The policy lists every inline script's hash, so it is known only once every page exists.
    with timings.stage("secure"):
        scripts = {script for page in rendered_site.pages.values() for script in page.scripts}
        rendered = {rel: data for rel, data in secure(config, rendered, scripts).items() if rel not in copies}
    # Every raster image passes through here: no original is published as it is.
    with timings.stage("images"):
        images = process_site_images(config, page_infos(pages, rendered), rendered, copies)
    with timings.stage("publishing"):
        compress = config.publish.precompress if options.precompress is None else options.precompress
        rendered, copies = publishing_touches(config, images.pages, images.copies, options.relative, compress)
    findings = site_findings(site) + list(images.findings)
    next_change = min((m.ends_at for m in site.meetings.values() if m.ends_at > site.now), default=None)
    return SiteOutput(config, rendered, copies, findings, timings, images.report, rendered_site.rendered_count,
                      sources={page.output_path: page for page in pages}, next_change=next_change)


def build_site(site_root: Path, out_dir: Path | None = None, options: BuildOptions = BuildOptions()) -> SiteOutput:
    out_dir = out_dir or site_root / "_site"
    check_output_folder(out_dir, site_root)
    timings = Timings()
    cache_dir = site_root / CACHE_DIR
    with timings.stage("check"):
        current = fingerprint(site_root, out_dir, options)
        record = load_record(cache_dir)
        if unchanged(record, current, out_dir, dt.datetime.now(dt.UTC)):
            assert record is not None
            return _up_to_date(site_root, record, timings)
    forget(cache_dir)  # a build that fails must not leave the record of the one before
    caches = BuildCaches(on_disk=True)
    output = render_site(site_root, options, caches=caches)
    output.timings.stages = timings.stages | output.timings.stages
    with output.timings.stage("write"):
        output.written = write_output(out_dir, output.pages, output.copies)
        caches.save()  # only after the output is written: the caches never run ahead of it
        html = sum(1 for rel in output.pages if rel.endswith(".html"))
        photos = output.images.processed + output.images.cached if output.images else 0
        save_record(cache_dir, BuildRecord(current, output.next_change, html, len(output.pages) + len(output.copies),
                                           photos, tuple(output.findings)))
    return output


def _up_to_date(site_root: Path, record: BuildRecord, timings: Timings) -> SiteOutput:
    return SiteOutput(load_config(site_root), {}, {}, list(record.findings), timings,
                      images=ImageReport(processed=0, cached=record.images, pruned=0),
                      written=WriteReport(0, record.files, 0), up_to_date=True, html_pages=record.html_pages)
