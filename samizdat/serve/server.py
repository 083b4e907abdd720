"""HTTP: pages from memory, files from disk, live reload by server-sent events."""

from __future__ import annotations

import mimetypes
import re
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from markupsafe import escape

from samizdat.errors import SamizdatError
from samizdat.serve.state import DevState
from samizdat.serve.watcher import watch

LIVERELOAD_JS = Path(__file__).with_name("livereload.js")
EVENTS_PATH = "/__samizdat/events"
SCRIPT_PATH = "/__samizdat/livereload.js"
HEARTBEAT_SECONDS = 15
_CSP_RE = re.compile(r'(<meta http-equiv="Content-Security-Policy" content=")([^"]*)(")')


def serve(site_root: Path, host: str, port: int) -> None:
    state = DevState(site_root)
    print(state.rebuild(), file=sys.stderr)
    server = make_server(state, host, port)
    stop = threading.Event()
    watcher = threading.Thread(target=watch, args=(state, stop), daemon=True)
    watcher.start()
    print(f"serving {site_root} at http://{host}:{server.server_port}/ (Ctrl+C to stop)", file=sys.stderr)
    try:
        server.serve_forever()
    finally:
        stop.set()
        server.server_close()


@contextmanager
def background_server(site_root: Path, host: str = "127.0.0.1", port: int = 0) -> Iterator[tuple[str, DevState]]:
    """The dev server and its watcher on threads, for tests and measurements; yields its base URL."""
    state = DevState(site_root)
    state.rebuild()
    server = make_server(state, host, port)
    stop = threading.Event()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    threading.Thread(target=watch, args=(state, stop), daemon=True).start()
    time.sleep(0.3)  # the watcher must be watching before the caller edits files
    try:
        yield f"http://{host}:{server.server_port}", state
    finally:
        stop.set()
        server.shutdown()
        server.server_close()


def make_server(state: DevState, host: str, port: int) -> ThreadingHTTPServer:
    handler = type("Handler", (DevHandler,), {"state": state})
    try:
        server = ThreadingHTTPServer((host, port), handler)
    except OSError as exc:
        raise SamizdatError(f"cannot listen on {host}:{port}: {exc.strerror}",
                            hint=f"another program uses the port; try --port {port + 1}") from exc
    server.daemon_threads = True
    return server


def with_livereload(html: bytes, generation: int) -> bytes:
    """Add the reload script and let the page's CSP allow it; only in the dev server."""
    text = html.decode("utf-8")
    text = _CSP_RE.sub(lambda m: f"{m[1]}{allow_dev_script(m[2])}{m[3]}", text, count=1)
    tag = f'<script src="{SCRIPT_PATH}?g={generation}" defer></script>'
    text = text.replace("</body>", f"{tag}\n</body>", 1) if "</body>" in text else text + tag
    return text.encode("utf-8")


def allow_dev_script(policy: str) -> str:
    """The page's own policy, plus the reload script and its event stream from this server."""
    directives = [part.strip() for part in policy.split(";") if part.strip()]
    for name in ("script-src", "connect-src"):
        index = next((i for i, d in enumerate(directives) if d.split()[0] == name), None)
        if index is None:
            directives.append(f"{name} 'self'")
        else:
            directives[index] += " 'self'"
    return "; ".join(directives)


def error_page(message: str, generation: int) -> bytes:
    html = (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Build error</title></head>'
            f"<body><h1>The build failed</h1><pre>{escape(message)}</pre></body></html>")
    return with_livereload(html.encode(), generation)


class DevHandler(BaseHTTPRequestHandler):
    state: DevState
    server_version = "samizdat-dev"

    def log_message(self, format: str, *args: object) -> None:  # quiet: the terminal is for build news
        pass

    def do_GET(self) -> None:
        path = unquote(urlsplit(self.path).path)
        if path == EVENTS_PATH:
            self._events()
        elif path == SCRIPT_PATH:
            self._send(HTTPStatus.OK, LIVERELOAD_JS.read_bytes(), "text/javascript")
        else:
            self._page(path)

    def _page(self, path: str) -> None:
        state = self.state
        output = state.output
        if output is None:
            self._send(HTTPStatus.INTERNAL_SERVER_ERROR, error_page(state.error or "", state.generation),
                       "text/html")
            return
        for candidate in _candidates(path):
            if candidate in output.pages:
                self._send_output(HTTPStatus.OK, candidate, output.pages[candidate])
                return
            if candidate in output.copies:
                self._send_output(HTTPStatus.OK, candidate, output.copies[candidate].read_bytes())
                return
        not_found = _not_found_path(path, output.pages)
        body = output.pages.get(not_found, b"<!doctype html><title>Not found</title><h1>Not found</h1>")
        self._send_output(HTTPStatus.NOT_FOUND, "404.html", body)

    def _send_output(self, status: HTTPStatus, name: str, body: bytes) -> None:
        kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
        if kind == "text/html":
            body = with_livereload(body, self.state.generation)
        self._send(status, body, kind)

    def _send(self, status: HTTPStatus, body: bytes, kind: str) -> None:
        self.send_response(status)
        charset = "; charset=utf-8" if kind.startswith("text/") or kind.endswith(("xml", "json")) else ""
        self.send_header("Content-Type", kind + charset)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def _events(self) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        state = self.state
        try:
            last = None
            while True:
                with state.changed:
                    message = state.message()
                    if message == last:
                        state.changed.wait(HEARTBEAT_SECONDS)
                        message = state.message()
                if message != last:
                    self.wfile.write(f"event: state\ndata: {message}\n\n".encode())
                    last = message
                else:
                    self.wfile.write(b": keep-alive\n\n")
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return


def _candidates(path: str) -> list[str]:
    rel = path.lstrip("/")
    if rel == "" or rel.endswith("/"):
        return [rel + "index.html"]
    return [rel, rel + "/index.html", rel + ".html"]


def _not_found_path(path: str, pages: dict[str, bytes]) -> str:
    """The 404 page of the language whose prefix the path starts with."""
    first = path.strip("/").split("/", 1)[0]
    return f"{first}/404.html" if f"{first}/404.html" in pages else "404.html"
