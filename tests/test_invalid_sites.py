"""Each invalid sample site fails with one message naming the file (and line) and leaves the output alone."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import BUNDLED_SITE, MINIMAL_CONFIG, tree_digest, write_files

INVALID = Path(__file__).parent / "sites" / "invalid"

# site folder → (file the message names, with its line where the parser knows it; words of the message)
CASES = {
    "bad-front-matter": ("content/en/index.md:3:14", "flow sequence on this line"),
    "front-matter-not-closed": ("content/en/index.md:1", "never ends"),
    "missing-layout": ("content/en/index.md:2", "layout 'fancy' does not exist"),
    "duplicate-url": ("content/en/b.md:3", "two pages would write the same URL /en/same/"),
    "undeclared-language-folder": ("content/fr/index.md", "'fr' is not a language declared"),
    "undeclared-language-front-matter": ("content/index.md:3", "language 'fr' is not declared"),
    "missing-config": ("samizdat.toml", "no samizdat.toml"),
    "invalid-toml": ("samizdat.toml:10:14", "invalid TOML"),
    "config-unknown-key": ("samizdat.toml", "line 12: languages.en.colour: unknown key"),
    "config-wrong-type": ("samizdat.toml", "line 10: languages.en.title: must be a string"),
    "not-utf8": ("content/en/index.md:5", "not UTF-8"),
    "template-error": ("templates/default.html:3", "has no value 'nope'"),
    "template-syntax-error": ("templates/default.html:3", "Expected an expression"),
    "page-template-error": ("content/en/index.md:7", "template error"),
    "permalink-outside": ("content/en/index.md:3", "must start with a single /"),
    "permalink-sitemap": ("content/en/index.md:3", "clashes with the build's own sitemap.xml"),
    "case-twins": ("content/en/about.md", "differ only in upper and lower case"),
    "script-in-content": ("content/en/index.md:7", "loads code into the page"),
}


def test_every_invalid_site_has_a_case() -> None:
    assert sorted(p.name for p in INVALID.iterdir()) == sorted(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_invalid_site_names_file_and_keeps_output(name: str, tmp_path: Path, run_cli) -> None:
    site = shutil.copytree(INVALID / name, tmp_path / name)
    out = tmp_path / "out"
    assert run_cli("build", BUNDLED_SITE, "-o", out).code == 0  # the last good output
    before = tree_digest(out)

    result = run_cli("build", site, "-o", out)

    place, words = CASES[name]
    assert result.code == 1
    assert str(site / place) in result.err or f"{name}/{place}" in result.err, result.err
    assert words in result.err
    assert result.err.startswith("error: ") and "\nerror:" not in result.err  # one message
    assert "Traceback" not in result.err
    assert tree_digest(out) == before
    assert not list(tmp_path.glob(".out.staging-*"))


def test_running_out_of_memory_is_one_clear_error(run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every known way a site asks for gigabytes is bounded; any other ends in words, not a traceback, and
    the site built before stays as it was."""
    import samizdat.build.render_stage as render_stage

    site = tmp_path / "site"
    write_files(site, {"samizdat.toml": MINIMAL_CONFIG, "content/en/index.md": "---\ntitle: Home\n---\nHi.\n",
                       "content/ru/index.md": "---\ntitle: Главная\n---\nПривет.\n",
                       "content/ko/index.md": "---\ntitle: 홈\n---\n안녕.\n"})
    out = tmp_path / "out"
    assert run_cli("build", site, "-o", out).code == 0
    before = (out / "en/index.html").read_bytes()

    def no_memory(*args: object, **kwargs: object) -> None:
        raise MemoryError

    monkeypatch.setattr(render_stage, "render_pages", no_memory)
    (site / "content/en/index.md").write_text("---\ntitle: Home\n---\nChanged.\n", encoding="utf-8")
    outcome = run_cli("build", site, "-o", out)
    assert outcome.code == 1
    assert "Traceback" not in outcome.err and "ran out of memory" in outcome.err
    assert (out / "en/index.html").read_bytes() == before


DEEP_ARRAY = "[" * 5_000 + "]" * 5_000  # tomllib and json read nesting by recursion: a RecursionError traceback


def minimal_site(root: Path, extra: dict[str, str] | None = None) -> Path:
    write_files(root, {"samizdat.toml": MINIMAL_CONFIG, "content/en/index.md": "---\ntitle: Home\n---\nHi.\n",
                       "content/ru/index.md": "---\ntitle: Главная\n---\nПривет.\n",
                       "content/ko/index.md": "---\ntitle: 홈\n---\n안녕.\n"} | (extra or {}))
    return root


def test_settings_nested_too_deep_are_one_error(run_cli, tmp_path: Path) -> None:
    site = minimal_site(tmp_path / "site")
    (site / "samizdat.toml").write_text(MINIMAL_CONFIG + f"\n[extra]\nx = {DEEP_ARRAY}\n", encoding="utf-8")
    result = run_cli("build", site, "-o", tmp_path / "out")
    assert result.code == 1 and "Traceback" not in result.err
    assert f"{site / 'samizdat.toml'}: invalid TOML: values nested too deep to read" in result.err


def test_a_translation_history_nested_too_deep_is_one_error(run_cli, tmp_path: Path) -> None:
    site = minimal_site(tmp_path / "site", {".samizdat/translations.json": "[" * 100_000 + "]" * 100_000})
    result = run_cli("status", site)
    assert result.code == 1 and "Traceback" not in result.err
    assert "cannot read the translation history: it nests values too deep to read" in result.err


def test_a_hugo_config_nested_too_deep_is_reported_not_a_traceback(run_cli, tmp_path: Path) -> None:
    source = tmp_path / "hugo"
    write_files(source, {"hugo.toml": f'baseURL = "https://example.org/"\nx = {DEEP_ARRAY}\n',
                         "content/_index.md": "---\ntitle: Home\n---\nHi.\n"})
    result = run_cli("import", "hugo", source, tmp_path / "site")
    assert result.code == 0 and "Traceback" not in result.err, result.err
    report = (tmp_path / "site" / "IMPORT-REPORT.md").read_text(encoding="utf-8")
    assert "`hugo.toml`: cannot be read: it nests values too deep to read; Hugo's defaults were used" in report
