"""`samizdat import`: real public Jekyll and Hugo sites (tests/sites/import/*/src) become samizdat
sites that build, keep their translations, dates and addresses, and lose no file without a word."""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path

import pytest
from PIL import Image

from samizdat.build.options import BuildOptions
from samizdat.build.pipeline import render_site
from samizdat.cli import main
from samizdat.errors import ImportSourceError
from samizdat.importers import REPORT_NAME, import_site
from samizdat.importers.report import shown
from samizdat.importers.source import walk_source
from tests.hostile import Sandbox

SITES = Path(__file__).parent / "sites" / "import"

# site, kind, default language, languages, least HTML pages, a page and the hreflangs it must list,
# a post and its date as shown
CASES = [
    ("polyglot", "jekyll", "en", {"en", "de", "ru", "ko", "zh-CN", "ar"}, 60,
     ("ko/about/index.html", {"en", "de", "ru", "ko", "zh-CN", "ar"}),
     ("2015/11/14/polyglot-version-1-1/index.html", "2015-11-14")),
    ("multiple-languages", "jekyll", "it", {"it", "en", "es"}, 12,
     ("es/equipo/index.html", {"it", "en", "es"}), ("es/example-post/index.html", "2013-12-09")),
    ("diev", "jekyll", "ru", {"ru", "en"}, 8, ("en/about/index.html", {"ru", "en"}), None),
    ("minima", "jekyll", "en", {"en"}, 8, ("about/index.html", {"en"}),
     ("2016/05/20/welcome-to-jekyll.html", "2016-05-20")),
    ("hugo-multilingual", "hugo", "en", {"en", "fr", "ja"}, 30,
     ("fr/post/alice/index.html", {"en", "fr", "ja"}), ("post/alice/index.html", "2016-05-14")),
]


