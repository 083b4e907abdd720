"""A site's .samizdat-cache/ comes with the site: nothing in it may run code, or put into the output
anything but what the site's sources render to. The build store lives outside the site (in the user's
cache folder, build/cache/store.py), so nothing planted in the site is ever opened; a damaged store is
thrown away with one note and the build is a cold one."""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import os
import pickle
import secrets
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import jinja2
import pytest
from jinja2.bccache import BytecodeCache, bc_magic
from PIL import Image

from samizdat import sealed
from samizdat.build.cache.record import fingerprint
from samizdat.build.cache.sources import ParseCache
from samizdat.build.cache.store import SCHEMA, Store, store_path
from samizdat.build.writer import MARKER
from samizdat.config import load_config
from samizdat.content.sources import discover
from samizdat.engine import engine_id
from samizdat.products import folder_for
from samizdat.theme import THEMES_DIR
from tests import documentfiles, hostile
from tests.hostile import Sandbox

sandbox = hostile.sandbox  # the fixture
CACHE = ".samizdat-cache"
MARKER_NAME = "pwned-by-cache"
OLD_SHARDS = 32  # how many shard files each family of the older caches had


class Planted:
    """Unpickling this runs code: it writes a marker file (as a real attack would do anything else)."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return exec, (f"__import__('pathlib').Path({str(self.marker)!r}).write_text('code ran')",)


def old_cache_names(site: Path) -> list[str]:
    """Every file below .samizdat-cache/ that older caches (pickles, sealed shards) and Jinja2's bytecode
    cache read."""
    config_digest = hashlib.sha256((site / "samizdat.toml").read_bytes()).hexdigest()
    names = ["last-build.pickle", "last-build.cache", "build.sqlite3", "cache.sqlite3"]
    for number in range(OLD_SHARDS):
        for version in (3, 4, 5):
            names.append(f"sources-{engine_id()}.{version}.{config_digest[:16]}-{number:02d}.pickle")
            names.append(f"pages-{engine_id()}.{version}-{number:02d}.pickle")
            names.append(f"sources-{engine_id()}.{version}.{config_digest[:16]}-{number:02d}.cache")
            names.append(f"pages-{engine_id()}.{version}-{number:02d}.cache")
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
    assert len(names) > 4 * OLD_SHARDS + 10  # the record, both shard families and every theme template
    plant(site, payload, names)

    for _ in range(2):  # a cold build, then one that finds its own caches beside the planted files
        outcome = sandbox.build(capsys)
        assert outcome.code == 0, outcome.err
        assert not marker.exists()
        sandbox.assert_untouched()
    assert "Привет" in (sandbox.out / "index.html").read_text(encoding="utf-8")


def damage_garbage(path: Path) -> None:
    path.write_bytes(os.urandom(8192))


def damage_truncated(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:1000])


def damage_plain_text(path: Path) -> None:
    path.write_text('{"pages": {"index.html": "<p>other</p>"}}', encoding="utf-8")


def sql(statement: str) -> Callable[[Path], None]:
    def damage(path: Path) -> None:
        db = sqlite3.connect(path)
        with db:
            db.execute(statement)
        db.close()
    return damage


# A source's row is one JSON list in UTF-8 (build/cache/sources.py: _pack): the stat's four numbers, then
# digest, path, language, key, title, layout, url, output path, description, paragraphs' hash, body line,
# body start, front matter, its lines, date and placeholders (indexes 0 to 19).
FIELDS = "CAST(fields AS TEXT)"  # what SQLite's JSON functions take


def source_fields(edited: str) -> Callable[[Path], None]:
    """Every source row's fields replaced by the SQL expression `edited` (of FIELDS), as UTF-8."""
    return sql(f"UPDATE sources SET fields = CAST({edited} AS BLOB)")


def source_field(index: int, value: str) -> Callable[[Path], None]:
    """Every source row's field at `index` replaced by the SQL value `value`."""
    return source_fields(f"json_replace({FIELDS}, '$[{index}]', {value})")


