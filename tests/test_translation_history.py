"""A damaged .samizdat/translations.json: one clear error naming it, and the page left as it was."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.hostile import counted_matchers

SOURCE = "---\ntitle: Home\n---\n\nThe source text.\n"
TRANSLATION = "---\ntitle: Дом\n---\n\nПеревод.\n"


def as_folder(history: Path) -> None:
    history.mkdir(parents=True)
    (history / "inside.json").write_text("{}", encoding="utf-8")


def write(data: bytes):  # type: ignore[no-untyped-def]
    def put(history: Path) -> None:
        history.parent.mkdir(parents=True, exist_ok=True)
        history.write_bytes(data)
    return put


def folder_is_a_file(history: Path) -> None:
    history.parent.write_text("not a folder", encoding="utf-8")


# (case, how the history is damaged, the file the error names, words the error says)
DAMAGED = [
    ("a folder", as_folder, ".samizdat/translations.json", "not a file"),
    ("garbage", write(b"\x00\xff garbage {"), ".samizdat/translations.json", "cannot read"),
    ("not JSON", write(b"{'a': [1,"), ".samizdat/translations.json", "cannot read"),
    ("a list", write(b'["x"]'), ".samizdat/translations.json", "not what `samizdat translated` writes"),
    ("numbers", write(b'{"abc": [1, 2]}'), ".samizdat/translations.json", "not what"),
    ("a string value", write(b'{"abc": "text"}'), ".samizdat/translations.json", "not what"),
    ("its folder a file", folder_is_a_file, ".samizdat", "folder is a file"),
]


@pytest.mark.parametrize(("case", "damage", "named", "words"), DAMAGED, ids=[case[0] for case in DAMAGED])
def test_a_damaged_history_is_one_clear_error(make_site, run_cli, case: str, damage, named: str,
                                             words: str) -> None:
    site = make_site({"content/en/index.md": SOURCE, "content/ru/index.md": TRANSLATION})
    damage(site / ".samizdat/translations.json")
    page = site / "content/ru/index.md"
    result = run_cli("translated", page, "--from", "en")
    assert result.code == 1, case
    assert result.err.startswith("error: ") and "Traceback" not in result.err
    first = result.err.splitlines()[0]
    assert f"{named}: " in first and words in first
    assert "hint: " in result.err
    assert page.read_text(encoding="utf-8") == TRANSLATION  # nothing written before the error


def test_status_names_the_damaged_history(make_site, run_cli) -> None:
    site = make_site({"content/en/index.md": SOURCE, "content/ru/index.md": TRANSLATION})
    as_folder(site / ".samizdat/translations.json")
    result = run_cli("status", site)
    assert result.code == 1 and ".samizdat/translations.json: the translation history is not a file" in result.err


def test_a_good_history_is_still_read_and_extended(make_site, run_cli) -> None:
    site = make_site({"content/en/index.md": SOURCE, "content/ru/index.md": TRANSLATION})
    result = run_cli("translated", site / "content/ru/index.md", "--from", "en")
    assert result.code == 0, result.err
    history = (site / ".samizdat/translations.json").read_text(encoding="utf-8")
    assert "The source text." in history
    assert run_cli("translated", site / "content/ru/index.md", "--from", "en").code == 0


@pytest.mark.parametrize("linked", [".samizdat", ".samizdat/translations.json"])
@pytest.mark.parametrize("command", ["translated", "status"])
def test_a_history_linked_out_of_the_site_is_neither_read_nor_written(make_site, run_cli, tmp_path: Path,
                                                                     linked: str, command: str) -> None:
    """A site from a stranger may bring the history, or its folder, as a link to a file or folder of the
    volunteer's: samizdat neither reads nor writes through it, and says so."""
    site = make_site({"content/en/index.md": SOURCE, "content/ru/index.md": TRANSLATION})
    elsewhere = tmp_path / "volunteer"
    elsewhere.mkdir()
    (elsewhere / "translations.json").write_text('{"secret": ["private notes"]}\n', encoding="utf-8")
    target = elsewhere if linked == ".samizdat" else elsewhere / "translations.json"
    (site / linked).parent.mkdir(parents=True, exist_ok=True)
    (site / linked).symlink_to(target, target_is_directory=target.is_dir())
    args = ("translated", site / "content/ru/index.md", "--from", "en") if command == "translated" else (command, site)
    result = run_cli(*args)
    assert result.code == 1 and "Traceback" not in result.err, result.err
    assert "is a symbolic link" in result.err
    assert sorted(p.name for p in elsewhere.iterdir()) == ["translations.json"]
    assert (elsewhere / "translations.json").read_text(encoding="utf-8") == '{"secret": ["private notes"]}\n'
    assert (site / "content/ru/index.md").read_text(encoding="utf-8") == TRANSLATION


def test_a_link_at_the_name_a_save_once_wrote_beside_a_page_is_left_alone(make_site, run_cli, tmp_path: Path):
    """A page is saved whole by writing beside it first; a link a site put where that file once went (its
    name was the page's and the process number) is never written through."""
    site = make_site({"content/en/index.md": SOURCE, "content/ru/index.md": TRANSLATION})
    victim = tmp_path / "victim.txt"
    victim.write_text("the volunteer's own file\n", encoding="utf-8")
    victim.chmod(0o600)
    (site / f"content/ru/.index.md.{os.getpid()}.tmp").symlink_to(victim)
    assert run_cli("translated", site / "content/ru/index.md", "--from", "en").code == 0
    assert victim.read_text(encoding="utf-8") == "the volunteer's own file\n"
    assert victim.stat().st_mode & 0o777 == 0o600
    page = site / "content/ru/index.md"
    assert not page.is_symlink() and "translation_of:" in page.read_text(encoding="utf-8")


def test_what_changed_in_a_source_is_found_in_bounded_work(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """`samizdat status` matched the old and new paragraphs in order, which is slow where many are the same
    (a separator "* * *" on every other line: 6,000 paragraphs took 2.8 s, 20,000 half a minute). What both
    texts begin and end with is left out first; past PARAGRAPHS_MATCHED the changes are counted instead."""
    from samizdat.content import translation_status

    compared = counted_matchers(monkeypatch)
    changed = translation_status.changed_paragraphs
    # An edit in the middle of a long text: only the middle is matched, and the change is as before.
    old = [f"Paragraph {n}." for n in range(5_000)]
    new = [*old[:2_500], "A new paragraph.", *old[2_501:]]
    assert changed(old, new) == [("-", "Paragraph 2500."), ("+", "A new paragraph.")]
    assert compared == [1]
    # Twenty thousand paragraphs, every other one the same separator, with a paragraph added at each end:
    # never matched one against another, and every change is still named.
    compared.clear()
    old = [text for n in range(10_000) for text in (f"Part {n}.", "* * *")]
    new = ["Foreword.", *old, "Afterword."]
    assert sorted(changed(old, new)) == [("+", "Afterword."), ("+", "Foreword.")]
    assert compared == []
    old[4_000] = "Part two thousand, rewritten."
    assert sorted(changed(old, new)) == [("+", "Afterword."), ("+", "Foreword."), ("+", "Part 2000."),
                                         ("-", "Part two thousand, rewritten.")]
