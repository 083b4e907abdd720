"""Playwright driving Debian's /usr/bin/chromium (no browser download), and a static file server."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path


def _chromium() -> Path:
    """Debian's /usr/bin/chromium, or Chromium found on PATH under its Debian or Ubuntu name."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    return Path("/usr/bin/chromium") if Path("/usr/bin/chromium").exists() or not found else Path(found)


CHROMIUM = _chromium()
INSTALL_CHROMIUM = "scripts/test (it installs it), or: sudo apt-get install chromium fonts-nanum"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-features=Translate,OptimizationHints",
]


@contextmanager
def static_server(folder: Path) -> Iterator[str]:
    """Serve a built site as any static host would; yields its base URL."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class PageWatch:
    """What a page did: every request it made, and every console error or uncaught exception."""

    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def attach(self, page) -> None:  # type: ignore[no-untyped-def]
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def outside(self, base: str) -> list[str]:
        return [url for url in self.requests if not url.startswith(base + "/")]
