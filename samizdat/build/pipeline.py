"""The build, top to bottom:

config → sources → pages → translations → data (load.py) → render, from the cache where nothing changed
(render_stage.py) → feeds, calendars, sitemap → search index → static files → security policy → documents → images →
every published file read back for metadata → publishing touches (finishing.py) → findings → the one
writer (writer.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from pathlib import Path
from zoneinfo import ZoneInfo

from samizdat.assets.publish import publish_assets
from samizdat.build.cache.caches import BuildCaches
from samizdat.build.cache.pages import RenderCache, shows_media
from samizdat.build.cache.store import Store
from samizdat.build.finishing import check_static_clashes, page_infos, publishing_touches, secure
from samizdat.build.load import load_site
from samizdat.build.options import BuildOptions
from samizdat.build.output import Column, Outputs, Pages, SiteOutput
from samizdat.build.render_stage import StoredSearchPage, read_entries, render_site_pages
from samizdat.build.site_findings import site_findings
from samizdat.build.timings import Timings
from samizdat.content.drafts import next_due
from samizdat.content.required import home_page_findings
from samizdat.documents.stage import clean_documents
from samizdat.images.verify import verify_published
from samizdat.images.work import has_image_work, no_image_work
from samizdat.outputs import paths
from samizdat.outputs.page_safety import refuse
from samizdat.outputs.security import HEADERS_FILE, HTACCESS_FILE, NGINX_FILE
from samizdat.outputs.static import static_files
from samizdat.outputs.syndication import syndication_outputs
from samizdat.search.stage import search_outputs
from samizdat.stored_files import StoredFiles


def render_site(site_root: Path, options: BuildOptions | None = None, now: dt.datetime | None = None,
                caches: BuildCaches | None = None, changed: Collection[str] | None = None) -> SiteOutput:
    """now: the moment meetings are sorted into upcoming and past (default: the build's own time).
    caches: what earlier builds parsed and rendered; only what changed is parsed and rendered again.
    changed: every path of the site changed since this process last read it, where the caller knows
    them all (the dev server's watcher); None, and every folder is read again."""
    options = options or BuildOptions()
    timings = Timings()
    site = load_site(site_root, now or dt.datetime.now(dt.UTC), caches, timings, options.drafts, changed)
    config, pages = site.config, site.pages
    memos = caches.memos if caches else None  # the dev server's, kept from one save to the next (memos.py)
    with timings.stage("render"):
        rendered_site = render_site_pages(site, caches.render if caches and caches.render else RenderCache(Store(None)))
        if caches and caches.parse:
            caches.parse.settle()  # the render cache has caught up with the parsed pages
    # Feeds and calendars carry the pages' rendered text, so they come after rendering.
    with timings.stage("syndication"):
        # read for the listed pages only, and not kept (a page kept in the store reads its body again)
        contents = Column(rendered_site.pages, lambda page: page.read_content())
        kept = caches.generated if caches else None
        hashes = Column(rendered_site.pages, lambda page: page.content_hash)  # a kept page's, without its body
        # feeds and the sitemap: those the store keeps are read from it when asked for (stored_files.py)
        syndicated = syndication_outputs(config, pages, site.index, site.collections, contents, site.catalogs, kept,
                                         hashes, memos.feed_texts if memos else None,
                                         memos.sitemap_entries if memos else None)
    # Each page's words were analysed as it was rendered: the index only files them. Its files are kept in
    # the store for the next `samizdat build`; the dev server keeps its filings in its memos (memos.py).
    later: tuple[str, ...] = ()  # stages this build left out, whose files it therefore lacks
    index = StoredFiles()  # the search index's files, read from the build store when asked for
    if rendered_site.search and not options.search_index:
        later = ("search",)
    elif rendered_site.search:
        with timings.stage("search"):
            on_disk = kept if caches is not None and caches.store.db is not None else None
            prefetch = read_entries(caches.render) if caches is not None and caches.render is not None else None
            # The pages this build rendered anew had others before: their entries let a language be refiled.
            replaced = caches.render.replaced if caches is not None and caches.render is not None else {}
            index = search_outputs(config, pages, {path: StoredSearchPage(page)
                                                   for path, page in rendered_site.pages.items()},
                                   on_disk, prefetch,
                                   {path: StoredSearchPage(page) for path, page in replaced.items()},
                                   memos.search_filings if memos else None)
    passed = caches.passed("outputs") if caches else None  # before settle(): its row in the store is kept
    if kept is not None and not later:
        kept.settle()  # what this build did not ask for (a removed tag's feed, a language's index) goes
    # Every writer of the output is known here: a page in the sitemap's place is an error, not a lost page.
    with timings.stage("static"):
        copies = static_files(config, site.theme.static_dir, site.content_files)
        # A feed's address stays reserved while the site has no feed: readers may come back to it.
        feeds = [paths.feed_path(language) for language in config.languages]
        # the files the build made besides its pages: the feeds, the sitemap and the search index stay in the store
        generated = StoredFiles.joined([syndicated, index])
        extra = rendered_site.extra  # template-only pages (404s, mirrors, flyers) and the theme's variables
        check_static_clashes(copies, pages, [*extra.keys() | generated.keys() | set(feeds), HEADERS_FILE,
                                             NGINX_FILE, HTACCESS_FILE], passed)
        products = caches.products if caches else None  # image, document and drawing results, kept in the store
        # SVG cleaned, HTML checked, _headers kept apart
        assets = publish_assets(copies, rendered_site.rules, products)
        # A site file may replace a generated one on purpose (static/robots.txt): the site's is published.
        replaced = assets.copies.keys() | assets.cleaned.keys()
        rendered = Pages(rendered_site.pages, {rel: data for rel, data in extra.items()
                                               if rel.endswith(".html") and rel not in replaced})
        files = {rel: data for rel, data in extra.items() if not rel.endswith(".html") and rel not in replaced}
        outputs = Outputs.of(rendered, Pages(written=files | assets.cleaned,
                                             kept=generated.changed({}, frozenset(replaced))),
                             assets.copies)
    # Content may not run code or send readers away: the build stops; `samizdat check` lists findings.
    unsafe = [*rendered_site.unsafe, *assets.findings]
    if options.refuse_unsafe:
        refuse(unsafe)
    # The policy lists every inline script's hash, so it is known only once every page exists.
    with timings.stage("secure"):
        scripts = ({script for page in rendered_site.pages.values() for script in page.scripts} | set(assets.scripts)
                   | set(rendered_site.scripts))
        outputs = secure(config, outputs, scripts, assets.site_headers, assets.site_htaccess)
    # Every published file is recognised by its bytes: office files are refused, PDFs stripped.
    with timings.stage("documents"):
        documents = clean_documents(config, dict(outputs.copies), products)
    # Every raster image passes through here: no original is published as it is.
    with timings.stage("images"):
        # A page kept from the last build that shows no image and no share picture gives the stage nothing to do.
        looked = {rel: outputs.pages[rel] for rel in outputs.pages
                  if rel.endswith(".html") and ((page := outputs.pages.as_rendered(rel)) is None or page.media)}
        if any(shows_media(data) for data in looked.values()) or has_image_work(config.root, documents.copies):
            from samizdat.images.stage import process_site_images  # when a page shows an image or the site has one

            images = process_site_images(config, page_infos(pages, looked), looked, documents.copies, book=products,
                                         scans=memos.image_scans if memos else None)
        else:  # what the stage would return: the pages and files as they are
            images = no_image_work(looked, documents.copies, products)
        outputs = outputs.replace(pages=outputs.pages.replace({rel: data for rel, data in images.pages.items()
                                                               if data is not looked.get(rel)}),
                                  copies=images.copies)
    # Every file to be published is read back: metadata left in any is a build error, never a publish.
    with timings.stage("verify"):
        verify_published(images.copies, products)
    with timings.stage("publishing"):
        compress = config.publish.precompress if options.precompress is None else options.precompress
        outputs = publishing_touches(config, outputs, options.relative, compress)
    findings = list(images.findings) + unsafe + list(assets.notes)
    if not later:  # a first part is served only until the whole build, which tells its findings, replaces it
        findings = (home_page_findings(site.index, config, site.drafts)
                    + site_findings(site, memos.translation_findings if memos else None, options.notes) + findings)
    if not options.notes:
        findings = [item for item in findings if item.severity != "info"]
    # The next moment the same sources build differently: a meeting becomes past, a scheduled post due.
    due = next_due(site.drafts, ZoneInfo(config.timezone))
    next_change = min([m.ends_at for m in site.meetings.values() if m.ends_at > site.now] + ([due] if due else []),
                      default=None)
    return SiteOutput(config, outputs.in_memory(), dict(outputs.copies), findings, timings, images.report,
                      rendered_site.rendered_count,
                      sources={page.output_path: page for page in pages}, next_change=next_change, later=later)
