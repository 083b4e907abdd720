"""A site's .samizdat-cache/ comes with the site: nothing in it may run code, or put into the output
anything but what the site's sources render to."""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
from collections.abc import Callable
from pathlib import Path

import jinja2
import pytest
from jinja2.bccache import BytecodeCache, bc_magic

from samizdat import sealed
from samizdat.build.parse_cache import FORMAT as PARSE_FORMAT
from samizdat.build.parse_cache import ParseCache
from samizdat.build.render_cache import FORMAT as RENDER_FORMAT
from samizdat.build.shards import SHARDS, shard_of
from samizdat.build.up_to_date import fingerprint
from samizdat.build.writer import MARKER
from samizdat.config import load_config
from samizdat.content.sources import discover
from samizdat.engine import engine_id
from samizdat.sealed import MAGIC, machine_key, read_sealed, write_sealed
from samizdat.theme import THEMES_DIR
from tests import hostile
from tests.hostile import Sandbox

sandbox = hostile.sandbox  # the fixture
CACHE = ".samizdat-cache"
MARKER_NAME = "pwned-by-cache"


class Planted:
    """Unpickling this runs code: it writes a marker file (as a real attack would do anything else)."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return exec, (f"__import__('pathlib').Path({str(self.marker)!r}).write_text('code ran')",)


def old_cache_names(site: Path) -> list[str]:
    """Every file below .samizdat-cache/ that the pickle-based caches and Jinja2's bytecode cache read."""
    config_digest = hashlib.sha256((site / "samizdat.toml").read_bytes()).hexdigest()
    names = ["last-build.pickle"]
    for number in range(SHARDS):
        names.append(f"sources-{engine_id()}.3.{config_digest[:16]}-{number:02d}.pickle")
        names.append(f"pages-{engine_id()}.3-{number:02d}.pickle")
    loader = jinja2.FileSystemLoader([str(site / "templates"), str(THEMES_DIR / "default" / "templates")])
    env = jinja2.Environment(loader=loader)
    for name in env.list_templates():
        _, filename, _ = loader.get_source(env, name)
        names.append(f"templates/__jinja2_{BytecodeCache().get_cache_key(name, filename)}.cache")
    return names


def plant(site: Path, payload: bytes, names: list[str]) -> None:
    for name in names:
        path = site / CACHE / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(bc_magic + payload if name.startswith("templates/") else payload)


def test_planted_pickles_never_run(sandbox: Sandbox, capsys: pytest.CaptureFixture[str]) -> None:
    marker = sandbox.root / MARKER_NAME
    payload = pickle.dumps(Planted(marker))
    pickle.loads(payload)  # the payload is live: loading it once here does write the marker
    assert marker.read_text(encoding="utf-8") == "code ran"
    marker.unlink()
    site = sandbox.write({})
    names = old_cache_names(site)
    assert len(names) > 2 * SHARDS + 10  # the record, both shard families and every theme template
    plant(site, payload, names)

    for _ in range(2):  # a cold build, then one that finds its own caches beside the planted files
        outcome = sandbox.build(capsys)
        assert outcome.code == 0, outcome.err
        assert not marker.exists()
        sandbox.assert_untouched()
    assert "Привет" in (sandbox.out / "index.html").read_text(encoding="utf-8")


def cache_files(site: Path) -> list[Path]:
    return sorted(p for p in (site / CACHE).glob("*.cache"))


def damage_truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: len(MAGIC) + 40])


def damage_garbage(path: Path) -> None:
    path.write_bytes(os.urandom(2000))


def damage_plain_json(path: Path) -> None:
    path.write_text('{"blobs": [], "index": {"index.html": ["x", 0, 0]}}', encoding="utf-8")


def damage_flip_a_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[-1] ^= 0x01
    path.write_bytes(bytes(data))


def damage_wrong_shape_sealed(path: Path) -> None:
    """Sealed with the right key but not in the shape samizdat writes (a format drift, a bug)."""
    key = machine_key()
    assert key is not None
    write_sealed(path, key, {"index.html": [{"html": "<p>other</p>"}, 0, 5]}, [b"12345"])


def damage_wrong_types_sealed(path: Path) -> None:
    key = machine_key()
    assert key is not None
    write_sealed(path, key, ["not", "a", "table"] if "last-build" not in path.name else {"fingerprint": 7})


