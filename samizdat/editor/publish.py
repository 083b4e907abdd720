"""Publish: check, commit under the name the volunteer chose, pull, push, deploy as `samizdat deploy` does.

The commit's author and committer are always set explicitly: a pseudonym, or this computer's own git
identity only when the volunteer ticks that box, so a volunteer's real name cannot slip into a public
history by default. A pull that meets someone else's change to the same lines is undone at once
(`git merge --abort`): the volunteer's commit stays, and both versions are shown side by side in words.
"""

from __future__ import annotations

import os
import re
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from samizdat.checks.runner import check_site
from samizdat.editor.diff import Piece, side_by_side
from samizdat.editor.files import OutsideSite, write_file
from samizdat.editor.web import render
from samizdat.errors import SamizdatError
from samizdat.findings import Finding
from samizdat.publish.commands import deploy_git
from samizdat.publish.guards import (
    BUILD_LEFTOVERS,
    GIT_SAFE_SETTINGS,
    GIT_TRANSPORTS,
    PublishRefused,
    refuse_commanding_settings,
)

REMOTE = "origin"
IDENTITY_VARIABLES = ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL")
# Variables that would point git at another repository or index than the site's (GIT_SSH_COMMAND and the
# like stay: a server's deploy key may need them).
LOCATION_VARIABLES = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY",
                      "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_COMMON_DIR", "GIT_PREFIX")
_ONE_AT_A_TIME = threading.Lock()  # git's index and the environment of the deploy are shared


@dataclass(frozen=True)
class Identity:
    name: str
    email: str
    system: bool = False  # the computer's own git identity, chosen on purpose

    def env(self) -> dict[str, str]:
        if self.system:
            return {}
        local = re.sub(r"[^a-z0-9]+", "-", self.name.lower()).strip("-") or "volunteer"
        email = self.email or f"{local}@editor.invalid"  # .invalid: no real mailbox is named by default
        return {"GIT_AUTHOR_NAME": self.name, "GIT_AUTHOR_EMAIL": email,
                "GIT_COMMITTER_NAME": self.name, "GIT_COMMITTER_EMAIL": email}


@dataclass(frozen=True)
class Conflict:
    rel: str  # below the repository
    theirs: list[Piece]
    mine: list[Piece]
    mine_text: str  # the whole of the volunteer's version, to start combining from


