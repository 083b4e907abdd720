"""The marks that scaffolding (`samizdat init`, `samizdat new …`) leaves for a person to replace.

A placeholder is written `<<TODO: what to write here>>`, so it is easy to see in an editor, survives
Markdown as visible text, and can be found by the build and by `samizdat check`.
"""

from __future__ import annotations

OPENING = "<<TODO:"


def placeholder(what: str) -> str:
    return f"<<TODO: {what}>>"


def find_placeholders(text: str) -> list[tuple[int, str]]:
    """(line number, placeholder) for each placeholder in a file's text, lines counted from 1: each
    `<<TODO:` up to the first `>`, when a second `>` follows it.

    Found by hand, not by the pattern `<<TODO:[^>]*>>`: tried at each of many `<<TODO:` with no `>>` after
    them, that pattern read on to the next `>` every time, which took seconds for a page of 100 KB. Here
    the text is read once, and so are its lines."""
    found: list[tuple[int, str]] = []
    line, counted, start = 1, 0, text.find(OPENING)
    while start != -1:
        end = text.find(">", start + len(OPENING))
        if end == -1:
            break  # no '>' further on: no placeholder either
        if text.startswith(">>", end):
            line += text.count("\n", counted, start)
            counted = start
            found.append((line, text[start:end + 2]))
            end += 2
        # An opening between this one and its '>' ends at that same '>': the next to try is after it.
        start = text.find(OPENING, end)
    return found
