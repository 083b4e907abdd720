"""A new `samizdat build` process takes the search index of every language none of whose pages changed
from the build store, and files only the edited language again: the files are those of a cold build."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import pytest

import samizdat.search.stage
from samizdat.build.cache.store import store_path
from samizdat.search.index import index_path
from samizdat.search.refile import pack_stems
from samizdat.search.stage import _HASHES, _PATHS, STORED, _Filing, _inputs_hash, _packed, _unpacked
from samizdat.stored_files import StoredFiles
from tests.conftest import cold_user_cache, tree_digest
from tests.staleness import site_files, write_site


def search_files(out: Path) -> dict[str, str]:
    files = {rel: digest for rel, digest in tree_digest(out).items() if rel.startswith("_search/")}
    assert files  # the site has a search index to compare
    return files


def test_a_new_process_files_only_the_edited_language(tmp_path: Path, run_cli,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """A one-edit build refiles the edited page's language from the filing the store keeps (refile.py),
    takes the others' files as they are, and ends with the files of a cold build."""
    site, out = tmp_path / "site", tmp_path / "out"
    write_site(site, site_files())
    assert run_cli("build", site, "-o", out).code == 0

    filed: list[str] = []
    refiled: list[str] = []
    numbered: list[int] = []
    real, real_refile = samizdat.search.stage.file_language, samizdat.search.stage.refile
    real_assign = samizdat.search.stage.assign
    monkeypatch.setattr(samizdat.search.stage, "assign", lambda own: numbered.append(len(own)) or real_assign(own))
    monkeypatch.setattr(samizdat.search.stage, "file_language",
                        lambda code, numbered: filed.append(code) or real(code, numbered))
    monkeypatch.setattr(samizdat.search.stage, "refile",
                        lambda code, *args: refiled.append(code) or real_refile(code, *args))
    page = site / "content/en/about.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nA word added: solidarity.\n", encoding="utf-8")
    assert run_cli("build", site, "-o", out).code == 0
    assert (filed, refiled) == ([], ["en"])  # the other languages' files came from the store as they were
    assert len(numbered) == 1  # without numbering their pages again

    with cold_user_cache(tmp_path / "cold-cache"):
        assert run_cli("build", site, "-o", tmp_path / "cold").code == 0
    assert sorted(filed) == ["en", "ko", "ru"]  # the cold build filed every language afresh
    assert search_files(out) == search_files(tmp_path / "cold")
    assert "solidarity" in (out / "_search/en/m.css").read_text() or any(
        "solidar" in path.read_text(encoding="utf-8") for path in (out / "_search/en").glob("x*.css"))


def test_a_kept_index_naming_a_file_outside_its_folder_is_made_again(tmp_path: Path, run_cli) -> None:
    """The kept files of a language are written into the output as they are: a row that names any other
    file (a planted page, a path out of the index folder) is not used, and the language is filed again."""
    site, out = tmp_path / "site", tmp_path / "out"
    write_site(site, site_files())
    assert run_cli("build", site, "-o", out).code == 0
    english = {rel: digest for rel, digest in search_files(out).items() if rel.startswith("_search/en/")}

    db = sqlite3.connect(store_path(site))
    (packed,) = db.execute("SELECT data FROM generated WHERE output = ?", (STORED + "en",)).fetchone()
    filing = _unpacked(packed, "en", SimpleNamespace(read=lambda path, digest: b""))
    assert filing is not None and filing.stems  # kept with what refiling it takes
    files = filing.files
    assert files and all(path.startswith("_search/en/") for path in files)
    russian = site / "content/ru/about.md"
    script = b"<script>alert(1)</script>"
    for planted in ("index.html", "_search/en/../../index.html", "_search/en/m.css.html", "_search/ko/m.css"):
        # The filing names the planted file, and the store holds it under the hash the filing gives
        packed = _packed(replace(filing, files=files.changed({planted: script})))
        db.execute("UPDATE generated SET data = ?, digest = ? WHERE output = ?",
                   (packed, hashlib.sha256(packed).hexdigest(), STORED + "en"))
        digest = hashlib.sha256(script).hexdigest()
        db.execute("INSERT OR REPLACE INTO generated VALUES (?, ?, ?, ?)", (planted, digest, digest, script))
        db.commit()
        russian.write_text(russian.read_text(encoding="utf-8") + "\nЕщё строка.\n", encoding="utf-8")  # not a no-change
        assert run_cli("build", site, "-o", out).code == 0
        now = search_files(out)
        assert {rel: digest for rel, digest in now.items() if rel.startswith("_search/en/")} == english, planted
        assert b"alert(1)" not in (out / "index.html").read_bytes()
        assert all(b"alert(1)" not in (out / rel).read_bytes() for rel in now), planted
        assert not (out / "_search/en/m.css.html").exists()
    db.close()


