"""Python's cycle collector paused while a stage makes a great many objects that are never in a cycle.

Each burst of new containers sets the collector walking every object alive, and a build holds hundreds of
thousands: decoding the store's rows or the search entries of 10,000 pages made it walk them again and
again, for a third of those steps' time. Garbage cycles made meanwhile wait for the next collection.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