@dataclass(frozen=True)
class Outcome:
    done: list[str] = field(default_factory=list)  # keys of the steps that happened, for the page
    findings: tuple[Finding, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    problem: str | None = None  # what stopped the publish, in git's or samizdat's words
    summary: str = ""


class Git:
    def __init__(self, site_root: Path, identity: Identity) -> None:
        self.cwd = site_root
        dropped = (*LOCATION_VARIABLES, *IDENTITY_VARIABLES)  # the identity is only ever the chosen one
        self.env = {k: v for k, v in os.environ.items() if k not in dropped}
        self.env |= {"GIT_ALLOW_PROTOCOL": GIT_TRANSPORTS, "GIT_TERMINAL_PROMPT": "0"} | identity.env()

    def run(self, *args: str, check: bool = True, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(["git", *GIT_SAFE_SETTINGS, *args], cwd=cwd or self.cwd, env=self.env,
                                capture_output=True, text=True, check=False)
        if check and result.returncode != 0:
            raise GitFailed(result.stderr.strip() or result.stdout.strip())
        return result


class GitFailed(Exception):
    pass


def publish(site_root: Path, identity: Identity, message: str) -> Outcome:
    with _ONE_AT_A_TIME:
        findings = tuple(f for f in check_site(site_root).findings if f.severity != "info")
        if any(f.severity == "error" for f in findings):
            return Outcome(findings=findings, problem="check_errors")
        git = Git(site_root, identity)
        try:
            refuse_commanding_settings(site_root)
        except PublishRefused as exc:
            return Outcome(findings=findings, problem=str(exc))
        try:
            return _publish(git, identity, message, findings)
        except GitFailed as exc:
            return Outcome(findings=findings, problem=str(exc))


def _publish(git: Git, identity: Identity, message: str, findings: tuple[Finding, ...]) -> Outcome:
    top = Path(git.run("rev-parse", "--show-toplevel").stdout.strip())
    done = []
    git.run("add", "-A", "--", ".", *(f":(exclude){name}" for name in BUILD_LEFTOVERS))
    if git.run("diff", "--cached", "--quiet", check=False).returncode == 1:
        git.run("commit", "--no-verify", "-m", message or "Changes from the editor")
        done.append("committed")
    branch = git.run("symbolic-ref", "--short", "HEAD").stdout.strip()
    if not git.run("remote").stdout.split():
        return Outcome(done, findings, problem="no_remote")
    if git.run("ls-remote", "--exit-code", "--heads", "--", REMOTE, branch, check=False).returncode == 0:
        pulled = git.run("pull", "--no-rebase", "--no-edit", "--", REMOTE, branch, check=False)
        if pulled.returncode != 0:
            conflicts = _conflicts(git, top)
            git.run("merge", "--abort", check=False)
            if conflicts:
                return Outcome(done, findings, conflicts=conflicts, problem="conflict")
            raise GitFailed(pulled.stderr.strip())
        done.append("pulled")
    return _send(git, identity, branch, done, findings)


def _send(git: Git, identity: Identity, branch: str, done: list[str], findings: tuple[Finding, ...]) -> Outcome:
    git.run("push", "--", REMOTE, f"HEAD:refs/heads/{branch}")
    done.append("pushed")
    with _identity_for_deploy(identity):
        deployed = deploy_git(git.cwd)
    done.append("deployed")
    return Outcome(done, findings, summary=deployed.summary)


def resolve(site_root: Path, identity: Identity, combined: dict[str, str]) -> Outcome:
    """Take the others' changes again, put the volunteer's combined text in each conflicting file, commit
    the merge and publish. A conflicting file the form did not cover keeps the volunteer's version."""
    with _ONE_AT_A_TIME:
        findings = tuple(f for f in check_site(site_root).findings if f.severity != "info")
        git = Git(site_root, identity)
        try:
            top = Path(git.run("rev-parse", "--show-toplevel").stdout.strip())
            branch = git.run("symbolic-ref", "--short", "HEAD").stdout.strip()
            if git.run("pull", "--no-rebase", "--no-edit", "--", REMOTE, branch, check=False).returncode != 0:
                _write_combined(git, top, site_root, combined)
                git.run("commit", "--no-verify", "--no-edit")
            return _send(git, identity, branch, ["committed", "pulled"], findings)
        except (GitFailed, SamizdatError) as exc:
            git.run("merge", "--abort", check=False)
            return Outcome(findings=findings, problem=str(exc))


def _write_combined(git: Git, top: Path, site_root: Path, combined: dict[str, str]) -> None:
    names = [n for n in git.run("diff", "--name-only", "--diff-filter=U", cwd=top, check=False).stdout.split("\n") if n]
    for name in names:
        if name not in combined:
            git.run("checkout", "--ours", "--", name, cwd=top)
        else:
            write_file(site_root, _site_rel(top / name, site_root),
                       combined[name].replace("\r\n", "\n").encode("utf-8"))
        git.run("add", "--", name, cwd=top)


def _site_rel(path: Path, site_root: Path) -> str:
    """The file's path in the site, read from its name alone: a file the other side made a link must not
    be followed out of the site (write_file refuses links inside it, with words)."""
    rel = os.path.relpath(os.path.normpath(path), site_root.resolve())
    if rel == ".." or rel.startswith(("../", "/")):
        raise OutsideSite(f"refused path {path.name!r}: it is outside the site folder",
                          hint="resolve this conflict with git, outside the editor")
    return rel


def _conflicts(git: Git, top: Path) -> tuple[Conflict, ...]:
    names = git.run("diff", "--name-only", "--diff-filter=U", cwd=top, check=False).stdout.split("\n")
    found = []
    for name in filter(None, names):
        mine = git.run("show", f":2:{name}", cwd=top, check=False).stdout
        theirs = git.run("show", f":3:{name}", cwd=top, check=False).stdout
        left, right = side_by_side(theirs, mine)
        found.append(Conflict(name, left, right, mine))
    return tuple(found)


@contextmanager
def _identity_for_deploy(identity: Identity) -> Iterator[None]:
    """`samizdat deploy` takes git's identity from the environment: the chosen one, for its one commit."""
    saved = {name: os.environ.get(name) for name in IDENTITY_VARIABLES}
    os.environ.update(identity.env())
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def publish_view(request: Request) -> Response:
    return render(request, "publish.html", outcome=None, name="", email="", system=False)


def publish_post(request: Request, form: FormData) -> Response:
    identity = _identity(form)
    if identity is None:
        return _answer(request, form, Outcome(problem="no_name"), 400)
    message = " ".join(str(form.get("message", "")).split())
    outcome = publish(request.app.state.editor.site_root, identity, message)
    return _answer(request, form, outcome, 200 if outcome.problem is None else 409)


def resolve_post(request: Request, form: FormData) -> Response:
    identity = _identity(form)
    if identity is None:
        return _answer(request, form, Outcome(problem="no_name"), 400)
    combined = {name[5:]: str(value) for name, value in form.multi_items() if name.startswith("text:")}
    outcome = resolve(request.app.state.editor.site_root, identity, combined)
    request.app.state.editor.preview.refresh()
    return _answer(request, form, outcome, 200 if outcome.problem is None else 409)


def _identity(form: FormData) -> Identity | None:
    name = " ".join(str(form.get("name", "")).split())
    system = form.get("system_identity") == "yes"
    return Identity(name, str(form.get("email", "")).strip(), system) if name or system else None


def _answer(request: Request, form: FormData, outcome: Outcome, status: int) -> Response:
    return render(request, "publish.html", status=status, outcome=outcome, name=str(form.get("name", "")),
                  email=str(form.get("email", "")), system=form.get("system_identity") == "yes")
