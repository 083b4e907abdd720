"""Typography of each rendered page, set for its language by the rules of i18n/typesetting.py.

The page is never re-serialised (see tag_edit.py): only the text of prose changes, never code,
preformatted text, scripts, styles, SVG or attributes. The decision is taken on lexbor's tree, which is
the tree a browser builds, and the result is checked on it again.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from html.parser import HTMLParser

from selectolax.lexbor import LexborHTMLParser

from samizdat.i18n.typesetting import typeset_runs

# Elements whose text is code, literal, or not prose: never retouched.
LITERAL = frozenset({"code", "pre", "kbd", "samp", "var", "script", "style", "textarea", "title", "svg",
                     "math", "xmp", "iframe", "noembed", "noframes", "noscript", "template"})
# Elements that carry words inside a line: a run before one is followed by a word.
INLINE = frozenset({"a", "abbr", "b", "bdi", "bdo", "cite", "data", "dfn", "em", "i", "mark", "q", "s", "small",
                    "span", "strong", "sub", "sup", "time", "u"})


def typeset_page(page: str, language: str) -> str:
    """The page with the text of its prose set for `language`; every other byte stays as it was."""
    return typeset_tree(page, LexborHTMLParser(page), language)[0]


def typeset_tree(page: str, tree: LexborHTMLParser, language: str) -> tuple[str, LexborHTMLParser]:
    """typeset_page(), given the page's tree, with the tree of the page it returns: the same tree when no
    text changed, else the one the change was checked on. A page is then checked on that tree
    (build/page_check.py), and parsed once more only where its text changed.

    lexbor reads the page; each text node that changes is found again in the page's source, after the
    one before it, and replaced there. The result is read again: unless it is the same tree with exactly
    those texts changed (a text written with entities, or also found in an attribute before its place),
    the page is set the slow way, by the stdlib tokenizer's offsets.

    The trees are compared by their elements and texts, not their attributes: each change is written
    once, so one that landed anywhere but its own text (an attribute, a comment, a script, another text)
    leaves that text as it was, and the texts differ. Reading every element's attributes was 43 % of each
    walk of a tree.
    """
    before = _shape(tree)
    prose = [index for index, item in enumerate(before) if item[2] and item[1].strip()]
    if not prose:
        return page, tree
    texts = typeset_runs([(before[index][1], before[index][3]) for index in prose], language)
    changes = {index: text for index, text in zip(prose, texts, strict=True) if text != before[index][1]}
    if not changes:
        return page, tree
    edited = _edit_in_place(page, before, prose, changes)
    if edited is not None:
        expected = [(*item[:1], changes[index], *item[2:]) if index in changes else item
                    for index, item in enumerate(before)]
        edited_tree = LexborHTMLParser(edited)
        if _shape(edited_tree) == expected:
            return edited, edited_tree
    typeset = _typeset_tokenized(page, language, before)
    return typeset, LexborHTMLParser(typeset)


def _edit_in_place(page: str, shape: list[Shape], prose: list[int], changes: dict[int, str]) -> str | None:
    """The page with each changed text replaced where it is found after the previous one, or None."""
    parts: list[str] = []
    cursor = done = 0
    for index in prose:
        old = shape[index][1]
        at, written, write = _find(page, old, cursor)
        if at == -1:
            if index in changes:
                return None
            continue  # written with other entities: it changes nothing, so it need not be found
        if index in changes:
            parts += [page[done:at], write(changes[index])]
            done = at + len(written)
        cursor = at + len(written)
    return "".join(parts) + page[done:]


def _find(page: str, text: str, cursor: int) -> tuple[int, str, Callable[[str], str]]:
    """Where `text` is written after `cursor`, as it is or with &amp; &lt; &gt; (as Markdown writes them)."""
    at = page.find(text, cursor)
    if at != -1:
        return at, text, _as_is
    written = _escaped(text)
    return page.find(written, cursor), written, _escaped


def _as_is(text: str) -> str:
    return text


def _escaped(text: str) -> str:
    return html.escape(text, quote=False)


# One node of a parsed page, in document order: (tag, its text ("" for an element), is prose, a word follows it).
Shape = tuple[str, str, bool, bool]


def _shape(tree: LexborHTMLParser) -> list[Shape]:
    """Every node of the page: elements by their tag, texts with whether they are prose.

    lexbor's own walk in document order, not a read of each node's children and siblings from Python:
    99 → 70 µs on a page of 260 nodes. A text is literal when an element of LITERAL below the root holds
    it: that element's subtree is the nodes the walk yields next, so they are counted, not tracked by depth.
    """
    root = tree.root
    if root is None:
        return []
    nodes = root.traverse(include_text=True)  # not recursive: hostile pages nest deep
    shape: list[Shape] = [(next(nodes).tag or "", "", False, False)]  # the root, which is never literal
    literal_left = 0  # how many of the nodes to come are inside the literal element passed last
    for node in nodes:
        tag = node.tag
        if tag == "-text":
            after = node.next
            shape.append(("-text", node.text_content or "", not literal_left,
                          after is not None and after.tag in INLINE))
        else:
            shape.append((tag or "", "", False, False))
            if not literal_left and tag in LITERAL:
                literal_left = sum(1 for _ in node.traverse(include_text=True))  # itself included
        if literal_left:
            literal_left -= 1
    return shape


def _typeset_tokenized(page: str, language: str, shape: list[Shape] | None = None) -> str:
    """typeset_page() by the stdlib tokenizer's offsets of each run of text: slower, any page.
    shape: the page's _shape(), when it was read already."""
    runs = [run for run in _text_runs(page) if run[1].strip()]
    if not runs:
        return page
    prose = "\x00".join(item[1] for item in shape or _shape(LexborHTMLParser(page)) if item[2])
    # A run the browser reads otherwise (inside code, an attribute…) is left as it is.
    runs = [run for run in runs if run[1] in prose]
    parts: list[str] = []
    done = 0
    for (start, raw, _), text in zip(runs, typeset_runs([(raw, follows) for _, raw, follows in runs], language),
                                     strict=True):
        parts += [page[done:start], text]
        done = start + len(raw)
    return "".join(parts) + page[done:]


