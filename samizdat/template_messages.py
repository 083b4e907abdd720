"""Jinja2's error messages retold for a volunteer: which name is unknown, what is there instead, and,
for the Liquid a Jekyll site brings along, what samizdat writes in its place."""

from __future__ import annotations

import dataclasses
import re
import sys
from collections.abc import Mapping
from typing import Any

_ATTRIBUTE_RE = re.compile(r"^'(?P<type>[^']+)' has no attribute '(?P<name>[^']+)'$")
_UNDEFINED_RE = re.compile(r"^'(?P<name>[^']+)' is undefined$")
_FILTER_RE = re.compile(r"^No filter named '(?P<name>[^']+)'")
_TAG_RE = re.compile(r"^Encountered unknown tag '(?P<name>[^']+)'")
CONTEXT_NAMES = ("page", "site", "lang", "data", "collections", "menu", "meeting")
LISTED = 30  # names shown as "available": more would hide the line that matters

# What a Jekyll (Liquid) name is called here, or what replaces it.
LIQUID = {
    "baseurl": "addresses are written from the site's root: use the url filter, {{ '/about/'|url }}",
    "relative_url": "use the url filter: {{ '/about/'|url }}",
    "posts": "news posts are collections.news(lang)",
    "include_relative": 'use {% include "partials/NAME.html" %} (files in templates/partials/)',
    "capture": "use {% set name %}…{% endset %}",
    "assign": "use {% set name = … %}",
    "unless": "use {% if not … %}…{% endif %}",
    "highlight": "use a fenced code block (```) in the Markdown",
    "markdownify": "put the text in the page's Markdown instead",
    "jsonify": "use the tojson filter",
    "date_to_string": 'use the date filter: {{ page.date|date }} or {{ page.date|date("short") }}',
    "date_to_xmlschema": "use the iso filter",
    "where": 'use selectattr: {{ items|selectattr("key", "equalto", value) }}',
    "strip_html": "use the striptags filter",
    "number_of_words": "use {{ text|wordcount }}",
    "url": "the page's address is page.url; the site's is site.base_url",
    "lang": "the page's language is lang.code (and page.lang)",
}


def retell(message: str, env: Any | None, names: Mapping[str, Any] | None = None) -> str:
    """Jinja2's message in plainer words, naming what is available; the message itself when unknown.
    names: what the failing template was given (a page's shortcodes among them)."""
    for pattern, tell in ((_ATTRIBUTE_RE, _attribute), (_UNDEFINED_RE, _undefined), (_FILTER_RE, _filter),
                          (_TAG_RE, _tag)):
        match = pattern.match(message)
        if match:
            return tell(match, env, names or {})
    return message


def _attribute(match: re.Match[str], env: Any, names: Mapping[str, Any]) -> str:
    owner, name = _owner(match["type"]), match["name"]
    fields = _fields(match["type"])
    told = f"{owner} has no value {name!r}"
    if fields:
        told += f"; it has: {_names(fields)}"
    return told + _liquid(name)


def _undefined(match: re.Match[str], env: Any, names: Mapping[str, Any]) -> str:
    name = match["name"]
    jinja_own = {"range", "dict", "lipsum", "cycler", "joiner", "namespace"}
    known = sorted((set(CONTEXT_NAMES) | set(env.globals if env is not None else ()) | set(names)) - jinja_own)
    return f"unknown name {name!r}; a template can use: {_names(known)}{_liquid(name)}"


def _filter(match: re.Match[str], env: Any, names: Mapping[str, Any]) -> str:
    name = match["name"]
    known = sorted(env.filters) if env is not None else []
    return f"unknown filter {name!r}; filters: {_names(known)}{_liquid(name)}"


def _tag(match: re.Match[str], env: Any, names: Mapping[str, Any]) -> str:
    name = match["name"]
    return (f"unknown tag {{% {name} %}}: templates are Jinja (if, for, set, include, macro, block, raw)"
            f"{_liquid(name)}")


def _liquid(name: str) -> str:
    advice = LIQUID.get(name)
    return f" — in samizdat, {advice}" if advice else ""


def _owner(type_text: str) -> str:
    """'samizdat.outputs.views.SiteView object' → "site"."""
    simple = type_text.removesuffix(" object").rsplit(".", 1)[-1]
    return {"SiteView": "site", "PageView": "page", "Language": "lang", "Meeting": "meeting",
            "Collections": "collections", "dict": "this data (a dict)", "Listed": "this item",
            "Place": "meeting.place", "Alternate": "this language entry", "Tag": "this tag"}.get(simple, simple)


def _fields(type_text: str) -> list[str]:
    """The public values of samizdat's own view types, looked up by their name in the message. The types
    are taken from the modules already loaded (a template failed on one of them, so its module is), not
    imported: the packages that render templates depend on this one, never the other way round."""
    simple = type_text.removesuffix(" object").rsplit(".", 1)[-1]
    module = {"SiteView": "samizdat.outputs.views", "PageView": "samizdat.outputs.views",
              "Language": "samizdat.config", "Meeting": "samizdat.content.meetings",
              "Place": "samizdat.content.meetings"}.get(simple)
    kind = getattr(sys.modules.get(module or ""), simple, None)
    if kind is None or not dataclasses.is_dataclass(kind):
        return []
    properties = [name for name, value in vars(kind).items() if isinstance(value, property)]
    return sorted({field.name for field in dataclasses.fields(kind)} | set(properties))


def _names(names: list[str]) -> str:
    shown = [name for name in names if not name.startswith("_")]
    more = f", … ({len(shown) - LISTED} more)" if len(shown) > LISTED else ""
    return ", ".join(shown[:LISTED]) + more
