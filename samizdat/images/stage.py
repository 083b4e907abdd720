"""The image stage of the build: every local raster image of the rendered pages and of the published files.

In order: find the <img> tags of each page and resolve them as a browser would → probe every image
(missing, damaged, unsupported, too large: an error naming the page and line) → take what the cache
holds (build/cache keeps the results, their files beside the store), process the rest in parallel →
rewrite the tags as <picture>. The build then
reads every published file back for metadata (verify.py). Raster originals are never published: the
stripped full-size copy takes each one's URL.
"""

from __future__ import annotations

import os
import sys
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, TextIO
from urllib.parse import urlsplit

from samizdat.config import SiteConfig
from samizdat.errors import ImageError, SourceLocation
from samizdat.findings import Finding, finding
from samizdat.images.cache import ImageCache
from samizdat.images.locate import Reference, SourceLines, locate
from samizdat.images.model import Failure, Job, Photo, Settings, Source, Variant
from samizdat.images.policy import FacePolicy, load_face_policy
from samizdat.images.report import ImageReport
from samizdat.images.rewrite import ImgTag, find_img_tags, is_large, picture_markup, remote_sources, site_path_of
from samizdat.images.share import check_share_images
from samizdat.images.work import ImageOutput, is_raster
from samizdat.products import ProductBook, transient_book
from samizdat.progress import Progress

if TYPE_CHECKING:
    from concurrent.futures import Executor, Future

OUTPUT_DIR = "_images"  # variants are published at /_images/<content key>/…: cacheable for ever
SHOWN_PER_PAGE = 10  # warnings about images from other hosts named one by one on a page; the rest are counted


@dataclass(frozen=True)
class PageInfo:
    output: str  # e.g. en/index.html
    url: str  # e.g. /en/
    source: Path | None


def process_site_images(config: SiteConfig, pages: list[PageInfo], rendered: dict[str, bytes],
                        copies: dict[str, Path], progress: TextIO | None = sys.stderr,
                        book: ProductBook | None = None, scans: Scans | None = None) -> ImageOutput:
    """book: the build's results (build/cache); without one they are kept for this build only. scans: the
    dev server's memo of each page's <img> tags (build/cache/memos.py)."""
    cache = ImageCache(book or transient_book(config.root))
    policy = load_face_policy(config)
    published = _PublishedFiles(copies)
    scanned = _scan_pages(pages, rendered, published, config.root, scans)
    found = {output: scan.local for output, scan in scanned.items()}
    check_share_images(config, ((page.output, page.source, rendered[page.output]) for page in pages), copies)
    first_refs = {src: ref for images in found.values() for _, ref, src in images}
    sources, findings = _probe_all(config, cache, first_refs, copies)
    jobs = _jobs(config, cache, policy, sources, first_refs)
    by_key = {job.key: cached for job in jobs if (cached := cache.load(job.key))}
    todo = list({job.key: job for job in jobs if job.key not in by_key}.values())  # equal files: once
    cached_count = len(by_key)
    by_key |= _run(todo, cache, first_refs, config.root, progress)
    photos = {job.source.path: by_key[job.key] for job in jobs}
    published_photos = _published_files(photos, copies, cache)
    new_pages = dict(rendered)
    for page in pages:
        if found[page.output]:
            new_pages[page.output] = _rewrite(rendered[page.output].decode("utf-8"), found[page.output],
                                              photos, config.images.sizes).encode("utf-8")
    kept = {rel: path for rel, path in copies.items() if not is_raster(rel)}
    pruned = cache.pruned()
    report = ImageReport(len(todo), cached_count, pruned)
    findings += unreviewed_findings(photos, config.root)
    findings += blocked_image_findings(config, pages, scanned)
    return ImageOutput(new_pages, kept | published_photos, report, tuple(findings))


def unreviewed_findings(photos: dict[Path, Photo], root: Path) -> list[Finding]:
    """Photos that show faces, published unmasked, that no one has marked as looked at."""
    found = []
    for path, photo in sorted(photos.items()):
        if photo.unreviewed_faces:
            rel = _site_rel(path, root)
            found.append(finding(
                "unreviewed-faces", f"photo {rel} shows {photo.unreviewed_faces} face(s) and is published unmasked",
                SourceLocation(path),
                hint=f"mask them (in data/faces.yaml: {rel}: {{mask: true}}), or once a person has looked: "
                     f"{rel}: {{mask: false}}"))
    return found


