"""Build the site in memory (the output folder is not touched), run every check, weigh the findings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from samizdat.build.options import BuildOptions
from samizdat.build.pipeline import render_site
from samizdat.checks.accessibility import check_accessibility
from samizdat.checks.context import CheckContext
from samizdat.checks.links import check_links
from samizdat.checks.placeholders import check_placeholders
from samizdat.checks.privacy import check_privacy
from samizdat.config_sections import CheckConfig
from samizdat.findings import FINDING_CODES, Finding

CHECKS: tuple[Callable[[CheckContext], list[Finding]], ...] = (
    check_privacy, check_links, check_accessibility, check_placeholders,
)
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True)
class CheckReport:
    findings: tuple[Finding, ...]
    pages: int

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)


def check_site(site_root: Path) -> CheckReport:
    output = render_site(site_root, BuildOptions(refuse_unsafe=False, notes=True))  # unsafe markup: findings
    context = CheckContext.build(output)
    # The build's own: translations, interface strings. Its warning about an <img> from another host is
    # told by the privacy check, for every element that loads from one, at the line it finds.
    found = [item for item in output.findings if item.code != "third-party-load"]
    for check in CHECKS:
        found += check(context)
    return CheckReport(weigh(found, output.config.check), len(context.parsed))


def weigh(findings: list[Finding], settings: CheckConfig) -> tuple[Finding, ...]:
    """The site's severities applied, "off" dropped, the same finding from many pages named once, in file order."""
    unique: dict[tuple[str, str, str], Finding] = {}
    for item in findings:
        default = FINDING_CODES.get(item.code or "", item.severity)  # a build warning may be a check error
        severity = settings.severity_of(item.code, default)
        if severity != "off":
            unique.setdefault((item.code or "", str(item.location), item.message), item.with_severity(severity))
    return tuple(sorted(unique.values(), key=_order))


def _order(item: Finding) -> tuple[str, int, int]:
    location = item.location
    return (str(location.path) if location else "", (location.line or 0) if location else 0,
            SEVERITY_ORDER.get(item.severity, 3))
