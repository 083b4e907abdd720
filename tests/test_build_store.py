"""The build store: a one-edit build reads and writes only what the edit touched."""

from __future__ import annotations

import sqlite3
from array import array
from collections.abc import Iterable
from pathlib import Path

import pytest

import samizdat.search.stage
from samizdat.build.cache.caches import BuildCaches
from samizdat.build.cache.pages import FinalPage, RenderCache
from samizdat.build.cache.sources import ParseCache
from samizdat.build.cache.store import Store, store_path
from samizdat.build.pipeline import render_site
from samizdat.config import load_config
from samizdat.content.sources import discover
from tests.staleness import post, site_files, write_site


def build(site: Path) -> tuple[BuildCaches, int]:
    caches = BuildCaches.on_disk(site)
    output = render_site(site, caches=caches)
    return caches, output.rendered_count


def test_an_edit_saves_only_the_rows_it_changed(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write_site(site, site_files())
    caches, rendered = build(site)
    caches.save()
    total = len(caches.render.entries)
    assert rendered == total > 10
    caches.store.close()

    post = site / "content/en/news/2026-01-02-post2.md"
    post.write_text(post.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    caches, rendered = build(site)
    assert caches.parse.dirty == {post.as_posix()}
    assert "en/news/2026-01-02-post2/index.html" in caches.render.dirty
    assert len(caches.render.dirty) == rendered < total  # only the pages rendered anew are written again
    caches.save()
    caches.store.close()

    caches, rendered = build(site)  # nothing changed since: nothing rendered, nothing to write
    assert rendered == 0 and not caches.parse.dirty and not caches.render.dirty
    caches.store.close()


def test_the_store_is_plain_rows_queryable_page_by_page(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write_site(site, site_files())
    caches, _ = build(site)
    caches.save()
    caches.store.close()
    db = sqlite3.connect(store_path(site))
    row = db.execute("SELECT signature, html FROM pages WHERE output = ?", ("en/about/index.html",)).fetchone()
    reads = db.execute("SELECT read FROM reads WHERE page = ?", ((site / "content/en/news/2026-01-01-post1.md")
                                                                 .as_posix(),)).fetchall()
    db.close()
    assert row is not None and b"About en" in row[1] and "content/en/about.md" in row[0]
    assert reads and all(text.startswith('["page",') for (text,) in reads)  # what the listings read of a post


DATED = {  # every way a page gets its date, and dates elsewhere in front matter
    "content/en/dated.md": "---\ntitle: Dated\ndate: 2024-05-01\n---\nBody.\n",
    "content/en/timed.md": "---\ntitle: Timed\ndate: 2024-05-01 10:30:00\n---\nBody.\n",
    "content/en/quoted.md": "---\ntitle: Quoted\ndate: \"2024-05-02\"\n---\nBody.\n",
    "content/en/news/2026-01-03-named.md": "---\ntitle: Named\n---\nBody.\n",
    "content/en/undated.md": "---\ntitle: Undated\nevents: [2024-06-01, {day: 2024-06-02}]\n---\nBody.\n",
    "content/en/renamed.md": "---\ntitle: Renamed\ndate: 2024-05-01\nwhen: 2024-05-01\n---\nBody.\n",
    "content/en/plain.md": "Body without front matter.\n",
}


def test_a_kept_page_reads_back_as_its_parse_made_it(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write_site(site, {**site_files(), **DATED})
    config = load_config(site)
    store = Store.open(site)
    cache = ParseCache.open(store, config)
    cache.parse_all(discover(config)[0], config)
    with store.writing() as db:
        assert db is not None
        cache.save(db)
    store.close()

    store = Store.open(site)
    kept = ParseCache.open(store, config).entries
    store.close()
    parsed = {item.page.path_text: item for item in ParseCache(Store(None)).parse_all(discover(config)[0], config)}
    assert kept.keys() == parsed.keys() and len(kept) > len(DATED)
    for path, known in kept.items():
        page, fresh = known.parsed.page, parsed[path].page
        assert _facts(page) == _facts(fresh), path
        assert type(page.date) is type(fresh.date), path
        # the front matter's own date object, as the parse made it, where the page is dated by it
        assert (page.date is page.data.get("date")) == (fresh.date is fresh.data.get("date")), path
        assert known.parsed.placeholders == parsed[path].placeholders, path
        assert known.digest == parsed[path].digest and known.stat == (fresh.path.stat().st_size, *known.stat[1:])


def _facts(page: object) -> tuple[object, ...]:
    names = ("path", "path_text", "language", "key", "title", "layout", "url", "output_path", "body", "body_line",
             "date", "description", "scheduled", "data")
    return (*(getattr(page, name) for name in names), page.front_matter.data, page.front_matter.lines,
            page.front_matter.body_line, page.front_matter.body)


def test_a_page_rendered_anew_finds_the_reads_it_shares_with_kept_pages_under_their_numbers(tmp_path: Path) -> None:
    """A one-edit build reads from the store only the reads it checks: the site-wide ones and those of pages
    that changed (cache/reads.py). The news listing, rendered anew for an edit of its own text, reads fields
    of posts that did not change. It must find those reads under their numbers: filed again under new ones,
    each would take the row of the same text, which kept pages name."""
    site = tmp_path / "site"
    # Enough posts that the reads of pages' fields outnumber the site-wide ones, as on any real site: with
    # fewer, the build reads the whole book at once.
    more = {f"content/en/news/2025-02-{day:02d}-more{day}.md": post(f"More {day}", f"more{day}")
            for day in range(1, 29)}
    write_site(site, site_files() | more)
    caches, _ = build(site)
    caches.save()
    caches.store.close()
    first = (site / "content/en/news/2026-01-01-post1.md").as_posix()
    query = "SELECT read, id, answer FROM reads WHERE page = ?"
    with sqlite3.connect(store_path(site)) as db:
        before = db.execute(query, (first,)).fetchall()
        total = db.execute("SELECT count(*) FROM reads").fetchone()[0]
    assert before

    listing = site / "content/en/news/index.md"
    listing.write_text(listing.read_text(encoding="utf-8").replace("News.", "News, and more."), encoding="utf-8")
    caches, rendered = build(site)
    assert "en/news/index.html" in caches.render.dirty and rendered < len(caches.render.entries)
    assert 0 < len(caches.render.book.reads) < total  # the reads of unchanged pages stayed in the store
    caches.save()
    caches.store.close()
    with sqlite3.connect(store_path(site)) as db:
        assert db.execute(query, (first,)).fetchall() == before  # the same reads, numbers and answers
        numbers = {number for (number,) in db.execute("SELECT id FROM reads")}
        named = [set(array("q", blob)) for (blob,) in db.execute("SELECT reads FROM pages")]
    assert named and all(reads <= numbers for reads in named)  # no page names a read the store lost

    # The listing kept from now on still follows the posts it lists.
    post_file = Path(first)
    post_file.write_text(post_file.read_text(encoding="utf-8").replace("Post 1 en", "Post one, renamed"),
                         encoding="utf-8")
    caches, _ = build(site)
    assert b"Post one, renamed" in caches.render.entries["en/news/index.html"][1].html
    caches.store.close()


def test_a_cache_folder_that_cannot_be_written_means_cold_builds_not_a_failure(
        tmp_path: Path, monkeypatch, run_cli) -> None:
    site, out = tmp_path / "site", tmp_path / "out"
    write_site(site, site_files())
    (tmp_path / "not-a-folder").write_text("a file where the cache folder would be", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "not-a-folder"))
    for _ in range(2):
        result = run_cli("build", site, "-o", out)
        assert result.code == 0, result.err
        assert "no build cache" in result.err and "Traceback" not in result.err
        assert "rendered" in result.out and "(0 rendered)" not in result.out
    assert (out / "en/about/index.html").is_file()


def test_feeds_are_made_again_only_when_what_they_list_changed(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write_site(site, site_files())
    caches, _ = build(site)
    caches.save()
    first = dict(caches.generated.entries)
    caches.store.close()
    assert "feed.xml" in first and "sitemap.xml" in first and any("/tags/" in path for path in first)

    # An English post with one tag: the English feed, that tag's feed and the English search index
    # change, nothing else.
    assert {"search-filing:en", "search-filing:ru", "search-filing:ko"} <= first.keys()
    assert any(path.startswith("_search/ko/") for path in first)  # each index file has its own row
    post = site / "content/en/news/2026-01-02-post2.md"
    post.write_text(post.read_text(encoding="utf-8") + "\nA line only feeds carry.\n", encoding="utf-8")
    caches, _ = build(site)
    # (Each file is filed in the store as it is made: the cache holds the hash of its inputs.)
    made = {path for path, entry in caches.generated.entries.items() if entry.inputs != first[path].inputs}
    assert made == caches.generated.made
    # English index files are rows of their own, under the hash of their bytes: only the changed ones
    index = {path for path in made if path.startswith("_search/")}
    assert made - index == {"en/feed.xml", "en/tags/aid/feed.xml", "search-filing:en"}
    assert "_search/en/m.css" in index and all(path.startswith("_search/en/") for path in index)
    assert len(index) < sum(path.startswith("_search/en/") for path in first)
    made_now = {path: caches.generated.get(path, entry.inputs) for path, entry in caches.generated.entries.items()}
    assert b"A line only feeds carry." in (made_now["en/tags/aid/feed.xml"] or b"")
    caches.save()
    caches.store.close()

    db = sqlite3.connect(store_path(site))  # what the next build reads back is what was made
    kept = dict(db.execute("SELECT output, data FROM generated").fetchall())
    db.close()
    assert kept == made_now


def test_a_one_edit_build_reads_the_search_entries_of_the_edited_language_only(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "site"
    write_site(site, site_files())
    caches, _ = build(site)
    caches.save()
    caches.store.close()

    asked: list[str] = []
    read_entries = RenderCache.search_entries

    def recording(self: RenderCache, pages: Iterable[FinalPage]) -> None:
        wanted = {id(page) for page in pages if not page.loaded}  # a page rendered now has its entry
        asked.extend(path for path, (_, page) in self.entries.items() if id(page) in wanted)
        read_entries(self, [page for _, page in self.entries.values() if id(page) in wanted])

    monkeypatch.setattr(RenderCache, "search_entries", recording)
    post = site / "content/en/news/2026-01-02-post2.md"
    post.write_text(post.read_text(encoding="utf-8") + "\nA sentence to find.\n", encoding="utf-8")
    caches = BuildCaches.on_disk(site)
    output = render_site(site, caches=caches)
    # An edit keeps every page's number: English is refiled from the filing the store keeps, with the
    # edited page's old entry and new one (search/refile.py), and no other page's entry is read.
    assert asked == []
    assert b"find" in b"".join(data for rel, data in output.pages.items() if rel.startswith("_search/en/"))
    cold = render_site(site)  # nothing kept: every file made anew
    kept_files = {rel: data for rel, data in output.pages.items() if rel.startswith("_search/")}
    assert {rel.split("/")[1] for rel in kept_files} >= {"en", "ru"}  # the kept language's files are there too
    assert kept_files == {rel: data for rel, data in cold.pages.items() if rel.startswith("_search/")}
    caches.save()
    caches.store.close()

    # Without a filing to refile from (a store of an older samizdat), the English pages kept from the last
    # build are read to file English afresh; the Russian pages' entries are not read at all.
    with sqlite3.connect(store_path(site)) as db:
        db.execute("DELETE FROM generated WHERE output = ?", (samizdat.search.stage.STORED + "en",))
    db.close()
    post.write_text(post.read_text(encoding="utf-8") + "\nAnother sentence.\n", encoding="utf-8")
    caches = BuildCaches.on_disk(site)
    output = render_site(site, caches=caches)
    assert asked and all(path.startswith("en/") for path in asked)
    # The page rendered now is read back too: it was filed in the store as it was rendered (RenderCache.file)
    cold = render_site(site)
    assert ({rel: data for rel, data in output.pages.items() if rel.startswith("_search/")}
            == {rel: data for rel, data in cold.pages.items() if rel.startswith("_search/")})
    caches.store.close()


def _parsed_templates(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the template files Jinja2 reads and turns into Python (not the text of pages)."""
    import jinja2

    parsed: list[str] = []
    parse = jinja2.Environment._parse

    def counting(self, source, name, filename):  # type: ignore[no-untyped-def]
        if name is not None:
            parsed.append(name)
        return parse(self, source, name, filename)

    monkeypatch.setattr(jinja2.Environment, "_parse", counting)
    return parsed


def test_the_python_of_templates_is_kept_as_text_and_read_again(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """A new process does not turn the theme's templates into Python again: the store keeps the text of
    what Jinja2 wrote (plain text, never marshalled code), which gives the same pages; a template whose
    text changed is read again."""
    import samizdat.templates

    def fresh_process() -> None:  # what a new `samizdat build` has in memory: nothing compiled
        monkeypatch.setattr(samizdat.templates._COMPILED, "_code", type(samizdat.templates._COMPILED._code)())

    site = tmp_path / "site"
    write_site(site, site_files())
    parsed = _parsed_templates(monkeypatch)
    fresh_process()
    caches, _ = build(site)
    caches.save()
    caches.store.close()
    assert "base.html" in parsed
    rows = sqlite3.connect(store_path(site)).execute("SELECT key, typeof(code), code FROM templates").fetchall()
    assert len(rows) >= len(set(parsed)) > 5
    assert all(kind == "text" and "def root(context" in code for _, kind, code in rows)

    fresh_process()
    before = {rel: data for rel, data in render_site(site).pages.items()}
    fresh_process()
    parsed.clear()
    post = site / "content/en/news/2026-01-02-post2.md"
    post.write_text(post.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    caches = BuildCaches.on_disk(site)
    output = render_site(site, caches=caches)
    assert output.rendered_count > 0
    assert parsed == []  # every template came from the store's text
    fresh_process()
    assert dict(output.pages) == dict(render_site(site).pages)  # what a build without the store makes
    assert before["en/about/index.html"] == output.pages["en/about/index.html"]
    caches.save()
    caches.store.close()

    footer = site / "templates/partials/footer.html"
    footer.write_text(footer.read_text(encoding="utf-8") + "<p>Footer changed.</p>\n", encoding="utf-8")
    fresh_process()
    parsed.clear()
    caches = BuildCaches.on_disk(site)
    output = render_site(site, caches=caches)
    assert parsed == ["partials/footer.html"]
    assert b"Footer changed." in output.pages["en/about/index.html"]
    caches.store.close()


def test_a_template_row_of_the_wrong_shape_means_a_cold_build(tmp_path: Path, capsys) -> None:
    site = tmp_path / "site"
    write_site(site, site_files())
    caches, _ = build(site)
    caches.save()
    caches.store.close()
    with sqlite3.connect(store_path(site)) as db:
        db.execute("UPDATE templates SET code = x'00'")
    caches, rendered = build(site)
    assert "thrown away" in capsys.readouterr().err
    assert rendered == len(caches.render.entries) > 10  # every page rendered again, none from the store
    caches.store.close()


def test_template_text_that_does_not_compile_is_made_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A row of the right type whose Python is damaged (cut short, or holding a NUL) gives the pages a build
    without the store gives, and is replaced by the text Jinja2 writes again."""
    import samizdat.templates

    def fresh_process() -> None:
        monkeypatch.setattr(samizdat.templates._COMPILED, "_code", type(samizdat.templates._COMPILED._code)())

    site = tmp_path / "site"
    write_site(site, site_files())
    fresh_process()
    caches, _ = build(site)
    caches.save()
    caches.store.close()
    with sqlite3.connect(store_path(site)) as db:
        rows = db.execute("SELECT key FROM templates").fetchall()
        assert len(rows) > 5
        db.execute("UPDATE templates SET code = substr(code, 1, 40) || ?", ("\0(",))
    fresh_process()
    expected = dict(render_site(site).pages)
    assert expected
    fresh_process()
    caches = BuildCaches.on_disk(site)
    assert dict(render_site(site, caches=caches).pages) == expected
    caches.save()
    caches.store.close()
    codes = sqlite3.connect(store_path(site)).execute("SELECT code FROM templates").fetchall()
    assert codes and any("def root(context" in code for (code,) in codes)


def test_template_code_from_the_store_still_runs_in_the_sandbox(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """A site's template whose escape only runs for one page's front matter: compiled and stored while no
    page takes that branch, then loaded from the store's text by a new process when one does. The stored
    code calls the sandbox as Jinja2's own does: the build stops with the template's error."""
    import samizdat.templates
    from samizdat.errors import SamizdatError

    def fresh_process() -> None:
        monkeypatch.setattr(samizdat.templates._COMPILED, "_code", type(samizdat.templates._COMPILED._code)())

    site = tmp_path / "site"
    files = site_files()
    files["templates/partials/footer.html"] = (
        "<footer>\n{% if page.data.escape is defined %}{{ ''.__class__.__mro__[1].__subclasses__() }}{% endif %}\n"
        "</footer>\n")
    write_site(site, files)
    fresh_process()
    caches, _ = build(site)
    caches.save()
    caches.store.close()
    stored = [code for (code,) in sqlite3.connect(store_path(site)).execute("SELECT code FROM templates")]
    assert any("__subclasses__" in code for code in stored)  # the footer's Python is in the store

    about = site / "content/en/about.md"
    about.write_text(about.read_text(encoding="utf-8").replace("menu: 2\n", "menu: 2\nescape: yes\n", 1),
                     encoding="utf-8")
    parsed = _parsed_templates(monkeypatch)
    fresh_process()
    caches = BuildCaches.on_disk(site)
    with pytest.raises(SamizdatError) as refused:
        render_site(site, caches=caches)
    caches.store.close()
    assert "partials/footer.html" not in parsed  # loaded from the store's text, not compiled again
    message = str(refused.value)
    assert "partials/footer.html:2: template error" in message  # the file and line to edit
    assert "'__class__' of 'str' object is unsafe" in message and "hint:" in message


def test_a_table_of_inputs_is_hashed_again_only_when_it_differs_from_the_last() -> None:
    """The dev server's sitemap: its 10,000 entries are compared with the last save's, and hashed again only
    when one of them changed (GeneratedCache.inputs_of)."""
    from samizdat.build.cache.generated import GeneratedCache
    from samizdat.build.cache.store import Store

    kept = GeneratedCache(Store(None))
    hashed: list[tuple[object, ...]] = []

    def digest(table: tuple[object, ...]) -> str:
        hashed.append(table)
        return repr(table)

    first = ("https://example.org", [("ru", True)], ("index", "ru", "/"), ("about", "ru", "/about/"))
    assert kept.inputs_of("sitemap.xml", first, digest) == repr(first)
    assert kept.inputs_of("sitemap.xml", tuple(list(first)), digest) == repr(first)  # equal, not the same object
    moved = (*first[:3], ("about", "ru", "/who/"))
    assert kept.inputs_of("sitemap.xml", moved, digest) == repr(moved)
    assert kept.inputs_of("other.xml", moved, digest) == repr(moved)  # each file its own
    assert hashed == [first, moved, moved]


def test_the_dev_servers_memos_live_in_its_caches_and_a_build_with_a_store_keeps_none(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every save of the dev server takes the last one's filings, sitemap entries and feed texts from its own
    caches (build/cache/memos.py); a second dev server, or a build with a store, starts without them."""
    site = tmp_path / "site"
    write_site(site, site_files())
    filed: list[str] = []
    real = samizdat.search.stage.file_language
    monkeypatch.setattr(samizdat.search.stage, "file_language",
                        lambda code, numbered: filed.append(code) or real(code, numbered))
    serving = BuildCaches()  # the dev server's: nothing on disk
    first = render_site(site, caches=serving)
    memos = serving.memos
    assert memos is not None and sorted(memos.search_filings) == sorted(filed) == ["en", "ko", "ru"]
    assert memos.sitemap_entries and memos.feed_texts and memos.image_scans
    filed.clear()
    again = render_site(site, caches=serving)
    assert filed == [] and serving.memos is memos  # each language's filing from the last save
    assert dict(again.pages) == dict(first.pages)
    render_site(site, caches=BuildCaches())  # another dev server's memos are its own
    assert sorted(filed) == ["en", "ko", "ru"]

    stored, _ = build(site)
    assert stored.memos is None  # a `samizdat build` process builds once: its state is in the store
    stored.store.close()


def test_a_clash_check_that_passed_is_done_again_only_for_other_outputs(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    import samizdat.outputs.claims
    from samizdat.errors import ContentError

    checked: list[int] = []
    check = samizdat.outputs.claims._check_claims
    monkeypatch.setattr(samizdat.outputs.claims, "_check_claims", lambda claims: checked.append(len(claims))
                        or check(claims))
    site = tmp_path / "site"
    write_site(site, site_files())
    caches, _ = build(site)
    caches.save()
    caches.store.close()
    assert len(checked) == 2 and checked[0] > 10  # the pages before rendering, every output after

    post = site / "content/en/news/2026-01-02-post2.md"
    post.write_text(post.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    checked.clear()
    caches, rendered = build(site)  # the same outputs: both lists passed on the last build
    caches.save()
    caches.store.close()
    assert rendered >= 1 and checked == []

    # One more page: both checks again, and they still catch a clash
    (site / "content/en/About.md").write_text("---\ntitle: About, again\n---\nText.\n", encoding="utf-8")
    with pytest.raises(ContentError, match="clashes with the page"):
        build(site)
    assert len(checked) == 1
    (site / "content/en/About.md").unlink()
    (site / "content/en/contact.md").write_text("---\ntitle: Contact\n---\nText.\n", encoding="utf-8")
    checked.clear()
    caches, _ = build(site)
    caches.store.close()
    assert len(checked) == 2


def test_a_build_stats_each_page_once_and_an_edit_after_that_stat_is_built_next_time(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    import samizdat.build.cache.record
    import samizdat.content.sources
    from samizdat.build.command import build_site

    site, out = tmp_path / "site", tmp_path / "out"
    write_site(site, site_files())
    build_site(site, out)
    post = site / "content/en/news/2026-01-02-post2.md"
    post.write_text(post.read_text(encoding="utf-8") + "\nFirst edit.\n", encoding="utf-8")
    stats: list[str] = []
    walk = samizdat.build.cache.record.fingerprint

    def fingerprint_then_edit(*args: object) -> str:
        answer = walk(*args)  # type: ignore[arg-type]
        # Edited after the walk took its stat, before discovery: the walk's stat decides only what is read again
        post.write_text(post.read_text(encoding="utf-8") + "\nSecond edit.\n", encoding="utf-8")
        return answer

    class CountedOs:
        def __getattr__(self, name: str) -> object:
            return getattr(os, name)

        @staticmethod
        def stat(path: object, *args: object, **kwargs: object) -> os.stat_result:
            stats.append(os.fspath(path))  # type: ignore[arg-type]
            return os.stat(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(samizdat.content.sources, "os", CountedOs())
    monkeypatch.setattr(samizdat.build.command, "fingerprint", fingerprint_then_edit)
    build_site(site, out)
    assert not [path for path in stats if path.endswith(".md")]  # discovery took the walk's stat of each page
    html = (out / "en/news/2026-01-02-post2/index.html").read_text(encoding="utf-8")
    assert "First edit." in html
    monkeypatch.undo()
    build_site(site, out)  # the record names the stat the walk saw, not the file's now: this build is not skipped
    assert "Second edit." in (out / "en/news/2026-01-02-post2/index.html").read_text(encoding="utf-8")


def test_a_source_pages_signature_tells_every_set_of_inputs_apart() -> None:
    """A page made from a source file is signed by its inputs written out, not hashed. Inputs that differ
    anywhere, even where one text could run on into the next (digits and colons in a path or a notice),
    never write the same signature; the same inputs always write the same one."""
    from itertools import product
    from types import SimpleNamespace

    from samizdat.build.cache.signatures import page_signature

    texts = ["", "0", "1:", "0:a", "a1:", ":", "a\nb", "9:scheduled", "scheduled"]
    seen: dict[str, tuple[object, ...]] = {}
    for site, digest, path, notice, scheduled in product(("a" * 64, "b" * 64), ("c" * 64, "d" * 64), texts, texts,
                                                         (False, True)):
        page = SimpleNamespace(path_text=path, scheduled=scheduled)
        signature = page_signature(page, site, notice, digest)  # type: ignore[arg-type]
        inputs = (site, digest, path, notice, scheduled)
        assert seen.setdefault(signature, inputs) == inputs
        assert page_signature(page, site, notice, digest) == signature  # type: ignore[arg-type]
    assert len(seen) == 2 * 2 * len(texts) ** 2 * 2
