"""Reading YAML from the site folder with bounded aliases, and errors that point at the file's own lines.

A YAML alias (`*name`) repeats the block its anchor (`&name`) marks. Nine nested aliases make a
billion values out of a few lines (the "billion laughs"), and an alias inside its own anchor makes a
value that contains itself: either hangs or crashes whatever walks the data later (templates, hashing,
the dev server's watcher). Few values can still be large: a thousand aliases of one long text are a
thousand copies of it once the parse cache writes the page's values out as JSON (5,000 of a 1 MB line
took 3 GB). So the parsed document is measured before it becomes Python values: aliases may add at
most ALIAS_LIMIT values and ALIAS_TEXT_LIMIT characters of text, and an alias may not repeat a block it
is part of. The measure is linear in the document's size whatever the aliases would expand to, and
libyaml (the C loader) still does the parsing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from samizdat.errors import ContentError, SourceLocation

try:
    _BaseLoader: type = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml
    _BaseLoader = yaml.SafeLoader

ALIAS_LIMIT = 10_000  # values that aliases may add to a document beyond those written out
# Characters of text that aliases may add beyond those written out. Real sites repeat a few short
# blocks (a shared address, `<<: *defaults`): a few thousand characters. A million is ten thousand
# values (ALIAS_LIMIT) of a hundred characters each, a few MB once encoded, which every later copy
# (the parse cache's JSON, a template looping over it) handles at once; past it, copies of a long
# text multiply into gigabytes.
ALIAS_TEXT_LIMIT = 1_000_000
DATE_HINT = "write a date as YYYY-MM-DD with a day that exists (2024-02-29), or quote the value to keep it as text"
NUMBER_HINT = "quote the value to keep it as text"


class _ValueProblem(yaml.constructor.ConstructorError):
    """A value written in a form YAML reads as a date or a number that is none (2024-02-30, a 5,000-digit
    number): PyYAML raised Python's ValueError, which ended the build in a traceback."""

    def __init__(self, problem: str, node: yaml.Node, hint: str) -> None:
        super().__init__(None, None, problem, node.start_mark)
        self.hint = hint


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """The safe loader, whose dates and whole numbers are refused at their line when they cannot be made."""


def _at_its_line(construct: Any, what: str, hint: str) -> Any:
    def constructed(loader: Any, node: yaml.ScalarNode) -> Any:
        try:
            return construct(loader, node)
        except (ValueError, OverflowError) as exc:
            shown = node.value if len(node.value) <= 40 else f"{node.value[:40]}… ({len(node.value):,} characters)"
            reason = "" if "digits" in str(exc) else f" ({exc})"  # Python's own advice on digits is not for users
            raise _ValueProblem(f"{shown} is not {what}{reason}", node, hint) from None
    return constructed


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _at_its_line(
    yaml.constructor.SafeConstructor.construct_yaml_timestamp, "a real date or time", DATE_HINT))
_Loader.add_constructor("tag:yaml.org,2002:int", _at_its_line(
    yaml.constructor.SafeConstructor.construct_yaml_int, "a number samizdat can read", NUMBER_HINT))


def load_yaml(text: str, path: Path, first_line: int = 1) -> Any:
    """The document's values; first_line: the file's line where `text` starts (front matter: 2)."""
    loader = _Loader(text)
    try:
        node = _single_node(loader, text, path, first_line)
        return None if node is None else loader.construct_document(node)
    except yaml.YAMLError as exc:
        raise yaml_error(exc, path, first_line) from exc
    finally:
        loader.dispose()


def compose_yaml(text: str, path: Path, first_line: int = 1) -> yaml.Node | None:
    """The document's node tree (with each value's line), checked like load_yaml's."""
    loader = _Loader(text)
    try:
        return _single_node(loader, text, path, first_line)
    except yaml.YAMLError as exc:
        raise yaml_error(exc, path, first_line) from exc
    finally:
        loader.dispose()


