"""Each word of a page's text with how often it occurs: the same words as normalise.WORDS finds, counted
without running that pattern over every character.

The pattern is the one costly step of reading a page's words (about 40 ns a character in Python's
regular expressions, and a page has thousands). Here the text's code points become an array and one
table lookup keeps each letter or digit (`str.isalnum`, which is what `\\w` means to the pattern, less
the underscore) and makes everything else a space; in a text with Hangul a second table says which
letters are Hangul, so a space goes between a Hangul run and another run that touch; `str.split` and a
Counter, both in C, do the rest.
A text with a character beyond the Basic Multilingual Plane (the table covers that plane only) is
counted by the pattern itself. tests/test_search_words.py holds both ways to the same answer.
"""

from __future__ import annotations

import sys
from collections import Counter
from functools import cache
from typing import TYPE_CHECKING

from samizdat.search.normalise import HANGUL_FIRST, HANGUL_LAST, WORDS

if TYPE_CHECKING:
    import numpy as np

NOT_A_LETTER, HANGUL_LETTER, OTHER_LETTER = 0, 1, 2
_PLANE = 0x10000
HANGUL_START = ord(HANGUL_FIRST)


def count_words(folded: str) -> Counter[str]:
    """folded: text already through normalise.fold (the pattern's input too). In a process that has not
    loaded NumPy (a one-edit build renders a page or two, and refiles its index without it: refile.py),
    the pattern counts: loading NumPy and making the tables would take a hundred times longer."""
    if "numpy" not in sys.modules:
        return Counter(WORDS.findall(folded))
    import numpy as np  # the search alone needs it: a build without search, or `samizdat check`, never loads it

    try:
        points = np.frombuffer(folded.encode("utf-32-le"), np.uint32)
    except UnicodeEncodeError:  # a lone surrogate: the pattern knows what to do with it
        return Counter(WORDS.findall(folded))
    if not len(points):
        return Counter()
    highest = int(points.max())
    if highest >= _PLANE:
        return Counter(WORDS.findall(folded))
    spaced = _spaced()[points]
    if highest >= HANGUL_START:  # Hangul may touch other letters only in a text that has some
        kinds = _kinds()[points]
        letters = kinds != NOT_A_LETTER
        touching = np.flatnonzero((kinds[1:] != kinds[:-1]) & letters[1:] & letters[:-1])
        if len(touching):  # 나토NATO: two words, as the pattern has it
            spaced = np.insert(spaced, touching + 1, np.uint32(32))
    return Counter(spaced.tobytes().decode("utf-32-le").split())


def prepare() -> None:
    """Load NumPy and make the tables now: called before the render workers fork, each inherits them
    instead of loading and making them again (about 0.1 s of processor time each)."""
    _spaced()


@cache
def _spaced() -> np.ndarray:
    """Code point → itself for a letter or digit, else a space, for the Basic Multilingual Plane."""
    import numpy as np

    return np.where(_kinds() == NOT_A_LETTER, np.uint32(32), np.arange(_PLANE, dtype=np.uint32))


@cache
def _kinds() -> np.ndarray:
    """Code point → NOT_A_LETTER, HANGUL_LETTER or OTHER_LETTER, for the Basic Multilingual Plane."""
    import numpy as np

    kinds = np.fromiter((OTHER_LETTER if chr(point).isalnum() else NOT_A_LETTER for point in range(_PLANE)),
                        np.uint8, _PLANE)
    kinds[ord(HANGUL_FIRST): ord(HANGUL_LAST) + 1] = HANGUL_LETTER
    kinds[0xD800:0xE000] = NOT_A_LETTER  # surrogates cannot be in a str that encoded
    return kinds
