"""What markup a published page may carry: no code and no way off the site, except the theme's own scripts.

Pages come from files a stranger may have written (Markdown, raw HTML in it, front matter, data, a
site's own templates, HTML among assets). The rules are checked on the parsed document with lexbor, an
HTML5 parser that builds the same tree a browser does, so markup written to slip past a checker
(entities, odd quoting, upper case, tabs inside `javascript:`) is read here as the browser would read it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from samizdat.outputs.data_urls import carried_file, css_text, may_carry
from samizdat.outputs.security import missing_rel

# Elements that run code, load a document of their own, or change where the page's links lead.
FORBIDDEN_ELEMENTS: dict[str, str] = {
    "base": "changes where every link of the page leads",
    "object": "embeds a plug-in or another document",
    "embed": "embeds a plug-in or another document",
    "applet": "embeds a Java applet",
    "frame": "embeds another document",
    "frameset": "embeds other documents",
    "portal": "embeds another document",
    "template": "holds markup a script can bring to life",
    "noscript": "is read differently by a browser with scripts on, which hides markup from this check",
}
# <meta http-equiv> values a page may carry: the theme's policy, its onion address, the language.
ALLOWED_HTTP_EQUIV = {"content-security-policy", "content-language", "onion-location"}
# <link rel=…> values that make the browser contact the linked host as soon as the page opens; DNS
# prefetching is not even covered by the Content-Security-Policy.
CONNECTING_RELS = {"dns-prefetch", "preconnect", "prefetch", "prerender", "preload", "modulepreload"}
# Attributes that hold a URL a browser follows, loads or submits to.
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "cite",
                  "codebase", "longdesc", "lowsrc", "dynsrc", "manifest", "icon", "srcset", "imagesrcset"}
# SVG animation attributes that can set another attribute (such as href) to a URL.
ANIMATION_VALUES = ("to", "from", "values", "by")
# Every attribute attribute_violations() may refuse, besides the on… handlers: it is asked of no other
# (most are class, id, lang…), so a rule for another attribute must name it here.
CHECKED_ATTRIBUTES = frozenset({*URL_ATTRIBUTES, *ANIMATION_VALUES, "srcdoc", "ping"})
CODE_SCHEMES = ("javascript", "vbscript", "livescript")
# data: URLs that a browser renders as a document (which may hold scripts) rather than as a picture.
DOCUMENT_DATA_TYPES = ("text/html", "application/xhtml+xml", "image/svg+xml", "text/xml", "application/xml",
                       "text/javascript", "application/javascript", "text/xsl")
# <script type=…> values that are data for the page, never run.
DATA_SCRIPT_TYPES = {"application/ld+json", "application/json"}
_TAB_NEWLINE = str.maketrans("", "", "\t\n\r")
_C0_AND_SPACE = "".join(chr(code) for code in range(0x21))
SCRIPT_HINT = ("remove the script; a script from a page's content would run for every reader. If this page "
               "truly needs it, list the file in [security] allow_scripts in samizdat.toml (see docs/security.md)")
REMOVE_HINT = "remove it: content may not run code or send readers elsewhere without a click"
CARRIED_HINT = ("save the file in assets/ and show or link it from there, e.g. ![what it shows](/assets/name.jpg): "
                "samizdat removes the metadata of the files it publishes")


@dataclass(frozen=True)
class Violation:
    rule: str  # short name of the broken rule, e.g. "script", "event-handler"
    message: str
    needles: tuple[str, ...]  # how the markup may be written in its source, to find its line
    hint: str = REMOVE_HINT


@dataclass(frozen=True)
class PageScan:
    violations: tuple[Violation, ...]
    scripts: tuple[str, ...]  # bodies of the inline scripts that may run (trusted, or on an allowed page)
    links_to_harden: bool = False  # a link leaves the site without rel="noopener noreferrer"
    links: tuple[str, ...] = ()  # the href of every <a> and <area>, in order (to find them in the text)


def scan_page(tree: LexborHTMLParser, trusted: frozenset[str], own_scripts: bool, origin: str) -> PageScan:
    """trusted: the bodies of the theme's scripts; own_scripts: whether this page may carry scripts of its
    own (listed in [security] allow_scripts); origin: scheme://host of the site, for forms."""
    violations: list[Violation] = []
    scripts: list[str] = []
    harden = False
    links: list[str] = []
    for node in elements(tree):  # one walk for every rule: a CSS selector per rule costs ten times more
        tag = node.tag
        attrs = node.attributes
        if tag == "script":
            body = _script(node, trusted, own_scripts, violations)
            if body is not None:
                scripts.append(body)
        if tag in ("style", "script"):  # CSS, and data blocks (JSON-LD) published in the page
            violations += carried_violations(f"<{tag}>", node.text(deep=True))
        if attrs or tag in FORBIDDEN_ELEMENTS:  # most elements: nothing to look at
            violations += element_violations(node, tag or "", attrs, origin)  # a trusted script's handlers too
        if tag in ("a", "area"):
            links.append(attrs.get("href") or "")
            harden = harden or missing_rel(links[-1], attrs.get("rel") or "", origin)
    return PageScan(tuple(violations), tuple(scripts), harden, tuple(links))


