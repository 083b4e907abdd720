"""Data files (`_data/` of Jekyll, `data/` of Hugo) as samizdat's `data/NAME.yaml`.

Per-language folders (`_data/en/nav.yml`, `_data/ru/nav.yml`) become one file whose texts are given
per language (`{en: …, ru: …}`), which samizdat's `loc` filter reads.
"""

from __future__ import annotations

import csv
import io
import json
import tomllib
from typing import Any

import yaml

from samizdat.content.safe_yaml import load_yaml
from samizdat.errors import ContentError
from samizdat.importers.frontmatter import MAX_DEPTH, depth_of
from samizdat.importers.model import TextPlan
from samizdat.importers.report import ReportBuilder
from samizdat.importers.source import SourceFile, read_text

EXTENSIONS = (".yml", ".yaml", ".json", ".csv", ".tsv", ".toml")


def load_data(file: SourceFile, report: ReportBuilder) -> Any:
    data = _parse(file, report)
    if depth_of(data) > MAX_DEPTH:
        report.note(file.rel, f"cannot be read: it nests more than {MAX_DEPTH} levels deep")
        return None
    return data


def _parse(file: SourceFile, report: ReportBuilder) -> Any:
    text = read_text(file)
    name = file.name.lower()
    try:
        if text is None:
            raise ValueError("not UTF-8 text")
        if name.endswith((".yml", ".yaml")):
            return load_yaml(text, file.path)
        if name.endswith(".json"):
            return json.loads(text)
        if name.endswith(".toml"):
            return tomllib.loads(text)
        return list(csv.DictReader(io.StringIO(text), delimiter="\t" if name.endswith(".tsv") else ","))
    except (ContentError, ValueError, tomllib.TOMLDecodeError, RecursionError, csv.Error) as exc:
        line = exc.location.line if isinstance(exc, ContentError) and exc.location else None
        report.note(file.rel, f"cannot be read: {getattr(exc, 'message', exc)}", line)
        return None


def convert_data(files: list[SourceFile], codes: list[str], report: ReportBuilder) -> list[TextPlan]:
    per_language: dict[str, dict[str, Any]] = {}
    texts: list[TextPlan] = []
    for file in files:
        inner = file.rel.split("/", 1)[1]
        if not inner.lower().endswith(EXTENSIONS):
            report.leave_out(file.rel, "not a data format samizdat reads (YAML, JSON, CSV, TOML)")
            continue
        data = load_data(file, report)
        if data is None:
            report.leave_out(file.rel, "a data file that cannot be read")
            continue
        head, _, rest = inner.partition("/")
        name = _name(rest if head in codes and rest else inner)
        if head in codes and rest:
            per_language.setdefault(name, {})[head] = (data, file.rel)
            continue
        texts.append(TextPlan(f"data/{name}.yaml", _dump(data), (file.rel,)))
        report.convert(file.rel, f"data/{name}.yaml")
    for name, versions in per_language.items():
        texts.append(TextPlan(f"data/{name}.yaml", _dump(_merge({c: d for c, (d, _) in versions.items()})),
                              tuple(source for _, source in versions.values())))
        for _, source in versions.values():
            report.convert(source, f"data/{name}.yaml")
    return texts


def _name(inner: str) -> str:
    return inner.rsplit(".", 1)[0].replace("/", "-")


def _merge(versions: dict[str, Any]) -> Any:
    """{en: {a: x}, ru: {a: y}} → {a: {en: x, ru: y}}: the texts per language where they stand."""
    values = list(versions.values())
    if all(isinstance(v, dict) for v in values):
        keys = list(dict.fromkeys(k for v in values for k in v))
        return {k: _merge({c: v[k] for c, v in versions.items() if k in v}) for k in keys}
    if all(isinstance(v, list) for v in values) and len({len(v) for v in values}) == 1:
        return [_merge({c: v[i] for c, v in versions.items()}) for i in range(len(values[0]))]
    if len(set(map(repr, values))) == 1:
        return values[0]
    return dict(versions)


def _dump(data: Any) -> str:
    return yaml.safe_dump(_plain(data), allow_unicode=True, sort_keys=False, width=1000)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def language_data(files: list[SourceFile], codes: list[str], default: str) -> dict[str, dict[str, Any]]:
    """The data each language's pages saw in Jekyll: `_data/<lang>/x.yml` as `x` (polyglot; the default
    language's when a language has none), beside the files every language shares."""
    quiet = ReportBuilder()
    shared: dict[str, Any] = {}
    own: dict[str, dict[str, Any]] = {code: {} for code in codes}
    for file in files:
        inner = file.rel.split("/", 1)[1]
        if not inner.lower().endswith(EXTENSIONS):
            continue
        head, _, rest = inner.partition("/")
        target = own[head] if head in codes and rest else shared
        _place_value(target, (rest if head in codes and rest else inner).rsplit(".", 1)[0].split("/"),
                     load_data(file, quiet))
    return {code: {**shared, **own.get(default, {}), **own[code]} for code in codes}


def _place_value(tree: dict[str, Any], parts: list[str], value: Any) -> None:
    for part in parts[:-1]:
        tree = tree.setdefault(part, {})
        if not isinstance(tree, dict):
            return
    tree[parts[-1]] = value
