"""One HTTP request to the dev server: a page from memory, a file from disk, or the live-reload stream."""

from __future__ import annotations

import functools
import mimetypes
import re
import sys
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import unquote, urlsplit

from markupsafe import escape

from samizdat.serve.events import EventHub
from samizdat.serve.hosts import HostPolicy
from samizdat.serve.state import DevState
from samizdat.terminal import printable

LIVERELOAD_JS = Path(__file__).with_name("livereload.js")
EVENTS_PATH = "/__samizdat/events"
SCRIPT_PATH = "/__samizdat/livereload.js"
REQUEST_TIMEOUT_SECONDS = 10  # a client that sends nothing gives its worker back after this
_CSP_RE = re.compile(r'(<meta http-equiv="Content-Security-Policy" content=")([^"]*)(")')
_NOT_FOUND = b"<!doctype html><title>Not found</title><h1>Not found</h1>"


@functools.lru_cache(maxsize=512)  # the pages being looked at; a page's bytes hash once, being one object
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


def error_page(title: str, message: str, generation: int) -> bytes:
    html = (f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>Build error</title></head>'
            f'<body><h1>{escape(title)}</h1><pre style="white-space: pre-wrap; overflow-wrap: anywhere">'
            f"{escape(message)}</pre></body></html>")
    return with_livereload(html.encode(), generation)


class DevHandler(BaseHTTPRequestHandler):
    state: DevState
    hub: EventHub
    hosts: HostPolicy
    server_version = "samizdat-dev"
    timeout = REQUEST_TIMEOUT_SECONDS
    head_only = False

    def log_message(self, format: str, *args: object) -> None:  # quiet: the terminal is for build news
        pass

    def do_HEAD(self) -> None:
        self.head_only = True
        self.do_GET()

    def do_GET(self) -> None:
        if not self.hosts.allows(self.headers.get("Host")):
            self._send(HTTPStatus.MISDIRECTED_REQUEST, b"This server answers only to its own address.\n",
                       "text/plain")
            return
        path = unquote(urlsplit(self.path).path)
        if path == EVENTS_PATH:
            self._events()
        elif path == SCRIPT_PATH:
            self._send(HTTPStatus.OK, LIVERELOAD_JS.read_bytes(), "text/javascript")
        else:
            self._page(path)

    def _page(self, path: str) -> None:
        state = self.state
        output = state.output_for(lambda built: lookup(path, built.pages, built.copies) is not None)
        if output is None:
            page = error_page(state.title(), state.error or "", state.generation)
            self._send(HTTPStatus.INTERNAL_SERVER_ERROR, page, "text/html")
            return
        for candidate in _candidates(path):
            if candidate in output.pages:
                self._send_output(HTTPStatus.OK, candidate, output.pages[candidate])
                return
            if candidate in output.copies:
                self._send_copy(candidate, output.copies[candidate])
                return
        body = output.pages.get(_not_found_path(path, output.pages), _NOT_FOUND)
        self._send_output(HTTPStatus.NOT_FOUND, "404.html", body)

    def _send_copy(self, name: str, source: Path) -> None:
        """A file published as it is, read now: the site folder may have gone since the build."""
        try:
            body = source.read_bytes()
        except OSError as exc:
            if not self.state.site_root.is_dir() and self.state.mark_gone():
                print(printable(f"error: {self.state.error}"), file=sys.stderr)
            message = f"{name} cannot be read: {exc.strerror or exc}\n"
            self._send(HTTPStatus.SERVICE_UNAVAILABLE, message.encode(), "text/plain")
            return
        self._send_output(HTTPStatus.OK, name, body)

    def _send_output(self, status: HTTPStatus, name: str, body: bytes) -> None:
        kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
        if kind != "text/html":
            self._send(status, body, kind)
            return
        self._send(status, with_livereload(body, self.state.generation), kind)
        self.wfile.flush()
        self.state.page_sent()

    def _send(self, status: HTTPStatus, body: bytes, kind: str) -> None:
        self.send_response(status)
        charset = "; charset=utf-8" if kind.startswith("text/") or kind.endswith(("xml", "json")) else ""
        self.send_header("Content-Type", kind + charset)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if not self.head_only:
            self.wfile.write(body)

    def _events(self) -> None:
        """Send the headers, then hand the connection to the hub and free this worker."""
        if self.head_only or self.hub.full():
            status = HTTPStatus.SERVICE_UNAVAILABLE if self.hub.full() else HTTPStatus.OK
            self._send(status, b"", "text/event-stream")
            return
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        stream = self.connection.dup()
        if self.hub.add(stream):
            self.server.keep_open(self.connection)  # type: ignore[attr-defined]
        else:
            stream.close()


def _candidates(path: str) -> list[str]:
    rel = path.lstrip("/")
    if rel == "" or rel.endswith("/"):
        return [rel + "index.html"]
    return [rel, rel + "/index.html", rel + ".html"]


def _not_found_path(path: str, pages: dict[str, bytes]) -> str:
    """The 404 page of the language whose prefix the path starts with."""
    first = path.strip("/").split("/", 1)[0]
    return f"{first}/404.html" if f"{first}/404.html" in pages else "404.html"


def lookup(path: str, pages: dict[str, bytes], copies: dict[str, Path]) -> tuple[str, bytes | Path] | None:
    """The output file a URL path names, as this server finds it (the editor's preview uses the same)."""
    for candidate in _candidates(path):
        if candidate in pages:
            return candidate, pages[candidate]
        if candidate in copies:
            return candidate, copies[candidate]
    return None