@pytest.fixture(scope="module", params=CASES, ids=[case[0] for case in CASES])
def imported(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    name, kind, *_ = request.param
    dest = tmp_path_factory.mktemp(name) / "site"
    report = import_site(kind, SITES / name / "src", dest)
    return request.param, dest, report


def test_the_new_site_builds(imported) -> None:
    (name, _, _, _, least, _, _), dest, report = imported
    assert not report.build.startswith("FAILED"), report.build
    html = list((dest / "_site").rglob("*.html"))
    assert len(html) >= least, (name, len(html))
    assert (dest / REPORT_NAME).read_text().startswith("# Import report")


def _expected_output(dest: Path, page: Path, prefixes: dict[str, str]) -> Path:
    """Where samizdat must write a page: its permalink, or the address its path gives."""
    lang, rel = page.relative_to(dest / "content").as_posix().split("/", 1)
    link = re.search(r"^permalink: (.+)$", page.read_text().split("\n---\n", 1)[0], re.M)
    if link:
        url = link.group(1).strip("'\"")
    else:
        stem = rel.removesuffix(".md").removesuffix("index").removesuffix("/")
        url = "/" + "/".join(p for p in (prefixes[lang], stem) if p) + "/"
    url = url if url.endswith("/") or "." in url.rsplit("/", 1)[-1] else url + ".html"
    return dest / "_site" / (url.strip("/") + "/index.html" if url.endswith("/") else url.strip("/")).lstrip("/")


def test_every_page_is_built_where_it_was(imported) -> None:
    """Page counts: each imported page (drafts aside) is one built page, at the address it had."""
    _, dest, _ = imported
    config = tomllib.loads((dest / "samizdat.toml").read_text())
    prefixes = {code: lang.get("prefix", "") for code, lang in config["languages"].items()}
    pages = [p for p in (dest / "content").rglob("*.md") if not any(part.startswith("_") for part in p.parts)]
    missing = [p for p in pages if not _expected_output(dest, p, prefixes).is_file()]
    assert pages and not missing


def test_every_source_file_is_converted_or_listed(imported) -> None:
    (name, *_), dest, report = imported
    tree = walk_source(SITES / name / "src")
    missing = {f.rel for f in tree.files} - report.listed()
    assert not missing
    text = (dest / REPORT_NAME).read_text()
    for file in tree.files:
        assert f"`{file.rel}`" in text


def test_languages_and_translation_links(imported) -> None:
    (_name, _, default, codes, _, (page, hreflangs), _), dest, _ = imported
    toml = (dest / "samizdat.toml").read_text()
    assert set(re.findall(r"^\[languages\.([\w-]+)\]", toml, re.M)) == codes
    assert re.search(rf"\[languages\.{default}\]\ndefault = true", toml)
    built = (dest / "_site" / page).read_text()
    found = set(re.findall(r'<link rel="alternate" hreflang="([\w-]+)"', built))
    assert found - {"x-default"} == hreflangs


def test_posts_keep_their_address_and_date(imported) -> None:
    (_name, *_, post), dest, _ = imported
    if post is None:
        assert not list((dest / "content").glob("*/news/*.md"))
        return
    address, day = post
    page = dest / "_site" / address
    assert f'<time datetime="{day}">' in page.read_text()


def test_multiple_languages_texts_are_written_in(tmp_path: Path) -> None:
    dest = tmp_path / "site"
    import_site("jekyll", SITES / "multiple-languages" / "src", dest)
    spanish = (dest / "_site" / "es" / "index.html").read_text()
    assert "El siguiente texto es un parámetro" in spanish  # {% t pages.includeexample %} inside an include
    assert "Include parameter value from index.html" in spanish  # the include's parameter
    italian = (dest / "_site" / "index.html").read_text()
    assert "Il testo che segue è un parametro" in italian


def test_polyglot_data_per_language_becomes_texts_per_language(tmp_path: Path) -> None:
    dest = tmp_path / "site"
    import_site("jekyll", SITES / "polyglot" / "src", dest)
    import yaml
    sidebar = yaml.safe_load((dest / "data" / "sidebar.yaml").read_text())
    assert isinstance(sidebar, (dict, list))
    assert "ko" in repr(sidebar) and "en" in repr(sidebar)


def test_voices_in_korea_layout(tmp_path: Path) -> None:
    """Pages that each name their language's address: `/`, `/en/`, `/kr/` (Korean under a country code)."""
    seed = (Path(__file__).parent / "fixtures" / "seed-en-index.md").read_text()
    src = tmp_path / "old"
    (src / "en").mkdir(parents=True)
    (src / "kr").mkdir()
    (src / "_config.yml").write_text("title: Voices in Korea\nurl: https://www.voicesinkorea.kr\n")
    (src / "index.md").write_text("---\nlayout: default\npermalink: /\n---\n# Россияне против войны\n\nМы группа.\n")
    (src / "en" / "index.md").write_text(seed)
    (src / "kr" / "index.md").write_text("---\nlayout: default\npermalink: /kr/\n---\n# 전쟁에 반대하는 러시아인\n")
    (src / "Gemfile").write_text("source 'https://rubygems.org'\n")
    (src / "assets").mkdir()
    for name in set(re.findall(r"\.\./assets/([\w.-]+)", seed)):  # the real site's photos, as stand-ins
        Image.new("RGB", (8, 8)).save(src / "assets" / name, "PNG" if name.endswith(".png") else "JPEG")
    dest = tmp_path / "new"
    report = import_site("jekyll", src, dest)
    assert not report.build.startswith("FAILED"), report.build
    toml = (dest / "samizdat.toml").read_text()
    assert '[languages.ru]\ndefault = true' in toml and 'prefix = "kr"' in toml
    assert (dest / "content" / "ko" / "index.md").exists()
    home = (dest / "_site" / "kr" / "index.html").read_text()
    assert 'hreflang="en"' in home and 'hreflang="ru"' in home
    assert dict(report.left_out)["Gemfile"].startswith("Ruby")
    assert not (dest / "_site" / "Gemfile").exists()


def test_drafts_are_not_published(tmp_path: Path) -> None:
    src = tmp_path / "old"
    (src / "_posts").mkdir(parents=True)
    (src / "_drafts").mkdir()
    (src / "_config.yml").write_text("title: T\nurl: https://example.net\n")
    (src / "index.md").write_text("---\ntitle: Home\n---\nHello\n")
    (src / "_posts" / "2024-01-02-secret.md").write_text("---\ntitle: Secret plan\npublished: false\n---\nPLAN-X\n")
    (src / "_drafts" / "later.md").write_text("---\ntitle: Later\n---\nPLAN-Y\n")
    dest = tmp_path / "new"
    report = import_site("jekyll", src, dest)
    assert not report.build.startswith("FAILED"), report.build
    out = "".join(p.read_text(errors="replace") for p in (dest / "_site").rglob("*") if p.is_file())
    assert "<html" in out  # the site was built: the drafts are absent from real pages
    assert "PLAN-X" not in out and "PLAN-Y" not in out
    assert "draft: true" in (dest / "content" / "en" / "news" / "2024-01-02-secret.md").read_text()
    assert "draft: true" in (dest / "content" / "en" / "news" / "later.md").read_text()
    preview = render_site(dest, BuildOptions(drafts=True))  # the volunteer sees them in `serve --drafts`
    assert "PLAN-X" in preview.pages["2024/01/02/secret.html"].decode()  # at its old permalink
    assert "PLAN-Y" in preview.pages["later/index.html"].decode()


HUGO_CONFIG = """baseURL = "https://group.example.net/"
title = "Group"
defaultContentLanguage = "ru"
[languages.ru]
languageName = "Русский"
weight = 1
[languages.en]
title = "The group"
weight = 2
"""


def test_hugo_folder_per_language(tmp_path: Path) -> None:
    src = tmp_path / "old"
    for folder in ("content/ru/posts", "content/en/posts/visit", "layouts", "static/css"):
        (src / folder).mkdir(parents=True)
    (src / "hugo.toml").write_text(HUGO_CONFIG)
    (src / "content/ru/_index.md").write_text("---\ntitle: Главная\n---\nПривет\n")
    (src / "content/en/_index.md").write_text("+++\ntitle = \"Home\"\n+++\nHello\n")
    (src / "content/ru/posts/vizit.md").write_text(
        "---\ntitle: Визит\ndate: 2025-03-01T10:00:00+09:00\ntranslationKey: visit\naliases: [/old/visit/]\n---\n"
        "{{< notice >}}Текст{{< /notice >}}\n\n```\n{{ .Title }}\n```\n")
    (src / "content/en/posts/visit/index.md").write_text(
        "---\ntitle: Visit\ndate: 2025-03-02\ntranslationKey: visit\n---\nSee {{< ref \"_index.md\" >}}\n")
    Image.new("RGB", (4, 4)).save(src / "content/en/posts/visit/map.png")
    (src / "content/en/posts/secret.md").write_text("---\ntitle: Plan\ndraft: true\n---\nPLAN-Z\n")
    (src / "layouts/single.html").write_text("{{ .Content }}")
    (src / "static/css/site.css").write_text("body{}")
    dest = tmp_path / "new"
    report = import_site("hugo", src, dest)
    assert not report.build.startswith("FAILED"), report.build
    site = dest / "_site"
    visit = (site / "en" / "posts" / "visit" / "index.html").read_text()
    assert 'hreflang="ru" href="https://group.example.net/posts/vizit/"' in visit
    assert '<time datetime="2025-03-02">' in visit and 'href="/en/"' in visit
    russian = (site / "posts" / "vizit" / "index.html").read_text()
    assert "{{ .Title }}" in russian and "notice" not in russian
    assert (site / "en" / "posts" / "visit" / "map.png").exists() and (site / "css" / "site.css").exists()
    built = [p for p in site.rglob("*") if p.is_file()]
    assert built
    assert not any("PLAN-Z" in p.read_text(errors="replace") for p in built)
    notes = " ".join(str(n) for n in report.notes)
    assert "/old/visit/" in notes and "`content/ru/posts/vizit.md:7`" in notes and "draft" in notes
    assert dict(report.left_out)["layouts/single.html"].startswith("a Hugo template")


def test_hugo_yaml_config_with_every_language_in_a_folder(tmp_path: Path) -> None:
    src = tmp_path / "old"
    _write(src / "config.yaml", "baseURL: https://e.example.net/\ndefaultContentLanguage: uk\n"
                                "defaultContentLanguageInSubdir: true\n"
                                "languages:\n  uk: {weight: 1}\n  de: {weight: 2}\n")
    _write(src / "content/_index.md", "---\ntitle: Головна\n---\n")
    _write(src / "content/_index.de.md", "---\ntitle: Start\n---\n")
    _write(src / "content/help.md", "---\ntitle: Допомога\nslug: dopomoha\n---\nТекст\n")
    _write(src / "content/help.de.md", "---\ntitle: Hilfe\nslug: hilfe\n---\nText\n")
    dest = tmp_path / "new"
    report = import_site("hugo", src, dest)
    assert not report.build.startswith("FAILED"), report.build
    toml = (dest / "samizdat.toml").read_text()
    assert '[languages.uk]\ndefault = true\nprefix = "uk"' in toml
    help_de = (dest / "_site" / "de" / "hilfe" / "index.html").read_text()
    assert 'hreflang="uk" href="https://e.example.net/uk/dopomoha/"' in help_de


def test_refuses_a_missing_source(tmp_path: Path) -> None:
    with pytest.raises(ImportSourceError, match="not a folder"):
        import_site("jekyll", tmp_path / "nothing", tmp_path / "new")
    assert not (tmp_path / "new").exists()


LIQUID_CASES = [
    ('{{ "/css/a.css" | relative_url }}', "/css/a.css"),
    ("{{ site.baseurl }}/x", "/x"),
    ("{{ site.title | upcase }}", "T"),
    ("{% assign n = 2 | plus: 3 %}{{ n }}", "5"),
    ("{% if page.title == 'Home' %}yes{% else %}no{% endif %}", "yes"),
    ("{% for i in (1..3) %}{{ forloop.index }}{% endfor %}", "123"),
    ("{% raw %}{{ kept }}{% endraw %}", "{{ kept }}"),
    ("{% highlight python %}x = {{ 1 }}{% endhighlight %}", "x = {{ 1 }}"),
    ("{% include note.html text='hi there' %}", "NOTE hi there"),
    ("{% post_url 2024-01-02-hello %}", "/2024/01/02/hello.html"),
    ("{% link _posts/2024-01-02-hello.md %}", "/2024/01/02/hello.html"),
    ("{{ site.data.people[1].name | downcase }}", "ann"),
    ("{% unless page.hidden %}shown{% endunless %}", "shown"),
    ('{% case page.title %}{% when "Home" %}home{% else %}other{% endcase %}', "home"),
    ("{% capture c %}ab{% endcapture %}{{ c | size }}", "2"),
]


@pytest.mark.parametrize(("liquid", "shown"), LIQUID_CASES)
def test_common_liquid_is_translated(tmp_path: Path, liquid: str, shown: str) -> None:
    src = tmp_path / "old"
    (src / "_includes").mkdir(parents=True)
    (src / "_posts").mkdir()
    (src / "_config.yml").write_text("title: T\nurl: https://example.net\n")
    (src / "_includes" / "note.html").write_text("NOTE {{ include.text }}")
    _write(src / "_data" / "people.yml", "- name: Bo\n- name: Ann\n")
    (src / "_posts" / "2024-01-02-hello.md").write_text("---\ntitle: Hello\n---\nhi\n")
    (src / "index.md").write_text(f"---\ntitle: Home\n---\nBEGIN[{liquid}]END\n")
    dest = tmp_path / "new"
    report = import_site("jekyll", src, dest)
    assert not report.build.startswith("FAILED"), report.build
    html = (dest / "_site" / "index.html").read_text()
    inside = re.search(r"BEGIN\[(.*?)\]END", html, re.S)
    assert inside is not None
    text = re.sub(r"<[^>]+>", "", inside.group(1)).replace("&#34;", '"').replace("&quot;", '"')
    assert shown in text.replace("&amp;", "&").replace("&#123;", "{")


def test_config_defaults_and_kramdown(tmp_path: Path) -> None:
    src = tmp_path / "old"
    _write(src / "_config.yml", "title: T\nurl: https://example.net\ntimezone: Europe/Berlin\ndefaults:\n"
                                "  - scope: {path: '', type: posts}\n    values: {permalink: '/news/:year/:title/'}\n"
                                "  - scope: {path: docs}\n    values: {permalink: '/manual/:basename/'}\n")
    _write(src / "index.md", "---\ntitle: Home\n---\nHi\n")
    _write(src / "_posts" / "2023-04-05-rally.md", "---\ntitle: Rally\n---\nCome.\n{: .lead}\n\n"
                                                   "[map](https://example.net/map){:target=\"_blank\"}\n")
    _write(src / "docs" / "howto.md", "---\ntitle: How to\n---\n* TOC\n{:toc}\n\n## Step {#step}\n")
    dest = tmp_path / "new"
    report = import_site("jekyll", src, dest)
    assert not report.build.startswith("FAILED"), report.build
    post = (dest / "_site" / "news" / "2023" / "rally" / "index.html").read_text()
    assert '<time datetime="2023-04-05">' in post and "{:" not in post and 'href="https://example.net/map"' in post
    howto = (dest / "_site" / "manual" / "howto" / "index.html").read_text()
    assert "TOC" not in howto and 'id="step"' in howto
    assert 'timezone = "Europe/Berlin"' in (dest / "samizdat.toml").read_text()
    assert sum("Kramdown attribute list" in str(n) for n in report.notes) == 2


def test_a_jekyll_time_zone_that_is_a_region_alone_is_left_out(tmp_path: Path) -> None:
    """"America" is a folder of the zone database: reading it was an IsADirectoryError, and the import stopped."""
    src = tmp_path / "old"
    _write(src / "_config.yml", "title: T\nurl: https://example.net\ntimezone: America\n")
    _write(src / "index.md", "---\ntitle: Home\n---\nHi\n")
    dest = tmp_path / "new"
    report = import_site("jekyll", src, dest)
    assert not report.build.startswith("FAILED"), report.build
    assert "America" not in (dest / "samizdat.toml").read_text()


def test_a_jekyll_collection_listed_by_name_is_imported(tmp_path: Path) -> None:
    """`collections: [staff]` is Jekyll's short form: the import read it as a table and stopped."""
    src = tmp_path / "old"
    _write(src / "_config.yml", "title: T\nurl: https://example.net\ncollections:\n  - staff\n")
    _write(src / "index.md", "---\ntitle: Home\n---\nHi\n")
    _write(src / "_staff" / "ann.md", "---\ntitle: Ann\n---\nOrganiser.\n")
    report = import_site("jekyll", src, tmp_path / "new")
    assert not report.build.startswith("FAILED"), report.build
    assert "Organiser." in (tmp_path / "new" / "content" / "en" / "ann.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("setting", ["exclude: 123", "plugins: true", "languages: 7", "defaults: yes",
                                     "collections: 5", "gems: {a: b}"])
