"""Typesetting rules per language, on plain text: non-breaking spaces, en dashes in ranges, separators.

Libraries exist (etpgrf, typus, richtypo, chakert), but none fits: the maintained one (etpgrf, beta)
re-serialises the page through BeautifulSoup and also rewrites quotes and hyphenates, the others have
not been released since 2016-2019. The rules needed are few, so they live here; outputs/typography.py
applies them to the text of each page.
"""

from __future__ import annotations

import re
from collections.abc import Callable

NBSP = "\u00a0"
_SPACE = r"[ \t\n\r\f]+"
# A token that is (or holds) an address: its characters must stay exactly as written.
# Matches start only where a token starts: a hostile megabyte without a space is then read once, not
# once per character.
_ADDRESS = re.compile(r"((?<![^\s\x00])[^\s\x00]*?(?:://|www\.|@)[^\s\x00]*)")
_ADDRESS_MARKS = ("@", "://", "www.")  # one of them is in every address: without them, no token is one
# While the rules run, these stand for the word an inline element brings after a run ("на <a>сайте</a>")
# and for an address: a word follows, whose letters the rules must not see.
WORD = "\ue000"
ADDRESS = "\ue001"
# The runs of a page are set in one pass, joined by this: no rule reaches across it, as none matches it.
RUN_END = "\x00"
_MARKS = (WORD, ADDRESS, RUN_END)
# A rule: its pattern, its replacement, and its gates: patterns one of which finds something in every text
# the rule would change (a character the rule cannot match without). Most texts have no dash, digit or "№",
# and a gate is searched for far faster than the rule, whose leading look-behind makes it try every position.
# A rule whose match starts with a character of a set looks behind it only after matching it, e.g.
# `(\d(?<![\d:].)…)` for `(?<![\d:])(\d…)`: Python's engine then goes straight to the places that hold
# such a character, where a pattern that starts by looking behind is tried at every position of the text
# (a rule in four took a quarter of the time; tests/test_typography.py checks both forms match alike).
# Gates start from a literal (`—(?<=\d—)\d` for `\d—\d`; two gates, `—` and `–`, for `[—–]`): one that
# finds nothing reads the whole text, and from a literal it does so at the speed of a string search, from a
# set of characters one at a time (1 µs a page, not 16 to 28).
Rule = tuple[re.Pattern[str], str | Callable[[re.Match[str]], str], tuple[re.Pattern[str], ...] | None]


def _rules(*rules: tuple[str, str] | tuple[str, str, str | tuple[str, ...]]) -> tuple[Rule, ...]:
    return tuple((re.compile(rule[0]), rule[1], _gates(rule[2]) if len(rule) > 2 else None)  # type: ignore[misc]
                 for rule in rules)


def _gates(gates: str | tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(gate) for gate in ((gates,) if isinstance(gates, str) else gates))


# Every language: ranges of times and numbers take an en dash without spaces (15:00–17:00, 1941–1945);
# a space-separated "·" is joined to both its neighbours, so it neither starts nor ends a line (the line
# breaks inside an item instead; a long unbroken chain still wraps where the theme lets long words wrap).
COMMON = _rules(
    (rf"(\d(?<![\d:].)\d?[:.]\d{{2}})(?:{_SPACE})?[-–—](?:{_SPACE})?(\d{{1,2}}[:.]\d{{2}})(?![\d:])", r"\1–\2",
     (r":(?<=\d:)\d\d", r"\.(?<=\d\.)\d\d")),
    (r"(\d(?<![\d-].)\d{0,3})—(\d{1,4})(?![\d-])", r"\1–\2", r"—(?<=\d—)\d"),
    (rf"(?<![ \t\n\r\f]){_SPACE}·{_SPACE}", f"{NBSP}·{NBSP}", "·"),
)
# Russian: an initial stays with the next initial or the surname (А. Политковская); short words and
# prepositions stay with the word after them; a number with its unit or month; a dash with the word
# before it; particles (же, ли, бы) with the word before them. The rule for initials starts from the
# initial's dot, which is rarer than a capital (3 µs a page, not 22; in English too).
# A short word is one or two letters (but a particle, which keeps to the word before it) or a preposition
# of three. Its rule starts from the space after it and looks behind for the word, one look for each length:
# a space is a rarer place to try than a letter, in Russian text (56 µs a page, not 160).
_SHORT_RU = ("[а-яёА-ЯЁ]", "(?!же|ли|ль|бы)[а-яёА-ЯЁ]{2}",
             "(?:[Бб]ез|[Дд]ля|[Нн]ад|[Пп]од|[Пп]ро|[Пп]ри|[Оо]бо|[Ии]зо|[Чч]то|[Кк]ак|[Вв]се|[Ээ]то)")
