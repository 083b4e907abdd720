"""Data files (data/*.yaml): facts that are the same in every language, such as photo rows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from samizdat.content.frontmatter import load_yaml
from samizdat.content.sources import read_text
from samizdat.site_files import site_files


def load_data(site_root: Path) -> dict[str, Any]:
    folder = site_root / "data"
    data: dict[str, Any] = {}
    for path in site_files(folder):
        if path.parent == folder and _is_yaml(path):
            data[path.stem.replace("-", "_")] = load_yaml(read_text(path), path)
    return data


def _is_yaml(path: Path) -> bool:
    return path.suffix in (".yaml", ".yml")
