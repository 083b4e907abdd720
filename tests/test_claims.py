"""Output claims without a build: which sets of output paths clash, and which side the error points at."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from samizdat.errors import ContentError
from samizdat.outputs.claims import check_claims, disk_key, file_claims, generated_claims

NFD = unicodedata.normalize("NFD", "소식")

CLASHES = {  # site files (output path → source name), generated outputs, words of the message
    "same file": ({"robots.txt": "static/robots.txt"}, ["robots.txt"], "both would be written"),
    "case": ({"en/About/index.html": "a"}, ["en/about/index.html"], "upper and lower case"),
    "NFC and NFD": ({f"kr/{NFD}/x.txt": "a", "kr/소식/x.txt": "b"}, [], "Unicode NFC and NFD"),
    "a file where a folder is needed": ({"a/b/c.html": "a", "a/x.html": "b", "a": "c"}, [], "needs a folder"),
    "a deep folder": ({"a/b/c/d.html": "a", "a/b/e.html": "b", "A/B": "c"}, [], "needs a folder"),
    "a compressed copy": ({"en/feed.xml.br": "a"}, ["en/feed.xml"], "compressed copy"),
}


@pytest.mark.parametrize("name", sorted(CLASHES))
def test_a_clash_is_an_error_at_the_site_file(name: str) -> None:
    files, generated, words = CLASHES[name]
    claims = file_claims({rel: Path(source) for rel, source in files.items()}) + generated_claims(generated)
    with pytest.raises(ContentError, match=words) as raised:
        check_claims(claims)
    assert raised.value.location is not None  # always a file of the site, never the generated one


def test_distinct_outputs_pass() -> None:
    check_claims(file_claims({"a/b.html": Path("x"), "a/c/index.html": Path("y"), "ab": Path("z")})
                 + generated_claims(["sitemap.xml", "en/feed.xml", "feed.xml"]))


def test_disk_key_folds_case_and_composition() -> None:
    assert disk_key(f"KR/{NFD}") == disk_key("kr/소식")
    assert disk_key("About") == disk_key("about") != disk_key("abouts")
