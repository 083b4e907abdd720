"""One folding of text for the index and for queries, mirrored by the theme's search.js.

Unicode NFKC (full-width letters, compatibility jamo), lower case, ё→е (Russian writes both for one
letter; readers rarely type ё), and words split by script: a run of Hangul, or a run of other letters
and digits. Korean runs become character n-grams (korean.py), other runs stems (stemming.py).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Hangul syllables; compatibility jamo are folded to syllable-less letters and dropped by NFKC anyway.
HANGUL_FIRST, HANGUL_LAST = "\uac00", "\ud7a3"
HANGUL = f"{HANGUL_FIRST}-{HANGUL_LAST}"
# A word: a run of Hangul, or a run of letters, digits and joining marks of any other script. The
# apostrophe and hyphen split words (don't → don, t) on both sides alike, which is all that matters.
WORDS = re.compile(rf"[{HANGUL}]+|[^\W_{HANGUL}]+")
_HANGUL_RUN = re.compile(rf"^[{HANGUL}]+$")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


@dataclass(frozen=True)
class Word:
    text: str  # folded
    script: str  # "hangul", "cyrillic" or "other"


def fold(text: str) -> str:
    # No-break spaces are the one character outside NFKC that many texts have (a third of the bench's
    # pages; Russian typography puts them after short words): made spaces first, as NFKC would make
    # them, most text passes the quick check and is not normalised at all.
    text = text.replace("\xa0", " ").replace("\u202f", " ")
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return text.lower().replace("ё", "е")


def words(text: str) -> list[Word]:
    """The folded words of a text in order, each with its script."""
    return [Word(match[0], script_of(match[0])) for match in WORDS.finditer(fold(text))]


def script_of(word: str) -> str:
    if _HANGUL_RUN.match(word):
        return "hangul"
    return "cyrillic" if _CYRILLIC.search(word) else "other"
