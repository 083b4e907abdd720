"""Pages of the editor: templates rendered with the volunteer's language, under the site's strict policy.

No inline script or style anywhere: the editor's one script and one stylesheet are files it serves
itself, so its pages carry the same `default-src 'none'` policy as the site's, opened only as far as
the editor needs (its own forms, its own preview frame).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import jinja2
import yaml
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from samizdat.outputs.security import SecurityPolicy
from samizdat.theme import THEMES_DIR

TEMPLATES = Path(__file__).with_name("templates")
STATIC = Path(__file__).with_name("static")
STRINGS_DIR = THEMES_DIR / "default" / "strings"  # the theme's files: one place for every translator
UI_LANGUAGES = ("en", "ru", "ko")  # the editor's own interface; the site's languages may differ
UI_COOKIE = "samizdat_editor_ui"
PREFIX = "editor_"  # the editor's keys in the theme's strings files

EDITOR_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
              "frame-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
PREVIEW_FRAME = "frame-ancestors 'self'"


def security_headers(csp: str = EDITOR_CSP, framed: bool = False) -> dict[str, str]:
    headers = dict(SecurityPolicy().headers())
    headers["Content-Security-Policy"] = csp
    headers["Cache-Control"] = "no-store"
    # Not no-referrer: with it browsers send `Origin: null` on the editor's own forms, and the Origin check
    # (csrf.py) could not tell them from a sandboxed attacker. Other sites still get no referrer at all.
    headers["Referrer-Policy"] = "same-origin"
    if framed:  # the preview is shown in the editor's own frame, never in another site's
        headers["X-Frame-Options"] = "SAMEORIGIN"
    return headers


def load_strings() -> dict[str, dict[str, str]]:
    """The editor's words by language, from the theme's strings files (one place for translators)."""
    words = {}
    for code in UI_LANGUAGES:
        data = yaml.safe_load((STRINGS_DIR / f"{code}.yaml").read_text(encoding="utf-8")) or {}
        words[code] = {key[len(PREFIX):]: value for key, value in data.items() if key.startswith(PREFIX)}
    return words


STRINGS = load_strings()


def ui_language(request: Request) -> str:
    chosen = request.query_params.get("ui") or request.cookies.get(UI_COOKIE)
    if chosen in UI_LANGUAGES:
        return chosen
    for part in request.headers.get("accept-language", "").split(","):
        code = part.split(";")[0].strip().split("-")[0].lower()
        if code in UI_LANGUAGES:
            return code
    return "en"


def translator(code: str) -> Any:
    def t(key: str, **values: Any) -> str:
        text = STRINGS[code].get(key) or STRINGS["en"].get(key) or key
        return text.format(**values) if values else text

    return t


_ENV = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                          undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def _moment(value: dt.date) -> str:
    """A meeting's time as the volunteer typed it, in the site's zone: 2031-05-17 15:00."""
    return value.strftime("%Y-%m-%d %H:%M") if isinstance(value, dt.datetime) else value.isoformat()


_ENV.filters["moment"] = _moment


def render(request: Request, template: str, status: int = 200, **context: Any) -> Response:
    code = ui_language(request)
    session = request.scope.get("editor_session")
    page = _ENV.get_template(template).render(
        t=translator(code), ui=code, ui_languages=UI_LANGUAGES, path=request.url.path,
        csrf=session.csrf if session else "", user=session.user if session else None,
        root=f"{request.app.state.editor.site_root}/", **context)  # findings name files below the site
    response = HTMLResponse(page, status_code=status, headers=security_headers())
    if request.query_params.get("ui") in UI_LANGUAGES:
        response.set_cookie(UI_COOKIE, code, httponly=True, samesite="strict", max_age=365 * 86400)
    return response
