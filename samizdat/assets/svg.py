"""SVG files cleaned before they are published: the drawing stays, code and names go.

An SVG is an XML document a browser can run: scripts, event handlers, <foreignObject> full of HTML,
links to other hosts. Drawing programs also fill it with what identifies its author: Inkscape keeps the
export path (`/home/<name>/…`), Illustrator and others write RDF with the creator's name and e-mail,
and an embedded photo keeps its EXIF (GPS included). The file is parsed with lxml with entities not
expanded, no network and libxml2's size limits on, so a hostile file cannot hang the build or read
another file; what cannot be parsed that way is refused.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from samizdat.assets.svg_report import (
    COMMENT,
    CSS,
    EDITOR,
    HANDLER,
    HTML,
    METADATA,
    OUTSIDE,
    PICTURE,
    SCRIPT,
    CleanedSvg,
)
from samizdat.assets.xml_files import parse_untrusted
from samizdat.errors import ContentError, SourceLocation

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"
MAX_BYTES = 20 * 1024 * 1024  # far above any drawing; a larger "SVG" is something else
METADATA_NAMESPACES = {"http://www.w3.org/1999/02/22-rdf-syntax-ns#", "http://purl.org/dc/elements/1.1/",
                       "http://creativecommons.org/ns#", "http://web.resource.org/cc/"}
# SVG elements that run code, show another document, or only carry facts about the file.
DROPPED_ELEMENTS = {"script": SCRIPT, "foreignObject": HTML, "metadata": METADATA, "handler": SCRIPT,
                    "listener": SCRIPT, "iframe": HTML, "embed": HTML, "object": HTML, "audio": OUTSIDE,
                    "video": OUTSIDE, "discard": SCRIPT}
ANIMATIONS = {"set", "animate", "animateMotion", "animateTransform"}
# Attributes that name another resource; only a reference inside the file itself (#id) or a relative
# path among the site's own files is kept.
REFERENCE_ATTRIBUTES = {"href", f"{{{XLINK_NS}}}href"}
_CSS_IMPORT_RE = re.compile(r"@import[^;]*;?", re.IGNORECASE)
_CSS_URL_OPEN_RE = re.compile(r"url\(\s*", re.IGNORECASE)
_CSS_URL_STOP_RE = re.compile(r"""['")]""")  # what ends a reference, quoted or not
_CSS_URL_CLOSE_RE = re.compile(r"\s*\)")


def clean_svg(data: bytes, source: Path) -> bytes:
    return clean_svg_report(data, source).data


def clean_svg_report(data: bytes, source: Path) -> CleanedSvg:
    """The drawing without code, outside references, embedded pictures, comments or editor data."""
    root = _parse(data, source)
    removed: dict[str, None] = {}
    _clean_tree(root, removed)
    etree.cleanup_namespaces(root, top_nsmap={None: SVG_NS})
    # UTF-8 is XML's default, so no declaration; the newline keeps hand-written files byte for byte.
    return CleanedSvg(etree.tostring(root, encoding="utf-8", xml_declaration=False) + b"\n", tuple(removed))


REEXPORT = "re-export it as plain SVG (Inkscape: Save As → Plain SVG)"


def _parse(data: bytes, source: Path) -> etree._Element:
    if len(data) > MAX_BYTES:
        raise _refused(source, f"the SVG is {len(data) // (1024 * 1024)} MB", "simplify or re-export the drawing")
    root = parse_untrusted(data, source, "SVG", keep_comments=True, syntax_hint=REEXPORT,
                           entity_hint=REEXPORT.removesuffix(")") + "; Illustrator: SVG Tiny)")
    if root.tag != f"{{{SVG_NS}}}svg":
        raise _refused(source, "the file is not an SVG drawing (its root is not <svg> in the SVG namespace)",
                       'check the file; it should start with <svg xmlns="http://www.w3.org/2000/svg"')
    return root


def _refused(source: Path, message: str, hint: str) -> ContentError:
    return ContentError(message, SourceLocation(source), hint=hint)


def _clean_tree(root: etree._Element, removed: dict[str, None]) -> None:
    for element in list(root.iter()):
        reason = _dropped(element) if element is not root else None
        if reason:
            removed[reason] = None
            parent = element.getparent()
            if parent is not None:
                _remove_keeping_tail(parent, element)
            continue
        if isinstance(element.tag, str):
            _clean_attributes(element, removed)
            if _local(element) == "style" and element.text and clean_css(element.text) != element.text:
                element.text = clean_css(element.text)
                removed[CSS] = None


def _dropped(element: etree._Element) -> str | None:
    """Why an element goes, if it does: comments, elements from other namespaces (Inkscape, Sodipodi, RDF,
    Dublin Core…), and those that run code, show another document, embed a picture (where a photo's
    EXIF hides) or change a reference."""
    if not isinstance(element.tag, str):
        return COMMENT
    if not element.tag.startswith(f"{{{SVG_NS}}}"):
        return METADATA if etree.QName(element).namespace in METADATA_NAMESPACES else EDITOR
    name = _local(element)
    if name in DROPPED_ELEMENTS:
        return DROPPED_ELEMENTS[name]
    if name == "image" and not _local_reference(_reference(element), allow_fragment=False):
        return PICTURE if _reference(element).strip().lower().startswith("data:") else OUTSIDE
    if name in ANIMATIONS:
        target = (element.get("attributeName") or "").strip().lower()
        return HANDLER if target.endswith("href") or target.startswith("on") else None
    return None


def _clean_attributes(element: etree._Element, removed: dict[str, None]) -> None:
    for name, value in list(element.attrib.items()):
        namespace, _, local = name.rpartition("}")
        if namespace not in ("", f"{{{XLINK_NS}", f"{{{XML_NS}"):
            removed[EDITOR] = None
            del element.attrib[name]
        elif local.lower().startswith("on"):
            removed[HANDLER] = None
            del element.attrib[name]
        elif name in REFERENCE_ATTRIBUTES and not _local_reference(value, allow_fragment=True):
            removed[OUTSIDE] = None
            del element.attrib[name]
        elif ("url(" in value.lower() or "@import" in value.lower()) and clean_css(value) != value:
            removed[CSS] = None
            element.set(name, clean_css(value))


def clean_css(css: str) -> str:
    """Only url(#id) references stay: @import and url() of any file or host are replaced by `none`."""
    css = _CSS_IMPORT_RE.sub("", css)
    pieces, done = [], 0
    for start, end, reference in _css_urls(css):
        pieces += [css[done:start], css[start:end] if reference.strip().startswith("#") else "none"]
        done = end
    return "".join(pieces) + css[done:]


def _css_urls(css: str) -> Iterator[tuple[int, int, str]]:
    r"""Each url(…) as `url\(\s*(['"]?)([^'")]*)\1\s*\)` finds it: its start, end and reference. The
    reference runs from url( (and its quote) to the first quote or ')', where it must be closed: by its quote
    and a ')', or, unquoted, by that ')'. The pattern read from every url( to that place, and so again for each
    url( before it (a <style> of 120 KB of url( took half a minute); here the place is looked for once."""
    done, stop = 0, -1
    for opening in _CSS_URL_OPEN_RE.finditer(css):
        if opening.start() < done:
            continue  # inside the url() before it
        quote = css[opening.end():opening.end() + 1]
        quote = quote if quote in ("'", '"') else ""
        reference = opening.end() + len(quote)
        if stop < reference:
            found = _CSS_URL_STOP_RE.search(css, reference)
            stop = found.start() if found else len(css)
        end = _css_url_end(css, stop, quote)
        if end is not None:
            yield opening.start(), end, css[reference:stop]
            done = end


def _css_url_end(css: str, stop: int, quote: str) -> int | None:
    """Where a url() whose reference runs to `stop` ends, if it is closed there."""
    if stop == len(css) or css[stop] != (quote or ")"):
        return None
    if not quote:
        return stop + 1
    closing = _CSS_URL_CLOSE_RE.match(css, stop + 1)
    return closing.end() if closing else None


def _reference(element: etree._Element) -> str:
    return element.get("href") or element.get(f"{{{XLINK_NS}}}href") or ""


def _local_reference(value: str, allow_fragment: bool) -> bool:
    """#id inside the file, or a relative path to another of the site's files (no scheme, no host)."""
    value = "".join(value.split())
    if value.startswith("#"):
        return allow_fragment
    return bool(value) and ":" not in value.split("/")[0] and not value.startswith("//")


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname


def _remove_keeping_tail(parent: etree._Element, element: etree._Element) -> None:
    tail = element.tail
    previous = element.getprevious()
    parent.remove(element)
    if tail and tail.strip():
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
