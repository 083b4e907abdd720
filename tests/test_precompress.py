"""publish.precompress: .gz and .br beside text files, the same bytes when unpacked, only when smaller."""

from __future__ import annotations

import gzip
from pathlib import Path

import brotli

from samizdat.outputs.precompress import compressed_versions
from tests.publishing import publishing_site


def test_text_files_get_gz_and_br_that_unpack_to_the_same_bytes(run_cli, tmp_path: Path) -> None:
    out = tmp_path / "out"
    site = publishing_site(tmp_path / "site", extra="precompress = true\n")
    assert run_cli("build", site, "-o", out).code == 0
    for rel in ["index.html", "en/index.html", "kr/mirrors/index.html", "theme/style.css"]:
        original = (out / rel).read_bytes()
        packed_gz, packed_br = (out / f"{rel}.gz").read_bytes(), (out / f"{rel}.br").read_bytes()
        assert gzip.decompress(packed_gz) == original
        assert brotli.decompress(packed_br) == original
        assert len(packed_br) < len(packed_gz) < len(original)
        assert packed_gz[4:8] == b"\0\0\0\0"  # no time stored: the same build gives the same bytes
    assert not list(out.rglob("*.jpg.gz"))  # photos are compressed already
    assert not (out / "_headers.gz").exists()  # read by the host itself, never sent


def test_only_where_smaller() -> None:
    assert compressed_versions("tiny.txt", b"a") == {}
    assert set(compressed_versions("page.html", b"<p>word</p>" * 100)) == {"page.html.gz", "page.html.br"}


def test_off_by_default(bundled_build: Path) -> None:
    assert not list(bundled_build.rglob("*.gz")) and not list(bundled_build.rglob("*.br"))
