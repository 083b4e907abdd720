"""UI string catalogs: YAML files a translator edits, per language, theme first, then the site."""

from __future__ import annotations

import string
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


class PlaceholderError(ValueError):
    """An interface string that asks for more than `{name}` placeholders."""


_FORMAT = string.Formatter()


def fill(text: str, values: Mapping[str, object]) -> str:
    """The string with each `{name}` replaced by that value as text (`{{` and `}}` are braces).

    Not str.format: a strings file comes from the site folder, and Python's format language reads
    attributes and items (`{site.__class__…}`), which runs outside the template sandbox. A site's own
    template handing a page to t() with such a string printed the builder's environment variables (a
    deploy token) into the page; and a width (`{site:>9999999999}`) asks for gigabytes."""
    parts: list[str] = []
    for literal, field, spec, conversion in _FORMAT.parse(text):  # ValueError for a lone { or }
        parts.append(literal)
        if field is None:
            continue
        if not field.isidentifier() or spec or conversion:
            raise PlaceholderError(f"{{{field}{'!' + conversion if conversion else ''}{':' + spec if spec else ''}}} "
                                   "is not a placeholder: one may only name a value, such as {site}")
        if field not in values:
            raise PlaceholderError(f"{{{field}}} names no value here (it may use {_names(values)})")
        parts.append(str(values[field]))
    return "".join(parts)


def _names(values: Mapping[str, object]) -> str:
    return ", ".join(f"{{{name}}}" for name in sorted(values)) or "none"


def placeholder_problem(text: str, theirs: str | None) -> str | None:
    """Why a site's string cannot stand where the theme's string `theirs` (same key) is filled in, or None:
    a placeholder that names more than a value (fill's rule), or one the theme's string does not have. A
    string the theme fills with no value is shown as it is, lone braces and all; its placeholders, if any,
    must still be names, as a site's template may fill it."""
    names = _fields(theirs or "")
    try:
        own = [field for _, field, _, _ in _FORMAT.parse(text) if field is not None]
    except ValueError:
        return "a lone { or }: write {{ or }} for a brace" if names else None
    try:
        fill(text, dict.fromkeys(names or own, ""))
    except PlaceholderError as exc:
        return str(exc)
    return None


def _fields(text: str) -> list[str]:
    try:
        return [field for _, field, _, _ in _FORMAT.parse(text) if field]
    except ValueError:
        return []


def load_catalogs(folders: list[Path], languages: tuple[Language, ...], default: str) -> Catalogs:
    """Later folders override earlier ones key by key (theme, then site). A later string keeps the
    placeholders of the one it overrides (placeholder_problem)."""
    codes = {lang.code for lang in languages} | {FALLBACK_LANGUAGE}
    merged: dict[str, dict[str, str]] = {code: {} for code in codes}
    for number, folder in enumerate(folders):
        for code in codes:
            path = folder / f"{code}.yaml"
            if path.is_file():
                strings = _read_catalog(path)
                if number:
                    _check_placeholders(path, strings, merged[code], merged[FALLBACK_LANGUAGE])
                merged[code].update(strings)
    return Catalogs(merged, default)


def _check_placeholders(path: Path, strings: Mapping[str, str], before: Mapping[str, str],
                        english: Mapping[str, str]) -> None:
    for key, text in strings.items():
        problem = placeholder_problem(text, before.get(key, english.get(key)))
        if problem:
            raise ContentError(f"string {key!r}: {problem}", SourceLocation(path, _line_of(path, key)),
                               hint="keep the placeholders of the theme's string as they are, e.g. {site}")


def _line_of(path: Path, key: str) -> int | None:
    text = read_text(path)
    for number, line in enumerate(text.splitlines(), 1):
        if line.startswith((f"{key}:", f"'{key}':", f'"{key}":')):
            return number
    return None


def _read_catalog(path: Path) -> dict[str, str]:
    data: Any = load_yaml(read_text(path), path) or {}
    if not isinstance(data, dict):
        raise ContentError("a strings file must be a list of `key: text` lines", SourceLocation(path, 1))
    for key, value in data.items():
        if not isinstance(value, str):
            raise ContentError(f"string {key!r} must be text", SourceLocation(path), hint="quote the text")
    return data
