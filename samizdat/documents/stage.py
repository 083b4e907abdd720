"""The documents stage of the build: every file published as it is, recognised by its bytes.

In order, for each file of assets/, static/, content/ and the theme: sniff its kind → refuse a name that
hides what the file is, office files, archives and video or sound files that cannot be cleaned → take
cleaned PDFs, MP4/MOV, WebM/MKV and AVI videos and MP3/AAC/FLAC/WAV/Ogg sound files from the cache, clean
the rest (build/cache keeps the results, their files beside the store). Raster images keep their place in
the list: the image stage cleans them next. Nothing here changes a file in the site folder.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from samizdat.config import SiteConfig
from samizdat.documents.cache import DocumentCache
from samizdat.documents.sniff import (
    ARCHIVE,
    AUDIO,
    AVI,
    ISO_MEDIA,
    MATROSKA,
    MEDIA,
    OFFICE,
    OGG,
    PDF,
    RASTER,
    RASTER_SUFFIXES,
    Kind,
    sniff,
    suffix_of,
)
from samizdat.errors import ContentError, SourceLocation
from samizdat.products import ProductBook, transient_book

CONVERT_MEDIA = ("convert it to MP4 (video) or Opus or MP3 (sound), which samizdat cleans, e.g. "
                 "ffmpeg -i in.wmv -map_metadata -1 out.mp4, or link to it on a video site")
EXPORT_PDF = ("open it in its application and export it as PDF (File → Export as PDF, or Save as → PDF), "
              "then publish the PDF: samizdat removes a PDF's metadata")


@dataclass(frozen=True)
class DocumentOutput:
    copies: dict[str, Path]  # output path → file to publish: cleaned PDFs, videos and sounds come from the cache
    cleaned: int  # files cleaned in this build
    cached: int  # files taken from the cache


def clean_documents(config: SiteConfig, copies: dict[str, Path], book: ProductBook | None = None) -> DocumentOutput:
    """book: the build's results (build/cache); without one they are kept for this build only."""
    cache = DocumentCache(book or transient_book(config.root))
    result, cleaned, cached = dict(copies), 0, 0
    for rel, path in copies.items():
        kind = sniff(path)
        check_kind(rel, path, kind)
        cleaner = None if kind.family == PDF else cleaner_for(kind.family)
        if kind.family == PDF or cleaner is not None:
            operation = "" if cleaner is None else f"{cleaner.engine}\n{suffix_of(rel)}"
            key = cache.key(path, operation) if operation else cache.key(path)
            copy = cache.cleaned(key)
            if copy is not None:
                cached += 1
            else:
                copy = _clean_into(key, cache, lambda made, path=path, family=kind.family: _clean(path, made, family))
                cleaned += 1
            result[rel] = copy
    return DocumentOutput(result, cleaned, cached)


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
    if kind.family == MEDIA:
        raise ContentError(f"{path.name} is {_a(kind.name)}: samizdat cannot remove the place, time and names "
                           "it may hold, so it is not published", where, hint=CONVERT_MEDIA)
    if kind.family == RASTER and suffix_of(rel) in RASTER_SUFFIXES:
        return  # named as an image: the image stage checks it, and names the page and line that show it
    if not kind.fits(rel):
        written = f"its name ends in {suffix_of(rel)}" if suffix_of(rel) else "its name has no suffix"
        usual = path.stem if suffix_of(rel) else path.name
        raise ContentError(f"{path.name} is {_a(_file(kind.name))}, but {written}", where,
                           hint=f"rename it to {usual}{kind.suffixes[0]} (and the links to it), so it is "
                           "published, served and cleaned as what it is")


@dataclass(frozen=True)
class Cleaner:
    clean: Callable[[Path, Path], object]  # (source, where to write the cleaned copy)
    engine: str  # part of a cached copy's key: a new engine cleans again
    problem: type[Exception]  # what it raises for a file it cannot read
    what: str  # what the file was taken for, in "cannot be read as …"
    hint: str


def cleaner_for(family: str) -> Cleaner | None:
    """How a video or sound file of this family is cleaned; None for any other file. The readers are loaded
    when a site publishes such a file: a build that publishes none spent about 10 ms loading them."""
    return _cleaners()[family] if family in _CLEANED else None


_CLEANED = frozenset({ISO_MEDIA, AUDIO, OGG, MATROSKA, AVI})


@functools.cache
def _cleaners() -> dict[str, Cleaner]:
    from samizdat.documents import audio, avi, isomedia, matroska, ogg

    return {
        ISO_MEDIA: Cleaner(isomedia.clean_iso_file, isomedia.ENGINE, isomedia.MediaProblem, "a video or sound file",
                           "export it again from the phone or editor, or convert it (e.g. ffmpeg -i in.mov "
                           "-map_metadata -1 out.mp4)"),
        AUDIO: Cleaner(audio.clean_audio_file, audio.ENGINE, audio.AudioProblem, "the sound file it starts as",
                       "export it again from the recorder or sound editor, or convert it "
                       "(e.g. ffmpeg -i in.mp3 -map_metadata -1 out.mp3)"),
        OGG: Cleaner(ogg.clean_ogg_file, ogg.ENGINE, ogg.OggProblem, "the Ogg sound file it starts as",
                     "export it again from the recorder or messenger, or convert it "
                     "(e.g. ffmpeg -i in.ogg -map_metadata -1 -c:a libopus out.opus)"),
        MATROSKA: Cleaner(matroska.clean_matroska_file, matroska.ENGINE, matroska.MatroskaProblem,
                          "the WebM or Matroska file it starts as", "export it again from the editor, or convert it "
                          "(e.g. ffmpeg -i in.webm -map_metadata -1 out.mp4)"),
        AVI: Cleaner(avi.clean_avi_file, avi.ENGINE, avi.AviProblem, "the AVI file it starts as",
                     "export it again from the camera or editor, or convert it (e.g. ffmpeg -i in.avi "
                     "-map_metadata -1 out.mp4)"),
    }


def _clean(path: Path, made: Path, family: str) -> None:
    """A cleaned copy of `path` at `made`, or one error naming the file."""
    if family == PDF:
        _strip_pdf(path, made)
        return
    from samizdat.documents.ogg import UnknownStream

    cleaner = cleaner_for(family)
    assert cleaner is not None
    try:
        cleaner.clean(path, made)
    except UnknownStream as unknown:
        raise ContentError(f"{path.name} holds {unknown.what}, which samizdat cannot clean of metadata, so it "
                           "is not published", SourceLocation(path), hint=CONVERT_MEDIA) from None
    except cleaner.problem as problem:
        raise ContentError(f"{path.name} cannot be read as {cleaner.what}: {problem}", SourceLocation(path),
                           hint=cleaner.hint) from None


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


def _a(name: str) -> str:
    return f"{'an' if name[0].lower() in 'aeiou' else 'a'} {name}"


def _file(name: str) -> str:
    """ "JPEG" → "JPEG file"; "WAV audio file" stays as it is."""
    return name if name.endswith("file") else f"{name} file"
