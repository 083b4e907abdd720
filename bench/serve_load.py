"""Latency of `samizdat serve` under many clients at once: pages from memory, over real connections.

    python -m bench.serve_load [SITE] [--clients 50] [--requests 3000] [--seconds 60]
                               [--python-path FOLDER]

The server runs as its own process (`python -m samizdat serve`, on 127.0.0.1 only) so the clients do
not share its interpreter; --python-path runs another checkout's samizdat (an older commit exported with
`git archive`) for a before/after comparison. The clients are asyncio tasks in this process, each opening
a connection per request as a browser's page loads do, until the number of requests or the time is used
up. Latency is from the start of connecting to the last byte of the response.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PAGES = ("/", "/en/", "/kr/", "/en/news/", "/kr/news/", "/news/")
MAX_REQUESTS = 20_000  # bounds on any run, whatever is asked
MAX_SECONDS = 120


@dataclass(frozen=True)
class LoadResult:
    clients: int
    latencies: list[float]  # seconds, of the requests answered 200
    failures: int  # refused, reset, timed out or not 200
    wall: float

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")

    def summary(self) -> str:
        ms = {name: 1000 * self.percentile(share) for name, share in (("p50", 0.5), ("p95", 0.95), ("p99", 0.99))}
        worst = 1000 * max(self.latencies, default=float("nan"))
        over = sum(1 for latency in self.latencies if latency > 1.0)
        return (f"{self.clients} clients, {len(self.latencies):,} requests in {self.wall:.1f} s "
                f"({len(self.latencies) / self.wall:,.0f}/s): p50 {ms['p50']:.1f} ms, p95 {ms['p95']:.1f} ms, "
                f"p99 {ms['p99']:.1f} ms, max {worst:.0f} ms; over 1 s: {over}; failed: {self.failures}")


def measure(site: Path, clients: int = 50, requests: int = 3000, seconds: float = 60.0,
            python_path: Path | None = None, ready_timeout: float = 180.0) -> LoadResult:
    """Serve a copy of SITE on 127.0.0.1 and load it; the server process is always stopped after."""
    requests, seconds = min(requests, MAX_REQUESTS), min(seconds, MAX_SECONDS)
    temp = Path(tempfile.mkdtemp(prefix="samizdat-load-"))
    work = temp / "site"
    shutil.copytree(site, work, ignore=shutil.ignore_patterns("_site", ".samizdat-cache"))
    port = _free_port()
    # cwd is the temporary folder: `python -m` puts its cwd first on the path, before PYTHONPATH.
    env = {**os.environ, "PYTHONPATH": str(python_path.resolve())} if python_path else None
    server = subprocess.Popen([sys.executable, "-m", "samizdat", "serve", str(work), "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=temp)
    try:
        paths = _ready_pages(port, server, ready_timeout)
        # Its own thread: the caller may already run an event loop (Playwright's, in the tests).
        with ThreadPoolExecutor(1) as thread:
            return thread.submit(asyncio.run, _load(port, paths, clients, requests, seconds)).result()
    finally:
        server.terminate()
        server.wait(10)
        shutil.rmtree(temp, ignore_errors=True)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _ready_pages(port: int, server: subprocess.Popen[bytes], timeout: float = 180.0) -> list[str]:
    """Wait for the first build; the pages of PAGES the site has (each answered once, as a warm-up)."""
    deadline = time.monotonic() + timeout
    while not _answers(port):
        if time.monotonic() > deadline or server.poll() is not None:
            raise RuntimeError("the dev server did not answer")
        time.sleep(0.2)
    found = []
    for path in PAGES:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5).close()
            found.append(path)
        except OSError:
            continue
    return found


def _answers(port: int) -> bool:
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).close()
    except OSError:
        return False
    return True


async def _load(port: int, paths: list[str], clients: int, requests: int, seconds: float) -> LoadResult:
    latencies: list[float] = []
    failures = [0]
    issued = iter(range(requests))
    deadline = time.monotonic() + seconds

    async def client(number: int) -> None:
        for index in issued:
            if time.monotonic() > deadline:
                return
            path = paths[(index + number) % len(paths)]
            latency = await _request(port, path)
            if latency is None:
                failures[0] += 1
            else:
                latencies.append(latency)

    started = time.monotonic()
    await asyncio.gather(*(client(number) for number in range(clients)))
    return LoadResult(clients, latencies, failures[0], time.monotonic() - started)


async def _request(port: int, path: str, timeout: float = 30.0) -> float | None:
    """Seconds until the whole response has arrived, or None when it failed or was not 200."""
    started = time.perf_counter()
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), timeout)
        writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode())
        response = await asyncio.wait_for(reader.read(), timeout)
        writer.close()
    except (OSError, TimeoutError):
        return None
    return time.perf_counter() - started if response.startswith((b"HTTP/1.0 200", b"HTTP/1.1 200")) else None


def main() -> None:
    parser = argparse.ArgumentParser(description="dev-server latency under concurrent clients (127.0.0.1)")
    parser.add_argument("site", nargs="?", type=Path, default=REPO / "site")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=3000, help=f"in all (at most {MAX_REQUESTS:,})")
    parser.add_argument("--seconds", type=float, default=60.0, help=f"at most (bounded by {MAX_SECONDS})")
    parser.add_argument("--python-path", type=Path, help="another samizdat checkout to serve with")
    args = parser.parse_args()
    result = measure(args.site, args.clients, args.requests, args.seconds, args.python_path)
    print(result.summary())
    if result.latencies:
        print(f"mean {statistics.fmean(result.latencies) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