DAMAGES: list[tuple[str, Callable[[Path], None]]] = [
    ("garbage", damage_garbage),
    ("truncated", damage_truncated),
    ("not a database", damage_plain_text),
    ("page html of the wrong type", sql("UPDATE pages SET html = 'text, not bytes'")),
    ("page reads cut short", sql("UPDATE pages SET reads = x'0102'")),
    ("page reads naming no read", sql("UPDATE pages SET reads = x'ffffffffffffff7f'")),
    ("page scripts not a list", sql("UPDATE pages SET scripts = '{\"a\": 1}'")),
    ("page text not UTF-8", sql("UPDATE pages SET content = x'ff'")),
    ("a read's answer not text", sql("UPDATE reads SET answer = x'01' WHERE id IN (SELECT min(id) FROM reads)")),
    ("a read's page of the wrong type", sql("UPDATE reads SET page = x'00' WHERE id = (SELECT max(id) FROM reads)")),
    ("source fields as text", sql("UPDATE sources SET fields = CAST(fields AS TEXT)")),
    ("source fields of the wrong shape", sql("UPDATE sources SET fields = CAST('[\"x\"]' AS BLOB)")),
    ("source fields not UTF-8", sql("UPDATE sources SET fields = x'5b22ff225d'")),
    ("source stat cut short", source_fields(f"json_remove({FIELDS}, '$[3]')")),
    ("source stat of floats", source_field(0, "1.5")),
    ("source body start of the wrong type", source_field(15, "'x'")),
    ("source body start negative", source_field(15, "-1")),
    ("source title not text", source_field(8, "7")),
    ("source front matter line not text", source_field(17, "json('[1]')")),
    ("source placeholders not a list", source_field(19, "0")),
    ("source placeholder of the wrong shape", source_field(19, "json('[[1, 2]]')")),
    ("source language unknown", source_field(6, "'xx'")),
    ("source date not a date", source_field(18, "'moon'")),
    ("source date spelled otherwise", source_field(18, "'20260101'")),
    ("source date of the wrong type", source_field(18, "7")),
    ("source date as its front matter's, which has none", source_field(18, "json('true')")),
    ("source date false", source_field(18, "json('false')")),
    ("source front matter of an unknown tag", source_field(16, "json('{\"d\": {\"\\u0000samizdat\": \"moon\", "
                                                                "\"v\": \"x\"}}')")),
    ("source front matter of a tagged value", source_field(16, "json('{\"d\": {\"\\u0000samizdat\": \"date\", "
                                                                "\"v\": 7}}')")),
    ("record of the wrong shape", sql("UPDATE record SET value = '{\"fingerprint\": 7}'")),
    ("record not JSON", sql("UPDATE record SET value = '{'")),
    ("a table missing", sql("DROP TABLE reads")),
]


@pytest.mark.parametrize(("label", "damage"), DAMAGES, ids=[label for label, _ in DAMAGES])
def test_a_damaged_store_means_one_note_and_a_cold_build(sandbox: Sandbox, capsys: pytest.CaptureFixture[str],
                                                         label: str, damage: Callable[[Path], None]) -> None:
    # Two posts, the second one's text edited: the feed is made again with the first one's body, read from
    # the store. A page's large columns are read only when a stage asks for them, so damage in one no stage
    # reads is never seen (nor published).
    site = sandbox.write({"content/en/about.md": "---\ntitle: About\n---\nWho we are.\n",
                          "content/en/news/2026-01-01-post.md": "---\ntitle: Post\n---\nNews of the day.\n",
                          "content/en/news/2026-01-02-more.md": "---\ntitle: More\n---\nMore news.\n"})
    assert sandbox.build(capsys).code == 0
    store = store_path(site)
    assert store.is_file() and not store.resolve().is_relative_to(site.resolve())
    damage(store)
    (site / "content/en/about.md").write_text("---\ntitle: About\n---\nWho we are now.\n", encoding="utf-8")
    (site / "content/en/news/2026-01-02-more.md").write_text("---\ntitle: More\n---\nMore news, and more.\n",
                                                              encoding="utf-8")

    outcome = sandbox.build(capsys)
    assert outcome.code == 0, outcome.err
    notes = [line for line in outcome.err.splitlines() if line.startswith("note:")]
    assert len(notes) == 1 and "build cache" in notes[0] and "from scratch" in notes[0], outcome.err
    assert "Traceback" not in outcome.err
    assert output_of(sandbox.out) == cold_build(sandbox, capsys)
    sandbox.assert_untouched()
    again = sandbox.build(capsys)  # the thrown-away store was replaced by a good one
    assert again.code == 0 and "note:" not in again.err


