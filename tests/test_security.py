"""The security policy: the pages' CSP meta tag, `_headers`, `.htaccess` and the nginx snippet say the same thing."""

from __future__ import annotations

import re
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

from samizdat.outputs.page_rules import CHECKED_ATTRIBUTES, attribute_violations, scan_page
from samizdat.outputs.security import SecurityPolicy, harden_external_links, script_hash
from samizdat.theme import THEMES_DIR
from tests.conftest import MINIMAL_CONFIG

THEME_SEARCH_SCRIPT = THEMES_DIR / "default" / "static" / "search.js"

CSP_META_RE = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')


def inline_scripts(html: str) -> list[str]:
    return [node.text() for node in LexborHTMLParser(html).css("script") if "src" not in node.attributes]


def header_lines(text: str, prefix: str) -> dict[str, str]:
    pairs = [line.removeprefix(prefix).split(": " if prefix == "  " else " ", 1)
             for line in text.splitlines() if line.startswith(prefix) and not line.startswith("#")]
    return {name: value.removesuffix(" always;").strip('"') for name, value in pairs}


def test_pages_and_both_header_files_carry_one_policy(bundled_build: Path) -> None:
    netlify = header_lines((bundled_build / "_headers").read_text(encoding="utf-8"), "  ")
    nginx = header_lines((bundled_build / "samizdat-headers.conf").read_text(encoding="utf-8"), "add_header ")
    apache = (bundled_build / ".htaccess").read_text(encoding="utf-8")
    assert apache.startswith("# Written by samizdat build") and "<IfModule mod_headers.c>\n" in apache
    assert netlify == nginx == header_lines(apache, "  Header always set ")
    assert len(netlify) == len(SecurityPolicy().headers())
    csp = netlify["Content-Security-Policy"]
    assert csp.startswith("default-src 'none';")
    for directive in ("frame-ancestors 'none'", "base-uri 'none'", "form-action 'none'", "img-src 'self'"):
        assert directive in csp
    scripts = {script_hash(body) for page in bundled_build.rglob("*.html")
               for body in inline_scripts(page.read_text(encoding="utf-8"))}
    assert scripts  # the meetings' time script
    allowed = " ".join(f"'{digest}'" for digest in sorted(scripts))
    assert f"script-src {allowed};" in csp  # by hash, and nothing else
    assert netlify["Referrer-Policy"] == "no-referrer"
    assert netlify["X-Content-Type-Options"] == "nosniff"
    for feature in ("camera=()", "microphone=()", "geolocation=()", "interest-cohort=()"):
        assert feature in netlify["Permissions-Policy"]
    pages = sorted(bundled_build.rglob("*.html"))
    assert len(pages) >= 6
    for page in pages:
        metas = CSP_META_RE.findall(page.read_text(encoding="utf-8"))
        # A <meta> CSP cannot carry frame-ancestors (browsers ignore it there): the rest is the same.
        assert metas == [csp.replace("; frame-ancestors 'none'", "")], page


def test_external_links_get_noopener_noreferrer_and_nothing_else_changes(bundled_build: Path) -> None:
    html = (bundled_build / "en/index.html").read_text(encoding="utf-8")
    external = re.findall(r'<a href="https://[^"]*"[^>]*>', html)
    assert len(external) >= 5
    assert all('rel="noopener noreferrer"' in tag for tag in external)
    assert 'href="/" hreflang="ru" lang="ru">' in html  # the site's own links are left alone

    own = "https://example.org"
    source = ('<p><a  class=x href=\'https://other.example/a?b=1\'>x</a> <a href="https://example.org/en/">own</a>'
              '<a rel="me" href="https://other.example/">m</a><a href="/x">i</a><a href="mailto:a@b.c">@</a>'
              '<a href=" HTTPS://OTHER.example/">caps</a></p>')
    assert harden_external_links(source, own) == (
        '<p><a class="x" href="https://other.example/a?b=1" rel="noopener noreferrer">x</a> '
        '<a href="https://example.org/en/">own</a><a rel="me noopener noreferrer" href="https://other.example/">m</a>'
        '<a href="/x">i</a><a href="mailto:a@b.c">@</a>'
        '<a href=" HTTPS://OTHER.example/" rel="noopener noreferrer">caps</a></p>')
    hardened = LexborHTMLParser(harden_external_links(source, own))
    assert not scan_page(hardened, frozenset(), False, own).links_to_harden
    assert scan_page(LexborHTMLParser(source), frozenset(), False, own).links_to_harden


