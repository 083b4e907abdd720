"""Hostile paths: a site from a stranger cannot write outside its output, publish a file from outside the
site, hide a page behind a generated file, or make two addresses that one disk takes for the same file.

Each case is a site made to break one of these promises; the build must refuse it with one error naming
the file (and the `permalink:` line), and change nothing outside the output folder.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image

from samizdat.build.output_paths import MARKER
from samizdat.cli import main
from samizdat.content.urls import MAX_NAME_BYTES, UnsafePath, confine, permalink_output
from samizdat.theme import THEMES_DIR
from tests import hostile
from tests.conftest import MINIMAL_CONFIG, tree_digest
from tests.hostile import SECRET, Outcome, Sandbox, assert_refused

sandbox = hostile.sandbox  # the fixture; a plain name, so that parameters named after it are not redefinitions

EVIL = "content/en/evil.md"
PERMALINK_LINE = 3  # the line of `permalink:` in page() below
MEETING = "2026-03-01-rally"
MEETING_FILES = {
    f"meetings/{MEETING}.yaml": "start: 2026-03-01 15:00\nplace:\n  name: Square\n",
    f"content/ru/meetings/{MEETING}.md": "---\ntitle: Митинг\n---\nПриходите.\n",
}
LONG_MEETING = "m" * (MAX_NAME_BYTES - 3)  # "<name>.md" is just short enough, "<name>.ics" is not
KOREAN_NEWS = "소식"  # "news"; its NFD spelling has six code points instead of two
NFD_NEWS = unicodedata.normalize("NFD", KOREAN_NEWS)


def page(permalink: str, title: str = "Evil") -> str:
    return f"---\ntitle: {title}\npermalink: {permalink}\n---\nText.\n"


@dataclass(frozen=True)
class Case:
    files: dict[str, str]  # written into the site (beside the minimal pages)
    refused: str  # the file the error names
    line: int | None = None
    also: str | None = None  # the other file a clash's error must name too
    links: Callable[[Sandbox], dict[str, Path]] | None = None  # site path → target of a symbolic link
    words: str = ""  # words the message must hold
    config: str = MINIMAL_CONFIG  # samizdat.toml ({outside} is the volunteer's own folder)


def permalink_case(value: str, words: str = "", extra: dict[str, str] | None = None) -> Case:
    return Case({EVIL: page(value), **(extra or {})}, EVIL, PERMALINK_LINE, words=words)


def link_to_secret(name: str) -> Callable[[Sandbox], dict[str, Path]]:
    return lambda box: {name: box.outside / "secret.txt"}


def link_to_valid(name: str, text: str) -> Callable[[Sandbox], dict[str, Path]]:
    """A link to a file outside that would be read without complaint: only the link itself can be refused."""
    def links(box: Sandbox) -> dict[str, Path]:
        target = box.outside / f"valid-{Path(name).name}"
        target.write_text(text.replace("{secret}", SECRET), encoding="utf-8")
        return {name: target}
    return links


def theme_outside(box: Sandbox) -> dict[str, Path]:
    """A full theme among the volunteer's own files, with a secret in its static/ folder; no link at all."""
    shutil.copytree(THEMES_DIR / "default", box.outside / "theme")
    (box.outside / "theme" / "static" / "leak.txt").write_text(SECRET, encoding="utf-8")
    return {}


def picture_outside(box: Sandbox) -> dict[str, Path]:
    Image.new("RGB", (7, 3)).save(box.outside / "photo.png")
    return {}


def link_case(name: str, links: Callable[[Sandbox], dict[str, Path]], words: str = "symbolic link") -> Case:
    return Case({}, name, links=links, words=words)


