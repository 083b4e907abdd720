"""How deep a page's elements nest, measured before the page is parsed.

The HTML parser (lexbor) takes time that grows faster than the square of the nesting depth: 20,000 nested
`<div>` took 0.4 s to parse, 40,000 took 3.3 s, 200,000 (a 1 MB page) more than two minutes. Markdown
makes such a page from a line of `> > > …`. Browsers stop nesting long before: Chromium's parser puts
elements deeper than 512 beside each other instead (kMaximumHTMLParserDOMTreeDepth). So a page nested
deeper than that is refused before any parse, and the measure is linear in the page's length.

The measure follows the parser closely enough not to be fooled: an end tag closes only an element that is
open (stray ones do not lower the count), and elements the parser closes by themselves (a new `<p>` or
`<li>` closes the one before) or that never hold anything (`<br>`, `<img>`) do not deepen it.
"""

from __future__ import annotations

import re

MAX_DEPTH = 512
_TAG_RE = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)")
# Elements that never hold others, or that the parser closes when the next of their kind (or their
# parent's end) comes: a page writes them unclosed, and they do not nest into one another.
_FLAT = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track",
    "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "rb", "rt", "rp", "rtc", "thead",
    "tbody", "tfoot", "colgroup", "caption", "html", "head", "body",
})


def nesting_depth(text: str) -> int:
    """How deep the page's elements nest; any number up to MAX_DEPTH for a page that cannot reach it."""
    tags = text.count("<")
    if tags <= MAX_DEPTH or tags - text.count("</") <= MAX_DEPTH:  # fewer start tags than that: nothing to count
        return 0
    open_names: list[str] = []
    open_count: dict[str, int] = {}
    deepest = 0
    for close, name in _TAG_RE.findall(text):
        name = name.lower()
        if name in _FLAT:
            continue
        if not close:
            open_names.append(name)
            open_count[name] = open_count.get(name, 0) + 1
            deepest = max(deepest, len(open_names))
        elif open_count.get(name):
            while True:  # the parser closes what is open inside it as well
                inner = open_names.pop()
                open_count[inner] -= 1
                if inner == name:
                    break
    return deepest


def too_deep(text: str) -> str | None:
    """Why the page cannot be published as it is, or None."""
    depth = nesting_depth(text)
    if depth <= MAX_DEPTH:
        return None
    return (f"its elements nest {depth:,} deep, more than the {MAX_DEPTH} browsers show (a long run of `>`, "
            "or of elements opened and never closed)")

