"""One image, in a worker process: upright, faces masked, every metadata block dropped, sRGB, resized, encoded.

The pixels are copied into a new image before encoding, so nothing the camera wrote (EXIF with GPS and
serials, XMP, IPTC, comments, text chunks, ICC profiles) can travel with them to an output file.
"""

from __future__ import annotations

import io
import warnings
from pathlib import Path

from PIL import Image, ImageOps

from samizdat.images.colour import UnsupportedMode, to_srgb
from samizdat.images.faces import detect_faces, mask_regions, without_rejected
from samizdat.images.limits import fitted
from samizdat.images.model import FALLBACK_FORMATS, MODERN_FORMATS, Failure, Job, Photo, Variant

FULL_SIZE_QUALITY = 90  # the full-size copy at the original URL is for download and zoom
# Pillow's name and suffix of the full-size copy, which keeps the original's format at the original URL.
_FULL_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif", "AVIF": "avif"}


def run_job(job: Job) -> Photo | Failure:
    name = job.source.path.name
    try:
        image = load_upright(job.source.path)
    except UnsupportedMode as exc:
        return Failure(f"image {name} cannot be published: {exc}", "export it as an 8-bit RGB JPEG or PNG")
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        return Failure(f"image {name} is damaged and cannot be decoded ({exc})",
                       "open it in an image editor and export it again as JPEG or PNG")
    try:
        return _processed(image, job)
    except (OSError, ValueError, RuntimeError, MemoryError) as exc:
        # An encoder's own limit or fault: one error naming the file, never a bare traceback.
        return Failure(f"image {name} could not be encoded ({exc})",
                       "open it in an image editor and export it again as JPEG or PNG, at most 8000 pixels a side")


def _processed(image: Image.Image, job: Job) -> Photo:
    # An answer in the review page changes the plan, not the photo: the faces found before are used again.
    searched = detect_faces(image) if job.faces.detect and job.found is None else None
    regions = job.faces.regions
    if job.faces.detect:
        found = searched if searched is not None else job.found or ()
        regions = regions + without_rejected(found, job.faces.not_faces)
    unreviewed = len(detect_faces(image, quick=True)) if job.faces.look and not job.faces.detect else 0
    image = mask_regions(image, regions, job.faces.style)
    staging = job.entry  # a folder of this job's own: the build moves its files into place
    staging.mkdir(parents=True)
    full = f"full.{_FULL_FORMATS[job.source.format]}"
    (staging / full).write_bytes(encode(fitted(image, job.source.format), job.source.format, FULL_SIZE_QUALITY))
    variants = _write_variants(image, job, staging)
    return Photo(job.key, image.width, image.height, full, variants, regions, unreviewed, searched)


def load_upright(path: Path) -> Image.Image:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # the size was checked by probe()
        with Image.open(path) as opened:
            opened.load()
            upright = ImageOps.exif_transpose(opened)
            icc = opened.info.get("icc_profile")
    return to_srgb(upright, icc)


def variant_widths(width: int, wanted: tuple[int, ...]) -> tuple[int, ...]:
    """The configured widths below the image's own, and its own width up to the largest: never upscaled."""
    smaller = [w for w in wanted if w < width]
    return (*smaller, min(width, max(wanted)))


def _write_variants(image: Image.Image, job: Job, folder: Path) -> tuple[Variant, ...]:
    fallback = "PNG" if image.mode == "RGBA" else "JPEG"
    formats = [(fallback, *FALLBACK_FORMATS[fallback])]
    formats += [(MODERN_FORMATS[name][0], name, MODERN_FORMATS[name][1]) for name in job.settings.formats]
    variants: list[Variant] = []
    for width in variant_widths(image.width, job.settings.widths):
        height = max(1, round(image.height * width / image.width))
        resized = image if width == image.width else image.resize(
            (width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
        for pillow_format, suffix, mime in formats:
            fit = fitted(resized, pillow_format)  # a tall screenshot's WebP copy is made narrower
            name = f"{fit.width}.{suffix}"
            if any(v.file == name for v in variants):
                continue  # narrowed onto a width this format already has
            (folder / name).write_bytes(encode(fit, pillow_format, job.settings.quality))
            variants.append(Variant(name, fit.width, fit.height, mime))
    return tuple(variants)


def encode(image: Image.Image, pillow_format: str, quality: int) -> bytes:
    if pillow_format == "JPEG" and image.mode == "RGBA":
        image = image.convert("RGB")
    options: dict[str, object] = {
        "JPEG": {"quality": quality, "optimize": True, "progressive": True},
        "WEBP": {"quality": quality, "method": 4},
        # AVIF's scale runs lower for the same look; speed 8 encodes about as fast as WebP here.
        "AVIF": {"quality": max(1, quality - 20), "speed": 8},
        "PNG": {"compress_level": 9},
        "GIF": {},
    }[pillow_format]  # type: ignore[assignment]
    buffer = io.BytesIO()
    image.save(buffer, pillow_format, **options)  # type: ignore[arg-type]
    return buffer.getvalue()