HOSTILE: dict[str, Case] = {
    # 1. Confinement: every spelling of "outside" is one error at the permalink's line.
    "leading //, the secret's absolute path": permalink_case("/{outside}/secret.txt", "single /"),
    "leading // to a folder": permalink_case("/{outside}/pages/", "single /"),
    "dot-dot": permalink_case("/../../home/secret.txt", "'..'"),
    "dot-dot encoded %2e%2e": permalink_case("/%2e%2e/%2e%2e/home/x/", "'..'"),
    "dot-dot mixed %2E.": permalink_case("/%2E./.%2e/x/", "'..'"),
    "encoded slash %2F": permalink_case("/a%2F..%2F..%2Fhome/", "%2F"),
    "backslashes": permalink_case("/a\\..\\..\\home\\x", "backslash"),
    "encoded backslash %5c": permalink_case("/a%5c..%5cx/", "%5C"),
    "drive letter": permalink_case("/C:/Users/x/", "drive letter"),
    "windows path": permalink_case("C:\\Users\\x", "single /"),
    "NUL": permalink_case('"/a\\0b/"', "U+0000"),
    "NUL encoded": permalink_case("/a%00b/", "U+0000"),
    "newline": permalink_case('"/a\\nb/"', "U+000A"),
    "right-to-left override": permalink_case('"/txt.\\u202eexe/"', "U+202E"),
    "name over 255 bytes": permalink_case("/" + "a" * 256 + "/", "256 bytes"),
    "Korean name over 255 bytes of UTF-8": permalink_case("/" + "가" * 90 + "/", "270 bytes"),
    "empty name": permalink_case("/en//x/", "empty name"),
    "double encoding": permalink_case("/%252e%252e/x/", "% sign"),
    "not UTF-8 when decoded": permalink_case("/%ff%fe/", "not UTF-8"),
    "the writer's own manifest": permalink_case("/.samizdat-output", "hidden name"),
    "translation key that climbs out": Case(
        {EVIL: "---\ntitle: x\ntranslation_key: meetings/../../x\n---\nText.\n"}, EVIL, 3, words="'..'"),
    "file name with a newline": Case({"content/en/a\nb.md": "---\ntitle: x\n---\n"}, "content/en/a\\nb.md",
                                     words="U+000A"),
    "file name with a terminal escape": Case({"assets/\x1b[2Jx.txt": "x"}, "assets/\\x1b[2Jx.txt", words="U+001B"),
    "asset named like a drive": Case({"assets/C:evil.txt": "x"}, "assets/C:evil.txt", words="drive letter"),
    "a meeting named too long for its calendar file": Case({
        f"meetings/{LONG_MEETING}.yaml": MEETING_FILES[f"meetings/{MEETING}.yaml"],
        f"content/ru/meetings/{LONG_MEETING}.md": "---\ntitle: x\n---\n"},
        f"content/ru/meetings/{LONG_MEETING}.md", words=f"{MAX_NAME_BYTES + 1} bytes"),
    "a theme named by a path out of the themes": Case(
        {}, "samizdat.toml", links=theme_outside, words="does not exist",
        config=MINIMAL_CONFIG + '\n[theme]\nname = "../../../../../../../../..{outside}/theme"\n'),
    "a template measuring a picture outside": Case(
        {"templates/default.html": "<p>{{ image_size('../home/photo.png') }}</p>\n"}, "home/photo.png",
        links=picture_outside, words="is not a file of the site"),
    # 2. Clashes with what the build writes itself, with a static file, and between near-twins.
    "the sitemap": permalink_case("/sitemap.xml", "the build's own sitemap.xml"),
    "robots.txt": permalink_case("/robots.txt", "the build's own robots.txt"),
    "the home feed": permalink_case("/feed.xml", "the build's own feed.xml"),
    "an English feed": permalink_case("/en/feed.xml", "the build's own en/feed.xml"),
    "a calendar": permalink_case("/kr/meetings.ics", "the build's own kr/meetings.ics", MEETING_FILES),
    "a meeting's own calendar": permalink_case(f"/meetings/{MEETING}/{MEETING}.ics", f"{MEETING}.ics",
                                               MEETING_FILES),
    "the nginx headers": permalink_case("/samizdat-headers.conf", "samizdat-headers.conf"),
    "the Apache headers": permalink_case("/.htaccess", "hidden name"),
    "the Apache headers in capitals": permalink_case("/.HTACCESS", "hidden name"),
    "an .htaccess for /assets/ only": Case({"assets/.htaccess": "ExpiresActive On\n"}, "assets/.htaccess",
                                           words="only static/.htaccess"),
    "an .htaccess among the pages": Case({"content/en/docs/.htaccess": "Header unset Content-Security-Policy\n"},
                                         "content/en/docs/.htaccess", words="only static/.htaccess"),
    "an .htaccess in a folder of static/": Case({"static/docs/.htaccess": "Header unset Content-Security-Policy\n"},
                                                "static/docs/.htaccess", words="only static/.htaccess"),
    "the theme's generated style": permalink_case("/theme/vars.css", "the build's own theme/vars.css"),
    "the sitemap in capitals": permalink_case("/Sitemap.xml", "upper and lower case"),
    "a compressed copy": permalink_case("/en/feed.xml.gz", "compressed copy"),
    "a folder where robots.txt is a file": permalink_case("/robots.txt/", "needs a folder"),
    "a static file": Case({"static/notes.txt": "x", EVIL: page("/notes.txt")}, "static/notes.txt",
                          also=EVIL),
    "About.md beside about.md": Case({"content/en/about.md": "---\ntitle: a\n---\nText.\n",
                                      "content/en/About.md": "---\ntitle: A\n---\nText.\n"},
                                     "content/en/about.md", also="content/en/About.md", words="upper and lower case"),
    "NFC and NFD spellings of one Korean name": Case(
        {f"content/ko/{KOREAN_NEWS}.md": "---\ntitle: 소식\n---\n가.\n",
         f"content/ko/{NFD_NEWS}.md": "---\ntitle: 소식\n---\n나.\n"},
        f"content/ko/{KOREAN_NEWS}.md", also=f"content/ko/{NFD_NEWS}.md",
        words=f"two pages would write the same URL /kr/{KOREAN_NEWS}/"),
    "two assets differing in case": Case({"assets/Logo.txt": "a", "assets/logo.txt": "b"}, "assets/logo.txt",
                                         also="assets/Logo.txt", words="upper and lower case"),
    "static/assets/ beside assets/": Case({"static/assets/x.txt": "a", "assets/x.txt": "b"}, "assets/x.txt",
                                          also="static/assets/x.txt", words="two files would be published"),
    # 3. Links out of the site (and any link at all, see samizdat/site_files.py).
    "asset linked to the secret": link_case("assets/leak.txt", link_to_secret("assets/leak.txt"),
                                            "outside the site folder"),
    "page linked to a file outside": link_case("content/en/leak.md", lambda box: {
        "content/en/leak.md": box.outside / "notes.md"}, "outside the site folder"),
    "content file linked to the secret": link_case("content/en/leak.txt", link_to_secret("content/en/leak.txt")),
    "static file linked to the secret": link_case("static/leak.txt", link_to_secret("static/leak.txt")),
    "data file linked outside": link_case("data/leak.yaml", link_to_valid("data/leak.yaml", "- {secret}\n")),
    "meeting file linked outside": link_case("meetings/leak.yaml", link_to_valid(
        "meetings/leak.yaml", "start: 2026-03-01\nplace:\n  name: {secret}\n")),
    "strings file linked outside": link_case("strings/en.yaml", link_to_valid("strings/en.yaml", "x: {secret}\n")),
    "template linked outside": link_case("templates/default.html", link_to_valid(
        "templates/default.html", "<p>{secret} {{ page.title }}</p>\n")),
    "templates folder linked outside": link_case("templates", lambda box: {"templates": box.outside}),
    "assets folder linked outside": link_case("assets", lambda box: {"assets": box.outside}),
    "samizdat.toml linked outside": link_case("samizdat.toml", link_to_valid("samizdat.toml", MINIMAL_CONFIG)),
    "a folder that loops": Case({"assets/a.txt": "a"}, "assets/loop", links=lambda box: {
        "assets/loop": box.site / "assets"}, words="symbolic link"),
    "a link that stays inside": Case({"static/x.txt": "x"}, "assets/x.txt", links=lambda box: {
        "assets/x.txt": box.site / "static" / "x.txt"}, words="symbolic link"),
}


