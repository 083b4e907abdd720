"""Build the site in memory (the output folder is not touched), run every check, weigh the findings."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from samizdat.build.cache.caches import BuildCaches
from samizdat.build.cache.store import Store
from samizdat.build.command import CACHE_DIR
from samizdat.build.lock import cache_lock
from samizdat.build.options import BuildOptions
from samizdat.build.pipeline import render_site
from samizdat.checks.accessibility import check_accessibility
from samizdat.checks.context import CheckContext
from samizdat.checks.links import check_links
from samizdat.checks.placeholders import check_placeholders
from samizdat.checks.privacy import check_privacy
from samizdat.config_sections import CheckConfig
from samizdat.errors import OutputError
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
    with _last_build(site_root) as caches:
        # unsafe markup: findings, not a refusal
        output = render_site(site_root, BuildOptions(refuse_unsafe=False, notes=True), caches=caches)
        context = CheckContext.build(output)  # a page kept in the store is read from it here
        # The build's own: translations, interface strings. Its warning about an <img> from another host is
        # told by the privacy check, for every element that loads from one, at the line it finds.
        found = [item for item in output.findings if item.code != "third-party-load"]
        for check in CHECKS:
            found += check(context)
        return CheckReport(weigh(found, output.config.check), len(context.parsed))


@contextmanager
def _last_build(site_root: Path) -> Iterator[BuildCaches | None]:
    """What the last `samizdat build` kept (build/cache/), so that only what changed since is rendered: the
    check of the bench's 3,000 files rendered them all, 6 of its 8 seconds, and `samizdat deploy` runs it
    before every publish. Read, never saved: a check changes nothing a build relies on; what it files on
    the way is rolled back with the store's connection. Under the site cache's lock, as a build; where
    that cannot be taken (a read-only site folder), the check renders everything, as before."""
    if not site_root.is_dir():
        yield None  # the build says the site is missing, in its words
        return
    with ExitStack() as held:
        try:
            held.enter_context(cache_lock(site_root / CACHE_DIR))
        except OutputError:
            yield None
            return
        store = Store.open(site_root)
        held.callback(store.close)
        yield BuildCaches(store)


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
