"""The largest side each output format can hold, and how to fit an image within it.

A phone's scrolling screenshot (1080 × 20000) is a valid PNG, but WebP stops at 16383 pixels a side:
such a copy is made smaller, in proportion, instead of failing the build.
"""

from __future__ import annotations

from PIL import Image

# Measured with Pillow's encoders: WebP refuses 16384; libjpeg and libavif refuse beyond 65500.
MAX_SIDE = {"WEBP": 16383, "JPEG": 65500, "AVIF": 65500, "GIF": 65535, "PNG": 2**31 - 1}


def fitting_size(size: tuple[int, int], pillow_format: str) -> tuple[int, int]:
    """The size, scaled down in proportion when a side is beyond what the format can hold."""
    limit = MAX_SIDE[pillow_format]
    width, height = size
    if max(width, height) <= limit:
        return size
    scale = limit / max(width, height)
    return max(1, min(limit, int(width * scale))), max(1, min(limit, int(height * scale)))


def fitted(image: Image.Image, pillow_format: str) -> Image.Image:
    size = fitting_size(image.size, pillow_format)
    return image if size == image.size else image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
