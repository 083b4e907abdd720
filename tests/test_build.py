"""The bundled Voices in Korea site and the group's own seed page, built and read back."""

from __future__ import annotations

import base64
import hashlib
import html as html_module
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

from PIL import Image

from tests.conftest import FIXTURES, MINIMAL_CONFIG, tree_digest

EDITIONS = {"index.html": ("ru", "Россияне против войны"), "en/index.html": ("en", "Russians Against War"),
            "kr/index.html": ("ko", "전쟁에 반대하는 러시아인")}
INSTAGRAM_POSTS = ["CbrD7KMrMLR", "CciKdwBLV0E", "Cb9Zf3dL-AO", "Ca5H5qPhGjd", "CbFqv61pRBm", "CbaMH2oFigK"]


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text, in document order."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]


def read(out: Path, rel: str) -> str:
    return (out / rel).read_text(encoding="utf-8")


def test_each_edition_has_its_lang_and_heading(bundled_build: Path) -> None:
    for rel, (lang, heading) in EDITIONS.items():
        html = read(bundled_build, rel)
        assert f'<html lang="{lang}"' in html
        assert re.search(rf"<h1[^>]*>{heading}</h1>", html), rel


def test_each_edition_carries_every_part_of_the_seed_in_order(bundled_build: Path) -> None:
    for rel in EDITIONS:
        page = Elements(read(bundled_build, rel))
        hrefs = [a.get("href") for a in page.all("a")]
        help_link = hrefs.index("https://supportukrainenow.org/")
        posts = [hrefs.index(f"https://www.instagram.com/p/{post}/") for post in INSTAGRAM_POSTS]
        flag_site = next(i for i, h in enumerate(hrefs) if h and h.startswith("https://whitebluewhite.info/"))
        instagram_links = [i for i, h in enumerate(hrefs) if h == "https://www.instagram.com/voicesinkorea/"]
        assert instagram_links[0] < help_link < instagram_links[1] < posts[0]  # the header: menu, action, phone menu
        assert posts == sorted(posts)
        assert posts[-1] < flag_site < instagram_links[-2] < instagram_links[-1]
        assert len(instagram_links) == 4  # the header's two menus (wide screens, phones), the paragraph, the icon
        text = "".join(page.text)
        assert text.index("NO WAR!") < text.index("НЕТ ВОЙНЕ!")
        assert len(page.all("picture")) == 6
        photos = [img for img in page.all("img") if "/20220514-" in (img.get("src") or "")]
        assert len(photos) == 6
        assert all(img.get("alt") and img.get("width") and img.get("height") for img in photos)


def test_photo_alt_text_is_in_the_page_language(bundled_build: Path) -> None:
    ko = Elements(read(bundled_build, "kr/index.html"))
    alts = [img["alt"] for img in ko.all("img") if "/20220514-" in (img.get("src") or "")]
    assert len(alts) == 6 and all("포스터" in (alt or "") for alt in alts)


def test_switcher_links_the_three_editions(bundled_build: Path) -> None:
    for rel, (lang, _) in EDITIONS.items():
        page = Elements(read(bundled_build, rel))
        switcher = [a for a in page.all("a") if a.get("hreflang")]
        others = {a["hreflang"]: a["href"] for a in switcher}
        expected = {"ru": "/", "en": "/en/", "ko": "/kr/"}
        del expected[lang]
        assert others == expected


def test_alternates_and_canonical(bundled_build: Path) -> None:
    page = Elements(read(bundled_build, "en/index.html"))
    links = page.all("link")
    alternates = {link["hreflang"]: link["href"] for link in links
                  if link.get("rel") == "alternate" and link.get("hreflang")}
    assert alternates == {"ru": "https://www.voicesinkorea.kr/", "en": "https://www.voicesinkorea.kr/en/",
                          "ko": "https://www.voicesinkorea.kr/kr/", "x-default": "https://www.voicesinkorea.kr/"}
    canonical = [link["href"] for link in links if link.get("rel") == "canonical"]
    assert canonical == ["https://www.voicesinkorea.kr/en/"]


