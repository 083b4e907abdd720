"""`samizdat build`: know first, cheaply, whether anything changed; otherwise run the pipeline and write.

The pipeline's modules are imported only when there is something to build, so that the answer
"nothing changed" costs a fraction of a second even counting the program's start.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import TYPE_CHECKING

from samizdat.build.cache.record import (
    BuildRecord,
    fingerprint,
    forget,
    load_record,
    published_output,
    save_record,
    unchanged,
)
from samizdat.build.cache.store import Store
from samizdat.build.lock import build_locks
from samizdat.build.manifest import output_identity
from samizdat.build.nothing_changed import NothingChanged
from samizdat.build.options import BuildOptions
from samizdat.build.timings import Timings
from samizdat.build.writer import check_output_folder, write_output
from samizdat.collector import few_full_collections
from samizdat.images.report import ImageReport
from samizdat.sealed import CacheDamaged

if TYPE_CHECKING:  # the build's outputs are imported when there is something to build
    from samizdat.build.output import BuildResult, SiteOutput

CACHE_DIR = ".samizdat-cache"


def build_site(site_root: Path, out_dir: Path | None = None, options: BuildOptions | None = None) -> BuildResult:
    options = options or BuildOptions()
    if not options.search_index:
        raise ValueError("a written build holds every file: search_index=False is for the dev server's first part")
    out_dir = out_dir or site_root / "_site"
    check_output_folder(out_dir, site_root)
    if not site_root.is_dir():
        from samizdat.config import load_config

        load_config(site_root)  # reports the missing site before a lock would make its folder
    # One build at a time per output and per cache. Everything below runs inside the locks: a build that
    # waited must see what the other one wrote before deciding that nothing changed.
    with build_locks(out_dir, site_root / CACHE_DIR):
        check_output_folder(out_dir, site_root)
        timings = Timings()
        with timings.stage("check"):
            store = Store.open(site_root)
            seen: dict[str, os.stat_result] = {}
            listed: dict[str, list[os.DirEntry[str]]] = {}
            sources = fingerprint(site_root, out_dir, options, seen, listed)
            identity = output_identity(out_dir)
            current = f"{sources}:{identity}"  # the same sources, and the output this site wrote
            record = load_record(store)
            if unchanged(record, current, out_dir, dt.datetime.now(dt.UTC)):
                assert record is not None
                store.close()
                return _up_to_date(record, timings)
            # The output's manifest names each file's content; it is believed only if this store's last build
            # wrote it. An output folder that came with the site (SITE/_site/ in a ZIP, file times kept) could
            # claim a page it altered is the one about to be written, which would then be published unchecked.
            made_here = published_output(record) == identity
        forget(store, record)  # a build that fails must not leave the record of the one before
        try:
            with few_full_collections():
                return _build(site_root, out_dir, options, sources, timings, store, made_here, seen, listed)
        finally:
            store.close()


def _build(site_root: Path, out_dir: Path, options: BuildOptions, sources: str, timings: Timings,
           store: Store, made_here: bool, seen: dict[str, os.stat_result],
           listed: dict[str, list[os.DirEntry[str]]]) -> SiteOutput:
    from samizdat.build.cache.caches import BuildCaches
    from samizdat.build.pipeline import render_site
    from samizdat.content.required import refuse_without_home

    def render_and_write() -> SiteOutput:
        caches = BuildCaches(store, seen=seen, listed=listed)
        output = render_site(site_root, options, caches=caches)
        refuse_without_home(output.findings)
        output.timings.stages = timings.stages | output.timings.stages

        def save() -> None:  # once the new site is in place: the caches never run ahead of the output
            caches.save()
            html = output.html_pages
            photos = output.images.processed + output.images.cached if output.images else 0
            current = f"{sources}:{output_identity(out_dir)}"
            save_record(store, BuildRecord(current, output.next_change, html,
                                           len(output.pages) + len(output.copies), photos, tuple(output.findings)))

        products = caches.products  # the copies' digests, where the store knows them
        output.written = write_output(out_dir, output.pages, output.copies, output.timings, published=save,
                                      made_here=made_here, digest_of=products.published_digest if products else None)
        return output

    try:
        return render_and_write()
    except CacheDamaged as exc:  # a kept page's row, read when a stage asked for it, was not as written
        store.discard(exc)
        return render_and_write()  # a cold build; the output folder still holds a whole site


def _up_to_date(record: BuildRecord, timings: Timings) -> NothingChanged:
    return NothingChanged(record.findings, record.html_pages, record.files,
                          ImageReport(processed=0, cached=record.images, pruned=0), timings)