def test_inline_scripts_are_allowed_by_hash_in_meta_and_headers(make_site, run_cli) -> None:
    script = "document.documentElement.classList.add('js');"
    # A page's own script runs only when samizdat.toml lists the page (see test_content_safety.py).
    config = MINIMAL_CONFIG + '\n[security]\nallow_scripts = ["content/en/index.md"]\n'
    site = make_site({"content/en/index.md": f"Hello.\n\n<script>{script}</script>\n"}, config=config)
    assert run_cli("build", site).code == 0
    digest = script_hash(script)
    page = (site / "_site/en/index.html").read_text(encoding="utf-8")
    # Beside it, only the theme's search script (the search page's), also by hash.
    search = script_hash(THEME_SEARCH_SCRIPT.read_text(encoding="utf-8").strip())
    directive = re.search(r"script-src ([^;]*)", CSP_META_RE.findall(page)[0])
    assert directive is not None and set(directive[1].split()) == {f"'{digest}'", f"'{search}'"}
    assert f"'{digest}'" in (site / "_site/_headers").read_text(encoding="utf-8")
    assert SecurityPolicy(script_hashes=(digest, search)).meta_csp() == CSP_META_RE.findall(page)[0]


def test_links_are_found_again_exactly_even_beside_look_alikes() -> None:
    """A link written inside a comment, a script or a title is text, not a link: it stays as it was."""
    own = "https://example.org"
    page = ('<!doctype html><html><head><title>see <a href="https://x.example/">x</a></title>\n'
            "<!-- <a href=\"https://old.example/\">old</a> -->\n"
            "<script>const s = '<a href=\"https://js.example/\">';</script></head><body>\n"
            '<A HREF="https://other.example/">real</A><area href="https://map.example/"></body></html>')
    scan = scan_page(LexborHTMLParser(page), frozenset({"const s = '<a href=\"https://js.example/\">';"}), False, own)
    assert scan.links == ("https://other.example/", "https://map.example/")
    hardened = harden_external_links(page, own, scan.links)
    assert hardened.count('rel="noopener noreferrer"') == 2
    assert '<a href="https://other.example/" rel="noopener noreferrer">real</A>' in hardened
    for untouched in ('<!-- <a href="https://old.example/">old</a> -->',
                      "<script>const s = '<a href=\"https://js.example/\">';</script>"):
        assert untouched in hardened
    # Without look-alikes the quick look is used, and it agrees with the full tokenizer.
    body = page.split("<body>")[1]
    assert harden_external_links(body, own, scan.links) == harden_external_links(body, own)


def test_only_the_checked_attributes_and_handlers_can_break_a_rule() -> None:
    """scan_page() asks attribute_violations() of those attributes alone: no other may ever be refused."""
    hostile = ["javascript:alert(1)", "data:text/html,<script>", "https://elsewhere.example/", "//elsewhere.example/",
               "steal()", "1", ""]
    tags = ["a", "form", "button", "iframe", "img", "set", "animate", "use", "div", "meta", "link", "svg", "object"]
    others = ["class", "id", "style", "name", "content", "rel", "type", "target", "title", "lang", "http-equiv",
              "charset", "value", "values2", "to-do", "xlink:title", "attributename", "begin", "download", "form",
              "referrerpolicy", "integrity", "crossorigin", "sandbox", "allow", "is", "slot", "o", "n"]
    for tag in tags:
        for name in others:
            assert name not in CHECKED_ATTRIBUTES and not name.startswith("on")
            assert all(attribute_violations(tag, name, value, "https://example.org") == [] for value in hostile)
    for name in [*CHECKED_ATTRIBUTES, "onclick", "onload"]:
        tag = "animate" if name in ("to", "from", "values", "by") else "form"
        assert any(attribute_violations(tag, name, value, "https://example.org") for value in hostile), name