DAMAGES: list[tuple[str, Callable[[Path], None]]] = [
    ("truncated", damage_truncate),
    ("garbage", damage_garbage),
    ("valid JSON, wrong shape, unsealed", damage_plain_json),
    ("one byte changed", damage_flip_a_byte),
    ("sealed, wrong shape", damage_wrong_shape_sealed),
    ("sealed, wrong types", damage_wrong_types_sealed),
]


@pytest.mark.parametrize(("label", "damage"), DAMAGES, ids=[label for label, _ in DAMAGES])
@pytest.mark.parametrize("family", ["sources-", "pages-", "last-build"])
def test_a_damaged_cache_means_one_note_and_a_cold_build(sandbox: Sandbox, capsys: pytest.CaptureFixture[str],
                                                         label: str, damage: Callable[[Path], None],
                                                         family: str) -> None:
    site = sandbox.write({"content/en/about.md": "---\ntitle: About\n---\nWho we are.\n"})
    assert sandbox.build(capsys).code == 0
    targets = [p for p in cache_files(site) if p.name.startswith(family)]
    assert targets
    for path in targets:
        damage(path)
    (site / "content/en/about.md").write_text("---\ntitle: About\n---\nWho we are now.\n", encoding="utf-8")

    outcome = sandbox.build(capsys)
    assert outcome.code == 0, outcome.err
    notes = [line for line in outcome.err.splitlines() if line.startswith("note:")]
    assert len(notes) == 1 and CACHE in notes[0] and "from scratch" in notes[0], outcome.err
    assert "Traceback" not in outcome.err
    assert output_of(sandbox.out) == cold_build(sandbox, capsys)
    sandbox.assert_untouched()
    again = sandbox.build(capsys)  # the thrown-away cache was replaced by a good one
    assert again.code == 0 and "note:" not in again.err


def output_of(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file() and p.name != MARKER}


def cold_build(sandbox: Sandbox, capsys: pytest.CaptureFixture[str]) -> dict[str, bytes]:
    """The same site built from nothing, in a copy, for comparison."""
    copy = sandbox.root / "cold-copy"
    shutil.copytree(sandbox.site, copy, ignore=shutil.ignore_patterns(CACHE))
    out = sandbox.root / "cold-out"
    assert hostile.main(["build", str(copy), "-o", str(out)]) == 0
    capsys.readouterr()
    result = output_of(out)
    shutil.rmtree(copy)
    shutil.rmtree(out)
    shutil.rmtree(out.with_name(f".{out.name}.spare"))  # the build's spare tree and lock beside its output
    out.with_name(f".{out.name}.lock").unlink()
    return result


def reseal_with(key: bytes) -> Callable[[Path, str], None]:
    """Put other HTML in the cached home page and seal the file again with `key`."""
    def tamper(path: Path, injected: str) -> None:
        found = read_sealed(path, machine_key() or b"")
        assert found is not None
        index, blobs = found
        _, first, _ = index["index.html"]
        blobs[first] = bytes(blobs[first]).replace(b"</main>", injected.encode() + b"</main>")
        write_sealed(path, key, index, blobs)
    return tamper


TAMPERS = [
    ("sealed with another computer's key", reseal_with(b"k" * 32)),
    ("not sealed again", lambda path, injected: path.write_bytes(
        path.read_bytes().replace(b"</main>", injected.encode() + b"</main>", 1))),
]


@pytest.mark.parametrize(("label", "tamper"), TAMPERS, ids=[label for label, _ in TAMPERS])
def test_cached_html_from_elsewhere_never_reaches_the_output(sandbox: Sandbox, capsys: pytest.CaptureFixture[str],
                                                             label: str, tamper: Callable[[Path, str], None]) -> None:
    injected = '<script src="https://tracker.example/x.js"></script>'
    site = sandbox.write({})
    assert sandbox.build(capsys).code == 0
    shard = site / CACHE / f"pages-{engine_id()}.{RENDER_FORMAT}-{shard_of('index.html'):02d}.cache"
    tamper(shard, injected)
    assert injected.encode() in shard.read_bytes()
    (site / "content/en/index.md").write_text("---\ntitle: Home\n---\nHello again.\n", encoding="utf-8")

    outcome = sandbox.build(capsys)
    assert outcome.code == 0, outcome.err
    assert "note:" in outcome.err
    assert injected not in (sandbox.out / "index.html").read_text(encoding="utf-8")
    assert output_of(sandbox.out) == cold_build(sandbox, capsys)


