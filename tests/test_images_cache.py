"""A second build does no image work; a changed image redoes only its own variants; stale ones are pruned."""

from __future__ import annotations

import json
import os
import re
import sqlite3
from pathlib import Path

from PIL import Image

from samizdat.build.cache.store import store_path
from samizdat.build.writer import MARKER
from samizdat.products import folder_for
from tests.conftest import tree_digest

PAGE = "".join(f"![photo {n}](../assets/p{n}.jpg)\n\n" for n in range(4))


def image_results(site: Path, kind: str = "image:") -> dict[str, list[str]]:
    """The photo results (or those of another kind: "" for all) in the site's build store: key → digests of
    the files it publishes."""
    db = sqlite3.connect(store_path(site))
    rows = db.execute("SELECT key, files FROM products WHERE key LIKE ?", (f"{kind}%",)).fetchall()
    db.close()
    return {key: json.loads(files) for key, files in rows}


def product_files(site: Path) -> dict[str, Path]:
    """The files beside the store, by name (the sha256 of their bytes)."""
    folder = folder_for(site)
    assert folder.parent == store_path(site).parent and not folder.resolve().is_relative_to(site.resolve())
    files = {path.name: path for path in folder.iterdir() if path.is_file()}
    assert files
    return files


def photo(colour: str) -> Image.Image:
    return Image.new("RGB", (700, 500), colour)


def counts(output: str) -> tuple[int, int]:
    match = re.search(r"images: (\d+) processed, (\d+) from cache", output)
    assert match, output
    return int(match[1]), int(match[2])


def test_second_build_processes_nothing_and_a_change_redoes_one(make_site, run_cli, tmp_path: Path) -> None:
    site = make_site({"content/en/index.md": PAGE})
    (site / "assets").mkdir()
    for n, colour in enumerate(("red", "green", "blue", "gray")):
        photo(colour).save(site / f"assets/p{n}.jpg")
    out = tmp_path / "out"

    first = run_cli("build", site, "-o", out)
    assert first.code == 0, first.err
    assert counts(first.out) == (4, 0)
    before = tree_digest(out)

    second = run_cli("build", site, "-o", out)
    assert counts(second.out) == (0, 4)
    assert tree_digest(out) == before

    photo("purple").save(site / "assets/p2.jpg")
    third = run_cli("build", site, "-o", out)
    assert counts(third.out) == (1, 3)
    assert len(image_results(site)) == 4  # the old p2 result was pruned, and its files with it
    # Beside them, the results' files: the photos' and the theme's icon's (svg: results)
    assert set(product_files(site)) == {digest for files in image_results(site, "").values() for digest in files}
    assert image_results(site, "svg:")
    assert not (site / ".samizdat-cache/images").exists()  # nothing of the images is kept in the site
    assert counts(run_cli("build", site, "-o", out).out) == (0, 4)
    changed = {rel for rel, digest in tree_digest(out).items() if before.get(rel) != digest and rel != MARKER}
    assert changed and all("p2" in rel or rel.endswith(".html") for rel in changed), changed


def test_changing_the_widths_redoes_every_image(make_site, run_cli, tmp_path: Path) -> None:
    site = make_site({"content/en/index.md": PAGE})
    (site / "assets").mkdir()
    for n, colour in enumerate(("white", "black", "orange", "navy")):
        photo(colour).save(site / f"assets/p{n}.jpg")
    assert counts(run_cli("build", site, "-o", tmp_path / "out").out) == (4, 0)
    config = site / "samizdat.toml"
    config.write_text(config.read_text(encoding="utf-8") + "\n[images]\nwidths = [200, 400]\n", encoding="utf-8")
    result = run_cli("build", site, "-o", tmp_path / "out")
    assert counts(result.out) == (4, 0)
    assert set(re.findall(r" (\d+)w", (tmp_path / "out/en/index.html").read_text("utf-8"))) == {"200", "400"}


def test_equal_files_are_processed_once(make_site, run_cli, tmp_path: Path) -> None:
    site = make_site({"content/en/index.md": PAGE})
    (site / "assets").mkdir()
    for n in range(4):
        photo("white").save(site / f"assets/p{n}.jpg")
    result = run_cli("build", site, "-o", tmp_path / "out")
    assert result.code == 0, result.err
    assert counts(result.out) == (1, 0)
    assert all((tmp_path / f"out/assets/p{n}.jpg").is_file() for n in range(4))


def _touch_page(site: Path) -> None:
    page = site / "content/en/index.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")


