"""Files published as they are: the site's assets/ and static/, the theme's files, page bundles."""

from __future__ import annotations

from pathlib import Path

from samizdat.config import SiteConfig
from samizdat.content.sources import ContentFile
from samizdat.content.urls import UnsafePath, confine
from samizdat.errors import ContentError, SourceLocation
from samizdat.outputs.security import HTACCESS_FILE
from samizdat.site_files import site_files
from samizdat.theme import THEME_URL

ASSETS_DIR = "assets"  # published at /assets/, as Jekyll does
STATIC_DIR = "static"  # published at the site root (CNAME, favicon.ico, .well-known/…)


def static_files(config: SiteConfig, theme_static: Path, content_files: list[ContentFile]) -> dict[str, Path]:
    """Output path → source file. The site's own files may replace the theme's; two of the site's own
    files at one output path are an error naming both."""
    files = _theme_tree(theme_static, THEME_URL.strip("/") + "/")
    own: dict[str, Path] = {}
    for rel, path in _site_files(config, content_files):
        other = own.setdefault(rel, path)
        if other != path:
            raise ContentError(
                f"two files would be published at /{rel}: this one and {SourceLocation(other)}",
                SourceLocation(path), hint="rename or remove one of them",
            )
    return files | own


def _site_files(config: SiteConfig, content_files: list[ContentFile]) -> list[tuple[str, Path]]:
    found = [*_tree(config.root / STATIC_DIR, "").items(), *_tree(config.root / ASSETS_DIR, ASSETS_DIR + "/").items()]
    for item in content_files:
        language = config.language(item.folder_language) if item.folder_language else None
        prefix = f"{language.prefix}/" if language and language.prefix else ""
        found.append((prefix + item.rel, item.path))  # discovery confined item.rel already
    return found


def _theme_tree(folder: Path, prefix: str) -> dict[str, Path]:
    """The theme ships with samizdat and may be installed through links (some system packages do that),
    so it is read as it is, not held to the rules for a site from strangers."""
    if not folder.is_dir():
        return {}
    return {prefix + path.relative_to(folder).as_posix(): path for path in sorted(folder.rglob("*"))
            if path.is_file() and not any(_hidden(p) for p in path.relative_to(folder).parts)}


def _tree(folder: Path, prefix: str) -> dict[str, Path]:
    return {_published_path(path, folder, prefix): path
            for path in site_files(folder, skip=lambda name: _hidden(name) and name != HTACCESS_FILE)}


def _published_path(path: Path, folder: Path, prefix: str) -> str:
    if path.name == HTACCESS_FILE:
        return _htaccess_path(path, folder, prefix)
    try:
        return confine(prefix + path.relative_to(folder).as_posix())
    except UnsafePath as exc:
        raise ContentError(f"this file name cannot be published: it has {exc.problem}", SourceLocation(path),
                           hint="rename the file or folder (letters, digits, - and _ are safe everywhere)") from None


def _htaccess_path(path: Path, folder: Path, prefix: str) -> str:
    """static/.htaccess is kept, after the generated one (assets/publish.py). One in a folder would be
    lost, and merged at the root its lines (a year's caching for /assets/) would reach every page."""
    if prefix or path.parent != folder:
        raise ContentError("only static/.htaccess is published (merged into the .htaccess samizdat writes)",
                           SourceLocation(path), hint="move its lines into static/.htaccess; they then apply "
                           "to the whole site (<FilesMatch> can limit them to some files)")
    return HTACCESS_FILE


def _hidden(part: str) -> bool:
    """Editor and system files (.DS_Store, .keep) stay out; .well-known/ is published (security.txt…)."""
    return part.startswith(".") and part != ".well-known"
