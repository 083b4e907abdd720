"""The answer of a build that found nothing to do: a module of its own, without the build's outputs, so
that `samizdat build` can give it having imported almost nothing."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from samizdat.build.timings import Timings
    from samizdat.findings import Finding
    from samizdat.images.report import ImageReport


class NothingChanged(NamedTuple):  # a named tuple, as SourceLocation (errors.py): no dataclasses imported
    """What `samizdat build` answers when every input and the output are as the last build left them:
    nothing was read, rendered or written. Its own type, so no caller mistakes it for an empty site.
    It holds no config: the answer reads nothing of the site but its files' stat data."""

    findings: tuple[Finding, ...]  # the last build's, as the user should still see them
    html_pages: int
    files: int
    images: ImageReport
    timings: Timings
