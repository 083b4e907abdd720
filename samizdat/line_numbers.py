"""The line of any place in a text, for errors and notes that name the line to edit.

The line starts are found once and each place by bisection: counting the newlines from the start for
every place made a page of many tags quadratic (400,000 tags in 2 MB ran past five minutes)."""

from __future__ import annotations

import bisect

# Lines looked at while tracing findings back to the line to edit, in one build or one check, all together.
# Each finding looks through its file's lines, so a stranger's page of twenty thousand problems, one a
# line, would cost 400 million looks (minutes): past this many, a finding names its file alone, as where
# samizdat cannot tell the line (checks/locate.py, outputs/page_safety.py).
LINES_LOOKED_AT = 20_000_000


class LineNumbers:
    """Places are offsets into `text`: characters of a str, bytes of a bytes (pulldown-cmark's ranges)."""

    def __init__(self, text: str | bytes, first_line: int = 1) -> None:
        self.first_line = first_line
        newline: str | bytes = "\n" if isinstance(text, str) else b"\n"
        self.starts = [0]
        found = text.find(newline)  # type: ignore[arg-type]
        while found != -1:
            self.starts.append(found + 1)
            found = text.find(newline, found + 1)  # type: ignore[arg-type]

    def at(self, offset: int) -> int:
        """The same number as `first_line + text.count("\\n", 0, offset)`."""
        return self.first_line + bisect.bisect_right(self.starts, offset) - 1
