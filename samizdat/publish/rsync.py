"""Copy a built site to a folder on a server (or a local disk) with rsync, deleting what the site no longer has.

Because `--delete` removes files, the target must be new, empty, or a folder samizdat wrote before (it holds
the build's marker file): a mistyped path never wipes someone's other files.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from samizdat.build.writer import MARKER
from samizdat.errors import SamizdatError
from samizdat.publish.guards import check_address


class RsyncError(SamizdatError):
    """rsync is missing, the target is unsafe, or the copy failed."""


# Recursive, links as links, times kept; compare by content (each build has new file times); readable by
# the web server whatever the local umask.
RSYNC_OPTIONS = ["--recursive", "--links", "--times", "--checksum", "--delete", "--chmod=D755,F644"]


def rsync_folder(folder: Path, target: str) -> None:
    if shutil.which("rsync") is None:
        raise RsyncError("rsync is not installed",
                         hint="install the rsync package (Debian/Ubuntu: apt-get install rsync); "
                              "the server needs it too")
    destination = check_address(target, "rsync target").rstrip("/") + "/"
    _check_target(destination)
    _run(["rsync", *RSYNC_OPTIONS, "--", f"{folder}/", destination], f"copy the site to {target}")


def _check_target(destination: str) -> None:
    listing = subprocess.run(["rsync", "--list-only", "--", destination], capture_output=True, text=True, check=False)
    if listing.returncode != 0:
        if "No such file or directory" in listing.stderr:
            return  # a new folder: rsync creates it
        raise RsyncError(f"rsync could not read {destination}: {listing.stderr.strip()}",
                         hint="check the address, the path and your SSH access")
    names = {line.split(None, 4)[4] for line in listing.stdout.splitlines() if len(line.split(None, 4)) == 5}
    names.discard(".")
    if names and MARKER not in names:
        raise RsyncError(
            f"{destination} already holds files that samizdat did not write; refusing to replace them",
            hint="give an empty or new folder, or move those files away first",
        )


def _run(command: list[str], action: str) -> None:
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RsyncError(f"rsync could not {action}: {result.stderr.strip()}",
                         hint="check the address, the path and your SSH access")
