"""`new post` makes the news section where it is missing, `new page`, `translated` with several pages
and `--all`, and `-V`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from samizdat.cli import main
from tests.hostile import MINIMAL_PAGES

SOURCE = "---\ntitle: About\n---\nAbout us.\n"


def test_new_post_creates_the_news_section_in_every_language(make_site, run_cli, tmp_path: Path) -> None:
    site = make_site(MINIMAL_PAGES | {"content/ru/news/index.md": "---\ntitle: Своё\n---\n"})
    result = run_cli("new", "post", site, "--slug", "statement", "--date", "2026-03-01")
    assert result.code == 0, result.err
    assert (site / "content/ru/news/index.md").read_text(encoding="utf-8") == "---\ntitle: Своё\n---\n"  # kept
    assert 'title: "News"' in (site / "content/en/news/index.md").read_text(encoding="utf-8")
    assert 'title: "소식"' in (site / "content/ko/news/index.md").read_text(encoding="utf-8")
    out = tmp_path / "out"
    assert run_cli("build", site, "-o", out).code == 0
    for rel in ("news/index.html", "en/news/index.html", "kr/news/index.html"):  # was a 404 in English
        assert "2026-03-01-statement" in (out / rel).read_text(encoding="utf-8"), rel


def test_new_meeting_creates_the_meetings_section(make_site, run_cli) -> None:
    site = make_site(MINIMAL_PAGES)
    assert run_cli("new", "meeting", site, "--start", "2026-12-05 15:00", "--slug", "rally").code == 0
    assert all((site / f"content/{code}/meetings/index.md").is_file() for code in ("ru", "en", "ko"))


@pytest.mark.parametrize("path", ["about/team", "contacts"])
def test_new_page_in_every_language(make_site, run_cli, path: str) -> None:
    site = make_site(MINIMAL_PAGES)
    result = run_cli("new", "page", site, "--path", path)
    assert result.code == 0, result.err
    for code in ("ru", "en", "ko"):
        assert "<<TODO: title in" in (site / f"content/{code}/{path}.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("path", ["../outside", "about/../../x", "About Us", "/", "a//b"])
def test_new_page_refuses_a_path_that_is_not_plain(make_site, run_cli, path: str) -> None:
    site = make_site(MINIMAL_PAGES)
    before = sorted(p for p in site.parent.rglob("*"))
    result = run_cli("new", "page", site, "--path", path)
    assert result.code == 1 and "Traceback" not in result.err
    assert sorted(p for p in site.parent.rglob("*")) == before


@pytest.mark.parametrize("command", [("post", "--slug", "x" * 300), ("page", "--path", "team/" + "x" * 300),
                                     ("meeting", "--start", "2027-01-02 15:00", "--slug", "x" * 300)])
def test_new_refuses_a_name_too_long_for_a_file(make_site, run_cli, command: tuple[str, ...]) -> None:
    """300 letters were an OSError (a file name too long) and a traceback, after `page` made a folder."""
    site = make_site(MINIMAL_PAGES)
    before = sorted(p for p in site.parent.rglob("*"))
    result = run_cli("new", command[0], site, *command[1:])
    assert result.code == 1 and "Traceback" not in result.err and "(at most 80 of them)" in result.err
    assert sorted(p for p in site.parent.rglob("*")) == before


def test_new_writes_every_file_or_none_when_the_disk_refuses(make_site, run_cli, monkeypatch) -> None:
    import errno
    import os

    import samizdat.scaffold.new as new

    site = make_site(MINIMAL_PAGES)
    before = sorted(p for p in site.parent.rglob("*"))
    opened: list[str] = []
    real_open = os.open

    def full_after_one(path: str, *args: object) -> int:
        opened.append(str(path))
        if len(opened) == 2:
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        return real_open(path, *args)

    monkeypatch.setattr(new.os, "open", full_after_one)
    result = run_cli("new", "page", site, "--path", "team/board")
    assert len(opened) == 2 and result.code == 1 and "Traceback" not in result.err
    assert "No space left on device; nothing was written" in result.err
    assert sorted(p for p in site.parent.rglob("*")) == before  # the first file and the folders made are gone


def test_translated_takes_several_pages(make_site, run_cli) -> None:
    site = make_site(MINIMAL_PAGES | {"content/en/about.md": SOURCE, "content/ru/about.md": "---\n---\nО нас.\n",
                                      "content/ko/about.md": "---\n---\n소개.\n"})
    result = run_cli("translated", site / "content/ru/about.md", site / "content/ko/about.md", "--from", "en")
    assert result.code == 0, result.err
    assert result.out.count("marked as a translation of") == 2
    rows = run_cli("status", site).out
    assert "untracked" not in rows.split("about", 1)[1].split("\n", 1)[0]


def test_translated_all_marks_untracked_but_not_outdated(make_site, run_cli) -> None:
    outdated = '---\ntranslation_of: {lang: en, hash: "000000000000"}\n---\nО нас.\n'
    site = make_site(MINIMAL_PAGES | {"content/en/about.md": SOURCE, "content/ru/about.md": outdated,
                                      "content/ko/about.md": "---\n---\n소개.\n"})
    result = run_cli("translated", "--all", site)
    assert result.code == 0, result.err
    assert "content/ko/about.md" in result.out and "content/ru/about.md" not in result.out
    assert '"000000000000"' in (site / "content/ru/about.md").read_text(encoding="utf-8")  # still outdated
    assert "translation_of: {lang: ru" in (site / "content/ko/index.md").read_text(encoding="utf-8")


def test_translated_without_pages_is_a_clear_error(run_cli) -> None:
    result = run_cli("translated")
    assert result.code == 1 and "--all" in result.err


def test_translated_given_the_site_folder_says_what_to_give(make_site, run_cli) -> None:
    """It said the site folder was "not inside a site folder"."""
    site = make_site(MINIMAL_PAGES)
    result = run_cli("translated", site)
    assert result.code == 1 and "Traceback" not in result.err
    assert "the site folder is not a page" in result.err and "--all" in result.err


@pytest.mark.parametrize("flag", ["-V", "--version"])
def test_version(flag: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main([flag])
    assert exit_.value.code == 0 and capsys.readouterr().out.startswith("samizdat ")


@pytest.mark.parametrize("linked", ["meetings", "content/en"])
def test_new_writes_nothing_through_a_folder_the_site_links_elsewhere(make_site, run_cli, tmp_path: Path,
                                                                      linked: str) -> None:
    """A site from a stranger may bring `meetings/` or a language folder as a link to a folder of the
    volunteer's: `samizdat new` refuses, names the link, and writes nothing anywhere."""
    site = make_site({"content/ru/index.md": "---\ntitle: Главная\n---\n",
                      "content/ko/index.md": "---\ntitle: 홈\n---\n"})
    elsewhere = tmp_path / "volunteer"
    elsewhere.mkdir()
    (site / linked).parent.mkdir(parents=True, exist_ok=True)
    if (site / linked).exists():
        shutil.rmtree(site / linked)
    (site / linked).symlink_to(elsewhere, target_is_directory=True)
    before = sorted(p.relative_to(site).as_posix() for p in site.rglob("*"))
    result = run_cli("new", "meeting", site, "--start", "2027-01-02 15:00", "--slug", "demo")
    assert result.code == 1 and "Traceback" not in result.err, result.err
    assert f"{linked} is a symbolic link" in result.err
    assert list(elsewhere.iterdir()) == []
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*")) == before
