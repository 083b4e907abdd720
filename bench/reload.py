"""Save-to-reload time of `samizdat serve`: edit a page's heading, wait until the open tab shows it.

    python -m bench.reload [SITE] [--page /en/] [--file content/en/index.md] [--runs 5]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import threading
import time
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

from samizdat.serve.server import make_server
from samizdat.serve.state import DevState
from samizdat.serve.watcher import watch

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]


def measure(site: Path, page_path: str, file: str, runs: int) -> list[float]:
    work = Path(tempfile.mkdtemp()) / "site"
    shutil.copytree(site, work, ignore=shutil.ignore_patterns("_site", ".samizdat-cache"))
    state = DevState(work)
    state.rebuild()
    server = make_server(state, "127.0.0.1", 0)
    stop = threading.Event()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    threading.Thread(target=watch, args=(state, stop), daemon=True).start()
    time.sleep(0.5)
    source = work / file
    original = source.read_text(encoding="utf-8")
    times = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(f"http://127.0.0.1:{server.server_port}{page_path}")
        for run in range(runs):
            marker = f"Edited heading {run}"
            started = time.perf_counter()
            source.write_text(original.replace("\n# ", f"\n# {marker} ", 1), encoding="utf-8")
            expect(page.locator("h1").first).to_contain_text(marker, timeout=10_000)
            times.append(time.perf_counter() - started)
            time.sleep(0.3)
        browser.close()
    stop.set()
    server.shutdown()
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("site", nargs="?", type=Path, default=Path("site"))
    parser.add_argument("--page", default="/en/")
    parser.add_argument("--file", default="content/en/index.md")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    times = measure(args.site, args.page, args.file, args.runs)
    print("save-to-reload: " + ", ".join(f"{t * 1000:.0f}" for t in times)
          + f" ms; median {statistics.median(times) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
