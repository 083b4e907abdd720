"""`samizdat translated PATH`: record that a translation now follows its source's current text.

Only the `translation_of:` line of the front matter is written; every other byte of the file stays as
it was. The source's paragraphs are saved in SITE/.samizdat/translations.json so that, once the source
changes, `samizdat status` can show what changed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from samizdat.config import CONFIG_NAME, SiteConfig, load_config
from samizdat.content.pages import Page, make_page
from samizdat.content.sources import discover
from samizdat.content.translation_status import (
    HISTORY_FILE,
    TRANSLATION_OF,
    UNTRACKED,
    body_hash,
    load_history,
    paragraphs,
    recorded_language,
    recorded_source,
    refuse_history_links,
    source_language,
    translation_status,
)
from samizdat.content.translations import TranslationIndex, link_translations
from samizdat.errors import ContentError, SourceLocation
from samizdat.site_files import replace_file


@dataclass(frozen=True)
class Marked:
    page: Page
    source: Page
    hash: str


def site_root_of(path: Path) -> Path:
    if (path / CONFIG_NAME).is_file():
        raise ContentError("the site folder is not a page", SourceLocation(path),
                           hint="give the translated pages (content/ru/about.md), or add --all to mark every "
                           "translation that records no source yet")
    for folder in path.resolve().parents:
        if (folder / CONFIG_NAME).is_file():
            return folder
    raise ContentError(f"{path} is not inside a site folder", SourceLocation(path),
                       hint=f"give a page below a folder that holds {CONFIG_NAME}")


def load_pages(site_root: Path) -> tuple[SiteConfig, TranslationIndex]:
    config = load_config(site_root)
    sources, _ = discover(config)
    return config, link_translations([make_page(source.read(), config) for source in sources], config)


def mark_translated(path: Path, source_code: str | None = None) -> Marked:
    config, index = load_pages(site_root_of(path))
    page = next((p for group in index.by_key.values() for p in group.values()
                 if p.path.resolve() == path.resolve()), None)
    if page is None:
        raise ContentError(f"{path} is not a page of the site", SourceLocation(path),
                           hint="give a Markdown or HTML file under content/")
    group = index.by_key[page.key]
    code = source_code or recorded_language(page) or source_language(group, config)
    source = group.get(code)
    if source is None or source is page:
        other = ", ".join(c for c in group if c != page.language.code) or "none"
        problem = f"there is no {code} version of this page" if source is None else "a page cannot translate itself"
        raise ContentError(
            f"{problem}, so this cannot be marked as its translation", SourceLocation(path),
            hint=f"name the source language with --from (other versions of this page: {other})",
        )
    digest = body_hash(source.body)
    # Read before anything is written: a damaged history must not leave the page changed alone.
    history = load_history(config.root)
    _check_history_folder(config.root)
    # Quoted: a hash of digits alone would otherwise be read back as a number.
    _write_front_matter_line(path, f'{TRANSLATION_OF}: {{lang: {code}, hash: "{digest}"}}')
    _save_history(config.root, history, digest, paragraphs(source.body), index, page)
    return Marked(page, source, digest)


def mark_untracked(site_root: Path) -> list[Marked]:
    """`samizdat translated --all`: every translation that records no source yet (a site just imported or
    started), marked as following its source's current text. An outdated translation is not among them:
    it is known to lag behind, and only a person who has updated it may say it is current."""
    config, index = load_pages(site_root)
    status = translation_status(index, config)
    untracked = sorted((entry.page.path, entry.source.language.code) for row in status.values()
                       for entry in row.values() if entry.state == UNTRACKED and entry.page and entry.source)
    return [mark_translated(path, code) for path, code in untracked]


def _write_front_matter_line(path: Path, line: str) -> None:
    text = path.read_bytes().decode("utf-8")
    nl = "\r\n" if "\r\n" in text.split("\n", 1)[0] + "\n" else "\n"
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    lines = text.removeprefix(bom).splitlines(keepends=True)
    if not lines or lines[0].rstrip("\r\n") != "---":
        lines = ["---" + nl, line + nl, "---" + nl, *lines]
    else:
        end = next((i for i in range(1, len(lines)) if lines[i].rstrip("\r\n") == "---"), None)
        if end is None:
            raise ContentError("front matter starts with --- but never ends", SourceLocation(path, 1),
                               hint="close the front matter with a line holding only ---")
        start = next((i for i in range(1, end) if lines[i].startswith(f"{TRANSLATION_OF}:")), None)
        if start is None:
            lines.insert(end, line + nl)
        else:
            stop = start + 1
            while stop < end and lines[stop][:1] in (" ", "\t"):  # the old value's indented lines
                stop += 1
            lines[start:stop] = [line + nl]
    replace_file(path, (bom + "".join(lines)).encode("utf-8"))


def _check_history_folder(root: Path) -> None:
    refuse_history_links(root)
    folder = (root / HISTORY_FILE).parent
    if folder.exists() and not folder.is_dir():
        raise ContentError("the translation history's folder is a file", SourceLocation(folder),
                           hint=f"move it away: samizdat keeps {HISTORY_FILE} in this folder")


def _save_history(root: Path, history: dict[str, list[str]], digest: str, source_paragraphs: list[str],
                  index: TranslationIndex, marked: Page) -> None:
    """Keep the source text each translation follows; forget versions no translation follows any more."""
    history[digest] = source_paragraphs
    in_use = {digest}
    for group in index.by_key.values():
        for page in group.values():
            recorded = recorded_source(page) if page is not marked else None
            if recorded:
                in_use.add(recorded.hash)
    history = {k: v for k, v in sorted(history.items()) if k in in_use}
    target = root / HISTORY_FILE
    data = (json.dumps(history, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    try:
        target.parent.mkdir(exist_ok=True)
        replace_file(target, data)
    except OSError as exc:
        raise ContentError(f"cannot write the translation history: {exc.strerror or exc}", SourceLocation(target),
                           hint="make the folder writable, then run the command again") from exc


