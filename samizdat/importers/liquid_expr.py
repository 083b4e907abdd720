"""Liquid expressions (`page.title | upcase`, `a == b and c contains "x"`) as Jinja expressions.

Only what maps one to one is translated; anything else returns None, and the tag is kept as a
comment for a person. A value the importer knows already (a `_config.yml` setting, a page's own front
matter, an include's parameter) is written in as a literal, so the page needs nothing at build time.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

TOKEN = re.compile(r"""\s*(?:(?P<str>"[^"]*"|'[^']*')|(?P<range>\(\s*[\w.]+\s*\.\.\s*[\w.]+\s*\))|"""
                   r"""(?P<num>-?\d+(?:\.\d+)?)|(?P<op>==|!=|<>|<=|>=|<|>|\||:|,)|"""
                   r"""(?P<name>[A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*|\[[^\]]*\])*))""")
LOOP = {"index": "loop.index", "index0": "loop.index0", "first": "loop.first", "last": "loop.last",
        "length": "loop.length", "rindex": "loop.revindex", "rindex0": "loop.revindex0"}
PAGE_KEYS = {"title": "page.title", "url": "page.url", "date": "page.date", "lang": "page.lang",
             "description": "page.description"}
SIMPLE_FILTERS = {"upcase": "upper", "downcase": "lower", "capitalize": "capitalize", "strip": "trim",
                  "escape": "e", "size": "length", "first": "first", "last": "last", "reverse": "reverse",
                  "uniq": "unique", "strip_html": "striptags", "absolute_url": "absolute_url",
                  "xml_escape": "e", "url_encode": "urlencode", "default": "default", "join": "join",
                  "truncate": "truncate", "round": "round", "abs": "abs", "sort": "sort"}


@dataclass
class Scope:
    """What names mean where a piece of Liquid stands."""

    site: dict[str, Any]
    page: dict[str, Any]
    base_url: str
    params: dict[str, str] = field(default_factory=dict)  # an include's parameters, as Jinja
    local: set[str] = field(default_factory=set)  # names made by assign, capture and for
    i18n: dict[str, Any] = field(default_factory=dict)  # jekyll-multiple-languages: _i18n/<lang>.yml
    data: dict[str, Any] = field(default_factory=dict)  # _data, in the page's language
    literals: dict[int, tuple[Any, str | None]] = field(default_factory=dict)  # see literal_of


def _tokens(text: str) -> list[tuple[str, str]] | None:
    out: list[tuple[str, str]] = []
    pos = 0
    text = text.strip()
    while pos < len(text):
        match = TOKEN.match(text, pos)
        if match is None or match.end() == pos:
            return None
        kind = match.lastgroup or ""
        value = match.group(kind).strip()
        out.append((kind, value))
        pos = match.end()
    return out


def _literal(value: Any, depth: int = 0) -> str | None:
    """A known value written into the page: JSON's scalars, lists and string-keyed tables are Jinja too.
    A value nested deeper than any page needs (the config is hostile input) is not written."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return json.dumps(value, ensure_ascii=False)
    if depth > LITERAL_DEPTH:
        return None
    if isinstance(value, list):
        items = [_literal(v, depth + 1) for v in value]
        return None if None in items else "[" + ", ".join(i for i in items if i is not None) + "]"
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        pairs = [(json.dumps(k, ensure_ascii=False), _literal(v, depth + 1)) for k, v in value.items()]
        return None if any(v is None for _, v in pairs) else "{" + ", ".join(f"{k}: {v}" for k, v in pairs) + "}"
    return None


LITERAL_DEPTH = 20


def literal_of(value: Any, remembered: dict[int, tuple[Any, str | None]] | None) -> str | None:
    """_literal, made once per value: a page may name one long value thousands of times (the config is
    hostile input), and each further use then costs a look-up, not another pass over the value."""
    if remembered is None or not isinstance(value, (str, list, dict)):
        return _literal(value)
    if id(value) not in remembered:
        remembered[id(value)] = (value, _literal(value))  # holding the value keeps its id from being reused
    return remembered[id(value)][1]


SEGMENT = re.compile(r"""\.([A-Za-z_][\w-]*)|\[\s*("[^"]*"|'[^']*'|-?\d+|[A-Za-z_][\w.-]*)\s*\]""")
Segment = str | int | tuple[str, str]  # a key, an index, or ("var", Jinja) for a computed key


