"""samizdat's search beside Pagefind on the same built output, in Chromium.

    python -m bench.search WORK_DIR [--sizes 3000,10000] [--runs 3] [--skip-bundled] [--json FILE]

For the bundled site and a generated site of each size (bench/generate.py, plus the probe pages of
bench/search_queries.py): cold `samizdat build`s with the index and with the theme's search turned off,
alternating (medians of --runs each; their difference is all the index costs, its words being analysed
in the render workers; the search stage is also timed apart), Pagefind run on the output, then every
query typed into each engine in Chromium from a static server: recall by language and category (the
expected page among the first 20 results), median query time, the bytes the first Korean query loads
in a fresh browser, and each index's size on disk. Also the Korean analyser
comparison: character pairs against kiwipiepy's morphemes on the same queries (docs/search.md).
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from bench.generate import generate
from bench.search_queries import FOLDERS, Query, bundled_queries, generated_queries, probe_files

REPO = Path(__file__).resolve().parent.parent
SHOWN = 20  # results a reader sees first; a query is answered when its page is among them
PAGEFIND_HARNESS = """<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>pf</title></head>
<body><script type="module">
import * as pagefind from "/pagefind/pagefind.js";
await pagefind.init();
window.pf = pagefind;
</script></body></html>
"""
PAGEFIND_QUERY = """async ([q, shown]) => {
  while (!window.pf) { await new Promise(r => setTimeout(r, 10)); }
  const t0 = performance.now();
  const found = await window.pf.search(q);
  const data = await Promise.all(found.results.slice(0, shown).map(r => r.data()));
  return {ms: performance.now() - t0, urls: data.map(d => d.url)};
}"""
# `samizdat build` with the theme's search turned off: the baseline that the index's cost is measured against.
WITHOUT_SEARCH = """import sys
from samizdat.outputs import render
from samizdat.cli import main
_init = render.Renderer.__init__
def _no_search(self, *args, **kwargs):
    _init(self, *args, **kwargs)
    self.has_search = False
