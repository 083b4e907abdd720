"""Text from a site reaches the volunteer's terminal only as text: a title, a layout's name or a file
name holding a terminal escape or a bidirectional override is shown escaped, never obeyed."""

from __future__ import annotations

from pathlib import Path

import pytest

from samizdat.cli import main
from samizdat.terminal import printable
from tests.conftest import MINIMAL_CONFIG

DRIVERS = ("\x1b", "\x9b", "\x07", "\r", "\u202e", "\u2066")  # ESC, CSI, BEL, CR, RLO, LRI


def _site(tmp_path: Path, pages: dict[str, str]) -> Path:
    site = tmp_path / "site"
    (site / "content" / "ru").mkdir(parents=True)
    (site / "samizdat.toml").write_text(MINIMAL_CONFIG, encoding="utf-8")
    (site / "content" / "ru" / "index.md").write_text("---\ntitle: Главная\n---\nПривет\n", encoding="utf-8")
    for rel, text in pages.items():
        (site / "content" / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / "content" / rel).write_text(text, encoding="utf-8")
    return site


def test_printable_escapes_what_drives_a_terminal_and_keeps_lines_and_letters() -> None:
    shown = printable("a\x1b[2Jb\u202ec\x9bd\x07e\rf\nд\tg 집회")
    assert shown == "a\\x1b[2Jb\\u202ec\\x9bd\\x07e\\rf\nд\tg 집회"
    assert not any(char in shown for char in DRIVERS)


def test_an_error_naming_a_hostile_layout_is_shown_escaped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = _site(tmp_path, {"ru/evil.md": '---\ntitle: x\nlayout: "x\\e[2J\\e]0;owned\\ay\\u202e"\n---\ntext\n'})
    assert main(["build", str(site), "-o", str(tmp_path / "out")]) != 0
    err = capsys.readouterr().err
    assert "layout 'x\\x1b[2J\\x1b]0;owned\\x07y\\u202e' does not exist" in err, err
    assert not any(char in err for char in DRIVERS), err


def test_search_results_show_a_hostile_title_escaped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = _site(tmp_path, {"ru/evil.md": '---\ntitle: "Митинг \\e[2J\\u202eнавсегда"\n---\nмитинг у посольства\n'})
    out = tmp_path / "out"
    assert main(["build", str(site), "-o", str(out)]) == 0
    capsys.readouterr()
    assert main(["search", str(site), "митинг", "--built", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "Митинг \\x1b[2J\\u202eнавсегда\thttps://example.org/evil/\tru" in printed, printed
    assert not any(char in printed for char in DRIVERS), printed
