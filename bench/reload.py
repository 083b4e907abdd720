"""Save-to-reload of `samizdat serve`, and of `hugo server` beside it: save a paragraph, wait until the open
tab shows it.

    python -m bench.reload --pages 1000 [--runs 5]      # a synthetic site (×3 files), both engines
    python -m bench.reload SITE [--page /en/] [--file content/en/index.md] [--find TEXT] [--selector CSS]

Both servers run as their own processes, started the way a writer starts them (`samizdat serve SITE`,
`hugo server --source SITE`), and are measured the same way: Chromium (through Playwright) opens the
page, a sentence is written after a paragraph's text in the page's source, and the clock stops when the
tab's <main> shows the sentence, the engines' live reload having brought the new page. Edits alternate
between the engines, so both see the same load on the machine.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, sync_playwright

from bench.engines import find_engines
from bench.generate import PROFILES, generate

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
HEADING = "\n# "
START_TIMEOUT = 600.0  # seconds for a server's first build (10,000 files under load take a while)
SETTLE = 1.0  # seconds between edits: the watchers' batches of the last save are over


@dataclass(frozen=True)
class Target:
    """One engine's server and the edit it is measured on."""

    name: str
    site: Path
    command: list[str]  # {port} is filled in
    source: Path  # the file edited
    url_path: str  # the page watched
    find: str  # the sentence is written after this text (before the heading's text for HEADING)
    selector: str = "main"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def server(target: Target) -> Iterator[str]:
    """The engine's server as its own process, once it answers; yields its base URL."""
    port = free_port()
    command = [part.format(port=port) for part in target.command]
    log = _log_path(target).open("wb")
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=log, env=os.environ | {"NO_COLOR": "1"})
    log.close()
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"{target.name}: the server stopped ({' '.join(command)})")
            try:
                with urllib.request.urlopen(f"{base}{target.url_path}", timeout=5) as response:
                    if response.status == 200 and b"<main" in response.read():
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{target.name}: no answer after {START_TIMEOUT:.0f} s")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _log_path(target: Target) -> Path:
    """The server's messages, beside the site it serves: samizdat says how long each rebuild took."""
    return target.site.parent / f".{target.name.replace(' ', '-')}.log"


def rebuild_times(target: Target) -> list[float]:
    """Seconds of each rebuild after the first build, as `samizdat serve` reports them."""
    text = _log_path(target).read_text(encoding="utf-8", errors="replace")
    return [int(ms) / 1000 for ms in re.findall(r"^rebuilt \d+ pages in (\d+) ms", text, re.M)]


def edit_once(page: Page, target: Target, original: str, run: int, timeout: float) -> float:
    """Seconds from the save to the tab showing it."""
    marker = f"Edited {run:03d}"
    edited = f"{target.find}{marker} " if target.find == HEADING else f"{target.find} {marker}."
    started = time.perf_counter()
    target.source.write_text(original.replace(target.find, edited, 1), encoding="utf-8")
    _wait_for_text(page, target.selector, marker, started + timeout)
    return time.perf_counter() - started


SHOWS = ("([selector, text]) => { const e = document.querySelector(selector); "
         "return !!e && e.textContent.includes(text); }")


def _wait_for_text(page: Page, selector: str, text: str, deadline: float) -> None:
    """Checked in the page every 10 ms (Playwright's expect() looks after 100, 250, 500 and 1000 ms, which
    would round every figure up); the live reload replaces the document, and the check starts again in
    the new one."""
    while True:
        left = deadline - time.perf_counter()
        if left <= 0:
            raise TimeoutError(f"{text!r} did not appear in {selector}")
        try:
            page.wait_for_function(SHOWS, arg=[selector, text], polling=10, timeout=left * 1000)
            return
        except PlaywrightError as exc:
            if "destroyed" not in str(exc) and "navigat" not in str(exc):
                raise


