"""Files published as they are: the site's assets/ and static/, the theme's files, page bundles."""

from __future__ import annotations

from pathlib import Path

from samizdat.config import SiteConfig
from samizdat.content.sources import ContentFile
from samizdat.theme import THEME_URL

ASSETS_DIR = "assets"  # published at /assets/, as Jekyll does
STATIC_DIR = "static"  # published at the site root (CNAME, favicon.ico, .well-known/…)


def static_files(config: SiteConfig, theme_static: Path, content_files: list[ContentFile]) -> dict[str, Path]:
    """Output path → source file."""
    files: dict[str, Path] = {}
    files |= _tree(theme_static, THEME_URL.strip("/") + "/")
    files |= _tree(config.root / STATIC_DIR, "")
    files |= _tree(config.root / ASSETS_DIR, ASSETS_DIR + "/")
    for item in content_files:
        language = config.language(item.folder_language) if item.folder_language else None
        prefix = f"{language.prefix}/" if language and language.prefix else ""
        files[prefix + item.rel] = item.path
    return files


def _tree(folder: Path, prefix: str) -> dict[str, Path]:
    if not folder.is_dir():
        return {}
    return {
        prefix + path.relative_to(folder).as_posix(): path
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not any(_hidden(p) for p in path.relative_to(folder).parts)
    }


def _hidden(part: str) -> bool:
    """Editor and system files (.DS_Store, .keep) stay out; .well-known/ is published (security.txt…)."""
    return part.startswith(".") and part != ".well-known"
