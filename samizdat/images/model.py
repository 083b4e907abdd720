"""The values passed between the image stages."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

# Pillow format → (suffix of a resized copy, MIME type). Other formats are refused with a hint.
FALLBACK_FORMATS = {"JPEG": ("jpg", "image/jpeg"), "PNG": ("png", "image/png")}
MODERN_FORMATS = {"avif": ("AVIF", "image/avif"), "webp": ("WEBP", "image/webp")}
READABLE_FORMATS = frozenset({"JPEG", "PNG", "WEBP", "GIF", "AVIF"})


@dataclass(frozen=True)
class Region:
    """A rectangle to mask, in the pixels of the upright full-size photo."""

    x: int
    y: int
    w: int
    h: int
    origin: str = "detected"  # or "by hand"
    confidence: float = 1.0  # the detector's score; 1 for a region drawn by hand


@dataclass(frozen=True)
class FacePlan:
    detect: bool  # run the face detector on this photo
    regions: tuple[Region, ...] = ()  # added by hand, always masked
    style: str = "block"
    not_faces: tuple[Region, ...] = ()  # found by the detector, rejected by a person: left unmasked
    look: bool = False  # not masked and not reviewed: count the faces it shows, to warn about them


@dataclass(frozen=True)
class Settings:
    """Everything that decides an image's output bytes besides its own bytes (part of the cache key)."""

    widths: tuple[int, ...]
    quality: int
    formats: tuple[str, ...]  # modern formats, e.g. ("avif", "webp")


@dataclass(frozen=True)
class Source:
    """A raster file that a page refers to or that would be published; probed, not yet decoded."""

    path: Path
    digest: str  # sha256 of the bytes
    format: str  # Pillow's name, e.g. "JPEG"
    width: int  # upright, after the EXIF orientation
    height: int


@dataclass(frozen=True)
class Job:
    source: Source
    settings: Settings
    faces: FacePlan
    key: str  # the cache key
    entry: Path  # a folder of the job's own to write the files into (the cache moves them into place)
    found: tuple[Region, ...] | None = None  # what the detector found in it before, kept with the results
    detector: str = ""  # the detector's version: with the photo's bytes, the key of what it found


@dataclass(frozen=True)
class Variant:
    file: str  # name in the cache entry
    width: int
    height: int
    mime: str


@dataclass(frozen=True)
class Photo:
    """A processed image: the stripped full-size copy and its resized variants."""

    key: str
    width: int
    height: int
    full: str  # file name of the full-size copy, in the source's own format
    variants: tuple[Variant, ...]
    masked: tuple[Region, ...] = ()
    unreviewed_faces: int = 0  # clear faces in a photo that is neither masked nor reviewed
    found: tuple[Region, ...] | None = None  # what the detector found, when it ran (to keep in the cache)

    def of_type(self, mime: str) -> tuple[Variant, ...]:
        return tuple(v for v in self.variants if v.mime == mime)

    @property
    def fallback_mime(self) -> str:
        return next(v.mime for v in self.variants if v.mime in ("image/jpeg", "image/png"))


@dataclass(frozen=True)
class Failure:
    """A problem found while decoding in a worker; the caller turns it into an error with a location."""

    message: str
    hint: str
