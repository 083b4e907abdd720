"""Index data packed into stylesheets: the one kind of file a page may load under the site's policy from
any host and from `file://`.

`fetch()` cannot read files from a USB stick, and a `<script src>` chunk would need `'self'` in
`script-src` (today only the theme's inline scripts run, by hash). A stylesheet may load from the site
(`style-src 'self'`) everywhere, so each chunk is a one-rule stylesheet whose custom property holds the
chunk's JSON as a CSS string; search.js adds a `<link>`, reads the property with `getComputedStyle` and
removes the link. Nothing in a chunk can style the page: the one property is a name only search.js reads.
"""

from __future__ import annotations

import json
import re
from typing import Any

import orjson

# Characters written as JSON escapes: `(` and `@` so that no text in a chunk can read as `url(` or
# `@import` to a CSS rewriter (outputs/relative.py rewrites those), `<` for good measure.
_JSON_ESCAPES = {b"(": b"\\u0028", b"@": b"\\u0040", b"<": b"\\u003c"}
_CSS_RULE = re.compile(r'^:root\{--sz-(?P<name>[a-z0-9-]+):"(?P<body>.*)"\}\n\Z', re.DOTALL)


def property_name(name: str) -> str:
    return f"--sz-{name}"


def encode(name: str, payload: Any) -> bytes:
    """name: lower-case letters, digits and hyphens, unique among the chunks a page may load."""
    text = to_json(payload)
    for char, escape in _JSON_ESCAPES.items():
        text = text.replace(char, escape)
    css_string = text.replace(b"\\", b"\\\\").replace(b'"', b'\\"')
    return b":root{" + property_name(name).encode() + b':"' + css_string + b'"}\n'


def to_json(payload: Any) -> bytes:
    """Compact JSON with sorted keys and every character but the ones JSON must escape as it is, in UTF-8.
    A NumPy array of numbers (a term's postings) is written as the list of them. orjson refuses what no
    build should hand it (a lone surrogate, an integer beyond 64 bits): such a chunk is written by the
    standard library with every character escaped, which reads back the same."""
    try:
        return orjson.dumps(payload, option=orjson.OPT_SORT_KEYS | orjson.OPT_SERIALIZE_NUMPY)
    except orjson.JSONEncodeError:
        return json.dumps(payload, separators=(",", ":"), sort_keys=True, default=_listed).encode("ascii")


def _listed(value: Any) -> Any:
    """The standard library's writer's way with an array (json.dumps default=)."""
    if hasattr(value, "tolist"):
        return value.tolist()
    raise TypeError(f"{type(value).__name__} is not JSON")


def decode(data: bytes) -> Any:
    match = _CSS_RULE.match(data.decode("utf-8"))
    if match is None:
        raise ValueError("not a search chunk")
    payload = _read_back(match["name"], match["body"], data)
    if payload is not None:
        return payload
    return json.loads(re.sub(r"\\(.)", r"\1", match["body"], flags=re.DOTALL))


def _read_back(name: str, body: str, data: bytes) -> Any:
    """The payload of a chunk encode() wrote, read by orjson: a refiled language reads term buckets of a hundred
    kilobytes, which the standard library's unescaping and parsing read in four times the time. The CSS
    string is read as a JSON string (encode escapes only backslashes and quotes in it). orjson reads an
    integer beyond 64 bits as a float and refuses what to_json's fallback writes (a lone surrogate), so
    what it reads is kept only where it writes back to these very bytes; None otherwise (the standard
    library reads the chunk then)."""
    try:
        payload = orjson.loads(orjson.loads(f'"{body}"'))
    except orjson.JSONDecodeError:
        return None
    return payload if encode(name, payload) == data else None