def elements(tree: LexborHTMLParser) -> Iterator[LexborNode]:
    root = tree.root
    return root.traverse(include_text=False) if root is not None else iter(())


def _script(node: LexborNode, trusted: frozenset[str], own: bool, found: list[Violation]) -> str | None:
    """The body of a script that may run, or None (a data block, or refused: added to `found`)."""
    attrs = {name.lower(): value or "" for name, value in node.attributes.items()}
    source = next((attrs[name] for name in ("src", "href", "xlink:href") if name in attrs), None)  # SVG: href
    kind = attrs.get("type", "").strip().lower()
    if kind in DATA_SCRIPT_TYPES and source is None:
        return None
    if source is not None:
        found.append(Violation("script", f"<script src={source!r}> loads code into the page",
                               (source, "<script"), SCRIPT_HINT))
        return None
    body = node.text(deep=True)
    if body.strip() in trusted or (own and body.strip()):
        return body
    if body.strip():
        found.append(Violation("script", "<script> would run code from the page's content",
                               (*_first_line(body), "<script"), SCRIPT_HINT))
    return None


def element_violations(node: LexborNode, tag: str, raw: dict[str, str | None], origin: str) -> list[Violation]:
    """Every rule one element breaks, apart from <script> (whose verdict depends on the page).
    raw: its attributes as lexbor gives them."""
    attrs = {name.lower(): value or "" for name, value in raw.items()}
    found = []
    if tag in FORBIDDEN_ELEMENTS:
        found.append(Violation(tag, f"<{tag}> {FORBIDDEN_ELEMENTS[tag]}", (f"<{tag}",)))
    if tag in ("meta", "link"):
        found += _head_violations(tag, attrs, origin)
    if tag == "meta" and attrs.get("http-equiv", "").strip().lower() == "onion-location" and not _in_head(node):
        found.append(Violation("onion-location", '<meta http-equiv="onion-location"> in the page\'s text would '
                               "offer Tor Browser's readers another onion address than the site's own",
                               ("onion-location",), "remove it: the theme gives every page the site's own onion "
                               "address, from publish.onion in samizdat.toml"))
    for name, value in attrs.items():
        if name in CHECKED_ATTRIBUTES or name.startswith("on"):
            found += attribute_violations(tag, name, value, origin)
        if may_carry(value):  # any attribute: a style, an SVG fill, a link, a picture's source
            found += carried_violations(f"<{tag} {name}=…>", value)
    return found


def carried_violations(where: str, text: str) -> list[Violation]:
    """A photo (or any file samizdat cleans) carried in the text as a data: URL (data_urls.py)."""
    carried = carried_file(css_text(text))
    if carried is None:
        return []
    kind, written = carried
    return [Violation("data-file", f"{where} carries a file inside the page as a data: URL ({kind}), where its "
                      "metadata (a photo's GPS position, camera and time) cannot be removed",
                      (written[:40], written[:20], "data:"), CARRIED_HINT)]


def _in_head(node: LexborNode) -> bool:
    """Whether the element is in the page's <head>, where only the layout writes (a page's text is in <body>)."""
    parent = node.parent
    while parent is not None and parent.tag not in ("head", "body"):
        parent = parent.parent
    return parent is not None and parent.tag == "head"


