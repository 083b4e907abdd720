"""The gate every request passes: the right Host, a bounded body, a session, and for POSTs their proof.

Pure ASGI middleware (no buffering of the whole app), and one wrapper, `guarded`, through which every
POST route of the editor is registered, so none can forget the same-origin and token checks.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from samizdat.editor.auth import COOKIE
from samizdat.editor.csrf import same_origin, token_matches
from samizdat.editor.web import security_headers

PUBLIC = ("/login", "/static/")  # what someone without a session may reach
MAX_FIELDS = 400  # form fields a request may carry (a page's front matter, three languages of a meeting)
FormHandler = Callable[[Request, FormData], Response]  # run on a worker thread: builds and git take time


class TooLarge(Exception):
    pass


class Gate:
    """Host check, body size limit and session lookup, before any route runs."""

    def __init__(self, app: ASGIApp, editor: Any) -> None:
        self.app = app
        self.editor = editor

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        refusal = self._refusal(request)
        if refusal is not None:
            await refusal(scope, receive, send)
            return
        limit = self.editor.settings.max_upload_bytes
        seen = 0

        async def bounded() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > limit:
                raise TooLarge
            return message

        async def hardened(message: Message) -> None:
            if message["type"] == "http.response.start":  # static files too: nosniff, no framing, no referrer
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(name.lower().encode(), value.encode()) for name, value in security_headers().items()
                         if name.lower().encode() not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        try:
            await self.app(scope, bounded, hardened)
        except TooLarge:
            await _plain(413, "The upload is larger than the editor accepts.")(scope, receive, send)

    def _refusal(self, request: Request) -> Response | None:
        if not self.editor.hosts_allow(request.headers.get("host")):
            return _plain(421, "This editor answers only to its own address.")
        length = request.headers.get("content-length", "0")
        if not length.isdigit() or int(length) > self.editor.settings.max_upload_bytes:
            return _plain(413, "The upload is larger than the editor accepts.")
        session = self.editor.sessions.get(request.cookies.get(COOKIE))
        request.scope["editor_session"] = session
        if request.url.path.startswith(PUBLIC) or (session is not None and session.user is not None):
            return None
        if request.method in ("GET", "HEAD"):
            return RedirectResponse("/login", status_code=303, headers=security_headers())
        return _plain(403, "Log in first.")


def guarded(handler: FormHandler) -> Callable[[Request], Awaitable[Response]]:
    """A POST route that runs only for a form from the editor's own page, with the session's token."""

    async def route(request: Request) -> Response:
        if not same_origin(request):
            return _plain(403, "Refused: this form was sent from another site.")
        form = await request.form(max_fields=MAX_FIELDS, max_files=4)
        try:
            if not token_matches(request.scope.get("editor_session"), form):
                return _plain(403, "Refused: the form's security token is missing or old. Reload the page and try "
                                   "again.")
            return await run_in_threadpool(handler, request, form)
        finally:
            await form.close()  # an upload's bytes are dropped now, not whenever the collector runs

    route.guarded = True  # type: ignore[attr-defined]  # tests check that every POST route has it
    return route


def _plain(status: int, text: str) -> Response:
    return PlainTextResponse(text + "\n", status_code=status, headers=security_headers())
