"""A Jekyll page's Liquid, as samizdat's Jinja where the translation is mechanical.

Translated: outputs and filters (see liquid_expr), `raw`, `highlight` (a fenced code block),
`include` and `include_relative` (the file written in, its parameters as literals), `link`,
`post_url`, `assign`, `capture`, `if/elsif/else/unless/case/when/for`, `comment`, and
jekyll-multiple-languages' `t` and `tf`. Anything else is kept as a template comment (invisible to
readers) and noted with its line, and so is every block whose opening tag could not be translated.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from samizdat.importers.liquid_expr import Scope, Segment, known_value, lookup, to_jinja
from samizdat.importers.markup import escape_jinja, jinja_comment

TAG = re.compile(r"\{%-?\s*(?P<tag>\w+)(?P<args>.*?)-?%\}|\{\{-?(?P<out>.*?)-?\}\}", re.S)
BLOCKS = {"if": "endif", "unless": "endif", "for": "endfor", "case": "endif", "capture": "endset"}
POST_LOOP = re.compile(r"\s*\w+\s+in\s+(site\.posts|paginator\.posts|site\.categories\.\w+|site\.tags\.\w+)\b")
MAX_DEPTH = 6  # includes within includes: a loop of includes stops here
MAX_EXPANDED = 2_000_000  # characters the includes of one page may add: ten includes of ten includes… stop


@dataclass
class Links:
    """What the importer knows of the old site, for the tags that name other files."""

    urls: dict[str, str] = field(default_factory=dict)  # old file path → URL in the new site
    posts: dict[str, str] = field(default_factory=dict)  # post name (2020-01-02-title) → URL
    include: Callable[[str, bool, str], str | None] = lambda name, relative, page: None
    i18n_file: Callable[[str], str | None] = lambda name: None


@dataclass
class Result:
    text: str
    notes: list[tuple[int, str]]


class Translator:
    def __init__(self, scope: Scope, links: Links, source: str, depth: int = 0,
                 budget: list[int] | None = None) -> None:
        self.scope, self.links, self.source, self.depth = scope, links, source, depth
        self.budget = budget if budget is not None else [MAX_EXPANDED]  # characters includes may still add
        self.notes: list[tuple[int, str]] = []
        self.stack: list[tuple[str, bool]] = []  # open blocks: (tag, translated)

    def run(self, text: str, first_line: int = 1) -> Result:
        out: list[str] = []
        pos = 0
        while True:
            match = TAG.search(text, pos)
            if match is None:
                out.append(escape_jinja(text[pos:]))
                break
            out.append(escape_jinja(text[pos:match.start()]))
            line = first_line + text.count("\n", 0, match.start())
            end = self._special(match, text, out, line)
            if end is None:
                out.append(self._tag(match, line))
                end = match.end()
            pos = end
        for tag, translated in reversed(self.stack):
            if translated:
                out.append("{% " + BLOCKS[tag] + " %}")
                self.notes.append((first_line, f"`{{% {tag} %}}` was never closed; closed at the end"))
        return Result("".join(out), self.notes)

    def _note(self, line: int, code: str, why: str = "not translated") -> str:
        self.notes.append((line, f"Liquid `{code.strip()[:80]}` {why}; kept as a comment"))
        return jinja_comment(code)

    def _special(self, match: re.Match[str], text: str, out: list[str], line: int) -> int | None:
        """Tags whose body is not Liquid: raw, comment, highlight."""
        tag = match.group("tag")
        ends = {"raw": "endraw", "comment": "endcomment", "highlight": "endhighlight"}
        if tag == "for" and POST_LOOP.match(match.group("args")):
            return self._post_list(match, text, out, line)
        if tag not in ends:
            return None
        close = re.compile(r"\{%-?\s*" + ends[tag] + r"\s*-?%\}")
        found = close.search(text, match.end())
        if found is None:
            out.append(self._note(line, match.group(0), "has no end"))
            return match.end()
        body = text[match.end():found.start()]
        if tag == "raw":
            out.append(escape_jinja(body))
        elif tag == "comment":
            out.append(jinja_comment(body))
        else:
            language = match.group("args").split()[0] if match.group("args").split() else ""
            out.append(f"\n```{language}\n{escape_jinja(body.strip(chr(10)))}\n```\n")
        return found.end()

    def _post_list(self, match: re.Match[str], text: str, out: list[str], line: int) -> int:
        """A loop over the posts is what samizdat's `latest_news()` shows: the loop becomes that call."""
        depth, pos = 1, match.end()
        for inner in TAG.finditer(text, match.end()):
            depth += {"for": 1, "endfor": -1}.get(inner.group("tag") or "", 0)
            if depth == 0:
                pos = inner.end()
                break
        else:
            return match.end()
        limit = re.search(r"limit:\s*(\d+)", match.group("args"))
        out.append("{{ latest_news(" + (limit.group(1) if limit else "10") + ") }}")
        self.notes.append((line, f"the loop `{match.group(0).strip()[:60]}` over the posts became "
                                 "samizdat's list of news, {{ latest_news() }}"))
        return pos

    def _tag(self, match: re.Match[str], line: int) -> str:
        if match.group("out") is not None:
            expr = to_jinja(match.group("out"), self.scope)
            return self._note(line, match.group(0)) if expr is None else _output(expr)
        tag, args = match.group("tag"), match.group("args").strip()
        handler = getattr(self, f"_tag_{tag}", None)
        result = handler(args, line) if handler else None
        return self._note(line, match.group(0)) if result is None else result

    def _open(self, tag: str, jinja: str | None, code: str, line: int) -> str:
        self.stack.append((tag, jinja is not None))
        return jinja if jinja is not None else self._note(line, code, "(a block) not translated: its inside "
                                                                     "is shown in every case")

    def _close(self, tags: tuple[str, ...], code: str, line: int) -> str:
        if not self.stack or self.stack[-1][0] not in tags:
            return self._note(line, code, "closes nothing")
        tag, translated = self.stack.pop()
        return "{% " + BLOCKS[tag] + " %}" if translated else jinja_comment(code)

    def _middle(self, jinja: str | None, code: str, line: int) -> str:
        if self.stack and self.stack[-1][1] and jinja is not None:
            return jinja
        return self._note(line, code)

    def _tag_if(self, args: str, line: int) -> str:
        cond = to_jinja(args, self.scope)
        return self._open("if", None if cond is None else "{% if " + cond + " %}", f"{{% if {args} %}}", line)

    def _tag_unless(self, args: str, line: int) -> str:
        cond = to_jinja(args, self.scope)
        return self._open("unless", None if cond is None else "{% if not (" + cond + ") %}",
                          f"{{% unless {args} %}}", line)

    def _tag_elsif(self, args: str, line: int) -> str:
        cond = to_jinja(args, self.scope)
        return self._middle(None if cond is None else "{% elif " + cond + " %}", f"{{% elsif {args} %}}", line)

    def _tag_else(self, args: str, line: int) -> str:
        return self._middle("{% else %}", "{% else %}", line)

    def _tag_endif(self, args: str, line: int) -> str:
        return self._close(("if",), "{% endif %}", line)

    def _tag_endunless(self, args: str, line: int) -> str:
        return self._close(("unless",), "{% endunless %}", line)

    def _tag_case(self, args: str, line: int) -> str:
        subject = to_jinja(args, self.scope)
        self.stack.append(("case", subject is not None))
        self._case = (subject, True)
        return "" if subject is not None else self._note(line, f"{{% case {args} %}}")

    def _tag_when(self, args: str, line: int) -> str:
        subject, first = getattr(self, "_case", (None, True))
        values = [to_jinja(v, self.scope) for v in re.split(r"\s*(?:,|\bor\b)\s*", args)]
        if subject is None or any(v is None for v in values):
            return self._note(line, f"{{% when {args} %}}")
        self._case = (subject, False)
        keyword = "if" if first else "elif"
        return "{% " + keyword + " (" + subject + ") in [" + ", ".join(v for v in values if v) + "] %}"

    def _tag_endcase(self, args: str, line: int) -> str:
        return self._close(("case",), "{% endcase %}", line)

    def _tag_for(self, args: str, line: int) -> str:
        match = re.match(r"(\w+)\s+in\s+(.+?)((?:\s+(?:limit|offset):\s*\d+|\s+reversed)*)\s*$", args)
        seq = to_jinja(match.group(2), self.scope) if match else None
        if match and seq is not None:
            self.scope.local.add(match.group(1))
            options = match.group(3)
            if "reversed" in options:
                seq = f"({seq})|reverse|list"
            offset = re.search(r"offset:\s*(\d+)", options)
            limit = re.search(r"limit:\s*(\d+)", options)
            start = int(offset.group(1)) if offset else 0
            if offset or limit:
                seq = f"({seq})[{start}:{start + int(limit.group(1)) if limit else ''}]"
            return self._open("for", "{% for " + match.group(1) + " in " + seq + " %}", args, line)
        return self._open("for", None, f"{{% for {args} %}}", line)

    def _tag_endfor(self, args: str, line: int) -> str:
        return self._close(("for",), "{% endfor %}", line)

    def _tag_assign(self, args: str, line: int) -> str | None:
        match = re.match(r"(\w+)\s*=\s*(.+)$", args, re.S)
        value = to_jinja(match.group(2), self.scope) if match else None
        if match is None or value is None:
            return None
        self.scope.local.add(match.group(1))
        return "{% set " + match.group(1) + " = " + value + " %}"

    def _tag_capture(self, args: str, line: int) -> str:
        name = args.strip()
        if not re.fullmatch(r"\w+", name):
            return self._open("capture", None, f"{{% capture {args} %}}", line)
        self.scope.local.add(name)
        return self._open("capture", "{% set " + name + " %}", args, line)

    def _tag_endcapture(self, args: str, line: int) -> str:
        return self._close(("capture",), "{% endcapture %}", line)

    def _tag_link(self, args: str, line: int) -> str | None:
        return self.links.urls.get(args.strip().strip("\"'").lstrip("/"))

    def _tag_post_url(self, args: str, line: int) -> str | None:
        name = args.strip().strip("\"'").rsplit("/", 1)[-1]
        return self.links.posts.get(name.removesuffix(".md").removesuffix(".markdown"))

    def _tag_include(self, args: str, line: int, relative: bool = False) -> str | None:
        match = re.match(r"""([\w./-]+)\s*(.*)$""", args, re.S)
        if match is None or self.depth >= MAX_DEPTH or self.budget[0] <= 0:
            return None
        text = self.links.include(match.group(1), relative, self.source)
        params = dict(re.findall(r"""(\w+)\s*=\s*("[^"]*"|'[^']*'|[\w.\-\[\]]+)""", match.group(2)))
        jinja_params = {key: to_jinja(value, self.scope) for key, value in params.items()}
        if text is None or any(value is None for value in jinja_params.values()):
            return None
        scope = Scope(self.scope.site, self.scope.page, self.scope.base_url,
                      {k: v for k, v in jinja_params.items() if v}, set(self.scope.local), self.scope.i18n,
                      self.scope.data)
        inner = Translator(scope, self.links, self.source, self.depth + 1, self.budget).run(text)
        self.budget[0] -= len(inner.text)
        self.notes.extend((line, f"in include {match.group(1)}: {note}") for _, note in inner.notes)
        return inner.text

    def _tag_include_relative(self, args: str, line: int) -> str | None:
        return self._tag_include(args, line, relative=True)

    def _tag_t(self, args: str, line: int) -> str | None:
        """`{% t pages.about %}` → the text; `{% t langs.{{ lang }} %}` → a lookup in the table of texts."""
        parts: list[Segment] = []
        for part in re.split(r"\.(?![^{]*\}\})", args.strip().strip("\"'")):
            inner = re.fullmatch(r"\{\{\s*(.+?)\s*\}\}", part)
            jinja = to_jinja(inner.group(1), self.scope) if inner else None
            if inner and jinja is None:
                return None
            parts.append(("var", jinja) if inner and jinja else part)
        if not any(isinstance(part, tuple) for part in parts):
            found, value = lookup(self.scope.i18n, [str(part) for part in parts])
            return escape_jinja(str(value)) if found and not isinstance(value, (dict, list)) else None
        known = known_value(self.scope.i18n, parts)
        return None if known is None else "{{ " + known + " }}"

    _tag_translate = _tag_t

    def _tag_tf(self, args: str, line: int) -> str | None:
        text = self.links.i18n_file(args.strip().strip("\"'"))
        if text is None or self.depth >= MAX_DEPTH or self.budget[0] <= 0:
            return None
        inner = Translator(self.scope, self.links, self.source, self.depth + 1, self.budget).run(text)
        self.budget[0] -= len(inner.text)
        self.notes.extend((line, f"in {args.strip()}: {note}") for _, note in inner.notes)
        return inner.text

    _tag_translate_file = _tag_tf


def _output(expr: str) -> str:
    if expr == '""':
        return ""
    literal = re.fullmatch(r'"((?:[^"\\]|\\.)*)"', expr)
    if literal and "\\" not in literal.group(1):
        return escape_jinja(literal.group(1))
    return "{{ " + expr + " }}"


def translate(text: str, scope: Scope, links: Links, source: str, first_line: int = 1) -> Result:
    return Translator(scope, links, source).run(text, first_line)
