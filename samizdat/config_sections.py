"""The optional tables of samizdat.toml: [publish], [images] and [check], read and checked."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from samizdat.errors import ContentError
from samizdat.findings import FINDING_CODES, SEVERITIES
from samizdat.site_files import site_file

# Each option: type, whether required, and what it means (shown in errors and docs).
Schema = dict[str, tuple[type | tuple[type, ...], bool, str]]


@dataclass(frozen=True)
class Mirror:
    url: str
    note: str | dict[str, str] = ""  # one text, or one per language code


@dataclass(frozen=True)
class PublishConfig:
    remote: str | None = None  # None: the site repository's `origin`
    branch: str = "gh-pages"
    domain: str | None = None
    rsync_target: str | None = None
    onion: str | None = None  # the bare host name, e.g. abc…xyz.onion
    mirrors: tuple[Mirror, ...] = ()
    precompress: bool = False


@dataclass(frozen=True)
class ImagesConfig:
    widths: tuple[int, ...] = (320, 640, 960, 1280)
    quality: int = 80
    formats: tuple[str, ...] = ("avif", "webp")
    sizes: str = "(min-width: 44rem) 40rem, 100vw"
    mask_faces: bool = False
    mask_style: str = "block"


@dataclass(frozen=True)
class CheckConfig:
    """`[check]`: how `samizdat check` weighs findings, and which other hosts a page may load from."""

    severity: tuple[tuple[str, str], ...] = ()  # (finding code, severity) overrides
    allow_origins: tuple[str, ...] = ()  # e.g. "https://media.example.org"

    def severity_of(self, code: str | None, default: str) -> str:
        return next((level for name, level in self.severity if name == code), default)


@dataclass(frozen=True)
class SecurityConfig:
    """`[security]`: the one opening in "no code from content", given page by page."""

    allow_scripts: tuple[str, ...] = ()  # site-relative source paths whose inline <script> may run


SECURITY_KEYS: Schema = {
    "allow_scripts": (list, False, 'source files whose own <script> may run, e.g. ["content/en/tool.md"] '
                      "(see docs/security.md before using it)"),
}
IMAGES_KEYS: Schema = {
    "widths": (list, False, "widths in pixels of the resized copies (default [320, 640, 960, 1280]; never upscaled)"),
    "quality": (int, False, "encoder quality from 1 to 100 (default 80)"),
    "formats": (list, False, 'modern formats beside the JPEG/PNG fallback: "avif", "webp" (default both)'),
    "sizes": (str, False, "the <img sizes> used when a page gives none"),
    "mask_faces": (bool, False, "find faces in every photo and mask them (needs pip install samizdat[faces])"),
    "mask_style": (str, False, '"block" (solid, the default) or "pixelate" (heavy)'),
}
IMAGE_FORMATS = ("avif", "webp")
MASK_STYLES = ("block", "pixelate")
CHECK_KEYS: Schema = {
    "severity": (dict, False, 'severity per finding, e.g. { "http-link" = "warning" } ("off" hides it)'),
    "allow_origins": (list, False, 'other hosts pages may load from, e.g. ["https://media.example.org"]'),
}

PUBLISH_KEYS: Schema = {
    "remote": (str, False, "git remote to deploy to, a name such as origin or a URL (default: origin)"),
    "branch": (str, False, "branch the built site is committed to (default: gh-pages)"),
    "domain": (str, False, "custom domain written to CNAME for GitHub/Codeberg Pages, e.g. www.example.org"),
    "rsync_target": (str, False, "server folder for `samizdat deploy --rsync`, e.g. user@host:/var/www/site"),
    "onion": (str, False, "the site's Tor onion address, e.g. abc…xyz.onion"),
    "mirrors": (list, False, "known copies of the site: [[publish.mirrors]] tables with url and note"),
    "precompress": (bool, False, "write .gz and .br files beside text files for nginx gzip_static"),
}
MIRROR_KEYS: Schema = {
    "url": (str, True, "the mirror's address, e.g. https://mirror.example.net/"),
    "note": ((str, dict), False, "a short description: one text, or a table with one text per language"),
}

_ONION_RE = re.compile(r"^[a-z2-7]{56}\.onion$")
_DOMAIN_RE = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
_ORIGIN_RE = re.compile(r"^https?://[^/\s]+/?$")


class SectionReaders:
    """The readers of the optional tables; mixed into the config reader, whose problem list they share."""

    def _problem(self, key: str, message: str) -> None:
        raise NotImplementedError

    def _check_table(self, table: dict[str, Any], schema: Schema, prefix: str) -> None:
        raise NotImplementedError

    def _publish(self, table: Any) -> PublishConfig:
        if not isinstance(table, dict):
            return PublishConfig()
        self._check_table(table, PUBLISH_KEYS, "publish.")
        text = {key: table[key] for key in PUBLISH_KEYS if isinstance(table.get(key), str)}
        onion = text.get("onion", "").removeprefix("http://").strip("/") or None
        if onion and not _ONION_RE.match(onion):
            self._problem("publish.onion", f"{onion!r} is not an onion address (56 letters a-z, 2-7, then .onion)")
        domain = text.get("domain")
        if domain is not None and not _DOMAIN_RE.match(domain):
            self._problem("publish.domain", f"{domain!r} must be a bare domain such as www.example.org")
        return PublishConfig(
            remote=text.get("remote"),
            branch=text.get("branch", PublishConfig.branch),
            domain=domain,
            rsync_target=text.get("rsync_target"),
            onion=onion,
            mirrors=self._mirrors(table.get("mirrors", [])),
            precompress=table.get("precompress") is True,
        )

    def _mirrors(self, entries: Any) -> tuple[Mirror, ...]:
        if not isinstance(entries, list):
            return ()
        mirrors = []
        for number, entry in enumerate(entries, 1):
            if not isinstance(entry, dict):
                self._problem("publish.mirrors", f"entry {number} must be a table with url and note")
                continue
            self._check_table(entry, MIRROR_KEYS, f"publish.mirrors[{number}].")
            url = entry.get("url")
            if isinstance(url, str) and not re.match(r"^(https?|ipfs|ipns)://\S+$", url):
                self._problem(f"publish.mirrors[{number}].url", f"{url!r} must start with https:// or http://")
            note = entry.get("note", "")
            if isinstance(note, dict) and not all(isinstance(v, str) for v in note.values()):
                self._problem(f"publish.mirrors[{number}].note", "each language's note must be text")
            if isinstance(url, str):
                mirrors.append(Mirror(url, note if isinstance(note, str | dict) else ""))
        return tuple(mirrors)
    def _check(self, table: Any) -> CheckConfig:
        if not isinstance(table, dict):
            return CheckConfig()
        self._check_table(table, CHECK_KEYS, "check.")
        severity = table.get("severity", {})
        pairs = []
        for code, level in (severity.items() if isinstance(severity, dict) else ()):
            if code not in FINDING_CODES:
                self._problem("check.severity", f"unknown finding {code!r} (known: {', '.join(FINDING_CODES)})")
            elif level not in SEVERITIES:
                self._problem("check.severity", f"{code}: {level!r} must be one of {', '.join(SEVERITIES)}")
            else:
                pairs.append((code, level))
        origins = table.get("allow_origins", [])
        allowed = []
        for origin in (origins if isinstance(origins, list) else ()):
            if not isinstance(origin, str) or not _ORIGIN_RE.match(origin):
                self._problem("check.allow_origins", f"{origin!r} must be an origin such as https://media.example.org")
            else:
                allowed.append(origin.rstrip("/").lower())  # as every origin is compared: Media.Example.org
        return CheckConfig(tuple(pairs), tuple(allowed))

    def _security(self, table: Any, root: Path) -> SecurityConfig:
        if not isinstance(table, dict):
            return SecurityConfig()
        self._check_table(table, SECURITY_KEYS, "security.")
        allowed = []
        entries = table.get("allow_scripts", [])
        for entry in (entries if isinstance(entries, list) else ()):
            rel = entry.replace("\\", "/").strip("/") if isinstance(entry, str) else ""
            if not rel or ".." in rel.split("/") or not _real_site_file(root, rel):
                self._problem("security.allow_scripts", f"{entry!r} must name a file in the site folder, "
                              "e.g. content/en/tool.md")
            else:
                allowed.append(rel)
        return SecurityConfig(tuple(allowed))

    def _images(self, table: Any) -> ImagesConfig:
        if not isinstance(table, dict):
            return ImagesConfig()
        self._check_table(table, IMAGES_KEYS, "images.")
        default = ImagesConfig()
        widths = table.get("widths", list(default.widths))
        if not isinstance(widths, list) or not widths or not all(
                isinstance(w, int) and not isinstance(w, bool) and 16 <= w <= 8192 for w in widths):
            self._problem("images.widths", "must be a list of whole numbers from 16 to 8192, e.g. [320, 640]")
            widths = list(default.widths)
        quality = table.get("quality", default.quality)
        if not isinstance(quality, int) or not 1 <= quality <= 100:
            self._problem("images.quality", "must be a whole number from 1 to 100")
            quality = default.quality
        formats = table.get("formats", list(default.formats))
        if not isinstance(formats, list) or any(f not in IMAGE_FORMATS for f in formats):
            self._problem("images.formats", f"must be a list of {', '.join(map(repr, IMAGE_FORMATS))}")
            formats = list(default.formats)
        style = table.get("mask_style", default.mask_style)
        if style not in MASK_STYLES:
            self._problem("images.mask_style", f"must be one of {', '.join(map(repr, MASK_STYLES))}")
            style = default.mask_style
        sizes = table.get("sizes", default.sizes)
        return ImagesConfig(
            widths=tuple(sorted(set(widths))), quality=quality, formats=tuple(dict.fromkeys(formats)),
            sizes=sizes if isinstance(sizes, str) else default.sizes,
            mask_faces=table.get("mask_faces", False) is True, mask_style=style,
        )


def _real_site_file(root: Path, rel: str) -> bool:
    """A real file of the site, reached through real folders (never a link out of it)."""
    try:
        return site_file(root, rel).is_file()
    except ContentError:
        return False
