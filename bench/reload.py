"""Save-to-reload time of `samizdat serve`: edit a page's text, wait until the open tab shows it.

    python -m bench.reload [SITE] [--page /en/] [--file content/en/index.md] [--runs 5]
                           [--find TEXT] [--selector CSS]

By default a word is put at the start of the page's first heading (`# `) and the tab's first h1 is
watched; with --find, the word goes before TEXT and --selector names the element to watch.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

from samizdat.serve.server import background_server

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]


HEADING = "\n# "


def measure(site: Path, page_path: str, file: str, runs: int, find: str = HEADING, selector: str = "h1",
            timeout: float = 10.0) -> list[float]:
    """Seconds from each save to the browser showing it; timeout: the longest wait for one reload."""
    temp = Path(tempfile.mkdtemp())
    work = temp / "site"
    shutil.copytree(site, work, ignore=shutil.ignore_patterns("_site", ".samizdat-cache"))
    source = work / file
    original = source.read_text(encoding="utf-8")
    if find not in original:
        raise ValueError(f"{find!r} is not in {source}")
    times = []
    try:
        with background_server(work) as (base, _), sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(f"{base}{page_path}")
            for run in range(runs):
                marker = f"Edited {run}"
                edited = f"{find}{marker} " if find == HEADING else f"{marker} {find}"
                started = time.perf_counter()
                source.write_text(original.replace(find, edited, 1), encoding="utf-8")
                expect(page.locator(selector).first).to_contain_text(marker, timeout=timeout * 1000)
                times.append(time.perf_counter() - started)
                time.sleep(0.3)
            browser.close()
    finally:
        shutil.rmtree(temp, ignore_errors=True)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("site", nargs="?", type=Path, default=Path("site"))
    parser.add_argument("--page", default="/en/")
    parser.add_argument("--file", default="content/en/index.md")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--find", default=HEADING, help="text to put the edit before (default: the first # heading)")
    parser.add_argument("--selector", default="h1", help="element that shows the edit (default: h1)")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for one reload")
    args = parser.parse_args()
    times = measure(args.site, args.page, args.file, args.runs, args.find, args.selector, args.timeout)
    print("save-to-reload: " + ", ".join(f"{t * 1000:.0f}" for t in times)
          + f" ms; median {statistics.median(times) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
