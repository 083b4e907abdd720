"""Text that samizdat would misread: Jinja's own delimiters in plain text, and Kramdown's attribute
lists, which Python-Markdown-like renderers print as text."""

from __future__ import annotations

import re

_JINJA_OPENERS = re.compile(r"\{\{|\{%|\{##|\}\}|%\}")


def escape_jinja(text: str) -> str:
    """Plain text that must reach the page as written, though samizdat runs a page's text as a
    template first: each `{{`, `{%`, `{##` becomes an expression that prints it."""
    return _JINJA_OPENERS.sub(lambda m: '{{ "' + m.group(0) + '" }}' if m.group(0)[0] == "{" else m.group(0),
                              text)


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

    def cut(what: str) -> object:
        def replace(match: re.Match[str]) -> str:
            line = text.count("\n", 0, match.start()) + 1
            notes.append((line, f"{what} `{match.group(0).strip()[:60]}` removed"))
            return ""
        return replace

    text = _TOC.sub(cut("table of contents (samizdat makes none; link the headings by hand)"), text)  # type: ignore[arg-type]
    text = _EXTENSION.sub(cut("Kramdown extension"), text)  # type: ignore[arg-type]
    text = _IAL_LINE.sub(cut("Kramdown attribute list (add the class in HTML if it matters)"), text)  # type: ignore[arg-type]
    text = _IAL_TAIL.sub(cut("Kramdown attribute list (add the class in HTML if it matters)"), text)  # type: ignore[arg-type]
    return text, notes
