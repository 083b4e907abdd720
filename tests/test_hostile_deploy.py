"""Publishing a site cannot be turned into running a command (option-like or ext:: addresses, from the
command line or from samizdat.toml), and publishes neither uncommitted work nor pages with errors
unless asked to, saying so."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests import hostile
from tests.conftest import MINIMAL_CONFIG
from tests.hostile import Sandbox

sandbox = hostile.sandbox  # the fixture
MARKER_NAME = "pwned-by-deploy"

# (label, command line after the site, or None; samizdat.toml's [publish] table, or "")
# {m} is the marker file a command would create if the value got through.
ADDRESSES = [
    ("--remote=--upload-pack", ["deploy", "--remote=--upload-pack=touch {m}"], ""),
    ("--remote=--receive-pack", ["deploy", "--remote=--receive-pack=touch {m}"], ""),
    ("--remote=-oProxyCommand", ["deploy", "--remote=-oProxyCommand=touch {m}"], ""),
    ("remote ext::", ["deploy", "--remote", "ext::sh -c touch% {m}"], ""),
    ("remote EXT:: upper case", ["deploy", "--remote", "EXT::sh -c touch% {m}"], ""),
    ("remote fd::", ["deploy", "--remote", "fd::7"], ""),
    ("remote host starting with -", ["deploy", "--remote", "git@-oProxyCommand=touch {m}:repo.git"], ""),
    ("ssh URL host starting with -", ["deploy", "--remote", "ssh://-oProxyCommand=touch {m}/repo.git"], ""),
    ("--branch=--upload-pack", ["deploy", "--remote", "{bare}", "--branch=--upload-pack=touch {m}"], ""),
    ("branch that is not a ref", ["deploy", "--remote", "{bare}", "--branch", "a..b"], ""),
    ("rsync --target=-e", ["deploy-rsync", "--target=-e touch {m}"], ""),
    ("rsync --target=--rsh", ["deploy-rsync", "--target=--rsh=touch {m}"], ""),
    ("rsync host starting with -", ["deploy-rsync", "--target", "u@-oProxyCommand=touch {m}:/var/www"], ""),
    ("publish.remote --upload-pack", ["deploy"], '[publish]\nremote = "--upload-pack=touch {m}"\n'),
    ("publish.remote ext::", ["deploy"], '[publish]\nremote = "ext::sh -c touch% {m}"\n'),
    ("publish.branch -o", ["deploy", "--remote", "{bare}"], '[publish]\nbranch = "-oProxyCommand=touch {m}"\n'),
    ("publish.rsync_target -e", ["deploy-rsync"], '[publish]\nrsync_target = "-e touch {m}"\n'),
]


@pytest.mark.parametrize(("label", "args", "table"), ADDRESSES, ids=[a[0] for a in ADDRESSES])
def test_an_address_never_runs_a_command(sandbox: Sandbox, capsys: pytest.CaptureFixture[str],
                                         label: str, args: list[str], table: str) -> None:
    marker = sandbox.root / MARKER_NAME
    bare = sandbox.outside / "pages.git"
    subprocess.run(["git", "init", "--quiet", "--bare", str(bare)], check=True)
    fill = {"{m}": str(marker), "{bare}": str(bare)}

    def filled(text: str) -> str:
        for name, value in fill.items():
            text = text.replace(name, value)
        return text

    sandbox.write({}, config=MINIMAL_CONFIG + filled(table))
    outcome = sandbox.run(capsys, args[0], sandbox.site, *[filled(arg) for arg in args[1:]])
    assert outcome.code == 1, (outcome.code, outcome.out, outcome.err)
    assert outcome.err.startswith("error: ") and "Traceback" not in outcome.err
    assert not marker.exists()
    assert not (sandbox.outside / "touch").exists()
    refs = subprocess.run(["git", "for-each-ref"], cwd=bare, capture_output=True, text=True, check=True).stdout
    assert refs == ""  # nothing was published


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=Volunteer", "-c", "user.email=v@example.org", *args], cwd=cwd,
                          check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture
def repo_site(sandbox: Sandbox) -> tuple[Sandbox, Path]:
    """The sandbox's site committed in its own repository, and an empty bare repository to publish to."""
    sandbox.write({})
    git(sandbox.site, "init", "--quiet", "-b", "main")
    git(sandbox.site, "add", "-A")
    git(sandbox.site, "commit", "--quiet", "-m", "The site")
    remote = sandbox.outside / "pages.git"
    git(sandbox.outside, "init", "--quiet", "--bare", str(remote))
    return sandbox, remote


