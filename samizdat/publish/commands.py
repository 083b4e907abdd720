"""What `samizdat deploy`, `deploy-rsync` and `mirror` do: a fresh build in a temporary folder, then publish it.

Building apart from SITE/_site means a deploy never depends on, or disturbs, the folder the volunteer
previews, and a failed build publishes nothing. Before building, each refuses what guards.py refuses:
addresses that would run a command, uncommitted changes (unless allow_dirty) and errors that
`samizdat check` finds (unless force).
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
from samizdat.checks.runner import check_site
from samizdat.config import load_config
from samizdat.findings import Finding
from samizdat.publish.git_deploy import DeployError, deploy_folder
from samizdat.publish.guards import check_address, check_branch, refuse_dirty, refuse_errors
from samizdat.publish.mirror import write_archive
from samizdat.publish.rsync import rsync_folder


@dataclass(frozen=True)
class Published:
    summary: str  # one line for the terminal
    findings: tuple[Finding, ...]
    commit: str | None = None  # git deploys: the new commit, or None when nothing changed
    sha256: str | None = None  # mirror archives


@dataclass(frozen=True)
class Guards:
    allow_dirty: bool = False  # publish uncommitted changes (and say so in the commit message)
    force: bool = False  # publish although `samizdat check` finds errors


def deploy_git(site_root: Path, remote: str | None = None, branch: str | None = None,
               relative: bool = False, guards: Guards = Guards()) -> Published:
    publish = load_config(site_root).publish
    if not remote and publish.remote:
        _not_a_local_folder(publish.remote, "publish.remote", "--remote")
    remote, branch = remote or publish.remote, check_branch(branch or publish.branch)
    if remote:
        check_address(remote, "remote")
    uncommitted, findings = _guard(site_root, guards)
    with _fresh_build(site_root, BuildOptions(relative=relative)) as (folder, _):
        result = deploy_folder(folder, site_root, remote, branch, publish.domain, uncommitted)
    where = f"{result.remote} {result.branch}"
    if result.commit is None:
        summary = f"{where} already holds this build; nothing to publish"
    else:
        summary = f"published {result.files} files to {where} as commit {result.commit[:12]}"
    return Published(summary, findings, commit=result.commit)


def deploy_rsync(site_root: Path, target: str | None = None, relative: bool = False,
                 guards: Guards = Guards()) -> Published:
    if not target:
        target = load_config(site_root).publish.rsync_target
        if target:
            _not_a_local_folder(target, "publish.rsync_target", "--target")
    if not target:
        raise DeployError("no rsync target", hint="give --target USER@HOST:/PATH or set publish.rsync_target")
    check_address(target, "rsync target")
    _, findings = _guard(site_root, guards)
    with _fresh_build(site_root, BuildOptions(relative=relative)) as (folder, output):
        rsync_folder(folder, target)
    return Published(f"copied {len(output.pages) + len(output.copies)} files to {target}", findings)


def make_mirror(site_root: Path, archive: Path, guards: Guards = Guards()) -> Published:
    """A relative build (works from file:// and any sub-path) as a reproducible ZIP."""
    config = load_config(site_root)
    top_folder = urlsplit(config.base_url).hostname or "site"
    _, findings = _guard(site_root, guards)
    with _fresh_build(site_root, BuildOptions(relative=True, precompress=False)) as (folder, _):
        digest = write_archive(folder, archive, top_folder)
    return Published(f"{digest}  {archive.name}", findings, sha256=digest)


def _not_a_local_folder(value: str, key: str, option: str) -> None:
    """A place to publish to that samizdat.toml names must be another computer (host:path, a URL): the
    site's own settings may come from a stranger, and must not choose a folder on this one to write into."""
    check_address(value, option.removeprefix("--").replace("-", " "))
    if "://" in value or ":" in value.split("/", 1)[0]:
        return
    if option == "--remote" and "/" not in value and not value.endswith(".git") and not value.startswith("."):
        return  # the name of a remote of the site's repository (origin), as git reads it
    raise DeployError(f"{key} in samizdat.toml names a folder on this computer ({value}); a site's own settings "
                      "do not choose where on this computer files are written",
                      hint=f"give it on the command line if you mean it: {option} {value}")


def _guard(site_root: Path, guards: Guards) -> tuple[tuple[str, ...], tuple[Finding, ...]]:
    """The uncommitted files (refused unless allowed) and what `samizdat check` finds (errors refused
    unless forced), the warnings and errors of which the command shows."""
    uncommitted = tuple(refuse_dirty(site_root, guards.allow_dirty))
    findings = check_site(site_root).findings
    refuse_errors(findings, guards.force)
    return uncommitted, tuple(item for item in findings if item.severity != "info")


@contextmanager
def _fresh_build(site_root: Path, options: BuildOptions) -> Iterator[tuple[Path, SiteOutput]]:
    """The site built into a temporary folder (with the build's marker file, which rsync targets keep)."""
    with tempfile.TemporaryDirectory(prefix="samizdat-publish-") as temp:
        folder = Path(temp) / "site"
        output = build_site(site_root, folder, options)
        assert isinstance(output, SiteOutput)  # a new folder is never one the last build left as it is
        yield folder, output
