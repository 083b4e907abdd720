"""The `samizdat` command: parse arguments, call one function, map errors to exit codes."""

from __future__ import annotations

import argparse
import atexit
import contextlib
import datetime as dt
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from samizdat import __version__
from samizdat.errors import SamizdatError, SourceLocation

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2


def main(argv: list[str] | None = None) -> int:
    parser = _parser(argv)
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help()
        return EXIT_USAGE
    try:
        return args.run(args)
    except SamizdatError as exc:
        _say(f"error: {exc}", sys.stderr)
        return EXIT_ERROR
    except MemoryError:
        # Whatever asked for it (the bounds on templates, YAML, photos and pages hold for every known way),
        # the volunteer gets words, not a traceback; the output folder is swapped whole or not at all.
        _say("error: samizdat ran out of memory; the output folder is as it was\n  hint: a file in the site may "
             "be too large to process (a photo, video, data file or page): look at the files changed last, "
             "or build on a computer with more memory", sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`samizdat build | head -1`): what was built stays built, the rest of the
        # report has nowhere to go. Python's own advice: send it nowhere, and exit 1 without a traceback.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_ERROR


def run() -> None:
    """The installed command and `python -m samizdat`: main(), then an exit that does not free the
    build's objects one at a time. After a build of 10,000 pages the interpreter spends a fifth of a
    second taking apart what the process is about to give back whole; the exit handlers still run
    first (temporary folders removed), and every pool has been shut down by then (`with` blocks)."""
    code = main()
    run_exit_handlers = getattr(atexit, "_run_exitfuncs", None)
    if run_exit_handlers is None or sys.getprofile() or sys.gettrace():  # another Python, or a profiler or
        raise SystemExit(code)  # coverage measuring this run, which writes what it found as Python exits
    run_exit_handlers()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a reader that went away (`| head -1`), a closed stream
            stream.flush()
    os._exit(code)


def _say(text: str, stream: Any) -> None:
    from samizdat.terminal import paint

    print(paint(text, stream), file=stream)


def _parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """Every command is listed (`samizdat --help`), but only the one asked for gets its arguments: adding
    the hundred arguments of them all would cost "nothing changed" a tenth of its answer."""
    chosen = next((word for word in (sys.argv[1:] if argv is None else argv) if not word.startswith("-")), None)
    parser = argparse.ArgumentParser(prog="samizdat", description="Static sites for multilingual civic groups.",
                                     formatter_class=_Formatter)
    parser.add_argument("-V", "--version", action="version", version=f"samizdat {__version__}")
    commands = parser.add_subparsers(title="commands")
    for name, (summary, add_arguments) in COMMANDS.items():
        command = commands.add_parser(name, help=summary, formatter_class=_Formatter)
        if chosen is None or chosen == name or chosen not in COMMANDS:
            add_arguments(command)
    return parser


class _Formatter(argparse.HelpFormatter):
    """argparse's own, told the terminal's width: argparse makes one for every argument added, and asks
    `shutil` for the width, whose import (with its compression modules) is a twentieth of "nothing changed"."""

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24,
                 width: int | None = None) -> None:
        if width is None:
            try:
                columns = int(os.environ["COLUMNS"])
            except (KeyError, ValueError):
                try:
                    columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
                except (AttributeError, ValueError, OSError):
                    columns = 80
            width = (columns if columns > 0 else 80) - 2
        super().__init__(prog, indent_increment, max_help_position, width)


def _build_arguments(build: argparse.ArgumentParser) -> None:
    build.add_argument("site", nargs="?", type=Path, default=Path("."), help="site folder (default: .)")
    build.add_argument("-o", "--output", type=Path, help="output folder (default: SITE/_site)")
    build.add_argument("--timings", action="store_true", help="print the time of each stage")
    build.add_argument("--relative", action="store_true",
                       help="write every internal link relative, so the output works under any path and from file://")
    build.set_defaults(run=_build)


def _search_arguments(search: argparse.ArgumentParser) -> None:
    search.add_argument("site", type=Path, help="site folder")
    search.add_argument("query", help="the words to find, as a reader types them")
    search.add_argument("--lang", help="the reader's language code: its results come first (default: the site's)")
    search.add_argument("--built", type=Path,
                        help="an existing build to search (default: build SITE into SITE/_site first)")
    search.set_defaults(run=_search)


