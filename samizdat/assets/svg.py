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
from pathlib import Path

from lxml import etree

from samizdat.errors import ContentError, SourceLocation

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"
MAX_BYTES = 20 * 1024 * 1024  # far above any drawing; a larger "SVG" is something else
# SVG elements that run code, show another document, or only carry facts about the file.
DROPPED_ELEMENTS = {"script", "foreignObject", "metadata", "handler", "listener", "iframe", "embed", "object",
                    "audio", "video", "discard"}
ANIMATIONS = {"set", "animate", "animateMotion", "animateTransform"}
# Attributes that name another resource; only a reference inside the file itself (#id) or a relative
# path among the site's own files is kept.
REFERENCE_ATTRIBUTES = {"href", f"{{{XLINK_NS}}}href"}
_CSS_IMPORT_RE = re.compile(r"@import[^;]*;?", re.IGNORECASE)
_CSS_URL_RE = re.compile(r"""url\(\s*(['"]?)([^'")]*)\1\s*\)""", re.IGNORECASE)


def clean_svg(data: bytes, source: Path) -> bytes:
    """The drawing without code, outside references, embedded pictures, comments or editor data."""
    root = _parse(data, source)
    _clean_tree(root)
    etree.cleanup_namespaces(root, top_nsmap={None: SVG_NS})
    return etree.tostring(root, encoding="utf-8", xml_declaration=False) + b"\n"  # UTF-8 is XML's default


def _parse(data: bytes, source: Path) -> etree._Element:
    if len(data) > MAX_BYTES:
        raise _refused(source, f"the SVG is {len(data) // (1024 * 1024)} MB", "simplify or re-export the drawing")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False,
                             dtd_validation=False, remove_comments=True, remove_pis=True, recover=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if isinstance(exc.lineno, int) and exc.lineno > 0 else None
        raise ContentError(f"cannot read the SVG safely: {exc.msg}", SourceLocation(source, line),
                           hint="re-export it as plain SVG (Inkscape: Save As → Plain SVG)") from exc
    doctype = root.getroottree().docinfo
    if doctype.internalDTD is not None or any(isinstance(n, etree._Entity) for n in root.iter()):
        raise _refused(source, "the SVG declares XML entities, which can expand to gigabytes or read other files",
                       "re-export it as plain SVG (Inkscape: Save As → Plain SVG; Illustrator: SVG Tiny)")
    if root.tag != f"{{{SVG_NS}}}svg":
        raise _refused(source, "the file is not an SVG drawing (its root is not <svg> in the SVG namespace)",
                       'check the file; it should start with <svg xmlns="http://www.w3.org/2000/svg"')
    return root


def _refused(source: Path, message: str, hint: str) -> ContentError:
    return ContentError(message, SourceLocation(source), hint=hint)


def _clean_tree(root: etree._Element) -> None:
    for element in list(root.iter()):
        if element is not root and _dropped(element):
            parent = element.getparent()
            if parent is not None:
                _remove_keeping_tail(parent, element)
            continue
        _clean_attributes(element)
        if _local(element) == "style" and element.text:
            element.text = clean_css(element.text)


def _dropped(element: etree._Element) -> bool:
    """Elements from other namespaces (Inkscape, Sodipodi, RDF, Dublin Core…), and those that run code,
    show another document, embed a picture (where a photo's EXIF hides) or change a reference."""
    if not isinstance(element.tag, str) or not element.tag.startswith(f"{{{SVG_NS}}}"):
        return True
    name = _local(element)
    if name in DROPPED_ELEMENTS:
        return True
    if name == "image":
        return not _local_reference(_reference(element), allow_fragment=False)
    if name in ANIMATIONS:
        target = (element.get("attributeName") or "").strip().lower()
        return target.endswith("href") or target.startswith("on")
    return False


def _clean_attributes(element: etree._Element) -> None:
    for name, value in list(element.attrib.items()):
        namespace, _, local = name.rpartition("}")
        keep_namespace = namespace in ("", f"{{{XLINK_NS}", f"{{{XML_NS}")
        outside = name in REFERENCE_ATTRIBUTES and not _local_reference(value, allow_fragment=True)
        if not keep_namespace or local.lower().startswith("on") or outside:
            del element.attrib[name]
        elif "url(" in value.lower() or "@import" in value.lower():
            element.set(name, clean_css(value))


def clean_css(css: str) -> str:
    """Only url(#id) references stay: @import and url() of any file or host are replaced by `none`."""
    css = _CSS_IMPORT_RE.sub("", css)
    return _CSS_URL_RE.sub(lambda m: m[0] if m[2].strip().startswith("#") else "none", css)


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
