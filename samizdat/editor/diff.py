"""Differences a volunteer reads: which sentences of a source are new, and two texts side by side in words."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

_SENTENCE_END = re.compile(r"(?<=[.!?。？！…])\s+")
_WORDS = re.compile(r"(\s+)")


@dataclass(frozen=True)
class Piece:
    text: str
    changed: bool


def sentences(paragraph: str) -> list[str]:
    return [part for part in _SENTENCE_END.split(paragraph) if part.strip()]


def changed_sentences(old_paragraphs: list[str], new_paragraphs: list[str]) -> list[list[Piece]]:
    """Each current paragraph as sentences, those not in the old text marked: what the translator must redo."""
    old = {sentence.strip() for paragraph in old_paragraphs for sentence in sentences(paragraph)}
    return [[Piece(sentence, sentence.strip() not in old) for sentence in sentences(paragraph)]
            for paragraph in new_paragraphs]


def removed_sentences(old_paragraphs: list[str], new_paragraphs: list[str]) -> list[str]:
    new = {sentence.strip() for paragraph in new_paragraphs for sentence in sentences(paragraph)}
    return [sentence for paragraph in old_paragraphs for sentence in sentences(paragraph)
            if sentence.strip() not in new]


def side_by_side(theirs: str, mine: str) -> tuple[list[Piece], list[Piece]]:
    """The two texts as words, with what differs marked on each side (deleted left, added right).

    Paragraphs are matched first, then the words of each changed run of paragraphs: matching every word of
    one text against every word of the other grew with the product of their lengths (two pages of 6,000
    words: 9.5 s; a long report, minutes of a volunteer's editor). A changed run longer than WORDS_COMPARED
    words on a side is marked changed whole."""
    left, right = _PARAGRAPHS.split(theirs), _PARAGRAPHS.split(mine)
    shown_left: list[Piece] = []
    shown_right: list[Piece] = []
    for tag, a1, a2, b1, b2 in difflib.SequenceMatcher(a=left, b=right, autojunk=False).get_opcodes():
        # A run of as many changed paragraphs on each side (a word changed in each): paragraph by paragraph
        pairs = zip(left[a1:a2], right[b1:b2], strict=True) if tag == "replace" and a2 - a1 == b2 - b1 else [
            ("".join(left[a1:a2]), "".join(right[b1:b2]))]
        for old, new in pairs:
            if tag == "replace" and max(len(old.split()), len(new.split())) <= WORDS_COMPARED:
                words_left, words_right = _words_side_by_side(old, new)
                shown_left += words_left
                shown_right += words_right
                continue
            if old:
                shown_left.append(Piece(old, tag != "equal"))
            if new:
                shown_right.append(Piece(new, tag != "equal"))
    return shown_left, shown_right


WORDS_COMPARED = 1_000  # words on a side of a changed run of paragraphs that are compared one by one
_PARAGRAPHS = re.compile(r"(?<=\n)(?=[^\n])")  # each paragraph or line with the line breaks after it


def _words_side_by_side(theirs: str, mine: str) -> tuple[list[Piece], list[Piece]]:
    left, right = _WORDS.split(theirs), _WORDS.split(mine)
    shown_left: list[Piece] = []
    shown_right: list[Piece] = []
    for tag, a1, a2, b1, b2 in difflib.SequenceMatcher(a=left, b=right, autojunk=False).get_opcodes():
        same = tag == "equal"
        if a2 > a1:
            shown_left.append(Piece("".join(left[a1:a2]), not same))
        if b2 > b1:
            shown_right.append(Piece("".join(right[b1:b2]), not same))
    return shown_left, shown_right
