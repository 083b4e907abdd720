"""The group's face, set in [theme]: stripes, a mark and a call to action. Every option comes from a
stranger's samizdat.toml, so each is tried with what would break out of its place (CSS that ends its
rule, a script URL, a drawing outside the site). Also: logical CSS only, tables that scroll in their
own box, and right-to-left sites with their own words."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from samizdat.cli import main
from samizdat.config import load_config
from samizdat.markdown import render_markdown, scrolling_tables
from samizdat.scaffold import WELCOME
from samizdat.theme import THEMES_DIR
from tests.conftest import BUNDLED_SITE, MINIMAL_CONFIG
from tests.hostile import Sandbox, assert_refused, sandbox  # noqa: F401

STYLE = THEMES_DIR / "default" / "static" / "style.css"
STRINGS = THEMES_DIR / "default" / "strings"
MARK = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4"><rect width="4" height="4"/></svg>'
GOOD_THEME = """
[theme]
accent = "#1f5fa8"
stripes = ["#ffffff", "#1f5fa8", "#ffffff"]
mark = "assets/mark.svg"

[theme.action]
url = "https://help.example.org/"
label = { ru = "ПОМОЧЬ", en = "HELP" }
"""


def test_the_bundled_site_sets_its_identity() -> None:
    theme = load_config(BUNDLED_SITE).theme
    assert theme.stripes == ("#ffffff", "#1f5fa8", "#ffffff")
    assert theme.mark == "assets/mark.svg" and (BUNDLED_SITE / theme.mark).is_file()
    assert theme.action is not None and theme.action.url.startswith("https://")
    assert isinstance(theme.action.label, dict) and set(theme.action.label) == {"ru", "en", "ko"}


def test_each_language_gets_its_call_to_action_mark_and_stripes(sandbox: Sandbox, capsys) -> None:  # noqa: F811
    sandbox.write({"assets/mark.svg": MARK}, MINIMAL_CONFIG + GOOD_THEME)
    outcome = sandbox.build(capsys)
    assert outcome.code == 0, outcome.err
    russian = (sandbox.out / "index.html").read_text(encoding="utf-8")
    english = (sandbox.out / "en" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<a class="action" href="https://help.example.org/"[^>]*>ПОМОЧЬ</a>', russian)
    assert re.search(r'<a class="action" href="https://help.example.org/"[^>]*>HELP</a>', english)
    assert '<img class="mark" src="/assets/mark.svg"' in russian and (sandbox.out / "assets" / "mark.svg").is_file()
    assert '<body class="home striped">' in russian
    css = next((sandbox.out / "theme").glob("vars.css")).read_text(encoding="utf-8")
    # three hard-edged bands of one third each, as the flag is drawn
    assert "linear-gradient(#ffffff 0% 33.33%, #1f5fa8 33.33% 66.67%, #ffffff 66.67% 100%)" in css
    # no menu and no header links: no empty menu button
    assert "menu-narrow" not in russian and "menu-wide" not in russian
    sandbox.assert_untouched()


def test_without_theme_options_the_header_has_no_action_mark_or_stripes(sandbox: Sandbox, capsys) -> None:  # noqa: F811
    sandbox.write({})
    assert sandbox.build(capsys).code == 0
    page = (sandbox.out / "index.html").read_text(encoding="utf-8")
    assert 'class="action"' not in page and 'class="mark"' not in page and "striped" not in page
    assert "--stripes: none;" in (sandbox.out / "theme" / "vars.css").read_text(encoding="utf-8")


HOSTILE_THEMES = [  # (what samizdat.toml's [theme] says, words the error must hold)
    ('stripes = "#ffffff"', "theme.stripes: must be a list"),
    ('stripes = ["#ffffff"]', "theme.stripes: must list 2 to 7 colours"),
    ('stripes = ["#ffffff", "red; } body { display: none"]', "theme.stripes: must list 2 to 7 colours"),
    ('stripes = ["#ffffff", 3]', "theme.stripes: must list 2 to 7 colours"),
    ('stripes = ["#000000", "#111111", "#222222", "#333333", "#444444", "#555555", "#666666", "#777777"]',
     "theme.stripes: must list 2 to 7 colours"),
    ('accent_text = "white; } * { color: red"', "theme.accent_text: 'white; } * { color: red' must be a colour"),
    ('mark = "../home/secret.svg"', "theme.mark: '../home/secret.svg' is not a file of the site"),
    ('mark = "/etc/passwd"', "theme.mark: '/etc/passwd' must be an SVG file in assets/"),
    ('mark = "assets/mark.png"', "theme.mark: 'assets/mark.png' must be an SVG file in assets/"),
    ('mark = "content/ru/mark.svg"', "theme.mark: 'content/ru/mark.svg' must be an SVG file in assets/"),
    ('mark = "assets/none.svg"', "theme.mark: file assets/none.svg not found"),
    ('mark = "assets/link.svg"', "theme.mark"),
    ('action = "https://x.org/"', "theme.action: must be a table"),
    ('action = { url = "javascript:alert(1)", label = "Help" }', "theme.action.url: 'javascript:alert(1)' must start"),
    ('action = { url = "//evil.example/", label = "Help" }', "theme.action.url: '//evil.example/' must start"),
    ('action = { url = "https://x.org/ onclick=x", label = "Help" }', "theme.action.url"),
    ('action = { url = "https://x.org/" }', "theme.action.label: missing"),
    ('action = { label = "Help" }', "theme.action.url: missing"),
    ('action = { url = "https://x.org/", label = "" }', "theme.action.label: must not be empty"),
    ('action = { url = "https://x.org/", label = { xx = "Help" } }', "theme.action.label: 'xx' is not one of"),
    ('action = { url = "https://x.org/", label = { ru = 3 } }', "theme.action.label: the ru label must be a text"),
    ('action = { url = "https://x.org/", label = "Help", colour = "red" }', "theme.action.colour: unknown key"),
]


@pytest.mark.parametrize("option, words", HOSTILE_THEMES, ids=[case[0][:40] for case in HOSTILE_THEMES])
def test_a_bad_theme_option_is_one_clear_error(sandbox: Sandbox, capsys, option: str, words: str) -> None:  # noqa: F811
    site = sandbox.write({"content/ru/mark.svg": MARK}, MINIMAL_CONFIG + "\n[theme]\n" + option + "\n")
    (site / "assets").mkdir(exist_ok=True)
    (site / "assets" / "mark.png").write_bytes(b"\x89PNG")
    (site / "assets" / "link.svg").symlink_to(sandbox.outside / "secret.txt")
    outcome = sandbox.build(capsys)
    assert_refused(outcome, "samizdat.toml")
    assert words in outcome.err, outcome.err
    sandbox.assert_untouched()


# Physical properties, which a right-to-left page would need mirrored by hand: the theme has none.
PHYSICAL = re.compile(r"(?<![\w-])((margin|padding|border|inset)-(left|right|top|bottom)\b|(left|right|top|bottom)\s*:"
                      r"|(min-|max-)?(width|height)\s*:|float\s*:\s*(left|right)|text-align\s*:\s*(left|right))")


def test_the_theme_uses_logical_properties_only() -> None:
    css = re.sub(r"/\*.*?\*/", "", STYLE.read_text(encoding="utf-8"), flags=re.DOTALL)
    rules = re.sub(r"@media[^{]*\{", "", css)  # a media query's (min-width: …) is the screen's, not a box's
    found = [match.group(0) for match in PHYSICAL.finditer(rules)]
    assert rules.count("{") > 50 and found == []


TABLES = [  # (Markdown's or the author's HTML, boxes expected)
    ("| a | b |\n|---|---|\n| 1 | 2 |\n", 1),
    ("| a |\n|---|\n| 1 |\n\ntext\n\n| c |\n|---|\n| 3 |\n", 2),
    ('<table border="0"><tr><td>x</td></tr></table>\n', 0),  # the author's own HTML is left as written
    ("<table>\n\n| a |\n|---|\n| 1 |\n", 0),  # a table left open: no box that could swallow the page
    ("</table>\n\n| a |\n|---|\n| 1 |\n", 1),  # a stray closing tag gets no </div>
]


@pytest.mark.parametrize("markdown, boxes", TABLES)
def test_wide_tables_scroll_in_their_own_box(markdown: str, boxes: int) -> None:
    html = render_markdown(markdown)
    assert html.count('<div class="table-scroll" tabindex="0"><table>') == boxes
    assert html.count("<div") == html.count("</div>") == boxes
    assert scrolling_tables(html.replace('<div class="table-scroll" tabindex="0">', "").replace("</div>", "")) == html


@pytest.mark.parametrize("code, skip", [("he", "דילוג לתוכן"), ("ar", "انتقل إلى المحتوى")])
def test_right_to_left_sites_get_their_own_words(tmp_path: Path, code: str, skip: str) -> None:
    english = {key for key in yaml.safe_load((STRINGS / "en.yaml").read_text(encoding="utf-8"))
               if not key.startswith("editor_")}  # the editor speaks ru, en and ko; other languages see English
    own = yaml.safe_load((STRINGS / f"{code}.yaml").read_text(encoding="utf-8"))
    assert set(own) == english
    for key, text in own.items():  # in the language itself: no English left but names and commands
        names = r"\{\w+\}|OpenStreetMap|Atom|serve --drafts|index\.html|Tor|onion|USB|ZIP|SHA-256|JavaScript|Ctrl"
        rest = re.sub(names, "", text)
        assert not re.search(r"[A-Za-z]{3,}", rest), (key, text)
    welcome = yaml.safe_load(WELCOME.read_text(encoding="utf-8"))[code]
    site = tmp_path / "site"
    assert main(["init", str(site), "--languages", f"{code},en", "--timezone", "UTC"]) == 0
    assert welcome["text"] in (site / "content" / code / "index.md").read_text(encoding="utf-8")
    assert main(["build", str(site), "-o", str(tmp_path / "out")]) == 0
    page = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert f'<html lang="{code}" dir="rtl">' in page and skip in page and welcome["title"] in page


@pytest.mark.parametrize("home", ["index.html", "en/index.html", "kr/index.html"])
def test_a_home_page_weighs_at_most_40_kb_of_html_and_css(bundled_build: Path, home: str) -> None:
    """Before images: the page and every stylesheet it links, as a phone on a slow line fetches them."""
    page = (bundled_build / home).read_text(encoding="utf-8")
    sheets = re.findall(r'<link rel="stylesheet" href="/([^"?]+)', page)
    assert "theme/style.css" in sheets and "theme/vars.css" in sheets
    total = len(page.encode()) + sum((bundled_build / sheet).stat().st_size for sheet in sheets)
    assert total <= 40_000, total
