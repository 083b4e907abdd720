"""A Jekyll page's Liquid, as samizdat's Jinja where the translation is mechanical.

Translated: outputs and filters (see liquid_expr), `raw`, `highlight` (a fenced code block),
`include` and `include_relative` (the file written in, its parameters as literals), `link`,
`post_url`, `assign`, `capture`, `if/elsif/else/unless/case/when/for`, `comment`, and
jekyll-multiple-languages' `t` and `tf`. Anything else is kept as a template comment (invisible to
readers) and noted with its line, and so is every block whose opening tag could not be translated.

What the translation adds to a page (values written in, includes, translated texts) has one budget per
page, MAX_EXPANDED: past it, a tag is kept as a comment and noted like any other, so the rest of the
site imports and a person sees where the page stopped.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from samizdat.importers.liquid_expr import Scope, Segment, known_value, lookup, to_jinja
from samizdat.importers.markup import NextMatch, TagFinder, escape_jinja, jinja_comment
from samizdat.line_numbers import LineNumbers

TAG = re.compile(r"\{%-?\s*(?P<tag>\w+)(?P<args>.*?)-?%\}|\{\{-?(?P<out>.*?)-?\}\}", re.S)
TAG_CLOSINGS = {"{%": ("%}",), "{{": ("}}",)}  # how a TAG begins → how it ends
BLOCKS = {"if": "endif", "unless": "endif", "for": "endfor", "case": "endif", "capture": "endset"}
POST_LOOP = re.compile(r"\s*\w+\s+in\s+(site\.posts|paginator\.posts|site\.categories\.\w+|site\.tags\.\w+)\b")
BODY_ENDS = {"raw": "endraw", "comment": "endcomment", "highlight": "endhighlight"}  # tags whose body is not Liquid
MAX_DEPTH = 6  # includes within includes: a loop of includes stops here
# Characters the translation of one page may add: ten includes of ten includes…, or a 1 MB setting named
# 200 times, stop here instead of writing a page of gigabytes that no build could read.
MAX_EXPANDED = 2_000_000
TOO_LONG = (f"not written in: the page would grow past the import's limit of {MAX_EXPANDED:,} added characters "
            "(values written in, includes, texts), which stops a source that multiplies a page; shorten what "
            "the page repeats, or write the text in by hand")


@dataclass
class Links:
    """What the importer knows of the old site, for the tags that name other files."""

    urls: dict[str, str] = field(default_factory=dict)  # old file path → URL in the new site
    posts: dict[str, str] = field(default_factory=dict)  # post name (2020-01-02-title) → URL
    include: Callable[[str, bool, str], str | None] = lambda name, relative, page: None
    i18n_file: Callable[[str], str | None] = lambda name: None


@dataclass
class Budget:
    """What the translation of one page (with its includes) may still add. Past the limit, a value is kept
    as its tag in a comment rather than inlined: at build time samizdat has no `site.` settings of the old
    site to read, so a Jinja expression naming it would print nothing, while the comment and its note
    tell a person what was there."""

    left: int = MAX_EXPANDED
    refusals: int = 0
    # The includes and translated pieces read for this page: the text of one that fitted when first read,
    # the length of one that did not, so a file named thousands of times is read once.
    files: dict[str, str | int] = field(default_factory=dict)

    def afford(self, size: int) -> bool:
        if size > self.left:
            self.refusals += 1
            return False
        self.left -= size
        return True


class ClosingTags:
    """Where the next `{% endraw %}` (or endcomment, endhighlight) is, from any place in one text."""

    def __init__(self, text: str) -> None:
        self.next = {tag: NextMatch(re.compile(r"\{%-?\s*" + end + r"\s*-?%\}"), text)
                     for tag, end in BODY_ENDS.items()}

    def after(self, tag: str, start: int) -> re.Match[str] | None:
        return self.next[tag].after(start)


class LoopEnds:
    """Where each `{% for %}` of a text ends, found in one reading of its tags as the translator reads
    them (the body of a raw, comment or highlight block is not Liquid). Counting the fors and endfors
    again from each loop over the posts made a page of unclosed loops quadratic (5.8 s for 4,000)."""

    def __init__(self, text: str, tags: TagFinder, closing: ClosingTags) -> None:
        self.index: dict[int, int] = {}  # a tag's start → its place in the reading
        self.ends: list[int] = []  # each tag's end (after the block, for a raw, comment, highlight)
        self.depths: list[int] = []  # loops open after each tag
        self.places_at: dict[int, list[int]] = {}  # loops open → the places after which that many are
        depth, pos = 0, 0
        while (match := tags.search(pos)) is not None:
            tag = match.group("tag")
            found = closing.after(tag, match.end()) if tag in BODY_ENDS else None
            pos = found.end() if found is not None else match.end()
            depth += {"for": 1, "endfor": -1}.get(tag or "", 0)
            self.index[match.start()] = len(self.ends)
            self.places_at.setdefault(depth, []).append(len(self.ends))
            self.depths.append(depth)
            self.ends.append(pos)

    def end_of(self, loop: re.Match[str]) -> int | None:
        """The end of the `{% endfor %}` that closes the loop: the first tag after it with one loop less open."""
        place = self.index.get(loop.start())
        if place is None:
            return None
        # The count moves by one at a time, so the first tag with fewer loops open has exactly one less.
        after = self.places_at.get(self.depths[place] - 1, [])
        found = bisect.bisect_right(after, place)
        return self.ends[after[found]] if found < len(after) else None


@dataclass
class Result:
    text: str
    notes: list[tuple[int, str]]


class Translator:
    def __init__(self, scope: Scope, links: Links, source: str, depth: int = 0,
                 budget: Budget | None = None) -> None:
        self.scope, self.links, self.source, self.depth = scope, links, source, depth
        self.budget = budget if budget is not None else Budget()  # shared with the includes it writes in
        self.refusals_before_tag = 0
        self.notes: list[tuple[int, str]] = []
        self.stack: list[tuple[str, bool]] = []  # open blocks: (tag, translated)

    def run(self, text: str, first_line: int = 1) -> Result:
        out: list[str] = []
        pos = 0
        lines = LineNumbers(text, first_line)
        self.tags = TagFinder(TAG, text, TAG_CLOSINGS)
        self.closing = ClosingTags(text)
        self.loop_ends: LoopEnds | None = None  # read when the first loop over the posts is met
        while True:
            match = self.tags.search(pos)
            if match is None:
                out.append(escape_jinja(text[pos:]))
                break
            out.append(escape_jinja(text[pos:match.start()]))
            line = lines.at(match.start())
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

    def _why(self, usual: str = "not translated") -> str:
        """Why the tag being translated is kept as a comment: the page's limit when this tag met it."""
        return TOO_LONG if self.budget.refusals > self.refusals_before_tag else usual

    def _jinja(self, liquid: str) -> str | None:
        """The expression as Jinja, paid for by the page's budget by what it adds: a value written in."""
        jinja = to_jinja(liquid, self.scope)
        if jinja is None or self.budget.afford(max(0, len(jinja) - len(liquid))):
            return jinja
        return None

    def _special(self, match: re.Match[str], text: str, out: list[str], line: int) -> int | None:
        """Tags whose body is not Liquid: raw, comment, highlight."""
        tag = match.group("tag")
        if tag == "for" and POST_LOOP.match(match.group("args")):
            return self._post_list(match, text, out, line)
        if tag not in BODY_ENDS:
            return None
        found = self.closing.after(tag, match.end())
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
        if self.loop_ends is None:
            self.loop_ends = LoopEnds(text, self.tags, self.closing)
        end = self.loop_ends.end_of(match)
        if end is None:
            out.append(self._note(line, match.group(0), "over the posts has no `{% endfor %}`: add one where the "
                                                        "list of posts ends, or write {{ latest_news() }} there"))
            return match.end()
        limit = re.search(r"limit:\s*(\d+)", match.group("args"))
        out.append("{{ latest_news(" + (limit.group(1) if limit else "10") + ") }}")
        self.notes.append((line, f"the loop `{match.group(0).strip()[:60]}` over the posts became "
                                 "samizdat's list of news, {{ latest_news() }}"))
        return end

    def _tag(self, match: re.Match[str], line: int) -> str:
        self.refusals_before_tag = self.budget.refusals
        if match.group("out") is not None:
            expr = self._jinja(match.group("out"))
            return self._note(line, match.group(0), self._why()) if expr is None else _output(expr)
        tag, args = match.group("tag"), match.group("args").strip()
        handler = getattr(self, f"_tag_{tag}", None)
        result = handler(args, line) if handler else None
        return self._note(line, match.group(0), self._why()) if result is None else result

    def _open(self, tag: str, jinja: str | None, code: str, line: int) -> str:
        self.stack.append((tag, jinja is not None))
        return jinja if jinja is not None else self._note(
            line, code, self._why("(a block) not translated") + ": its inside is shown in every case")

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
        cond = self._jinja(args)
        return self._open("if", None if cond is None else "{% if " + cond + " %}", f"{{% if {args} %}}", line)

    def _tag_unless(self, args: str, line: int) -> str:
        cond = self._jinja(args)
        return self._open("unless", None if cond is None else "{% if not (" + cond + ") %}",
                          f"{{% unless {args} %}}", line)

    def _tag_elsif(self, args: str, line: int) -> str:
        cond = self._jinja(args)
        return self._middle(None if cond is None else "{% elif " + cond + " %}", f"{{% elsif {args} %}}", line)

    def _tag_else(self, args: str, line: int) -> str:
        return self._middle("{% else %}", "{% else %}", line)

    def _tag_endif(self, args: str, line: int) -> str:
        return self._close(("if",), "{% endif %}", line)

    def _tag_endunless(self, args: str, line: int) -> str:
        return self._close(("unless",), "{% endunless %}", line)

    def _tag_case(self, args: str, line: int) -> str:
        subject = self._jinja(args)
        self.stack.append(("case", subject is not None))
        self._case = (subject, True)
        return "" if subject is not None else self._note(line, f"{{% case {args} %}}")

    def _tag_when(self, args: str, line: int) -> str:
        subject, first = getattr(self, "_case", (None, True))
        values = [self._jinja(v) for v in re.split(r"\s*(?:,|\bor\b)\s*", args)]
        if subject is None or any(v is None for v in values):
            return self._note(line, f"{{% when {args} %}}")
        self._case = (subject, False)
        keyword = "if" if first else "elif"
        return "{% " + keyword + " (" + subject + ") in [" + ", ".join(v for v in values if v) + "] %}"

    def _tag_endcase(self, args: str, line: int) -> str:
        return self._close(("case",), "{% endcase %}", line)

    def _tag_for(self, args: str, line: int) -> str:
        match = re.match(r"(\w+)\s+in\s+(.+?)((?:\s+(?:limit|offset):\s*\d+|\s+reversed)*)\s*$", args)
        seq = self._jinja(match.group(2)) if match else None
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
        value = self._jinja(match.group(2)) if match else None
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

    def _file_text(self, key: str, read: Callable[[], str | None]) -> str | None:
        """The text of an include or translated piece to write in, if the page can still afford it."""
        if self.depth >= MAX_DEPTH:
            return None
        found = self.budget.files.get(key)
        if found is None:
            text = read()
            if text is None:
                return None
            found = self.budget.files[key] = text if len(text) <= self.budget.left else len(text)
        size = found if isinstance(found, int) else len(found)
        return found if self.budget.afford(size) and isinstance(found, str) else None

    def _tag_include(self, args: str, line: int, relative: bool = False) -> str | None:
        match = re.match(r"""([\w./-]+)\s*(.*)$""", args, re.S)
        if match is None:
            return None
        name = match.group(1)
        text = self._file_text(f"include {relative} {name}", lambda: self.links.include(name, relative, self.source))
        if text is None:
            return None
        params = dict(re.findall(r"""(\w+)\s*=\s*("[^"]*"|'[^']*'|[\w.\-\[\]]+)""", match.group(2)))
        jinja_params = {key: self._jinja(value) for key, value in params.items()}
        if any(value is None for value in jinja_params.values()):
            return None
        scope = Scope(self.scope.site, self.scope.page, self.scope.base_url,
                      {k: v for k, v in jinja_params.items() if v}, set(self.scope.local), self.scope.i18n,
                      self.scope.data, self.scope.literals)
        inner = Translator(scope, self.links, self.source, self.depth + 1, self.budget).run(text)
        self.notes.extend((line, f"in include {match.group(1)}: {note}") for _, note in inner.notes)
        return inner.text

    def _tag_include_relative(self, args: str, line: int) -> str | None:
        return self._tag_include(args, line, relative=True)

    def _tag_t(self, args: str, line: int) -> str | None:
        """`{% t pages.about %}` → the text; `{% t langs.{{ lang }} %}` → a lookup in the table of texts."""
        parts: list[Segment] = []
        for part in re.split(r"\.(?![^{]*\}\})", args.strip().strip("\"'")):
            inner = re.fullmatch(r"\{\{\s*(.+?)\s*\}\}", part)
            jinja = self._jinja(inner.group(1)) if inner else None
            if inner and jinja is None:
                return None
            parts.append(("var", jinja) if inner and jinja else part)
        if not any(isinstance(part, tuple) for part in parts):
            found, value = lookup(self.scope.i18n, [str(part) for part in parts])
            text = str(value) if found and not isinstance(value, (dict, list)) else None
            return escape_jinja(text) if text is not None and self.budget.afford(len(text)) else None
        known = known_value(self.scope.i18n, parts, self.scope.literals)
        return "{{ " + known + " }}" if known is not None and self.budget.afford(len(known)) else None

    _tag_translate = _tag_t

    def _tag_tf(self, args: str, line: int) -> str | None:
        name = args.strip().strip("\"'")
        text = self._file_text(f"tf {name}", lambda: self.links.i18n_file(name))
        if text is None:
            return None
        inner = Translator(self.scope, self.links, self.source, self.depth + 1, self.budget).run(text)
        self.notes.extend((line, f"in {args.strip()}: {note}") for _, note in inner.notes)
        return inner.text

    _tag_translate_file = _tag_tf


def _output(expr: str) -> str:
    """A plain string written in as text, anything else as a Jinja output. Plain means no quote or
    backslash inside, checked with `in` (a regex over a long value cost a fifth of a second per use)."""
    inner = expr[1:-1]
    if len(expr) >= 2 and expr[0] == expr[-1] == '"' and '"' not in inner and "\\" not in inner:
        return escape_jinja(inner)
    return "{{ " + expr + " }}"


def translate(text: str, scope: Scope, links: Links, source: str, first_line: int = 1) -> Result:
    return Translator(scope, links, source).run(text, first_line)
