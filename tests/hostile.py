"""A sandbox for hostile-site tests: a site, its output and a volunteer's private files side by side.

Every test of a safety promise builds (or checks, or deploys) a site made to break it, then asks the
sandbox what changed in the whole temporary tree. Only the output folder, the site's own cache and the
build's lock and staging names beside the output may change; the secret outside the site must never
reach the output.
"""

from __future__ import annotations

import hashlib
import os
import resource
import signal
import stat
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import pytest

from samizdat.cli import main
from tests.conftest import MINIMAL_CONFIG, write_files

SECRET = "volunteer-secret-7f3a9c"  # what a hostile site would like to publish or destroy
MINIMAL_PAGES = {
    "content/ru/index.md": "---\ntitle: Главная\n---\nПривет.\n",
    "content/en/index.md": "---\ntitle: Home\n---\nHello.\n",
    "content/ko/index.md": "---\ntitle: 홈\n---\n안녕하세요.\n",
}


@dataclass
class Outcome:
    code: int
    out: str
    err: str


@dataclass
class Sandbox:
    root: Path  # the whole temporary tree
    site: Path
    out: Path
    outside: Path  # the volunteer's own files, outside the site
    before: dict[str, tuple[str, str]] = field(default_factory=dict)

    def write(self, files: dict[str, str | bytes], config: str = MINIMAL_CONFIG) -> Path:
        """The site's files; the minimal three-language pages unless `files` replaces them."""
        write_files(self.site, {"samizdat.toml": config, **MINIMAL_PAGES, **files})
        return self.site

    def snapshot(self) -> dict[str, tuple[str, str]]:
        """Every path in the tree that a build must not touch: its kind and content hash."""
        result: dict[str, tuple[str, str]] = {}
        for top, dirs, files in os.walk(self.root, followlinks=False):
            dirs[:] = [d for d in dirs if not self._may_change(Path(top, d))]
            for name in dirs + files:
                path = Path(top, name)
                if self._may_change(path):
                    continue
                info = path.lstat()
                if stat.S_ISLNK(info.st_mode):
                    result[str(path)] = ("link", os.readlink(path))
                elif stat.S_ISDIR(info.st_mode):
                    result[str(path)] = ("dir", "")
                else:
                    result[str(path)] = ("file", hashlib.sha256(path.read_bytes()).hexdigest())
        return result

    def _may_change(self, path: Path) -> bool:
        if path == self.out or path.is_relative_to(self.out):
            return True
        if path.parent == self.out.parent and path.name.startswith(f".{self.out.name}."):
            return True  # the lock file beside the output
        cache = self.site / ".samizdat-cache"
        return path == cache or path.is_relative_to(cache)

    def run(self, capsys: pytest.CaptureFixture[str], *args: str | Path) -> Outcome:
        """Run samizdat in-process, after snapshotting the tree."""
        self.before = self.snapshot()
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return Outcome(code, captured.out, captured.err)

    def build(self, capsys: pytest.CaptureFixture[str], *extra: str) -> Outcome:
        return self.run(capsys, "build", self.site, "-o", self.out, *extra)

    def build_in_a_process(self, timeout: float = 20, memory: int = 4 << 30) -> Outcome:
        """The build as its own process, under a time limit and a limit on the memory it may reserve: a
        hang or a runaway allocation fails the test instead of stalling or swapping the machine. The time
        is a hang detector, far above what the build takes, not a measure of speed."""
        self.before = self.snapshot()
        command = [sys.executable, "-m", "samizdat", "build", str(self.site), "-o", str(self.out)]
        limit = partial(resource.setrlimit, resource.RLIMIT_AS, (memory, memory))
        with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              start_new_session=True, preexec_fn=limit) as build:
            try:
                out, err = build.communicate(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(build.pid, signal.SIGKILL)  # and any worker it started
                build.communicate()
                pytest.fail(f"the build ran past {timeout} s")
        return Outcome(build.returncode, out, err)

    def assert_untouched(self) -> None:
        """Nothing outside the output changed, and no secret reached it."""
        after = self.snapshot()
        changed = sorted(p for p in self.before.keys() | after.keys() if self.before.get(p) != after.get(p))
        assert not changed, f"paths outside the output changed: {changed}"
        for path in self.output_files():
            assert SECRET.encode() not in path.read_bytes(), f"{path} holds a file from outside the site"

    def output_files(self) -> Iterator[Path]:
        if self.out.is_dir():
            yield from (p for p in self.out.rglob("*") if p.is_file())


@pytest.fixture
def sandbox(tmp_path: Path) -> Sandbox:
    outside = tmp_path / "home"
    outside.mkdir()
    (outside / "secret.txt").write_text(SECRET + "\n", encoding="utf-8")
    (outside / "notes.md").write_text(f"---\ntitle: {SECRET}\n---\n{SECRET}\n", encoding="utf-8")
    site = tmp_path / "site"
    site.mkdir()
    return Sandbox(tmp_path, site, tmp_path / "out", outside)


def assert_refused(outcome: Outcome, file_name: str, line: int | None = None) -> None:
    """One clear error: exit 1, naming the file (and its line where there is one), no traceback."""
    assert outcome.code == 1, (outcome.code, outcome.err)
    assert "Traceback" not in outcome.err
    assert file_name in outcome.err, outcome.err
    if line is not None:
        assert f"{file_name}:{line}" in outcome.err, outcome.err


def counted_matchers(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """len(a) × len(b) of every difflib.SequenceMatcher made from here to the test's end, in order: the work
    of matching grows with that product, so a hostile text's cost shows in it without timing anything."""
    import difflib

    sizes: list[int] = []
    real_matcher = difflib.SequenceMatcher

    def counted(*args, a=(), b=(), **kwargs):  # type: ignore[no-untyped-def]
        sizes.append(len(a) * len(b))
        return real_matcher(*args, a=a, b=b, **kwargs)

    monkeypatch.setattr(difflib, "SequenceMatcher", counted)
    return sizes
