"""One type for everything a build or a check wants a person to look at."""

from __future__ import annotations

from typing import NamedTuple

from samizdat.errors import SourceLocation

SEVERITIES = ("error", "warning", "info", "off")

# Every kind of finding, with its default severity; `[check] severity` in samizdat.toml overrides these.
FINDING_CODES: dict[str, str] = {
    "third-party-load": "error",
    "tracking-link": "error",
    "http-link": "error",
    "broken-link": "error",
    "broken-anchor": "error",
    "missing-file": "error",
    "missing-alt": "error",
    "heading-skip": "warning",
    "duplicate-id": "error",
    "placeholder": "error",
    "unsafe-markup": "error",  # code or a way off the site in content (the build refuses it)
    "unsafe-header": "error",  # a site's _headers that would loosen the security headers (refused too)
    "svg-cleaned": "warning",  # an SVG was published without scripts, outside references or embedded pictures
    "svg-metadata": "info",  # an SVG was published without its editor data, metadata or comments
    "translation-missing": "warning",
    "translation-outdated": "warning",
    "translation-untracked": "info",
    "data-translation-missing": "warning",
    "ui-strings": "warning",
    "unreviewed-faces": "warning",
    "missing-home": "error",  # no home page in the default language: / would be a 404
    "draft": "info",  # a page kept back from publication by `draft: true` or `published: false`
    "scheduled": "info",  # a post dated after the build's day, kept back until then
}


class Finding(NamedTuple):  # a named tuple for "nothing changed", as SourceLocation (errors.py)
    severity: str  # "error", "warning" or "info"
    message: str
    location: SourceLocation | None = None
    hint: str | None = None
    code: str | None = None  # one of FINDING_CODES, so a site can change its severity

    def __str__(self) -> str:
        kind = f" [{self.code}]" if self.code else ""
        head = f"{self.location}: {self.severity}{kind}: {self.message}" if self.location else (
            f"{self.severity}{kind}: {self.message}")
        return f"{head}\n  hint: {self.hint}" if self.hint else head

    def with_severity(self, severity: str) -> Finding:
        return self._replace(severity=severity)


def finding(code: str, message: str, location: SourceLocation | None = None, hint: str | None = None) -> Finding:
    """A finding at its code's default severity."""
    return Finding(FINDING_CODES[code], message, location, hint, code)
