"""What `samizdat deploy`, `deploy-rsync` and `mirror` do: a fresh build in a temporary folder, then publish it.

Building apart from SITE/_site means a deploy never depends on, or disturbs, the folder the volunteer
previews, and a failed build publishes nothing.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from samizdat.build.command import build_site
from samizdat.build.options import BuildOptions
from samizdat.build.output import SiteOutput
from samizdat.config import load_config
from samizdat.findings import Finding
from samizdat.publish.git_deploy import DeployError, deploy_folder
from samizdat.publish.mirror import write_archive
from samizdat.publish.rsync import rsync_folder


@dataclass(frozen=True)
class Published:
    summary: str  # one line for the terminal
    findings: tuple[Finding, ...]
    commit: str | None = None  # git deploys: the new commit, or None when nothing changed
    sha256: str | None = None  # mirror archives


def deploy_git(site_root: Path, remote: str | None = None, branch: str | None = None,
               relative: bool = False) -> Published:
    publish = load_config(site_root).publish
    with _fresh_build(site_root, BuildOptions(relative=relative)) as (folder, output):
        result = deploy_folder(folder, site_root, remote or publish.remote, branch or publish.branch,
                               publish.domain)
    where = f"{result.remote} {result.branch}"
    if result.commit is None:
        summary = f"{where} already holds this build; nothing to publish"
    else:
        summary = f"published {result.files} files to {where} as commit {result.commit[:12]}"
    return Published(summary, tuple(output.findings), commit=result.commit)


def deploy_rsync(site_root: Path, target: str | None = None, relative: bool = False) -> Published:
    target = target or load_config(site_root).publish.rsync_target
    if not target:
        raise DeployError("no rsync target", hint="give --target USER@HOST:/PATH or set publish.rsync_target")
    with _fresh_build(site_root, BuildOptions(relative=relative)) as (folder, output):
        rsync_folder(folder, target)
    return Published(f"copied {len(output.pages) + len(output.copies)} files to {target}", tuple(output.findings))


def make_mirror(site_root: Path, archive: Path) -> Published:
    """A relative build (works from file:// and any sub-path) as a reproducible ZIP."""
    config = load_config(site_root)
    top_folder = urlsplit(config.base_url).hostname or "site"
    with _fresh_build(site_root, BuildOptions(relative=True, precompress=False)) as (folder, output):
        digest = write_archive(folder, archive, top_folder)
    return Published(f"{digest}  {archive.name}", tuple(output.findings), sha256=digest)


@contextmanager
def _fresh_build(site_root: Path, options: BuildOptions) -> Iterator[tuple[Path, SiteOutput]]:
    """The site built into a temporary folder (with the build's marker file, which rsync targets keep)."""
    with tempfile.TemporaryDirectory(prefix="samizdat-publish-") as temp:
        folder = Path(temp) / "site"
        output = build_site(site_root, folder, options)
        yield folder, output