def _deploy_arguments(deploy: argparse.ArgumentParser) -> None:
    deploy.add_argument("site", nargs="?", type=Path, default=Path("."), help="site folder (default: .)")
    deploy.add_argument("--remote", help="git remote name or URL (default: publish.remote, else origin)")
    deploy.add_argument("--branch", help="branch to publish to (default: publish.branch, else gh-pages)")
    deploy.add_argument("--relative", action="store_true", help="relative links, for a project page under a sub-path")
    _guard_flags(deploy)
    deploy.set_defaults(run=_deploy)


def _deploy_rsync_arguments(rsync: argparse.ArgumentParser) -> None:
    rsync.add_argument("site", nargs="?", type=Path, default=Path("."), help="site folder (default: .)")
    rsync.add_argument("--target", help="USER@HOST:/PATH or a local folder (default: publish.rsync_target)")
    rsync.add_argument("--relative", action="store_true", help="relative links, for a server sub-path")
    _guard_flags(rsync)
    rsync.set_defaults(run=_deploy_rsync)


def _mirror_arguments(mirror: argparse.ArgumentParser) -> None:
    mirror.add_argument("site", nargs="?", type=Path, default=Path("."), help="site folder (default: .)")
    mirror.add_argument("-o", "--output", type=Path, required=True, help="the archive to write, e.g. site.zip")
    _guard_flags(mirror)
    mirror.set_defaults(run=_mirror)


def _serve_arguments(serve: argparse.ArgumentParser) -> None:
    serve.add_argument("site", nargs="?", type=Path, default=Path("."), help="site folder (default: .)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    serve.add_argument("--drafts", action="store_true",
                       help="show pages marked `draft: true` or `published: false`, marked as drafts")
    serve.set_defaults(run=_serve)


def _edit_arguments(edit: argparse.ArgumentParser) -> None:
    edit.add_argument("site", nargs="?", type=Path, default=Path("."), help="site folder (default: .)")
    edit.add_argument("--host", default="127.0.0.1",
                      help="address to listen on (default: 127.0.0.1, this computer only; others need --accounts)")
    edit.add_argument("--port", type=int, default=8001, help="port (default: 8001)")
    edit.add_argument("--accounts", type=Path, metavar="FILE",
                      help="names and argon2 password hashes, outside the site folder, readable by you only")
    edit.add_argument("--public-name", action="append", default=[], metavar="NAME",
                      help="the name the HTTPS proxy in front answers to, e.g. edit.example.org (repeatable)")
    edit.add_argument("--add-account", metavar="NAME", help="add or change an account in --accounts FILE, then exit")
    edit.set_defaults(run=_edit)


def _check_arguments(check: argparse.ArgumentParser) -> None:
    check.add_argument("site", nargs="?", type=Path, default=Path("."), help="site folder (default: .)")
    check.set_defaults(run=_check)


def _status_arguments(status: argparse.ArgumentParser) -> None:
    status.add_argument("site", nargs="?", type=Path, default=Path("."), help="site folder (default: .)")
    status.set_defaults(run=_status)


def _translated_arguments(translated: argparse.ArgumentParser) -> None:
    translated.add_argument("paths", type=Path, nargs="*", metavar="PATH",
                            help="the translated pages, e.g. content/ru/about.md content/ko/about.md "
                            "(with --all: the site folder, default .)")
    translated.add_argument("--from", dest="source", metavar="LANG", help="the source's language, e.g. en")
    translated.add_argument("--all", action="store_true",
                            help="mark every translation that records no source yet (outdated ones stay outdated)")
    translated.set_defaults(run=_translated)


