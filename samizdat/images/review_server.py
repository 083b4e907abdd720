"""`samizdat faces SITE --review`: the review page served on this computer, with one-click answers.

The page shows unmasked photos and its buttons write to the site folder, so the server answers only
what it must: on 127.0.0.1, to requests whose address starts with a token made for this run (a page
of another site open in the same browser cannot guess it), naming this machine as their Host (a DNS
rebinding attack names another). An answer is a POST of JSON with the token in a header and the page's
own Origin: a form or script on another site can send neither without the browser's CORS check, which
this server never passes. Answers are written to SITE/data/faces.yaml only (decisions.py).
"""

from __future__ import annotations

import http.server
import json
import re
import secrets
import threading
from dataclasses import dataclass
from pathlib import Path

from samizdat.errors import OutputError, SamizdatError
from samizdat.images.decisions import parse_decision, record
from samizdat.images.review import ReviewPage

TYPES = {".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript", ".jpg": "image/jpeg"}
FILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
MAX_BODY = 4096  # an answer is a few dozen bytes


@dataclass(frozen=True)
class ReviewSite:
    site_root: Path
    folder: Path  # where the page and its images were written
    photos: frozenset[str]
    token: str


class ReviewServer(http.server.ThreadingHTTPServer):
    def __init__(self, review: ReviewSite, port: int = 0) -> None:
        super().__init__(("127.0.0.1", port), _Handler)
        self.review = review
        self.lock = threading.Lock()  # two clicks at once must not lose one answer

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_port}/{self.review.token}/"


def review_server(site_root: Path, page: ReviewPage, port: int = 0) -> ReviewServer:
    review = ReviewSite(site_root, page.index.parent, page.photos, secrets.token_urlsafe(24))
    try:
        return ReviewServer(review, port)
    except OSError as exc:
        raise OutputError(f"cannot serve the review page on 127.0.0.1:{port}: {exc.strerror}", None,
                          hint="choose another --port, or leave it out to take any free one") from None


class _Handler(http.server.BaseHTTPRequestHandler):
    server: ReviewServer

    def log_message(self, format: str, *args: object) -> None:
        pass  # the token is in every request line: keep it off the terminal's scrollback

    def do_GET(self) -> None:
        if self.path == "/favicon.ico":  # asked by every browser, with no token: nothing to show
            return self._answer(204, b"")
        name = self._file_name()
        path = self.server.review.folder / name if name else None
        if path is None or not path.is_file() or path.suffix not in TYPES:
            return self._answer(404, "not found")
        self._answer(200, path.read_bytes(), TYPES[path.suffix])

    def do_POST(self) -> None:
        review = self.server.review
        if self._file_name() != "decide" or not self._same_origin():
            return self._answer(403, "refused")
        if not secrets.compare_digest(self.headers.get("X-Review-Token", ""), review.token):
            return self._answer(403, "refused")
        if self.headers.get("Content-Type", "").split(";")[0].strip() != "application/json":
            return self._answer(415, "send JSON")
        length = self.headers.get("Content-Length", "")
        length = int(length) if length.isdigit() else 0
        if not 0 < length <= MAX_BODY:
            return self._answer(413, "too long")
        try:
            decision = parse_decision(json.loads(self.rfile.read(length)), review.photos)
            with self.server.lock:
                record(review.site_root, decision)
        except (ValueError, SamizdatError, RecursionError) as problem:  # json's errors are ValueErrors too
            return self._answer(400, str(problem))
        self._answer(204, b"")

    def _file_name(self) -> str | None:
        """The file asked for, when the address carries the token and names a plain file of the page."""
        if not self._host_is_ours():
            return None
        prefix = f"/{self.server.review.token}/"
        if not secrets.compare_digest(self.path[:len(prefix)], prefix):
            return None
        name = self.path[len(prefix):] or "index.html"
        return name if FILE_NAME.fullmatch(name) else None

    def _host_is_ours(self) -> bool:
        return self.headers.get("Host") == f"127.0.0.1:{self.server.server_port}"

    def _same_origin(self) -> bool:
        return self.headers.get("Origin") == f"http://127.0.0.1:{self.server.server_port}"

    def _answer(self, status: int, body: bytes | str, kind: str = "text/plain; charset=utf-8") -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.send_response(status)
        if status != 204:
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.end_headers()
        if status != 204:
            self.wfile.write(data)
