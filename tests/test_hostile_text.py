"""A page's text cannot make the build hang: the patterns that read rendered HTML, Markdown links and an
SVG's CSS take time in step with the text. Each case is text that once took a minute or more (a pattern
tried at every '<', '+' or url( read on to the end of the page each time) and must now come back at once,
with the output it always gave.

Each runs in a Python of its own, stopped after TIMEOUT seconds: a timeout only tells a hang, nothing is
timed, and a thread stuck in a pattern could not be stopped.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from samizdat.assets.svg import clean_svg

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 10  # seconds; every case here takes milliseconds, and took a minute or more before
CHILD = """
import importlib, json, sys
results = []
for name, args in json.load(sys.stdin):
    module, function = name.split(":")
    results.append(getattr(importlib.import_module(module), function)(*args))
json.dump(results, sys.stdout)
"""


def run_alone(*calls: tuple[str, tuple[Any, ...]]) -> list[Any]:
    """What each call ("module:function", its arguments) returns, computed in a Python of its own."""
    try:
        done = subprocess.run([sys.executable, "-c", CHILD], input=json.dumps(calls), capture_output=True,
                              text=True, timeout=TIMEOUT, cwd=ROOT, check=False)
    except subprocess.TimeoutExpired:
        pytest.fail(f"not done after {TIMEOUT} s: a page like this would hang the build")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def check_alone(cases: list[tuple[str, tuple[Any, ...], Any]]) -> None:
    results = run_alone(*[(function, args) for function, args, _ in cases])
    for (function, args, expected), result in zip(cases, results, strict=True):
        assert result == expected, f"{function}({str(args)[:80]}…)"


def test_markdown_with_unclosed_tags_renders_at_once() -> None:
    """Heading ids, the author's ids and the tables' scrolling boxes are found in the rendered page."""
    render, pieces = "samizdat.markdown:render_markdown", "samizdat.markdown:html_pieces"
    lts, headings, tables = "<" * 100_000, "<h2>" * 50_000, "<table " * 30_000
    check_alone([
        # every '<' was read up to the next '>' for an id; the author's id after them is still seen
        (render, (f'<div>{lts}</div>\n\n<p id="late">Late</p>\n\n## Late\n',),
         f'<div>{lts}</div>\n<p id="late">Late</p>\n<h2 id="late-1">Late</h2>\n'),
        # every <h2> was read to the end for its </h2>; the real heading still gets its id
        (render, (f"{headings}\n\n# Title\n",), f'{headings}\n<h1 id="title">Title</h1>\n'),
        (render, (f"<h1>{lts}</h1>\n",), f'<h1 id="section">{lts}</h1>\n'),  # the heading's text, for its id
        (render, (f"<div>{tables}\n",), f"<div>{tables}\n"),  # every <table read to the end for its '>'
        # a page that breaks a rule: each of its tags named at its line, the lines counted once
        (pieces, ("x <b> " * 150_000 + "\n\n<script>",), [[0, "<b>"]] * 150_000 + [[2, "<script>"]]),
    ])


def test_addresses_next_to_long_runs_are_linked_at_once() -> None:
    """GFM autolinks as before: the address linked, trailing ')' and entities left out, no address where
    the '@' has no domain."""
    link, pluses = "samizdat.autolinks:autolink", "+" * 300_000
    no_domain = "+" * 40_000 + "@" + "b." * 40_000  # no label of two letters at its end
    url = '<a href="https://example.org/">https://example.org/</a>'
    parens, entities, lts = ")" * 300_000, "&amp;" * 60_000, "<" * 400_000
    check_alone([
        # an e-mail address was looked for again from every '+' of the run, to its end
        (link, (f"<p>Write to group@example.org {pluses}</p>",),
         f'<p>Write to <a href="mailto:group@example.org">group@example.org</a> {pluses}</p>'),
        (link, (f"<p>{pluses}@example.c</p>",), f"<p>{pluses}@example.c</p>"),
        (link, (f"<p>{no_domain}</p>",), f"<p>{no_domain}</p>"),
        # the parentheses were counted, and an entity looked for, over the whole URL for each character taken off
        (link, (f"<p>See https://example.org/{parens}</p>",), f"<p>See {url}{parens}</p>"),
        (link, (f"<p>See https://example.org/{entities}</p>",), f"<p>See {url}{entities}</p>"),
        (link, (f"<p>@</p>{lts}",), f"<p>@</p>{lts}"),  # every '<' read to the end for its '>'
    ])


def cleaned_style(style: str) -> str:
    """The text of a drawing's <style> once the drawing is cleaned."""
    drawing = f'<svg xmlns="http://www.w3.org/2000/svg"><style>{style}</style></svg>'.encode()
    cleaned = clean_svg(drawing, Path("drawing.svg")).decode()
    return cleaned.split("<style>", 1)[1].split("</style>", 1)[0]


def test_svg_style_of_unclosed_urls_is_cleaned_at_once() -> None:
    """Every url( was read to the next quote or ')' again; the one that is closed still loses its address."""
    opened = "url(" * 40_000
    check_alone([
        ("tests.test_hostile_text:cleaned_style", (f"{opened}'https://evil.example/x.png')",), opened[4:] + "none"),
        ("samizdat.assets.svg:clean_css", (f"fill: {opened}'#pattern') ",), f"fill: {opened}'#pattern') "),
    ])


def test_feed_text_of_unclosed_paragraphs_is_made_at_once() -> None:
    """A feed's summary and a calendar's description: the text without its tags, the first paragraph's."""
    summary, plain_text = "samizdat.outputs.text:summary", "samizdat.outputs.text:plain_text"
    open_p = "<p" * 200_000
    check_alone([
        (summary, ("<p>" * 60_000 + "Hello, world.",), "Hello, world."),  # every <p> read to the end for its </p>
        (plain_text, ("<p>Hello</p>" + "<" * 400_000,), "Hello\n\n" + "<" * 400_000),  # every '<' for its '>'
        (summary, (f"Hello{open_p}",), f"Hello{open_p}"[:300] + "…"),  # every <p for its '>'
    ])


def test_placeholders_are_found_in_step_with_the_text() -> None:
    """`samizdat check` and the build look for `<<TODO: …>>` in every page: a run of openings with no `>>`
    after them was read on to the end (or the next `>`) from each one."""
    many = "<<TODO:" * 200_000
    check_alone([
        ("samizdat.content.placeholders:find_placeholders", (many,), []),
        ("samizdat.content.placeholders:find_placeholders", (many + ">",), []),
        # a placeholder runs to the first '>' (lines and all), as the pattern took it
        ("samizdat.content.placeholders:find_placeholders", (many + "\nx>>",), [[1, many + "\nx>>"]]),
        ("samizdat.content.placeholders:find_placeholders", ("a\n<<TODO: x>> <<TODO:y>\n<<TODO: z>>",),
         [[2, "<<TODO: x>>"], [3, "<<TODO: z>>"]]),
    ])