def test_nothing_loads_from_another_host(bundled_build: Path) -> None:
    pages = sorted(bundled_build.rglob("*.html"))
    assert len(pages) > 10, "the bundled site was built"
    for path in pages:
        page = Elements(path.read_text(encoding="utf-8"))
        for tag, attrs in page.tags:
            loads = [attrs.get("src"), attrs.get("srcset")]
            if tag == "link" and attrs.get("rel") in ("stylesheet", "icon", "preload", "prefetch", "modulepreload"):
                loads.append(attrs.get("href"))
            for url in filter(None, loads):
                assert url.startswith("/") and not url.startswith("//"), f"{path}: {tag} loads {url}"
        html = path.read_text(encoding="utf-8")
        # inline only when the CSP names it (data-main-swap: the meeting-times script, see serve/livereload.js)
        for script in re.findall(r"<script(?: data-main-swap)?>(.*?)</script>", html, re.S):
            digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
            directive = re.search(r"script-src ([^;\"]*)", html_module.unescape(html))
            assert directive is not None and f"'sha256-{digest}'" in directive[1].split()
        assert not any(attrs.get("src") for tag, attrs in page.tags if tag == "script")


def test_every_local_reference_resolves(bundled_build: Path) -> None:
    for path in bundled_build.rglob("*.html"):
        page = Elements(path.read_text(encoding="utf-8"))
        for _, attrs in page.tags:
            for key in ("src", "href"):
                url = attrs.get(key)
                if url and url.startswith("/"):
                    target = bundled_build / url.split("?")[0].lstrip("/")
                    assert target.is_file() or (target / "index.html").is_file(), f"{path}: {url}"


def test_assets_are_published_and_flags_are_local_svg(bundled_build: Path) -> None:
    assert (bundled_build / "assets/flags/white-blue-white.svg").is_file()
    assert (bundled_build / "assets/flags/korea.svg").is_file()
    with Image.open(bundled_build / "assets/20220514-091636.jpg") as image:  # the stripped full-size copy
        assert image.size == (800, 1000)


def test_a_404_page_per_language(bundled_build: Path) -> None:
    assert 'lang="ru"' in read(bundled_build, "404.html")
    assert "Page not found" in read(bundled_build, "en/404.html")
    assert "noindex" in read(bundled_build, "kr/404.html")


def test_the_seed_page_builds_as_it_is(make_site, run_cli, tmp_path: Path) -> None:
    stand_in = Image.new("RGB", (40, 50), "white")
    files: dict[str, str | bytes] = {"content/en/index.md": (FIXTURES / "seed-en-index.md").read_text("utf-8"),
                                     "content/ru/index.md": "---\ntitle: Главная\n---\n"}  # the site's own home
    site = make_site(files, config=MINIMAL_CONFIG)
    seed_images = re.findall(r'src="\.\./(assets/[^"]+)"', files["content/en/index.md"])  # type: ignore[arg-type]
    assert len(seed_images) == 8
    for rel in seed_images:
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        stand_in.save(site / rel)

    result = run_cli("build", site, "-o", tmp_path / "out")

    assert result.code == 0, result.err
    html = read(tmp_path / "out", "en/index.html")
    assert '<table border="0">' in html and '<td width="25%">' in html
    assert '<p align="center"><b>Russians Against War</b></p>' in html
    assert html.count('<p align="center">\n<a href="https://www.instagram.com/p/') == 3
    assert "&emsp;&emsp;" in html
    assert "the support &amp; exacerbation of the separatist movement" in html
    assert "<p>We believe Putin’s actions to be criminal and inhumane." in html
    for rel in seed_images:  # ../assets/… from /en/ resolves to /assets/…
        assert (tmp_path / "out" / rel).is_file()


def test_a_site_can_override_a_theme_template_and_strings(make_site, run_cli, tmp_path: Path) -> None:
    site = make_site({
        "content/en/index.md": "---\ntitle: Hi\n---\nBody\n",
        "templates/partials/footer.html": "<footer>own footer {{ t('own') }}</footer>\n",
        "strings/en.yaml": "own: words\nskip_to_content: Jump\n",
    })
    assert run_cli("build", site, "-o", tmp_path / "out").code == 0
    html = read(tmp_path / "out", "en/index.html")
    assert "<footer>own footer words</footer>" in html
    assert ">Jump</a>" in html


def test_missing_translation_warns_and_switcher_falls_back_home(make_site, run_cli, tmp_path: Path) -> None:
    site = make_site({
        "content/ru/index.md": "Главная\n", "content/en/index.md": "Home\n", "content/ko/index.md": "홈\n",
        "content/en/about.md": "---\ntitle: About\n---\nAbout us\n",
        "content/ru/about.md": "---\ntitle: О нас\n---\nО нас\n",
    })
    result = run_cli("build", site, "-o", tmp_path / "out")
    assert result.code == 0
    assert f"warning [translation-missing]: missing translation: {site / 'content/ko/about.md'}" in result.err
    page = Elements(read(tmp_path / "out", "en/about/index.html"))
    switcher = {a["hreflang"]: a for a in page.all("a") if a.get("hreflang")}
    assert switcher["ru"]["href"] == "/about/"
    assert switcher["ko"]["href"] == "/kr/" and switcher["ko"].get("title")


