"""What a publish refuses before anything leaves the computer.

Addresses (a git remote, a branch, an rsync target) come from the command line or from samizdat.toml,
which is part of the site folder: a stranger's pull request can set them. A value that git or rsync
would read as an option (`--upload-pack=…`, `-oProxyCommand=…`) or as a transport that runs a command
(`ext::sh -c …`) would run that command here, so such values are refused; every call also puts `--`
before its addresses and allows only ordinary transports (GIT_ALLOW_PROTOCOL).

A publish also refuses uncommitted changes in the site (the commit message would name a commit that
is not what was published) unless --allow-dirty, and errors from `samizdat check` unless --force.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from samizdat.errors import SamizdatError
from samizdat.findings import Finding

GIT_TRANSPORTS = "file:git:http:https:ssh"  # for GIT_ALLOW_PROTOCOL: no ext::, fd:: or other helpers
# Git settings a site's own repository could set to run a command during a deploy: forced off.
GIT_SAFE_SETTINGS = ("-c", "core.fsmonitor=false", "-c", "core.hooksPath=/dev/null",
                     "-c", "protocol.ext.allow=never", "-c", "protocol.fd.allow=never")
# Written by every build (the output, its spare tree and lock beside it): never "uncommitted work".
BUILD_LEFTOVERS = (".samizdat-cache", "_site", "._site.spare", "._site.lock")
SHOWN_FILES = 10


class PublishRefused(SamizdatError):
    """A publish that would run a command, publish uncommitted work, or publish pages with errors."""


def check_address(value: str, what: str) -> str:
    """`value` unless git, ssh or rsync could read it as an option or a command-running transport."""
    if value.startswith("-"):
        raise PublishRefused(f"the {what} {value!r} starts with '-', so git or rsync would read it as an option",
                             hint=f"give the {what} itself, e.g. origin, ../pages.git or user@host:/var/www")
    if re.match(r"(?i)^(ext|fd)::", value):
        raise PublishRefused(f"the {what} {value!r} uses git's {value.split('::')[0]}:: transport, which runs "
                             "a command", hint=f"give an ssh, https or local {what} instead")
    host = re.match(r"^(?:[^@/:]*@)?([^/:]*):", value)
    if host and host.group(1).startswith("-"):
        raise PublishRefused(f"the {what} {value!r} names a host starting with '-', which ssh reads as an option",
                             hint="check the host name")
    if "\n" in value or "\0" in value:
        raise PublishRefused(f"the {what} {value!r} holds a line break", hint=f"check the {what}")
    return value


def check_branch(branch: str) -> str:
    check_address(branch, "branch")
    try:
        valid = subprocess.run(["git", "check-ref-format", "--branch", branch], capture_output=True,
                               check=False).returncode == 0
    except OSError:  # no git: the deploy says so itself, in its own words
        return branch
    if not valid:
        raise PublishRefused(f"{branch!r} is not a valid branch name", hint="e.g. gh-pages or pages")
    return branch


# Settings of a repository's own configuration that make git run a command of their choosing, or work on
# files elsewhere (core.worktree), and that `-c` cannot turn off without knowing their names (a filter or
# diff driver is named by the repository). Those GIT_SAFE_SETTINGS force off are not refused.
_COMMANDING = re.compile(r"""(?x)
    filter\..+\.(clean|smudge|process) | diff\.external | diff\..+\.(command|textconv) | merge\..+\.driver
  | credential\.(.+\.)?helper | gpg\.(.+\.)?program | pager\..+ | sequence\.editor
  | core\.(sshcommand|gitproxy|pager|editor|askpass|alternaterefscommand|worktree)
  | remote\..+\.(uploadpack|receivepack) | ssh\.variant""")


def refuse_commanding_settings(repository: Path) -> None:
    """Refuse to run git in a repository whose own settings would run a command: a site may come as a ZIP
    holding its `.git/`, whose configuration is then a stranger's. Reading it runs nothing; the user's
    global and system settings are the user's own and are not looked at."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("GIT_")}
    try:
        listed = subprocess.run(["git", *GIT_SAFE_SETTINGS, "config", "--list", "--show-scope", "--includes", "-z"],
                                cwd=repository, env=env, capture_output=True, check=False)
    except OSError:  # no git: nothing will run it
        return
    items = listed.stdout.decode("utf-8", "replace").split("\0")
    for scope, entry in zip(items[::2], items[1::2], strict=False):
        key = entry.partition("\n")[0]
        if scope in ("local", "worktree") and _COMMANDING.fullmatch(key.lower()):
            raise PublishRefused(f"the site's git repository sets {key}, which makes git run a command "
                                 "(or work on files elsewhere); samizdat runs no git command there",
                                 hint=f"if you did not set it yourself, remove it: git config --unset {key} "
                                 "(a site received as a ZIP brings its .git/config along)")


def uncommitted_files(site_root: Path) -> list[str] | None:
    """Files of the site that differ from its repository's HEAD; None outside a git repository."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("GIT_")}
    refuse_commanding_settings(site_root)
    excluded = [f":(exclude){name}" for name in BUILD_LEFTOVERS]
    try:
        result = subprocess.run(["git", *GIT_SAFE_SETTINGS, "status", "--porcelain", "-z", "--untracked-files=all",
                                 "--", ".", *excluded], cwd=site_root, env=env, capture_output=True, check=False)
    except OSError:  # no git on this computer: no repository to compare with
        return None
    if result.returncode != 0:
        return None
    items = result.stdout.decode("utf-8", "replace").split("\0")
    files, index = [], 0
    while index < len(items):
        item = items[index]
        index += 2 if item[:1] in ("R", "C") else 1  # a rename or copy is followed by the old name
        if len(item) > 3:
            files.append(item[3:])
    return files


def refuse_dirty(site_root: Path, allow_dirty: bool) -> list[str]:
    """The uncommitted files (empty when clean or outside git); refused unless allow_dirty."""
    changed = uncommitted_files(site_root) or []
    if changed and not allow_dirty:
        shown = ", ".join(changed[:SHOWN_FILES]) + (f" and {len(changed) - SHOWN_FILES} more"
                                                    if len(changed) > SHOWN_FILES else "")
        raise PublishRefused(f"the site has uncommitted changes: {shown}",
                             hint="commit them first, or publish them as they are with --allow-dirty")
    return changed


def refuse_errors(findings: tuple[Finding, ...], force: bool) -> None:
    errors = [item for item in findings if item.severity == "error"]
    if errors and not force:
        first = "; ".join(str(item).split("\n", 1)[0] for item in errors[:3])
        raise PublishRefused(f"`samizdat check` finds {len(errors)} error(s), so nothing was published: {first}",
                             hint="run `samizdat check` and fix them, or publish anyway with --force")
