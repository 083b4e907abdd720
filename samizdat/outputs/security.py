"""The site's security policy, in one place: the CSP meta tag, `_headers`, `.htaccess` and the nginx snippet.

Every page's `<meta http-equiv="Content-Security-Policy">` and the three header files are written from
the same `SecurityPolicy`, so they cannot disagree. Visitors may be watched: nothing loads from
another host unless the site allowlists it, and scripts run only when their hash is listed.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from samizdat.outputs.tag_edit import StartTag

HEADERS_FILE = "_headers"  # read by Netlify and Cloudflare Pages
NGINX_FILE = "samizdat-headers.conf"  # for `include` in an nginx server block
HTACCESS_FILE = ".htaccess"  # read by Apache (mod_headers), as most shared hosting runs it
_META = frozenset({"meta"})
_LINKS = frozenset({"a", "area"})

# Powerful browser features the site never uses; denying them also stops anything embedded from using them.
DENIED_FEATURES = (
    "accelerometer", "autoplay", "bluetooth", "browsing-topics", "camera",
    "display-capture", "encrypted-media", "geolocation", "gyroscope", "hid", "idle-detection",
    "interest-cohort", "magnetometer", "microphone", "midi", "payment", "publickey-credentials-get",
    "screen-wake-lock", "serial", "usb", "xr-spatial-tracking",
)
# Directives a <meta> CSP cannot carry (browsers ignore them there and log an error).
HEADER_ONLY_DIRECTIVES = ("frame-ancestors",)
# What pages load from other origins, once allowlisted: the fetch directives a page of text and photos uses.
MEDIA_DIRECTIVES = ("img-src", "media-src", "style-src", "font-src")

@dataclass(frozen=True)
class SecurityPolicy:
    allow_origins: tuple[str, ...] = ()  # other hosts the site chose to load from ([check] allow_origins)
    script_hashes: tuple[str, ...] = ()  # 'sha256-…' of every inline script the pages carry

    def directives(self) -> list[tuple[str, str]]:
        extra = "".join(f" {origin}" for origin in self.allow_origins)
        result = [("default-src", "'none'")] + [(name, f"'self'{extra}") for name in MEDIA_DIRECTIVES]
        if self.allow_origins:  # an allowlisted host may be embedded; the site itself never frames its pages
            result.append(("frame-src", extra.strip()))
        if self.script_hashes:
            result.append(("script-src", " ".join(f"'{h}'" for h in sorted(set(self.script_hashes)))))
        result += [("base-uri", "'none'"), ("form-action", "'none'"), ("frame-ancestors", "'none'")]
        return result

    def csp(self) -> str:
        return "; ".join(f"{name} {value}" for name, value in self.directives())

    def meta_csp(self) -> str:
        """The policy as a <meta> tag can carry it: what static hosts without headers get."""
        return "; ".join(f"{name} {value}" for name, value in self.directives()
                         if name not in HEADER_ONLY_DIRECTIVES)

    def headers(self) -> list[tuple[str, str]]:
        return [
            ("Content-Security-Policy", self.csp()),
            ("Referrer-Policy", "no-referrer"),
            ("Permissions-Policy", ", ".join(f"{feature}=()" for feature in DENIED_FEATURES)),
            ("X-Content-Type-Options", "nosniff"),
            ("X-Frame-Options", "DENY"),
            ("Cross-Origin-Opener-Policy", "same-origin"),
        ]


def script_hash(body: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()


def policy_files(policy: SecurityPolicy, site_headers: bytes = b"", site_htaccess: bytes = b"") -> dict[str, bytes]:
    """site_headers, site_htaccess: the site's own `_headers` and `.htaccess`, already checked
    (outputs/site_headers.py, site_htaccess.py). Each comes after the policy and cannot loosen it."""
    return {HEADERS_FILE: headers_file(policy) + site_headers, NGINX_FILE: nginx_snippet(policy),
            HTACCESS_FILE: htaccess_file(policy) + site_htaccess}


def headers_file(policy: SecurityPolicy) -> bytes:
    """`_headers` as Netlify and Cloudflare Pages read it: a path pattern, then indented headers."""
    lines = ["# Written by samizdat build from the site's security policy; edits are replaced.", "/*"]
    lines += [f"  {name}: {value}" for name, value in policy.headers()]
    return ("\n".join(lines) + "\n").encode()


def nginx_snippet(policy: SecurityPolicy) -> bytes:
    """`add_header` lines to `include` inside an nginx `server { … }` block."""
    lines = ["# Written by samizdat build. In nginx: include /path/to/samizdat-headers.conf; inside server { }"]
    lines += [f'add_header {name} "{value}" always;' for name, value in policy.headers()]
    return ("\n".join(lines) + "\n").encode()


def htaccess_file(policy: SecurityPolicy) -> bytes:
    """`Header always set` lines for Apache: `always` so error pages (404) carry the policy too."""
    lines = ["# Written by samizdat build from the site's security policy; edits are replaced.",
             "<IfModule mod_headers.c>"]
    lines += [f'  Header always set {name} "{_quoted(value)}"' for name, value in policy.headers()]
    return ("\n".join([*lines, "</IfModule>"]) + "\n").encode()


def _quoted(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')


def apply_page_policy(page: str, policy: SecurityPolicy) -> str:
    """Fill every CSP meta tag of the page with the final policy (it knows the scripts only once pages
    exist); a page whose template left the tag out gets one, first in its head."""
    from samizdat.outputs.tag_edit import rewrite_tags, start_tags, write_tag  # when a page's policy tag changes

    tag = write_tag("meta", (("http-equiv", "Content-Security-Policy"), ("content", policy.meta_csp())))
    if any(_is_csp(found) for found in start_tags(page, _META)):
        return rewrite_tags(page, start_tags(page, _META), lambda found: tag if _is_csp(found) else None)
    anchors = start_tags(page, frozenset({"head", "html"}))
    head = next((t for t in anchors if t.name == "head"), anchors[0] if anchors else None)
    at = head.end if head else 0
    return page[:at] + tag + page[at:]


def _is_csp(tag: StartTag) -> bool:
    return (tag.get("http-equiv") or "").strip().lower() == "content-security-policy"


def harden_external_links(page: str, own_origin: str, hrefs: tuple[str, ...] | None = None) -> str:
    """Add rel="noopener noreferrer" to links that leave the site; only those tags are rewritten.
    hrefs: every <a>/<area> href in the parsed page, in order (PageScan.links). When the quick look at
    the text finds the same links, its positions are used; else the whole page is tokenized."""
    # loaded when a rendered page links to another site without rel="noopener noreferrer"
    from samizdat.outputs.tag_edit import quick_start_tags, rewrite_tags, start_tags, write_tag

    def fix(tag: StartTag) -> str | None:
        if not missing_rel(tag.get("href") or "", tag.get("rel") or "", own_origin):
            return None
        tokens = (tag.get("rel") or "").split()
        rel = " ".join(tokens + [t for t in ("noopener", "noreferrer") if t not in tokens])
        attrs = tuple((k, rel if k == "rel" else v) for k, v in tag.attrs)
        return write_tag(tag.name, attrs if tag.get("rel") is not None else (*attrs, ("rel", rel)))

    tags = quick_start_tags(page, _LINKS) if hrefs is not None else None
    if tags is None or tuple(tag.get("href") or "" for tag in tags) != hrefs:
        tags = start_tags(page, _LINKS)
        tags = _aligned(tags, hrefs) if hrefs is not None else tags
    return rewrite_tags(page, tags, fix)


def _aligned(tags: list[StartTag], hrefs: tuple[str, ...]) -> list[StartTag]:
    """The tokenizer's tags that are the parsed page's links, in order; a look-alike the tokenizer still
    read (an unusual raw-text corner) is left as it was."""
    result: list[StartTag] = []
    for tag in tags:
        if len(result) < len(hrefs) and (tag.get("href") or "") == hrefs[len(result)]:
            result.append(tag)
    return result


def missing_rel(href: str, rel: str, own_origin: str) -> bool:
    """A link that leaves the site without rel="noopener noreferrer"."""
    if "//" not in href:
        return False  # no host of its own: a link inside the site
    tokens = rel.lower().split()
    return is_external(href, own_origin) and not ("noopener" in tokens and "noreferrer" in tokens)


def is_external(url: str, own_origin: str) -> bool:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https", "") or not parts.netloc:
        return False
    return f"{parts.scheme or 'https'}://{parts.netloc}".lower() != own_origin.lower()