def _write(box: Sandbox, case: Case) -> None:
    files = {rel: text.replace("{outside}", str(box.outside)) for rel, text in case.files.items()}
    box.write(files, config=case.config.replace("{outside}", str(box.outside)))
    for rel, target in (case.links(box) if case.links else {}).items():
        link = box.site / rel
        link.parent.mkdir(parents=True, exist_ok=True)
        if link.exists():
            link.unlink()
        link.symlink_to(target, target_is_directory=target.is_dir())


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_site_is_refused(name: str, sandbox: Sandbox, capsys: pytest.CaptureFixture[str]) -> None:
    case = HOSTILE[name]
    _write(sandbox, case)
    outcome = sandbox.build(capsys)
    assert_refused(outcome, case.refused, case.line)
    if case.also:
        assert case.also in outcome.err, outcome.err
    assert case.words in outcome.err
    assert outcome.err.count("error:") == 1, outcome.err
    assert "\x1b" not in outcome.err  # a hostile name cannot drive the terminal
    sandbox.assert_untouched()


def test_a_fifo_does_not_hang_the_build(sandbox: Sandbox) -> None:
    """Reading a named pipe waits for a writer forever. The sandbox's snapshot would read it too, so the
    build runs as its own process here, with a time limit."""
    sandbox.write({})
    (sandbox.site / "assets").mkdir()
    os.mkfifo(sandbox.site / "assets" / "pipe.txt")
    result = subprocess.run([sys.executable, "-m", "samizdat", "build", str(sandbox.site), "-o", str(sandbox.out)],
                            capture_output=True, text=True, timeout=60, check=False)
    assert_refused(Outcome(result.returncode, result.stdout, result.stderr), "assets/pipe.txt")
    assert not sandbox.out.exists()


