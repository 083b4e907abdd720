"""Translation status: recorded in the files themselves, so a fresh clone knows what is out of date."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.conftest import BUNDLED_SITE, copy_site

PARAGRAPH = "We seek democracy and freedom for Russians."
CHANGED = "We seek democracy, peace and freedom for Russians."


def git(*args: str | Path, cwd: Path) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *map(str, args)],
                   cwd=cwd, check=True, capture_output=True)


@pytest.fixture
def fresh_clone(tmp_path: Path) -> Path:
    """The bundled site committed to a repository and cloned anew: every file time is the clone's."""
    origin = copy_site(BUNDLED_SITE, tmp_path / "origin")
    git("init", "-q", cwd=origin)
    git("add", "-A", cwd=origin)
    git("commit", "-qm", "site", cwd=origin)
    git("clone", "-q", origin, tmp_path / "clone", cwd=tmp_path)
    return tmp_path / "clone"


def matrix(output: str) -> dict[str, dict[str, str]]:
    header, *rows = output.split("\n\n")[0].splitlines()
    codes = header.split()[1:]
    return {row.split()[0]: dict(zip(codes, row.split()[1:], strict=True)) for row in rows}


def test_bundled_site_translations_are_all_current(run_cli) -> None:
    result = run_cli("status", BUNDLED_SITE)
    assert result.code == 0
    rows = matrix(result.out)
    assert rows["index"] == {"ru": "ok", "en": "source", "ko": "ok"}
    assert {state for row in rows.values() for state in row.values()} == {"ok", "source"}


def test_changed_english_paragraph_outdates_ru_and_ko_until_marked(fresh_clone: Path, run_cli, tmp_path) -> None:
    english = fresh_clone / "content/en/index.md"
    english.write_text(english.read_text(encoding="utf-8").replace(PARAGRAPH, CHANGED), encoding="utf-8")

    result = run_cli("status", fresh_clone)
    rows = matrix(result.out)
    assert rows["index"] == {"ru": "outdated", "en": "source", "ko": "outdated"}
    assert all("outdated" not in row.values() for key, row in rows.items() if key != "index")
    changes = result.out.split("\n\n", 1)[1]
    assert changes.count("- (removed)") == 2 and changes.count("+ (new or changed)") == 2
    assert "democracy, peace" in " ".join(changes.split())  # the new paragraph is shown, wrapped
    assert "Putin started an illegal war" not in changes  # unchanged paragraphs are not

    assert run_cli("build", fresh_clone, "-o", tmp_path / "out").code == 0
    russian_page = (tmp_path / "out/index.html").read_text(encoding="utf-8")
    assert 'class="translation-notice"' in russian_page and "Этот перевод, возможно, устарел" in russian_page
    assert '<a href="/en/" hreflang="en">Читать оригинал</a>' in russian_page
    assert "번역은 최신 내용이 아닐 수" in (tmp_path / "out/kr/index.html").read_text(encoding="utf-8")
    assert 'class="translation-notice"' not in (tmp_path / "out/en/index.html").read_text(encoding="utf-8")

    for code in ("ru", "ko"):
        assert run_cli("translated", fresh_clone / f"content/{code}/index.md").code == 0
    assert matrix(run_cli("status", fresh_clone).out)["index"] == {"ru": "ok", "en": "source", "ko": "ok"}
    assert run_cli("build", fresh_clone, "-o", tmp_path / "out").code == 0
    assert 'class="translation-notice"' not in (tmp_path / "out/index.html").read_text(encoding="utf-8")


def test_translated_rewrites_only_its_own_line(make_site, run_cli) -> None:
    russian = ("---\r\ntitle: \"О нас\"  # a comment stays\r\ntranslation_of:\r\n  lang: en\r\n  hash: 000\r\n"
               "tags: [a, b]\r\n---\r\nТекст  \r\n\r\n\r\nещё.\r\n")
    site = make_site({"content/en/about.md": "---\ntitle: About\n---\nText.\n",
                      "content/ru/about.md": russian.encode("utf-8")})
    result = run_cli("translated", site / "content/ru/about.md")
    assert result.code == 0, result.err
    after = (site / "content/ru/about.md").read_bytes().decode("utf-8")
    kept = russian.split("translation_of:")
    assert after.startswith(kept[0]) and after.endswith("tags: [a, b]\r\n---\r\nТекст  \r\n\r\n\r\nещё.\r\n")
    assert after.count('translation_of: {lang: en, hash: "') == 1 and "\n  lang: en" not in after


def test_translated_adds_front_matter_and_refuses_a_page_without_source(make_site, run_cli) -> None:
    site = make_site({"content/en/about.md": "Text.\n", "content/ru/about.md": "Текст.\n",
                      "content/ko/alone.md": "혼자.\n"})
    assert run_cli("translated", site / "content/ru/about.md", "--from", "en").code == 0
    text = (site / "content/ru/about.md").read_text(encoding="utf-8")
    assert text.startswith('---\ntranslation_of: {lang: en, hash: "') and text.endswith("---\nТекст.\n")
    result = run_cli("translated", site / "content/ko/alone.md")
    assert result.code == 1 and "a page cannot translate itself" in result.err
    assert (site / "content/ko/alone.md").read_text(encoding="utf-8") == "혼자.\n"


def test_an_untracked_translation_is_a_note_for_check_not_work_for_every_build(make_site, run_cli, tmp_path,
                                                                               monkeypatch) -> None:
    site = make_site({"content/en/about.md": "---\ntitle: About\n---\nText.\n",
                      "content/ru/about.md": "---\ntitle: О нас\n---\nТекст.\n"})
    monkeypatch.chdir(site)
    note = ("content/en/about.md: info [translation-untracked]: this en page does not record which version of "
            "content/ru/about.md")
    checked = run_cli("check")
    assert note in checked.out, checked.out

    from samizdat.build.command import build_site  # the build's own answer, not only what the command prints
    built = build_site(site, tmp_path / "out")
    assert (tmp_path / "out/about/index.html").is_file()
    assert not [item for item in built.findings if item.severity == "info"], built.findings
    printed = run_cli("build", site, "-o", tmp_path / "out").err
    assert "warning [translation-missing]" in printed and "translation-untracked" not in printed

    # A site that wants to hear of it asks `check`, which applies its severity
    (site / "samizdat.toml").write_text((site / "samizdat.toml").read_text(encoding="utf-8")
                                        + '\n[check]\nseverity = { "translation-untracked" = "warning" }\n',
                                        encoding="utf-8")
    assert note.replace("info", "warning") in run_cli("check").out