def blocked_image_findings(config: SiteConfig, pages: list[PageInfo], scanned: dict[str, PageScan]) -> list[Finding]:
    """An <img> from another host, one warning at the line that names it. The page's security policy blocks
    it (readers see no picture), which `samizdat check` calls an error; the build says so at once, on every
    build while the page shows it, so that a volunteer who sees a blank picture learns why. A page with
    more than SHOWN_PER_PAGE of them gets one more warning that counts the rest (`check` names each)."""
    allowed = {config.origin, *config.check.allow_origins}
    lines = SourceLines(config.root)
    found: dict[tuple[str, str], Finding] = {}
    for page in pages:
        remote = [(src, parts) for src in scanned[page.output].remote
                  if f"{(parts := urlsplit(src)).scheme or 'https'}://{parts.netloc}".lower() not in allowed]
        for src, parts in remote[:SHOWN_PER_PAGE]:
            where = locate(Reference(src, src, page.output, page.source), config.root, lines)
            message = (f"<img> loads {src} from another host ({parts.netloc}): the page's security policy blocks it, "
                       "so readers see no picture there")
            found.setdefault((str(where), message), finding(
                "third-party-load", message, where,
                hint="save the picture in assets/ and show it from there; a request to another host tells it who "
                     f"read the page. If {parts.netloc} must be allowed, add its origin to [check] allow_origins "
                     "in samizdat.toml").with_severity("warning"))
        if len(remote) > SHOWN_PER_PAGE:
            where = SourceLocation(page.source or config.root / page.output)
            message = (f"{len(remote) - SHOWN_PER_PAGE} more <img> on the page {page.url} load from other hosts, "
                       "which its security policy blocks")
            found.setdefault((str(where), message), finding(
                "third-party-load", message, where, hint="`samizdat check` names each at its line").with_severity(
                    "warning"))
    return list(found.values())


class _PublishedFiles:
    """The published files by URL, and by resolved source path only when a page needs it (rarely)."""

    def __init__(self, copies: dict[str, Path]) -> None:
        self.by_url = copies
        self._sources: set[Path] | None = None

    def is_source(self, path: Path) -> bool:
        if self._sources is None:
            self._sources = {source.resolve() for source in self.by_url.values()}
        return path in self._sources


class PageScan(NamedTuple):
    """A page's <img> tags: those of local raster images, each with the file it shows, and the addresses of
    images on any other host (whose origin the site may allow: decided after the scan, not kept in it)."""

    local: list[tuple[ImgTag, Reference, Path]]
    remote: tuple[str, ...]


# A page's <img> tags by everything the scan reads: the dev server's memo (build/cache/memos.py).
Scans = dict[tuple[object, ...], PageScan]


def _scan_pages(pages: list[PageInfo], rendered: dict[str, bytes], published: _PublishedFiles,
                root: Path, scans: Scans | None) -> dict[str, PageScan]:
    """scans: the last save's, replaced by this build's (the dev server scans the same unchanged pages on
    every save); None, and nothing is remembered."""
    files = hash(frozenset(published.by_url.items()))
    last = scans if scans is not None else {}
    fresh: Scans = {}
    for page in pages:
        key = (files, page.output, page.url, page.source, rendered[page.output])
        fresh[key] = last[key] if key in last else _page_images(page, rendered[page.output], published, root)
    if scans is not None:
        scans.clear()
        scans.update(fresh)
    return {str(key[1]): images for key, images in fresh.items()}


def _page_images(page: PageInfo, body: bytes, copies: _PublishedFiles, root: Path) -> PageScan:
    """The page's <img> tags of local raster images, each with the file it shows, and those on other hosts."""
    text = body.decode("utf-8")
    if "<img" not in text.lower():  # the tag's name in any case, as find_img_tags reads it
        return PageScan([], ())
    result = []
    remote: list[str] = []
    for tag in find_img_tags(text):
        if _is_raster_data(tag.src):
            raise ImageError(
                "a photo is written into the page as data (a data: URL), where its metadata cannot be removed",
                locate(Reference(tag.src[:60], tag.src[:60], page.output, page.source), root),
                hint="save the picture as a file in assets/ and show it with ![what it shows](/assets/name.jpg)")
        site_path = site_path_of(tag.src, page.url)
        if site_path is None or not is_raster(site_path):
            remote += remote_sources(tag)  # a local photo's tag is written anew, its srcset with it
            continue
        ref = Reference(tag.src, site_path, page.output, page.source)
        result.append((tag, ref, _resolve(ref, copies)))
    return PageScan(result, tuple(dict.fromkeys(remote)))


