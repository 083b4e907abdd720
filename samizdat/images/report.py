"""What the image stage did, in numbers: a module of its own, so that `samizdat build` can say it when
nothing changed without importing the image stage's model."""

from __future__ import annotations

from typing import NamedTuple


class ImageReport(NamedTuple):  # a named tuple for "nothing changed", as SourceLocation (errors.py)
    processed: int
    cached: int
    pruned: int

    def __str__(self) -> str:
        return f"images: {self.processed} processed, {self.cached} from cache"
