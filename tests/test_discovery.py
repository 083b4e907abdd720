"""Discovery places a folder's files from what it made of the first one: the answer for each file, and the
file refused first, must be those of placing every file on its own. And the record of each page found."""

from __future__ import annotations

import os
import unicodedata
from dataclasses import FrozenInstanceError, fields, replace

import pytest

from samizdat.content.sources import SourceRef, _place, _places
from samizdat.errors import ContentError

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