def _variants(out: Path) -> dict[str, bytes]:
    files = {p.relative_to(out).as_posix(): p.read_bytes() for p in (out / "_images").rglob("*") if p.is_file()}
    assert files
    return files


def _built_photo_site(make_site, run_cli, tmp_path: Path) -> tuple[Path, Path]:  # type: ignore[no-untyped-def]
    """A page showing four photos, built once: (site, output)."""
    site = make_site({"content/en/index.md": PAGE})
    (site / "assets").mkdir()
    for n, colour in enumerate(("red", "green", "blue", "gray")):
        photo(colour).save(site / f"assets/p{n}.jpg", quality=90)
    out = tmp_path / "out"
    assert run_cli("build", site, "-o", out).code == 0
    return site, out


def test_a_variant_replaced_in_the_cache_is_made_again(make_site, run_cli, tmp_path: Path) -> None:
    """A planted file under a variant's name (an unmasked photo, say) never reaches the output."""
    site, out = _built_photo_site(make_site, run_cli, tmp_path)
    published = _variants(out)
    files = product_files(site)
    planted = next(files[digest] for digest in sorted(next(iter(image_results(site).values())))
                   if files[digest].read_bytes()[8:12] == b"WEBP")
    with Image.open(planted) as image:
        size = image.size
    Image.new("RGB", size, "yellow").save(planted, "WEBP")  # same name, other pixels
    _touch_page(site)  # the cache is not an input: without a changed page the build has nothing to do
    second = run_cli("build", site, "-o", out)
    assert second.code == 0, second.err
    assert counts(second.out) == (1, 3)
    assert _variants(out) == published


def test_a_variant_whose_stat_data_is_put_back_is_still_checked(make_site, run_cli, tmp_path: Path) -> None:
    """Same size, same modification time, other bytes: the change time and the hash give it away."""
    site, out = _built_photo_site(make_site, run_cli, tmp_path)
    published = _variants(out)
    files = product_files(site)
    target = files[sorted(next(iter(image_results(site).values())))[0]]
    before, data = target.stat(), bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0x01
    target.write_bytes(bytes(data))
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))
    _touch_page(site)
    second = run_cli("build", site, "-o", out)
    assert second.code == 0, second.err
    assert counts(second.out) == (1, 3)
    assert _variants(out) == published


def test_an_image_edited_with_its_old_size_and_time_is_processed_again(make_site, run_cli, tmp_path: Path) -> None:
    site, out = _built_photo_site(make_site, run_cli, tmp_path)
    target = site / "assets/p1.jpg"
    stat, size = target.stat(), target.stat().st_size
    data = bytearray(target.read_bytes())
    data[size // 2] ^= 0x01  # one bit of the picture data: same size
    target.write_bytes(bytes(data))
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    second = run_cli("build", site, "-o", out)
    assert second.code == 0, second.err
    assert counts(second.out) == (1, 3)


def test_the_dev_server_starts_from_the_photos_a_build_made(make_site, run_cli, tmp_path: Path) -> None:
    """`serve` keeps its results in memory, but reads the ones `samizdat build` saved: no photo is
    processed again at its start, and what it serves is what the build published."""
    from samizdat.serve.state import DevState

    site, out = _built_photo_site(make_site, run_cli, tmp_path)
    store = store_path(site)
    before = store.read_bytes()
    state = DevState(site)
    report = state.rebuild()
    assert report.startswith("built"), report
    assert state.output is not None and state.output.images is not None
    assert (state.output.images.processed, state.output.images.cached) == (0, 4)
    served = {rel: path.read_bytes() for rel, path in state.output.copies.items() if rel.startswith("_images/")}
    assert served == _variants(out)
    assert store.read_bytes() == before  # read, never written


def test_photos_are_published_when_the_users_cache_folder_cannot_be_written(make_site, run_cli, tmp_path: Path,
                                                                             monkeypatch) -> None:
    """No store and no folder beside it: the photos are made in a folder of the process's own."""
    site = make_site({"content/en/index.md": PAGE})
    (site / "assets").mkdir()
    for n, colour in enumerate(("red", "green", "blue", "gray")):
        photo(colour).save(site / f"assets/p{n}.jpg")
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would be\n", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker / "cache"))
    result = run_cli("build", site, "-o", tmp_path / "out")
    assert result.code == 0, result.err
    assert "no build cache" in result.err
    assert counts(result.out) == (4, 0)
    for rel in _variants(tmp_path / "out"):
        with Image.open(tmp_path / "out" / rel) as image:
            assert image.size[0] > 0
