"""A new `samizdat build` process takes the search index of every language none of whose pages changed
from the build store, and files only the edited language again: the files are those of a cold build."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

import samizdat.search.stage
from samizdat.build.cache.store import store_path
from samizdat.search.stage import STORED, _packed, _unpacked
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
    real, real_refile = samizdat.search.stage.file_language, samizdat.search.stage.refile
    monkeypatch.setattr(samizdat.search.stage, "file_language",
                        lambda code, numbered: filed.append(code) or real(code, numbered))
    monkeypatch.setattr(samizdat.search.stage, "refile",
                        lambda code, *args: refiled.append(code) or real_refile(code, *args))
    samizdat.search.stage._FILED.clear()  # what a new process starts with
    page = site / "content/en/about.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nA word added: solidarity.\n", encoding="utf-8")
    assert run_cli("build", site, "-o", out).code == 0
    assert (filed, refiled) == ([], ["en"])  # the other languages' files came from the store as they were

    samizdat.search.stage._FILED.clear()
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
    filing = _unpacked(packed, "en")
    assert filing is not None and filing.stems  # kept with what refiling it takes
    files = filing.files
    assert files and all(path.startswith("_search/en/") for path in files)
    russian = site / "content/ru/about.md"
    for planted in ("index.html", "_search/en/../../index.html", "_search/en/m.css.html", "_search/ko/m.css"):
        db.execute("UPDATE generated SET data = ? WHERE output = ?",
                   (_packed(replace(filing, files=files | {planted: b"<script>alert(1)</script>"})), STORED + "en"))
        db.commit()
        samizdat.search.stage._FILED.clear()  # a new process: the kept row is all it has for English
        russian.write_text(russian.read_text(encoding="utf-8") + "\nЕщё строка.\n", encoding="utf-8")  # not a no-change
        assert run_cli("build", site, "-o", out).code == 0
        now = search_files(out)
        assert {rel: digest for rel, digest in now.items() if rel.startswith("_search/en/")} == english, planted
        assert b"alert(1)" not in (out / "index.html").read_bytes()
        assert all(b"alert(1)" not in (out / rel).read_bytes() for rel in now), planted
        assert not (out / "_search/en/m.css.html").exists()
    db.close()
