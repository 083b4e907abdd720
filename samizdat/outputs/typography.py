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

import html
import re
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from typing import Any

from selectolax.lexbor import LexborHTMLParser, LexborNode

NBSP = "\u00a0"
# Elements whose text is code, literal, or not prose: never retouched.
LITERAL = frozenset({"code", "pre", "kbd", "samp", "var", "script", "style", "textarea", "title", "svg",
                     "math", "xmp", "iframe", "noembed", "noframes", "noscript", "template"})
_SPACE = r"[ \t\n\r\f]+"
# A token that is (or holds) an address: its characters must stay exactly as written.
_ADDRESS = re.compile(r"[^\s\x00]*(?:://|www\.|@)[^\s\x00]*")
# While the rules run, these stand for the word an inline element brings after a run ("на <a>сайте</a>")
# and for an address: a word follows, whose letters the rules must not see.
WORD = "\ue000"
ADDRESS = "\ue001"
# The runs of a page are set in one pass, joined by this: no rule reaches across it, as none matches it.
RUN_END = "\x00"
_MARKS = (WORD, ADDRESS, RUN_END)
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
    (rf"(?<![\w.])([А-ЯЁA-Z]\.){_SPACE}(?=[А-ЯЁA-Z{WORD}{ADDRESS}])", rf"\1{NBSP}"),
    (rf"(?<![\w\-])(?!(?:же|ли|ль|бы)(?!\w))({_SHORT_RU}){_SPACE}(?=[\w«„\"(№{WORD}{ADDRESS}])", rf"\1{NBSP}"),
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
    return typeset_runs([(text, word_follows)], language)[0]


def typeset_runs(runs: list[tuple[str, bool]], language: str) -> list[str]:
    """Each run of text (with whether a word follows it) set for `language`, all in one pass of the rules."""
    usable = [index for index, (text, _) in enumerate(runs) if not any(mark in text for mark in _MARKS)]
    joined = RUN_END.join(runs[index][0] + (WORD if runs[index][1] else "") for index in usable)
    addresses = _ADDRESS.findall(joined)
    pieces = _apply(_ADDRESS.sub(ADDRESS, joined), rules_for(language)).split(ADDRESS)
    result = pieces[0] + "".join(address + piece for address, piece in zip(addresses, pieces[1:], strict=True))
    texts = [text for text, _ in runs]  # a run holding a mark is left as it is (a hostile page's trick)
    for index, text in zip(usable, result.replace(WORD, "").split(RUN_END), strict=True):
        texts[index] = text
    return texts


def _apply(text: str, rules: tuple[Rule, ...]) -> str:
    for pattern, replacement in rules:
        text, count = pattern.subn(replacement, text)
        if count:  # again, so that overlapping neighbours (в и на) are both joined: a match takes its space
            text = pattern.sub(replacement, text)
    return text


def typeset_page(page: str, language: str) -> str:
    """The page with the text of its prose set for `language`; every other byte stays as it was.

    lexbor reads the page; each text node that changes is found again in the page's source, after the
    one before it, and replaced there. The result is read again: unless it is the same tree with exactly
    those texts changed (a text written with entities, or also found in an attribute before its place),
    the page is set the slow way, by the stdlib tokenizer's offsets.
    """
    before = _shape(LexborHTMLParser(page))
    prose = [index for index, item in enumerate(before) if item[2] and item[1].strip()]
    if not prose:
        return page
    texts = typeset_runs([(before[index][1], before[index][3]) for index in prose], language)
    changes = {index: text for index, text in zip(prose, texts, strict=True) if text != before[index][1]}
    if not changes:
        return page
    edited = _edit_in_place(page, before, prose, changes)
    expected = [(*item[:1], changes[index], *item[2:]) if index in changes else item
                for index, item in enumerate(before)]
    if edited is not None and _shape(LexborHTMLParser(edited)) == expected:
        return edited
    return _typeset_tokenized(page, language)


def _edit_in_place(page: str, shape: list[Shape], prose: list[int], changes: dict[int, str]) -> str | None:
    """The page with each changed text replaced where it is found after the previous one, or None."""
    parts: list[str] = []
    cursor = done = 0
    for index in prose:
        old = shape[index][1]
        at, written, write = _find(page, old, cursor)
        if at == -1:
            if index in changes:
                return None
            continue  # written with other entities: it changes nothing, so it need not be found
        if index in changes:
            parts += [page[done:at], write(changes[index])]
            done = at + len(written)
        cursor = at + len(written)
    return "".join(parts) + page[done:]


def _find(page: str, text: str, cursor: int) -> tuple[int, str, Callable[[str], str]]:
    """Where `text` is written after `cursor`, as it is or with &amp; &lt; &gt; (as Markdown writes them)."""
    at = page.find(text, cursor)
    if at != -1:
        return at, text, _as_is
    written = _escaped(text)
    return page.find(written, cursor), written, _escaped


def _as_is(text: str) -> str:
    return text


def _escaped(text: str) -> str:
    return html.escape(text, quote=False)


# One node of a parsed page, in document order: (tag, text or attributes, is prose, a word follows it).
Shape = tuple[str, Any, bool, bool]


def _shape(tree: LexborHTMLParser) -> list[Shape]:
    """Every node of the page: elements with their attributes, texts with whether they are prose."""
    root = tree.root
    if root is None:
        return []
    shape: list[Shape] = []
    stack: list[tuple[LexborNode, bool, bool]] = [(root, False, False)]  # not recursive: hostile pages nest deep
    while stack:
        node, literal, follows = stack.pop()
        if node.tag == "-text":
            shape.append(("-text", node.text_content or "", not literal, follows))
            continue
        shape.append((node.tag or "", tuple(node.attributes.items()), False, False))
        children = list(node.iter(include_text=True))
        for position in range(len(children) - 1, -1, -1):
            child = children[position]
            inside = literal or child.tag in LITERAL
            stack.append((child, inside, position + 1 < len(children) and children[position + 1].tag in INLINE))
    return shape


def _typeset_tokenized(page: str, language: str) -> str:
    """typeset_page() by the stdlib tokenizer's offsets of each run of text: slower, any page."""
    runs = [run for run in _text_runs(page) if rules_for(language) and run[1].strip()]
    if not runs:
        return page
    prose = "\x00".join(_prose_nodes(page))
    # A run the browser reads otherwise (inside code, an attribute…) is left as it is.
    runs = [run for run in runs if run[1] in prose]
    parts: list[str] = []
    done = 0
    for (start, raw, _), text in zip(runs, typeset_runs([(raw, follows) for _, raw, follows in runs], language),
                                     strict=True):
        parts += [page[done:start], text]
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
