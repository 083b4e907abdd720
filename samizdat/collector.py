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


FULL_COLLECTION_SPACING = 10_000  # younger collections between full ones (Python's default: 10)


@contextmanager
def few_full_collections() -> Iterator[None]:
    """For a whole build: the collector still runs, but walks every live object far more rarely.

    A build's objects live until it ends (the store's rows, every source and page), and Python walks all
    of them again each time the number of survivors grows by a quarter: a one-edit build of 10,000 pages
    spent 0.15 s of its 2.8 s doing that. Young objects are still collected as often as before, so a
    cycle made and dropped in a stage goes as soon as it did; only the walks over the old ones are spaced.
    """
    before = gc.get_threshold()
    gc.set_threshold(before[0], before[1], max(before[2], FULL_COLLECTION_SPACING))
    try:
        yield
    finally:
        gc.set_threshold(*before)

