"""A term's weight in a page: BM25 of its occurrences, plus a bonus when the title holds it.

Occurrences count less and less, and count less in a long page. The length is compared with a fixed
one, not the site's average, so that an edit to one page never changes the weights of the others (and so
their chunks), and each page's weights are its own: postings.py weighs every page at once in arrays,
refile.py one page at a time, to the same bit.
"""

from __future__ import annotations

K1, B, REFERENCE_WORDS = 1.2, 0.75, 300
TITLE_WEIGHT = 150  # added when the term is in the title: a title match ranks above most text matches


def bm25(count: int, length: int) -> int:
    """One term's weight in a page of `length` words where it occurs `count` times. The operations are
    those of postings' arrays in the same order, on the same doubles, rounded half to even as they are."""
    norm = K1 * (1 - B + B * float(length) / REFERENCE_WORDS)
    return round(100 * count * (K1 + 1) / (count + norm))
