"""`samizdat deploy` to local bare repositories and `samizdat deploy-rsync` to local folders."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from samizdat.build.writer import MARKER
from tests.conftest import BUNDLED_SITE, copy_site, replace_publish_table, tree_digest


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


def published_files(remote: Path, branch: str) -> dict[str, bytes]:
    names = git(remote, "ls-tree", "-r", "--name-only", branch).splitlines()
    return {name: subprocess.run(["git", "cat-file", "blob", f"{branch}:{name}"], cwd=remote, check=True,
                                 capture_output=True).stdout for name in names}


def build_files(run_cli, site: Path, out: Path) -> dict[str, bytes]:
    assert run_cli("build", site, "-o", out).code == 0
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()
            and p.name != MARKER}


@pytest.fixture
def source_repo(tmp_path: Path) -> tuple[Path, Path]:
    """A group's repository with the site committed on main, an unstaged and a staged edit, and a bare remote."""
    repo = tmp_path / "repo"
    site = copy_site(BUNDLED_SITE, repo / "site")  # its [publish] table sets the domain
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "--quiet", "--bare", str(remote))
    git(repo, "init", "--quiet", "-b", "main")
    (repo / ".gitignore").write_text("_site/\n.samizdat-cache/\n", encoding="utf-8")  # as `samizdat init` writes
    git(repo, "config", "user.name", "Volunteer")
    git(repo, "config", "user.email", "volunteer@example.org")
    git(repo, "add", "-A")
    git(repo, "commit", "--quiet", "-m", "The site")
    git(repo, "remote", "add", "origin", str(remote))
    (repo / "notes.txt").write_text("staged, not committed\n", encoding="utf-8")
    git(repo, "add", "notes.txt")
    readme = site / "README.md"
    readme.write_text(readme.read_text(encoding="utf-8") + "\nAn edit in progress.\n", encoding="utf-8")
    return repo, remote


def repo_state(repo: Path) -> dict[str, object]:
    return {
        "head": git(repo, "rev-parse", "HEAD"),
        "symbolic": git(repo, "symbolic-ref", "HEAD"),
        "branches": git(repo, "for-each-ref", "refs/heads"),
        "status": git(repo, "status", "--porcelain"),
        "index": (repo / ".git" / "index").read_bytes(),
        # The build's own cache (ignored by git) may appear; everything a person wrote stays as it was.
        "files": {rel: digest for rel, digest in tree_digest(repo / "site").items()
                  if not rel.startswith(".samizdat-cache/")},
    }


def test_deploy_twice_publishes_exactly_the_build_once(run_cli, source_repo, tmp_path: Path) -> None:
    repo, remote = source_repo
    before = repo_state(repo)

    first = run_cli("deploy", repo / "site", "--allow-dirty")  # the fixture's tree has an edit in progress
    assert first.code == 0, first.err
    tip = git(remote, "rev-parse", "gh-pages")
    assert tip[:12] in first.out

    expected = build_files(run_cli, repo / "site", tmp_path / "build")
    expected |= {".nojekyll": b"", "CNAME": b"www.voicesinkorea.kr\n"}
    assert published_files(remote, "gh-pages") == expected

    second = run_cli("deploy", repo / "site", "--allow-dirty")
    assert second.code == 0, second.err
    assert "nothing to publish" in second.out
    assert git(remote, "rev-parse", "gh-pages") == tip
    assert git(remote, "rev-list", "--count", "gh-pages") == "1"

    assert repo_state(repo) == before  # branch, HEAD, index, working tree: all as they were
    assert git(remote, "for-each-ref", "--format=%(refname)") == "refs/heads/gh-pages"  # main not pushed


def test_a_change_adds_one_commit_on_top(run_cli, source_repo) -> None:
    repo, remote = source_repo
    assert run_cli("deploy", repo / "site", "--allow-dirty").code == 0
    first = git(remote, "rev-parse", "gh-pages")
    page = repo / "site/content/en/index.md"
    page.write_text(page.read_text(encoding="utf-8").replace("Russians Against War", "Russians Against the War"),
                    encoding="utf-8")
    assert run_cli("deploy", repo / "site", "--allow-dirty").code == 0
    assert git(remote, "rev-parse", "gh-pages^") == first
    assert b"Russians Against the War" in published_files(remote, "gh-pages")["en/index.html"]


def test_deploy_outside_a_repository_to_a_named_branch(run_cli, tmp_path: Path, monkeypatch) -> None:
    site = copy_site(BUNDLED_SITE, tmp_path / "site")
    replace_publish_table(site, "")
    remote = tmp_path / "pages.git"
    git(tmp_path, "init", "--quiet", "--bare", str(remote))
    monkeypatch.chdir(tmp_path)
    result = run_cli("deploy", "site", "--remote", "pages.git", "--branch", "pages")  # paths from here
    assert result.code == 0, result.err
    files = published_files(remote, "pages")
    assert "CNAME" not in files  # no domain configured
    assert files[".nojekyll"] == b""
    assert b'<html lang="ko"' in files["kr/index.html"]

    no_remote = run_cli("deploy", site)
    assert no_remote.code == 1
    assert "not in a git repository" in no_remote.err and "--remote" in no_remote.err


def test_unreachable_remote_is_one_clear_error(run_cli, tmp_path: Path) -> None:
    site = copy_site(BUNDLED_SITE, tmp_path / "site")
    result = run_cli("deploy", site, "--remote", tmp_path / "missing.git")
    assert result.code == 1
    assert result.err.startswith("error: git could not reach")
    assert "hint:" in result.err


def test_rsync_mirrors_the_build_and_deletes_what_is_gone(run_cli, tmp_path: Path) -> None:
    site = copy_site(BUNDLED_SITE, tmp_path / "site")
    target = tmp_path / "voices"  # a new folder; rsync creates it
    assert run_cli("deploy-rsync", site, "--target", target).code == 0
    expected = build_files(run_cli, site, tmp_path / "build")
    (target / "old-page.html").write_text("removed from the site", encoding="utf-8")

    again = run_cli("deploy-rsync", site, "--target", target)
    assert again.code == 0, again.err
    published = {p.relative_to(target).as_posix(): p.read_bytes() for p in target.rglob("*") if p.is_file()}
    assert published.pop(MARKER)  # kept there, so the next deploy knows the folder is the site's
    assert published == expected
    assert (target / "index.html").stat().st_mode & 0o777 == 0o644


def test_rsync_refuses_a_folder_it_did_not_write(run_cli, tmp_path: Path) -> None:
    site = copy_site(BUNDLED_SITE, tmp_path / "site")
    documents = tmp_path / "documents"
    documents.mkdir()
    (documents / "thesis.odt").write_bytes(b"years of work")
    result = run_cli("deploy-rsync", site, "--target", documents)
    assert result.code == 1
    assert "did not write" in result.err
    assert (documents / "thesis.odt").read_bytes() == b"years of work"


def test_missing_rsync_names_the_package(run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("samizdat.publish.rsync.shutil.which", lambda name: None)
    site = copy_site(BUNDLED_SITE, tmp_path / "site")
    result = run_cli("deploy-rsync", site, "--target", tmp_path / "www")
    assert result.code == 1
    assert "rsync is not installed" in result.err and "apt-get install rsync" in result.err