def _faces_arguments(faces: argparse.ArgumentParser) -> None:
    faces.add_argument("site", nargs="?", type=Path, default=Path("."), help="site folder (default: .)")
    faces.add_argument("-o", "--output", type=Path,
                       help="folder for the page (default: SITE/.samizdat-cache/faces-review)")
    faces.add_argument("--language", help="the page's language, one of the site's (default: its main one)")
    faces.add_argument("--review", action="store_true",
                       help="serve the page on this computer with buttons that write answers to data/faces.yaml")
    faces.add_argument("--port", type=int, default=0, help="port for --review (default: any free one)")
    faces.set_defaults(run=_faces)


def _init_arguments(init: argparse.ArgumentParser) -> None:
    init.add_argument("directory", type=Path, help="folder to create")
    init.add_argument("--languages", default="en", help="language codes, default first, e.g. de,ru,en")
    init.add_argument("--title", default=None, help="the group's name")
    init.add_argument("--people", action=argparse.BooleanOptionalAction, default=None,
                      help="will the site publish photos of people? --people masks faces in every photo "
                           "(asked when not given; without a terminal to ask, faces are masked)")
    init.add_argument("--timezone", default=None,
                      help="the zone of the group's meetings, e.g. Europe/Berlin (default: this computer's)")
    init.set_defaults(run=_init)


def _import_arguments(imp: argparse.ArgumentParser) -> None:
    imp.add_argument("kind", choices=["jekyll", "hugo"], help="what the old site is made with")
    imp.add_argument("source", type=Path, help="the old site's folder")
    imp.add_argument("dest", type=Path, help="a new or empty folder for the samizdat site")
    imp.add_argument("--default-language", help="the old site's main language, e.g. ru (default: from its config)")
    imp.set_defaults(run=_import)


def _new_arguments(new: argparse.ArgumentParser) -> None:
    kinds = new.add_subparsers(title="what to create")
    meeting = kinds.add_parser("meeting", help="a meeting: facts once, a text per language", formatter_class=_Formatter)
    meeting.add_argument("site", nargs="?", type=Path, default=Path("."), help="site folder (default: .)")
    meeting.add_argument("--start", required=True, help='local start, e.g. "2026-12-05 15:00", or a date')
    meeting.add_argument("--end", help='local end, e.g. "2026-12-05 17:00"')
    meeting.add_argument("--slug", required=True, help="short name for the file and URL, e.g. bosingak")
    meeting.set_defaults(run=_new_meeting)
    post = kinds.add_parser("post", help="a dated news post in every language", formatter_class=_Formatter)
    post.add_argument("site", nargs="?", type=Path, default=Path("."), help="site folder (default: .)")
    post.add_argument("--slug", required=True, help="short name for the file and URL, e.g. statement")
    post.add_argument("--date", type=_iso_date, help="the post's date (default: today)")
    post.set_defaults(run=_new_post)
    page = kinds.add_parser("page", help="a page in every language", formatter_class=_Formatter)
    page.add_argument("site", nargs="?", type=Path, default=Path("."), help="site folder (default: .)")
    page.add_argument("--path", required=True, help="where it goes below each language folder, e.g. about/team")
    page.set_defaults(run=_new_page)


def _guard_flags(command: argparse.ArgumentParser) -> None:
    command.add_argument("--allow-dirty", action="store_true",
                         help="publish although the site has uncommitted changes (the commit message says so)")
    command.add_argument("--force", action="store_true", help="publish although `samizdat check` finds errors")


def _guards(args: argparse.Namespace) -> Any:
    from samizdat.publish.commands import Guards

    return Guards(allow_dirty=args.allow_dirty, force=args.force)


def _iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-03-01") from None


def _build(args: argparse.Namespace) -> int:
    from samizdat.build.command import build_site
    from samizdat.build.nothing_changed import NothingChanged
    from samizdat.build.options import BuildOptions

    out = args.output or args.site / "_site"
    result = build_site(args.site, out, BuildOptions(relative=args.relative))
    for finding in result.findings:
        if finding.severity != "info":  # notes are for `samizdat check`
            _say(str(finding), sys.stderr)
    images = f"; {result.images}" if result.images else ""
    if isinstance(result, NothingChanged):
        print(f"built {result.html_pages} pages (0 rendered) in {result.timings.total:.2f} s, nothing changed since "
              f"the last build{images}; files: 0 written, {result.files} unchanged, 0 removed → {out}")
    else:
        written = result.written
        files = f"; files: {written.written} written, {written.unchanged} unchanged, {written.removed} removed" \
            if written else ""
        print(f"built {result.html_pages} pages ({result.rendered_count} rendered) in {result.timings.total:.2f} s"
              f"{images}{files} → {out}")
    if args.timings:
        print(result.timings.report())
    return EXIT_OK