def measure_all(targets: list[Target], runs: int, timeout: float = 60.0) -> dict[str, list[float]]:
    """Every target's server started at once, each with its own tab; the edits alternate between them."""
    times: dict[str, list[float]] = {target.name: [] for target in targets}
    originals = {}
    for target in targets:
        originals[target.name] = target.source.read_text(encoding="utf-8")
        if target.find not in originals[target.name]:
            raise ValueError(f"{target.find!r} is not in {target.source}")
    with sync_playwright() as playwright, _servers(targets) as bases:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        tabs = {}
        for target, base in zip(targets, bases, strict=True):
            tabs[target.name] = browser.new_page()
            tabs[target.name].goto(f"{base}{target.url_path}")
        time.sleep(SETTLE)
        for run in range(runs):
            for target in targets:
                times[target.name].append(edit_once(tabs[target.name], target, originals[target.name], run, timeout))
                time.sleep(SETTLE)
        browser.close()
    for target in targets:
        if target.name.startswith("samizdat"):
            times[f"{target.name}, its rebuild alone"] = rebuild_times(target)
    return times


@contextmanager
def _servers(targets: list[Target]) -> Iterator[list[str]]:
    if not targets:
        yield []
        return
    with server(targets[0]) as base, _servers(targets[1:]) as rest:
        yield [base, *rest]


def samizdat_target(site: Path, url_path: str, file: str, find: str = HEADING, selector: str = "h1") -> Target:
    command = [*find_engines().samizdat, "serve", str(site), "--port", "{port}"]
    return Target("samizdat serve", site, command, site / file, url_path, find, selector)


def hugo_target(site: Path, url_path: str, file: str, find: str) -> Target:
    command = [str(find_engines().hugo), "server", "--source", str(site), "--port", "{port}", "--bind", "127.0.0.1",
               "--baseURL", "http://127.0.0.1:{port}/", "--appendPort=false", "--quiet"]
    return Target("hugo server", site, command, site / file, url_path, find)


def measure(site: Path, page_path: str, file: str, runs: int, find: str = HEADING, selector: str = "h1",
            timeout: float = 10.0) -> list[float]:
    """samizdat alone on a site of one's own (a copy of it): seconds from each save to the tab showing it."""
    temp = Path(tempfile.mkdtemp())
    try:
        work = temp / "site"
        shutil.copytree(site, work, ignore=shutil.ignore_patterns("_site", ".samizdat-cache"))
        target = samizdat_target(work, page_path, file, find, selector)
        return measure_all([target], runs, timeout)[target.name]
    finally:
        shutil.rmtree(temp, ignore_errors=True)


def measure_synthetic(root: Path, pages: int, runs: int, timeout: float = 120.0,
                      profile: str = "bench") -> dict[str, list[float]]:
    """Both engines on the bench's synthetic site (`pages` per language, of a content profile: bench/generate.py),
    the same paragraph of the same post."""
    manifest = generate(root, pages, profile)
    version = manifest.edit_target
    url_path = "/" + version.output.removesuffix("index.html")
    targets = [samizdat_target(root / "samizdat", url_path, version.samizdat_source, version.signature, "main"),
               hugo_target(root / "hugo", url_path, version.hugo_source, version.signature)]
    return measure_all(targets, runs, timeout)


def summary(times: list[float]) -> str:
    return (f"median {statistics.median(times) * 1000:.0f} ms (runs: "
            + ", ".join(f"{t * 1000:.0f}" for t in times) + " ms)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("site", nargs="?", type=Path, help="a site of one's own: samizdat alone")
    parser.add_argument("--pages", type=int, default=1000, help="pages per language of the synthetic site")
    parser.add_argument("--page", default="/en/")
    parser.add_argument("--file", default="content/en/index.md")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--find", default=HEADING, help="text to put the edit before (default: the first # heading)")
    parser.add_argument("--selector", default="h1", help="element that shows the edit (default: h1)")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for one reload")
    parser.add_argument("--profile", choices=sorted(PROFILES), default="bench",
                        help="the synthetic site's content profile (bench/generate.py)")
    args = parser.parse_args()
    load = os.getloadavg()
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    if args.site is not None:
        results = {str(args.site): measure(args.site, args.page, args.file, args.runs, args.find, args.selector,
                                           args.timeout)}
    else:
        root = Path(tempfile.mkdtemp(prefix="samizdat-reload-"))
        try:
            results = measure_synthetic(root, args.pages, args.runs, args.timeout, args.profile)
        finally:
            shutil.rmtree(root, ignore_errors=True)
    print(f"{started}, load average {load[0]:.1f} at the start, {os.getloadavg()[0]:.1f} at the end"
          f"{'' if args.site else f'; {args.pages * 3:,} files, {args.profile} profile'}", file=sys.stderr)
    for name, times in results.items():
        print(f"{name}: {summary(times)}")


if __name__ == "__main__":
    main()