_AFTER_SHORT_RU = "|".join(rf"(?<=(?<![\w\-]){word}[ \t\n\r\f])" for word in _SHORT_RU)
RUSSIAN = _rules(
    (rf"\.(?<=(?<![\w.])[А-ЯЁA-Z]\.){_SPACE}(?=[А-ЯЁA-Z{WORD}{ADDRESS}])", f".{NBSP}"),
    (rf"[ \t\n\r\f](?:{_AFTER_SHORT_RU})[ \t\n\r\f]*(?=[\w«„\"(№{WORD}{ADDRESS}])", NBSP),
    (rf"(\d(?<![\w\-.,].)[\d.,]*){_SPACE}(?=[^\W\d_]|%|₽|\$|€)", rf"\1{NBSP}", r"\d"),
    (rf"№{_SPACE}(?=\d)", f"№{NBSP}", "№"),
    (rf"(?<=\S){_SPACE}(?=[—–](?:\s|$))", NBSP, ("—", "–")),
    (r"[ \t\n\r\f](?<=\w[ \t\n\r\f])[ \t\n\r\f]*(?=(?:же|ли|ль|бы|б|ж)(?!\w))", NBSP),
)
ENGLISH = _rules(
    (rf"(?<=\S){_SPACE}(?=—(?:\s|$))", NBSP, "—"),
    (rf"\.(?<=(?<![\w.])[A-Z]\.){_SPACE}(?=[A-Z])", f".{NBSP}"),
)
LANGUAGE_RULES: dict[str, tuple[Rule, ...]] = {"ru": RUSSIAN + COMMON, "uk": RUSSIAN + COMMON,
                                               "en": ENGLISH + COMMON}


def rules_for(language: str) -> tuple[Rule, ...]:
    return LANGUAGE_RULES.get(language.split("-")[0].lower(), COMMON)


def typeset_text(text: str, language: str, word_follows: bool = False) -> str:
    """Plain text set for `language`; tokens holding an address are left exactly as they were.
    word_follows: an element with words comes right after the text (a link, emphasis)."""
    return typeset_runs([(text, word_follows)], language)[0]


def typeset_runs(runs: list[tuple[str, bool]], language: str) -> list[str]:
    """Each run of text (with whether a word follows it) set for `language`, all in one pass of the rules."""
    usable = [index for index, (text, _) in enumerate(runs) if not any(mark in text for mark in _MARKS)]
    texts = [text for text, _ in runs]  # a run holding a mark is left as it is (a hostile page's trick)
    if not usable:
        return texts
    joined = RUN_END.join(runs[index][0] + (WORD if runs[index][1] else "") for index in usable)
    # Split at each address (kept, as the pattern captures it), the rules run with a mark in its place.
    split = _ADDRESS.split(joined) if any(mark in joined for mark in _ADDRESS_MARKS) else [joined]
    addresses = split[1::2]
    pieces = _apply(ADDRESS.join(split[0::2]), rules_for(language)).split(ADDRESS)
    result = pieces[0] + "".join(address + piece for address, piece in zip(addresses, pieces[1:], strict=True))
    for index, text in zip(usable, result.replace(WORD, "").split(RUN_END), strict=True):
        texts[index] = text
    return texts


def _apply(text: str, rules: tuple[Rule, ...]) -> str:
    for pattern, replacement, gates in rules:
        if gates is not None and not any(gate.search(text) for gate in gates):
            continue
        text, count = pattern.subn(replacement, text)
        if count:  # again, so that overlapping neighbours (в и на) are both joined: a match takes its space
            text = pattern.sub(replacement, text)
    return text