def _head_violations(tag: str, attrs: dict[str, str], origin: str) -> list[Violation]:
    """<meta> and <link> that change the page's rules or reach another host before any click."""
    if tag == "meta" and "http-equiv" in attrs and attrs["http-equiv"].strip().lower() not in ALLOWED_HTTP_EQUIV:
        return [Violation("http-equiv", f'<meta http-equiv="{attrs["http-equiv"]}"> changes how the browser '
                          "treats the page (a refresh sends readers to another address)",
                          ("http-equiv", attrs["http-equiv"]))]
    if tag == "meta" and attrs.get("name", "").strip().lower() == "referrer" and (
            attrs.get("content", "").strip().lower() != "no-referrer"):
        return [Violation("referrer", f'<meta name="referrer" content="{attrs.get("content", "")}"> tells other '
                          "sites which page a reader came from", ('name="referrer"', "referrer"))]
    if tag == "meta" and attrs.get("charset", "utf-8").strip().lower() not in ("utf-8", "utf8"):
        return [Violation("charset", f'<meta charset="{attrs["charset"]}"> makes the browser read the page again '
                          "in another encoding, in which hidden markup can appear", ("charset",))]
    rels = set(attrs.get("rel", "").lower().split())
    if tag == "link" and rels & CONNECTING_RELS and _leaves(attrs.get("href", ""), origin):
        return [Violation("link", f'<link rel="{attrs["rel"]}"> makes the reader\'s browser contact '
                          f"{_short(attrs.get('href', ''))} as the page opens", (_short(attrs.get("href", ""), 40),))]
    return []


def attribute_violations(tag: str, name: str, value: str, origin: str) -> list[Violation]:
    if name.startswith("on"):
        return [Violation("event-handler", f"<{tag} {name}=…> runs code when the reader acts on the page",
                          (*_telling(value), f"{name}=", name))]
    if name == "srcdoc":
        return [Violation("srcdoc", f"<{tag} srcdoc=…> embeds a whole document, scripts included", ("srcdoc",))]
    if name == "ping":
        return [Violation("ping", f"<{tag} ping=…> tells another address who followed the link", ("ping",))]
    if name in URL_ATTRIBUTES or (name in ANIMATION_VALUES and tag in ("set", "animate")):
        urls = [part.split()[0] for part in value.split(",") if part.strip()] if "srcset" in name else [value]
        for url in urls:
            reason = unsafe_url(url)
            if reason:
                return [Violation("script-url", f"<{tag} {name}=\"{_short(url)}\"> {reason}",
                                  (_short(url, 40), f"{name}="))]
        if name in ("action", "formaction") and _leaves(value, origin):
            return [Violation("form", f"<{tag} {name}=\"{_short(value)}\"> sends what readers type to another "
                              "site", (_short(value, 40), f"{name}="))]
    return []


def unsafe_url(url: str) -> str | None:
    """Why a URL must not be followed from a page, or None. Browsers drop tabs and newlines anywhere in a
    URL and spaces and control characters around it, so `java\\tscript:` is javascript: too."""
    if ":" not in url:
        return None  # a relative URL, the usual case: no scheme at all
    cleaned = url.translate(_TAB_NEWLINE).strip(_C0_AND_SPACE)
    scheme, colon, rest = cleaned.partition(":")
    if not colon or not scheme.replace("+", "").replace("-", "").replace(".", "").isalnum():
        return None
    scheme = scheme.lower()
    if scheme in CODE_SCHEMES:
        return "runs code when followed"
    if scheme == "data":
        media = rest.split(",", 1)[0].split(";", 1)[0].strip().lower()
        if media in DOCUMENT_DATA_TYPES or not media.startswith("image/"):
            return "opens a document made of the link itself, which may hold scripts"
    return None


def _leaves(url: str, origin: str) -> bool:
    parts = urlsplit(url.strip())
    if not parts.scheme and not parts.netloc:
        return False
    return f"{parts.scheme or 'https'}://{parts.netloc}".lower() != origin.lower()


def _telling(value: str) -> tuple[str, ...]:
    """A value long enough to find its own source line (`steal()`, not `1`)."""
    value = _short(value, 40)
    return (value,) if len(value) >= 4 else ()


def _short(text: str, limit: int = 60) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[:limit] + "…"


def _first_line(body: str) -> tuple[str, ...]:
    line = next((part.strip() for part in body.splitlines() if part.strip()), "")
    return (line[:40],) if line else ()


NESTING_RULE = "nesting"
NESTING_HINT = "close the elements the page opens, and quote within a quote a few levels deep at most"


def nesting_violation(reason: str) -> Violation:
    """A page nested deeper than browsers show (samizdat/nesting.py), refused before it is parsed."""
    return Violation(NESTING_RULE, f"the page cannot be published: {reason}", (), NESTING_HINT)
