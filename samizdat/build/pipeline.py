"""The build, top to bottom: config → sources → pages → translations → render → static → write."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from samizdat.build.timings import Timings
from samizdat.build.writer import check_output_folder, write_output
from samizdat.config import SiteConfig, load_config
from samizdat.content.data import load_data
from samizdat.content.pages import Page, make_page
from samizdat.content.sources import discover
from samizdat.content.translation_status import outdated_sources, translation_findings, translation_status
from samizdat.content.translations import check_unique_outputs, link_translations
from samizdat.errors import ContentError, SourceLocation
from samizdat.findings import Finding, finding
from samizdat.i18n.strings import Catalogs, load_catalogs
from samizdat.outputs.render import VARS_CSS, Renderer
from samizdat.outputs.security import SecurityPolicy, policy_files, secure_pages
from samizdat.outputs.static import static_files
from samizdat.theme import THEME_URL, theme_paths

NOT_FOUND_TEMPLATE = "404.html"


@dataclass
class SiteOutput:
    """A whole built site in memory: what `build` writes and what `serve` serves."""

    config: SiteConfig
    pages: dict[str, bytes]  # output path → rendered bytes
    copies: dict[str, Path]  # output path → file published as it is
    findings: list[Finding] = field(default_factory=list)
    timings: Timings = field(default_factory=Timings)
    sources: dict[str, Page] = field(default_factory=dict)  # output path → the page it was rendered from


def render_site(site_root: Path) -> SiteOutput:
    timings = Timings()
    with timings.stage("config"):
        config = load_config(site_root)
        theme = theme_paths(config)
    with timings.stage("discover"):
        sources, content_files = discover(config)
    with timings.stage("parse"):
        pages = [make_page(source, config) for source in sources]
    # Output clashes are checked before rendering so the message names both source files.
    with timings.stage("link"):
        check_unique_outputs(pages)
        index = link_translations(pages, config)
        status = translation_status(index, config)
    with timings.stage("data"):
        data = load_data(config.root)
        catalogs = load_catalogs(list(theme.string_dirs), config.languages, config.default_language.code)
    with timings.stage("render"):
        renderer = Renderer(config, theme, catalogs, index, data, outdated_sources(status))
        rendered = {page.output_path: renderer.render(page) for page in pages}
        rendered |= _not_found_pages(renderer, config, rendered)
        rendered[THEME_URL.strip("/") + "/" + VARS_CSS] = renderer.vars_css()
    with timings.stage("secure"):
        policy = SecurityPolicy(config.check.allow_origins).with_scripts_of(rendered)
        rendered = secure_pages(rendered, policy, config.origin) | policy_files(policy)
    with timings.stage("static"):
        copies = static_files(config, theme.static_dir, content_files)
        _check_static_clashes(copies, pages)
    findings = translation_findings(status) + _string_findings(catalogs, config)
    sources = {page.output_path: page for page in pages}
    return SiteOutput(config, rendered, copies, findings, timings, sources)


def build_site(site_root: Path, out_dir: Path | None = None) -> SiteOutput:
    out_dir = out_dir or site_root / "_site"
    check_output_folder(out_dir, site_root)
    output = render_site(site_root)
    with output.timings.stage("write"):
        write_output(out_dir, output.pages, output.copies)
    return output


def _not_found_pages(renderer: Renderer, config: SiteConfig, rendered: dict[str, bytes]) -> dict[str, bytes]:
    """A 404 page per language, and the root 404.html that static hosts serve, unless the site has its own."""
    if NOT_FOUND_TEMPLATE.removesuffix(".html") not in renderer.layouts:
        return {}
    result = {}
    for language in config.languages:
        path = f"{language.prefix}/404.html" if language.prefix else "404.html"
        if path not in rendered:
            result[path] = renderer.render_special(NOT_FOUND_TEMPLATE, language, "/" + path)
    return result


def _check_static_clashes(copies: dict[str, Path], pages: list[Page]) -> None:
    by_output = {page.output_path: page for page in pages}
    for rel, source in copies.items():
        if rel in by_output:
            raise ContentError(
                f"the file {rel} would overwrite the page from {SourceLocation(by_output[rel].path)}",
                SourceLocation(source),
                hint="rename the file or change the page's permalink",
            )


def _string_findings(catalogs: Catalogs, config: SiteConfig) -> list[Finding]:
    findings = []
    for language in config.languages:
        missing = catalogs.missing(language.code)
        if missing:
            findings.append(finding(
                "ui-strings",
                f"{len(missing)} interface string(s) not translated to {language.code}: {', '.join(missing[:5])}"
                + ("…" if len(missing) > 5 else ""),
                hint=f"add them to strings/{language.code}.yaml in the site folder",
            ))
    return findings