def test_a_language_is_kept_under_its_addresses_and_entries() -> None:
    """The hash a language's files are kept under tells apart any two tables of addresses and entry hashes,
    an address that only the standard library writes (a lone surrogate) included."""
    one, two = hashlib.sha256(b"1").digest(), hashlib.sha256(b"2").digest()
    tables = [{}, {"a/": one}, {"a/": two}, {"b/": one}, {"a/": one, "b/": two}, {"a/": two, "b/": one},
              {"a/\", b/": one}, {"lone\ud800/": one}, {"lone\\ud800/": one}, {'"': one},
              {"a/": one[:16], "b/": one[16:] + two}, {"a/": one + two[:16], "b/": two[16:]}]  # not sha256s
    hashes = [_inputs_hash("en", table) for table in tables]
    assert len(set(hashes)) == len(tables)
    assert _inputs_hash("ko", tables[1]) != hashes[1]
    assert _inputs_hash("en", {"b/": two, "a/": one}) == hashes[4]  # the order the pages come in is not asked


def _frame(field: str, data: bytes) -> bytes:
    """One field of a packed filing, as _packed frames it."""
    name = field.encode()
    return len(name).to_bytes(8, "little") + name + len(data).to_bytes(8, "little") + data


def test_a_packed_filing_reads_back_and_a_damaged_one_does_not() -> None:
    """A filing's files come back with their hashes, and with what refiling takes only when asked for; a value
    _packed() cannot have written is no filing (the language is filed afresh), whichever field it damages."""
    files = StoredFiles({index_path("en", "m"): b"m", index_path("en", "x3"): b"x", index_path("en", "d0"): b"d"})
    made_from = (hashlib.sha256(b"a").digest(), None, hashlib.sha256(b"b").digest(), None)
    stems = {"protest": {"": 2, "s": 1}, "happi": {"=happy": 1}}
    packed = _packed(_Filing(made_from, files, "", stems))
    store = SimpleNamespace(read=lambda path, digest: b"")
    back = _unpacked(packed, "en", store)
    digests = {path: hashlib.sha256(files[path]).hexdigest() for path in files}
    assert back is not None and back.files.stored() == digests
    assert back.made_from == made_from and back.kept_stems == pack_stems(stems) and back.stems == stems
    bare = _unpacked(packed, "en", store, refiling=False)
    assert bare is not None and bare.files.stored() == digests and bare.made_from == () and bare.stems is None

    paths = "\n".join(digests).encode()
    hashes = b"".join(bytes.fromhex(digest) for digest in digests.values())
    damaged = [packed[:-1], packed + b"\0", packed + packed,  # cut short, trailing bytes, every field twice
               packed + _frame("#other", b""),  # a field it does not write
               _frame(_PATHS, paths) + _frame("#digests", hashes[:-1]),  # a hash short
               _frame(_PATHS, paths + b"\nindex.html") + _frame("#digests", hashes + bytes(32)),  # a file elsewhere
               _frame(_PATHS, b"\xff" + paths) + _frame("#digests", hashes),  # not UTF-8
               _frame(_PATHS, paths),  # no hashes
               _frame(_HASHES, b"")]  # no files
    for value in damaged:
        assert _unpacked(value, "en", store) is None, value
    assert _unpacked(packed, "ko", store) is None  # another language's folder
    # Hashes of the wrong length: the files, without what refiling takes
    odd = _unpacked(_frame(_PATHS, paths) + _frame("#digests", hashes) + _frame(_HASHES, b"x")
                    + _frame("#stems", b"{}"), "en", store)
    assert odd is not None and odd.files.stored() == digests and odd.stems is None


