"""Text that samizdat would misread: Jinja's own delimiters in plain text, and Kramdown's attribute
lists, which Python-Markdown-like renderers print as text."""

from __future__ import annotations

import bisect
import re

_JINJA_OPENERS = re.compile(r"\{\{|\{%|\{##|\}\}|%\}")


def escape_jinja(text: str) -> str:
    """Plain text that must reach the page as written, though samizdat runs a page's text as a
    template first: each `{{`, `{%`, `{##` becomes an expression that prints it."""
    return _JINJA_OPENERS.sub(lambda m: '{{ "' + m.group(0) + '" }}' if m.group(0)[0] == "{" else m.group(0),
                              text)


class LineNumbers:
    """The line of any place in a text, for the notes. The line starts are found once and each place
    by bisection: counting the newlines from the start for every tag made a page of many tags
    quadratic (400,000 tags in 2 MB ran past five minutes)."""

    def __init__(self, text: str, first_line: int = 1) -> None:
        self.first_line = first_line
        self.starts = [0, *(newline.end() for newline in re.finditer("\n", text))]

    def at(self, offset: int) -> int:
        """The same number as `first_line + text.count("\\n", 0, offset)`."""
        return self.first_line + bisect.bisect_right(self.starts, offset) - 1


def jinja_comment(text: str) -> str:
    """Old template code kept for a person to redo, invisible to readers."""
    return "{## " + text.replace("##}", "# #}").replace("{##", "{ ##") + " ##}"


_TOC = re.compile(r"^(?:[*-] [^\n]*\n)?\{:\s*(?:\.no_toc\s*)?toc\s*\}[ \t]*$\n?", re.M)
_IAL_LINE = re.compile(r"^\{:(?!:)[^}\n]*\}[ \t]*$\n?", re.M)
_IAL_TAIL = re.compile(r"\{:(?!:)\s*[^}\n]*\}")
_EXTENSION = re.compile(r"\{::(\w+)[^}]*?/\}|\{::(\w+)[^}]*\}.*?\{:/(?:\2)?\}", re.S)


def kramdown(text: str) -> tuple[str, list[tuple[int, str]]]:
    """The text without Kramdown's `{:toc}`, attribute lists `{: .class}` and extensions `{::…}`,
    and what was taken out, with its line."""
    notes: list[tuple[int, str]] = []
    attribute_list = "Kramdown attribute list (add the class in HTML if it matters)"
    for pattern, what in ((_TOC, "table of contents (samizdat makes none; link the headings by hand)"),
                          (_EXTENSION, "Kramdown extension"), (_IAL_LINE, attribute_list), (_IAL_TAIL, attribute_list)):
        text = _cut(pattern, what, text, notes)
    return text, notes


def _cut(pattern: re.Pattern[str], what: str, text: str, notes: list[tuple[int, str]]) -> str:
    """The text without what the pattern finds, each piece noted with its line in this text."""
    lines = LineNumbers(text)

    def replace(match: re.Match[str]) -> str:
        notes.append((lines.at(match.start()), f"{what} `{match.group(0).strip()[:60]}` removed"))
        return ""

    return pattern.sub(replace, text)


_PRE = re.compile(r"(<(pre|textarea|script)\b.*?</\2\s*>)", re.S | re.I)


def html_as_markdown(text: str) -> str:
    """An `.html` page, which Jekyll and Hugo did not read as Markdown, kept as HTML when samizdat does:
    no line is indented (four spaces would make a code block) and no line is blank (a blank line ends
    an HTML block, and the text after it would be read as Markdown). Inside <pre> nothing changes."""
    pieces = _PRE.split(text)
    out: list[str] = []
    index = 0
    while index < len(pieces):
        piece = pieces[index]
        if index % 3 == 1:  # a <pre>…</pre> (the split also returns the tag name: skip it)
            out.append(piece)
            index += 2
            continue
        out.append("\n".join(line.strip() for line in piece.split("\n") if line.strip()))
        index += 1
    return "\n".join(part for part in out if part) + "\n"


_CODE_ELEMENTS = re.compile(
    r"<(script|object|embed|applet|frameset|portal|template|noscript|form)\b[^>]*>.*?</\1\s*>"
    r"|<(script|embed|base|frame)\b[^>]*/?>", re.S | re.I)
_HANDLER = re.compile(r"""(<[A-Za-z][^<>]*?)\s+on[a-zA-Z]+\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)""")
_CODE_URL = re.compile(r"""\b(href|src|action)\s*=\s*(["'])\s*(?:javascript|vbscript):[^"']*\2""", re.I)
_DATA_SCRIPT = re.compile(r"""type\s*=\s*["']?application/(ld\+)?json""", re.I)


def neutralise_code(text: str) -> tuple[str, list[tuple[int, str]]]:
    """Markup samizdat refuses in a page (see outputs/page_rules.py): scripts, plug-ins, forms, event
    handlers and `javascript:` links. Each is kept as a template comment (or its attribute removed) and
    noted, so the first build of the new site succeeds; the build's own check still guards the result."""
    notes: list[tuple[int, str]] = []
    lines = LineNumbers(text)  # of the text each step reads: made again after a step changes it

    def line_of(match: re.Match[str]) -> int:
        return lines.at(match.start())

    def element(match: re.Match[str]) -> str:
        if _DATA_SCRIPT.search(match.group(0)[:200]):
            return match.group(0)
        notes.append((line_of(match), f"`{match.group(0)[:50]}…` would run code or embed a document, which samizdat "
                                      "pages may not (docs/security.md); kept as a comment"))
        return jinja_comment(match.group(0))

    def handler(match: re.Match[str]) -> str:
        notes.append((line_of(match), "an event handler (on…=) removed: samizdat pages run no code from content"))
        return match.group(1)

    def code_url(match: re.Match[str]) -> str:
        notes.append((line_of(match), f"a {match.group(1)}=\"javascript:…\" replaced by #: it would run code"))
        return f'{match.group(1)}="#"'

    text = _CODE_ELEMENTS.sub(element, text)
    previous = None
    while previous != text:  # a tag with several handlers loses one per pass
        lines = LineNumbers(text)
        previous, text = text, _HANDLER.sub(handler, text)
    lines = LineNumbers(text)
    return _CODE_URL.sub(code_url, text), notes