def test_a_jekyll_setting_of_the_wrong_shape_is_left_out_with_a_note(tmp_path: Path, setting: str) -> None:
    src = tmp_path / "old"
    _write(src / "_config.yml", f"title: T\nurl: https://example.net\n{setting}\n")
    _write(src / "index.md", "---\ntitle: Home\n---\nHi\n")
    report = import_site("jekyll", src, tmp_path / "new")
    assert not report.build.startswith("FAILED"), report.build
    key = setting.split(":")[0]
    assert any(f"`{key}:` should be a list" in note.text for note in report.notes), report.notes


@pytest.mark.parametrize("setting", ["languages = [1, 2]", "languages = 7", 'Languages = "en"'])
def test_hugo_languages_that_are_not_a_table_are_left_out_with_a_note(tmp_path: Path, setting: str) -> None:
    src = tmp_path / "old"
    _write(src / "hugo.toml", f'baseURL = "https://example.net/"\ntitle = "T"\n{setting}\n')
    _write(src / "content" / "_index.md", "---\ntitle: Home\n---\nHi\n")
    report = import_site("hugo", src, tmp_path / "new")
    assert not report.build.startswith("FAILED"), report.build
    assert any("should be a table of languages" in note.text for note in report.notes), report.notes


@pytest.mark.parametrize(("aliases", "shown"), [("[/old/, /older/]", "/older/"), ("/old/", "/old/"), ("123", "123")])
def test_hugo_aliases_one_or_many_are_noted(tmp_path: Path, aliases: str, shown: str) -> None:
    """A single alias written without a list (or a number) stopped the import with a traceback."""
    src = tmp_path / "old"
    _write(src / "hugo.toml", 'baseURL = "https://example.net/"\ntitle = "T"\n')
    _write(src / "content" / "_index.md", "---\ntitle: Home\n---\nHi\n")
    _write(src / "content" / "posts" / "post.md", f"---\ntitle: Post\ndate: 2024-02-01\naliases: {aliases}\n---\nHi\n")
    report = import_site("hugo", src, tmp_path / "new")
    assert not report.build.startswith("FAILED"), report.build
    assert any(f"the old address {shown} (aliases)" in note.text for note in report.notes), report.notes