def _search(args: argparse.Namespace) -> int:
    from samizdat.build.command import build_site
    from samizdat.config import load_config
    from samizdat.search.query import folder_reader, search
    from samizdat.terminal import printable

    config = load_config(args.site)
    codes = [language.code for language in config.languages]
    lang = args.lang or config.default_language.code
    if lang not in codes:
        raise SamizdatError(f"the site has no language {lang!r}", hint=f"use one of: {', '.join(codes)}")
    built = args.built
    if built is None:
        built = args.site / "_site"
        build_site(args.site, built)
    results = search(folder_reader(built), [lang, *(code for code in codes if code != lang)], args.query)
    for result in results:
        print(printable(f"{result.title}\t{config.base_url}/{result.path}\t{result.language}"))
    if not results:
        print("nothing found", file=sys.stderr)
    return EXIT_OK


def _deploy(args: argparse.Namespace) -> int:
    from samizdat.publish.commands import deploy_git

    return _report(deploy_git(args.site, args.remote, args.branch, args.relative, _guards(args)))


def _deploy_rsync(args: argparse.Namespace) -> int:
    from samizdat.publish.commands import deploy_rsync

    return _report(deploy_rsync(args.site, args.target, args.relative, _guards(args)))


def _mirror(args: argparse.Namespace) -> int:
    from samizdat.publish.commands import make_mirror

    return _report(make_mirror(args.site, args.output, _guards(args)))


def _report(published: Any) -> int:
    for finding in published.findings:
        _say(str(finding), sys.stderr)
    print(published.summary)
    return EXIT_OK


def _faces(args: argparse.Namespace) -> int:
    from samizdat.build.cache.products import open_products
    from samizdat.build.cache.store import Store
    from samizdat.images.review import write_face_review

    # What the last build found in each photo is read from its store, so the page does not search again.
    page = write_face_review(args.site, args.output, args.language, interactive=args.review,
                             book=open_products(Store(None), args.site))
    if not args.review:
        print(f"review the regions to mask in {page.index} (it stays on this computer; delete it when done)")
        return EXIT_OK
    from samizdat.images.review_server import review_server

    server = review_server(args.site, page, args.port)
    print(f"open {server.url} in your browser; answers are written to data/faces.yaml. Ctrl-C stops.")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return EXIT_OK


def _serve(args: argparse.Namespace) -> int:
    from samizdat.serve.server import serve

    serve(args.site, args.host, args.port, args.drafts)
    return EXIT_OK


def _edit(args: argparse.Namespace) -> int:
    from samizdat.editor.server import add_account_interactively, run

    if args.add_account:
        if not args.accounts:
            raise SamizdatError("--add-account needs --accounts FILE",
                                hint="e.g. --accounts ~/.config/samizdat/accounts")
        add_account_interactively(args.accounts, args.site, args.add_account)
        return EXIT_OK
    run(args.site, args.host, args.port, args.accounts, tuple(name.lower() for name in args.public_name))
    return EXIT_OK


def _new_meeting(args: argparse.Namespace) -> int:
    from samizdat.scaffold.new import new_meeting

    return _report_created(new_meeting(args.site, args.start, args.slug, args.end))


def _new_post(args: argparse.Namespace) -> int:
    from samizdat.scaffold.new import new_post

    return _report_created(new_post(args.site, args.slug, args.date))


def _new_page(args: argparse.Namespace) -> int:
    from samizdat.scaffold.new import new_page

    return _report_created(new_page(args.site, args.path))


def _report_created(paths: list[Path]) -> int:
    for path in paths:
        print(f"created {path}")
    print("replace every <<TODO: …>> with the real text; the build warns while one is left")
    return EXIT_OK


