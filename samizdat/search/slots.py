"""Document numbers that depend on each page's own address, so that adding or removing a page leaves the
other pages' numbers, and so their chunks, as they were.

Postings name documents by number and document chunks hold numbers in runs of DOCS_PER_CHUNK (index.py),
so numbering by address order would shift every page after a new one, and with it every bucket naming
them. Instead each page's number comes from a hash of its address, in a table at least twice as large
as the language's pages (a power of two); a page whose number is taken takes the next free one. The
numbering is a function of the set of addresses alone, so an incremental build and a cold one give the
same bytes; a new or removed page moves at most the few pages that shared its run of taken numbers, and
a language growing or shrinking across a power of two numbers everything afresh.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

Slots = list[str | None]  # document number → the page's URL path; None: a number no page holds


def assign(paths: Iterable[str]) -> Slots:
    addresses = sorted(set(paths))
    capacity = 4
    while capacity < 2 * len(addresses):
        capacity *= 2
    slots: Slots = [None] * capacity
    homes = [home(path, capacity) for path in addresses]
    # Placed in the order of their own numbers, so the result does not depend on which page came first; those
    # of one number in the order of their addresses (a stable sort of sorted addresses by number alone: a
    # third of the time of sorting pairs).
    for at in sorted(range(len(addresses)), key=homes.__getitem__):
        number = homes[at]
        while slots[number] is not None:
            number = (number + 1) % capacity
        slots[number] = addresses[at]
    return slots


def home(path: str, capacity: int) -> int:
    return int.from_bytes(hashlib.blake2b(path.encode(), digest_size=8).digest(), "big") % capacity
