"""Document numbers that stay put from build to build, so that adding or removing a page rewrites only
the chunks that page touches.

Postings name documents by number and document chunks hold numbers in runs of DOCS_PER_CHUNK (index.py),
so numbering by address would shift every page after a new one, and with it every bucket naming them.
Instead each page keeps the number it had; a removed page leaves a hole, which the next new page fills;
new pages beyond the holes are appended in address order. A build without the last numbering (a first
build, a cleared cache) numbers in address order, and so does a site that lost half its pages, so that
holes never outnumber documents.
"""

from __future__ import annotations

from collections.abc import Iterable

Slots = list[str | None]  # document number → the page's URL path; None: a number freed by a removed page


def assign(previous: Slots, paths: Iterable[str]) -> Slots:
    current = set(paths)
    slots: Slots = [path if path in current else None for path in previous]
    while slots and slots[-1] is None:
        slots.pop()
    kept = {path for path in slots if path is not None}
    if 2 * len(kept) < len(slots):
        slots, kept = [], set()
    holes = [number for number, path in enumerate(slots) if path is None]
    for number, path in zip(holes, sorted(current - kept), strict=False):
        slots[number] = path
    slots += sorted(current - kept)[len(holes):]
    return slots


def valid(slots: object) -> bool:
    """The shape assign() returns, for numbering read back from the build store."""
    return isinstance(slots, list) and all(path is None or isinstance(path, str) for path in slots)