def test_index_files_and_feeds_stay_in_the_store_until_publication_reads_the_changed_ones(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A build with a store holds none of the index's or the feeds' bytes once they are filed: each file is
    read from the store when publication needs it, and a one-edit build reads only the files it changed."""
    from samizdat.build.cache.caches import BuildCaches
    from samizdat.build.cache.generated import GeneratedCache
    from samizdat.build.pipeline import render_site
    from samizdat.build.writer import write_output

    reads: list[str] = []
    real = GeneratedCache.read
    monkeypatch.setattr(GeneratedCache, "read",
                        lambda cache, path, digest: reads.append(path) or real(cache, path, digest))
    site, out = tmp_path / "site", tmp_path / "out"
    write_site(site, site_files())
    post = site / "content/en/news/2026-01-02-post2.md"
    for edit in ("", "\nA word added: solidarity.\n"):
        post.write_text(post.read_text(encoding="utf-8") + edit, encoding="utf-8")
        caches = BuildCaches.on_disk(site)
        output = render_site(site, caches=caches)
        index = [rel for rel in output.pages if rel.startswith("_search/")]
        feeds = [rel for rel in output.pages if rel.endswith("feed.xml") or rel == "sitemap.xml"]
        assert len(index) > 6 and "en/feed.xml" in feeds and "en/tags/aid/feed.xml" in feeds
        stored = [output.pages.as_stored(rel) for rel in index + feeds]
        assert all(found is not None for found in stored)  # a reader and a hash: no bytes held
        # Before publication: nothing in a first build; the chunks the edit lands in, in a refiling
        assert all(path.startswith("_search/en/") for path in reads) and bool(reads) == bool(edit), reads
        reads.clear()
        output.written = write_output(out, output.pages, output.copies, output.timings, published=caches.save,
                                      made_here=bool(edit))  # the output is the last build's (command.py)
        caches.store.close()
        if not edit:
            assert sorted(reads) == sorted(index + feeds)  # a first build writes every file: each read once
        else:  # the English files the edit changed, and the feeds that list the post: no other
            assert {path for path in reads if not path.startswith("_search/")} == {"en/feed.xml",
                                                                                   "en/tags/aid/feed.xml"}
            index_reads = [path for path in reads if path.startswith("_search/")]
            assert index_reads and all(path.startswith("_search/en/") for path in index_reads)
            assert len(index_reads) < sum(rel.startswith("_search/en/") for rel in index)
        reads.clear()
    assert search_files(out) == {rel: hashlib.sha256((out / rel).read_bytes()).hexdigest()
                                 for rel in search_files(out)}
    assert b"A word added: solidarity." in (out / "en/tags/aid/feed.xml").read_bytes()


def _is_index(rel: str) -> bool:
    return rel.startswith("_search/")


def _is_feed(rel: str) -> bool:
    return rel.endswith("feed.xml") or rel == "sitemap.xml"


@pytest.mark.parametrize(("rows", "kind", "planted"), [
    ("output LIKE '_search/en/%'", _is_index, b":root{--x:\"<script>alert(1)</script>\"}"),
    ("output LIKE '%feed.xml' OR output = 'sitemap.xml'", _is_feed,
     b'<feed xmlns="http://www.w3.org/2005/Atom"><title><script>alert(1)</script></title></feed>'),
    ("output LIKE 'search-filing:%'", _is_index, b"<script>alert(1)</script>"),
], ids=["index file", "feed", "filing"])
def test_a_file_altered_in_the_store_is_damage_not_output(tmp_path: Path, run_cli, rows: str,
                                                          kind: Callable[[str], bool], planted: bytes) -> None:
    """A kept index file or feed (or a language's filing, read whole) is used only if its bytes hash to the
    sha256 its row (and, for an index file, its language's filing) names: other bytes in its row (a damaged
    or hostile store) throw the store away, and the build goes on cold."""
    site, out = tmp_path / "site", tmp_path / "out"
    write_site(site, site_files())
    assert run_cli("build", site, "-o", out).code == 0
    db = sqlite3.connect(store_path(site))
    altered = db.execute(f"UPDATE generated SET data = ? WHERE {rows}", (planted,)).rowcount
    db.commit()
    db.close()
    assert altered >= 2
    kept = [rel for rel in tree_digest(out) if kind(rel)]
    assert len(kept) >= altered
    for rel in kept:
        (out / rel).unlink()  # so that publication must read every kept file, not find it in the output
    page = site / "content/ru/about.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nЕщё строка.\n", encoding="utf-8")  # not a no-change
    result = run_cli("build", site, "-o", out)
    assert result.code == 0, result.err
    assert "was thrown away" in result.err
    with cold_user_cache(tmp_path / "cold-cache"):
        assert run_cli("build", site, "-o", tmp_path / "cold").code == 0
    built, cold = tree_digest(out), tree_digest(tmp_path / "cold")
    assert {rel: digest for rel, digest in built.items() if kind(rel)} == {
        rel: digest for rel, digest in cold.items() if kind(rel)} and all(rel in built for rel in kept)
    assert all(b"alert(1)" not in (out / rel).read_bytes() for rel in kept)
