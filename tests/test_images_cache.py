"""A second build does no image work; a changed image redoes only its own variants; stale ones are pruned."""

from __future__ import annotations

import re
from pathlib import Path

from PIL import Image

from samizdat.build.writer import MARKER
from tests.conftest import tree_digest

PAGE = "".join(f"![photo {n}](../assets/p{n}.jpg)\n\n" for n in range(4))


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
    entries = [p for p in (site / ".samizdat-cache/images").iterdir() if p.is_dir()]
    assert len(entries) == 4  # the old p2 entry was pruned
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
