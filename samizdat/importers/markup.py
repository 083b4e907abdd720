"""Text that samizdat would misread: Jinja's own delimiters in plain text, and Kramdown's attribute
lists, which Python-Markdown-like renderers print as text."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator

from samizdat.line_numbers import LineNumbers

_JINJA_OPENERS = re.compile(r"\{\{|\{%|\{##|\}\}|%\}")


def escape_jinja(text: str) -> str:
    """Plain text that must reach the page as written, though samizdat runs a page's text as a
    template first: each `{{`, `{%`, `{##` becomes an expression that prints it."""
    return _JINJA_OPENERS.sub(lambda m: '{{ "' + m.group(0) + '" }}' if m.group(0)[0] == "{" else m.group(0),
                              text)


class NextMatch:
    """The first match of a pattern at or after any place in one text, for closing tags searched from each
    opening. The last search is remembered, so places asked in order cost one reading of the text in all:
    searching again from each of many unclosed openings was quadratic."""

    def __init__(self, pattern: re.Pattern[str], text: str) -> None:
        self.pattern, self.text = pattern, text
        self.searched_from, self.found = -1, None  # type: int, re.Match[str] | None

    def after(self, start: int) -> re.Match[str] | None:
        # The last search saw no match between its start and what it found (or the end of the text).
        if 0 <= self.searched_from <= start and (self.found is None or start <= self.found.start()):
            return self.found
        self.searched_from, self.found = start, self.pattern.search(self.text, start)
        return self.found


class TagFinder:
    """The first match of a tag pattern at or after any place, as `pattern.search(text, start)` finds it,
    for a pattern whose every match begins with one of some openings (`{%`) and ends with one of its
    closings (`%}`). An opening after the last of its closings cannot begin a match, so it is not tried:
    trying it read on to the end of the text, once for each unclosed `{%` of a page (quadratic)."""

    def __init__(self, pattern: re.Pattern[str], text: str, closings: dict[str, tuple[str, ...]]) -> None:
        self.pattern, self.text = pattern, text
        self.last_closing = {opening: max(text.rfind(end) for end in ends) for opening, ends in closings.items()}
        self.last = max(self.last_closing.values(), default=-1)
        # A look-ahead only, so openings that overlap (`{{%`) are each found.
        self.openings = re.compile("(?=(" + "|".join(map(re.escape, closings)) + "))")

    def search(self, start: int) -> re.Match[str] | None:
        pos = start
        while (opening := self.openings.search(self.text, pos)) is not None and opening.start() < self.last:
            begins = opening.start()
            if self.last_closing[opening.group(1)] >= begins + len(opening.group(1)):
                found = self.pattern.match(self.text, begins)
                if found is not None:
                    return found
            pos = begins + 1
        return None


def jinja_comment(text: str) -> str:
    """Old template code kept for a person to redo, invisible to readers."""
    return "{## " + text.replace("##}", "# #}").replace("{##", "{ ##") + " ##}"


_TOC = re.compile(r"^(?:[*-] [^\n]*\n)?\{:\s*(?:\.no_toc\s*)?toc\s*\}[ \t]*$\n?", re.M)
_IAL_LINE = re.compile(r"^\{:(?!:)[^}\n]*\}[ \t]*$\n?", re.M)
_IAL_OPEN = re.compile(r"\{:(?!:)\s*+")  # the spaces after it are read once, not again from each
_LINE_STOP = re.compile(r"[}\n]")
_EXTENSION_OPEN = re.compile(r"\{::(\w+)")
_EXTENSION_CLOSE = re.compile(r"\{:/(\w*)\}")
Spans = Callable[[str], Iterator[tuple[int, int]]]  # the places (start, end) of what to cut from a text


class ClosingTags:
    """Each closing tag of a text (`</script>`, `{:/}`), found in one reading and filed by name, so the
    closing tag of any opening is a look-up: a pattern that read on from each opening for its closing
    tag (`<script>.*?</script>`) read the rest of the text again for each unclosed one."""

    def __init__(self, pattern: re.Pattern[str], text: str, any_case: bool = False) -> None:
        self.found: dict[str, list[re.Match[str]]] = {}
        for match in pattern.finditer(text):
            self.found.setdefault(match.group(1).lower() if any_case else match.group(1), []).append(match)
        self.starts = {name: [match.start() for match in found] for name, found in self.found.items()}

    def first(self, names: tuple[str, ...], start: int) -> re.Match[str] | None:
        """The first closing tag of one of these names that begins at or after start."""
        candidates = []
        for name in names:
            place = bisect.bisect_left(self.starts.get(name, []), start)
            if place < len(self.starts.get(name, [])):
                candidates.append(self.found[name][place])
        return min(candidates, key=lambda match: match.start(), default=None)


def _extensions(text: str) -> Iterator[tuple[int, int]]:
    """Kramdown's extensions: `{::name …/}`, or `{::name …}` up to the first `{:/name}` or `{:/}`."""
    closing = ClosingTags(_EXTENSION_CLOSE, text)
    brace = NextMatch(re.compile("}"), text)
    pos = 0
    for opening in _EXTENSION_OPEN.finditer(text):
        if opening.start() < pos:
            continue
        head = brace.after(opening.end())
        if head is None:  # no `}` after it: no extension is complete from here on
            return
        end = head.end()
        if text[head.start() - 1] != "/":
            close = closing.first((opening.group(1), ""), end)
            if close is None:  # kept as text, as Kramdown would
                continue
            end = close.end()
        yield opening.start(), end
        pos = end