ABOUT = "---\ntitle: About\n---\nWho we are.\n\n---\n\nWhat we do.\n"  # a rule (---) in the body


@pytest.mark.parametrize("start", [3, ABOUT.index("\n---\n\nWhat") + 5], ids=["mid-line", "after a rule"])
def test_a_body_start_out_of_place_means_one_note_and_a_cold_build(sandbox: Sandbox,
                                                                   capsys: pytest.CaptureFixture[str],
                                                                   start: int) -> None:
    """A kept page's body is read from its file from where the store says it starts: any place but where
    front matter ends (or the file's start) is damage, even right after a line of --- in the body, found
    when the page renders again (here, for a layout changed), and the page is not rendered from a piece
    of its text."""
    site = sandbox.write({"content/en/about.md": ABOUT,
                          "content/en/news/2026-01-01-post.md": "---\ntitle: Post\n---\nNews of the day.\n"})
    assert sandbox.build(capsys).code == 0
    sql(f"UPDATE sources SET fields = CAST(json_replace({FIELDS}, '$[15]', {start}) AS BLOB) "
        "WHERE path LIKE '%about.md'")(store_path(site))
    (site / "templates").mkdir()
    (site / "templates/default.html").write_text('{% extends "base.html" %}\n{% block main %}<article>'
                                                 "{{ page.content }}</article>{% endblock %}\n", encoding="utf-8")
    outcome = sandbox.build(capsys)
    assert outcome.code == 0, outcome.err
    notes = [line for line in outcome.err.splitlines() if line.startswith("note:")]
    assert len(notes) == 1 and "build cache" in notes[0] and "from scratch" in notes[0], outcome.err
    assert "Who we are." in (sandbox.out / "en/about/index.html").read_text(encoding="utf-8")
    assert output_of(sandbox.out) == cold_build(sandbox, capsys)


def test_a_store_of_another_version_is_emptied_quietly(sandbox: Sandbox, capsys: pytest.CaptureFixture[str]) -> None:
    site = sandbox.write({})
    assert sandbox.build(capsys).code == 0
    sql("UPDATE meta SET value = 'older' WHERE name = 'format'")(store_path(site))
    (site / "content/en/index.md").write_text("---\ntitle: Home\n---\nHello again.\n", encoding="utf-8")
    outcome = sandbox.build(capsys)
    assert outcome.code == 0 and "note:" not in outcome.err, outcome.err
    assert output_of(sandbox.out) == cold_build(sandbox, capsys)


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


def planted_store(site: Path, injected: str) -> Path:
    """A database shaped exactly like the store, its home page carrying other HTML, put in the site."""
    real = sqlite3.connect(store_path(site))
    columns = ("output, signature, scripts, reads, digest, policy, media, content_hash, search_hash, search, content, "
               "html")
    rows = real.execute(f"SELECT {columns} FROM pages").fetchall()
    reads = real.execute("SELECT * FROM reads").fetchall()
    real.close()
    planted = site / CACHE / "build.sqlite3"
    db = sqlite3.connect(planted)
    with db:
        db.executescript(SCHEMA)
        for row in rows:
            html = row[-1].replace(b"</main>", injected.encode() + b"</main>")
            db.execute(f"INSERT INTO pages ({columns}) VALUES ({', '.join('?' * len(row))})", (*row[:-1], html))
        db.executemany("INSERT INTO reads VALUES (?, ?, ?, ?)", reads)
    db.close()
    return planted