PUBLISHERS = {  # command → its arguments after the site ({remote}, {target}: places to publish to)
    "deploy": ["--remote", "{remote}"],
    "deploy-rsync": ["--target", "{target}"],
    "mirror": ["-o", "{target}.zip"],
}


def publish(sandbox: Sandbox, capsys: pytest.CaptureFixture[str], remote: Path, command: str,
            *extra: str) -> hostile.Outcome:
    target = sandbox.root / "www"
    args = [arg.replace("{remote}", str(remote)).replace("{target}", str(target)) for arg in PUBLISHERS[command]]
    return sandbox.run(capsys, command, sandbox.site, *args, *extra)


def nothing_published(sandbox: Sandbox, remote: Path) -> bool:
    return git(remote, "for-each-ref") == "" and not (sandbox.root / "www").exists() \
        and not (sandbox.root / "www.zip").exists()


DIRT = {
    "an edited page": lambda site: (site / "content/en/index.md").write_text(
        "---\ntitle: Home\n---\nUnreviewed.\n", encoding="utf-8"),
    "a new file": lambda site: (site / "content/en/draft.md").write_text(
        "---\ntitle: Draft\n---\nNot ready.\n", encoding="utf-8"),
    "a deleted page": lambda site: (site / "content/ko/index.md").unlink(),
}
DIRT_FILES = {"an edited page": "content/en/index.md", "a new file": "content/en/draft.md",
              "a deleted page": "content/ko/index.md"}


@pytest.mark.parametrize("command", PUBLISHERS)
@pytest.mark.parametrize("dirt", DIRT)
def test_uncommitted_changes_are_refused_and_listed(repo_site: tuple[Sandbox, Path],
                                                    capsys: pytest.CaptureFixture[str],
                                                    dirt: str, command: str) -> None:
    sandbox, remote = repo_site
    DIRT[dirt](sandbox.site)
    outcome = publish(sandbox, capsys, remote, command)
    assert outcome.code == 1
    assert "uncommitted changes" in outcome.err and DIRT_FILES[dirt] in outcome.err
    assert "--allow-dirty" in outcome.err and "Traceback" not in outcome.err
    assert nothing_published(sandbox, remote)
    sandbox.assert_untouched()


