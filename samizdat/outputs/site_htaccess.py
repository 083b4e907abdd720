"""A site's own `static/.htaccess` (Apache): kept after the generated policy, never loosening it.

Apache obeys every line of an `.htaccess`: `Header unset` drops the Content-Security-Policy, `AddHandler`
or `php_value` runs code on the server, `RewriteRule … [P]` proxies readers' requests (with their
addresses) to another host. So only a short list of harmless directives is kept: caching, types and
charsets, error pages and redirects within the site, headers `_headers` may also add. The rest is
refused at its line, as an unknown directive would otherwise break every page with a server error.

Values are read as Apache reads them, not only by their first character: an ErrorDocument value with a
space, or in quotes, is a message Apache sends as the error page itself (so `"/ <meta http-equiv=refresh
…>"` sends every reader of a missing page away), and `%{…}` or `expr=` in a value is filled in by the
server from the request or its own files.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from samizdat.errors import SourceLocation
from samizdat.findings import Finding, finding
from samizdat.outputs.host_files import host_lines, is_comment, odd_line
from samizdat.outputs.site_headers import ALLOWED_HEADERS, CODE, short_hsts

HINT = ("remove the line: samizdat writes the security headers into .htaccess from the site's policy, and a "
        "site's .htaccess may only hold ErrorDocument or Redirect to one of the site's own paths written bare "
        "(ErrorDocument 404 /en/404.html), Expires*, AddType, AddCharset, AddDefaultCharset utf-8, DirectoryIndex, "
        "Options -…, <IfModule>/<Files>/<FilesMatch> and Header set|append|merge|add of "
        f"{', '.join(sorted(ALLOWED_HEADERS))} with a value as written (no %{{…}} or expr=)")
WRAPPERS = ("ifmodule", "files", "filesmatch")  # they only choose where the lines inside apply
# Types that make Apache run a file (PHP, CGI, server-side includes) or a browser run it as a page or script.
_RUNNABLE_TYPE = re.compile(r"php|cgi|httpd|server-parsed|html|xml|script|svg", re.IGNORECASE)
_PAGE_NAME = re.compile(r"[\w.-]+\.html?", re.IGNORECASE)
_HEADER_ACTIONS = ("set", "append", "merge", "add")
_REDIRECTS = ("redirect", "redirectpermanent", "redirecttemp", "redirectmatch")
# A path of the site, one word as Apache reads it: no space or quote (an ErrorDocument value with either is a
# message, sent as the page), no backslash and no second "/" at the start (browsers read "/\host" and "//host"
# as another site), no "{" (Apache 2.4 fills in "%{…}" from the request, or from a file with %{file:…}); "%"
# only as an escape ("%20"). "$" stays for RedirectMatch's "$1".
_LOCAL_PATH = re.compile(r"/(?![/\\])(?:[\w.~!$&()*+,;=:@/?#-]|%[0-9A-Fa-f]{2})*")
_STATUS = re.compile(r"[0-9]{3}")
_ELSEWHERE = "sends readers somewhere other than the site's own pages"


def check_site_htaccess(text: str, source: Path) -> list[Finding]:
    """Every line that is not a harmless directive, and sections left open or closed twice."""
    found, open_sections, last = [], [], 0
    for number, line in host_lines(text):
        problem = _line_problem(line, open_sections)
        if problem:
            found.append(finding(CODE, f".htaccess {problem}: {line.strip()[:80]!r}", SourceLocation(source, number),
                                 HINT))
        last = number if line.strip() else last
    if open_sections:
        found.append(finding(CODE, f".htaccess leaves <{open_sections[-1]}> open (Apache would fail on every page)",
                             SourceLocation(source, last), HINT))
    return found


def _line_problem(line: str, open_sections: list[str]) -> str | None:
    """Why one line may not be kept, or None; `open_sections` follows the <IfModule> nesting."""
    if is_comment(line):
        return None
    if odd := odd_line(line, "Apache"):
        return odd
    line = line.strip()
    if not line:
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
    name = words[0].lower()
    if name == "errordocument" or name in _REDIRECTS:
        return _target_problem(name, line.split()[1:])  # read as written: whether a quote is there matters
    return _directive_problem(name, words[1:])


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
    if any("%{" in arg or arg.lower().startswith("expr=") for arg in args[2:]):
        return ("fills a header in from the request or the server (%{…}, expr=), which can read the server's "
                "files (%{file:…}) or echo what readers send")
    return short_hsts(args[1], " ".join(args[2:]))


def _target_problem(name: str, written: list[str]) -> str | None:
    """Redirect… and ErrorDocument end with a path of the site (`Redirect gone /old` with its own path)."""
    if name in _REDIRECTS:
        return None if written and _LOCAL_PATH.fullmatch(written[-1]) else _ELSEWHERE
    return _error_document_problem(written)


def _error_document_problem(written: list[str]) -> str | None:
    """`ErrorDocument 404 /en/404.html`: a status and one path. Apache takes a value with a space (quoted, so
    one value to it) or one that stays in quotes for a message, and sends it as the error page itself, as
    text/html: a `<meta http-equiv=refresh>` there sends every reader of a missing page to another site."""
    if len(written) != 2 or written[1][:1] in ("'", '"'):
        return ("gives a message as the error page, which Apache sends as the page itself (text in quotes or "
                "with a space is not a path)")
    if not _STATUS.fullmatch(written[0]):
        return "names no HTTP status (Apache would fail on every page)"
    return None if _LOCAL_PATH.fullmatch(written[1]) else _ELSEWHERE


def site_block(text: str) -> bytes:
    """The site's lines, after the policy's, under a comment saying where they came from."""
    body = text if text.endswith("\n") else text + "\n"
    return ("\n# The site's own static/.htaccess (only directives that cannot loosen the policy above):\n"
            + body).encode()