def _attribute_lists(text: str) -> Iterator[tuple[int, int]]:
    """Attribute lists within a line (`text{: .class}`): a `{:` (not `{::`) and the spaces after it (a
    line may end among them), then up to the first `}` if no line ends before it. The next `}` or line
    end is remembered: a pattern tried from each `{:` read the rest of its line again for each."""
    stop = NextMatch(_LINE_STOP, text)
    pos = 0
    for opening in _IAL_OPEN.finditer(text):
        if opening.start() < pos:
            continue
        end = stop.after(opening.end())
        if end is not None and end.group(0) == "}":
            yield opening.start(), end.end()
            pos = end.end()


def _found(pattern: re.Pattern[str]) -> Spans:
    return lambda text: (match.span() for match in pattern.finditer(text))


def kramdown(text: str) -> tuple[str, list[tuple[int, str]]]:
    """The text without Kramdown's `{:toc}`, attribute lists `{: .class}` and extensions `{::…}`,
    and what was taken out, with its line."""
    notes: list[tuple[int, str]] = []
    attribute_list = "Kramdown attribute list (add the class in HTML if it matters)"
    for spans, what in ((_found(_TOC), "table of contents (samizdat makes none; link the headings by hand)"),
                        (_extensions, "Kramdown extension"), (_found(_IAL_LINE), attribute_list),
                        (_attribute_lists, attribute_list)):
        text = _cut(spans, what, text, notes)
    return text, notes


def _cut(spans: Spans, what: str, text: str, notes: list[tuple[int, str]]) -> str:
    """The text without the pieces found, each noted with its line in this text."""
    lines = LineNumbers(text)

    def removed(start: int, piece: str) -> str:
        notes.append((lines.at(start), f"{what} `{piece.strip()[:60]}` removed"))
        return ""

    return _replaced(text, spans(text), removed)


_PRE_OPEN = re.compile(r"<(pre|textarea|script)\b", re.I)
_PRE_CLOSE = re.compile(r"</(pre|textarea|script)\s*>", re.I)


def _preformatted(text: str) -> Iterator[tuple[int, int]]:
    """Each <pre>, <textarea> and <script> up to its closing tag; one without is not one."""
    closing = ClosingTags(_PRE_CLOSE, text, any_case=True)
    pos = 0
    for opening in _PRE_OPEN.finditer(text):
        if opening.start() >= pos and (close := closing.first((opening.group(1).lower(),), opening.end())):
            yield opening.start(), close.end()
            pos = close.end()


def html_as_markdown(text: str) -> str:
    """An `.html` page, which Jekyll and Hugo did not read as Markdown, kept as HTML when samizdat does:
    no line is indented (four spaces would make a code block) and no line is blank (a blank line ends
    an HTML block, and the text after it would be read as Markdown). Inside <pre> nothing changes."""
    out: list[str] = []
    pos = 0
    for start, end in _preformatted(text):
        out += [_html_lines(text[pos:start]), text[start:end]]
        pos = end
    out.append(_html_lines(text[pos:]))
    return "\n".join(part for part in out if part) + "\n"


def _html_lines(text: str) -> str:
    return "\n".join(line.strip() for line in text.split("\n") if line.strip())


