"""The C allocator's one setting the build changes: where large blocks come from.

glibc serves a block of 128 KiB or more by mapping memory of its own, returned to the system when the
block is freed, but after each such free it raises that limit (up to 32 MiB), so the next large blocks
come from the heap, where a freed block stays with the process whenever a smaller one lies above it.
Rendering thousands of pages makes and frees large strings (a page's HTML, its parsed tree) all the time:
the render workers then kept megabytes they no longer used. With the limit fixed at its first value, the
peak memory of a cold build of 3,000 ten-kilobyte pages went from 140-145 to 135-136 MiB, in the same
time (MALLOC_MMAP_THRESHOLD_, set in the environment, does the same from a process's start).
"""

from __future__ import annotations

import sys

_M_MMAP_THRESHOLD = -3  # malloc.h
LARGE_BLOCK = 128 * 1024  # glibc's own first limit


def map_large_blocks() -> None:
    """From here on, and in every process forked from here, blocks of LARGE_BLOCK or more are mapped and
    unmapped on their own. Only glibc has the setting: elsewhere, nothing changes."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes  # a few milliseconds: only a build that renders on several cores asks

    try:
        libc = ctypes.CDLL(None)
        libc.mallopt(_M_MMAP_THRESHOLD, LARGE_BLOCK)
    except (OSError, AttributeError):  # not glibc (musl has no mallopt)
        pass
