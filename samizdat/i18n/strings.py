"""UI string catalogs: YAML files a translator edits, per language, theme first, then the site."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from samizdat.config import Language
from samizdat.content.frontmatter import load_yaml
from samizdat.content.sources import read_text
from samizdat.errors import ContentError, SourceLocation

FALLBACK_LANGUAGE = "en"
# The editor's own words (`samizdat edit`) share the theme's files; pages never show them, so a language
# without them is not missing anything its readers see.
EDITOR_PREFIX = "editor_"


@dataclass(frozen=True)
class Catalogs:
    by_language: Mapping[str, Mapping[str, str]]
    default_language: str

    def lookup(self, code: str, key: str) -> str:
        """The string in this language, else in the site's default language, else English."""
        for candidate in (code, self.default_language, FALLBACK_LANGUAGE):
            value = self.by_language.get(candidate, {}).get(key)
            if value is not None:
                return value
        raise KeyError(key)

    def missing(self, code: str) -> list[str]:
        """Keys the fallback catalog has that this language lacks (for warnings)."""
        own = self.by_language.get(code, {})
        return sorted(k for k in self.by_language.get(FALLBACK_LANGUAGE, {})
                      if k not in own and not k.startswith(EDITOR_PREFIX))


def load_catalogs(folders: list[Path], languages: tuple[Language, ...], default: str) -> Catalogs:
    """Later folders override earlier ones key by key (theme, then site)."""
    codes = {lang.code for lang in languages} | {FALLBACK_LANGUAGE}
    merged: dict[str, dict[str, str]] = {code: {} for code in codes}
    for folder in folders:
        for code in codes:
            path = folder / f"{code}.yaml"
            if path.is_file():
                merged[code].update(_read_catalog(path))
    return Catalogs(merged, default)


def _read_catalog(path: Path) -> dict[str, str]:
    data: Any = load_yaml(read_text(path), path) or {}
    if not isinstance(data, dict):
        raise ContentError("a strings file must be a list of `key: text` lines", SourceLocation(path, 1))
    for key, value in data.items():
        if not isinstance(value, str):
            raise ContentError(f"string {key!r} must be text", SourceLocation(path), hint="quote the text")
    return data
