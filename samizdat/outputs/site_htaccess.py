"""A site's own `static/.htaccess` (Apache): kept after the generated policy, never loosening it.

Apache obeys every line of an `.htaccess`: `Header unset` drops the Content-Security-Policy, `AddHandler`
or `php_value` runs code on the server, `RewriteRule … [P]` proxies readers' requests (with their
addresses) to another host. So only a short list of harmless directives is kept: caching, types and
charsets, error pages and redirects within the site, headers `_headers` may also add. The rest is
refused at its line, as an unknown directive would otherwise break every page with a server error.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from samizdat.errors import SourceLocation
from samizdat.findings import Finding, finding
from samizdat.outputs.site_headers import ALLOWED_HEADERS, CODE

HINT = ("remove the line: samizdat writes the security headers into .htaccess from the site's policy, and a "
        "site's .htaccess may only hold ErrorDocument or Redirect to the site's own paths, Expires*, AddType, "
        "AddCharset, AddDefaultCharset utf-8, DirectoryIndex, Options -…, <IfModule>/<Files>/<FilesMatch> and "
        f"Header set|append|merge|add of {', '.join(sorted(ALLOWED_HEADERS))}")
WRAPPERS = ("ifmodule", "files", "filesmatch")  # they only choose where the lines inside apply
# Types that make Apache run a file (PHP, CGI, server-side includes) or a browser run it as a page or script.
_RUNNABLE_TYPE = re.compile(r"php|cgi|httpd|server-parsed|html|xml|script|svg", re.IGNORECASE)
_PAGE_NAME = re.compile(r"[\w.-]+\.html?", re.IGNORECASE)
_HEADER_ACTIONS = ("set", "append", "merge", "add")


def check_site_htaccess(text: str, source: Path) -> list[Finding]:
    """Every line that is not a harmless directive, and sections left open or closed twice."""
    found, open_sections = [], []
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        problem = _line_problem(stripped, open_sections)
        if problem:
            found.append(finding(CODE, f".htaccess {problem}: {stripped[:80]!r}", SourceLocation(source, number), HINT))
    if open_sections:
        found.append(finding(CODE, f".htaccess leaves <{open_sections[-1]}> open (Apache would fail on every page)",
                             SourceLocation(source, len(text.splitlines())), HINT))
    return found


def _line_problem(line: str, open_sections: list[str]) -> str | None:
    """Why one line may not be kept, or None; `open_sections` follows the <IfModule> nesting."""
    if not line or line.startswith("#"):
        return None
    if line.endswith("\\"):
        return "continues a directive on the next line, which is not checked"
    if line.startswith("</"):
        name = line[2:].rstrip(">").strip().lower()
        if not open_sections or open_sections.pop() != name:
            return "closes a section it did not open"
        return None
    if line.startswith("<"):
        name = line[1:].split(None, 1)[0].rstrip(">").lower() if line[1:].strip() else ""
        if name not in WRAPPERS or not line.endswith(">"):
            return "opens a section samizdat does not keep"
        open_sections.append(name)
        return None
    try:
        words = shlex.split(line, comments=False, posix=True)
    except ValueError:
        return "has an unclosed quote"
    return _directive_problem(words[0].lower(), words[1:])


def _directive_problem(name: str, args: list[str]) -> str | None:
    if name in ("expiresactive", "expiresbytype", "expiresdefault"):
        return None
    if name == "addcharset":
        return None if args and args[0].lower() == "utf-8" else "sets a charset other than UTF-8"
    if name == "adddefaultcharset":
        return None if len(args) == 1 and args[0].lower() in ("utf-8", "off") else "sets a charset other than UTF-8"
    if name == "addtype":
        return None if args and not _RUNNABLE_TYPE.search(args[0]) else "gives files a type a server or browser runs"
    if name == "directoryindex":
        return None if args and all(_PAGE_NAME.fullmatch(a) or a == "disabled" for a in args) else (
            "names an index that is not an HTML page")
    if name == "options":
        return None if args and all(a.startswith("-") for a in args) else "turns a server option on"
    if name in ("errordocument", "redirect", "redirectpermanent", "redirecttemp", "redirectmatch"):
        return None if args and _local(args[-1]) else "sends readers somewhere other than the site's own pages"
    if name == "header":
        return _header_problem(args)
    return f"uses the directive {name!r}, which could loosen the policy or run code on the server"


def _header_problem(args: list[str]) -> str | None:
    """`Header [always|onsuccess] set|append|merge|add Name value [condition]` of an allowed header only."""
    if args and args[0].lower() in ("always", "onsuccess"):
        args = args[1:]
    if len(args) < 2 or args[0].lower() not in _HEADER_ACTIONS:
        return "removes, edits or echoes a header"
    if args[1].lower() not in ALLOWED_HEADERS:
        return f"sets {args[1]!r}, which could loosen or replace the site's security headers"
    return None


def _local(target: str) -> bool:
    """A path of the site ("/en/404.html"); a `Redirect gone /old` ends with its own path too."""
    return target.startswith("/") and not target.startswith("//") and "\\" not in target


def site_block(text: str) -> bytes:
    """The site's lines, after the policy's, under a comment saying where they came from."""
    body = text if text.endswith("\n") else text + "\n"
    return ("\n# The site's own static/.htaccess (only directives that cannot loosen the policy above):\n"
            + body).encode()
