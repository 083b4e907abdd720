"""A one-line progress bar for long stages, shown only on a terminal so logs and CI output stay clean."""

from __future__ import annotations

from typing import TextIO

WIDTH = 30


class Progress:
    def __init__(self, label: str, total: int, stream: TextIO | None, min_items: int = 12) -> None:
        """min_items: below this many, the stage ends before a bar would be worth reading."""
        self.label, self.total, self.done = label, total, 0
        self.stream = stream if stream is not None and total >= min_items and stream.isatty() else None

    def step(self, count: int = 1) -> None:
        self.done += count
        if self.stream is not None:
            filled = WIDTH * self.done // self.total
            self.stream.write(f"\r{self.label} [{'#' * filled}{'.' * (WIDTH - filled)}] {self.done}/{self.total}")
            if self.done >= self.total:
                self.stream.write("\n")
            self.stream.flush()