def _single_node(loader: Any, text: str, path: Path, first_line: int) -> yaml.Node | None:
    node = loader.get_single_node()
    if node is not None and "*" in text:  # no alias without a *: most files skip the measure
        check_aliases(node, path, first_line)
    return node


def check_aliases(root: yaml.Node, path: Path, first_line: int = 1) -> None:
    """Refuse a document whose aliases repeat a block inside itself, or add more than ALIAS_LIMIT values
    or ALIAS_TEXT_LIMIT characters of text."""
    values: dict[int, int] = {}  # node → how many values it stands for, aliases expanded
    text: dict[int, int] = {}  # node → how many characters of text it stands for, aliases expanded
    nodes: dict[int, yaml.Node] = {}
    open_nodes: set[int] = set()  # the nodes being measured: an alias back to one of them is a loop
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, measured = stack.pop()
        key = id(node)
        if measured:
            open_nodes.discard(key)
            children = _children(node)
            values[key] = 1 + sum(values[id(child)] for child in children)
            text[key] = _own_text(node) + sum(text[id(child)] for child in children)
            continue
        if key in values:
            continue
        open_nodes.add(key)
        nodes[key] = node
        stack.append((node, True))
        for child in _children(node):
            if id(child) in open_nodes:
                raise _alias_error("an alias repeats a block that contains it, so its value would never end",
                                   child, path, first_line)
            stack.append((child, False))
    _refuse_growth(values, len(values) + ALIAS_LIMIT, f"more than {ALIAS_LIMIT:,} values",
                   nodes, path, first_line)
    written_text = sum(_own_text(node) for node in nodes.values())
    _refuse_growth(text, written_text + ALIAS_TEXT_LIMIT, f"more than {ALIAS_TEXT_LIMIT:,} characters of text",
                   nodes, path, first_line)


def _own_text(node: yaml.Node) -> int:
    return len(node.value) if isinstance(node, yaml.ScalarNode) else 0


def _refuse_growth(sizes: dict[int, int], ceiling: int, too_much: str, nodes: dict[int, yaml.Node],
                   path: Path, first_line: int) -> None:
    """Past the ceiling (what is written out plus what aliases may add), name the smallest block that is
    too big: the aliases that do the repeating are inside it."""
    if max(sizes.values()) <= ceiling:  # the root's: it holds every other block
        return
    worst = min((key for key, size in sizes.items() if size > ceiling), key=sizes.__getitem__)
    raise _alias_error(f"aliases (*name) repeat blocks into {too_much}", nodes[worst], path, first_line)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _alias_error(message: str, node: yaml.Node, path: Path, first_line: int) -> ContentError:
    return ContentError(
        f"invalid YAML: {message}",
        SourceLocation(path, node.start_mark.line + first_line, node.start_mark.column + 1),
        hint="write the values out instead of repeating them with &anchor and *alias",
    )


def yaml_error(exc: yaml.YAMLError, path: Path, first_line: int) -> ContentError:
    """A PyYAML error as one ContentError at the file's line (and column where PyYAML knows it)."""
    if not isinstance(exc, yaml.MarkedYAMLError):
        return ContentError(f"invalid YAML: {exc}", SourceLocation(path, first_line))
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or exc.context or "invalid YAML"
    if exc.context and exc.context_mark and mark is not exc.context_mark:
        # An unclosed bracket or quote is noticed lines later; point at where it was opened.
        problem += f" ({exc.context} on this line; noticed on line {mark.line + first_line})"
        mark = exc.context_mark
    line = mark.line + first_line if mark else None
    column = mark.column + 1 if mark else None
    return ContentError(
        f"invalid YAML: {problem}",
        SourceLocation(path, line, column),
        hint=exc.hint if isinstance(exc, _ValueProblem)
        else "check indentation and quote values that hold a colon, e.g. title: \"Note: …\"",
    )
