"""The matching, in Python: what search.js does in the browser, over the same chunk files.

Words are ANDed. A Korean word needs all its syllable pairs; another word matches the stem it is a
known form of, else (three letters or more) the stems that start with it and the longest stem it starts
with. Each language's results are ranked by summed weights; the reader's language comes first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from samizdat.search import chunks, korean
from samizdat.search.index import language_folder
from samizdat.search.normalise import Word, script_of, words
from samizdat.search.tokens import HANGUL, OTHER, bucket, word_key

MIN_PREFIX = 3  # a word this long also finds the words it begins (as the reader types)
QUERY_WORDS = 32  # distinct words of a query that are looked for (search.js: QUERY_WORDS); words are ANDed
Reader = Callable[[str], bytes | None]  # output path → file bytes, None when missing


@dataclass(frozen=True)
class Result:
    language: str
    path: str  # below the site root, no leading slash
    title: str
    date: str
    kind: str
    score: int


class LanguageIndex:
    """One language's chunk files, each read and decoded once."""

    def __init__(self, read: Reader, code: str) -> None:
        self.read, self.code, self.folder = read, code, language_folder(code)
        self._loaded: dict[str, Any] = {}
        self.manifest = self._chunk("m")

    def _chunk(self, name: str) -> Any:
        if name not in self._loaded:
            data = self.read(f"{self.folder}/{name}.css")
            self._loaded[name] = chunks.decode(data) if data is not None else None
        return self._loaded[name]

    def bucket(self, kind: str, key: str) -> dict[str, Any]:
        return self._chunk(f"{kind}{bucket(key, self.manifest['buckets'])}") or {}

    def document(self, number: int) -> list[Any]:
        return self._chunk(f"d{number // self.manifest['per']}")[number % self.manifest['per']]


def word_matches(index: LanguageIndex, text: str, script: str) -> dict[int, int]:
    """Document number → weight for one query word."""
    if script == "hangul":
        found: dict[int, int] | None = None
        for term in korean.query_terms(text):
            postings = _postings(index.bucket(HANGUL, term).get(term, []))
            found = postings if found is None else {n: min(w, postings[n]) for n, w in found.items() if n in postings}
        return found or {}
    entries = index.bucket(OTHER, word_key(text))
    result: dict[int, int] = {}
    for root in matching_stems(entries, text):
        for number, weight in _postings(entries[root][1]).items():
            result[number] = max(weight, result.get(number, 0))
    return result


def matching_stems(entries: dict[str, Any], word: str) -> list[str]:
    exact = [root for root, (endings, _) in entries.items()
             if ("=" + word) in endings or (word.startswith(root) and word[len(root):] in endings)]
    if exact or len(word) < MIN_PREFIX:
        return sorted(exact)
    found = {root for root in entries if root.startswith(word)}
    # A stem that differs from the word only by a vowel that comes and goes is the word itself, in
    # another case: the longest stem the word begins with would only be a guess beside it.
    if fleeting := fleeting_matches(entries, word):
        return sorted(found | fleeting)
    # English stems turn a final y into i (family → famili): an unseen "family" still finds "families".
    variants = (word, word[:-1] + "i") if word.endswith("y") else (word,)
    longest = max((root for root in entries if len(root) >= MIN_PREFIX and any(v.startswith(root) for v in variants)),
                  key=lambda root: (len(root), root), default=None)
    return sorted(found | ({longest} if longest else set()))


# Russian drops or adds a vowel before a noun's last consonant (открытка, открыток; окно, окон), which
# Snowball stems apart (открытк, открыток). An unmatched Cyrillic word also finds a stem that differs from
# it only by that vowel, in either direction. search.js does the same.
_FLEETING, _NOT_CONSONANT = "ое", set("аеиоуыэюяйьъ")


def without_fleeting_vowel(text: str) -> str | None:
    if len(text) >= 4 and text[-2] in _FLEETING and text[-1] not in _NOT_CONSONANT and script_of(text) == "cyrillic":
        return text[:-2] + text[-1]
    return None


def fleeting_matches(entries: dict[str, Any], word: str) -> set[str]:
    found = set()
    short_word = without_fleeting_vowel(word)
    if short_word is not None and short_word in entries:
        found.add(short_word)  # открыток: the stem открытк of открытка, открытки
    for root in entries:
        short = without_fleeting_vowel(root)
        if short is not None and word.startswith(short) and len(word) - len(short) <= 2:
            found.add(root)  # открытки: the stem открыток, seen alone
    return found


def query_words(query: str) -> list[Word]:
    """The query's distinct words, the first QUERY_WORDS of them: each word is a look through a bucket of the
    index, and a reader who pastes a paragraph (or "слово" five thousand times: 33 s) waits for every one."""
    return list(dict.fromkeys(words(query)))[:QUERY_WORDS]


def search_language(index: LanguageIndex, query: str, kinds: str = "nmp") -> list[Result]:
    scores: dict[int, int] | None = None
    for word in query_words(query):
        matches = word_matches(index, word.text, word.script)
        scores = matches if scores is None else {n: s + matches[n] for n, s in scores.items() if n in matches}
        if not scores:
            return []
    ranked = sorted((n for n in scores or {} if index.manifest["kinds"][n] in kinds), key=lambda n: (-scores[n], n))
    return [_result(index, n, scores[n]) for n in ranked]  # type: ignore[index]


def search(read: Reader, codes: list[str], query: str, kinds: str = "nmp") -> list[Result]:
    """codes: the site's languages, the reader's first."""
    results: list[Result] = []
    for code in codes:
        index = LanguageIndex(read, code)
        if index.manifest is not None:
            results += search_language(index, query, kinds)
    return results


def folder_reader(root: Path) -> Reader:
    """Chunk files from a build on disk; a missing one reads as None, as a failed load does in a browser."""
    def read(path: str) -> bytes | None:
        file = root / path
        return file.read_bytes() if file.is_file() else None

    return read


def _result(index: LanguageIndex, number: int, score: int) -> Result:
    path, title, date, kind, _ = index.document(number)
    return Result(index.code, path, title, date, kind, score)


def _postings(flat: list[int]) -> dict[int, int]:
    result, number = {}, 0
    for i in range(0, len(flat), 2):
        number += flat[i]
        result[number] = flat[i + 1]
    return result