def test_allow_dirty_publishes_and_says_so_in_the_commit(repo_site: tuple[Sandbox, Path],
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    sandbox, remote = repo_site
    head = git(sandbox.site, "rev-parse", "--short", "HEAD")
    DIRT["an edited page"](sandbox.site)
    outcome = publish(sandbox, capsys, remote, "deploy", "--allow-dirty")
    assert outcome.code == 0, outcome.err
    message = git(remote, "log", "-1", "--format=%B", "gh-pages")
    assert f"from {head} with uncommitted changes" in message and "content/en/index.md" in message
    page = git(remote, "show", "gh-pages:en/index.html")
    assert "Unreviewed." in page


def test_build_leftovers_are_not_uncommitted_work(repo_site: tuple[Sandbox, Path],
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    sandbox, remote = repo_site  # no .gitignore: SITE/_site and SITE/.samizdat-cache show as untracked
    assert sandbox.run(capsys, "build", sandbox.site).code == 0
    outcome = publish(sandbox, capsys, remote, "deploy")
    assert outcome.code == 0, outcome.err
    assert git(remote, "log", "-1", "--format=%B", "gh-pages") == \
        f"Publish the site from {git(sandbox.site, 'rev-parse', '--short', 'HEAD')}"


PROBLEMS = {
    "a placeholder": "---\ntitle: About\n---\n<<TODO: write who we are>>\n",
    "a broken link": "---\ntitle: About\n---\nSee [our meetings](/en/no-such-page/).\n",
}


@pytest.mark.parametrize("command", PUBLISHERS)
@pytest.mark.parametrize("problem", PROBLEMS)
def test_check_errors_are_refused_unless_forced(repo_site: tuple[Sandbox, Path], capsys: pytest.CaptureFixture[str],
                                                problem: str, command: str) -> None:
    sandbox, remote = repo_site
    (sandbox.site / "content/en/about.md").write_text(PROBLEMS[problem], encoding="utf-8")
    git(sandbox.site, "add", "-A")
    git(sandbox.site, "commit", "--quiet", "-m", "About")
    outcome = publish(sandbox, capsys, remote, command)
    assert outcome.code == 1
    assert "samizdat check" in outcome.err and "error(s)" in outcome.err and "--force" in outcome.err
    assert "content/en/about.md" in outcome.err
    assert nothing_published(sandbox, remote)

    forced = publish(sandbox, capsys, remote, command, "--force")
    assert forced.code == 0, forced.err
    assert "content/en/about.md" in forced.err  # the errors are still shown
    assert not nothing_published(sandbox, remote)


def test_a_relative_remote_is_read_from_the_current_folder(repo_site: tuple[Sandbox, Path],
                                                            capsys: pytest.CaptureFixture[str],
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    sandbox, _ = repo_site
    plain = sandbox.outside / "pages"  # a bare repository whose name has no .git and no slash
    git(sandbox.outside, "init", "--quiet", "--bare", str(plain))
    monkeypatch.chdir(sandbox.outside)
    outcome = sandbox.run(capsys, "deploy", sandbox.site, "--remote", "pages")
    assert outcome.code == 0, outcome.err
    assert str(plain) in outcome.out
    assert "Привет" in git(plain, "show", "gh-pages:index.html")


COMMANDING_SETTINGS = {  # a repository's own setting → what it is set to (`{touch}`: a command that leaves a mark)
    "filter.evil.clean": "{touch}",
    "core.sshCommand": "{touch}",
    "credential.helper": "!{touch}",
    "core.worktree": "{outside}",
}


@pytest.mark.parametrize("command", PUBLISHERS)
@pytest.mark.parametrize("setting", COMMANDING_SETTINGS)
def test_a_repository_that_came_with_the_site_runs_no_command_of_its_own(
        repo_site: tuple[Sandbox, Path], capsys: pytest.CaptureFixture[str], setting: str, command: str) -> None:
    """A site received as a ZIP brings its `.git/`, whose settings can name commands git runs by itself (a
    filter runs on `git status` when a file's time changed). samizdat refuses to run git there, naming it."""
    sandbox, remote = repo_site
    mark = sandbox.outside / "touch"
    value = COMMANDING_SETTINGS[setting].replace("{touch}", f"touch {mark}").replace("{outside}", str(sandbox.outside))
    git(sandbox.site, "config", setting, value)
    (sandbox.site / ".git/info/attributes").write_text("* filter=evil\n", encoding="utf-8")
    os.utime(sandbox.site / "content/en/index.md")  # git status then runs the clean filter to compare
    if setting == "filter.evil.clean":
        git(sandbox.site, "status", "--porcelain")
        assert mark.exists()  # what plain git does in this repository
        mark.unlink()
    outcome = publish(sandbox, capsys, remote, command)
    assert outcome.code == 1 and "Traceback" not in outcome.err, outcome.err
    assert f"sets {setting.lower()}" in outcome.err and "git config --unset" in outcome.err
    assert not mark.exists()
    assert nothing_published(sandbox, remote)


@pytest.mark.parametrize("command, setting, option", [("deploy", "remote", "--remote"),
                                                      ("deploy-rsync", "rsync_target", "--target")])
def test_a_site_s_settings_do_not_choose_a_folder_on_this_computer(repo_site: tuple[Sandbox, Path],
                                                                   capsys: pytest.CaptureFixture[str],
                                                                   command: str, setting: str, option: str) -> None:
    """samizdat.toml may name where to publish, but only on another computer: a folder here (a local git
    repository, another site's folder) must be given on the command line by the volunteer."""
    sandbox, remote = repo_site
    victim = remote if command == "deploy" else sandbox.outside / "www"
    config = (sandbox.site / "samizdat.toml").read_text(encoding="utf-8")
    (sandbox.site / "samizdat.toml").write_text(f'{config}\n[publish]\n{setting} = "{victim}"\n', encoding="utf-8")
    git(sandbox.site, "commit", "--quiet", "-am", "Publish elsewhere")
    outcome = sandbox.run(capsys, command, sandbox.site)
    assert outcome.code == 1 and "Traceback" not in outcome.err, outcome.err
    assert f"publish.{setting} in samizdat.toml names a folder on this computer" in outcome.err
    assert f"{option} {victim}" in outcome.err
    assert git(remote, "for-each-ref") == "" and not (sandbox.outside / "www").exists()
    assert sandbox.run(capsys, command, sandbox.site, option, victim).code == 0  # the volunteer's own choice
