"""An edit to a site with photos does work for the edit, not for every photo: no photo, variant or published
file is read again when the store says it was not written since, and whatever was written since is."""

from __future__ import annotations

import os
import shutil
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

import samizdat.build.publication
import samizdat.images.centerface
import samizdat.images.faces
import samizdat.images.probe
import samizdat.images.runtime
import samizdat.images.verify
import samizdat.products
from samizdat.errors import ImageError
from samizdat.images.verify import verify_published
from samizdat.products import ProductBook, ProductFolder
from tests.documentfiles import jpeg_with_gps

PAGE = "".join(f"![photo {n}](../assets/p{n}.jpg)\n\n" for n in range(3))


def _spy(monkeypatch: pytest.MonkeyPatch, calls: Counter[str], owner: object, name: str) -> None:
    real = getattr(owner, name)

    def counted(*args: object, **kwargs: object) -> object:
        calls[name] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, counted)


def _photo_site(make_site: Callable[..., Path]) -> Path:
    site = make_site({"content/en/index.md": PAGE, "content/en/notes.md": "---\ntitle: Notes\n---\n\nFirst.\n",
                      "static/notes.txt": "the first words\n"})
    (site / "assets").mkdir()
    for n, colour in enumerate(("red", "green", "blue")):
        Image.new("RGB", (900, 600), colour).save(site / f"assets/p{n}.jpg", quality=90)
    return site


def _edit(site: Path, words: str) -> None:
    (site / "content/en/notes.md").write_text(f"---\ntitle: Notes\n---\n\n{words}\n", encoding="utf-8")