_CODE_NAMES = "script|object|embed|applet|frameset|portal|template|noscript|form"  # elements with a body
_BARE_CODE_NAMES = {"script", "embed", "base", "frame"}  # refused as a lone tag too
_CODE_OPEN = re.compile(rf"<({_CODE_NAMES}|base|frame)\b", re.I)
_CODE_CLOSE = re.compile(rf"</({_CODE_NAMES})\s*>", re.I)
# One handler after the tag's start or the last handler taken out, within the tag. The space before
# `on` is taken from its first character only ((?<!\s)): trying every space of a long run made a tag
# with a long run of spaces quadratic.
_NEXT_HANDLER = re.compile(r"""[^<>]*?(?<!\s)(\s+on[a-zA-Z]+\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))""")
_TAG_OPEN = re.compile(r"<[A-Za-z]")
_CODE_URL = re.compile(r"""\b(href|src|action)\s*=\s*(["'])\s*(?:javascript|vbscript):[^"']*\2""", re.I)
_DATA_SCRIPT = re.compile(r"""type\s*=\s*["']?application/(ld\+)?json""", re.I)


def _code_elements(text: str) -> Iterator[tuple[int, int]]:
    """`<script>…</script>` and the like up to the closing tag, else a lone `<script …>`, `<embed>`,
    `<base>`, `<frame>`: each opening's `>` and closing tag are look-ups, not a reading of the rest."""
    closing = ClosingTags(_CODE_CLOSE, text, any_case=True)
    tag_end = NextMatch(re.compile(">"), text)
    pos = 0
    for opening in _CODE_OPEN.finditer(text):
        if opening.start() < pos:
            continue
        head = tag_end.after(opening.end())
        if head is None:  # no `>` after it: no element is complete from here on
            return
        name = opening.group(1).lower()
        close = closing.first((name,), head.end()) if name != "base" and name != "frame" else None
        if close is not None or name in _BARE_CODE_NAMES:
            pos = close.end() if close is not None else head.end()
            yield opening.start(), pos


def _handlers(text: str) -> Iterator[tuple[int, int, int]]:
    """Each event handler (` onclick="…"`) as (its tag's start, its start, its end), every handler of a
    tag in one reading of it: taking one handler per tag per pass over the page made a tag with many
    handlers quadratic."""
    pos = 0
    for tag in _TAG_OPEN.finditer(text):
        if tag.start() < pos:  # inside a handler taken out
            continue
        pos = tag.end()
        while (found := _NEXT_HANDLER.match(text, pos)) is not None:
            yield tag.start(), found.start(1), found.end(1)
            pos = found.end(1)


def neutralise_code(text: str) -> tuple[str, list[tuple[int, str]]]:
    """Markup samizdat refuses in a page (see outputs/page_rules.py): scripts, plug-ins, forms, event
    handlers and `javascript:` links. Each is kept as a template comment (or its attribute removed) and
    noted, so the first build of the new site succeeds; the build's own check still guards the result."""
    notes: list[tuple[int, str]] = []
    text = _replaced(text, _code_elements(text), _element_kept(LineNumbers(text), notes))
    lines = LineNumbers(text)  # of the text each step reads: made again after a step changes it
    kept: list[str] = []
    pos = 0
    for tag, start, end in _handlers(text):
        notes.append((lines.at(tag), "an event handler (on…=) removed: samizdat pages run no code from content"))
        kept.append(text[pos:start])
        pos = end
    text = "".join(kept) + text[pos:]
    lines = LineNumbers(text)

    def code_url(match: re.Match[str]) -> str:
        notes.append((lines.at(match.start()), f"a {match.group(1)}=\"javascript:…\" replaced by #: it would run code"))
        return f'{match.group(1)}="#"'

    return _CODE_URL.sub(code_url, text), notes


def _element_kept(lines: LineNumbers, notes: list[tuple[int, str]]) -> Callable[[int, str], str]:
    """A code element as a template comment, noted; a JSON data block (structured data) as it is."""
    def kept(start: int, element: str) -> str:
        if _DATA_SCRIPT.search(element[:200]):
            return element
        notes.append((lines.at(start), f"`{element[:50]}…` would run code or embed a document, which samizdat "
                                       "pages may not (docs/security.md); kept as a comment"))
        return jinja_comment(element)
    return kept


def _replaced(text: str, spans: Iterator[tuple[int, int]], replace: Callable[[int, str], str]) -> str:
    """The text with each piece (start, end) replaced by what replace makes of its start and text."""
    out: list[str] = []
    pos = 0
    for start, end in spans:
        out += [text[pos:start], replace(start, text[start:end])]
        pos = end
    out.append(text[pos:])
    return "".join(out)
