"""Colour for the severity words of messages, on a terminal only, and never when NO_COLOR is set
(https://no-color.org) or the terminal says it cannot show it."""

from __future__ import annotations

import os
import re
from typing import TextIO

COLOURS = {"error": "\033[1;31m", "warning": "\033[33m", "info": "\033[36m", "hint": "\033[2m"}
RESET = "\033[0m"
_WORD_RE = re.compile(r"(?<![\w-])(error|warning|info|hint)(?=:| \[)")


# Control characters (C0 but newline and tab, DEL, C1) and the bidirectional overrides: text from a hostile
# site (a title, a layout's name, a file name) could otherwise clear the screen, move the cursor or show
# its words in another order. Shown as escapes instead: \x1b, \u202e.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """Text for a terminal: every character that could drive it written as an escape."""
    return _UNSAFE.sub(lambda match: repr(match[0])[1:-1], text)


def wants_colour(stream: TextIO) -> bool:
    if os.environ.get("NO_COLOR", "") != "" or os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def paint(text: str, stream: TextIO) -> str:
    """The first severity word of each line coloured, when the stream is a terminal that wants colour; the
    text's own control characters shown as escapes (printable)."""
    text = printable(text)
    if not wants_colour(stream):
        return text
    return "\n".join(_WORD_RE.sub(lambda m: f"{COLOURS[m[1]]}{m[1]}{RESET}", line, count=1)
                     for line in text.split("\n"))
