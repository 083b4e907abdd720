"""Commit a built site to a branch of a git remote (GitHub Pages, Codeberg Pages…) and push it.

Only git plumbing is used: files are hashed into objects, a tree is written from a private index file, and a
commit is made on top of the branch's current tip. The user's branch, HEAD, index and working tree are never
touched, and no local branch is created. Inside a git repository the objects go into that repository, so the
push uses its remotes and credentials (as in CI); elsewhere a temporary repository is used.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from samizdat.build.writer import MARKER
from samizdat.errors import SamizdatError
from samizdat.publish.guards import GIT_SAFE_SETTINGS, GIT_TRANSPORTS, check_address, check_branch

NOJEKYLL = ".nojekyll"  # GitHub Pages would otherwise drop files and folders starting with _
CNAME = "CNAME"
DEFAULT_REMOTE = "origin"
# Variables that would point git at another repository, index or work tree than the ones chosen here.
_LOCATION_VARIABLES = frozenset({"GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY",
                                 "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_COMMON_DIR", "GIT_PREFIX"})
FALLBACK_IDENTITY = {"GIT_AUTHOR_NAME": "samizdat deploy", "GIT_AUTHOR_EMAIL": "deploy@samizdat.invalid",
                     "GIT_COMMITTER_NAME": "samizdat deploy", "GIT_COMMITTER_EMAIL": "deploy@samizdat.invalid"}


class DeployError(SamizdatError):
    """Publishing to a remote or server failed."""


@dataclass(frozen=True)
class DeployResult:
    remote: str
    branch: str
    commit: str | None  # None: the branch already held exactly this build
    files: int


def deploy_folder(folder: Path, site_root: Path, remote: str | None, branch: str,
                  domain: str | None = None, uncommitted: tuple[str, ...] = ()) -> DeployResult:
    """Publish the files of `folder` as the whole content of `branch` on `remote`.
    uncommitted: the site's files that differ from HEAD (published with --allow-dirty), for the message."""
    _require_git()
    check_branch(branch)
    target = check_address(_absolute_if_local(remote), "remote") if remote else DEFAULT_REMOTE
    files = _published_files(folder, domain)
    with _repository(site_root, remote) as git:
        if "/" not in target and ":" not in target:  # a remote's name: its own settings may not run commands
            git.settings = ("-c", f"remote.{target}.uploadpack=git-upload-pack",
                            "-c", f"remote.{target}.receivepack=git-receive-pack")
        parent = git.remote_tip(target, branch)
        tree = git.tree(files)
        if parent is not None and git.run("rev-parse", f"{parent}^{{tree}}") == tree:
            return DeployResult(target, branch, None, len(files))
        commit = git.commit(tree, parent, _message(site_root, uncommitted))
        git.run("push", "--quiet", "--", target, f"{commit}:refs/heads/{branch}", action=f"push to {target}")
        return DeployResult(target, branch, commit, len(files))


def _published_files(folder: Path, domain: str | None) -> dict[str, bytes | Path]:
    files: dict[str, bytes | Path] = {
        path.relative_to(folder).as_posix(): path for path in sorted(folder.rglob("*")) if path.is_file()
    }
    files.pop(MARKER, None)  # the build folder's own marker is not part of the site
    for name in files:
        if "\n" in name or "\t" in name:
            raise DeployError(f"cannot publish a file whose name holds a line break or tab: {name!r}",
                              hint="rename the file in the site folder")
    files[NOJEKYLL] = b""
    if domain:
        existing = files.get(CNAME)
        if isinstance(existing, Path) and existing.read_text(encoding="utf-8").strip() != domain:
            raise DeployError(f"the site's own CNAME file does not name {domain} (publish.domain)",
                              hint="remove static/CNAME or make it match publish.domain in samizdat.toml")
        files[CNAME] = f"{domain}\n".encode()
    return files