def _is_raster_data(src: str) -> bool:
    """A data: URL of a raster image: pasted by some editors, and carrying the photo's EXIF with it."""
    head = src[:30].lower()
    return head.startswith("data:image/") and not head.startswith("data:image/svg")


def _resolve(ref: Reference, copies: _PublishedFiles) -> Path:
    """The published file at the URL; else a file beside the page's own source named by a bare relative path."""
    if ref.site_path in copies.by_url:
        return copies.by_url[ref.site_path]
    if ref.page_source is not None and not ref.src.startswith("/"):
        beside = (ref.page_source.parent / site_path_of(ref.src, "/")).resolve()  # type: ignore[operator]
        if copies.is_source(beside):
            return beside
    return Path("/nonexistent") / ref.site_path


def _probe_all(config: SiteConfig, cache: ImageCache, refs: dict[Path, Reference],
               copies: dict[str, Path]) -> tuple[list[Source], list[Finding]]:
    """Referenced images must be sound (else an error at the reference); unreferenced bad files are left out."""
    published = {path for rel, path in copies.items() if is_raster(rel)}
    if not refs and not published:
        return [], []  # a site without raster images never loads Pillow
    from samizdat.images.probe import ImageProblem, probe  # Pillow: loaded when the site has images

    sources, findings = [], []
    for path in [*refs, *sorted(published - set(refs))]:
        try:
            digest = cache.digest(path) if path.is_file() else ""
            source = cache.probed(path, digest) if digest else None
            if source is None:
                source = probe(path, digest)
                cache.keep_probed(source)
            sources.append(source)
        except ImageProblem as problem:
            if path in refs:
                raise ImageError(problem.message, locate(refs[path], config.root), hint=problem.hint) from None
            findings.append(Finding("warning", f"{problem.message}; the file is left out of the site",
                                    SourceLocation(path), hint=problem.hint))
    return sources, findings


def _jobs(config: SiteConfig, cache: ImageCache, policy: FacePolicy, sources: list[Source],
          refs: dict[Path, Reference]) -> list[Job]:
    if not sources and not policy.plans:
        return []  # a site without photos loads neither Pillow nor the face detector
    from PIL import features

    from samizdat.images.runtime import detector_available, detector_version

    settings = Settings(config.images.widths, config.images.quality,
                        tuple(f for f in config.images.formats if f != "avif" or features.check("avif")))
    by_rel = {_site_rel(source.path, config.root): source for source in sources}
    for rel in policy.plans:
        if rel not in by_rel:
            raise ImageError(f"{rel} is not an image the site publishes", policy.location_of(rel),
                             hint="write the photo's path from the site folder, e.g. assets/march.jpg")
    detector = _detector_version(config, policy, by_rel, cache.book)
    jobs = []
    # Warn about faces in photos neither masked nor reviewed, if it can see them. Asked only when there is
    # such a photo: loading the detector's library takes half a second, longer than a one-edit build.
    look: bool | None = None
    for rel, source in by_rel.items():
        plan = policy.plan_for(rel)
        if not plan.detect and rel not in policy.plans and not rel.startswith("theme:"):
            look = detector_available(cache.book) if look is None else look
            if look:
                plan = replace(plan, look=True)
                detector = detector or detector_version(cache.book)
        key = cache.key(source.digest, settings, plan, detector)
        found = cache.load_found(cache.found_key(source.digest, detector)) if plan.detect else None
        jobs.append(Job(source, settings, plan, key, cache.staging(), found, detector))
    return jobs


def _detector_version(config: SiteConfig, policy: FacePolicy, by_rel: dict[str, Source], book: ProductBook) -> str:
    from samizdat.images.faces import INSTALL_HINT
    from samizdat.images.runtime import detector_available, detector_version

    wanted = [rel for rel in by_rel if policy.plan_for(rel).detect]
    if not wanted:
        return ""
    if not detector_available(book):
        where = policy.location_of(wanted[0]) if wanted[0] in policy.plans else SourceLocation(
            config.config_path, _line_of(config.config_path, "mask_faces"))
        raise ImageError("faces are to be masked, but the face detector (OpenCV) is not installed", where,
                         hint=INSTALL_HINT)
    return detector_version(book)


