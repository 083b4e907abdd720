"""A build killed at any moment, or run beside others, leaves one whole site in the output folder.

Builds run as real processes and are killed with SIGKILL (no clean-up code runs), most of them while
they publish. After each kill the output folder must equal, byte for byte, a cold build of one of the
two versions of the site, which differ in every page (the site's title is in each one).
"""

from __future__ import annotations

import fcntl
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pytest

from samizdat.build import swap
from samizdat.build.lock import output_lock_path
from samizdat.build.output_paths import MARKER, TEMP_SUFFIX
from samizdat.build.publication import ANNOUNCE, Folders
from samizdat.build.writer import write_output
from samizdat.cli import main
from tests.conftest import MINIMAL_CONFIG, REPO, tree_digest

PAGES = 40  # per language: 120 pages, about 130 files, every one of them different between the versions
TITLES = {"A": "", "B": " (B)", "C": " (C)"}  # added to each language's title, which every page shows
KILLS, KILLS_WHILE_PUBLISHING = 50, 25


def write_site(root: Path, version: str) -> Path:
    for code in ("ru", "en", "ko"):
        for number in range(PAGES):
            path = root / "content" / code / f"page-{number}.md"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(f"---\ntitle: Page {number} {code}\n---\n\nText {number}.\n", encoding="utf-8")
        (root / "content" / code / "index.md").write_text(f"---\ntitle: Home {code}\n---\n\nHome.\n", encoding="utf-8")
    set_version(root, version)
    return root


def set_version(root: Path, version: str) -> None:
    config = re.sub(r'^title = "(.*)"$', rf'title = "\1{TITLES[version]}"', MINIMAL_CONFIG, flags=re.MULTILINE)
    (root / "samizdat.toml").write_text(config, encoding="utf-8")


def site_files(out: Path) -> dict[str, str]:
    """The published site: every file but the manifest (whose times differ from build to build)."""
    return {rel: digest for rel, digest in tree_digest(out).items() if rel != MARKER}


def cold_builds(tmp_path: Path, versions: str) -> dict[str, dict[str, str]]:
    references = {}
    for version in versions:
        site = write_site(tmp_path / f"cold-{version}", version)
        assert main(["build", str(site), "-o", str(tmp_path / f"cold-out-{version}")]) == 0
        references[version] = site_files(tmp_path / f"cold-out-{version}")
    assert len({frozenset(files.items()) for files in references.values()}) == len(versions)
    return references


# A build that also says, on stdout, when it took the locks, by the clock every process on the machine shares
# (CLOCK_MONOTONIC). Its report is printed after it let them go, so the order the reports arrive in is not
# always the order the builds ran in: under load, the next build can finish before the last one prints.
_BUILD_SAYING_WHEN_IT_HELD_THE_LOCKS = """
import contextlib, sys, time
from samizdat.build import command

real = command.build_locks

@contextlib.contextmanager
def announced(*where):
    with real(*where):
        print("held", time.monotonic_ns(), flush=True)
        yield

command.build_locks = announced
from samizdat.cli import main
sys.exit(main(sys.argv[1:]))
"""