def test_a_cache_made_by_another_user_is_not_trusted(sandbox: Sandbox, capsys: pytest.CaptureFixture[str],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    sandbox.write({})
    assert sandbox.build(capsys).code == 0
    monkeypatch.setenv("XDG_CACHE_HOME", str(sandbox.root / "other-user-cache"))
    (sandbox.site / "content/en/index.md").write_text("---\ntitle: Home\n---\nHello again.\n", encoding="utf-8")
    outcome = sandbox.build(capsys)
    assert outcome.code == 0
    assert outcome.err.count("note:") == 1 and "not made on this computer" in outcome.err


def test_the_key_lives_outside_the_site_readable_by_its_user_only(sandbox: Sandbox,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    sandbox.write({})
    assert sandbox.build(capsys).code == 0
    key_file = sealed.key_path()
    assert not key_file.resolve().is_relative_to(sandbox.site.resolve())
    assert key_file.stat().st_mode & 0o077 == 0
    assert len(key_file.read_bytes()) == sealed.KEY_SIZE
    cache_files = [path for path in (sandbox.site / CACHE).rglob("*") if path.is_file()]
    assert cache_files
    for path in cache_files:
        assert not path.read_bytes().startswith((b"\x80", bc_magic)), f"{path} looks like a pickle"


EDITS = [  # each edit keeps the file's size; the test puts its old modification time back
    ("a page", "content/en/index.md", "Hello.", "Hallo.", "en/index.html"),
    ("a template", "templates/partials/footer.html", "Tpl-A", "Tpl-B", "index.html"),
    ("a data file", "data/links.yaml", "Help", "Hilf", "index.html"),
]


@pytest.mark.parametrize(("label", "rel", "old", "new", "output"), EDITS, ids=[e[0] for e in EDITS])
def test_an_edit_that_restores_size_and_time_rebuilds(sandbox: Sandbox, capsys: pytest.CaptureFixture[str],
                                                      label: str, rel: str, old: str, new: str, output: str) -> None:
    footer = (THEMES_DIR / "default/templates/partials/footer.html").read_text(encoding="utf-8")
    site = sandbox.write({"templates/partials/footer.html": footer.replace("</footer>", "Tpl-A</footer>"),
                          "data/links.yaml": "help: Help\n",
                          "content/ru/index.md": "---\ntitle: Главная\n---\nПривет {{ data.links.help }}.\n"})
    assert sandbox.build(capsys).code == 0
    assert old in (sandbox.out / output).read_text(encoding="utf-8")
    path = site / rel
    before = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)

    outcome = sandbox.build(capsys)
    assert outcome.code == 0, outcome.err
    assert "nothing changed" not in outcome.out
    assert new in (sandbox.out / output).read_text(encoding="utf-8")
    assert output_of(sandbox.out) == cold_build(sandbox, capsys)


def test_the_fingerprint_sees_an_edit_with_the_old_time(tmp_path: Path) -> None:
    (tmp_path / "page.md").write_text("Hello.\n", encoding="utf-8")
    out = tmp_path / "_site"
    first = fingerprint(tmp_path, out, None)
    stat = (tmp_path / "page.md").stat()
    (tmp_path / "page.md").write_text("Hallo.\n", encoding="utf-8")
    os.utime(tmp_path / "page.md", ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert fingerprint(tmp_path, out, None) != first
    assert (PARSE_FORMAT, RENDER_FORMAT) == (4, 5)  # the shard names test_planted_pickles_never_run avoids


def test_a_file_rewritten_with_the_same_bytes_is_not_parsed_again(make_site: Callable[..., Path]) -> None:
    site = make_site(dict(hostile.MINIMAL_PAGES))
    config = load_config(site)
    cache = ParseCache(None)
    refs = discover(config)[0]
    first = {p.page.path.name + p.page.language.code: p for p in cache.parse_all(refs, config)}
    page = site / "content/en/index.md"
    page.write_bytes(page.read_bytes())  # new change time: as after a clone or a copy
    same = {p.page.path.name + p.page.language.code: p for p in cache.parse_all(discover(config)[0], config)}
    assert same["index.mden"] is first["index.mden"] and cache.dirty
    stat = page.stat()
    page.write_text(page.read_text(encoding="utf-8").replace("Hello", "Hallo"), encoding="utf-8")
    os.utime(page, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    edited = {p.page.path.name + p.page.language.code: p for p in cache.parse_all(discover(config)[0], config)}
    assert "Hallo" in edited["index.mden"].page.body
