"""With publish.onion, pages carry the onion-location meta tag and `_headers` the Onion-Location header."""

from __future__ import annotations

from pathlib import Path

from samizdat.outputs.onion import nginx_directive
from tests.publishing import ONION, publishing_site
from tests.test_build import Elements


def onion_meta(html: str) -> list[str | None]:
    return [m.get("content") for m in Elements(html).all("meta") if m.get("http-equiv") == "onion-location"]


def parse_headers(text: str) -> dict[str, dict[str, str]]:
    rules: dict[str, dict[str, str]] = {}
    path = ""
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        if not line.startswith(" "):
            path = line.strip()
            rules[path] = {}
        else:
            name, value = line.strip().split(": ", 1)
            rules[path][name] = value
    return rules


def test_each_page_names_its_own_onion_address(run_cli, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run_cli("build", publishing_site(tmp_path / "site"), "-o", out).code == 0
    for rel, path in [("index.html", "/"), ("en/index.html", "/en/"), ("kr/index.html", "/kr/"),
                      ("en/mirrors/index.html", "/en/mirrors/")]:
        assert onion_meta((out / rel).read_text(encoding="utf-8")) == [f"http://{ONION}{path}"], rel

    rules = parse_headers((out / "_headers").read_text(encoding="utf-8"))
    assert rules["/"] == {"Onion-Location": f"http://{ONION}/"}
    assert rules["/en/"] == {"Onion-Location": f"http://{ONION}/en/"}
    assert rules["/kr/mirrors/"] == {"Onion-Location": f"http://{ONION}/kr/mirrors/"}
    assert "/404.html" not in rules  # served at every missing address, it has no path of its own
    html_pages = {p for p in out.rglob("*.html") if p.name != "404.html"}
    assert len(rules) == len(html_pages) + 1  # and the security headers for every path, "/*"
    assert rules["/*"]["Referrer-Policy"] == "no-referrer"


def test_relative_build_keeps_the_onion_address_absolute(run_cli, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run_cli("build", publishing_site(tmp_path / "site"), "-o", out, "--relative").code == 0
    assert onion_meta((out / "en/index.html").read_text(encoding="utf-8")) == [f"http://{ONION}/en/"]


def test_no_onion_no_tag_and_no_onion_header(bundled_build: Path) -> None:
    assert onion_meta((bundled_build / "en/index.html").read_text(encoding="utf-8")) == []
    assert list(parse_headers((bundled_build / "_headers").read_text(encoding="utf-8"))) == ["/*"]


def test_nginx_directive_passes_the_request_path() -> None:
    assert nginx_directive(ONION) == f"add_header Onion-Location http://{ONION}$request_uri always;"


def test_a_page_cannot_offer_another_onion_address(run_cli, tmp_path: Path) -> None:
    """Tor Browser offers readers the address of an onion-location meta tag: one in a page's text would
    steer them to a stranger's onion site. Only the layout's, in <head>, may say it."""
    site = publishing_site(tmp_path / "site")
    page = site / "content/en/about.md"
    page.write_text("---\ntitle: About\n---\nText.\n\n"
                    '<meta http-equiv="onion-location" content="http://evil.onion/">\n', encoding="utf-8")
    outcome = run_cli("build", site, "-o", tmp_path / "out")
    assert outcome.code == 1
    assert "Traceback" not in outcome.err
    assert "content/en/about.md:6" in outcome.err and "onion-location" in outcome.err