@pytest.mark.parametrize("target", ["secret.txt", "pages/index.html"])
def test_an_absolute_permalink_neither_writes_there_nor_deletes_later(
        target: str, sandbox: Sandbox, capsys: pytest.CaptureFixture[str]) -> None:
    """The old attack: a build wrote `//home/…/secret.txt` over the file and recorded it in its manifest,
    and the next build, without that page, deleted the volunteer's file."""
    (sandbox.outside / "pages").mkdir()
    sandbox.write({})
    assert sandbox.build(capsys).code == 0  # a last good build, as a volunteer has
    sandbox.write({EVIL: page(f"/{sandbox.outside}/{target}")})
    assert_refused(sandbox.build(capsys), EVIL, PERMALINK_LINE)
    sandbox.assert_untouched()
    (sandbox.site / EVIL).unlink()
    assert sandbox.build(capsys).code == 0
    sandbox.assert_untouched()
    assert (sandbox.outside / "secret.txt").read_text(encoding="utf-8") == SECRET + "\n"


# Legitimate addresses still build, each to the file named here (below the output folder).
ALLOWED = {
    "/en/about-us/": "en/about-us/index.html",
    "/en/contacts": "en/contacts.html",
    "/en/letter.txt": "en/letter.txt",
    "/home/volunteer/notes/": "home/volunteer/notes/index.html",  # looks absolute, is a site address
    "/%D0%BE-%D0%BD%D0%B0%D1%81/": "о-нас/index.html",  # copied from a browser's address bar
    f"/kr/{NFD_NEWS}-2/": f"kr/{KOREAN_NEWS}-2/index.html",
    "/.well-known/page.html": ".well-known/page.html",
    "/404.html": "404.html",  # a site may write its own 404 page instead of the theme's
}


@pytest.mark.parametrize("permalink", sorted(ALLOWED))
def test_a_legitimate_permalink_builds(permalink: str, sandbox: Sandbox, capsys: pytest.CaptureFixture[str]) -> None:
    sandbox.write({EVIL: page(permalink, "Fine")})
    outcome = sandbox.build(capsys)
    assert outcome.code == 0, outcome.err
    assert "Fine" in (sandbox.out / ALLOWED[permalink]).read_text(encoding="utf-8")
    sandbox.assert_untouched()


def test_a_static_file_may_replace_a_generated_one(sandbox: Sandbox, capsys: pytest.CaptureFixture[str]) -> None:
    sandbox.write({"static/robots.txt": "User-agent: *\nDisallow: /\n"})
    assert sandbox.build(capsys).code == 0
    assert (sandbox.out / "robots.txt").read_text(encoding="utf-8") == "User-agent: *\nDisallow: /\n"


def test_an_nfd_file_name_builds_to_the_nfc_address_a_volunteer_types(
        sandbox: Sandbox, capsys: pytest.CaptureFixture[str]) -> None:
    """A Korean file name saved decomposed (as some Mac tools write it) is published under the composed
    name, which is what a volunteer types, and `samizdat check` finds the link to it."""
    sandbox.write({
        f"content/ko/{NFD_NEWS}.md": "---\ntitle: 소식\n---\n새 소식.\n",
        f"content/ko/{NFD_NEWS}/{NFD_NEWS}.txt": "첨부",
        "content/ko/index.md": f"---\ntitle: 홈\n---\n[소식](/kr/{KOREAN_NEWS}/) "
                               f"[첨부](/kr/{KOREAN_NEWS}/{KOREAN_NEWS}.txt)\n",
    })
    outcome = sandbox.build(capsys)
    assert outcome.code == 0, outcome.err
    published = {p.relative_to(sandbox.out).as_posix() for p in sandbox.output_files()}
    assert f"kr/{KOREAN_NEWS}/index.html" in published
    assert f"kr/{KOREAN_NEWS}/{KOREAN_NEWS}.txt" in published
    assert not any(NFD_NEWS in name for name in published)
    checked = sandbox.run(capsys, "check", sandbox.site)
    assert "broken-link" not in checked.out and "missing-file" not in checked.out, checked.out


