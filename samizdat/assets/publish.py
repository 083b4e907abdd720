"""The published files (assets/, static/, page bundles, the theme's) that are not copied as they are:
SVG drawings are cleaned, HTML files pass the page rules, and the site's own `_headers` and `.htaccess`
are checked and kept after the generated policy instead of replacing it."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

from samizdat.assets.svg_report import CleanedSvg
from samizdat.assets.xml_files import XML_SUFFIXES
from samizdat.errors import ContentError, SourceLocation
from samizdat.findings import Finding, finding
from samizdat.nesting import too_deep
from samizdat.outputs.data_urls import carried_file, css_text
from samizdat.outputs.host_files import REDIRECTS_FILE, check_redirects, refuse_server_code
from samizdat.outputs.page_rules import nesting_violation, scan_page
from samizdat.outputs.page_safety import PageRules, findings_of
from samizdat.outputs.security import HEADERS_FILE, HTACCESS_FILE, NGINX_FILE, script_hash
from samizdat.products import ProductBook

HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
# Text that servers send with a type browsers never open as a page: not looked into for markup.
INERT_TEXT = (".txt", ".md", ".markdown", ".csv", ".tsv", ".json", ".css", ".js", ".mjs", ".ics", ".vcf", ".asc",
              ".pem", ".yaml", ".yml", ".toml", ".log", ".map", ".webmanifest")
SNIFFED_BYTES = 4096  # enough to see whether a file starts as markup
SVG_RESULT = "svg:"  # + the cleaner and the sha256 of a drawing's bytes: its cleaning, in the build's results


@dataclass(frozen=True)
class PublishedAssets:
    copies: dict[str, Path]  # output path → file copied as it is
    cleaned: dict[str, bytes]  # output path → the cleaned bytes (SVG)
    site_headers: bytes  # the site's _headers lines, to follow the policy's
    findings: tuple[Finding, ...]  # broken page rules in HTML files, refused _headers lines
    scripts: tuple[str, ...]  # hashes of inline scripts in HTML files listed in [security] allow_scripts
    notes: tuple[Finding, ...] = ()  # what the SVG cleaning removed: told, never refused
    site_htaccess: bytes = b""  # the site's .htaccess lines, to follow the policy's


def publish_assets(copies: dict[str, Path], rules: PageRules, book: ProductBook | None = None) -> PublishedAssets:
    """An HTML file published as it is meets the same rules as a page (it gets no CSP meta of its own,
    so on a host without headers the rules are all that protects its readers).
    book: the build's results, where a drawing cleaned before is found by the hash of its bytes."""
    kept: dict[str, Path] = {}
    cleaned: dict[str, bytes] = {}
    findings: list[Finding] = []
    scripts: list[str] = []
    notes: list[Finding] = []
    headers = htaccess = b""
    for rel, path in copies.items():
        if rel == NGINX_FILE:
            raise ContentError(f"the file {rel} would replace the security headers samizdat writes",
                               SourceLocation(path), hint="remove it; the policy is written from samizdat.toml")
        refuse_server_code(rel, path)
        if rel == REDIRECTS_FILE:
            findings += check_redirects(_text(path), path, rules.origin)
        if rel == HEADERS_FILE:
            from samizdat.outputs.site_headers import check_site_headers, site_block  # for a site with a _headers

            text = _text(path)
            findings += check_site_headers(text, path)
            headers = site_block(text)
            continue
        if rel == HTACCESS_FILE:
            from samizdat.outputs import site_htaccess  # and shlex: loaded for a site with an .htaccess

            text = _text(path)
            findings += site_htaccess.check_site_htaccess(text, path)
            htaccess = site_htaccess.site_block(text)
            continue
        if rel.lower().endswith(".svg"):
            svg = _cleaned_svg(path, book)
            cleaned[rel], notes = svg.data, notes + svg.findings(path)
            continue
        if rel.lower().endswith(".svgz"):
            raise ContentError("a compressed SVG cannot be cleaned before it is published", SourceLocation(path),
                               hint="unpack it (gunzip -S .svgz) and save it as .svg")
        if rel.lower().endswith(XML_SUFFIXES):
            from samizdat.assets.xml_files import xml_findings

            findings += xml_findings(path.read_bytes(), path)
        if rel.lower().endswith(HTML_SUFFIXES):
            text = _html_text(path)
            nested = too_deep(text)
            if nested is not None:  # refused before the parse, which would take minutes
                findings += findings_of((nesting_violation(nested),), None, rules, fallback=path)
                continue
            scan = scan_page(LexborHTMLParser(text), rules.trusted, rules.may_run_own(path), rules.origin)
            findings += findings_of(scan.violations, None, rules, fallback=path)
            scripts += [script_hash(body) for body in scan.scripts]
        elif not rel.lower().endswith((*XML_SUFFIXES, *INERT_TEXT)):
            findings += _markup_under_another_name(path) + _carried_in_text(path)
        else:  # a stylesheet, a script, a data or text file: a photo may be written into it as a data: URL
            findings += _carried_in_text(path)
        kept[rel] = path
    return PublishedAssets(kept, cleaned, headers, tuple(findings), tuple(scripts), tuple(notes), htaccess)