def test_a_store_planted_in_the_site_never_reaches_the_output(sandbox: Sandbox,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    injected = '<script src="https://tracker.example/x.js"></script>'
    site = sandbox.write({})
    assert sandbox.build(capsys).code == 0
    planted = planted_store(site, injected)
    for name in ("cache.sqlite3", "store.sqlite3", "sources.sqlite3"):
        shutil.copy(planted, planted.with_name(name))
    store_path(site).unlink()  # nothing of this computer's own to find: the planted files are all there is
    (site / "content/en/index.md").write_text("---\ntitle: Home\n---\nHello again.\n", encoding="utf-8")

    outcome = sandbox.build(capsys)
    assert outcome.code == 0, outcome.err
    assert injected not in (sandbox.out / "index.html").read_text(encoding="utf-8")
    assert output_of(sandbox.out) == cold_build(sandbox, capsys)


def test_another_users_store_is_not_used(sandbox: Sandbox, capsys: pytest.CaptureFixture[str],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    sandbox.write({})
    first = sandbox.build(capsys)
    assert first.code == 0
    monkeypatch.setenv("XDG_CACHE_HOME", str(sandbox.root / "other-user-cache"))
    (sandbox.site / "content/en/index.md").write_text("---\ntitle: Home\n---\nHello again.\n", encoding="utf-8")
    outcome = sandbox.build(capsys)
    assert outcome.code == 0 and "note:" not in outcome.err
    assert "rendered" in outcome.out and "(1 rendered)" not in outcome.out  # every page rendered: a cold build
    assert store_path(sandbox.site).is_relative_to(sandbox.root / "other-user-cache")


def test_the_store_and_its_files_live_outside_the_site_readable_by_their_user_only(
        sandbox: Sandbox, capsys: pytest.CaptureFixture[str]) -> None:
    sandbox.write({"content/en/index.md": "---\ntitle: Home\n---\nHello.\n\n![march](/assets/march.jpg)\n",
                   "assets/march.jpg": _jpeg("red"), "assets/leaflet.pdf": documentfiles.pdf()})
    assert sandbox.build(capsys).code == 0
    store, files = store_path(sandbox.site), folder_for(sandbox.site)
    kept = [path for path in files.iterdir() if path.is_file()]
    assert len(kept) > 2  # the photo's copies and the cleaned PDF
    for path in (store, files, store.parent, *kept):
        assert not path.resolve().is_relative_to(sandbox.site.resolve())
        assert path.stat().st_mode & 0o077 == 0, path
    assert files.parent == store.parent
    assert all(hashlib.sha256(path.read_bytes()).hexdigest() == path.name for path in kept)
    cache_files = [path for path in (sandbox.site / CACHE).rglob("*") if path.is_file()]
    assert [path.name for path in cache_files] == ["build.lock"]  # the site's cache holds the lock only
    db = sqlite3.connect(store)
    tables = ("sources", "pages", "reads", "record", "products", "product_files", "product_sources")
    columns = {(table, row[1]): row[2] for table in tables for row in db.execute(f"PRAGMA table_info({table})")}
    db.close()
    assert {table for table, _ in columns} == set(tables)
    assert set(columns.values()) <= {"TEXT", "BLOB", "INTEGER"}  # plain values only


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


def test_a_file_rewritten_with_the_same_bytes_is_not_parsed_again(make_site: Callable[..., Path]) -> None:
    site = make_site(dict(hostile.MINIMAL_PAGES))
    config = load_config(site)
    cache = ParseCache(Store(None))
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


def _jpeg(colour: str, size: tuple[int, int] = (640, 480)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def _forged_like(path: Path) -> bytes:
    """An image of the same format and size as the file at `path`, all yellow: the unmasked photo."""
    with Image.open(path) as image:
        size, kind = image.size, image.format or "JPEG"
    buffer = io.BytesIO()
    Image.new("RGB", size, "yellow").save(buffer, kind)
    return buffer.getvalue()


def _plant_old_image_cache(site: Path, key: str, names: list[str], forged: bytes) -> None:
    """The image cache as it was kept in the site before: a folder per photo with a manifest sealed with
    this computer's own key (as a copy of one's own old cache would be) and the forged files in it."""
    entry = site / CACHE / "images" / key
    entry.mkdir(parents=True)
    files = {}
    for name in names:
        (entry / name).write_bytes(forged)
        info = (entry / name).stat()
        files[name] = [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino,
                       hashlib.sha256(forged).hexdigest()]
    photo = {"key": key, "width": 640, "height": 480, "full": names[0], "masked": [], "unreviewed_faces": 0,
             "variants": [{"file": name, "width": 640, "height": 480, "mime": "image/jpeg"} for name in names[1:]]}
    key_bytes = _own_key()
    _write_old_sealed(entry / "photo.sealed", key_bytes, {"photo": photo, "files": files})
    _write_old_sealed(site / CACHE / "images" / "digests.sealed", key_bytes, {})


def _own_key() -> bytes:
    """This computer's key where earlier versions kept it, made as they made it when there is none."""
    path = sealed.key_path()
    if not path.is_file():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        path.write_bytes(secrets.token_bytes(32))
    return path.read_bytes()


def _write_old_sealed(path: Path, key: bytes, index: object) -> None:
    """A cache file as earlier versions sealed it: magic, HMAC-SHA256 of the name and body, then the body
    (the header's length, and the header as JSON)."""
    header = json.dumps({"blobs": [], "index": index}, separators=(",", ":")).encode("utf-8")
    body = len(header).to_bytes(8, "little") + header
    mac = hmac.new(key, path.name.encode("utf-8") + body, "sha256").digest()
    path.write_bytes(b"samizdat-cache 1\n" + mac + body)


def test_a_forged_image_result_never_reaches_the_output(sandbox: Sandbox, capsys: pytest.CaptureFixture[str]) -> None:
    """Forged photo files planted where the image cache was kept in the site, and forged bytes under the
    names of the real files beside the store: the build hashes what it publishes and makes the photo again."""
    site = sandbox.write({"content/en/index.md": "---\ntitle: Home\n---\nHello.\n\n![march](/assets/march.jpg)\n",
                          "assets/march.jpg": _jpeg("red")})
    first = sandbox.build(capsys)
    assert first.code == 0, first.err
    published = output_of(sandbox.out)
    photos = {rel: data for rel, data in published.items() if rel.endswith((".jpg", ".webp", ".avif"))}
    assert photos and "assets/march.jpg" in photos

    db = sqlite3.connect(store_path(site))
    ((result_key, value, digests),) = db.execute("SELECT key, value, files FROM products WHERE key LIKE 'image:%'")
    db.close()
    folder = folder_for(site)
    files = [folder / digest for digest in json.loads(digests)]
    assert files and all(path.is_file() for path in files)
    names = sorted(json.loads(value)["files"])
    forged = _jpeg("yellow")
    _plant_old_image_cache(site, result_key.removeprefix("image:"), names, forged)
    forgeries = {path: _forged_like(path) for path in files}
    for path, data in forgeries.items():
        path.write_bytes(data)  # other bytes under the name of the real file's hash
    (site / "content/en/index.md").write_text("---\ntitle: Home\n---\nHello again.\n\n![march](/assets/march.jpg)\n",
                                              encoding="utf-8")

    outcome = sandbox.build(capsys)
    assert outcome.code == 0, outcome.err
    assert "images: 1 processed, 0 from cache" in outcome.out
    rebuilt = output_of(sandbox.out)
    assert {rel: data for rel, data in rebuilt.items() if rel in photos} == photos
    planted = {forged, *forgeries.values()}
    assert not [rel for rel, data in rebuilt.items() if data in planted]
    assert rebuilt == cold_build(sandbox, capsys)
    assert all(path.read_bytes() not in planted for path in files if path.exists())  # made again in their place
    sandbox.assert_untouched()


@pytest.mark.parametrize("planted", ["folder", "lock"])
def test_check_takes_the_cache_lock_through_no_link_a_site_brings(sandbox: Sandbox, capsys: pytest.CaptureFixture[str],
                                                                   planted: str) -> None:
    """`samizdat check` now takes the site cache's lock before it reads the build store. A site that
    brings `.samizdat-cache` as a link to the volunteer's own folder, or its lock file as a link to one of
    their files, gets a check that renders everything without the store, and nothing outside changes."""
    site = sandbox.write({})
    if planted == "folder":
        (site / CACHE).symlink_to(sandbox.outside, target_is_directory=True)
    else:
        (site / CACHE).mkdir()
        (site / CACHE / "build.lock").symlink_to(sandbox.outside / "secret.txt")
    before = sorted(path.name for path in sandbox.outside.iterdir())
    outcome = sandbox.run(capsys, "check", site)
    assert "Traceback" not in outcome.err and "checked" in outcome.out, outcome.err
    assert sorted(path.name for path in sandbox.outside.iterdir()) == before  # no lock file made there
    sandbox.assert_untouched()