class _Runs(HTMLParser):
    """Offsets of the runs of text outside LITERAL elements (entities end a run, and stay as written)."""

    CDATA_CONTENT_ELEMENTS = ("script", "style", "title", "textarea", "xmp", "iframe", "noembed", "noframes",
                              "noscript")

    def __init__(self, line_starts: list[int]) -> None:
        super().__init__(convert_charrefs=False)
        self.line_starts = line_starts
        self.open: list[str] = []
        self.runs: list[tuple[int, str, bool]] = []  # offset, text, whether an inline element follows
        self.last_run = -1  # index of the run just read, while nothing else has come after it

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in INLINE and self.last_run >= 0:
            start, data, _ = self.runs[self.last_run]
            self.runs[self.last_run] = (start, data, True)
        self.last_run = -1
        if tag in LITERAL:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        self.last_run = -1
        if tag in self.open:
            del self.open[len(self.open) - 1 - self.open[::-1].index(tag):]

    def handle_data(self, data: str) -> None:
        if not self.open and self.cdata_elem is None:  # type: ignore[attr-defined]
            line, column = self.getpos()
            self.runs.append((self.line_starts[line - 1] + column, data, False))
            self.last_run = len(self.runs) - 1
        else:
            self.last_run = -1

    def handle_entityref(self, name: str) -> None:
        self.last_run = -1

    handle_charref = handle_comment = handle_entityref


def _text_runs(page: str) -> list[tuple[int, str, bool]]:
    starts = [0]
    newline = page.find("\n")
    while newline != -1:
        starts.append(newline + 1)
        newline = page.find("\n", newline + 1)
    finder = _Runs(starts)
    finder.feed(page)
    finder.close()
    return [run for run in finder.runs if page.startswith(run[1], run[0])]
