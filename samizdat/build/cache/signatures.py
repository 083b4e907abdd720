"""What each page's output depends on, named by content hashes: equal signature, equal bytes.

A page depends on the site-wide inputs every page reads (engine, config, theme files, meeting facts,
which template files exist, and the table of every page's URL and menu entry, which the switcher and
menus read) and on its own source. What else it reads (other pages' fields through listings, which
pages are listed, which meetings are past, data files, interface strings, the template files it uses)
is not declared here: it is recorded while the page renders (outputs/reads.py) and checked on the next
build (reads.py, build/dependencies.py). File times are never used: a fresh clone resets them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

from samizdat.config import CONFIG_NAME, SiteConfig
from samizdat.content.pages import Page
from samizdat.engine import engine_id
from samizdat.theme import ThemePaths


def _digest(parts: Iterable[str | bytes]) -> str:
    hasher = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "little"))
        hasher.update(data)
    return hasher.hexdigest()


def _files(folders: Iterable[Path], pattern: str = "*") -> list[str | bytes]:
    parts: list[str | bytes] = []
    for folder in folders:
        if folder.is_dir():
            for path in sorted(folder.rglob(pattern)):
                if path.is_file():
                    parts += [path.as_posix(), path.read_bytes()]
    return parts


def _names(folders: Iterable[Path]) -> list[str | bytes]:
    """Which template files exist where: what a page may choose among (layouts, shortcodes), not their text,
    which the pages that use a template record (outputs/reads.py)."""
    return [f"{number}\t{path.relative_to(folder).as_posix()}"
            for number, folder in enumerate(folders) if folder.is_dir()
            for path in sorted(folder.rglob("*")) if path.is_file()]


def _url_line(page: Page) -> str:
    return (f"{page.key}\t{page.language.code}\t{page.url}\t{page.menu}\t{page.data.get('menu_title', '')}\t"
            f"{page.title if page.menu is not None else ''}")


class UrlTable:
    """The URL table of the last build, for the dev server's next one: a page that is the same object (the
    parse cache keeps an unchanged source's) has the same line, and the same lines sort the same."""

    def __init__(self) -> None:
        self.lines: dict[str, tuple[Page, str]] = {}  # output path → (page, its line)
        self.unsorted: list[str] = []
        self.digest = ""  # of the lines, sorted

    def of(self, pages: list[Page]) -> str:
        """The digest of every page's line, in order."""
        lines: dict[str, tuple[Page, str]] = {}
        for page in pages:
            known = self.lines.get(page.output_path)
            lines[page.output_path] = known if known is not None and known[0] is page else (page, _url_line(page))
        unsorted = [line for _, line in lines.values()]
        if unsorted != self.unsorted or not self.digest:
            self.unsorted, self.digest = unsorted, _digest(sorted(unsorted))
        self.lines = lines
        return self.digest


def site_signature(config: SiteConfig, theme: ThemePaths, pages: list[Page], last: UrlTable | None = None) -> str:
    """last: the URL table of the last build in this process (RenderCache.url_table), brought up to date here."""
    url_table = (last or UrlTable()).of(pages)  # hashed apart: 10,000 lines, the same from one save to the next
    root = config.root
    return _digest([
        engine_id(),
        (root / CONFIG_NAME).read_bytes(),
        *_names(theme.template_dirs),
        *_files([theme.static_dir]),
        *_files([root / "meetings"]),
        # Per-language data (data/<lang>/) is merged over the shared files before templates see it; reads
        # are recorded against the shared data only, so a language's own file counts for every page.
        *_files([root / "data" / language.code for language in config.languages]),
        *_files([root / "assets", root / "static"], "site.css"),  # linked by every page, with its hash
        *_files([root / "assets", root / "static"], "favicon.*"),
        url_table,
    ])


def notice_of(outdated_source: Page | None) -> str:
    """What a translation's "out of date" notice shows of its source: part of the page's inputs."""
    return f"{outdated_source.url}\t{outdated_source.language.code}" if outdated_source else ""


def page_signature(page: Page, site: str, notice: str, source_digest: str = "") -> str:
    """A page's own inputs. What it reads of other pages (listings) is recorded as it renders and checked
    apart (dependencies.py). notice: notice_of() the page this translation follows, when that changed since.
    source_digest: the sha256 of the source file's bytes (sources.py: Parsed.digest), which with the config
    (in `site`) decide the page: its text is then not hashed again. Empty for pages the build makes."""
    scheduled = "scheduled" if page.scheduled else ""
    if source_digest:
        # Named, not hashed: every build compares the signature of each of thousands of kept pages, and
        # hashing them was most of that. `site` and the digest are 64 hex digits, the lengths set the path
        # and the notice apart, so two different sets of inputs never write the same text.
        path = page.path_text
        return f"{site}{source_digest}{len(path)}:{path}{len(notice)}:{notice}{scheduled}"
    return _digest([site, page.path_text, "\n".join(page.front_matter.lines), page.body, notice, scheduled])