def _segments(name: str, scope: Scope) -> tuple[str, list[Segment]] | None:
    """`site.data["nav"][0].title` → ("site", ["data", "nav", 0, "title"])."""
    root = re.match(r"[A-Za-z_][\w-]*", name)
    if root is None:
        return None
    found: list[Segment] = []
    pos = root.end()
    while pos < len(name):
        match = SEGMENT.match(name, pos)
        if match is None:
            return None
        key = match.group(1) or match.group(2)
        if match.group(1) or key[0] in "\"'":
            found.append(key.strip("\"'"))
        elif re.fullmatch(r"-?\d+", key):
            found.append(int(key))
        else:
            inner = name_to_jinja(key, scope)
            if inner is None:
                return None
            found.append(("var", inner))
        pos = match.end()
    return root.group(0), found


def _jinja_path(root: str, segments: list[Segment]) -> str:
    out = root
    for seg in segments:
        if isinstance(seg, str) and re.fullmatch(r"[A-Za-z_]\w*", seg):
            out += f".{seg}"
        else:
            out += f"[{seg[1] if isinstance(seg, tuple) else json.dumps(seg)}]"
    return out


def known_value(value: Any, segments: list[Segment],
                remembered: dict[int, tuple[Any, str | None]] | None = None) -> str | None:
    """A value the importer has (the config, the page's front matter, data files), followed down its
    path and written in as a literal; a key computed at build time only on a table, with .get."""
    for index, seg in enumerate(segments):
        if isinstance(seg, tuple):
            literal = literal_of(value, remembered)
            if not isinstance(value, dict) or index != len(segments) - 1 or literal is None:
                return None
            return f'({literal}).get({seg[1]}, "")'
        if _has(value, seg):
            value = value[seg]
        elif seg == "size" and isinstance(value, (list, dict, str)):
            value = len(value)
        else:
            return None
    return literal_of(value, remembered)


def _has(value: Any, seg: str | int) -> bool:
    if isinstance(value, dict):
        return seg in value
    return isinstance(value, list) and isinstance(seg, int) and -len(value) <= seg < len(value)


def lookup(data: Any, parts: list[str]) -> tuple[bool, Any]:
    for part in parts:
        if not isinstance(data, dict) or part not in data:
            return False, None
        data = data[part]
    return True, data


def name_to_jinja(name: str, scope: Scope) -> str | None:
    parsed = _segments(name, scope)
    if parsed is None:
        return None
    root, rest = parsed
    if root in scope.local:
        path = _jinja_path(root, rest)
        return f'({path} if {path} is defined else "")' if rest else path  # an item without that key
    if root == "forloop" and len(rest) == 1 and isinstance(rest[0], str):
        return LOOP.get(rest[0])
    if root == "include" and len(rest) == 1 and isinstance(rest[0], str):
        return scope.params.get(rest[0])
    if root == "site":
        return _site_name(rest, scope)
    if root == "page":
        if len(rest) == 1 and isinstance(rest[0], str) and rest[0] in PAGE_KEYS:
            return PAGE_KEYS[rest[0]]
        return known_value(scope.page, rest, scope.literals)
    if root in ("true", "false", "nil", "empty", "blank") and not rest:
        return {"true": "true", "false": "false"}.get(root, "none")
    return None


def _site_name(rest: list[Segment], scope: Scope) -> str | None:
    if rest == ["baseurl"]:
        return '""'
    if rest == ["url"]:
        return _literal(scope.base_url)
    if rest in (["active_lang"], ["lang"]):
        return "page.lang"
    if rest == ["title"]:
        return "site.title"
    if rest[:1] == ["data"]:
        return known_value(scope.data, rest[1:], scope.literals)
    return known_value(scope.site, rest, scope.literals)