render.Renderer.__init__ = _no_search
sys.exit(main(sys.argv[1:]))
"""
SAMIZDAT_QUERY = """async (q) => {
  const box = document.getElementById('search'), input = box.querySelector('#search-query');
  const status = box.querySelector('.search-status'), list = box.querySelector('.search-results');
  status.textContent = '';
  const done = () => status.textContent && (list.children.length > 0 || status.textContent === box.dataset.none);
  const t0 = performance.now();
  input.value = q;
  input.form.requestSubmit();
  await new Promise(resolve => {
    const watch = new MutationObserver(() => { if (done()) { watch.disconnect(); resolve(); } });
    watch.observe(box, {childList: true, subtree: true, characterData: true});
  });
  return {ms: performance.now() - t0, urls: [...list.querySelectorAll('h2 a')].map(a => a.href)};
}"""


def cold_build(site: Path, out: Path, search: bool = True) -> dict[str, float]:
    """A cold build: no output and no build store left from a run before (bench/run.py does the same).
    search=False: the same build with the theme's search turned off (no analysis, no index), so that the
    difference is everything the index costs, wherever it runs (its words are analysed in the render workers)."""
    from bench.run import _output_files, _remove, _store_files

    _remove(site / ".samizdat-cache", *_output_files(out), *_store_files(site))
    command = ["-m", "samizdat"] if search else ["-c", WITHOUT_SEARCH]
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run([sys.executable, *command, "build", str(site), "-o", str(out), "--timings"],
                          capture_output=True, text=True, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the build and its render workers, on every core
    cpu = after.ru_utime + after.ru_stime - used.ru_utime - used.ru_stime
    stages = {name: float(ms) for name, ms in re.findall(r"(\w+) (\d+) ms", done.stdout)}
    total = float(re.search(r"in ([\d.]+) s", done.stdout)[1])  # type: ignore[index]
    return {"build_s": total, "cpu_s": cpu, "search_stage_s": stages.get("search", 0) / 1000,
            "render_s": stages["render"] / 1000}


def build(site: Path, out: Path, runs: int) -> dict[str, Any]:
    """Cold builds with and without the index, medians of `runs` each; the last one, with the index, kept.
    The pairs alternate their order (without-with, with-without, …, ending with the index), so a machine
    that slows down or speeds up over the run weighs on both sides alike."""
    with_index, without = [], []
    for pair in range(runs):
        index_last = (runs - 1 - pair) % 2 == 0
        for search in ((False, True) if index_last else (True, False)):
            (with_index if search else without).append(cold_build(site, out, search=search))

    def median(samples: list[dict[str, float]], key: str) -> float:
        return statistics.median(sample[key] for sample in samples)

    cold, bare = median(with_index, "build_s"), median(without, "build_s")
    cpu, bare_cpu = median(with_index, "cpu_s"), median(without, "cpu_s")
    return {"runs": runs, "cold_build_s": cold, "cold_build_without_search_s": bare,
            "cold_build_cpu_s": cpu, "cold_build_without_search_cpu_s": bare_cpu,
            "index_cpu_share": (cpu - bare_cpu) / cpu,
            "search_stage_s": median(with_index, "search_stage_s"), "render_s": median(with_index, "render_s"),
            "render_without_search_s": median(without, "render_s"),
            "search_stage_share": median(with_index, "search_stage_s") / cold,
            "index_share": (cold - bare) / cold, "samples": {"with": with_index, "without": without}}


def run_pagefind(out: Path) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pagefind", "--site", str(out), "--output-subdir", "pagefind",
                    "--root-selector", "main", "--quiet"], check=True)
    elapsed = time.perf_counter() - started
    for lang in FOLDERS:
        (out / f"pf-{lang}.html").write_text(PAGEFIND_HARNESS.format(lang=lang), encoding="utf-8")
    return elapsed


def folder_size(folder: Path) -> dict[str, int]:
    files = [p for p in folder.rglob("*") if p.is_file() and not p.name.endswith((".gz", ".br"))]
    return {"files": len(files), "bytes": sum(p.stat().st_size for p in files),
            "gzip_bytes": sum(len(gzip.compress(p.read_bytes(), 6)) for p in files)}


def _path(url: str) -> str:
    path = unquote(urlsplit(url).path).lstrip("/")
    return path.removesuffix("index.html")


def run_queries(browser: Any, base: str, queries: list[Query], engine: str) -> list[dict[str, Any]]:
    results, pages = [], {}
    for query in queries:
        if query.lang not in pages:
            page = browser.new_page()
            samizdat_page = f"{base}/{FOLDERS[query.lang]}search/"
            page.goto(samizdat_page if engine == "samizdat" else f"{base}/pf-{query.lang}.html")
            pages[query.lang] = page
        page = pages[query.lang]
        if engine == "samizdat":
            answer = page.evaluate(SAMIZDAT_QUERY, query.text)
        else:
            answer = page.evaluate(PAGEFIND_QUERY, [query.text, SHOWN])
        paths = [_path(url) for url in answer["urls"]][:SHOWN]
        results.append({"lang": query.lang, "query": query.text, "category": query.category,
                        "found": query.expected in paths, "ms": answer["ms"]})
    for page in pages.values():
        page.close()
    return results


def first_korean_query(browser: Any, base: str, out: Path, query: str, engine: str) -> dict[str, int]:
    """Every index file a fresh browser loads for the search page and its first Korean query."""
    context = browser.new_context()
    page = context.new_page()
    loaded: list[str] = []
    marker = "/_search/" if engine == "samizdat" else "/pagefind/"
    page.on("requestfinished", lambda request: marker in request.url and loaded.append(_path(request.url)))
    if engine == "samizdat":
        page.goto(f"{base}/kr/search/")
        page.evaluate(SAMIZDAT_QUERY, query)
    else:
        page.goto(f"{base}/pf-ko.html")
        page.evaluate(PAGEFIND_QUERY, [query, SHOWN])
    context.close()
    files = [out / path for path in loaded]
    return {"requests": len(files), "bytes": sum(f.stat().st_size for f in files),
            "gzip_bytes": sum(len(gzip.compress(f.read_bytes(), 6)) for f in files)}


def recall(results: list[dict[str, Any]], key: str) -> dict[str, str]:
    groups: dict[str, list[bool]] = {}
    for result in results:
        groups.setdefault(result[key], []).append(result["found"])
    return {name: f"{sum(found)}/{len(found)}" for name, found in sorted(groups.items())}


def measure_site(browser: Any, name: str, site: Path, out: Path, queries: list[Query], runs: int) -> dict[str, Any]:
    from tests.browser import static_server

    report: dict[str, Any] = {"site": name, "load_average": os.getloadavg(), **build(site, out, runs)}
    report["pagefind_index_s"] = run_pagefind(out)
    report["index_size"] = {"samizdat": folder_size(out / "_search"), "pagefind": folder_size(out / "pagefind")}
    with static_server(out) as base:
        korean = next(q.text for q in queries if q.lang == "ko")
        for engine in ("samizdat", "pagefind"):
            report[f"{engine}_first_korean_query"] = first_korean_query(browser, base, out, korean, engine)
            results = run_queries(browser, base, queries, engine)
            report[engine] = {"recall_by_language": recall(results, "lang"),
                              "recall_by_category": recall(results, "category"),
                              "recall": sum(r["found"] for r in results) / len(results),
                              "median_ms": statistics.median(r["ms"] for r in results),
                              "max_ms": max(r["ms"] for r in results),
                              "missed": [f"{r['lang']}:{r['query']}" for r in results if not r["found"]]}
    return report


def generated_site(work: Path, files: int) -> Path:
    root = work / f"gen-{files}"
    if not root.exists():
        generate(root, files // 3 + (1 if files % 3 else 0))
    for rel, text in probe_files().items():  # written again each run: the probes may have changed
        path = root / "samizdat" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root / "samizdat"


def korean_analysers(work: Path) -> dict[str, Any]:
    """Character pairs against kiwipiepy on the Korean queries: is every query term among the page's terms?"""
    from bench.search_queries import PROBES
    from samizdat.search import korean
    from samizdat.search.normalise import words

    try:
        from kiwipiepy import Kiwi
    except ImportError:
        return {"kiwipiepy": "not installed (pip install kiwipiepy)"}
    started = time.perf_counter()
    kiwi = Kiwi()
    kiwi.tokenize("모델을 읽어 둡니다")  # the first call loads the model: timed as loading, not analysing
    load_s = time.perf_counter() - started
    texts = {f"kr/probes/{slug}/": f"{title} {text}" for (lang, slug), (title, text) in PROBES.items() if lang == "ko"}
    for path in ("index.md", "meetings/2022-02-27-bosingak.md"):
        texts["kr/" + path.replace("index.md", "").replace(".md", "/")] = (REPO / "site/content/ko" / path).read_text()
    queries = [q for q in generated_queries() + bundled_queries() if q.lang == "ko"]

    def morphemes(text: str) -> set[str]:
        return {token.form for token in kiwi.tokenize(text) if token.tag[0] in "NSV" or token.tag == "SL"}

    def pairs(text: str) -> set[str]:
        return {t for w in words(text) for t in (korean.index_terms(w.text) if w.script == "hangul" else [w.text])}

    started = time.perf_counter()
    kiwi_docs = {path: morphemes(text) for path, text in texts.items()}
    kiwi_s = time.perf_counter() - started
    started = time.perf_counter()
    pair_docs = {path: pairs(text) for path, text in texts.items()}
    pair_s = time.perf_counter() - started
    kiwi_found = [morphemes(q.text.lower()) <= {m.lower() for m in kiwi_docs.get(q.expected, set())} for q in queries]
    pair_found = [{t for w in words(q.text) for t in (korean.query_terms(w.text) if w.script == "hangul" else [w.text])}
                  <= pair_docs.get(q.expected, set()) for q in queries]
    chars = sum(len(t) for t in texts.values())
    return {"queries": len(queries), "kiwi_found": sum(kiwi_found), "pairs_found": sum(pair_found),
            "kiwi_missed": [q.text for q, ok in zip(queries, kiwi_found, strict=True) if not ok],
            "pairs_missed": [q.text for q, ok in zip(queries, pair_found, strict=True) if not ok],
            "kiwi_model_load_s": load_s, "kiwi_us_per_char": kiwi_s / chars * 1e6,
            "pairs_us_per_char": pair_s / chars * 1e6}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("work", type=Path, help="a folder for the generated sites and builds")
    parser.add_argument("--sizes", default="3000,10000", help="generated site sizes in files (default 3000,10000)")
    parser.add_argument("--json", type=Path, help="also write the report here")
    parser.add_argument("--runs", type=int, default=3, help="cold builds with and without the index (medians)")
    parser.add_argument("--skip-bundled", action="store_true", help="only the generated sites")
    args = parser.parse_args()
    if importlib.util.find_spec("pagefind") is None:  # the peer every figure is set beside
        raise SystemExit("bench.search measures Pagefind beside samizdat: pip install 'pagefind[bin]' first")
    from playwright.sync_api import sync_playwright

    from tests.browser import CHROMIUM, CHROMIUM_ARGS
    from tests.conftest import copy_site

    args.work.mkdir(parents=True, exist_ok=True)
    reports = [korean_analysers(args.work)]
    print(json.dumps(reports[0], ensure_ascii=False, indent=1), flush=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        bundled = args.work / "bundled"
        if not bundled.exists():
            copy_site(REPO / "site", bundled)
        sites = [] if args.skip_bundled else [("bundled", bundled, bundled_queries())]
        sites += [(f"generated-{n}", generated_site(args.work, int(n)), generated_queries())
                  for n in args.sizes.split(",") if n]
        for name, site, queries in sites:
            report = measure_site(browser, name, site, args.work / f"out-{name}", queries, args.runs)
            report["load_average_after"] = os.getloadavg()
            reports.append(report)
            print(json.dumps(report, ensure_ascii=False, indent=1), flush=True)
        browser.close()
    if args.json:
        args.json.write_text(json.dumps(reports, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
