"""How large a photo may be, how much memory processing it takes, and the largest side each output format
can hold (and how to fit an image within it).

A phone's scrolling screenshot (1080 × 20000) is a valid PNG, but WebP stops at 16383 pixels a side:
such a copy is made smaller, in proportion, instead of failing the build.
"""

from __future__ import annotations

import os

from PIL import Image

# The most pixels a photo of the site may have. A phone's 50-megapixel photo (8160 × 6144) and a
# 45-megapixel camera's fit, and pages show photos at most a few thousand pixels wide, so a published
# photo never needs more. Without it, a PNG of a few hundred KB that says 9,400 × 9,400 pixels of one
# colour (under Pillow's own limit) took 1.7 GB to process. The editor refuses uploads past the same number.
MAX_PHOTO_PIXELS = 60_000_000
# The memory processing one photo takes at its peak, a pixel: decoded, made upright and sRGB, searched
# for faces, resized and encoded, with copies alive at once. Measured about 20 (0.5 GB for a
# 24-megapixel photo, 1.7 GB for 88 megapixels), with a margin.
BYTES_PER_PIXEL = 24
LEAST_MEMORY_BUDGET = 1 << 30  # a small machine still processes three phone photos (12 megapixels) at once


def processing_memory(width: int, height: int) -> int:
    """About how many bytes processing a photo of this size takes at its peak."""
    return width * height * BYTES_PER_PIXEL


def memory_budget() -> int:
    """The bytes that photos processed at the same time may take together: a quarter of the machine's
    memory, since the build itself, the system and the volunteer's other programs need the rest, and at
    least LEAST_MEMORY_BUDGET; but never more than half the memory still available when the build starts
    (a laptop with a browser open may have a tenth of its memory left, and photos past it are swapped or
    killed, or make the system kill another program). Counted by processors alone, sixteen of them would
    take sixteen photos at the limit at once, 23 GB. A photo larger than the budget still runs, alone."""
    total, available = machine_memory()
    budget = 2 * LEAST_MEMORY_BUDGET if total is None else max(LEAST_MEMORY_BUDGET, total // 4)
    return budget if available is None else min(budget, available // 2)


MEMINFO = "/proc/meminfo"


def machine_memory() -> tuple[int | None, int | None]:
    """The machine's memory and the memory available now (free, or given back on demand: caches), in bytes;
    None for what the system does not say (available memory outside Linux, both on Windows)."""
    total = available = None
    try:
        with open(MEMINFO, encoding="ascii") as meminfo:
            for line in meminfo:
                name, _, value = line.partition(":")
                if name in ("MemTotal", "MemAvailable") and value.split()[1:] == ["kB"]:
                    number = int(value.split()[0]) * 1024
                    total, available = (number, available) if name == "MemTotal" else (total, number)
    except (OSError, ValueError, UnicodeDecodeError):
        pass
    if total is None:
        try:
            total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
        except (AttributeError, OSError, ValueError):  # a system that does not say (Windows)
            total = None
    return total, available


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
