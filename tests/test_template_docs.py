"""docs/templates.md names every template, partial, shortcode, variable, filter and function of the
theme, so that a volunteer editing a theme finds each one there."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from samizdat.content.collections import Collections
from samizdat.outputs.render import Renderer
from samizdat.outputs.views import PageView, SiteView

REPO = Path(__file__).resolve().parent.parent
DOCS = (REPO / "docs/templates.md").read_text(encoding="utf-8")
TEMPLATES = REPO / "samizdat/themes/default/templates"
JINJA_OWN = {"range", "dict", "lipsum", "cycler", "joiner", "namespace"}


@pytest.mark.parametrize("name", sorted(p.relative_to(TEMPLATES).as_posix() for p in TEMPLATES.rglob("*.html")))
def test_every_template_is_documented(name: str) -> None:
    assert f"`{name.rsplit('/', 1)[-1]}`" in DOCS or f"`{name}`" in DOCS, name


@pytest.mark.parametrize(("prefix", "names"), [
    ("page.", [f.name for f in dataclasses.fields(PageView)] + ["translations"]),
    ("site.", [f.name for f in dataclasses.fields(SiteView)]),
    ("collections.", [name for name in vars(Collections) if not name.startswith("_")] + ["meetings", "now"]),
])
def test_every_variable_is_documented(prefix: str, names: list[str]) -> None:
    missing = [name for name in names if f"{prefix}{name}" not in DOCS]
    assert not missing, missing


def test_every_filter_and_function_is_documented() -> None:
    renderer = Renderer.__new__(Renderer)
    filters = Renderer._filters(renderer)
    missing = [name for name in filters if f"`{name}`" not in DOCS]
    functions = [name for name in Renderer._globals(renderer) if name not in JINJA_OWN]
    missing += [name for name in functions if f"`{name}(" not in DOCS and f"`{name}`" not in DOCS]
    assert not missing, missing
    for name in ("page", "site", "lang", "data", "menu", "meeting", "collections"):
        assert f"### `{name}`" in DOCS, name
