from __future__ import annotations

from pathlib import Path

import pytest

from samizdat.config import load_config


def test_init_makes_a_site_that_builds(run_cli, tmp_path: Path) -> None:
    site = tmp_path / "berlin"
    assert run_cli("init", site, "--languages", "de,ru,en").code == 0
    config = load_config(site)
    assert [(lang.code, lang.prefix, lang.name) for lang in config.languages] == [
        ("de", "", "Deutsch"), ("ru", "ru", "Русский"), ("en", "en", "English")]

    result = run_cli("build", site)

    assert result.code == 0, result.err
    assert "warning" not in result.err
    out = site / "_site"
    assert '<html lang="de"' in (out / "index.html").read_text("utf-8")
    assert "Willkommen" in (out / "index.html").read_text("utf-8")
    assert "Добро пожаловать" in (out / "ru/index.html").read_text("utf-8")
    assert 'hreflang="de" lang="de"' in (out / "en/index.html").read_text("utf-8")


def test_init_takes_any_language_babel_knows(run_cli, tmp_path: Path) -> None:
    site = tmp_path / "ankara"
    assert run_cli("init", site, "--languages", "tr,ka,en", "--title", "Barış İçin").code == 0
    result = run_cli("build", site)
    assert result.code == 0
    assert "ქართული" in (site / "_site/index.html").read_text("utf-8")
    assert "not translated to ka" in result.err  # the theme has no Georgian strings yet: said, not hidden


def test_init_never_writes_into_a_folder_with_files(run_cli, tmp_path: Path) -> None:
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.md").write_text("mine")
    result = run_cli("init", tmp_path / "mine", "--languages", "en")
    assert result.code == 1 and "not empty" in result.err
    assert sorted(p.name for p in (tmp_path / "mine").iterdir()) == ["notes.md"]


def test_init_rejects_a_bad_code(run_cli, tmp_path: Path) -> None:
    result = run_cli("init", tmp_path / "x", "--languages", "de,Русский")
    assert result.code == 1 and "not a language code" in result.err
    assert not (tmp_path / "x").exists()


def test_init_takes_bcp47_codes_with_region_and_script(run_cli, tmp_path: Path) -> None:
    site = tmp_path / "lisbon"
    assert run_cli("init", site, "--languages", "pt-BR,sr-Latn,uk").code == 0
    config = load_config(site)
    assert [(lang.code, lang.prefix) for lang in config.languages] == [("pt-BR", ""), ("sr-Latn", "sr-latn"),
                                                                        ("uk", "uk")]
    result = run_cli("build", site)
    assert result.code == 0, result.err
    out = site / "_site"
    assert '<html lang="sr-Latn"' in (out / "sr-latn/index.html").read_text("utf-8")
    assert '<html lang="pt-BR"' in (out / "index.html").read_text("utf-8")
    assert [lang.marker for lang in config.languages] == ["PT-BR", "SR-LATN", "UA"]  # UK reads as a country


def test_init_writes_the_time_zone(run_cli, tmp_path: Path, monkeypatch) -> None:
    assert run_cli("init", tmp_path / "berlin", "--languages", "de", "--timezone", "Europe/Berlin").code == 0
    assert load_config(tmp_path / "berlin").timezone == "Europe/Berlin"
    monkeypatch.setenv("TZ", "Asia/Seoul")  # the computer's zone is the default
    result = run_cli("init", tmp_path / "seoul", "--languages", "ko")
    assert result.code == 0 and "Asia/Seoul" in result.out
    assert load_config(tmp_path / "seoul").timezone == "Asia/Seoul"


@pytest.mark.parametrize("zone", ["Berlin/Mitte", "Europe"])  # a region alone: an IsADirectoryError
def test_init_refuses_an_unknown_time_zone(run_cli, tmp_path: Path, zone: str) -> None:
    result = run_cli("init", tmp_path / "x", "--languages", "de", "--timezone", zone)
    assert result.code == 1 and f"unknown time zone {zone!r}" in result.err and "Traceback" not in result.err
    assert not (tmp_path / "x").exists()
