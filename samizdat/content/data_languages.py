"""Texts given per language in data files ({ru: …, en: …}) that lack one of the site's languages.

The page then shows the default language's text in that spot; the build says so, with the line,
so a translator can find it.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from samizdat.config import SiteConfig
from samizdat.content.safe_yaml import compose_yaml
from samizdat.content.sources import read_text
from samizdat.errors import ContentError, SourceLocation
from samizdat.findings import Finding, finding


def missing_language_texts(config: SiteConfig) -> list[Finding]:
    codes = [language.code for language in config.languages]
    files = sorted((config.root / "data").glob("*.y*ml")) + sorted((config.root / "meetings").glob("*.y*ml"))
    return [item for path in files for item in _file_findings(path, codes)]


def _file_findings(path: Path, codes: list[str]) -> list[Finding]:
    try:
        root = compose_yaml(read_text(path), path)
    except ContentError:
        return []  # the build reports the broken file itself
    findings = []
    for node in _mappings(root):
        keys = [key.value for key, _ in node.value if isinstance(key, yaml.ScalarNode)]
        if len(keys) >= 2 and set(keys) <= set(codes):
            for code in codes:
                if code not in keys:
                    findings.append(finding(
                        "data-translation-missing",
                        f"this text has no {code} version: {code} pages show the {keys[0]} text",
                        SourceLocation(path, node.start_mark.line + 1),
                        hint=f"add a line `{code}: …` beside the others",
                    ))
    return findings


def _mappings(node: yaml.Node | None) -> list[yaml.MappingNode]:
    if isinstance(node, yaml.MappingNode):
        found = [node]
        for _, value in node.value:
            found += _mappings(value)
        return found
    if isinstance(node, yaml.SequenceNode):
        return [mapping for item in node.value for mapping in _mappings(item)]
    return []
