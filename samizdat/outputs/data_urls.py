"""Files carried inside a page or a stylesheet as data: URLs, where the build cannot clean them.

A photo pasted into a page as `data:image/jpeg;base64,…` is published with its EXIF, its GPS position
among it: the image stage cleans files, and such a photo is no file. Editors paste pictures this way,
and a browser shows one from any attribute that takes a URL (`<Img src>`, `<input type=image>`, a video's
poster, an SVG's <image>), from CSS (`style="background: url(data:…)"`, <style>, a stylesheet) and opens
one from a link. The markup check (page_rules.py) looks for them in every attribute value and every
<style> and data block of a page, as the browser reads them (after entities); the publication of the
site's own text files (assets/publish.py) in those files. Any found is refused.

A data: URL is refused when its first bytes are those of a file samizdat would have to clean or refuse
(documents/sniff.py: a photo, an icon, a PDF, a video, an office file, an archive), whatever type it
claims; one that holds markup or CSS (an SVG drawing) is read for such URLs in turn, a few levels deep.
Text that merely mentions `data:image/png` carries no such bytes and passes.
"""

from __future__ import annotations

import base64
import binascii
import html
import re
from urllib.parse import unquote_to_bytes

from samizdat.documents.sniff import HEAD, OTHER, sniff_head

# "data:" as a browser's URL parser reads it: any case, tabs and newlines anywhere dropped (unsafe_url).
# Not after a letter or digit, where it ends a word ("metadata:") and starts no URL.
_SCHEME = re.compile(r"(?<![a-z0-9+.\-])d[\t\n\r]*a[\t\n\r]*t[\t\n\r]*a[\t\n\r]*:", re.IGNORECASE | re.ASCII)
_TAB_NEWLINE = str.maketrans("", "", "\t\n\r")
# What a text holding such a URL holds: the scheme, or a backslash (CSS may escape any letter of it).
_MAY_CARRY = re.compile(f"{_SCHEME.pattern}|\\\\", re.IGNORECASE | re.ASCII)
_HEADER_AT_MOST = 256  # the media type and its parameters, up to the comma: longer is no data: URL
# What the payload runs through, as written in an attribute, a style or CSS: base64 with the whitespace a
# browser skips in it, or percent-escaped text up to a quote, a bracket or a space.
_BASE64_RUN = re.compile(r"[A-Za-z0-9+/=\s]*")
_TEXT_RUN = re.compile(r"[^\"'()<>\s]*")
_BASE64_HEAD = 4 * HEAD // 3 + 4  # characters that decode to the bytes sniff_head reads
_CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})[ \t\n\r\f]?|\\(.)", re.DOTALL)
_NESTED_AT_MOST = 3  # a data: URL in a drawing in a data: URL…: the depth read through
_MARKUP_AT_MOST = 16 << 20  # characters of a nested drawing decoded to be read again


def carried_file(text: str, depth: int = 0) -> tuple[str, str] | None:
    """The first data: URL in the text that carries a file samizdat would have to clean, as (what the file is,
    e.g. "JPEG", the URL's first characters); None where there is none. `text` as the browser reads it:
    the value of an attribute after its entities, a <style>'s text, a stylesheet (css_text)."""
    if ":" not in text:
        return None
    for scheme in _SCHEME.finditer(text):
        found = _carried(text, scheme.end(), depth)
        if found is not None:
            return found[0], text[scheme.start():scheme.start() + 60].translate(_TAB_NEWLINE)
    return None


def may_carry(text: str) -> bool:
    """Whether carried_file may find anything in the text: one search, for the markup check's every value."""
    return ":" in text and _MAY_CARRY.search(text) is not None


def css_text(css: str) -> str:
    """CSS with its escapes read (`\\64 ata:` is `data:` to the browser), for carried_file."""
    if "\\" not in css:
        return css
    return _CSS_ESCAPE.sub(lambda match: _unescaped(match), css)


def _unescaped(match: re.Match[str]) -> str:
    if match.group(1) is None:
        return match.group(2)
    code = int(match.group(1), 16)
    return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"


def _carried(text: str, start: int, depth: int) -> tuple[str] | None:
    """What the data: URL whose header starts at `start` carries, if it must be cleaned (see carried_file)."""
    comma = text.find(",", start, start + _HEADER_AT_MOST)
    if comma == -1:
        return None
    header = text[start:comma].translate(_TAB_NEWLINE).lower()
    if any(mark in header for mark in "\"'<>()"):
        return None  # the comma belongs to something after the URL
    parameters = [part.strip() for part in header.split(";")[1:]]
    payload = comma + 1
    if "base64" in parameters:
        run = _BASE64_RUN.match(text, payload)
        written = run.group(0) if run else ""
        head = _base64_head(written)
    else:
        run = _TEXT_RUN.match(text, payload)
        written = run.group(0) if run else ""
        head = unquote_to_bytes(written.translate(_TAB_NEWLINE)[:3 * HEAD])
    found = sniff_head(head[:HEAD])
    if found.family != OTHER:
        return (found.name,)
    if depth < _NESTED_AT_MOST:  # a drawing or a page made of the URL itself may carry one in turn
        whole = _base64_all(written) if "base64" in parameters else unquote_to_bytes(written[:_MARKUP_AT_MOST])
        nested = carried_file(css_text(html.unescape(whole.decode("utf-8", "replace"))), depth + 1)
        if nested is not None:
            return (nested[0],)
    return None


def _base64_head(written: str) -> bytes:
    """The first bytes of a base64 payload, read as a browser does: whitespace skipped, padding optional."""
    kept = "".join(written[:_BASE64_HEAD * 2].split())[:_BASE64_HEAD]
    return _decoded(kept[: len(kept) - len(kept) % 4] if len(kept) >= _BASE64_HEAD else kept)


def _base64_all(written: str) -> bytes:
    return _decoded("".join(written[: _MARKUP_AT_MOST * 4 // 3].split()))


def _decoded(kept: str) -> bytes:
    kept = kept.rstrip("=")
    try:
        return base64.b64decode(kept + "=" * (-len(kept) % 4))
    except (binascii.Error, ValueError):
        return b""
