"""Discovery places a folder's files from what it made of the first one: the answer for each file, and the
file refused first, must be those of placing every file on its own. And the record of each page found."""

from __future__ import annotations

import os
import shutil
import unicodedata
from dataclasses import FrozenInstanceError, fields, replace
from pathlib import Path

import pytest

from samizdat.build.cache.record import fingerprint
from samizdat.config import load_config
from samizdat.content.sources import SourceRef, _place, _places, _skipped, discover
from samizdat.errors import ContentError
from samizdat.site_files import _walk, site_file_names
from tests.conftest import write_files

PREFIX = os.path.join(os.sep, "site", "content") + os.sep
CODES = frozenset({"en", "ko", "ru"})
NFD = unicodedata.normalize("NFD", "소식")  # six code points; "소식" in NFC
ACUTE = "\u0301"  # a combining mark: it would join the letter before it, were the "/" not between


def path(rel: str) -> str:
    return PREFIX + rel.replace("/", os.sep)


FINE = [path(rel) for rel in (
    "index.md", "robots.txt", "en/index.md", "en/About.MD", "en/photo.jpg", "en/news/a.md", "en/news/b.markdown",
    "en/news/c.HTML", "en/news/deep/er/d.md", "en/news/deep/er/e.txt", f"ko/{NFD}/가.md", f"ko/{NFD}/{NFD}.md",
    f"ko/{NFD}/{ACUTE}x.md", f"ko/e/{ACUTE}x.md", "ko/e/y.md", "ru/.well-known/security.txt", "ru/a.b.c.md",
    "ru/README", "ru/x.md.txt", "ru/y.MarkDown",
)]


def first_refusal(names: list[str]) -> tuple[str, object, object] | None:
    """The error placing each name on its own raises first: its message, place and hint."""
    for name in names:
        try:
            _place(name, PREFIX, CODES)
        except ContentError as exc:
            return exc.message, exc.location, exc.hint
    return None


def test_a_folder_s_files_are_placed_as_each_would_be_alone() -> None:
    names = sorted(FINE)
    assert _places(names, PREFIX, CODES) == {name: _place(name, PREFIX, CODES) for name in names}


@pytest.mark.parametrize("rel", [
    "en/news/a%b.md", "en/news/con.md", "en/news/ends.", "en/news/tab\there.md", "en/news/.htaccess", ".htaccess",
    "en/news/x\u202e.md", "en/news/" + "n" * 231 + ".md", "fr/news/a.md", "fr/index.md", "en/bad%/a.md",
    "en/news/a?.md", "ko/e/\ud800.md", f"ko/{NFD}/{ACUTE}.",
])
def test_a_refused_file_beside_fine_ones_is_refused_as_it_would_be_alone(rel: str) -> None:
    """Fine files come before it in its folder and after it (one refused too): the first refused is named."""
    names = sorted([*FINE, path(rel), path(rel).rpartition(os.sep)[0] + os.sep + "zz%.md"])
    with pytest.raises(ContentError) as caught:
        _places(names, PREFIX, CODES)
    assert (caught.value.message, caught.value.location, caught.value.hint) == first_refusal(names)


def test_files_are_in_the_order_of_their_names_folder_by_folder() -> None:
    """A folder's files sort among its other names as the folder sorts among them ("a/x" before "a-b/x",
    though "-" sorts before "/"), as a tuple of the names would."""
    rels = ["a/x.md", "a-b/x.md", "a.md", "a b/c.md", "a/b/c.md", "ab.md", "a!/x.md", "a/b.md", "a/b/a.md",
            "en/z.md", "en.md", f"{NFD}/a.md", "소식/a.md", "e/x.md", f"e/{ACUTE}x.md"]
    names = [path(rel) for rel in rels]
    placed = _places(sorted(names), PREFIX, frozenset(rel.partition("/")[0] for rel in rels))
    by_names = sorted(names, key=lambda name: tuple(os.path.normcase(part) for part in name.split(os.sep)))
    assert sorted(names, key=lambda name: placed[name][0]) == by_names


def test_a_found_page_holds_every_field_it_is_given_and_stays_frozen() -> None:
    """SourceRef fills its fields itself (dataclass's own __init__ was slow): a field added to the class and
    not to that __init__ fails here."""
    values = {field.name: f"value {n}" for n, field in enumerate(fields(SourceRef))}
    ref = SourceRef(**values)  # type: ignore[arg-type]
    assert vars(ref) == values
    assert ref == SourceRef(**values) and hash(ref) == hash(SourceRef(**values))  # type: ignore[arg-type]
    assert vars(replace(ref, size=5)) == values | {"size": 5}
    assert vars(SourceRef("a", "b", None, 1, 2)) == {"name": "a", "rel": "b", "folder_language": None, "size": 1,
                                                     "mtime_ns": 2, "ctime_ns": 0, "inode": 0}
    with pytest.raises(FrozenInstanceError):
        ref.size = 6  # type: ignore[misc]


