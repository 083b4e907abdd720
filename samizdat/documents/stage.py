"""The documents stage of the build: every file published as it is, recognised by its bytes.

In order, for each file of assets/, static/, content/ and the theme: sniff its kind → refuse a name that
hides what the file is, office files and archives → take cleaned PDFs, MP4/MOV videos and MP3/AAC/FLAC/WAV
sound files from the cache, clean the rest (build/cache keeps the results, their files beside the store) →
warn about other video and audio, which are not examined. Raster images keep their place in the list: the
image stage cleans them next. Nothing here changes a file in the site folder.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from samizdat.config import SiteConfig
from samizdat.documents.audio import ENGINE as AUDIO_ENGINE
from samizdat.documents.audio import AudioProblem, clean_audio_file
from samizdat.documents.cache import DocumentCache
from samizdat.documents.isomedia import ENGINE as MEDIA_ENGINE
from samizdat.documents.isomedia import MediaProblem, clean_iso_file
from samizdat.documents.sniff import (
    ARCHIVE,
    AUDIO,
    ISO_MEDIA,
    MEDIA,
    OFFICE,
    PDF,
    RASTER,
    RASTER_SUFFIXES,
    Kind,
    sniff,
    suffix_of,
)
from samizdat.errors import ContentError, SourceLocation
from samizdat.findings import Finding
from samizdat.products import ProductBook, transient_book

EXPORT_PDF = ("open it in its application and export it as PDF (File → Export as PDF, or Save as → PDF), "
              "then publish the PDF: samizdat removes a PDF's metadata")


@dataclass(frozen=True)
class DocumentOutput:
    copies: dict[str, Path]  # output path → file to publish: cleaned PDFs come from the cache
    findings: tuple[Finding, ...]
    cleaned: int  # PDFs cleaned in this build
    cached: int  # PDFs taken from the cache


def clean_documents(config: SiteConfig, copies: dict[str, Path], book: ProductBook | None = None) -> DocumentOutput:
    """book: the build's results (build/cache); without one they are kept for this build only."""
    cache = DocumentCache(book or transient_book(config.root))
    result, findings, cleaned, cached = dict(copies), [], 0, 0
    for rel, path in copies.items():
        kind = sniff(path)
        check_kind(rel, path, kind)
        if kind.family in (PDF, ISO_MEDIA, AUDIO):
            operation = "" if kind.family == PDF else f"{ENGINES[kind.family]}\n{suffix_of(rel)}"
            key = cache.key(path, operation) if operation else cache.key(path)
            copy = cache.cleaned(key)
            if copy is not None:
                cached += 1
            else:
                copy = _clean_into(key, cache, lambda made, path=path, family=kind.family: _clean(path, made, family))
                cleaned += 1
            result[rel] = copy
        elif kind.family == MEDIA:
            findings.append(_media_warning(path, kind))
    return DocumentOutput(result, tuple(findings), cleaned, cached)


def check_kind(rel: str, path: Path, kind: Kind) -> None:
    """Refuse a file that is not what its name says, an office file or an archive: one error each."""
    where = SourceLocation(path)
    if kind.family == OFFICE:
        raise ContentError(f"{path.name} is {_a(kind.name)}: office files carry their authors, editing "
                           "history, comments and the photos inside them with their own metadata, and are "
                           "not published", where, hint=EXPORT_PDF)
    if kind.family == ARCHIVE:
        raise ContentError(f"{path.name} is {_a(kind.name)}: the files inside it cannot be checked for "
                           "metadata, so it is not published", where,
                           hint="publish the files themselves (photos and PDFs are cleaned), not an archive")
    if kind.family == RASTER and suffix_of(rel) in RASTER_SUFFIXES:
        return  # named as an image: the image stage checks it, and names the page and line that show it
    if not kind.fits(rel):
        written = f"its name ends in {suffix_of(rel)}" if suffix_of(rel) else "its name has no suffix"
        usual = path.stem if suffix_of(rel) else path.name
        raise ContentError(f"{path.name} is {_a(kind.name)} file, but {written}", where,
                           hint=f"rename it to {usual}{kind.suffixes[0]} (and the links to it), so it is "
                           "published, served and cleaned as what it is")


ENGINES = {ISO_MEDIA: MEDIA_ENGINE, AUDIO: AUDIO_ENGINE}  # part of a cached copy's key: a new engine cleans again


def _clean(path: Path, made: Path, family: str) -> None:
    """A cleaned copy of `path` at `made`, or one error naming the file."""
    try:
        if family == PDF:
            _strip_pdf(path, made)
        elif family == AUDIO:
            clean_audio_file(path, made)
        else:
            clean_iso_file(path, made)
    except AudioProblem as problem:
        raise ContentError(f"{path.name} cannot be read as the sound file it starts as: {problem}",
                           SourceLocation(path), hint="export it again from the recorder or sound editor, or "
                           "convert it (e.g. ffmpeg -i in.mp3 -map_metadata -1 out.mp3)") from None
    except MediaProblem as problem:
        raise ContentError(f"{path.name} cannot be read as a video or sound file: {problem}", SourceLocation(path),
                           hint="export it again from the phone or editor, or convert it (e.g. ffmpeg -i in.mov "
                           "-map_metadata -1 out.mp4)") from None


def _strip_pdf(path: Path, made: Path) -> None:
    from samizdat.documents.pdf import PdfProblem, strip_pdf  # pikepdf: loaded when a site publishes a PDF

    try:
        strip_pdf(path, made)
    except PdfProblem as problem:
        raise ContentError(f"{path.name}: {problem.message}", SourceLocation(path), hint=problem.hint) from None


def _clean_into(key: str, cache: DocumentCache, clean: Callable[[Path], None]) -> Path:
    """Cleaned under a name of its own, then moved into place: a build stopped halfway leaves no half file."""
    made = cache.staging()
    try:
        clean(made)
    except BaseException:
        made.unlink(missing_ok=True)
        raise
    return cache.store(key, made)


def _media_warning(path: Path, kind: Kind) -> Finding:
    return Finding("warning", f"{path.name} is {_a(kind.name)}; it is published as it is, and may hold the "
                   "place and time it was recorded", SourceLocation(path),
                   hint="remove its metadata before adding it (e.g. ffmpeg -i in.mp4 -map_metadata -1 "
                   "-c copy out.mp4), or link to it on a video site")


def _a(name: str) -> str:
    return f"{'an' if name[0].lower() in 'aeiou' else 'a'} {name}"
