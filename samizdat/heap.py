"""Memory a stage freed handed back to the system, where the C library keeps it otherwise.

glibc's allocator returns freed memory to the system only from the top of its heap: after a stage that
made and dropped many large buffers (the render stage's pages from the workers, a language's search
postings), tens of megabytes stay counted against the build although nothing holds them, and the build's
peak is reached later, with them still there. malloc_trim gives back every whole free page at once.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys
from functools import cache


def release_free_memory() -> None:
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@cache
def _malloc_trim() -> ctypes._NamedFuncPointer | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc.malloc_trim  # glibc's; musl has none, and needs none (it returns free memory itself)
    except (OSError, AttributeError):
        return None
