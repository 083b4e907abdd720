"""The one writer of the output folder: the whole new site appears in one step, or nothing changes.

The work is in publication.py (a spare tree of hard links, brought level with the new site and swapped
with the output folder); this module is what the build calls: the checks of the output folder against
the site, and the write itself. Callers that may run beside another build hold `lock.build_locks`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from samizdat.build.manifest import holds_manifest
from samizdat.build.output_paths import MARKER, TEMP_SUFFIX
from samizdat.build.timings import Timings
from samizdat.errors import OutputError, SourceLocation

if TYPE_CHECKING:  # publication (threads, the spare tree) is imported when there is something to write
    from samizdat.build.publication import WriteReport

__all__ = ["MARKER", "TEMP_SUFFIX", "check_output_folder", "write_output"]
_SITE_FOLDERS = ("content", "assets", "data", "templates", "strings", "static", "meetings")


def check_output_folder(out_dir: Path, site_root: Path) -> None:
    out, root = out_dir.resolve(), site_root.resolve()
    if out == root or root.is_relative_to(out):
        raise OutputError(f"the output folder {out_dir} would hold the site's own files",
                          hint="choose an output folder such as SITE/_site")
    for protected in _SITE_FOLDERS:
        if out.is_relative_to(root / protected):
            raise OutputError(f"the output folder {out_dir} is inside the site's {protected}/ folder",
                              hint="choose an output folder such as SITE/_site")
    if out_dir.is_symlink() and Path(os.path.abspath(out_dir)).is_relative_to(os.path.abspath(site_root)):
        raise OutputError(f"the output folder {out_dir} is a symbolic link inside the site", SourceLocation(out_dir),
                          hint="a site cannot choose where its build goes: delete the link, or pass -o")
    if out.exists() and not out.is_dir():
        raise OutputError(f"the output path {out_dir} is a file", SourceLocation(out_dir),
                          hint="choose a folder name")
    if out.is_dir() and any(out.iterdir()) and not holds_manifest(out):
        raise OutputError(
            f"{out_dir} already holds files that samizdat did not write; refusing to replace them",
            SourceLocation(out_dir),
            hint="choose an empty or new output folder, or move those files away",
        )


def write_output(out_dir: Path, pages: Mapping[str, bytes], copies: Mapping[str, Path],
                 timings: Timings | None = None, published: Callable[[], None] | None = None,
                 made_here: bool = False, digest_of: Callable[[Path], str] | None = None) -> WriteReport:
    """Publish pages (output path → bytes) and copies (output path → file) as the whole content of out_dir.
    published: called once the new site is in place, while the previous one is cleared from beside it.
    made_here: out_dir holds what the caller's last build wrote there (its files are then taken as they are,
    where unchanged); otherwise every file is written anew. digest_of: the sha256 of a copied file, as the
    build's store knows it (ProductBook.published_digest)."""
    from samizdat.build.publication import publish

    return publish(out_dir, pages, copies, timings, published, made_here, digest_of)
