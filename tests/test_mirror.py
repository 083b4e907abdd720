"""`samizdat mirror`: a reproducible ZIP of the relative build, and the mirrors page in each language."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

from tests.conftest import BUNDLED_SITE
from tests.publishing import MIRRORS, ONION, publishing_site
from tests.test_build import Elements


def test_two_runs_give_the_same_bytes_and_print_the_checksum(run_cli, tmp_path: Path) -> None:
    site = publishing_site(tmp_path / "site")
    first, second = tmp_path / "first.zip", tmp_path / "second.zip"
    one = run_cli("mirror", site, "-o", first)
    assert one.code == 0, one.err
    (site / "content/en/index.md").touch()  # new file times must not change the archive
    two = run_cli("mirror", site, "-o", second)
    assert two.code == 0, two.err
    assert first.read_bytes() == second.read_bytes()
    digest = hashlib.sha256(first.read_bytes()).hexdigest()
    assert one.out.strip() == f"{digest}  first.zip"  # the format `sha256sum -c` reads


def test_archive_holds_the_relative_build_with_fixed_metadata(run_cli, tmp_path: Path) -> None:
    archive = tmp_path / "voices.zip"
    assert run_cli("mirror", BUNDLED_SITE, "-o", archive).code == 0
    with zipfile.ZipFile(archive) as bundle:
        entries = bundle.infolist()
        names = [entry.filename for entry in entries]
        assert names == sorted(names)
        assert all(name.startswith("www.voicesinkorea.kr/") for name in names)
        assert {entry.date_time for entry in entries} == {(1980, 1, 1, 0, 0, 0)}
        assert {entry.external_attr >> 16 for entry in entries} == {0o100644}
        assert {entry.extra for entry in entries} == {b""}
        assert not any(name.endswith((".samizdat-output", ".gz", ".br")) for name in names)
        english = bundle.read("www.voicesinkorea.kr/en/index.html").decode()
        assert 'href="../index.html"' in english and 'src="../assets/' in english
        photo = next(e for e in entries if e.filename.endswith(".jpg"))
        assert photo.compress_type == zipfile.ZIP_STORED  # JPEG is compressed already


def test_mirror_never_replaces_a_file_that_is_not_an_archive(run_cli, tmp_path: Path) -> None:
    letter = tmp_path / "letter.zip"
    letter.write_text("not a zip: someone's file", encoding="utf-8")
    result = run_cli("mirror", BUNDLED_SITE, "-o", letter)
    assert result.code == 1 and "refusing to replace" in result.err
    assert letter.read_text(encoding="utf-8") == "not a zip: someone's file"


def test_mirrors_page_per_language(run_cli, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run_cli("build", publishing_site(tmp_path / "site"), "-o", out).code == 0
    expected = {"mirrors/index.html": ("ru", "Зеркала сайта", "Копия у друзей"),
                "en/mirrors/index.html": ("en", "Mirrors of this site", "A copy kept by friends"),
                "kr/mirrors/index.html": ("ko", "이 사이트의 미러", "친구들이 운영하는 사본")}
    for rel, (lang, heading, note) in expected.items():
        html = (out / rel).read_text(encoding="utf-8")
        page = Elements(html)
        assert f'<html lang="{lang}"' in html
        assert f"<h1>{heading}</h1>" in html
        hrefs = [a.get("href") for a in page.all("a")]
        assert all(url in hrefs for url in MIRRORS)
        assert note in html.replace("\xa0", " ")  # typography joins short words to the next
        assert f"http://{ONION}/" in html
        assert "sha256sum FILE.zip" in html and "Get-FileHash FILE.zip -Algorithm SHA256" in html
        switcher = {a.get("hreflang"): a.get("href") for a in page.all("a") if a.get("hreflang")}
        assert set(switcher.values()) <= {"/mirrors/", "/en/mirrors/", "/kr/mirrors/"}
        assert len(switcher) == 2
    home = Elements((out / "en/index.html").read_text(encoding="utf-8"))
    assert "/en/mirrors/" in [a.get("href") for a in home.all("a")]  # the footer links to it


def test_no_mirrors_no_page(bundled_build: Path) -> None:
    assert not (bundled_build / "en/mirrors").exists()
    assert "/mirrors/" not in (bundled_build / "en/index.html").read_text(encoding="utf-8")
