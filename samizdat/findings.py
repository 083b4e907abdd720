"""One type for everything a build or a check wants a person to look at."""

from __future__ import annotations

from dataclasses import dataclass

from samizdat.errors import SourceLocation


@dataclass(frozen=True)
class Finding:
    severity: str  # "error", "warning" or "info"
    message: str
    location: SourceLocation | None = None
    hint: str | None = None

    def __str__(self) -> str:
        head = f"{self.location}: {self.severity}: {self.message}" if self.location else (
            f"{self.severity}: {self.message}")
        return f"{head}\n  hint: {self.hint}" if self.hint else head