def test_dates_are_written_as_each_language_writes_them(make_site, run_cli, tmp_path: Path) -> None:
    page = "---\ntitle: T\ndate: 2022-02-27\n---\nText\n"
    site = make_site({f"content/{code}/index.md": page for code in ("ru", "en", "ko")})
    assert run_cli("build", site, "-o", tmp_path / "out").code == 0
    assert re.search(r"27\s+февраля 2022\s+г\.", read(tmp_path / "out", "index.html"))  # no-break spaces
    assert "February 27, 2022" in read(tmp_path / "out", "en/index.html")
    assert "2022년 2월 27일" in read(tmp_path / "out", "kr/index.html")


def test_build_refuses_to_replace_a_folder_it_did_not_write(make_site, run_cli, tmp_path: Path) -> None:
    site = make_site({"content/en/index.md": "Home\n"})
    documents = tmp_path / "documents"
    documents.mkdir()
    (documents / "letter.txt").write_text("keep me")
    result = run_cli("build", site, "-o", documents)
    assert result.code == 1 and "did not write" in result.err
    assert (documents / "letter.txt").read_text() == "keep me"


def test_rebuild_replaces_output_whole(make_site, run_cli, tmp_path: Path) -> None:
    site = make_site({"content/en/index.md": "Home\n", "content/en/old.md": "Old\n"})
    out = tmp_path / "out"
    assert run_cli("build", site, "-o", out).code == 0
    assert (out / "en/old/index.html").is_file()
    (site / "content/en/old.md").unlink()
    assert run_cli("build", site, "-o", out).code == 0
    assert not (out / "en/old").exists()
    again = tmp_path / "again"
    shutil.copytree(out, again)
    assert run_cli("build", site, "-o", out).code == 0
    assert tree_digest(out) == tree_digest(again)


def test_heading_ids_and_template_code_live_together(make_site, run_cli, tmp_path: Path) -> None:
    site = make_site({"content/en/index.md": "## Contacts {#contacts}\n\n{## a note for editors ##}{{ lang.name }}\n"})
    assert run_cli("build", site, "-o", tmp_path / "out").code == 0
    html = read(tmp_path / "out", "en/index.html")
    assert '<h2 id="contacts">Contacts</h2>' in html
    assert "<p>English</p>" in html and "editors" not in html


def test_a_page_whose_only_template_code_is_a_comment_publishes_no_comment(make_site, run_cli,
                                                                            tmp_path: Path) -> None:
    site = make_site({"content/en/index.md": "## Contacts {#contacts}\n\n{## ask Mina before publishing ##}\n\nHi.\n"})
    assert run_cli("build", site, "-o", tmp_path / "out").code == 0
    html = read(tmp_path / "out", "en/index.html")
    assert '<h2 id="contacts">Contacts</h2>' in html and "<p>Hi.</p>" in html
    assert "Mina" not in html and "##" not in html


def test_unknown_interface_string_names_the_template_line(make_site, run_cli, tmp_path: Path) -> None:
    site = make_site({"content/en/index.md": "Hi\n", "templates/partials/footer.html": "<footer>\n{{ t('donate') }}\n"})
    result = run_cli("build", site, "-o", tmp_path / "out")
    assert result.code == 1
    assert "footer.html:2: template error: no interface string 'donate'" in result.err


def test_well_known_is_published_and_editor_files_are_not(make_site, run_cli, tmp_path: Path) -> None:
    site = make_site({"content/en/index.md": "Hi\n", "static/.well-known/security.txt": "Contact: x\n",
                      "assets/.DS_Store": "junk", "static/CNAME": "example.org\n"})
    assert run_cli("build", site, "-o", tmp_path / "out").code == 0
    assert (tmp_path / "out/.well-known/security.txt").is_file()
    assert (tmp_path / "out/CNAME").is_file()
    assert not (tmp_path / "out/assets/.DS_Store").exists()


def test_a_data_text_missing_a_language_is_named_with_its_line(make_site, run_cli, tmp_path: Path) -> None:
    header = "links:\n  - url: https://example.org/help\n    text:\n      ru: Помощь\n      en: Help\n"
    site = make_site({"content/en/index.md": "Hi\n", "content/ko/index.md": "안녕\n", "data/header.yaml": header})
    result = run_cli("build", site, "-o", tmp_path / "out")
    assert result.code == 0
    assert "data/header.yaml:4: warning [data-translation-missing]: this text has no ko version" in result.err
    assert ">Помощь</a>" in read(tmp_path / "out", "kr/index.html")  # meanwhile the default language's text