# The build's check for changes lists every folder of the site (build/cache/record.py), and discovery walks
# content/ from that listing: the same files found, and the same refusals, as by reading the folders again.
PLAIN = {
    "content/ru/index.md": "---\ntitle: Главная\n---\n", "content/en/news/a.md": "---\ntitle: A\n---\n",
    "content/en/news/deep/er/b.md": "---\ntitle: B\n---\n", "content/en/news/photo.jpg": "jpeg",
    "content/en/.hidden.md": "x", "content/en/.hidden/c.md": "x", "content/_drafts/d.md": "x",
    "content/en/_partial.md": "x", "content/en/.htaccess": "x",
    "content/en/node_modules/e.md": "---\ntitle: E\n---\n",  # a folder the check for changes does not enter
    "content/en/__pycache__/f.md": "x", "static/g.txt": "x",
}
LISTED = {rel: text for rel, text in PLAIN.items() if "node_modules" not in rel}  # every folder listed


def listing(site: Path) -> dict[str, list[os.DirEntry[str]]]:
    listed: dict[str, list[os.DirEntry[str]]] = {}
    fingerprint(site, site / "_site", None, {}, listed)
    return listed


def walk(site: Path, listed: dict[str, list[os.DirEntry[str]]] | None = None) -> list[str] | str:
    """The files discovery finds in content/, sorted, or the error it raises."""
    try:
        return sorted(site_file_names(site.resolve() / "content", _skipped, listed))
    except ContentError as exc:
        return str(exc)


def test_the_listing_finds_what_the_walk_finds(tmp_path: Path) -> None:
    write_files(tmp_path, LISTED)
    listed = listing(tmp_path)
    assert _walk(os.fspath(tmp_path.resolve() / "content"), _skipped, listed.get, None) is not None  # it is used
    assert walk(tmp_path, listed) == walk(tmp_path)
    assert len(walk(tmp_path)) == 5  # .htaccess among them: discovery names it, to refuse it


def test_a_folder_the_listing_skipped_is_read(tmp_path: Path) -> None:
    write_files(tmp_path, PLAIN)
    assert walk(tmp_path, listing(tmp_path)) == walk(tmp_path)
    assert any("node_modules" in name for name in walk(tmp_path))


@pytest.mark.parametrize("links", [
    {"content/en/news/leak.md": "/etc/passwd"}, {"content/en/news/loop": "."},
    {"content/en/news/inside.md": "a.md"}, {"content/en/gone.md": "nowhere.md"},
    {"content/en/linked": "news"}, {"content/en/news/deep/z.md": "../a.md", "content/ru/a.md": "../en/news/a.md"},
    {"content/ru/x.md": "/etc/passwd", "content/en/y.md": "/etc/passwd", "content/z.md": "/etc/passwd"},
    {"content/en": "../static"},
])
def test_a_link_is_refused_as_the_walk_refuses_it(tmp_path: Path, links: dict[str, str]) -> None:
    write_files(tmp_path, LISTED)
    for rel, target in links.items():
        link = tmp_path / rel
        if link.is_dir() and not link.is_symlink():
            shutil.rmtree(link)
        link.symlink_to(target)
    refused = walk(tmp_path)
    assert isinstance(refused, str) and "symbolic link" in refused
    assert walk(tmp_path, listing(tmp_path)) == refused


def test_a_fifo_is_refused_as_the_walk_refuses_it(tmp_path: Path) -> None:
    write_files(tmp_path, LISTED)
    os.mkfifo(tmp_path / "content/en/news/pipe.md")
    refused = walk(tmp_path)
    assert isinstance(refused, str) and "not a regular file" in refused
    assert walk(tmp_path, listing(tmp_path)) == refused


def test_discovery_from_the_listing_finds_the_same_pages_and_files(make_site) -> None:
    site = make_site({rel: text for rel, text in PLAIN.items() if "content/_drafts" in rel or "/.h" not in rel})
    seen: dict[str, os.stat_result] = {}
    listed: dict[str, list[os.DirEntry[str]]] = {}
    fingerprint(site, site / "_site", None, seen, listed)
    config = load_config(site)
    assert discover(config, seen=seen, listed=listed) == discover(config) == discover(config, seen=seen)
