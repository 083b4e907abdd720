"""The single writer: only changed files are written, removed pages disappear, a failure is one clear error
that leaves the last good output, and nothing is ever written or removed outside the output folder."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from samizdat.build.writer import MARKER, TEMP_SUFFIX, write_output
from samizdat.cli import main
from samizdat.errors import OutputError
from tests.conftest import MINIMAL_CONFIG, tree_digest
from tests.hostile import MINIMAL_PAGES, SECRET, Sandbox, assert_refused, sandbox  # noqa: F401  (fixture)


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
    second = write_output(out, pages, {"assets/logo.svg": asset}, made_here=True)

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


def test_a_copy_is_published_again_when_only_its_content_changed(tmp_path: Path) -> None:
    """Same size, and the old modification time put back: the content hash still sees the edit."""
    out, source = tmp_path / "out", tmp_path / "flyer.txt"
    source.write_bytes(b"meet at noon")
    write_output(out, {}, {"flyer.txt": source})
    before = source.stat()
    source.write_bytes(b"meet at nine")
    os.utime(source, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert write_output(out, {}, {"flyer.txt": source}).written == 1
    assert (out / "flyer.txt").read_bytes() == b"meet at nine"


def test_unchanged_files_keep_their_inode_and_time(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_output(out, {"a.html": b"a", "b.html": b"b"}, {})
    before = {name: (out / name).stat() for name in ("a.html", "b.html")}
    write_output(out, {"a.html": b"a", "b.html": b"b, edited"}, {}, made_here=True)
    after = (out / "a.html").stat()
    assert (after.st_ino, after.st_mtime_ns) == (before["a.html"].st_ino, before["a.html"].st_mtime_ns)
    assert (out / "b.html").stat().st_ino != before["b.html"].st_ino


# Write failures: one clear error naming the path, the previous output as it was, nothing left behind.

def previous_output(box: Sandbox, capsys: pytest.CaptureFixture[str]) -> dict[str, str]:
    """A built site, then a new title for every language, so that the next build changes every page."""
    box.write({})
    assert box.build(capsys).code == 0
    config = (box.site / "samizdat.toml").read_text(encoding="utf-8")
    (box.site / "samizdat.toml").write_text(config.replace('title = "', 'title = "New '), encoding="utf-8")
    return tree_digest(box.out)


def assert_nothing_left(out: Path) -> None:
    """Beside the output: its lock and the spare tree, which holds nothing but links to live files."""
    beside = sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}."))
    assert set(beside) <= {f".{out.name}.lock", f".{out.name}.spare"}, beside
    spare = out.parent / f".{out.name}.spare"
    if spare.exists():
        assert sorted(p.name for p in spare.iterdir()) in ([], ["_site"])
        live = {p.relative_to(out): p.stat().st_ino for p in out.rglob("*") if p.is_file()}
        for path in (spare / "_site").rglob("*"):
            if path.is_file():
                assert live.get(path.relative_to(spare / "_site")) == path.stat().st_ino, path
    assert not [p for p in out.parent.rglob("*") if p.name.endswith(TEMP_SUFFIX)]


def assert_failed_cleanly(box: Sandbox, outcome: object, before: dict[str, str], named: Path) -> None:
    assert_refused(outcome, str(named))  # type: ignore[arg-type]
    assert "error: " in outcome.err and outcome.err.count("error: ") == 1  # type: ignore[attr-defined]
    assert tree_digest(box.out) == before
    assert_nothing_left(box.out)
    box.assert_untouched()


def test_an_immutable_output_file_is_one_error(sandbox: Sandbox, capsys: pytest.CaptureFixture[str]) -> None:  # noqa: F811
    before = previous_output(sandbox, capsys)
    locked = sandbox.out / "en" / "index.html"
    if subprocess.run(["chattr", "+i", str(locked)], capture_output=True).returncode != 0:
        pytest.skip("chattr +i is not supported here (not ext4/XFS/Btrfs, or no CAP_LINUX_IMMUTABLE)")
    try:
        outcome = sandbox.build(capsys)
        assert_failed_cleanly(sandbox, outcome, before, locked)
        assert "lsattr" in outcome.err  # the hint says where to look
    finally:
        subprocess.run(["chattr", "-i", str(locked)], check=True)
    assert sandbox.build(capsys).code == 0  # once the flag is gone, the build goes through


@pytest.mark.parametrize(("name", "code", "patched"), [
    ("disk full", errno.ENOSPC, "write_bytes"),
    ("quota", errno.EDQUOT, "write_bytes"),
    ("permission denied", errno.EACCES, "mkdir"),
    ("not permitted", errno.EPERM, "unlink"),
])
def test_a_failing_os_call_is_one_error(sandbox: Sandbox, capsys: pytest.CaptureFixture[str],  # noqa: F811
                                        monkeypatch: pytest.MonkeyPatch, name: str, code: int, patched: str) -> None:
    before = previous_output(sandbox, capsys)
    (sandbox.site / "content/en/new.md").write_text("---\ntitle: New\n---\nNew.\n", encoding="utf-8")
    failing = sandbox.out / ("en/index.html" if patched == "unlink" else "en/new/index.html")
    suffix = {"write_bytes": "_site/en/new/index.html", "mkdir": "_site/en/new",
              "unlink": "_site/en/index.html"}[patched]  # the spare's name for the failing output file

    def fail_on_the_new_page(real: Callable[..., object]) -> Callable[..., object]:
        def call(*args: object, **kwargs: object) -> object:
            target = str(args[0])
            if target.endswith(suffix):
                raise OSError(code, os.strerror(code), target)
            return real(*args, **kwargs)
        return call

    if patched == "write_bytes":
        monkeypatch.setattr(Path, "write_bytes", fail_on_the_new_page(Path.write_bytes))
    else:
        monkeypatch.setattr(os, patched, fail_on_the_new_page(getattr(os, patched)))
    outcome = sandbox.build(capsys)
    monkeypatch.undo()
    expected = failing.parent if patched == "mkdir" else failing
    assert_failed_cleanly(sandbox, outcome, before, expected)
    assert os.strerror(code) in outcome.err, name
    assert sandbox.build(capsys).code == 0


def test_without_hard_links_whole_sites_are_still_published(sandbox: Sandbox,  # noqa: F811
                                                            capsys: pytest.CaptureFixture[str],
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """FAT, exFAT and some network shares have no hard links: every file is then copied, still whole."""
    previous_output(sandbox, capsys)
    shutil.rmtree(sandbox.root / ".out.spare")  # so that the build must bring every unchanged file over

    def no_links(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EPERM, os.strerror(errno.EPERM), str(args[0]))

    monkeypatch.setattr(os, "link", no_links)
    (sandbox.site / "samizdat.toml").write_text(MINIMAL_CONFIG, encoding="utf-8")
    outcome = sandbox.build(capsys)
    again = sandbox.build(capsys)  # the spare's copy of the manifest says that publication finished
    monkeypatch.undo()
    assert outcome.code == 0, outcome.err
    assert "New " not in (sandbox.out / "en/index.html").read_text(encoding="utf-8")
    assert again.code == 0 and "nothing changed since the last build" in again.out, again.out
    sandbox.assert_untouched()


def test_a_read_only_file_system_is_one_error(tmp_path: Path) -> None:
    site = tmp_path / "site"
    for rel, text in {"samizdat.toml": MINIMAL_CONFIG, **MINIMAL_PAGES}.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(text, encoding="utf-8")
    published = tmp_path / "published"
    out = published / "out"
    assert main(["build", str(site), "-o", str(out)]) == 0
    before = tree_digest(out)
    (site / "content/en/index.md").write_text("---\ntitle: Home\n---\nChanged.\n", encoding="utf-8")
    script = 'mount --bind -o ro "$1" "$1" && exec "$2" -m samizdat build "$3" -o "$4"'
    if subprocess.run(["unshare", "-m", "sh", "-c", 'mount --bind -o ro "$1" "$1"', "sh", str(published)],
                      capture_output=True).returncode != 0:
        pytest.skip("no private mount namespace here (unshare -m needs CAP_SYS_ADMIN)")
    result = subprocess.run(["unshare", "-m", "sh", "-c", script, "sh", str(published), sys.executable,
                             str(site), str(out)], capture_output=True, text=True, cwd=Path(__file__).parent.parent)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and result.stderr.count("error: ") == 1
    assert str(out) in result.stderr and "read-only file system" in result.stderr.lower(), result.stderr
    assert tree_digest(out) == before
    assert_nothing_left(out)


def test_a_file_where_the_output_folder_must_go_is_one_error(sandbox: Sandbox,  # noqa: F811
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    sandbox.write({})
    blocker = sandbox.root / "afile"
    blocker.write_text("not a folder", encoding="utf-8")
    for out in (blocker, blocker / "out"):
        outcome = sandbox.run(capsys, "build", sandbox.site, "-o", out)
        assert_refused(outcome, str(blocker))
        assert blocker.read_text(encoding="utf-8") == "not a folder"
        sandbox.assert_untouched()


def test_two_outputs_wanting_one_name_as_file_and_folder_is_one_error(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="'en' would be both a file and a folder"):
        write_output(tmp_path / "out", {"en": b"a file", "en/index.html": b"a page"}, {})
    assert not (tmp_path / "out").exists()


def test_a_folder_made_by_hand_where_a_file_goes_is_replaced(sandbox: Sandbox,  # noqa: F811
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    sandbox.write({})
    assert sandbox.build(capsys).code == 0
    expected = tree_digest(sandbox.out)
    page = sandbox.out / "en" / "index.html"
    page.unlink()
    (page / "junk").mkdir(parents=True)
    (sandbox.site / "content/en/index.md").touch()  # something changed: a real build
    assert sandbox.build(capsys).code == 0
    assert {k: v for k, v in tree_digest(sandbox.out).items() if k != MARKER} == \
        {k: v for k, v in expected.items() if k != MARKER}
    assert_nothing_left(sandbox.out)


# Confinement: the writer itself writes only plain paths inside the output, whatever the stages before let by.

UNSAFE_PATHS = [
    "/etc/samizdat-escape.html", "//server/share/index.html", "../escape.html", "en/../../escape.html",
    "en\\..\\..\\escape.html", "C:/escape.html", "c:escape.html", "nul\x00.html", "new\nline.html",
    "carriage\rreturn.html", "escape\x1b[31m.html", "del\x7f.html", "x" * 256 + ".html", "en//index.html",
    "./index.html", "en/./index.html", "en/", "", ".samizdat-output", "en/.index.html.samizdat-tmp",
]


@pytest.mark.parametrize("kind", ["page", "copy"])
@pytest.mark.parametrize("rel", UNSAFE_PATHS, ids=repr)
def test_the_writer_refuses_a_path_outside_plain_names(sandbox: Sandbox, capsys: pytest.CaptureFixture[str],  # noqa: F811
                                                      rel: str, kind: str) -> None:
    sandbox.write({})
    assert sandbox.build(capsys).code == 0
    before = tree_digest(sandbox.out)
    sandbox.before = sandbox.snapshot()
    source = sandbox.outside / "secret.txt"
    pages = {"index.html": b"new", **({rel: b"hostile"} if kind == "page" else {})}
    with pytest.raises(OutputError) as refused:
        write_output(sandbox.out, pages, {rel: source} if kind == "copy" else {})
    assert repr(rel) in str(refused.value)
    assert tree_digest(sandbox.out) == before
    sandbox.assert_untouched()


def tampered_entries(box: Sandbox) -> dict[str, dict[str, list[object]]]:
    secret = box.outside / "secret.txt"
    info = secret.stat()
    entry = [info.st_size, info.st_mtime_ns, hashlib.sha256(secret.read_bytes()).hexdigest()]
    return {
        "parent": {"../home/secret.txt": entry},
        "deep parent": {"en/../../home/secret.txt": entry},
        "absolute": {str(secret): entry},
        "link": {"link/secret.txt": entry},
        "backslash": {"..\\home\\secret.txt": entry},
        "a page through a link": {"link/index.html": entry, "en/index.html": entry},
        "not a list": {"en/index.html": "everything"},  # type: ignore[dict-item]
    }


DEEP = '{"version": 1, "files": ' + "[" * 100_000 + "]" * 100_000 + "}"  # Python's reader recurses: a traceback


@pytest.mark.parametrize("case", ["parent", "deep parent", "absolute", "link", "backslash",
                                  "a page through a link", "not a list", "not json", "not an object", "nested deep",
                                  "beyond 64 bits"])
def test_a_tampered_manifest_never_reaches_outside(sandbox: Sandbox, capsys: pytest.CaptureFixture[str],  # noqa: F811
                                                  case: str) -> None:
    sandbox.write({})
    assert sandbox.build(capsys).code == 0
    expected = {k: v for k, v in tree_digest(sandbox.out).items() if k != MARKER}
    (sandbox.out / "link").symlink_to(sandbox.outside, target_is_directory=True)
    manifest = sandbox.out / MARKER
    if case == "not json":
        manifest.write_text("{not json", encoding="utf-8")
    elif case == "not an object":
        manifest.write_text("[1, 2, 3]", encoding="utf-8")
    elif case == "nested deep":
        manifest.write_text(DEEP, encoding="utf-8")
    elif case == "beyond 64 bits":  # a number the manifest's reader does not take: the whole manifest is dropped
        manifest.write_text(f'{{"version": 1, "files": {{"en/index.html": [{2**70}, 1, "00"]}}}}', encoding="utf-8")
    else:
        data = json.loads(manifest.read_text(encoding="utf-8"))
        data["files"] |= tampered_entries(sandbox)[case]
        manifest.write_text(json.dumps(data), encoding="utf-8")
    (sandbox.site / "content/en/index.md").touch()  # a real build, not "nothing changed"
    outcome = sandbox.build(capsys)
    assert outcome.code == 0, outcome.err
    sandbox.assert_untouched()
    assert (sandbox.outside / "secret.txt").read_text(encoding="utf-8").startswith(SECRET)
    assert {k: v for k, v in tree_digest(sandbox.out).items() if k != MARKER} == expected
    assert not (sandbox.out / "link").exists()
    assert_nothing_left(sandbox.out)


def test_a_manifest_nested_deep_is_not_taken_for_an_intact_output(sandbox: Sandbox,  # noqa: F811
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """With no source changed, the build asks whether the output is still what the last one wrote, reading
    the manifest in the output and in the spare beside it, both anyone's to edit."""
    sandbox.write({})
    assert sandbox.build(capsys).code == 0
    expected = {k: v for k, v in tree_digest(sandbox.out).items() if k != MARKER}
    assert expected  # the built files compared below
    spare = sandbox.out.parent / f".{sandbox.out.name}.spare" / "_site" / MARKER
    for manifest in (sandbox.out / MARKER, spare):
        manifest.unlink()
        manifest.write_text(DEEP, encoding="utf-8")
    outcome = sandbox.build(capsys)
    assert outcome.code == 0 and "Traceback" not in outcome.err, outcome.err
    assert "nothing changed" not in outcome.out  # every file written again, as for any manifest it cannot read
    assert {k: v for k, v in tree_digest(sandbox.out).items() if k != MARKER} == expected
    assert json.loads((sandbox.out / MARKER).read_text(encoding="utf-8"))["files"]
    sandbox.assert_untouched()


@pytest.mark.parametrize("name", ["._site.lock", "._site.spare", "_site"])
def test_a_site_cannot_aim_the_output_or_its_neighbours_outside(sandbox: Sandbox,  # noqa: F811
                                                                capsys: pytest.CaptureFixture[str], name: str) -> None:
    sandbox.write({})
    target = sandbox.outside / "secret.txt" if name.endswith(".lock") else sandbox.outside
    (sandbox.site / name).symlink_to(target)
    if name != "._site.lock":
        (sandbox.site / "._site.lock").touch()  # made by any build into SITE/_site; only opened after that
    outcome = sandbox.run(capsys, "build", sandbox.site)
    assert_refused(outcome, name)
    sandbox.assert_untouched()