class _Git:
    def __init__(self, env: dict[str, str], work: Path) -> None:
        self.env, self.work = env, work
        self.settings: tuple[str, ...] = ()  # more `-c name=value` for every call

    def run(self, *args: str, stdin: bytes | None = None, action: str | None = None) -> str:
        result = subprocess.run(["git", *GIT_SAFE_SETTINGS, *self.settings, *args], input=stdin, env=self.env,
                                cwd=self.work, capture_output=True, check=False)
        if result.returncode != 0:
            detail = result.stderr.decode("utf-8", "replace").strip()
            raise DeployError(f"git could not {action or args[0]}: {detail}",
                              hint="check the remote's address, your access rights, and the network")
        return result.stdout.decode("utf-8", "replace").strip()

    def remote_tip(self, remote: str, branch: str) -> str | None:
        """The branch's commit on the remote, fetched here; None when the branch does not exist yet."""
        listing = self.run("ls-remote", "--heads", "--", remote, f"refs/heads/{branch}", action=f"reach {remote}")
        if not listing:
            return None
        tip = listing.split()[0]
        self.run("fetch", "--quiet", "--no-tags", "--no-write-fetch-head", "--", remote, f"refs/heads/{branch}",
                 action=f"fetch {branch} from {remote}")
        return tip

    def tree(self, files: dict[str, bytes | Path]) -> str:
        ids = self._blobs({name: source for name, source in files.items() if isinstance(source, Path)})
        for name, source in files.items():
            if isinstance(source, bytes):
                ids[name] = self.run("hash-object", "-w", "--no-filters", "--stdin", stdin=source)
        entries = "".join(f"100644 blob {ids[name]}\t{name}\0" for name in sorted(ids))
        self.run("update-index", "--add", "-z", "--index-info", stdin=entries.encode("utf-8"))
        return self.run("write-tree")

    def _blobs(self, paths: dict[str, Path]) -> dict[str, str]:
        """All files hashed in one git call. --no-filters: the published bytes exactly, whatever
        .gitattributes or core.autocrlf say."""
        if not paths:
            return {}
        names = sorted(paths)
        listing = "".join(f"{paths[name].resolve()}\n" for name in names).encode("utf-8")
        ids = self.run("hash-object", "-w", "--no-filters", "--stdin-paths", stdin=listing).split("\n")
        return dict(zip(names, ids, strict=True))

    def commit(self, tree: str, parent: str | None, message: str) -> str:
        if subprocess.run(["git", "var", "GIT_COMMITTER_IDENT"], env=self.env, cwd=self.work,
                          capture_output=True, check=False).returncode != 0:
            self.env |= FALLBACK_IDENTITY  # CI machines often have no user.name; the deploy still works
        parents = ["-p", parent] if parent else []
        return self.run("commit-tree", tree, *parents, "-m", message)


@contextmanager
def _repository(site_root: Path, remote: str | None) -> Iterator[_Git]:
    """The site's repository with a private index file, or a temporary repository."""
    with tempfile.TemporaryDirectory(prefix="samizdat-deploy-") as temp:
        env = {key: value for key, value in os.environ.items() if key not in _LOCATION_VARIABLES}
        env["GIT_INDEX_FILE"] = str(Path(temp) / "index")
        env["GIT_ALLOW_PROTOCOL"] = GIT_TRANSPORTS
        found = subprocess.run(["git", "rev-parse", "--absolute-git-dir"], cwd=site_root, env=env,
                               capture_output=True, text=True, check=False)
        if found.returncode == 0:
            env["GIT_DIR"] = found.stdout.strip()
        elif remote is None:
            raise DeployError(f"{site_root} is not in a git repository, so there is no `origin` to deploy to",
                              hint="give --remote URL, or set publish.remote in samizdat.toml")
        else:
            env["GIT_DIR"] = str(Path(temp) / "repo.git")
            subprocess.run(["git", "init", "--quiet", "--bare", env["GIT_DIR"]], env=env, check=True)
        yield _Git(env, Path(temp))


def _absolute_if_local(remote: str) -> str:
    """A remote given as a local path (../pages.git, pages.git) means from the current folder, not from
    git's temporary one. As git reads it: a path has no ':' before its first '/', and no '://'."""
    if remote.startswith("-") or "://" in remote or "::" in remote:
        return remote  # refused or a URL: as it is
    scheme_like = ":" in remote.split("/", 1)[0]  # user@host:path
    looks_like_path = "/" in remote or remote.endswith(".git") or remote.startswith(".") or Path(remote).exists()
    return str(Path(remote).resolve()) if looks_like_path and not scheme_like else remote


def _message(site_root: Path, uncommitted: tuple[str, ...]) -> str:
    source = subprocess.run(["git", *GIT_SAFE_SETTINGS, "rev-parse", "--short", "HEAD"], cwd=site_root,
                            capture_output=True, text=True, check=False)
    suffix = f" from {source.stdout.strip()}" if source.returncode == 0 else ""
    if uncommitted:
        listed = "\n".join(f"  {name}" for name in uncommitted)
        return (f"Publish the site{suffix} with uncommitted changes (--allow-dirty)\n\n"
                f"These {len(uncommitted)} file(s) differed from that commit:\n{listed}")
    return f"Publish the site{suffix}"


def _require_git() -> None:
    if shutil.which("git") is None:
        raise DeployError("git is not installed", hint="install it, e.g. `apt-get install git`")
