"""A POST is the editor's own only when it comes from its own page: same origin and the session's token.

Three locks, any one of which stops a form on another site that posts to the editor: the session cookie
is SameSite=Strict (the browser does not send it from another site), the browser's own Origin and
Sec-Fetch-Site headers must name this site, and every form carries the session's random token.
"""

from __future__ import annotations

import hmac
from urllib.parse import urlsplit

from starlette.datastructures import FormData
from starlette.requests import Request

from samizdat.editor.auth import Session

FIELD = "csrf"
SAME_SITE = frozenset({"same-origin", "none"})  # "none": typed in the address bar or opened from a bookmark


def same_origin(request: Request) -> bool:
    """False when the browser says the request comes from another site."""
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site is not None and fetch_site not in SAME_SITE:
        return False
    origin = request.headers.get("origin")
    if origin is None:
        return True  # browsers that send neither header are old; the token still has to match
    host = request.headers.get("host", "")
    return origin != "null" and urlsplit(origin).netloc.lower() == host.lower()


def token_matches(session: Session | None, form: FormData) -> bool:
    offered = form.get(FIELD)
    if session is None or not isinstance(offered, str):
        return False
    return hmac.compare_digest(session.csrf.encode(), offered.encode())
