"""The editor as one Starlette app: settings, the shared state, the login routes and every route's place."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from starlette.applications import Starlette
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartParser
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from samizdat.editor import meetings, pages, photos, publish, status
from samizdat.editor.auth import COOKIE, Accounts, LoginLimiter, OneTimeToken, Sessions
from samizdat.editor.files import OutsideSite
from samizdat.editor.guard import FormHandler, Gate, guarded
from samizdat.editor.preview import Preview, preview
from samizdat.editor.web import STATIC, render, security_headers
from samizdat.errors import SamizdatError
from samizdat.serve.hosts import HostPolicy, split_host

MAX_UPLOAD_BYTES = 25 * 1024 * 1024  # a phone's photo is 2-12 MB; a request larger than this is refused
# Uploads stay in memory up to the limit: Starlette would otherwise spool a large photo, with its GPS, to a
# temporary file on disk.
MultiPartParser.spool_max_size = MAX_UPLOAD_BYTES


@dataclass(frozen=True)
class Settings:
    site_root: Path
    host: str = "127.0.0.1"
    port: int = 8001
    accounts: Accounts | None = None  # None: the one-time link, for this computer only
    public_names: tuple[str, ...] = ()  # names a reverse proxy passes in Host (the group's editor domain)
    max_upload_bytes: int = MAX_UPLOAD_BYTES

    @property
    def secure_cookie(self) -> bool:
        """Reached from other machines, the editor sits behind HTTPS (docs/editor.md): cookies only over it."""
        return self.accounts is not None and bool(self.public_names)


@dataclass
class Editor:
    settings: Settings
    preview: Preview
    sessions: Sessions = field(default_factory=Sessions)
    token: OneTimeToken = field(default_factory=OneTimeToken)
    limiter: LoginLimiter = field(default_factory=LoginLimiter)
    pending: photos.PendingPhotos = field(default_factory=photos.PendingPhotos)
    checks: status.CheckCache = field(default_factory=status.CheckCache)

    @property
    def site_root(self) -> Path:
        return self.settings.site_root

    def hosts_allow(self, header: str | None) -> bool:
        if HostPolicy(self.settings.host, self.settings.port).allows(header):
            return True
        name = split_host(header or "")[0].lower().rstrip(".")
        return name in self.settings.public_names

    def login_url(self) -> str:
        host = "127.0.0.1" if self.settings.host in ("0.0.0.0", "::", "") else self.settings.host
        return f"http://{host}:{self.settings.port}/login?token={self.token.value}"


def _set_session(response: Response, editor: Editor, sid: str) -> Response:
    response.set_cookie(COOKIE, sid, httponly=True, samesite="strict", secure=editor.settings.secure_cookie, path="/")
    return response


def login_view(request: Request) -> Response:
    editor: Editor = request.app.state.editor
    client = request.client.host if request.client else "?"
    offered = request.query_params.get("token")
    if offered is not None and editor.settings.accounts is None:
        if editor.limiter.blocked(client) or not editor.token.redeem(offered):
            editor.limiter.failed(client)
            return render(request, "login.html", status=403, accounts=False, problem="bad_token")
        response = RedirectResponse("/", status_code=303, headers=security_headers())
        return _set_session(response, editor, editor.sessions.new("local").sid)
    session = request.scope.get("editor_session") or editor.sessions.new(None)
    request.scope["editor_session"] = session
    response = render(request, "login.html", accounts=editor.settings.accounts is not None, problem=None)
    return _set_session(response, editor, session.sid)


def login_post(request: Request, form: FormData) -> Response:
    editor: Editor = request.app.state.editor
    accounts = editor.settings.accounts
    if accounts is None:
        return render(request, "login.html", status=403, accounts=False, problem="bad_token")
    name, password = str(form.get("name", "")), str(form.get("password", ""))
    client = request.client.host if request.client else "?"
    if editor.limiter.blocked(client, f"name:{name}"):
        return render(request, "login.html", status=429, accounts=True, problem="rate_limited")
    if not accounts.check(name, password):
        editor.limiter.failed(client, f"name:{name}")
        return render(request, "login.html", status=403, accounts=True, problem="bad_login")
    old = request.scope.get("editor_session")
    if old is not None:
        editor.sessions.end(old.sid)  # a new id once logged in: a session fixed beforehand is worth nothing
    response = RedirectResponse("/", status_code=303, headers=security_headers())
    return _set_session(response, editor, editor.sessions.new(name).sid)


def logout(request: Request, form: FormData) -> Response:
    editor: Editor = request.app.state.editor
    session = request.scope.get("editor_session")
    if session is not None:
        editor.sessions.end(session.sid)
    response = RedirectResponse("/login", status_code=303, headers=security_headers())
    response.delete_cookie(COOKIE, path="/")
    return response


def _post(path: str, handler: FormHandler) -> Route:
    return Route(path, guarded(handler), methods=["POST"])


ROUTES = [
    Route("/", status.dashboard),
    Route("/login", login_view),
    _post("/login", login_post),
    _post("/logout", logout),
    Route("/pages", pages.page_list),
    Route("/page", pages.edit_view),
    _post("/page/save", pages.save),
    _post("/page/translated", pages.translated),
    Route("/preview/{path:path}", preview),
    Route("/meetings", meetings.meetings_view),
    _post("/meetings/new", meetings.create),
    _post("/meetings/status", meetings.change_status),
    Route("/photos", photos.photos_view),
    _post("/photos/upload", photos.upload),
    Route("/photos/pending/{key}", photos.pending_image),
    Route("/photos/pending/{key}/faces", photos.pending_faces),
    _post("/photos/confirm", photos.confirm),
    Route("/publish", publish.publish_view),
    _post("/publish", publish.publish_post),
    _post("/publish/resolve", publish.resolve_post),
    Mount("/static", StaticFiles(directory=STATIC), name="static"),
]


async def _refused(request: Request, exc: Exception) -> Response:
    return render(request, "message.html", status=400, message_key="refused", detail=str(exc))


async def _failed(request: Request, exc: Exception) -> Response:
    return render(request, "message.html", status=422, message_key="site_error", detail=str(exc))


async def _missing(request: Request, exc: Exception) -> Response:
    return render(request, "message.html", status=404, message_key="not_found", detail="")


async def _http(request: Request, exc: Exception) -> Response:
    code = exc.status_code if isinstance(exc, HTTPException) else 500
    return render(request, "message.html", status=code, message_key="not_found" if code == 404 else "refused",
                  detail="")


def create_app(settings: Settings, watch: bool = True) -> Starlette:
    editor = Editor(settings, Preview(settings.site_root, watch=watch))
    app = Starlette(routes=ROUTES, exception_handlers={
        OutsideSite: _refused, SamizdatError: _failed, FileNotFoundError: _missing, HTTPException: _http})
    app.state.editor = editor
    app.add_middleware(Gate, editor=editor)
    return app
