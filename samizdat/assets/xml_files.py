"""XML files published as they are (.xml, .xhtml, .xsl…): a browser that opens one runs what it holds.

Chromium renders an XML file itself: an element in the XHTML or SVG namespace is a live element there
(a `<script xmlns="http://www.w3.org/1999/xhtml">` runs), and an `<?xml-stylesheet?>` instruction can
turn the file into a web page by XSLT. Plain data (an OpenSearch description, a site-verification
file) has none of that and is published as it is; anything else is refused at its line.
"""

from __future__ import annotations

from pathlib import Path

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
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False,
                             remove_comments=True, remove_pis=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if isinstance(exc.lineno, int) and exc.lineno > 0 else None
        raise ContentError(f"cannot read the XML file safely: {exc.msg}", SourceLocation(source, line),
                           hint="a browser shows what comes before the error; correct the file or remove it") from exc
    if root.getroottree().docinfo.internalDTD is not None:
        raise ContentError("the XML file declares entities, which can expand to gigabytes or read other files",
                           SourceLocation(source), hint="remove the <!DOCTYPE …[ … ]> block")
    return root
