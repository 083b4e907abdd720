"""Snowball stems for words that are not Korean, chosen by the word's script and the page's language.

Russian words (any Cyrillic) get the Russian stemmer, other scripts the stemmer of the page's language
when Snowball has one for it, else English. The browser never stems: the index stores, beside each
stem, the endings its words were seen with (митинг: "", "а", "ами"), so a query word seen anywhere on
the site finds its stem by lookup, exactly as here; an unseen form falls back to the longest stem it
starts with (tokens.py). That keeps the search script small and the two sides equal by construction.
"""

from __future__ import annotations

from functools import lru_cache

import Stemmer  # PyStemmer: Snowball compiled to C

# Page language code → Snowball algorithm for Latin-script words of that language.
LATIN_ALGORITHMS = {"de": "german", "fr": "french", "es": "spanish", "it": "italian", "nl": "dutch",
                    "pt": "portuguese", "sv": "swedish", "tr": "turkish", "fi": "finnish", "da": "danish",
                    "no": "norwegian", "nb": "norwegian", "hu": "hungarian", "ro": "romanian"}


@lru_cache(maxsize=16)
def _stemmer(algorithm: str) -> Stemmer.Stemmer:
    stemmer = Stemmer.Stemmer(algorithm)
    stemmer.maxCacheSize = 100_000  # a site has a few tens of thousands of distinct words
    return stemmer


def algorithm_for(script: str, language: str) -> str:
    if script == "cyrillic":
        return "russian"
    return LATIN_ALGORITHMS.get(language, "english")


def stem(word: str, script: str, language: str) -> str:
    """Digits stay whole; a word in a script the stemmer does not know comes back unchanged."""
    if word.isdigit():
        return word
    return _stemmer(algorithm_for(script, language)).stemWord(word)
