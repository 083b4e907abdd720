"""`samizdat import jekyll|hugo SRC DEST`: a samizdat site from an existing one, built right away,
with a report of what was converted and what needs a person (DEST/IMPORT-REPORT.md)."""

from __future__ import annotations

from pathlib import Path

from samizdat.errors import SamizdatError
from samizdat.importers.report import ImportReport, ReportBuilder
from samizdat.importers.source import walk_source
from samizdat.importers.writer import SiteWriter, check_dest, write_site

REPORT_NAME = "IMPORT-REPORT.md"


def import_site(kind: str, src: Path, dest: Path, default_language: str | None = None) -> ImportReport:
    check_dest(dest)
    tree = walk_source(src)
    report = ReportBuilder()
    for skipped in tree.skipped:
        report.leave_out(skipped.rel, skipped.reason)
    if kind == "jekyll":
        from samizdat.importers.jekyll_site import plan_jekyll
        plan = plan_jekyll(tree, default_language, report)
    else:
        from samizdat.importers.hugo import plan_hugo
        plan = plan_hugo(tree, default_language, report)
    for file in tree.files:
        if file.rel not in report.converted and file.rel not in report.left_out:
            report.leave_out(file.rel, "not imported")
    writer = SiteWriter(dest)
    write_site(plan, writer)
    built = _build(dest)
    final = report.freeze("Jekyll" if kind == "jekyll" else "Hugo", str(src), built)
    writer.write(REPORT_NAME, final.markdown().encode())
    return final


def _build(dest: Path) -> str:
    from samizdat.build.command import build_site

    try:
        result = build_site(dest, dest / "_site")
    except SamizdatError as exc:
        return f"FAILED: {exc}"
    pages = sum(1 for rel in result.pages if rel.endswith(".html"))
    warnings = sum(1 for finding in result.findings if finding.severity == "warning")
    return f"built {pages} HTML files into {dest / '_site'}" + (
        f"; {warnings} warnings (samizdat build {dest} shows them)" if warnings else "")
