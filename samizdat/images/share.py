"""The picture a page is shared with (front matter `image:`, else the site's `image`), checked like a link.

The theme writes it as <meta property="og:image">: a missing or unpublished file there would give every
share of the page a broken preview, so it is refused at the line that names it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from pathlib import Path

from samizdat.config import SiteConfig
from samizdat.errors import ImageError, SourceLocation
from samizdat.images.locate import Reference, locate
from samizdat.images.rewrite import site_path_of

_META_RE = re.compile(rb"""<meta\s+(?:property|name)\s*=\s*["'](?:og|twitter):image["']\s+content\s*=\s*"([^"]*)\"""",
                      re.IGNORECASE)
HINT = "name a file the site publishes, from the site folder, e.g. image: assets/share.jpg"


def check_share_images(config: SiteConfig, pages: Iterable[tuple[str, Path | None, bytes]],
                       published: dict[str, Path]) -> None:
    """Each (page output, page source, rendered bytes): its share picture must be a published file."""
    for output, source, body in pages:
        if b":image" not in body:
            continue
        for raw in set(_META_RE.findall(body)):
            url = html.unescape(raw.decode("utf-8", "replace"))
            _check_one(config, url, output, source, published)


def _check_one(config: SiteConfig, url: str, output: str, source: Path | None, published: dict[str, Path]) -> None:
    written = url.removeprefix(config.base_url) if config.base_url else url
    site_path = site_path_of(written, "/") if written.startswith("/") else None
    if site_path is not None and site_path in published:
        return
    shown = written.lstrip("/") if site_path is not None else written
    ref = Reference(shown, site_path or shown, output, source)
    where = locate(ref, config.root)
    if where.line is None and config.config_path.is_file():
        where = _config_line(config.config_path) or where
    reason = "is not a file the site publishes" if site_path is not None else "is not a file of the site"
    raise ImageError(f"the share picture {shown} {reason}: shared links would show a broken image", where,
                     hint=HINT)


def _config_line(path: Path) -> SourceLocation | None:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if re.match(r"\s*image\s*=", line):
            return SourceLocation(path, number)
    return None
