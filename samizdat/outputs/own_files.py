"""The site's own stylesheet and icon, linked from every page when they exist, with a content hash
in the URL so that a visitor's browser never keeps an old copy."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from samizdat.content.sources import read_plain
from samizdat.site_files import site_file

SITE_STYLESHEET = "assets/site.css"
# The first that exists wins over the theme's favicon.svg: the group's own mark, not samizdat's.
SITE_ICONS = (("static/favicon.svg", "/favicon.svg", "image/svg+xml"), ("static/favicon.png", "/favicon.png",
              "image/png"), ("static/favicon.ico", "/favicon.ico", "image/x-icon"),
              ("assets/favicon.svg", "/assets/favicon.svg", "image/svg+xml"),
              ("assets/favicon.png", "/assets/favicon.png", "image/png"))


@dataclass(frozen=True)
class OwnFile:
    url: str  # with ?v=<hash>
    type: str = ""


def site_stylesheet(root: Path) -> OwnFile | None:
    digest = _digest(root, SITE_STYLESHEET)
    return OwnFile(f"/{SITE_STYLESHEET}?v={digest}", "text/css") if digest else None


def site_icon(root: Path) -> OwnFile | None:
    for rel, url, kind in SITE_ICONS:
        digest = _digest(root, rel)
        if digest:
            return OwnFile(f"{url}?v={digest}", kind)
    return None


def _digest(root: Path, rel: str) -> str | None:
    if not os.path.lexists(root / rel):
        return None
    path = site_file(root, rel)  # a link or a special file in its place is refused, naming it
    return hashlib.sha256(read_plain(path)).hexdigest()[:10]
