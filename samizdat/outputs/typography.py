"""Typography of the rendered page per language: non-breaking spaces, en dashes in ranges, separators.

Libraries exist (etpgrf, typus, richtypo, chakert), but none fits: the maintained one (etpgrf, beta)
re-serialises the page through BeautifulSoup and also rewrites quotes and hyphenates, the others have
not been released since 2016-2019. The rules needed are few, so they live here.

The page is never re-serialised (see tag_edit.py): the stdlib tokenizer finds each run of text with
its offset, skipping code, preformatted text, scripts, styles and everything inside attributes, and
only those runs change. lexbor, which builds the tree a browser builds, has the last word: a run is
edited only if lexbor also reads it as text outside those elements.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from html.parser import HTMLParser

from selectolax.lexbor import LexborHTMLParser, LexborNode

NBSP = "\u00a0"
# Elements whose text is code, literal, or not prose: never retouched.
LITERAL = frozenset({"code", "pre", "kbd", "samp", "var", "script", "style", "textarea", "title", "svg",
                     "math", "xmp", "iframe", "noembed", "noframes", "noscript", "template"})
_SPACE = r"[ \t\n\r\f]+"
# A token that is (or holds) an address: its characters must stay exactly as written.
_ADDRESS = re.compile(r"\S*(?:://|www\.|@)\S*")
# Stands for an address, or for the word an inline element brings after a run ("на <a>сайте</a>"),
# while the rules run: a word follows, whose letters the rules must not see.
WORD = "\ue000"
# Elements that carry words inside a line: a run before one is followed by a word.
INLINE = frozenset({"a", "abbr", "b", "bdi", "bdo", "cite", "data", "dfn", "em", "i", "mark", "q", "s", "small",
                    "span", "strong", "sub", "sup", "time", "u"})

Rule = tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]]


def _rules(*pairs: tuple[str, str]) -> tuple[Rule, ...]:
    return tuple((re.compile(pattern), replacement) for pattern, replacement in pairs)


# Every language: ranges of times and numbers take an en dash without spaces (15:00–17:00, 1941–1945);
# a space-separated "·" is joined to both its neighbours, so it neither starts nor ends a line (the line
# breaks inside an item instead; a long unbroken chain still wraps where the theme lets long words wrap).
COMMON = _rules(
    (rf"(?<![\d:])(\d{{1,2}}[:.]\d{{2}})(?:{_SPACE})?[-–—](?:{_SPACE})?(\d{{1,2}}[:.]\d{{2}})(?![\d:])", r"\1–\2"),
    (r"(?<![\d-])(\d{1,4})—(\d{1,4})(?![\d-])", r"\1–\2"),
    (rf"{_SPACE}·{_SPACE}", f"{NBSP}·{NBSP}"),
)
# Russian: an initial stays with the next initial or the surname (А. Политковская); short words and
# prepositions stay with the word after them; a number with its unit or month; a dash with the word
# before it; particles (же, ли, бы) with the word before them.
_SHORT_RU = r"[а-яёА-ЯЁ]{1,2}|[Бб]ез|[Дд]ля|[Нн]ад|[Пп]од|[Пп]ро|[Пп]ри|[Оо]бо|[Ии]зо|[Чч]то|[Кк]ак|[Вв]се|[Ээ]то"
RUSSIAN = _rules(
    (rf"(?<![\w.])([А-ЯЁA-Z]\.){_SPACE}(?=[А-ЯЁA-Z{WORD}])", rf"\1{NBSP}"),
    (rf"(?<![\w\-])(?!(?:же|ли|ль|бы)(?!\w))({_SHORT_RU}){_SPACE}(?=[\w«„\"(№{WORD}])", rf"\1{NBSP}"),
    (rf"(?<![\w\-.,])(\d[\d.,]*){_SPACE}(?=[^\W\d_]|%|₽|\$|€)", rf"\1{NBSP}"),
    (rf"№{_SPACE}(?=\d)", f"№{NBSP}"),
    (rf"(?<=\S){_SPACE}(?=[—–](?:\s|$))", NBSP),
    (rf"(?<=\w){_SPACE}(?=(?:же|ли|ль|бы|б|ж)(?!\w))", NBSP),
)
ENGLISH = _rules(
    (rf"(?<=\S){_SPACE}(?=—(?:\s|$))", NBSP),
    (rf"(?<![\w.])([A-Z]\.){_SPACE}(?=[A-Z])", rf"\1{NBSP}"),
)
LANGUAGE_RULES: dict[str, tuple[Rule, ...]] = {"ru": RUSSIAN + COMMON, "uk": RUSSIAN + COMMON,
                                               "en": ENGLISH + COMMON}


def rules_for(language: str) -> tuple[Rule, ...]:
    return LANGUAGE_RULES.get(language.split("-")[0].lower(), COMMON)


def typeset_text(text: str, language: str, word_follows: bool = False) -> str:
    """Plain text set for `language`; tokens holding an address are left exactly as they were.
    word_follows: an element with words comes right after the text (a link, emphasis)."""
    if WORD in text:
        return text  # a hostile text could otherwise swap its addresses around
    addresses = _ADDRESS.findall(text)
    result = _apply(_ADDRESS.sub(WORD, text) + (WORD if word_follows else ""), rules_for(language))
    if word_follows:
        result = result[:-1]
    pieces = result.split(WORD)
    return pieces[0] + "".join(address + piece for address, piece in zip(addresses, pieces[1:], strict=True))


def _apply(text: str, rules: tuple[Rule, ...]) -> str:
    for pattern, replacement in rules:
        text, count = pattern.subn(replacement, text)
        if count:  # again, so that overlapping neighbours (в и на) are both joined: a match takes its space
            text = pattern.sub(replacement, text)
    return text


def typeset_page(page: str, language: str) -> str:
    """The page with the text of its prose set for `language`; every other byte stays as it was."""
    runs = [run for run in _text_runs(page) if rules_for(language) and run[1].strip()]
    if not runs:
        return page
    prose = "\x00".join(_prose_nodes(page))
    parts: list[str] = []
    done = 0
    for start, raw, word_follows in runs:
        if raw not in prose:  # the browser reads this run differently (inside code, an attribute…)
            continue
        parts += [page[done:start], typeset_text(raw, language, word_follows)]
        done = start + len(raw)
    return "".join(parts) + page[done:]


class _Runs(HTMLParser):
    """Offsets of the runs of text outside LITERAL elements (entities end a run, and stay as written)."""

    CDATA_CONTENT_ELEMENTS = ("script", "style", "title", "textarea", "xmp", "iframe", "noembed", "noframes",
                              "noscript")

    def __init__(self, line_starts: list[int]) -> None:
        super().__init__(convert_charrefs=False)
        self.line_starts = line_starts
        self.open: list[str] = []
        self.runs: list[tuple[int, str, bool]] = []  # offset, text, whether an inline element follows
        self.last_run = -1  # index of the run just read, while nothing else has come after it

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in INLINE and self.last_run >= 0:
            start, data, _ = self.runs[self.last_run]
            self.runs[self.last_run] = (start, data, True)
        self.last_run = -1
        if tag in LITERAL:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        self.last_run = -1
        if tag in self.open:
            del self.open[len(self.open) - 1 - self.open[::-1].index(tag):]

    def handle_data(self, data: str) -> None:
        if not self.open and self.cdata_elem is None:  # type: ignore[attr-defined]
            line, column = self.getpos()
            self.runs.append((self.line_starts[line - 1] + column, data, False))
            self.last_run = len(self.runs) - 1
        else:
            self.last_run = -1

    def handle_entityref(self, name: str) -> None:
        self.last_run = -1

    handle_charref = handle_comment = handle_entityref


def _text_runs(page: str) -> list[tuple[int, str, bool]]:
    starts = [0]
    newline = page.find("\n")
    while newline != -1:
        starts.append(newline + 1)
        newline = page.find("\n", newline + 1)
    finder = _Runs(starts)
    finder.feed(page)
    finder.close()
    return [run for run in finder.runs if page.startswith(run[1], run[0])]


def _prose_nodes(page: str) -> Iterator[str]:
    """The text of every text node that a browser shows as prose (outside LITERAL elements)."""
    root = LexborHTMLParser(page).root
    if root is not None:
        yield from _prose_below(root)


def _prose_below(node: LexborNode) -> Iterator[str]:
    stack = [node]  # not recursive: a hostile page may nest elements thousands deep
    while stack:
        for child in stack.pop().iter(include_text=True):
            if child.tag == "-text":
                yield child.text_content or ""
            elif child.tag not in LITERAL:
                stack.append(child)
