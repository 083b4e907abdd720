"""Files carried inside a page or a text file as data: URLs, where the build cannot clean them.

A photo pasted into a page as `data:image/jpeg;base64,…` is published with its EXIF, its GPS position
among it: the image stage cleans files, and such a photo is no file. Editors paste pictures this way,
and a browser shows one from any attribute that takes a URL (`<Img src>`, `<input type=image>`, a video's
poster, an SVG's <image>), from CSS (`style="background: url(data:…)"`, <style>, a stylesheet) and opens
one from a link. The markup check (page_rules.py) looks for them in every attribute value and every
<style> and <script> of a page, as the browser reads them (after entities); the publication of the site's
own text files (assets/publish.py) in those files. Any found is refused.

A data: URL is refused when the first bytes of its payload are those of a file samizdat would have to
clean or refuse (documents/sniff.py: a photo, an icon, a PDF, a video, an office file, an archive),
whatever type its header claims: a browser reads a picture by its bytes, and a header may say anything.
Its payload is read both as base64 (the whitespace a browser skips skipped) and as percent-escaped text.
A drawing, page or stylesheet made of a URL may carry one in turn, escaped: a base64 payload is read
again decoded, and a text with escapes (percent, entities, CSS) again unescaped, three levels deep. The
work stays linear in the text: base64 payloads never overlap (a colon is not base64), and each level
unescapes the whole text once. Text that merely names `data:image/png` carries no such bytes and passes.
"""

from __future__ import annotations

import base64
import binascii
import html
import re
from bisect import bisect_left
from urllib.parse import unquote_to_bytes

from samizdat.documents.sniff import HEAD, OTHER, sniff_head

# "data:" as a browser's URL parser reads it: any case, tabs and newlines anywhere dropped (page_rules.unsafe_url).
# Not after a letter or digit, where it ends a word ("metadata:") and starts no URL.
_SCHEME = re.compile(r"(?<![a-z0-9+.\-])d[\t\n\r]*a[\t\n\r]*t[\t\n\r]*a[\t\n\r]*:", re.IGNORECASE | re.ASCII)
# What a text holding such a URL holds: the scheme, or a backslash (CSS may escape any letter of it).
_MAY_CARRY = re.compile(f"{_SCHEME.pattern}|\\\\", re.IGNORECASE | re.ASCII)
_TAB_NEWLINE = str.maketrans("", "", "\t\n\r")
_BASE64_RUN = re.compile(r"[A-Za-z0-9+/=\s]*")  # base64 with the whitespace a browser skips in it
_TEXT_RUN = re.compile(r"[^\"'()<>\s]*")  # percent-escaped text up to a quote, a bracket or a space
_BASE64_HEAD = 4 * HEAD // 3 + 4  # characters that decode to the bytes sniff_head reads
_CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})[ \t\n\r\f]?|\\(.)", re.DOTALL)
_ESCAPES = ("%", "&", "\\")  # a text without any of these reads the same unescaped
_NESTED_AT_MOST = 3  # levels of escaping read through: a data: URL in a drawing in a data: URL…


def may_carry(text: str) -> bool:
    """Whether carried_file may find anything in the text: one search, for the markup check's every value."""
    return ":" in text and _MAY_CARRY.search(text) is not None


def carried_file(text: str, depth: int = 0) -> tuple[str, str] | None:
    """The first data: URL in the text that carries a file samizdat would have to clean, as (what the file
    is, e.g. "JPEG"; the URL's first characters); None where there is none. `text` as the browser reads
    it: an attribute's value after its entities, a <style>'s text, a file's (css_text reads CSS escapes)."""
    if ":" in text:
        commas: list[int] | None = None
        read: set[int] = set()  # payloads read: "data:data:…," names one payload many times
        for scheme in _SCHEME.finditer(text):
            if commas is None:  # where each URL's header ends, found once for them all
                commas = [found.start() for found in re.finditer(",", text)]
            at = bisect_left(commas, scheme.end())
            if at == len(commas) or commas[at] in read:
                continue
            read.add(commas[at])
            found = _carried(text, commas[at] + 1, depth)
            if found is not None:
                return found, text[scheme.start():scheme.start() + 60].translate(_TAB_NEWLINE)
    if depth < _NESTED_AT_MOST and any(mark in text for mark in _ESCAPES):
        unescaped = css_text(html.unescape(_percent_decoded(text)))
        if unescaped != text:
            nested = carried_file(unescaped, depth + 1)
            if nested is not None:
                return nested
    return None


def css_text(css: str) -> str:
    """CSS with its escapes read (`\\64 ata:` is `data:` to the browser), for carried_file."""
    if "\\" not in css:
        return css
    return _CSS_ESCAPE.sub(_unescaped, css)


def _unescaped(match: re.Match[str]) -> str:
    if match.group(1) is None:
        return match.group(2)
    code = int(match.group(1), 16)
    return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"


def _carried(text: str, payload: int, depth: int) -> str | None:
    """What file the payload starting at `payload` carries, read as base64 and as percent-escaped text."""
    encoded = _BASE64_RUN.match(text, payload)
    written = encoded.group(0) if encoded else ""
    escaped = _TEXT_RUN.match(text, payload)
    for head in (_base64_head(written), _percent_head(escaped.group(0) if escaped else "")):
        found = sniff_head(head[:HEAD])
        if found.family != OTHER:
            return found.name
    if depth < _NESTED_AT_MOST and len(written.strip()) > 8:  # a drawing or page encoded whole
        nested = carried_file(css_text(html.unescape(_base64_all(written).decode("utf-8", "replace"))), depth + 1)
        if nested is not None:
            return nested[0]
    return None


def _base64_head(written: str) -> bytes:
    """The first bytes of a base64 payload, read as a browser does: whitespace skipped, padding optional."""
    kept = "".join(written[:_BASE64_HEAD * 2].split())[:_BASE64_HEAD]
    return _decoded(kept[: len(kept) - len(kept) % 4] if len(kept) >= _BASE64_HEAD else kept)


def _base64_all(written: str) -> bytes:
    return _decoded("".join(written.split()))


def _decoded(kept: str) -> bytes:
    kept = kept.rstrip("=")
    try:
        return base64.b64decode(kept + "=" * (-len(kept) % 4))
    except (binascii.Error, ValueError):
        return b""


def _percent_head(written: str) -> bytes:
    return unquote_to_bytes(written.translate(_TAB_NEWLINE)[:3 * HEAD])


def _percent_decoded(text: str) -> str:
    return unquote_to_bytes(text).decode("utf-8", "replace") if "%" in text else text
