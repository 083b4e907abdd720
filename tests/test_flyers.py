"""Meeting flyers (samizdat/outputs/flyers.py) read back from the built site, per language."""

from __future__ import annotations

from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from tests.conftest import BUNDLED_SITE, copy_site, replace_publish_table
from tests.hostile import assert_refused, sandbox  # noqa: F401

MEETING = "meetings/2022-02-27-bosingak/"
BASE = "https://www.voicesinkorea.kr/"
# language code → (URL prefix, the words the flyer must carry in that language)
LANGUAGES = {
    "ru": ("", ("Когда", "Где", "Павильон Посингак", "воскресенье, 27\u00a0февраля 2022\u00a0г.")),
    "en": ("en/", ("When", "Where", "Bosingak Pavilion", "Sunday, 27 February 2022")),
    "ko": ("kr/", ("일시", "장소", "보신각", "2022년 2월 27일 일요일")),
}


def _tree(out: Path, path: str) -> LexborHTMLParser:
    return LexborHTMLParser((out / path).read_text(encoding="utf-8"))


@pytest.mark.parametrize("code", sorted(LANGUAGES))
def test_each_language_has_a_flyer_with_its_facts_and_qr(bundled_build: Path, code: str) -> None:
    prefix, words = LANGUAGES[code]
    tree = _tree(bundled_build, f"{prefix}{MEETING}flyer/index.html")
    sheets = tree.css("article.flyer-sheet")
    assert [sheet.attributes["lang"] for sheet in sheets] == [code]
    text = sheets[0].text().replace("\u202f", "\u00a0")
    for word in words:
        assert word in text, f"{code}: {word!r} missing from the flyer"
    assert "37.57010, 126.98350" in text  # the map note: coordinates any map app finds
    codes = sheets[0].css("svg.qr")
    assert len(codes) == 1 and codes[0].css_first("path.qr-dark") is not None
    assert sheets[0].css_first(".flyer-url").text() == f"{BASE}{prefix}{MEETING}"
    assert "style=" not in (bundled_build / f"{prefix}{MEETING}flyer/index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("code", sorted(LANGUAGES))
def test_meeting_page_links_to_its_flyer_and_back_to_the_list(bundled_build: Path, code: str) -> None:
    prefix = LANGUAGES[code][0]
    tree = _tree(bundled_build, f"{prefix}{MEETING}index.html")
    links = [node.attributes.get("href") for node in tree.css("main a")]
    assert f"/{prefix}{MEETING}flyer/" in links
    assert f"/{prefix}meetings/" in links  # back to the list
    current = tree.css(".menu-wide .site-nav a[aria-current]")  # the phone's menu repeats it
    assert [node.attributes["href"] for node in current] == [f"/{prefix}meetings/"]
    assert current[0].attributes["aria-current"] == "true"
    flyer = _tree(bundled_build, f"{prefix}{MEETING}flyer/index.html")
    assert f"/{prefix}{MEETING}" in [node.attributes.get("href") for node in flyer.css("a")]


def test_the_meetings_list_itself_is_the_current_page(bundled_build: Path) -> None:
    for prefix, _ in LANGUAGES.values():
        current = _tree(bundled_build, f"{prefix}meetings/index.html").css(".menu-wide .site-nav a[aria-current]")
        assert [(n.attributes["href"], n.attributes["aria-current"]) for n in current] == [
            (f"/{prefix}meetings/", "page")]
        home = _tree(bundled_build, f"{prefix}index.html").css(".site-nav a[aria-current='true']")
        assert home == [], "a home page is no section of another menu item"


def test_one_flyer_carries_every_language(bundled_build: Path) -> None:
    tree = _tree(bundled_build, f"{MEETING}flyer/all/index.html")
    assert [sheet.attributes["lang"] for sheet in tree.css("article.flyer-sheet")] == ["ru", "en", "ko"]
    urls = [node.text() for node in tree.css(".flyer-url")]
    assert urls == [f"{BASE}{prefix}{MEETING}" for prefix, _ in LANGUAGES.values()]


def test_flyer_carries_the_onion_address_when_the_site_has_one(tmp_path: Path, run_cli) -> None:
    onion = "a" * 56 + ".onion"
    site = copy_site(BUNDLED_SITE, tmp_path / "site")
    replace_publish_table(site, f'[publish]\nonion = "{onion}"\n')
    assert run_cli("build", site, "-o", tmp_path / "out").code == 0
    tree = _tree(tmp_path / "out", f"en/{MEETING}flyer/index.html")
    assert [node.text() for node in tree.css(".flyer-url")] == [f"{BASE}en/{MEETING}",
                                                                 f"http://{onion}/en/{MEETING}"]
    assert len(tree.css("svg.qr")) == 2


HOSTILE_MEETING = ('start: "2026-12-05 15:00"\nplace:\n  name: {name}\n  address: {address}\n  lat: {lat}\n'
                   "  lon: 126.98\n")
# Meeting facts and texts a stranger wrote: each must reach the flyer as text, never as markup.
HOSTILE_FLYER_INPUTS = {
    "script in the title": ({"title": "<script>alert(1)</script>"}, "<script>alert(1)</script>"),
    "handler in the place": ({"name": '"<img src=x onerror=alert(1)>"'}, "<img src=x onerror=alert(1)>"),
    "svg in the address": ({"address": '"<svg onload=alert(1)>"'}, "<svg onload=alert(1)>"),
    "private-use mark in the title": ({"title": "в \ue000 доме https://x.org/\ue000"}, "\ue000 доме"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE_FLYER_INPUTS))
def test_hostile_meeting_facts_reach_the_flyer_as_text(sandbox, capsys, case: str) -> None:  # noqa: F811
    given, shown = HOSTILE_FLYER_INPUTS[case]
    facts = {"name": "Place", "address": "Street", "lat": "37.5"} | given
    title = given.get("title", "Meeting")
    sandbox.write({"meetings/2026-12-05-x.yaml": HOSTILE_MEETING.format(**facts),
                   "content/ru/meetings/2026-12-05-x.md": f"---\ntitle: '{title}'\n---\nТекст.\n"})
    outcome = sandbox.build(capsys)
    assert outcome.code == 0, outcome.err
    flyer = sandbox.out / "meetings/2026-12-05-x/flyer/index.html"
    tree = LexborHTMLParser(flyer.read_text(encoding="utf-8"))
    assert shown in tree.css_first("article.flyer-sheet").text()
    assert tree.css("script") == [] and [svg.attributes.get("class") for svg in tree.css("svg")] == ["qr"]
    assert not any(name.startswith("on") for node in tree.css("*") for name in node.attributes)
    sandbox.assert_untouched()


def test_a_sites_own_flyer_template_with_a_script_is_refused(sandbox, capsys) -> None:  # noqa: F811
    sandbox.write({"meetings/2026-12-05-x.yaml": HOSTILE_MEETING.format(name="P", address="S", lat="37.5"),
                   "content/ru/meetings/2026-12-05-x.md": "---\ntitle: Акция\n---\nТекст.\n",
                   "templates/flyer.html": "<!doctype html><title>x</title><script>steal()</script>\n"})
    outcome = sandbox.build(capsys)
    assert_refused(outcome, "templates/flyer.html", 1)
    assert "<script> would run code" in outcome.err
    assert not (sandbox.out / "meetings/2026-12-05-x/flyer/index.html").exists()
    sandbox.assert_untouched()
