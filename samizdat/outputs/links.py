"""Remove tracking parameters from every link in the rendered pages.

Links shared from Instagram, Facebook, YouTube or newsletters carry ids (igsh, fbclid, utm_*…) that tell
the platform who shared the link and who followed it. The rest of each URL is kept byte for byte.
"""

from __future__ import annotations

import html
import re

TRACKING_PARAMETERS = frozenset({
    "igsh", "igshid", "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "ttclid",
    "mc_cid", "mc_eid", "_hsenc", "_hsmi", "mkt_tok", "oly_anon_id", "oly_enc_id", "vero_id", "rb_clickid",
})
TRACKING_PREFIXES = ("utm_",)
# `si` is a sharer id on these hosts only; elsewhere it may be a real parameter.
SHARER_ID_HOSTS = ("youtube.com", "youtu.be", "spotify.com", "instagram.com", "threads.net")
_HREF_RE = re.compile(r"""(\shref\s*=\s*)("([^"]*)"|'([^']*)')""", re.IGNORECASE)
# A quick look first, so the thousands of clean pages cost one scan each: only links with a query
# string can carry tracking parameters, and a page's own stylesheet links (`?v=…`) carry none.
_QUERY_HREF_RE = re.compile(rb"""href=["'][^"'?]*\?([^"']*)""")
_TRACKING_NAME_RE = re.compile(
    rb"(?:^|[&;])(?:utm_[^=&]*|si|" + b"|".join(re.escape(name.encode()) for name in sorted(TRACKING_PARAMETERS))
    + rb")=", re.IGNORECASE)


def clean_page_links(page: bytes) -> bytes:
    if not _may_track(page):
        return page
    text = page.decode("utf-8")
    cleaned = _HREF_RE.sub(_clean_match, text)
    return cleaned.encode("utf-8") if cleaned != text else page


def _may_track(page: bytes) -> bool:
    if b"HREF" in page or b"Href" in page or b"href =" in page or b"href= " in page:
        return True  # unusual spelling: take the careful path
    return any(_TRACKING_NAME_RE.search(match[1]) for match in _QUERY_HREF_RE.finditer(page))


def _clean_match(match: re.Match[str]) -> str:
    raw = match[3] if match[3] is not None else match[4]
    if "?" not in raw:
        return match[0]
    url = html.unescape(raw)
    cleaned = clean_url(url)
    if cleaned == url:
        return match[0]
    quote = match[2][0]
    return f"{match[1]}{quote}{html.escape(cleaned, quote=True)}{quote}"


def clean_url(url: str) -> str:
    """The URL without tracking parameters; everything else, order and spelling included, as it was."""
    head, mark, rest = url.partition("?")
    if not mark:
        return url
    query, hash_mark, fragment = rest.partition("#")
    host = re.sub(r"^[a-z]+://(?:www\.)?", "", head.lower()).split("/", 1)[0]
    kept = [part for part in query.split("&") if part and not _is_tracking(part.split("=", 1)[0], host)]
    return head + ("?" + "&".join(kept) if kept else "") + hash_mark + fragment


def _is_tracking(name: str, host: str) -> bool:
    name = name.lower()
    if name in TRACKING_PARAMETERS or name.startswith(TRACKING_PREFIXES):
        return True
    return name == "si" and any(host == h or host.endswith("." + h) for h in SHARER_ID_HOSTS)
