"""What every check reads: the site built in memory, each page parsed, and where its sources are."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from samizdat.build.output import SiteOutput
from samizdat.checks.html import ParsedPage, parse_page
from samizdat.checks.locate import Locator
from samizdat.config import SiteConfig
from samizdat.content.pages import Page
from samizdat.errors import SourceLocation
from samizdat.theme import theme_paths

SKIPPED_SCHEMES = ("mailto:", "tel:", "sms:", "data:", "javascript:")


@dataclass(frozen=True)
class CheckContext:
    config: SiteConfig
    output: SiteOutput
    parsed: dict[str, ParsedPage]  # output path → the page's elements (HTML pages only)
    locator: Locator
    source_files: list[Path]  # every file a volunteer writes: pages, data, the site's templates and strings
    _ids: dict[str, frozenset[str]] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def build(cls, output: SiteOutput) -> CheckContext:
        config = output.config
        parsed = {path: parse_page(data.decode("utf-8")) for path, data in output.pages.items()
                  if path.endswith(".html")}
        data_files = sorted((config.root / "data").glob("*.y*ml"))
        site_templates = _files(config.root / "templates")
        all_templates = [p for folder in theme_paths(config).template_dirs for p in _files(folder)]
        strings = _files(config.root / "strings")
        pages = sorted(page.path for page in output.sources.values())
        locator = Locator(data_files, all_templates)
        return cls(config, output, parsed, locator, pages + data_files + site_templates + strings)

    def ids_of(self, output_path: str) -> frozenset[str]:
        """The ids on a page, as a set made once (a page of 20,000 anchors was a list looked through per link)."""
        ids = self._ids.get(output_path)
        if ids is None:
            ids = self._ids[output_path] = frozenset(self.parsed[output_path].ids)
        return ids

    def page_of(self, output_path: str) -> Page | None:
        return self.output.sources.get(output_path)

    def locate(self, output_path: str, needles: list[str], occurrence: int = 0) -> SourceLocation | None:
        return self.locator.find(self.page_of(output_path), needles, occurrence)

    def internal_path(self, output_path: str, url: str) -> str | None:
        """The site path a link points at (e.g. /en/about/), or None for another site or a non-web link."""
        url = url.strip()
        if not url or url.startswith(SKIPPED_SCHEMES):
            return None
        parts = urlsplit(url)
        origin = f"{parts.scheme or 'https'}://{parts.netloc}".lower()
        if (parts.scheme or parts.netloc) and origin != self.config.origin:
            return None
        page_url = "/" + posixpath.dirname(output_path) + "/"
        path = unquote(parts.path) if parts.path else "/" + output_path
        joined = posixpath.normpath(posixpath.join(page_url, path))
        return joined + "/" if path.endswith("/") and joined != "/" else joined

    def output_file(self, site_path: str) -> str | None:
        """The output file a site path is served from, as a static host would find it."""
        rel = site_path.lstrip("/")
        candidates = [rel + "index.html"] if site_path.endswith("/") else [rel, rel + "/index.html", rel + ".html"]
        return next((c for c in candidates if c in self.output.pages or c in self.output.copies), None)


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []
