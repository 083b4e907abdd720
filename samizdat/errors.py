"""The error tree. Every error a user can cause names its place and what to do."""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import NamedTuple


# Named tuples, not dataclasses, for the few records that "nothing changed" builds: importing dataclasses
# (and the inspect module it loads) and making a class with it is a sixth of that whole answer's time.
class SourceLocation(NamedTuple):
    path: Path
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        text = _display_path(self.path)
        if self.line is not None:
            text += f":{self.line}"
            if self.column is not None:
                text += f":{self.column}"
        return text


def _display_path(path: Path) -> str:
    """Paths relative to the working folder read better in a terminal. Thousands of findings are
    formatted in a build, so this is string work, not a file-system walk."""
    return _display_text(os.fspath(path), os.getcwd())


@functools.lru_cache(maxsize=16384)  # the dev server formats the same findings on every save
def _display_text(text: str, cwd: str) -> str:
    path = text
    # Paths in findings are mostly absolute already; normalising them again was most of a build's time here.
    absolute = text if os.path.isabs(text) and "/." not in text and "//" not in text else os.path.abspath(text)
    text = absolute[len(cwd) + 1:] if absolute.startswith(cwd + os.sep) else path
    return text if text.isprintable() else _escaped(text)


def _escaped(text: str) -> str:
    """A file name from a hostile site may hold a newline or a terminal escape: shown as \\n, \\x1b…, so
    it can neither split the message nor move the cursor."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


class SamizdatError(Exception):
    """An error caused by the site's files or the command line, shown without a traceback."""

    def __init__(
        self, message: str, location: SourceLocation | None = None, hint: str | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.location = location
        self.hint = hint

    def __str__(self) -> str:
        head = f"{self.location}: {self.message}" if self.location else self.message
        return f"{head}\n  hint: {self.hint}" if self.hint else head

    def __reduce__(self) -> tuple[type, tuple[str, SourceLocation | None, str | None]]:
        # Pages render in worker processes; an error must cross back with its place and hint.
        return (self.__class__, (self.message, self.location, self.hint))


class ConfigError(SamizdatError):
    """samizdat.toml is missing or wrong."""


class ContentError(SamizdatError):
    """A content page, data file or string catalog is wrong."""


class TemplateError(SamizdatError):
    """A Jinja2 template (layout, partial or a page's own template code) failed."""


class RunawayTemplateError(TemplateError):
    """Template code took more work or memory than any page needs (template_bounds.py). A layout that does
    it would do it on every page, so the build stops rendering there."""


class OutputError(SamizdatError):
    """The output folder cannot be written safely."""


class ImageError(ContentError):
    """An image that a page refers to is missing, damaged, unsupported or too large, or masking failed."""


MAX_REPORTED = 20  # enough to fix a batch at once; more would scroll the first ones away


class ManyErrors(SamizdatError):
    """Several mistakes found in one build (each page's template error, say), told together."""

    def __init__(self, errors: list[SamizdatError]) -> None:
        super().__init__(f"{len(errors)} problems", None, None)
        self.errors = errors

    def __str__(self) -> str:
        # Each page that fails the same way (a broken layout every page uses) is one problem, told once.
        counts: dict[str, int] = {}
        for error in self.errors:
            counts[str(error)] = counts.get(str(error), 0) + 1
        lines = [text if count == 1 else f"{text}\n  (the same on {count} pages)"
                 for text, count in list(counts.items())[:MAX_REPORTED]]
        more = len(counts) - MAX_REPORTED
        tail = [f"… and {more} more problem(s); fix these and build again"] if more > 0 else []
        return "\nerror: ".join(lines + tail)

    def __reduce__(self) -> tuple[type, tuple[list[SamizdatError]]]:  # type: ignore[override]
        return (self.__class__, (self.errors,))


def raise_all(errors: list[SamizdatError]) -> None:
    """Nothing for no error, the error itself for one, every one of them for several."""
    distinct = list({str(error): error for error in errors}.values())
    if len(distinct) == 1:
        raise errors[0]
    if errors:
        raise ManyErrors(errors)


class ImportSourceError(SamizdatError):
    """`samizdat import` cannot read the old site or cannot write the new one safely."""


def shown(value: object, limit: int = 61) -> str:
    """A value as a message quotes it (its repr), cut after `limit` characters: a 3,000-letter zone or
    slug from a site's files would otherwise fill the volunteer's terminal."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "…"