def test_a_link_spelled_in_nfd_is_reported_with_the_reason(sandbox: Sandbox, capsys: pytest.CaptureFixture[str]):
    sandbox.write({
        f"content/ko/{KOREAN_NEWS}.md": "---\ntitle: 소식\n---\n새 소식.\n",
        "content/ko/index.md": f"---\ntitle: 홈\n---\n[소식](/kr/{NFD_NEWS}/)\n",
    })
    checked = sandbox.run(capsys, "check", sandbox.site)
    assert "broken-link" in checked.out and "NFD" in checked.out, checked.out


# The confinement itself, without a build: what any caller gets.
@pytest.mark.parametrize("rel", ["../x", "a/../../x", "/etc/passwd", "a//b", "a/./b", "C:/x", "a\\b", "a\x00b",
                                 "a\nb", ".samizdat-output", "x" * (MAX_NAME_BYTES + 1), "", "a/%2e%2e/b",
                                 "con.txt", "a./b", "\udcff"])
def test_confine_refuses(rel: str) -> None:
    with pytest.raises(UnsafePath):
        confine(rel)


def test_confine_gives_nfc_and_keeps_safe_paths() -> None:
    assert confine(f"kr/{NFD_NEWS}/index.html") == f"kr/{KOREAN_NEWS}/index.html"
    assert confine(".well-known/security.txt") == ".well-known/security.txt"
    assert permalink_output(f"/kr/{NFD_NEWS}/") == (f"/kr/{KOREAN_NEWS}/", f"kr/{KOREAN_NEWS}/index.html")
    assert permalink_output("/") == ("/", "index.html")


# A build in a process of its own that stops at the first open, following links, of a file it was given:
# the audit hook sees every open() and os.open(), with its flags.
_BUILD_NEVER_OPENING = """
import os, sys
watched = os.path.realpath(sys.argv.pop(1))

def never_opened(event, args):
    if event == "open" and isinstance(args[0], (str, bytes, os.PathLike)) and not (args[2] or 0) & os.O_NOFOLLOW:
        if os.path.realpath(args[0]) == watched:
            sys.stderr.write(f"opened {watched} through {os.fsdecode(args[0])}\\n")
            os._exit(99)

sys.addaudithook(never_opened)
from samizdat.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize("holder", ["the default output in the site", "the spare tree beside it"])
def test_a_linked_output_manifest_is_neither_followed_nor_taken_for_samizdat_s(sandbox: Sandbox, holder: str) -> None:
    """A site may bring its own `_site/.samizdat-output` (the output folder samizdat builds into by default),
    or the spare tree beside it, with the manifest a link to a file outside. samizdat did not write it:
    the build opens nothing through it, and an output that holds one is refused, named."""
    site = sandbox.write({})
    secret = sandbox.outside / "secret.txt"
    run = [sys.executable, "-c", _BUILD_NEVER_OPENING, str(secret), "build", str(site)]
    if holder == "the spare tree beside it":
        assert subprocess.run(run, capture_output=True, text=True, timeout=120).returncode == 0
        assert subprocess.run(run, capture_output=True, text=True, timeout=120).returncode == 0  # nothing to do
        manifest = site / "._site.spare" / "_site" / MARKER
        manifest.unlink()
        manifest.symlink_to(secret)
        built = subprocess.run(run, capture_output=True, text=True, timeout=120)
        assert built.returncode == 0, built.stderr
        assert "nothing changed" not in built.stdout  # no sign that the last publication finished
        assert not manifest.is_symlink()
        return
    (site / "_site").mkdir()
    (site / "_site" / MARKER).symlink_to(secret)
    built = subprocess.run(run, capture_output=True, text=True, timeout=120)
    assert_refused(Outcome(built.returncode, built.stdout, built.stderr), "_site")
    assert "did not write" in built.stderr
    assert (site / "_site" / MARKER).is_symlink() and secret.read_text(encoding="utf-8") == SECRET + "\n"


def test_a_parked_output_the_site_brings_as_a_link_is_removed_not_published_into(sandbox: Sandbox,
                                                                                   capsys: pytest.CaptureFixture[str]):
    """Without a folder exchange, publication parks the live output in `.OUT.spare/aside` for a moment, and
    the next build puts back what a killed one left there. A site whose output is its own `_site/` may
    bring that folder, as a link to another samizdat output of the volunteer's: it is removed, never put
    in the output's place and written through."""
    site = sandbox.write({})
    victim = sandbox.outside / "published"
    assert main(["build", str(site), "-o", str(victim)]) == 0
    before = tree_digest(victim)
    aside = site / "._site.spare" / "aside"
    aside.parent.mkdir()
    aside.symlink_to(victim, target_is_directory=True)
    (site / "content/en/index.md").write_text("---\ntitle: Home\n---\nFrom the stranger.\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["build", str(site)]) == 0, capsys.readouterr().err
    assert tree_digest(victim) == before
    assert "From the stranger." in (site / "_site/en/index.html").read_text(encoding="utf-8")
    assert not (site / "_site").is_symlink() and not os.path.lexists(aside)


def test_an_output_folder_that_came_with_the_site_cannot_vouch_for_its_pages(
        sandbox: Sandbox, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """SITE/_site/ may come with the site, in a ZIP that keeps file times: its manifest names each page's
    true content while a page holds other bytes of the same size, which would be published unchecked if
    the manifest were believed. This user's builds did not write it: every file is written anew."""
    site = sandbox.write({})
    assert main(["build", str(site)]) == 0  # the stranger's build, on the stranger's machine
    page = site / "_site/en/index.html"
    html, info = page.read_bytes(), page.stat()
    assert b"Hello." in html
    page.write_bytes(html.replace(b"Hello.", b"Pwned!"))
    os.utime(page, ns=(info.st_atime_ns, info.st_mtime_ns))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "volunteer-cache"))  # the volunteer's machine
    capsys.readouterr()
    assert main(["build", str(site)]) == 0
    assert page.read_bytes() == html
    assert "0 unchanged" in capsys.readouterr().out


