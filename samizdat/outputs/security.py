"""The site's security policy, in one place: the CSP meta tag, `_headers` and the nginx snippet.

Every page's `<meta http-equiv="Content-Security-Policy">` and both header files are written from
the same `SecurityPolicy`, so they cannot disagree. Visitors may be watched: nothing loads from
another host unless the site allowlists it, and scripts run only when their hash is listed.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

HEADERS_FILE = "_headers"  # read by Netlify and Cloudflare Pages
NGINX_FILE = "samizdat-headers.conf"  # for `include` in an nginx server block

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

_INLINE_SCRIPT_RE = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.DOTALL | re.IGNORECASE)
_EXTERNAL_A_RE = re.compile(r"<a\b[^>]*>", re.IGNORECASE)
_HREF_RE = re.compile(r"""\shref\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
_REL_RE = re.compile(r"""(\srel\s*=\s*)(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
_CSP_META_RE = re.compile(r'(<meta http-equiv="Content-Security-Policy" content=")([^"]*)(")')


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


def inline_scripts(html: str) -> list[str]:
    return [match[1] for match in _INLINE_SCRIPT_RE.finditer(html)]


def script_hash(body: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()


def policy_files(policy: SecurityPolicy) -> dict[str, bytes]:
    return {HEADERS_FILE: headers_file(policy), NGINX_FILE: nginx_snippet(policy)}


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


def apply_page_policy(html: str, policy: SecurityPolicy) -> str:
    """Fill the page's CSP meta tag with the final policy (it knows the scripts only once pages exist)."""
    return _CSP_META_RE.sub(lambda m: m[1] + policy.meta_csp() + m[3], html, count=1)


def harden_external_links(html: str, own_origin: str) -> str:
    """Add rel="noopener noreferrer" to links that leave the site; every other byte stays as it was."""

    def fix(match: re.Match[str]) -> str:
        tag = match[0]
        href = _HREF_RE.search(tag)
        if not href or not is_external(href[1] if href[1] is not None else href[2], own_origin):
            return tag
        rel = _REL_RE.search(tag)
        if rel is None:
            end = -2 if tag.endswith("/>") else -1
            return f'{tag[:end]} rel="noopener noreferrer"{tag[end:]}'
        tokens = (rel[2] if rel[2] is not None else rel[3]).split()
        tokens += [t for t in ("noopener", "noreferrer") if t not in tokens]
        return tag[: rel.start()] + f'{rel[1]}"{" ".join(tokens)}"' + tag[rel.end():]

    return _EXTERNAL_A_RE.sub(fix, html)


def is_external(url: str, own_origin: str) -> bool:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https", "") or not parts.netloc:
        return False
    return f"{parts.scheme or 'https'}://{parts.netloc}".lower() != own_origin.lower()
