"""From a permalink or a file's place in the site to a file below the output folder, and never outside it.

Every output path the build derives from site input passes through `confine`: permalinks, pages named
after their files, files published beside pages, assets/ and static/ files, meeting calendars. A path
that passes is a relative path of plain names in NFC, so joining it to the output folder cannot leave
it on any system the site is built or served on: no `..` or `.` (in any encoding), no leading `/`, no
empty names, no backslash or drive letter (`C:`), no control character, no name too long to write.
Names are NFC because a Korean name saved decomposed (NFD, as some Mac tools write it) would otherwise
make a folder that the link a volunteer types cannot reach.
"""

from __future__ import annotations

import functools
import posixpath
import re
import unicodedata
from urllib.parse import unquote

# A name's UTF-8 bytes: file systems allow 255; the writer's temporary name (".name.samizdat-tmp") and the
# precompressed ".gz"/".br" beside a file need the rest.
MAX_NAME_BYTES = 230
# Windows cannot write these characters or these names (a build on Windows, or a copy of the output there).
WINDOWS_CHARACTERS = frozenset('<>:"|?*\\')
# ... and these two end the path part of an address: a file named with them cannot be linked to.
ADDRESS_CHARACTERS = frozenset("?#")
WINDOWS_NAMES = frozenset({"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
                           *(f"LPT{i}" for i in range(1, 10))})
# Characters that reorder or hide text: a name that reads as one thing and is another.
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
PUBLISHED_HIDDEN = ".well-known"  # the one hidden folder a site publishes (security.txt and others)
_ENCODED_SEPARATOR = re.compile(r"%(2f|5c)", re.IGNORECASE)
# Controls (Unicode Cc: NUL, newline, tab…), lone surrogates (Cs: bytes of a file name that are not UTF-8),
# line and paragraph separators, and the bidi controls: one search, as thousands of names pass here.
_INVISIBLE = re.compile(f"[\x00-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029{BIDI_CONTROLS}]")
_UNSAFE = re.compile(f"[{re.escape(''.join(sorted(WINDOWS_CHARACTERS | ADDRESS_CHARACTERS)))}%]")


class UnsafePath(ValueError):
    """A path that could leave the output folder or clash on some system; the caller adds the place."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


def confine(rel: str) -> str:
    """A relative output path ("en/about/index.html") in NFC, once every name in it is proven safe."""
    text = unicodedata.normalize("NFC", rel)
    if not text:
        raise UnsafePath("the path is empty")
    for name in text.split("/"):
        problem = name_problem(name)
        if problem:
            raise UnsafePath(f"{problem} in {text!r}" if text != name else problem)
    return text


@functools.lru_cache(maxsize=8192)  # a folder's name is asked once for every file below it
def name_problem(name: str) -> str | None:
    """Why one name (a file or folder) cannot be written below the output folder, or None."""
    if name in ("", ".", ".."):
        return "an empty name (//)" if not name else f"a {name!r} folder, which leads out of its folder"
    invisible = _INVISIBLE.search(name)
    if invisible:
        return f"a control character (U+{ord(invisible[0]):04X})"
    if _UNSAFE.search(name):
        return _unsafe_characters(name)
    if name[0] == "." and name != PUBLISHED_HIDDEN:
        return f"a hidden name {name!r} (the build keeps its own files under such names)"
    if name[-1] in ". ":
        return f"a name ending in a dot or space {name!r} (Windows drops it, so two addresses would meet)"
    if name.split(".", 1)[0].upper() in WINDOWS_NAMES:
        return f"the name {name!r}, which Windows keeps for a device"
    size = len(name.encode("utf-8"))  # surrogates were refused above
    return f"a name of {size} bytes (at most {MAX_NAME_BYTES})" if size > MAX_NAME_BYTES else None


def _unsafe_characters(name: str) -> str:
    if "%" in name:
        return "a % sign (an address written encoded twice, or a name no link can spell)"
    shown = "".join(sorted({c for c in name if c in WINDOWS_CHARACTERS | ADDRESS_CHARACTERS}))
    return f"the character(s) {shown} (a drive letter, a backslash, a part of an address, or what Windows cannot write)"


def permalink_output(value: str) -> tuple[str, str]:
    """A permalink ("/en/about/") → (its URL, in NFC and decoded; its file below the output folder)."""
    if not value.startswith("/") or value.startswith("//"):
        raise UnsafePath("it must start with a single / (// leads to another site)")
    if "\\" in value or _ENCODED_SEPARATOR.search(value):
        raise UnsafePath("it holds a backslash or an encoded / or \\ (%2F, %5C)")
    try:
        path = unquote(value, errors="strict")
    except UnicodeDecodeError:
        raise UnsafePath("its %-escapes are not UTF-8 text") from None
    path = unicodedata.normalize("NFC", path)
    name = path.rsplit("/", 1)[1]
    if not name:
        output = path[1:] + "index.html"
    elif posixpath.splitext(name)[1]:
        output = path[1:]
    else:
        output = path[1:] + ".html"  # as Jekyll does for a path without an extension
    return path, confine(output)
