"""`samizdat import jekyll|hugo SRC DEST`: a samizdat site from an existing one, built right away,
with a report of what was converted and what needs a person (DEST/IMPORT-REPORT.md)."""

from __future__ import annotations

from pathlib import Path

from samizdat.errors import SamizdatError
from samizdat.importers.report import ImportReport, ReportBuilder
from samizdat.importers.source import walk_source
from samizdat.importers.writer import REPORT_NAME, SiteWriter, check_dest, check_plan, write_site

__all__ = ["REPORT_NAME", "import_site"]


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
    check_plan(plan, src)  # before the new site's folder is even made: a refusal leaves it as it was
    writer = SiteWriter(dest)
    write_site(plan, writer)
    sources = {f"content/{page.lang}/{page.rel}": page.source for page in plan.pages}
    built = _build(dest, sources, report)
    final = report.freeze("Jekyll" if kind == "jekyll" else "Hugo", str(src), built)
    writer.write(REPORT_NAME, final.markdown().encode())
    return final


MAX_SET_ASIDE = 20  # pages the first build may refuse before the import gives up and reports the failure


def _build(dest: Path, sources: dict[str, str], report: ReportBuilder) -> str:
    """Build the new site. A page the build refuses (markup the import did not foresee) is set aside as
    an unpublished `_name.md`, noted, and the build runs again: the new site is usable at once."""
    from samizdat.build.command import build_site

    for _ in range(MAX_SET_ASIDE):
        try:
            result = build_site(dest, dest / "_site")
        except SamizdatError as exc:
            if not _set_aside(dest, exc, sources, report):
                return f"FAILED: {exc}"
            continue
        pages = result.html_pages
        warnings = sum(1 for finding in result.findings if finding.severity == "warning")
        return f"built {pages} HTML files into {dest / '_site'}" + (
            f"; {warnings} warnings (samizdat build {dest} shows them)" if warnings else "")
    return f"FAILED: the build refused more than {MAX_SET_ASIDE} pages"


def _set_aside(dest: Path, exc: SamizdatError, sources: dict[str, str], report: ReportBuilder) -> bool:
    path = exc.location.path if exc.location else None
    if path is None or not path.is_file() or path.name.startswith("_"):
        return False
    try:
        rel = path.resolve().relative_to(dest.resolve()).as_posix()
    except ValueError:
        return False
    if rel not in sources or not rel.startswith("content/"):
        return False
    path.rename(path.with_name("_" + path.name))
    line = f" (line {exc.location.line} of the new file)" if exc.location and exc.location.line else ""
    report.note(sources[rel] or rel, f"the build refused it{line}: {exc.message}; kept unpublished as "
                                     f"{rel.rsplit('/', 1)[0]}/_{path.name}")
    return True
