"""The marks that scaffolding (`samizdat init`, `samizdat new …`) leaves for a person to replace.

A placeholder is written `<<TODO: what to write here>>`, so it is easy to see in an editor, survives
Markdown as visible text, and can be found by the build and by `samizdat check`.
"""

from __future__ import annotations

import re

PLACEHOLDER_RE = re.compile(r"<<TODO:[^>]*>>")


def placeholder(what: str) -> str:
    return f"<<TODO: {what}>>"


def find_placeholders(text: str) -> list[tuple[int, str]]:
    """(line number, placeholder) for each placeholder in a file's text, lines counted from 1."""
    return [
        (text.count("\n", 0, match.start()) + 1, match.group(0)) for match in PLACEHOLDER_RE.finditer(text)
    ]
