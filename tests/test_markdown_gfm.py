"""Markdown as GitHub writes it: bare addresses linked, table alignment that survives the CSP, and
heading ids unique on the whole page (the layout's ids included)."""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

from samizdat.build.pipeline import render_site
from samizdat.markdown import render_markdown

LINKED = [  # (Markdown, the href it must give, the link text)
    ("See https://example.org/news.", "https://example.org/news", "https://example.org/news"),
    ("Visit www.example.org/a?x=1&y=2!", "https://www.example.org/a?x=1&amp;y=2", "www.example.org/a?x=1&amp;y=2"),
    ("(https://en.wikipedia.org/wiki/Seoul_(city))", "https://en.wikipedia.org/wiki/Seoul_(city)",
     "https://en.wikipedia.org/wiki/Seoul_(city)"),
    ("Write to group@example.org.", "mailto:group@example.org", "group@example.org"),
    ("Адрес: https://example.org/путь, да", "https://example.org/путь", "https://example.org/путь"),
    ('A quote https://example.org/"onmouseover=x', "https://example.org/&quot;onmouseover=x",
     'https://example.org/"onmouseover=x'),
]
NOT_LINKED = [
    "`https://example.org/code`",
    "    https://example.org/indented-code",
    '<a href="https://example.org/">https://example.org/linked</a>',
    '<img alt="https://example.org/in-attribute" src="x.png">',
    "javascript:alert(1) and ftp://example.org",
    "https://localhost without a dot",
]


@pytest.mark.parametrize(("text", "href", "shown"), LINKED)
def test_bare_addresses_become_links(text: str, href: str, shown: str) -> None:
    html = render_markdown(text)
    assert f'<a href="{href}">{shown}</a>' in html, html
    assert html.count("<a ") == 1


@pytest.mark.parametrize("text", NOT_LINKED)
def test_addresses_in_code_links_and_attributes_stay(text: str) -> None:
    html = render_markdown(text)
    assert html.count("<a ") == text.count("<a "), html


def test_table_alignment_is_classes_the_theme_styles(make_site) -> None:
    table = "| left | centre | right |\n|:--|:-:|--:|\n| a | b | c |\n"
    site = make_site({"content/ru/index.md": "---\ntitle: Т\n---\n" + table})
    output = render_site(site)
    page = output.pages["index.html"].decode()
    assert "style=" not in page  # the CSP (style-src without 'unsafe-inline') would drop it
    # Markdown's left is where a line starts: the right edge on a right-to-left page.
    for side, logical in (("left", "start"), ("center", "center"), ("right", "end")):
        assert page.count(f'class="align-{side}"') == 2
        assert f".align-{side} {{ text-align: {logical}; }}" in output.copies["theme/style.css"].read_text()


class Ids(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.ids += [value for name, value in attrs if name == "id" and value]


@pytest.mark.parametrize("body", [
    "## Intro {#intro}\n\n## Intro\n\n## Intro\n",  # an author's id and a made one collided
    "## Content\n\n## Content\n",  # the layout's <main id="content">
    '<p id="plan">x</p>\n\n## Plan\n\n## Plan-1\n\n## Plan\n',
    "## Upcoming title\n\n## Check\n",
])
def test_heading_ids_are_unique_on_the_whole_page(make_site, body: str) -> None:
    site = make_site({"content/ru/index.md": "---\ntitle: Т\n---\n" + body})
    page = render_site(site).pages["index.html"].decode()
    ids = Counter(Ids(page).ids)
    assert ids and all(count == 1 for count in ids.values()), ids
    assert len(re.findall(r"<h2 id=", page)) == body.count("## ")


def test_bundled_site_has_no_duplicate_ids(bundled_build: Path) -> None:
    pages = sorted(bundled_build.rglob("*.html"))
    assert pages
    for path in pages:
        ids = Counter(Ids(path.read_text(encoding="utf-8")).ids)
        assert all(count == 1 for count in ids.values()), (path, ids)


def test_many_headings_of_one_text_get_the_ids_they_always_had(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Each heading counted up from its text's first number past every id its namesakes took: 30,000
    headings "Update" (a stranger's page of 500 KB) took a minute to number. Each text now starts where its
    last one stopped; the ids are the ones the count from one gave, author ids and look-alikes included."""
    import random

    from samizdat import markdown

    def counted_from_one(rendered: str, reserved: frozenset[str]) -> str:  # as it was
        used = set(reserved) | set(markdown._ID_RE.findall(rendered))
        pieces, done = [], 0
        for start, end, level, inner in markdown._headings(rendered):
            base = markdown.slugify(markdown.html.unescape(markdown.without_tags(inner))) or "section"
            slug, count = base, 0
            while slug in used:
                count += 1
                slug = f"{base}-{count}"
            used.add(slug)
            pieces += [rendered[done:start], f'<h{level} id="{slug}">{inner}</h{level}>']
            done = end
        return "".join(pieces) + rendered[done:]

    random.seed(7)
    texts = ["Update", "Update-1", "Update 2", "Plan", "Content", "План", "소식"]
    body = "".join(random.choice([f"## {random.choice(texts)}\n\n", '<p id="update-3">x</p>\n\n',
                                  "## Plan {#plan-2}\n\n"]) for _ in range(400))
    plain = markdown.pyromark.html(body, options=markdown._OPTIONS)
    made = markdown.add_heading_ids(plain, frozenset({"content"}))
    assert made == counted_from_one(plain, frozenset({"content"}))
    assert made.count("<h2 id=") > 200
    # and each namesake is looked for once: 3,000 headings of one text, 3,000 looks
    looks = []
    real_set = set

    class Looked(real_set):  # type: ignore[type-arg,misc]
        def __contains__(self, item: object) -> bool:
            looks.append(item)
            return super().__contains__(item)

        def __or__(self, other: object) -> Looked:  # the ids in use are a union of two sets
            return Looked(super().__or__(other))  # type: ignore[operator]

    monkeypatch.setattr(markdown, "set", Looked, raising=False)
    markdown.add_heading_ids("<h2>Update</h2>" * 3000)
    assert 3000 <= len(looks) <= 3001
