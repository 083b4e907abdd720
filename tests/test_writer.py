"""The single writer: only changed files are written, removed pages disappear, a failure undoes itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from samizdat.build.writer import MARKER, write_output
from samizdat.errors import OutputError
from tests.conftest import tree_digest


def times(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


def test_rebuild_touches_only_what_changed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    asset = tmp_path / "logo.svg"
    asset.write_text("<svg/>")
    pages = {f"p{i}/index.html": f"page {i}".encode() for i in range(5)}
    first = write_output(out, pages, {"assets/logo.svg": asset})
    assert (first.written, first.unchanged, first.removed) == (6, 0, 0)
    before = times(out)

    pages["p1/index.html"] = b"page 1, edited"
    del pages["p4/index.html"]
    second = write_output(out, pages, {"assets/logo.svg": asset})

    assert (second.written, second.unchanged, second.removed) == (1, 4, 1)
    after = times(out)
    assert after["p1/index.html"] != before["p1/index.html"]
    assert all(after[rel] == before[rel] for rel in ("p0/index.html", "p2/index.html", "assets/logo.svg"))
    assert not (out / "p4").exists()
    assert (out / "p1/index.html").read_bytes() == b"page 1, edited"


def test_a_file_changed_by_hand_is_written_again(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_output(out, {"index.html": b"right"}, {})
    (out / "index.html").write_bytes(b"edited by hand")
    assert write_output(out, {"index.html": b"right"}, {}).written == 1
    assert (out / "index.html").read_bytes() == b"right"


def test_a_failed_write_leaves_the_last_good_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    write_output(out, {f"p{i}.html": b"old" for i in range(4)}, {})
    before = tree_digest(out)
    real_write = Path.write_bytes
    calls = []

    def disk_full_on_third(self: Path, data: bytes) -> int:
        calls.append(self)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        return real_write(self, data)

    monkeypatch.setattr(Path, "write_bytes", disk_full_on_third)
    with pytest.raises(OutputError, match="No space left on device"):
        write_output(out, {f"p{i}.html": b"new" for i in range(4)}, {})
    monkeypatch.undo()
    assert tree_digest(out) == before
    assert sorted(p.name for p in out.iterdir()) == [MARKER, "p0.html", "p1.html", "p2.html", "p3.html"]
