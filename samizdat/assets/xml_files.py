"""XML files published as they are (.xml, .xhtml, .xsl…): a browser that opens one runs what it holds.

Chromium renders an XML file itself: an element in the XHTML or SVG namespace is a live element there
(a `<script xmlns="http://www.w3.org/1999/xhtml">` runs), and an `<?xml-stylesheet?>` instruction can
turn the file into a web page by XSLT. Plain data (an OpenSearch description, a site-verification
file) has none of that and is published as it is; anything else is refused at its line.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # lxml is loaded when a site has an XML or SVG file, not by every build
    from lxml import etree

from samizdat.errors import ContentError, SourceLocation
from samizdat.findings import Finding, finding

XML_SUFFIXES = (".xml", ".xhtml", ".xht", ".xsl", ".xslt", ".rss", ".atom", ".rdf")
ACTIVE_NAMESPACES = {
    "http://www.w3.org/1999/xhtml": "HTML",
    "http://www.w3.org/2000/svg": "SVG",
    "http://www.w3.org/1999/XSL/Transform": "XSLT",
    "http://www.w3.org/1998/Math/MathML": "MathML",
}
HINT = ("a browser opening this file would run it as a web page; publish web pages as .html files (they are "
        "checked like every page) and drawings as .svg (they are cleaned), or remove the file")


def xml_findings(data: bytes, source: Path) -> list[Finding]:
    from lxml import etree

    root = _parse(data, source)
    found = []
    for node in root.itersiblings(preceding=True):
        if isinstance(node, etree._ProcessingInstruction) and node.target == "xml-stylesheet":
            found.append(_finding("an <?xml-stylesheet?> instruction restyles or transforms the file in the "
                                  "browser", source, node.sourceline))
    for element in root.iter():
        if isinstance(element, etree._ProcessingInstruction) and element.target == "xml-stylesheet":
            found.append(_finding("an <?xml-stylesheet?> instruction", source, element.sourceline))
        elif isinstance(element.tag, str):
            kind = ACTIVE_NAMESPACES.get(etree.QName(element).namespace or "")
            if kind:
                found.append(_finding(f"<{etree.QName(element).localname}> is live {kind} markup in an XML file",
                                      source, element.sourceline))
                break  # one per file is enough to act on
    return found


def _finding(message: str, source: Path, line: int | None) -> Finding:
    return finding("unsafe-markup", message, SourceLocation(source, line), HINT)


def _parse(data: bytes, source: Path) -> etree._Element:
    return parse_untrusted(data, source, "XML file", keep_comments=False,
                           syntax_hint="a browser shows what comes before the error; correct the file or remove it",
                           entity_hint="remove the <!DOCTYPE …[ … ]> block")


def parse_untrusted(data: bytes, source: Path, what: str, keep_comments: bool, syntax_hint: str,
                    entity_hint: str) -> etree._Element:
    """XML from the site folder, read so that it can neither expand entities (billion laughs), read other
    files nor reach the network; libxml2's size limits stay on. A file that needs any of that is refused."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False,
                             dtd_validation=False, remove_comments=not keep_comments, remove_pis=False,
                             recover=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if isinstance(exc.lineno, int) and exc.lineno > 0 else None
        raise ContentError(f"cannot read the {what} safely: {exc.msg}", SourceLocation(source, line),
                           hint=syntax_hint) from exc
    if root.getroottree().docinfo.internalDTD is not None or any(isinstance(n, etree._Entity) for n in root.iter()):
        raise ContentError(f"the {what} declares XML entities, which can expand to gigabytes or read other files",
                           SourceLocation(source), hint=entity_hint)
    return root
