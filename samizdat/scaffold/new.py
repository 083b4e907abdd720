"""`samizdat new meeting|post`: the files for every language, facts filled in once, placeholders to write."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from samizdat.config import SiteConfig, load_config
from samizdat.content.clock import FORMAT_HINT, BadMoment, clock_change, parse_moment
from samizdat.content.meetings import MEETINGS_DIR
from samizdat.content.placeholders import placeholder
from samizdat.errors import SamizdatError, shown
from samizdat.i18n.strings import load_catalogs
from samizdat.theme import theme_paths

MAX_SLUG = 80  # characters: a short name for a URL, far below the 255 bytes a file's name may hold
_SLUG_RE = re.compile(rf"^[a-z0-9][a-z0-9-]{{0,{MAX_SLUG - 1}}}$")
STATUSES = ("planned", "moved", "cancelled")


@dataclass(frozen=True)
class Written:
    """What a person already wrote for one language (the editor's meeting form); empty means a placeholder."""

    title: str = ""
    text: str = ""
    place_name: str = ""
    address: str = ""


def new_meeting(site_root: Path, start: str, slug: str, end: str | None = None,
                now: dt.datetime | None = None, written: Mapping[str, Written] | None = None,
                status: str = "planned") -> list[Path]:
    """Refuses what the build would refuse (an impossible date or hour, an end before the start, a time
    the clocks skip), so that no file is written that breaks every build after it. `written`: texts
    by language code, filled in where a placeholder would be."""
    config = load_config(site_root)
    zone = ZoneInfo(config.timezone)
    begins = _moment(start, "--start", zone)
    if end is not None and _as_moment(_moment(end, "--end", zone), zone) < _as_moment(begins, zone):
        raise SamizdatError(f"--end {end!r} is before --start {start!r}; nothing was written",
                            hint="check the day and the hour of both")
    name = f"{start.strip()[:10]}-{_checked_slug(slug)}"
    announced = (now or dt.datetime.now(dt.UTC)).astimezone(zone).strftime("%Y-%m-%d %H:%M")
    if status not in STATUSES:
        raise SamizdatError(f"unknown status {status!r}; nothing was written",
                            hint=f"use one of: {', '.join(STATUSES)}")
    own = written or {}

    def value(code: str, field: str, what: str) -> str:
        return _quoted(getattr(own.get(code, Written()), field) or placeholder(what))

    facts = [
        "# The facts of this meeting, written once for every language. See docs/meetings.md.",
        f'start: "{start.strip()}"',
        *([f'end: "{end.strip()}"'] if end else []),
        f"status: {status}            # planned, moved or cancelled",
        f'announced: "{announced}"   # the date of its entry in the feeds; set updated: too when it changes',
        "place:",
        "  name:",
        *(f"    {lang.code}: {value(lang.code, 'place_name', f'place name in {lang.name}')}"
          for lang in config.languages),
        "  address:",
        *(f"    {lang.code}: {value(lang.code, 'address', f'address in {lang.name}')}" for lang in config.languages),
        "  # lat: 37.5701            # the map link (OpenStreetMap) is made from these",
        "  # lon: 126.9835",
        "# instagram: https://www.instagram.com/p/…/",
        "",
    ]
    files = {site_root / MEETINGS_DIR / f"{name}.yaml": "\n".join(facts)}
    files |= _texts(config, site_root, f"meetings/{name}.md", "", own)
    return _write_all(files | _section_pages(config, site_root, "meetings", "meetings_title"), site_root)


def new_post(site_root: Path, slug: str, date: dt.date | None = None) -> list[Path]:
    """The post in every language, and the news page itself where a language has none yet: without
    it the post's language switcher and the "all news" links would lead to a missing page."""
    config = load_config(site_root)
    day = (date or dt.date.today()).isoformat()
    files = _texts(config, site_root, f"news/{day}-{_checked_slug(slug)}.md", f"date: {day}\n")
    return _write_all(files | _section_pages(config, site_root, "news", "news_title"), site_root)


def new_page(site_root: Path, path: str) -> list[Path]:
    """A page in every language at content/<language>/<path>.md, e.g. --path about/team."""
    config = load_config(site_root)
    parts = path.strip().strip("/").removesuffix(".md").split("/")
    for part in parts:
        if not _SLUG_RE.match(part):
            raise SamizdatError(f"--path {shown(path)}: each part may hold only a-z, 0-9 and - "
                                f"(at most {MAX_SLUG} of them)",
                                hint="e.g. --path about or --path about/team")
    return _write_all(_texts(config, site_root, "/".join(parts) + ".md", ""), site_root)


SECTION_FILES = ("index.md", "index.markdown", "index.html")


def _section_pages(config: SiteConfig, site_root: Path, section: str, title_key: str) -> dict[Path, str]:
    """The section's own page (content/<language>/news/index.md) for each language that lacks it."""
    catalogs = load_catalogs(list(theme_paths(config).string_dirs), config.languages, config.default_language.code)
    files = {}
    for lang in config.languages:
        folder = site_root / "content" / lang.code
        if any((folder / section / name).exists() for name in SECTION_FILES) or (folder / f"{section}.md").exists():
            continue
        title = catalogs.lookup(lang.code, title_key).replace('"', "'")
        files[folder / section / "index.md"] = f'---\ntitle: "{title}"\n---\n'
    return files


def _texts(config: SiteConfig, site_root: Path, rel: str, extra_front_matter: str,
           written: Mapping[str, Written] | None = None) -> dict[Path, str]:
    own = written or {}
    return {
        site_root / "content" / lang.code / rel: (
            f"---\ntitle: {_quoted(own.get(lang.code, Written()).title or placeholder(f'title in {lang.name}'))}\n"
            f"{extra_front_matter}---\n\n"
            f"{own.get(lang.code, Written()).text.strip() or placeholder(f'the text in {lang.name}')}\n"
        )
        for lang in config.languages
    }


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar holding exactly this one line (JSON's escapes are YAML's)."""
    line = " ".join(text.split())  # one line: breaks of every kind (U+2028 too) become spaces
    return json.dumps(line, ensure_ascii=False)


def _moment(text: str, option: str, zone: ZoneInfo) -> dt.datetime | dt.date:
    try:
        moment = parse_moment(text, zone)
    except BadMoment as exc:
        raise SamizdatError(f"{option}: {exc}; nothing was written", hint=FORMAT_HINT.replace('"2026', '--start "2026')
                            ) from None
    change = clock_change(moment) if isinstance(moment, dt.datetime) else None
    if change is not None and change.kind == "gap":
        raise SamizdatError(f"{option}: {change.describe(moment)}; nothing was written", hint=change.hint(moment))
    if change is not None:
        print(f"warning: {option}: {change.describe(moment)}\n  hint: {change.hint(moment)}", file=sys.stderr)
    return moment


def _as_moment(value: dt.datetime | dt.date, zone: ZoneInfo) -> dt.datetime:
    return value if isinstance(value, dt.datetime) else dt.datetime.combine(value, dt.time(), zone)


def _checked_slug(slug: str) -> str:
    if not _SLUG_RE.match(slug):
        raise SamizdatError(f"--slug {shown(slug)} may hold only a-z, 0-9 and - (at most {MAX_SLUG} of them)",
                            hint="e.g. --slug bosingak")
    return slug


def _write_all(files: dict[Path, str], site_root: Path) -> list[Path]:
    """Every file or none: an existing file is never overwritten, and nothing is written through a link a
    site brings (`meetings/` linked to a folder elsewhere): each file is made new, inside real folders."""
    for path in files:
        walked = site_root
        for part in path.relative_to(site_root).parts:
            walked = walked / part
            if walked.is_symlink():
                raise SamizdatError(f"{walked} is a symbolic link; nothing was written",
                                    hint="replace the link with the folder or file itself: samizdat writes only "
                                         "real files inside the site folder")
    existing = [path for path in files if os.path.lexists(path)]
    if existing:
        raise SamizdatError(f"{existing[0]} already exists; nothing was written",
                            hint="choose another --slug, or edit the existing files")
    made: list[Path] = []  # files, and folders that did not exist, in the order they were made
    try:
        for path, text in files.items():
            missing = [folder for folder in path.parents if folder.is_relative_to(site_root) and not folder.exists()]
            for folder in reversed(missing):
                folder.mkdir()
                made.append(folder)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
            made.append(path)
            with os.fdopen(fd, "w", encoding="utf-8") as file:
                file.write(text)
    except OSError as exc:  # a full disk, a folder that is not writable: what was made so far goes
        for made_path in reversed(made):
            with contextlib.suppress(OSError):
                made_path.rmdir() if made_path.is_dir() else made_path.unlink()
        raise SamizdatError(f"could not write {exc.filename or site_root}: {exc.strerror or exc}; nothing was written",
                            hint="check that the site folder is writable and the disk has room") from exc
    return list(files)
