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
    """The two texts as words, with what differs marked on each side (deleted left, added right)."""
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
