"""`samizdat new meeting|post`: the files for every language, facts filled in once, placeholders to write."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from samizdat.config import SiteConfig, load_config
from samizdat.content.meetings import MEETINGS_DIR
from samizdat.content.placeholders import placeholder
from samizdat.errors import SamizdatError

_SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_START_RE = re.compile(r"^\d{4}-\d{2}-\d{2}( \d{1,2}:\d{2})?$")


def new_meeting(site_root: Path, start: str, slug: str, end: str | None = None) -> list[Path]:
    config = load_config(site_root)
    for value, name in ((start, "--start"), (end, "--end")):
        if value is not None and not _START_RE.match(value.strip()):
            raise SamizdatError(f"{name} {value!r} is not a date or a date and time",
                                hint='write e.g. --start "2026-12-05 15:00" (local time) or --start 2026-12-05')
    name = f"{start.strip()[:10]}-{_checked_slug(slug)}"
    facts = [
        "# The facts of this meeting, written once for every language. See docs/meetings.md.",
        f'start: "{start.strip()}"',
        *([f'end: "{end.strip()}"'] if end else []),
        "status: planned            # planned, moved or cancelled",
        "place:",
        "  name:",
        *(f'    {lang.code}: "{placeholder(f"place name in {lang.name}")}"' for lang in config.languages),
        "  address:",
        *(f'    {lang.code}: "{placeholder(f"address in {lang.name}")}"' for lang in config.languages),
        "  # lat: 37.5701            # the map link (OpenStreetMap) is made from these",
        "  # lon: 126.9835",
        "# instagram: https://www.instagram.com/p/…/",
        "",
    ]
    files = {site_root / MEETINGS_DIR / f"{name}.yaml": "\n".join(facts)}
    files |= _texts(config, site_root, f"meetings/{name}.md", "")
    return _write_all(files)


def new_post(site_root: Path, slug: str, date: dt.date | None = None) -> list[Path]:
    config = load_config(site_root)
    day = (date or dt.date.today()).isoformat()
    return _write_all(_texts(config, site_root, f"news/{day}-{_checked_slug(slug)}.md", f"date: {day}\n"))


def _texts(config: SiteConfig, site_root: Path, rel: str, extra_front_matter: str) -> dict[Path, str]:
    return {
        site_root / "content" / lang.code / rel: (
            f'---\ntitle: "{placeholder(f"title in {lang.name}")}"\n{extra_front_matter}---\n\n'
            f"{placeholder(f'the text in {lang.name}')}\n"
        )
        for lang in config.languages
    }


def _checked_slug(slug: str) -> str:
    if not _SLUG_RE.match(slug):
        raise SamizdatError(f"--slug {slug!r} may hold only a-z, 0-9 and -", hint="e.g. --slug bosingak")
    return slug


def _write_all(files: dict[Path, str]) -> list[Path]:
    """Every file or none: an existing file is never overwritten."""
    existing = [path for path in files if path.exists()]
    if existing:
        raise SamizdatError(f"{existing[0]} already exists; nothing was written",
                            hint="choose another --slug, or edit the existing files")
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return list(files)
