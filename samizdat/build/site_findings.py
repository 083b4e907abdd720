"""What the build tells a person besides errors: missing translations, untranslated interface words,
placeholders left from scaffolding."""

from __future__ import annotations

from pathlib import Path

from samizdat.build.load import LoadedSite
from samizdat.content.data_languages import missing_language_texts
from samizdat.content.placeholders import find_placeholders
from samizdat.content.sources import read_text
from samizdat.content.translation_status import Made, translation_findings
from samizdat.errors import SourceLocation
from samizdat.findings import Finding, finding


def site_findings(site: LoadedSite, made: Made | None = None, notes: bool = False) -> list[Finding]:
    """made: the translation findings of the dev server's last save (build/cache/memos.py), or None.
    notes: the findings of severity info are wanted too (BuildOptions.notes)."""
    marks = [(item.page.path, item.placeholders) for item in site.parsed if item.placeholders]
    marks += [(meeting.path, tuple(find_placeholders(read_text(meeting.path)))) for meeting in site.meetings.values()]
    return (site.findings + translation_findings(site.status, site.config, made, notes) + _string_findings(site)
            + missing_language_texts(site.config) + _placeholder_findings(marks))


def _placeholder_findings(files: list[tuple[Path, tuple[tuple[int, str], ...]]]) -> list[Finding]:
    return [
        Finding("warning", f"placeholder left to fill in: {mark}", SourceLocation(path, line),
                hint="replace it with the real text", code="placeholder")
        for path, marks in files for line, mark in marks
    ]


def _string_findings(site: LoadedSite) -> list[Finding]:
    findings = []
    for language in site.config.languages:
        missing = site.catalogs.missing(language.code)
        if missing:
            findings.append(finding(
                "ui-strings",
                f"{len(missing)} interface string(s) not translated to {language.code}: {', '.join(missing[:5])}"
                + ("…" if len(missing) > 5 else ""),
                hint=f"add them to strings/{language.code}.yaml in the site folder",
            ))
    return findings