def _run(jobs: list[Job], cache: ImageCache, refs: dict[Path, Reference], root: Path,
         stream: TextIO | None) -> dict[str, Photo]:
    results: dict[str, Photo] = {}
    if not jobs:
        return results  # every photo from the cache: Pillow's encoders and the workers are not needed
    from samizdat.images.process import run_job

    progress = Progress("images", len(jobs), stream)
    workers = min(len(jobs), os.cpu_count() or 1)
    if workers < 2:
        outcomes = ((job, run_job(job)) for job in jobs)
        for job, outcome in outcomes:
            results[job.key] = _accept(job, outcome, cache, refs, root)
            progress.step()
        return results
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    from samizdat.images.limits import memory_budget

    # spawn, not fork: the dev server has threads running, and forking those can deadlock.
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn")) as pool:
        for job, outcome in _as_memory_allows(pool, run_job, jobs, workers, memory_budget()):
            results[job.key] = _accept(job, outcome, cache, refs, root)
            progress.step()
    return results


def _as_memory_allows(pool: Executor, run_job: Callable[[Job], Photo | Failure], jobs: list[Job], workers: int,
                      budget: int) -> Iterator[tuple[Job, Photo | Failure]]:
    """Each job with its outcome as it ends. A job starts, in turn, when a worker is free and its memory
    (limits.processing_memory) fits in the budget beside the running jobs', or when nothing else runs:
    the workers' count follows the processors, their memory follows the photos' sizes."""
    from concurrent.futures import FIRST_COMPLETED, wait

    waiting = deque(jobs)
    running: dict[Future[Photo | Failure], Job] = {}
    in_use = 0
    while waiting or running:
        while waiting and len(running) < workers and (not running or in_use + _memory(waiting[0]) <= budget):
            job = waiting.popleft()
            running[pool.submit(run_job, job)] = job
            in_use += _memory(job)
        done, _ = wait(running, return_when=FIRST_COMPLETED)
        for future in done:
            job = running.pop(future)
            in_use -= _memory(job)
            yield job, future.result()


def _memory(job: Job) -> int:
    from samizdat.images.limits import processing_memory  # with Pillow, loaded once a photo is processed

    return processing_memory(job.source.width, job.source.height)


def _accept(job: Job, outcome: Photo | Failure, cache: ImageCache, refs: dict[Path, Reference],
            root: Path) -> Photo:
    if isinstance(outcome, Failure):
        ref = refs.get(job.source.path)
        where = locate(ref, root) if ref else SourceLocation(job.source.path)
        raise ImageError(outcome.message, where, hint=outcome.hint)
    cache.store(outcome, job.entry)
    if outcome.found is not None:
        cache.store_found(cache.found_key(job.source.digest, job.detector), outcome.found)
    return outcome


def _published_files(photos: dict[Path, Photo], copies: dict[str, Path], cache: ImageCache) -> dict[str, Path]:
    """Output path → cache file: the stripped full-size copy at each original URL, and every variant."""
    files = {}
    for rel, path in copies.items():
        photo = photos.get(path)
        if is_raster(rel) and photo is not None:
            files[rel] = cache.file(photo, photo.full)
    for path, photo in photos.items():
        for variant in photo.variants:
            files[variant_url(photo, variant, path).lstrip("/")] = cache.file(photo, variant.file)
    return files


def variant_url(photo: Photo, variant: Variant, source: Path) -> str:
    stem = "".join(c if c.isascii() and (c.isalnum() or c in "-_") else "-" for c in source.stem)
    return f"/{OUTPUT_DIR}/{photo.key[:20]}/{stem}-{variant.file}"


def _rewrite(text: str, images: list[tuple[ImgTag, Reference, Path]], photos: dict[Path, Photo],
             default_sizes: str) -> str:
    parts, last, eager_given = [], 0, False
    for tag, _, source in images:
        photo = photos[source]

        def url_of(variant: Variant, photo: Photo = photo, source: Path = source) -> str:
            return variant_url(photo, variant, source)

        inside_picture = text.rfind("<picture", 0, tag.start) > text.rfind("</picture>", 0, tag.start)
        eager = not eager_given and is_large(tag, photo)
        eager_given = eager_given or eager
        if inside_picture:  # the author wrote their own <picture>: only point its <img> at the clean copy
            markup = picture_markup(tag, photo, url_of, eager, default_sizes).split("<img", 1)[1]
            markup = "<img" + markup.removesuffix("</picture>")
        else:
            markup = picture_markup(tag, photo, url_of, eager, default_sizes)
        parts += [text[last:tag.start], markup]
        last = tag.end
    parts.append(text[last:])
    return "".join(parts)


def _site_rel(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return f"theme:{path.name}"


def _line_of(path: Path, key: str) -> int | None:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip().startswith(key):
            return number
    return None