def test_code_in_pages_is_kept_from_readers(tmp_path: Path) -> None:
    """Scripts, handlers and `javascript:` links (Google Analytics, Disqus…) are kept as comments and
    listed; markup the import does not foresee makes the build set that page aside, unpublished."""
    src = tmp_path / "old"
    _write(src / "index.md", "---\ntitle: Home\n---\nHi\n<script>track('UA-1')</script>\n"
                             "<p onclick=\"go()\">t</p> <a href=\"javascript:go()\">x</a>\n")
    _write(src / "moved.md", "---\ntitle: Moved\n---\n<meta http-equiv=\"refresh\" content=\"0; url=https://x.org\">\n")
    dest = tmp_path / "new"
    report = import_site("jekyll", src, dest)
    assert not report.build.startswith("FAILED"), report.build
    home = (dest / "_site" / "index.html").read_text()
    assert "UA-1" not in home and "onclick" not in home and "javascript:" not in home and "{##" not in home
    assert (dest / "content" / "en" / "_moved.md").exists() and not (dest / "_site" / "moved").exists()
    notes = [str(n) for n in report.notes]
    assert any(n.startswith("`moved.md`: the build refused it") for n in notes)
    assert any("index.md:5" in n and "script" in n for n in notes)


def test_untranslatable_liquid_is_hidden_and_listed(tmp_path: Path) -> None:
    src = tmp_path / "old"
    src.mkdir()
    (src / "index.md").write_text("---\ntitle: Home\n---\nA {% seo %} B {{ paginator.posts }} C\n{:toc}\n")
    dest = tmp_path / "new"
    report = import_site("jekyll", src, dest)
    html = (dest / "_site" / "index.html").read_text()
    assert "A" in html and "{%" not in html and "paginator" not in html and "{:toc}" not in html
    notes = " ".join(str(n) for n in report.notes)
    assert "`index.md:4`" in notes and "seo" in notes and "paginator" in notes and "toc" in notes


