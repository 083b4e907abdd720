"""Data files: data/*.yaml, the same in every language (photo rows), and data/<language>/*.yaml, one
language's own values, which replace the shared file of the same name in that language's pages."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from samizdat.content.frontmatter import load_yaml
from samizdat.content.sources import read_text
from samizdat.site_files import site_files


def load_data(site_root: Path) -> dict[str, Any]:
    """The shared data, by name (data/photo-rows.yaml is `data.photo_rows`)."""
    return _folder(site_root / "data")


def load_language_data(site_root: Path, codes: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Language code → that language's own data, from data/<code>/*.yaml (languages without a folder
    are left out)."""
    result = {}
    for code in codes:
        folder = site_root / "data" / code
        if folder.is_dir() and not folder.is_symlink():
            result[code] = _folder(folder)
    return result


def _folder(folder: Path) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for path in site_files(folder):
        if path.parent == folder and _is_yaml(path):
            data[path.stem.replace("-", "_")] = load_yaml(read_text(path), path)
    return data


def _is_yaml(path: Path) -> bool:
    return path.suffix in (".yaml", ".yml")
