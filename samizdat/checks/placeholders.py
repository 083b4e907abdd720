"""Placeholders (<<TODO: …>>) that scaffolding left for a person to replace, in any file a volunteer writes."""

from __future__ import annotations

from samizdat.checks.context import CheckContext
from samizdat.content.placeholders import find_placeholders
from samizdat.errors import SourceLocation
from samizdat.findings import Finding, finding


def check_placeholders(context: CheckContext) -> list[Finding]:
    findings = []
    for path in context.source_files:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        for line, mark in find_placeholders(text):
            findings.append(finding(
                "placeholder", f"placeholder left to fill in: {mark}", SourceLocation(path, line),
                hint="replace it with the real text",
            ))
    return findings