def _carried_in_text(path: Path) -> list[Finding]:
    """A photo (or any file samizdat cleans) written into a text file, under any name, as a data: URL
    (outputs/data_urls.py): published with the file, it would keep its metadata."""
    with path.open("rb") as file:
        head = file.read(SNIFFED_BYTES)
        if b"\x00" in head:  # a binary file (a photo, a font, a video): its own stage looks into it
            return []
        data = head + file.read()
    if b":" not in data:
        return []
    text = data.decode("utf-8", "replace")
    carried = carried_file(css_text(text))
    if carried is None:
        return []
    kind, written = carried
    at = text.find(written[:20])
    where = SourceLocation(path, text.count("\n", 0, at) + 1 if at != -1 else None)
    return [finding("unsafe-markup", f"{path.name} carries a file as a data: URL ({kind}), where its metadata (a "
                    "photo's GPS position, camera and time) cannot be removed", where,
                    "save the file in assets/ and link to it from here (url(/assets/name.jpg)): samizdat removes "
                    "the metadata of the files it publishes")]


def _markup_under_another_name(path: Path) -> list[Finding]:
    """A file of any other name that is markup: servers send many names as HTML or XML (`.xhtm`, `.shtm`,
    `.xpdl`, every `+xml` type), and a browser opening one as a page runs its scripts. XML is checked as
    the XML files are; HTML, or markup that is not XML, under such a name is refused."""
    with path.open("rb") as file:
        head = file.read(SNIFFED_BYTES)
    start = head.removeprefix(b"\xef\xbb\xbf").lstrip().lower()
    if not start.startswith(b"<") or start.startswith(b"<<"):
        return []  # not markup (binary formats do not start with "<" and a letter, "?" or "!")
    if not (start[1:2].isalpha() or start[1:2] in (b"?", b"!")):
        return []
    from samizdat.assets.xml_files import HINT, xml_findings

    html_like = start.startswith((b"<!doctype html", b"<html")) or b"<script" in head.lower()
    if not html_like:
        try:
            return xml_findings(path.read_bytes(), path)
        except ContentError:
            pass  # not XML: a browser given it as HTML would read it as a page
    return [finding("unsafe-markup", f"{path.name} is a web page under another name than .html: a server may send "
                    "it as one, and it is not checked as pages are", SourceLocation(path), HINT)]


def _cleaned_svg(path: Path, book: ProductBook | None) -> CleanedSvg:
    """The drawing cleaned, or as it was cleaned before when its bytes are the same (the theme's icon, on
    every build): lxml is then not even loaded."""
    if book is None:
        return _clean_svg(path)
    key = f"{SVG_RESULT}{_svg_cleaner()}:{book.digest(path)}"
    found = book.find(key)
    if found is not None:
        value, files = found
        try:
            return CleanedSvg(files[value["file"]].read_bytes(), tuple(str(label) for label in value["removed"]))
        except (OSError, KeyError, TypeError):
            pass  # a result of another shape, or its file gone since: cleaned again
    svg = _clean_svg(path)
    made = book.folder.staging(".svg")
    made.write_bytes(svg.data)
    digest = book.folder.put(made)
    book.keep(key, {"file": digest, "removed": list(svg.removed)}, [digest])
    return svg


@functools.cache
def _svg_cleaner() -> str:
    """What cleans a drawing, beside samizdat's own code (which the build store is keyed by): the lxml
    installed, whose serialiser writes the bytes. Its version is read from the package alone, which loads
    nothing of its parser; a drawing cleaned by another lxml is cleaned again, as a cold build would."""
    import lxml

    return f"lxml {lxml.__version__}"


def _clean_svg(path: Path) -> CleanedSvg:
    from samizdat.assets.svg import clean_svg_report  # lxml: loaded when a drawing is cleaned

    return clean_svg_report(path.read_bytes(), path)


def _text(path: Path) -> str:
    """A host file's text without the byte-order mark some editors save first: hosts skip it at the start
    of a file, but `_headers` and `.htaccess` are kept after the policy's lines, where it would be text."""
    return path.read_bytes().decode("utf-8", errors="replace").removeprefix("\ufeff")


def _html_text(path: Path) -> str:
    """The file as a browser will read it, or refused: one published as it is gets no charset from the
    theme, and a browser that guesses another encoding (UTF-16 by its mark, which is not UTF-8, or
    ISO-2022-JP by its escape codes) would see markup this check did not."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ContentError("the HTML file is not UTF-8 text", SourceLocation(path, data.count(b"\n", 0, exc.start) + 1),
                           hint="save it as UTF-8") from exc
    if "\x1b" in text:
        raise ContentError("the HTML file holds escape codes that make browsers read it in another encoding",
                           SourceLocation(path, text.count("\n", 0, text.find("\x1b")) + 1),
                           hint="save it as plain UTF-8 text")
    return text