def _link(path: Path, target: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to(target, target_is_directory=target.is_dir())


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


HOSTILE = [  # (case, plant(site, outside)): each tries to read the volunteer's files or write beside the site
    ("a page that is a link out", lambda site, out: _link(site / "notes.md", out / "notes.md")),
    ("a posts folder that is a link out", lambda site, out: _link(site / "_posts", out)),
    ("an include that is a link out", lambda site, out: (_link(site / "_includes" / "x.html", out / "secret.txt"),
                                                         _write(site / "a.md", "---\n---\n{% include x.html %}\n"))),
    ("an include that climbs out", lambda site, out: _write(
        site / "a.md", "---\n---\n{% include ../../home/secret.txt %}{% include_relative ../home/secret.txt %}\n")),
    ("a translated piece that climbs out", lambda site, out: _write(
        site / "a.md", "---\n---\n{% tf ../../../home/secret.txt %}\n")),
    ("includes that multiply", lambda site, out: (
        _write(site / "_includes" / "a.html", "{% include a.html %}" * 20 + "x" * 1000),
        _write(site / "many.md", "---\n---\n" + "{% include a.html %}" * 20 + "\n"))),
    ("a data folder that is a link out", lambda site, out: _link(site / "_data", out)),
    ("a permalink that climbs out", lambda site, out: _write(
        site / "evil.md", "---\npermalink: /../../../x/\n---\nx\n")),
    ("a billion laughs", lambda site, out: _write(site / "_data" / "x.yml", "a: &a [1,1,1,1,1,1,1,1,1]\n" + "".join(
        f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi", strict=True)))),
    ("broken front matter", lambda site, out: _write(site / "bad.md", "---\ntitle: [oops\n---\nx\n")),
    ("nesting 500 deep", lambda site, out: (
        _write(site / "_config.yml", "x: " + "[" * 500 + "]" * 500 + "\n"),
        _write(site / "_data" / "d.yml", "a: " + "[" * 500 + "]" * 500 + "\n"),
        _write(site / "deep.md", "---\nk: " + "[" * 500 + "]" * 500 + "\n---\n{{ site.x }} {{ site.data.d.a }}\n"))),
    ("a name with a terminal escape", lambda site, out: _write(site / "x\x1b[2Jy\n.md", "---\n---\nx\n")),
]


@pytest.mark.parametrize(("case", "plant"), HOSTILE, ids=[c for c, _ in HOSTILE])
def test_hostile_source_stays_inside(sandbox: Sandbox, capsys: pytest.CaptureFixture[str], case: str,
                                     plant) -> None:
    _write(sandbox.site / "index.md", "---\ntitle: Home\n---\nhello\n")
    plant(sandbox.site, sandbox.outside)
    outcome = sandbox.run(capsys, "import", "jekyll", sandbox.site, sandbox.out)
    assert outcome.code == 0, outcome.err
    assert "Traceback" not in outcome.err and "\x1b" not in outcome.out
    sandbox.assert_untouched()  # the old site, the volunteer's files: unchanged; no secret in the new site
    report = (sandbox.out / REPORT_NAME).read_text()
    files = walk_source(sandbox.site).files
    links = [p for p in sandbox.site.rglob("*") if p.is_symlink()]
    assert files
    for file in files:
        assert shown(file.rel) in report
    for link in links:
        assert f"`{link.relative_to(sandbox.site).as_posix()}" in report


def test_a_pipe_is_listed_not_opened(tmp_path: Path) -> None:
    """Opening a FIFO would wait for a writer forever (the sandbox's snapshot would too, so this case
    stands alone)."""
    src = tmp_path / "old"
    _write(src / "index.md", "---\ntitle: Home\n---\nhello\n")
    os.mkfifo(src / "pipe.md")
    report = import_site("jekyll", src, tmp_path / "new")
    assert dict(report.left_out)["pipe.md"].startswith("not a regular file")
    assert not (tmp_path / "new" / "static" / "pipe.md").exists()


def test_refuses_a_folder_that_is_not_empty(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dest = tmp_path / "mine"
    dest.mkdir()
    (dest / "notes.txt").write_text("my notes")
    with pytest.raises(ImportSourceError):
        import_site("jekyll", SITES / "minima" / "src", dest)
    assert main(["import", "jekyll", str(SITES / "minima" / "src"), str(dest)]) == 1
    assert "not empty" in capsys.readouterr().err
    assert [p.name for p in dest.iterdir()] == ["notes.txt"]


def test_refuses_a_link_as_the_new_folder(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "new").symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(ImportSourceError):
        import_site("hugo", SITES / "hugo-multilingual" / "src", tmp_path / "new")
    assert not any(elsewhere.iterdir())


def test_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`--default-language` wins over the guess; the report is printed and saved."""
    dest = tmp_path / "new"
    assert main(["import", "jekyll", str(SITES / "minima" / "src"), str(dest), "--default-language", "de"]) == 0
    out = capsys.readouterr().out
    assert f"the whole report: {dest / REPORT_NAME}" in out and "Build: built" in out
    assert "[languages.de]\ndefault = true" in (dest / "samizdat.toml").read_text()
    assert (dest / "content" / "de" / "index.md").exists()
