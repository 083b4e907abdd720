"""A one-line progress bar for long image runs, shown only on a terminal so logs stay clean."""

from __future__ import annotations

from typing import TextIO

MIN_ITEMS = 12  # fewer images than this finish before a bar would be worth reading
WIDTH = 30


class Progress:
    def __init__(self, total: int, stream: TextIO | None) -> None:
        self.total, self.done = total, 0
        self.stream = stream if stream is not None and total >= MIN_ITEMS and stream.isatty() else None

    def step(self) -> None:
        self.done += 1
        if self.stream is not None:
            filled = WIDTH * self.done // self.total
            self.stream.write(f"\rimages [{'#' * filled}{'.' * (WIDTH - filled)}] {self.done}/{self.total}")
            if self.done == self.total:
                self.stream.write("\n")
            self.stream.flush()