def start_build(site: Path, out: Path, *, saying_when: bool = False) -> subprocess.Popen[str]:
    command = ["-c", _BUILD_SAYING_WHEN_IT_HELD_THE_LOCKS] if saying_when else ["-m", "samizdat"]
    return subprocess.Popen([sys.executable, *command, "build", str(site), "-o", str(out)],
                            cwd=REPO, env={**os.environ, ANNOUNCE: "1", "PYTHONUNBUFFERED": "1"}, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def wait_for_line(stream: object, wanted: str) -> bool:
    return any(line.startswith(wanted) for line in iter(stream.readline, ""))  # type: ignore[attr-defined]


def which_version(out: Path, references: dict[str, dict[str, str]]) -> str:
    files = site_files(out)
    matches = [version for version, reference in references.items() if files == reference]
    assert matches, f"the output is neither whole site: {len(files)} files"
    return matches[0]


def assert_no_leftovers(out: Path) -> None:
    """Beside the output only its lock and the spare tree, whose files are the live ones (same inodes)."""
    beside = {p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}.")}
    assert beside - {f".{out.name}.lock"} == {f".{out.name}.spare"}  # the lock only where a build took it
    spare = out.parent / f".{out.name}.spare"
    assert [p.name for p in spare.iterdir()] == ["_site"]
    live = {p.relative_to(out): p.stat().st_ino for p in out.rglob("*") if p.is_file()}
    mirrored = {p.relative_to(spare / "_site"): p.stat().st_ino for p in (spare / "_site").rglob("*") if p.is_file()}
    assert mirrored == live
    assert not [p for p in out.rglob("*") if p.name.endswith(TEMP_SUFFIX)]


def test_builds_killed_at_random_moments_leave_one_whole_site(tmp_path: Path) -> None:
    references = cold_builds(tmp_path, "AB")
    site, out = write_site(tmp_path / "site", "A"), tmp_path / "out"
    assert main(["build", str(site), "-o", str(out)]) == 0
    rng = random.Random(20261129)
    kills = publishing_kills = trials = 0
    publish_times = [0.15]  # seconds from the start of publishing to the exit, of the builds that finished
    while kills < KILLS or publishing_kills < KILLS_WHILE_PUBLISHING:
        trials += 1
        assert trials < 3 * KILLS, (kills, publishing_kills)
        live = which_version(out, references)
        set_version(site, "B" if live == "A" else "A")  # every page differs from the live output
        build = start_build(site, out)
        publishing = trials % 3 != 0  # two kills in three while publishing, the others anywhere
        if publishing and not wait_for_line(build.stderr, "publish: write"):
            publishing = False
        announced = time.monotonic()
        time.sleep(rng.uniform(0, statistics.median(publish_times) if publishing else 0.6))
        build.send_signal(signal.SIGKILL)
        code = build.wait()
        build.stdout.close()  # type: ignore[union-attr]
        build.stderr.close()  # type: ignore[union-attr]
        which_version(out, references)
        if code == -signal.SIGKILL:
            kills += 1
            publishing_kills += publishing
        else:
            assert code == 0
            assert_no_leftovers(out)  # a build that finished leaves nothing of the killed ones
            if publishing:
                publish_times.append(time.monotonic() - announced)
    final = start_build(site, out)
    assert final.wait() == 0, final.stderr.read()  # type: ignore[union-attr]
    final.stdout.close()  # type: ignore[union-attr]
    final.stderr.close()  # type: ignore[union-attr]
    expected = "B" if TITLES["B"] in (site / "samizdat.toml").read_text(encoding="utf-8") else "A"
    assert which_version(out, references) == expected
    assert_no_leftovers(out)


# A build killed once its state is saved, while the previous site is being cleared from the spare tree:
# the save runs beside that step, so its end cannot be waited for by a kill at a random moment.
_BUILD_KILLED_WHILE_CLEARING_THE_SPARE = """
import os, signal, sys, threading
from samizdat.build import publication

saved = threading.Event()
real_publish = publication.publish

def publish(out_dir, pages, copies, timings=None, published=None, made_here=False, digest_of=None):
    def save():
        published()
        saved.set()
    return real_publish(out_dir, pages, copies, timings, save, made_here, digest_of)

def mirror(where, prepared, old):
    assert saved.wait(60)
    (where.spare / publication.MARKER).unlink()
    os.kill(os.getpid(), signal.SIGKILL)

publication.publish, publication._mirror = publish, mirror
from samizdat.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_a_build_killed_after_its_save_leaves_the_next_one_work_to_do(tmp_path: Path, capsys) -> None:
    references = cold_builds(tmp_path, "AB")
    site, out = write_site(tmp_path / "site", "A"), tmp_path / "out"
    assert main(["build", str(site), "-o", str(out)]) == 0
    set_version(site, "B")
    killed = subprocess.run([sys.executable, "-c", _BUILD_KILLED_WHILE_CLEARING_THE_SPARE, "build", str(site),
                             "-o", str(out)], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert which_version(out, references) == "B"  # published, and the build's state saved with it
    spare = Folders.of(out).spare
    assert {p.name for p in spare.iterdir()} >= {"en", "index.html"}  # the previous site, not yet cleared
    capsys.readouterr()
    assert main(["build", str(site), "-o", str(out)]) == 0
    assert "nothing changed" not in capsys.readouterr().out
    assert which_version(out, references) == "B"
    assert_no_leftovers(out)
    assert main(["build", str(site), "-o", str(out)]) == 0
    assert "nothing changed since the last build" in capsys.readouterr().out


@pytest.mark.parametrize("versions", ["AB", "AAB", "ABC"])
def test_builds_at_once_into_one_folder_take_turns(tmp_path: Path, versions: str) -> None:
    references = cold_builds(tmp_path, "".join(sorted(set(versions))))
    sites = [write_site(tmp_path / f"site-{index}", version) for index, version in enumerate(versions)]
    if versions == "AAB":
        sites[1] = sites[0]  # the same site twice: its cache is shared as well
    out = tmp_path / "out"
    out.parent.mkdir(exist_ok=True)
    holder = os.open(output_lock_path(out), os.O_RDWR | os.O_CREAT)
    fcntl.flock(holder, fcntl.LOCK_EX)  # the builds all start while another build holds the folder
    builds = [start_build(site, out, saying_when=True) for site in sites]
    for build in builds:
        assert wait_for_line(build.stderr, "samizdat: another build is using the output folder")
    os.close(holder)
    reports: list[tuple[int, int, str]] = []  # when each build took the locks, which build, its report
    for index, build in enumerate(builds):
        stdout, stderr = build.communicate()
        assert build.returncode == 0, stderr
        held = [int(line.split()[1]) for line in stdout.splitlines() if line.startswith("held ")]
        report = [line for line in stdout.splitlines() if line.startswith("built")]
        assert len(held) == 1 and len(report) == 1, stdout
        reports.append((held[0], index, report[0]))
    state: str | None = None
    for _, index, report in sorted(reports):
        # It may say "0 written" only if the output held its own site already ("200 written" is not that).
        if re.search(r"(?<!\d)0 written", report):
            assert state == versions[index], (versions, sorted(reports))
        state = versions[index]
    assert len(reports) == len(builds)
    assert which_version(out, references) == state
    assert_no_leftovers(out)


def test_without_a_folder_exchange_three_renames_publish_whole_sites(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """macOS, the BSDs and file systems without RENAME_EXCHANGE take the fallback."""
    real = swap._function
    monkeypatch.setattr(swap, "_function", lambda name: None if name == "renameat2" else real(name))
    out = tmp_path / "out"
    for version in ("one", "two", "three"):
        write_output(out, {"index.html": version.encode(), f"{version}.html": b"x"}, {})
        assert (out / "index.html").read_bytes() == version.encode()
        assert sorted(p.name for p in out.iterdir()) == sorted([MARKER, "index.html", f"{version}.html"])
    assert_no_leftovers(out)


@pytest.mark.parametrize("killed_after", ["the output was moved aside", "the new tree was moved in"])
def test_a_fallback_exchange_cut_short_is_mended_by_the_next_build(tmp_path: Path, killed_after: str) -> None:
    out = tmp_path / "out"
    write_output(out, {"index.html": b"old"}, {})
    where = Folders.of(out)
    shutil.rmtree(where.spare)
    shutil.copytree(out, where.spare)
    (where.spare / "index.html").write_bytes(b"new")
    os.rename(out, where.aside)  # the first of the three renames
    if killed_after == "the new tree was moved in":
        os.rename(where.spare, out)
    published = b"old" if killed_after == "the output was moved aside" else b"new"
    write_output(out, {"index.html": published, "later.html": b"later"}, {})
    assert (out / "index.html").read_bytes() == published
    assert not where.aside.exists()
    assert_no_leftovers(out)


def test_what_the_old_writer_left_behind_goes_with_the_next_build(tmp_path: Path) -> None:
    """A killed build of earlier versions left `.OUT.staging-PID` folders beside the output and
    `.NAME.samizdat-tmp` files in it; the next build removes both from the output (and the one after
    from the spare tree, which then holds the previous output)."""
    out = tmp_path / "out"
    write_output(out, {"index.html": b"one"}, {})
    (tmp_path / ".out.staging-4242" / "en").mkdir(parents=True)
    (tmp_path / ".out.staging-4242" / "en" / "index.html").write_bytes(b"half")
    (out / f".index.html{TEMP_SUFFIX}").write_bytes(b"half")
    write_output(out, {"index.html": b"two"}, {})
    assert not (tmp_path / ".out.staging-4242").exists()
    assert sorted(p.name for p in out.iterdir()) == [MARKER, "index.html"]
    write_output(out, {"index.html": b"three"}, {})
    assert_no_leftovers(out)
