"""A new `samizdat build` process takes the search index of every language none of whose pages changed
from the build store, and files only the edited language again: the files are those of a cold build."""

from __future__ import annotations

from pathlib import Path

import pytest

import samizdat.search.stage
from tests.conftest import cold_user_cache, tree_digest
from tests.staleness import site_files, write_site


def search_files(out: Path) -> dict[str, str]:
    files = {rel: digest for rel, digest in tree_digest(out).items() if rel.startswith("_search/")}
    assert files  # the site has a search index to compare
    return files


def test_a_new_process_files_only_the_edited_language(tmp_path: Path, run_cli,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    site, out = tmp_path / "site", tmp_path / "out"
    write_site(site, site_files())
    assert run_cli("build", site, "-o", out).code == 0

    filed: list[str] = []
    real = samizdat.search.stage.build_language_index
    monkeypatch.setattr(samizdat.search.stage, "build_language_index",
                        lambda code, numbered: filed.append(code) or real(code, numbered))
    samizdat.search.stage._FILED.clear()  # what a new process starts with
    page = site / "content/en/about.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nA word added: solidarity.\n", encoding="utf-8")
    assert run_cli("build", site, "-o", out).code == 0
    assert filed == ["en"]  # the other languages' files came from the store

    samizdat.search.stage._FILED.clear()
    with cold_user_cache(tmp_path / "cold-cache"):
        assert run_cli("build", site, "-o", tmp_path / "cold").code == 0
    assert sorted(filed) == ["en", "en", "ko", "ru"]  # the cold build filed every language
    assert search_files(out) == search_files(tmp_path / "cold")
