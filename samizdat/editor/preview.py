"""The preview: the dev server's engine (serve/state.py) building the site in memory, served under /preview/.

It is the real build, relative links on so that the pages work below /preview/; drafts are shown, as a
volunteer wants to see the page they are writing. A save rebuilds at once; the dev server's watcher
rebuilds after changes made outside the editor (a git pull, another program).
"""

from __future__ import annotations

import mimetypes
import threading
from pathlib import Path

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from samizdat.build.options import BuildOptions
from samizdat.editor.web import PREVIEW_FRAME, security_headers
from samizdat.serve.handler import lookup
from samizdat.serve.state import DevState
from samizdat.serve.watcher import watch_then_build

PREVIEW_CSP = ("default-src 'none'; img-src 'self'; media-src 'self'; style-src 'self'; font-src 'self'; "
               f"script-src 'self'; base-uri 'none'; form-action 'none'; {PREVIEW_FRAME}")


class SharedState(DevState):
    """The preview's build: drafts shown, links relative so it works inside the editor's frame."""

    def __init__(self, site_root: Path) -> None:
        super().__init__(site_root, drafts=True)
        self.options = BuildOptions(drafts=True, relative=True)


class Preview:
    """watch: build in the background and follow changes (the editor running); without it, build once now."""

    def __init__(self, site_root: Path, watch: bool = True) -> None:
        self.state = SharedState(site_root)
        self.stop = threading.Event()
        if watch:  # a cold first build can take a while (photos): the login link must not wait for it
            threading.Thread(target=watch_then_build, args=(self.state, self.stop), name="first build",
                             daemon=True).start()
        else:
            self.state.rebuild()

    def refresh(self) -> None:
        self.state.rebuild()

    def close(self) -> None:
        self.stop.set()


async def preview(request: Request) -> Response:
    state: SharedState = request.app.state.editor.preview.state
    output = state.output
    if output is None:
        return PlainTextResponse(state.error or "building…", status_code=503, headers=security_headers())
    found = lookup("/" + request.path_params["path"], output.pages, output.copies)
    if found is None:
        return PlainTextResponse("Not found\n", status_code=404, headers=security_headers(PREVIEW_CSP, framed=True))
    name, body = found
    data = body if isinstance(body, bytes) else body.read_bytes()
    kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
    charset = "; charset=utf-8" if kind.startswith("text/") else ""
    return Response(data, media_type=kind + charset, headers=security_headers(PREVIEW_CSP, framed=True))