def _init(args: argparse.Namespace) -> int:
    from samizdat.images.faces import INSTALL_HINT, detector_available
    from samizdat.scaffold import create_site

    codes = [code.strip() for code in args.languages.split(",") if code.strip()]
    people = args.people if args.people is not None else _ask_people()
    zone = create_site(args.directory, codes, args.title, args.timezone, mask_faces=people)
    print(f"created a site in {args.directory} for {', '.join(codes)} (times in {zone}); "
          f"see it with: samizdat serve {args.directory}")
    if people:
        print("faces will be masked in every photo (mask_faces = true in samizdat.toml)"
              + ("" if detector_available() else f"; {INSTALL_HINT}"))
    return EXIT_OK


def _ask_people() -> bool:
    """Photos of people are the riskiest thing a group publishes: when no one can answer, assume them."""
    if not sys.stdin.isatty():
        return True
    answer = input("Will the site publish photos of people (protests, meetings)? Faces will be masked. [Y/n] ")
    return not answer.strip().lower().startswith(("n", "н", "아"))


def _import(args: argparse.Namespace) -> int:
    from samizdat.importers import REPORT_NAME, import_site
    from samizdat.terminal import printable

    report = import_site(args.kind, args.source, args.dest, args.default_language)
    print(printable(report.terminal()), end="")
    print(f"the whole report: {args.dest / REPORT_NAME}")
    return EXIT_ERROR if report.build.startswith("FAILED") else EXIT_OK


def _check(args: argparse.Namespace) -> int:
    from samizdat.checks.runner import check_site

    report = check_site(args.site)
    for finding in report.findings:
        _say(str(finding), sys.stdout)
    errors, warnings = report.count("error"), report.count("warning")
    print(f"checked {report.pages} pages: {errors} error(s), {warnings} warning(s)")
    return EXIT_ERROR if errors else EXIT_OK


def _status(args: argparse.Namespace) -> int:
    from samizdat.checks.translations import status_report
    from samizdat.terminal import printable

    print(printable(status_report(args.site)), end="")
    return EXIT_OK


def _translated(args: argparse.Namespace) -> int:
    from samizdat.content.mark_translated import mark_translated, mark_untracked

    if args.all:
        if args.source or len(args.paths) > 1:
            raise SamizdatError("--all takes one site folder and no --from",
                                hint="samizdat translated --all SITE, or name the pages one by one")
        done = mark_untracked(args.paths[0] if args.paths else Path("."))
    elif not args.paths:
        raise SamizdatError("name the translated pages, or give --all", hint="e.g. samizdat translated content/ru/a.md")
    else:
        done = [mark_translated(path, args.source) for path in args.paths]
    for marked in done:
        print(f"{SourceLocation(marked.page.path)}: marked as a translation of {SourceLocation(marked.source.path)} "
              f"({marked.source.language.code}, version {marked.hash})")
    if args.all:
        print(f"{len(done)} translation(s) marked")
    return EXIT_OK


# name → (what `samizdat --help` says of it, what adds its arguments)
COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None]]] = {
    "build": ("build the site into a folder", _build_arguments),
    "search": ("search the built site as its search page does; print titles and URLs", _search_arguments),
    "deploy": ("build and push the site to a git branch (GitHub/Codeberg Pages)", _deploy_arguments),
    "deploy-rsync": ("build and copy the site to a server folder with rsync", _deploy_rsync_arguments),
    "mirror": ("write the site as a reproducible ZIP for mirrors and USB copies", _mirror_arguments),
    "serve": ("build, serve and rebuild on every change, with live reload", _serve_arguments),
    "edit": ("edit the site in the browser: pages, meetings, photos, publish", _edit_arguments),
    "check": ("check the site: privacy, links, accessibility, translations", _check_arguments),
    "status": ("which translations are missing or out of date", _status_arguments),
    "translated": ("record that a translation matches its source now", _translated_arguments),
    "faces": ("write a page showing the face regions each photo will have masked", _faces_arguments),
    "init": ("create a new site with the default theme", _init_arguments),
    "import": ("make a samizdat site from a Jekyll or Hugo site, and build it", _import_arguments),
    "new": ("create a meeting, a news post or a page in every language", _new_arguments),
}