def test_an_edit_reads_no_photo_variant_or_published_file_again(make_site, run_cli, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    site, out = _photo_site(make_site), tmp_path / "out"
    calls: Counter[str] = Counter()
    _spy(monkeypatch, calls, samizdat.build.publication, "_digest")  # a copied file hashed to be published
    _spy(monkeypatch, calls, samizdat.products, "sha256_of")  # a photo or a variant hashed
    _spy(monkeypatch, calls, samizdat.images.verify, "sniff")  # a published file read back
    _spy(monkeypatch, calls, samizdat.images.probe, "probe")  # a photo's header read
    _spy(monkeypatch, calls, samizdat.images.faces, "detector_available")  # OpenCV imported
    _spy(monkeypatch, calls, samizdat.images.centerface, "model_version")  # the network loaded
    first = run_cli("build", site, "-o", out)
    assert first.code == 0, first.err
    assert "images: 3 processed" in first.out
    # The cold build does each of these: the spies see what they are meant to see.
    assert {name for name, count in calls.items() if count} >= {"sha256_of", "sniff", "probe", "detector_available"}
    variants = {path.relative_to(out).as_posix(): path.read_bytes() for path in (out / "_images").rglob("*.*")}
    assert len(variants) >= 6

    calls.clear()
    _edit(site, "Second.")
    second = run_cli("build", site, "-o", out)
    assert second.code == 0, second.err
    assert "images: 0 processed, 3 from cache" in second.out
    assert not +calls, calls
    assert "Second." in (out / "en/notes/index.html").read_text(encoding="utf-8")
    assert {path.relative_to(out).as_posix(): path.read_bytes() for path in (out / "_images").rglob("*.*")} == variants
    assert (out / "notes.txt").read_text(encoding="utf-8") == "the first words\n"


def test_a_static_file_edited_with_its_old_size_and_time_is_published(make_site, run_cli, tmp_path: Path) -> None:
    site, out = _photo_site(make_site), tmp_path / "out"
    assert run_cli("build", site, "-o", out).code == 0
    notes = site / "static/notes.txt"
    before = notes.stat()
    notes.write_text("the other words\n", encoding="utf-8")  # the same size
    os.utime(notes, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert notes.stat().st_size == before.st_size and notes.stat().st_mtime_ns == before.st_mtime_ns
    result = run_cli("build", site, "-o", out)
    assert result.code == 0, result.err
    assert (out / "notes.txt").read_text(encoding="utf-8") == "the other words\n"


def test_a_photos_bytes_probed_under_one_name_are_refused_under_a_wrong_one(make_site, run_cli,
                                                                         tmp_path: Path) -> None:
    """What a photo's header said is kept by its bytes and its name's ending: the same JPEG named .png is
    still told to be renamed."""
    site, out = _photo_site(make_site), tmp_path / "out"
    assert run_cli("build", site, "-o", out).code == 0
    shutil.copyfile(site / "assets/p0.jpg", site / "assets/copy.png")
    _edit(site, "![the same photo](/assets/copy.png)")
    result = run_cli("build", site, "-o", out)
    assert result.code == 1
    assert "copy.png is a JPEG file, but its name ends in .png" in result.err


def test_the_detector_is_asked_again_when_its_runtime_is_installed_anew(make_site, run_cli, tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """A runtime upgraded in place gets files with new inodes and change times: the answer is asked again."""
    runtime = tmp_path / "runtime"
    runtime.mkdir()
    (runtime / "samizdat_test_runtime.py").write_text("VERSION = 1\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(runtime))
    monkeypatch.setattr(samizdat.images.runtime, "RUNTIME_MODULES",
                        (*samizdat.images.runtime.RUNTIME_MODULES, "samizdat_test_runtime"))
    calls: Counter[str] = Counter()
    _spy(monkeypatch, calls, samizdat.images.faces, "detector_available")
    site, out = _photo_site(make_site), tmp_path / "out"
    assert run_cli("build", site, "-o", out).code == 0
    assert calls["detector_available"] == 1
    _edit(site, "Second.")
    assert run_cli("build", site, "-o", out).code == 0
    assert calls["detector_available"] == 1
    upgraded = runtime / "upgraded.py"
    upgraded.write_text("VERSION = 2\n", encoding="utf-8")
    os.replace(upgraded, runtime / "samizdat_test_runtime.py")
    _edit(site, "Third.")
    assert run_cli("build", site, "-o", out).code == 0
    assert calls["detector_available"] == 2


def _clean_twin(dirty: bytes) -> bytes:
    """The same bytes with the EXIF block's marker made APP0, which carries no metadata: the same size."""
    assert dirty[2:4] == b"\xff\xe0" and dirty.find(b"\xff\xe1") > 0
    at = dirty.find(b"\xff\xe1")
    return dirty[:at + 1] + b"\xe0" + dirty[at + 2:]


def _read_back_twice(photo: Path, reader: str, tmp_path: Path,
                     monkeypatch: pytest.MonkeyPatch) -> tuple[ProductBook, Counter[str]]:
    """The photo read back in one build, then in a second: the calls of `reader` (a function of verify.py)
    made by the second."""
    book = ProductBook(ProductFolder(tmp_path / "products"))
    verify_published({photo.name: photo}, book)
    calls: Counter[str] = Counter()
    _spy(monkeypatch, calls, samizdat.images.verify, reader)
    book.start()
    verify_published({photo.name: photo}, book)
    return book, calls


def test_a_file_read_back_clean_is_read_again_once_written_with_its_old_size_and_time(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dirty = jpeg_with_gps()
    photo = tmp_path / "march.jpg"
    photo.write_bytes(_clean_twin(dirty))
    book, calls = _read_back_twice(photo, "metadata_blocks", tmp_path, monkeypatch)
    assert calls["metadata_blocks"] == 0  # the same bytes, read back clean before

    before = photo.stat()
    photo.write_bytes(dirty)
    os.utime(photo, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert photo.stat().st_size == before.st_size
    book.start()
    with pytest.raises(ImageError, match="still holds metadata"):
        verify_published({photo.name: photo}, book)


def test_the_detectors_answer_holds_however_samizdat_is_started(monkeypatch: pytest.MonkeyPatch) -> None:
    """`samizdat` and `python -m samizdat` may name one interpreter by two links (python3, python): the
    answer kept by one serves the other."""
    before = samizdat.images.runtime._fingerprint("available")
    monkeypatch.setattr(sys, "executable", sys.executable + "3")
    assert samizdat.images.runtime._fingerprint("available") == before


def test_a_file_pillow_read_back_is_read_again_by_another_pillow(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """AVIF is read back through Pillow, not this engine's walkers: what one version found is not taken from
    memory by another."""
    import PIL

    photo = tmp_path / "march.avif"
    Image.new("RGB", (64, 48), "teal").save(photo, "AVIF")
    book, calls = _read_back_twice(photo, "_pillow_blocks", tmp_path, monkeypatch)
    assert calls["_pillow_blocks"] == 0
    monkeypatch.setattr(PIL, "__version__", "0.0.1")
    book.start()
    verify_published({photo.name: photo}, book)
    assert calls["_pillow_blocks"] == 1
