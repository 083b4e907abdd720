"""Rewrite a built site's internal URLs relative to each file, so a copy works at any address.

A mirror may be served at `/`, under an IPFS gateway's sub-path, from an onion service, or opened from a
USB stick with `file://`. Root-relative links (`/en/`) break in all but the first, so this pass turns every
internal URL in HTML and CSS into a path from the file's own folder (`../en/index.html`). Folder URLs get
`index.html` because `file://` shows no folder index. Links for search engines (`rel=canonical` and the
`hreflang` alternates) keep pointing at the official address on purpose.

It runs over the rendered bytes rather than inside the templates because raw HTML in Markdown, data
files and shortcodes write URLs too.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Collection
from html.parser import HTMLParser
from urllib.parse import unquote

URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "poster", "data", "cite"})
SRCSET_ATTRIBUTES = frozenset({"srcset", "imagesrcset"})
INDEX_FILE = "index.html"

_ATTRIBUTE = re.compile(
    r"""(?P<name>[^\s"'>/=]+)(?P<eq>\s*=\s*)?(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<uq>[^\s"'=<>`]+))?"""
)
_CSS_URL = re.compile(r"""(?P<head>url\(\s*(?P<quote>['"]?))(?P<url>[^'")\s]+)(?P=quote)""")
_CSS_IMPORT = re.compile(r"""(?P<head>@import\s+(?P<quote>['"]))(?P<url>[^'"]+)(?P=quote)""")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_SRCSET_URL = re.compile(r"(?P<head>(?:^|,)\s*)(?P<url>[^\s,][^\s]*)")


class Relativizer:
    """Turns internal URLs into paths relative to one file, given every file the site publishes."""

    def __init__(self, base_url: str, files: Collection[str]) -> None:
        self.base_url = base_url.rstrip("/")
        self.files = frozenset(files)

    def url(self, url: str, from_file: str) -> str:
        """The URL as seen from `from_file` (an output path such as en/about/index.html)."""
        site_path = self._site_path(url)
        if site_path is None:
            return self._folder_link(url, from_file)
        path, suffix = _split_suffix(site_path)
        target = self._target_file(path.lstrip("/"))
        folder = posixpath.dirname(from_file) or "."
        relative = posixpath.relpath(target, folder)
        if ":" in relative.split("/", 1)[0]:
            # `/javascript:x` made relative from the top folder is `javascript:x`, which a browser reads as
            # a scheme: the path is kept a path. The page was checked with the link as it was written.
            relative = f"./{relative}"
        return relative + suffix

    def html(self, text: str, from_file: str) -> str:
        tags = _StartTags(text)
        pieces, last = [], 0
        for start, raw in tags.found:
            pieces.append(text[last:start])
            pieces.append(self._tag(raw, from_file))
            last = start + len(raw)
        pieces.append(text[last:])
        return "".join(pieces)

    def css(self, text: str, from_file: str) -> str:
        def replace(match: re.Match[str]) -> str:
            return match["head"] + self.url(match["url"], from_file) + match["quote"]

        return _CSS_IMPORT.sub(replace, _CSS_URL.sub(replace, text))

    def _folder_link(self, url: str, from_file: str) -> str:
        """An author's relative link to a folder (`../`, `../meetings/`, `..`), with `index.html` added:
        opened from a USB stick, a folder link shows a file listing, not the page."""
        path, suffix = _split_suffix(url)
        if not path or _SCHEME.match(path) or path.startswith("//"):
            return url
        folder = posixpath.dirname(from_file)
        resolved = posixpath.normpath(posixpath.join(folder, unquote(path)))
        if resolved.startswith("../") or resolved == "..":
            return url  # outside the site: not ours to change
        index = INDEX_FILE if resolved == "." else f"{resolved}/{INDEX_FILE}"
        if index not in self.files:
            return url  # a file, or nothing: left as written
        return (path if path.endswith("/") else path + "/") + INDEX_FILE + suffix

    def _site_path(self, url: str) -> str | None:
        """The path of an internal URL, or None for other sites, fragments, mailto: and the like."""
        if url.startswith("/") and not url.startswith("//"):
            return url
        if url == self.base_url or url.startswith(tuple(self.base_url + c for c in "/?#")):
            return "/" + url[len(self.base_url):].lstrip("/")
        return None

    def _target_file(self, path: str) -> str:
        if path == "" or path.endswith("/"):
            return path + INDEX_FILE
        if unquote(path) in self.files:
            return path
        if unquote(f"{path}/{INDEX_FILE}") in self.files:
            return f"{path}/{INDEX_FILE}"
        return path

    def _tag(self, raw: str, from_file: str) -> str:
        name_end = re.match(r"<[^\s/>]+", raw)
        if name_end is None:
            return raw
        keep_absolute = _is_search_engine_link(raw)

        def replace(match: re.Match[str]) -> str:
            name = match["name"].lower()
            group = next((g for g in ("dq", "sq", "uq") if match[g] is not None), None)
            if group is None or match["eq"] is None:
                return match[0]
            value = match[group]
            if name in URL_ATTRIBUTES:
                if keep_absolute and not value.startswith("/"):
                    return match[0]
                new = self.url(value, from_file)
            elif name in SRCSET_ATTRIBUTES:
                new = self._srcset(value, from_file)
            else:
                return match[0]
            start, end = match.start(group) - match.start(), match.end(group) - match.start()
            return match[0][:start] + new + match[0][end:]

        head = name_end.end()
        return raw[:head] + _ATTRIBUTE.sub(replace, raw[head:])

    def _srcset(self, value: str, from_file: str) -> str:
        def replace(match: re.Match[str]) -> str:
            url = match["url"]
            trailing = len(url) - len(url.rstrip(","))  # "a.jpg," with no descriptor
            core = url[: len(url) - trailing]
            return match["head"] + self.url(core, from_file) + url[len(core):]

        return _SRCSET_URL.sub(replace, value)


def relativize_outputs(base_url: str, pages: dict[str, bytes], text_copies: dict[str, bytes],
                       all_files: Collection[str]) -> dict[str, bytes]:
    """Every HTML and CSS file rewritten; returns only the files whose bytes changed."""
    relativizer = Relativizer(base_url, all_files)
    rewriters: dict[str, Callable[[str, str], str]] = {".html": relativizer.html, ".css": relativizer.css}
    changed = {}
    for rel, data in (pages | text_copies).items():
        rewrite = rewriters.get(posixpath.splitext(rel)[1].lower())
        if rewrite is None:
            continue
        text = data.decode("utf-8", errors="surrogateescape")
        new = rewrite(text, rel)
        if new != text:
            changed[rel] = new.encode("utf-8", errors="surrogateescape")
    return changed


def _is_search_engine_link(raw: str) -> bool:
    """<link rel=canonical> and the hreflang alternates name the official address, wherever the copy is."""
    if not re.match(r"<link[\s/>]", raw, re.IGNORECASE):
        return False
    rel = re.search(r"""\srel\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", raw, re.IGNORECASE)
    words = set(next(g for g in rel.groups() if g is not None).lower().split()) if rel else set()
    has_hreflang = re.search(r"\shreflang\s*=", raw, re.IGNORECASE) is not None
    return "canonical" in words or ("alternate" in words and has_hreflang)


def _split_suffix(path: str) -> tuple[str, str]:
    """Split /a/b?x#y into (/a/b, ?x#y)."""
    cut = min((i for i in (path.find("?"), path.find("#")) if i >= 0), default=len(path))
    return path[:cut], path[cut:]


class _StartTags(HTMLParser):
    """The offset and raw text of every start tag; the standard parser knows where tags can be
    (not inside comments, <script> or <style>), so URL-like text there is left alone."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=False)
        self.found: list[tuple[int, str]] = []
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        raw = self.get_starttag_text()
        if raw is None:
            return
        line, column = self.getpos()
        self.found.append((self._line_starts[line - 1] + column, raw))

    handle_startendtag = handle_starttag