def test_after_a_failed_build_the_output_is_still_believed(sandbox: Sandbox, capsys: pytest.CaptureFixture[str]):
    """A build that fails publishes nothing: the output is still the one this user's last build wrote."""
    site = sandbox.write({})
    assert main(["build", str(site)]) == 0
    (site / "content/en/index.md").write_text("---\ntitle: [unclosed\n---\nHello.\n", encoding="utf-8")
    assert main(["build", str(site)]) == 1
    (site / "content/en/index.md").write_text("---\ntitle: Home\n---\nHello again.\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["build", str(site)]) == 0
    report = capsys.readouterr().out
    assert re.search(r"files: [1-9]\d? written, [1-9]\d+ unchanged", report), report


@pytest.mark.parametrize("name, text", [
    ("static/leaflet.xhtm", '<html xmlns="http://www.w3.org/1999/xhtml"><body><script>location.href="/x"</script>'
                            "</body></html>"),
    ("static/leaflet.shtm", "<!doctype html><html><body><script>location.href='/x'</script></body></html>"),
    ("assets/route.xpdl", '<?xml version="1.0"?><p xmlns="http://www.w3.org/1999/xhtml"><script>1</script></p>'),
    ("static/page.ehtml", "<html><body onload=\"location.href='/x'\">hi</body></html>"),
])
def test_a_web_page_under_another_name_is_refused(name: str, text: str, sandbox: Sandbox,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """Servers send many more names than .html as HTML or XML (Debian's types, Python's http.server), and a
    browser opening one runs its scripts; such a file is not checked as a page is, so it is refused."""
    sandbox.write({name: text})
    outcome = sandbox.build(capsys)
    assert outcome.code == 1 and "Traceback" not in outcome.err, outcome.err
    assert name.rsplit("/", 1)[1] in outcome.err
    assert not (sandbox.out / name.split("/", 1)[1]).exists()


@pytest.mark.parametrize("name, text", [("static/route.gpx", '<?xml version="1.0"?><gpx xmlns='
                                         '"http://www.topografix.com/GPX/1/1" version="1.1"><trk/></gpx>'),
                                        ("static/notes.txt", "<b>bold</b> is how HTML says it\n"),
                                        ("static/love.dat", "<3 to everyone who came\n")])
def test_plain_data_and_text_that_start_with_a_bracket_are_published(name: str, text: str, sandbox: Sandbox,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    sandbox.write({name: text})
    outcome = sandbox.build(capsys)
    assert outcome.code == 0, outcome.err
    assert (sandbox.out / name.split("/", 1)[1]).read_text(encoding="utf-8") == text