def _value(kind: str, value: str, scope: Scope) -> str | None:
    if kind == "str":
        return json.dumps(value[1:-1], ensure_ascii=False)
    if kind == "num":
        return value
    if kind == "range":
        low, high = (part.strip() for part in value[1:-1].split(".."))
        low_j, high_j = (v if re.fullmatch(r"-?\d+", v) else name_to_jinja(v, scope) for v in (low, high))
        return f"range({low_j}, ({high_j}) + 1)" if low_j and high_j else None
    if kind == "name":
        return name_to_jinja(value, scope)
    return None


Filter = Callable[[str, list[str]], str | None]


def _filter(name: str, args: list[str], base: str) -> str | None:
    if name in ("relative_url", "prepend") and (name == "relative_url" or args == ['""']):
        return base  # the site is served from its root: a relative_url is the path itself
    if name in SIMPLE_FILTERS:
        return f"({base})|{SIMPLE_FILTERS[name]}" + (f"({', '.join(args)})" if args else "")
    table: dict[str, Callable[[], str]] = {
        "append": lambda: f"({base}) ~ {args[0]}", "prepend": lambda: f"{args[0]} ~ ({base})",
        "replace": lambda: f"({base})|replace({args[0]}, {args[1]})",
        "remove": lambda: f'({base})|replace({args[0]}, "")',
        "plus": lambda: f"({base}) + {args[0]}", "minus": lambda: f"({base}) - {args[0]}",
        "times": lambda: f"({base}) * {args[0]}", "divided_by": lambda: f"({base}) // {args[0]}",
        "split": lambda: f"({base}).split({args[0]})", "slice": lambda: f"({base})[{args[0]}:{args[0]} + "
                                                                         f"{args[1] if len(args) > 1 else 1}]",
        "where": lambda: f'({base})|selectattr({args[0]}, "equalto", {args[1]})|list',
        "map": lambda: f"({base})|map(attribute={args[0]})|list",
        "date": lambda: f"({base}).strftime({args[0]})", "jsonify": lambda: f"({base})|tojson",
        "markdownify": lambda: f"{base}",
    }
    wanted = {"append": 1, "prepend": 1, "replace": 2, "remove": 1, "plus": 1, "minus": 1, "times": 1,
              "divided_by": 1, "split": 1, "slice": 1, "where": 2, "map": 1, "date": 1}
    if name not in table or len(args) < wanted.get(name, 0):
        return None
    return table[name]()


def to_jinja(text: str, scope: Scope) -> str | None:
    """A Liquid expression with filters and conditions, as Jinja; None when it does not map."""
    tokens = _tokens(text)
    if not tokens:
        return None
    pieces = _split(tokens, "|")
    base = _condition(pieces[0], scope)
    for piece in pieces[1:]:
        if base is None or not piece or piece[0][0] != "name":
            return None
        name, args = piece[0][1], [a for a in piece[1:] if a[0] not in ("op",)]
        values = [_value(k, v, scope) for k, v in args]
        if any(v is None for v in values):
            return None
        base = _filter(name, [v for v in values if v is not None], base)
    return base


def _split(tokens: list[tuple[str, str]], sep: str) -> list[list[tuple[str, str]]]:
    pieces: list[list[tuple[str, str]]] = [[]]
    for token in tokens:
        if token == ("op", sep):
            pieces.append([])
        else:
            pieces[-1].append(token)
    return pieces


COMPARE = {"==": "==", "!=": "!=", "<>": "!=", "<": "<", ">": ">", "<=": "<=", ">=": ">="}


def _condition(tokens: list[tuple[str, str]], scope: Scope) -> str | None:
    out: list[str] = []
    index = 0
    while index < len(tokens):
        kind, value = tokens[index]
        if kind == "name" and value in ("and", "or"):
            out.append(value)
        elif kind == "name" and value == "contains" and out:
            following = _value(*tokens[index + 1], scope) if index + 1 < len(tokens) else None
            if following is None:
                return None
            out[-1] = f"({following} in {out[-1]})"
            index += 1
        elif kind == "op" and value in COMPARE:
            out.append(COMPARE[value])
        else:
            jinja = _value(kind, value, scope)
            if jinja is None:
                return None
            out.append(jinja)
        index += 1
    return " ".join(out) if out else None
