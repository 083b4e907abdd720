"""The `samizdat` command: parse arguments, call one function, map errors to exit codes."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from samizdat import __version__
from samizdat.errors import SamizdatError, SourceLocation

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help()
        return EXIT_USAGE
    try:
        return args.run(args)
    except SamizdatError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="samizdat", description="Static sites for multilingual civic groups.")
    parser.add_argument("--version", action="version", version=f"samizdat {__version__}")
    commands = parser.add_subparsers(title="commands")

    build = commands.add_parser("build", help="build the site into a folder")
    build.add_argument("site", nargs="?", type=Path, default=Path("."), help="site folder (default: .)")
    build.add_argument("-o", "--output", type=Path, help="output folder (default: SITE/_site)")
    build.add_argument("--timings", action="store_true", help="print the time of each stage")
    build.set_defaults(run=_build)

    serve = commands.add_parser("serve", help="build, serve and rebuild on every change, with live reload")
    serve.add_argument("site", nargs="?", type=Path, default=Path("."), help="site folder (default: .)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    serve.set_defaults(run=_serve)

    check = commands.add_parser("check", help="check the site: privacy, links, accessibility, translations")
    check.add_argument("site", nargs="?", type=Path, default=Path("."), help="site folder (default: .)")
    check.set_defaults(run=_check)

    status = commands.add_parser("status", help="which translations are missing or out of date")
    status.add_argument("site", nargs="?", type=Path, default=Path("."), help="site folder (default: .)")
    status.set_defaults(run=_status)

    translated = commands.add_parser("translated", help="record that a translation matches its source now")
    translated.add_argument("path", type=Path, help="the translated page, e.g. content/ru/about.md")
    translated.add_argument("--from", dest="source", metavar="LANG", help="the source's language, e.g. en")
    translated.set_defaults(run=_translated)

    init = commands.add_parser("init", help="create a new site with the default theme")
    init.add_argument("directory", type=Path, help="folder to create")
    init.add_argument("--languages", default="en", help="language codes, default first, e.g. de,ru,en")
    init.add_argument("--title", default=None, help="the group's name")
    init.set_defaults(run=_init)
    return parser


def _build(args: argparse.Namespace) -> int:
    from samizdat.build.pipeline import build_site

    out = args.output or args.site / "_site"
    result = build_site(args.site, out)
    for finding in result.findings:
        print(finding, file=sys.stderr)
    print(f"built {len(result.pages)} pages and {len(result.copies)} files in "
          f"{result.timings.total:.2f} s → {out}")
    if args.timings:
        print(result.timings.report())
    return EXIT_OK


def _serve(args: argparse.Namespace) -> int:
    from samizdat.serve.server import serve

    serve(args.site, args.host, args.port)
    return EXIT_OK


def _init(args: argparse.Namespace) -> int:
    from samizdat.scaffold import create_site

    codes = [code.strip() for code in args.languages.split(",") if code.strip()]
    create_site(args.directory, codes, args.title)
    print(f"created a site in {args.directory} for {', '.join(codes)}; see it with: samizdat serve {args.directory}")
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    from samizdat.checks.runner import check_site

    report = check_site(args.site)
    for finding in report.findings:
        print(finding)
    errors, warnings = report.count("error"), report.count("warning")
    print(f"checked {report.pages} pages: {errors} error(s), {warnings} warning(s)")
    return EXIT_ERROR if errors else EXIT_OK


def _status(args: argparse.Namespace) -> int:
    from samizdat.checks.translations import status_report

    print(status_report(args.site), end="")
    return EXIT_OK


def _translated(args: argparse.Namespace) -> int:
    from samizdat.content.mark_translated import mark_translated

    marked = mark_translated(args.path, args.source)
    print(f"{args.path}: marked as a translation of {SourceLocation(marked.source.path)} "
          f"({marked.source.language.code}, version {marked.hash})")
    return EXIT_OK
