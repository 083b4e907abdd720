"""Shared fixtures: throwaway sites written inline, the CLI run in-process, output snapshots."""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from samizdat.cli import main
from samizdat.config import load_config
from samizdat.errors import SamizdatError

REPO = Path(__file__).resolve().parent.parent
BUNDLED_SITE = REPO / "site"
FIXTURES = Path(__file__).parent / "fixtures"

MINIMAL_CONFIG = """\
base_url = "https://example.org"

[languages.ru]
default = true
name = "Русский"
title = "Сайт"

[languages.en]
name = "English"
title = "Site"
prefix = "en"

[languages.ko]
name = "한국어"
title = "사이트"
prefix = "kr"
"""


@pytest.fixture(autouse=True, scope="session")
def private_cache_key(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The user's cache folder (sealed.py: key_path), where the build store lives, in the test run's own."""
    saved = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("user-cache"))
    yield
    if saved is None:
        del os.environ["XDG_CACHE_HOME"]
    else:
        os.environ["XDG_CACHE_HOME"] = saved


@contextmanager
def cold_user_cache(folder: Path) -> Iterator[None]:
    """Builds inside see an empty user cache folder: no build store, a new key (a cold build)."""
    saved = os.environ["XDG_CACHE_HOME"]
    shutil.rmtree(folder, ignore_errors=True)
    os.environ["XDG_CACHE_HOME"] = str(folder)
    try:
        yield
    finally:
        os.environ["XDG_CACHE_HOME"] = saved
        shutil.rmtree(folder, ignore_errors=True)


@dataclass
class CliResult:
    code: int
    out: str
    err: str


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., CliResult]:
    def run(*args: str | Path) -> CliResult:
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


def write_files(root: Path, files: dict[str, str | bytes]) -> None:
    """{relative path: text or bytes} below `root`, folders made as needed."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def add_home_page(root: Path) -> None:
    """samizdat refuses to write a site whose own address is a 404: a test about something else gets a
    one-line home page in the default language, unless it wrote one (or the config cannot be read)."""
    try:
        config = load_config(root)
    except SamizdatError:
        return
    folder = root / "content" / config.default_language.code
    if not any(path.exists() for base in (folder, root / "content") for path in base.glob("index.*")):
        write_files(root, {f"content/{config.default_language.code}/index.md": "---\ntitle: Home\n---\nHome.\n"})


@pytest.fixture
def make_site(tmp_path: Path) -> Callable[..., Path]:
    """Write a site from {relative path: text or bytes}; the config defaults to three languages."""

    def make(files: dict[str, str | bytes], name: str = "site", config: str = MINIMAL_CONFIG,
             home: bool = True) -> Path:
        root = tmp_path / name
        write_files(root, {"samizdat.toml": config, **files})
        if home:
            add_home_page(root)
        return root

    return make


@pytest.fixture(scope="session")
def bundled_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled Voices in Korea site, built once for every test that reads it."""
    out = tmp_path_factory.mktemp("bundled") / "out"
    assert main(["build", str(BUNDLED_SITE), "-o", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Debian's Chromium driven by Playwright, shared by the browser tests of one module (no browser
    download). Not by the whole session: Playwright runs a thread while it is started, and a build in a
    process with another thread renders in-process (fork is unsafe there), so every later test that
    means to render on workers would not."""
    from playwright.sync_api import sync_playwright

    from tests.browser import CHROMIUM, CHROMIUM_ARGS, INSTALL_CHROMIUM

    if not CHROMIUM.exists():
        pytest.fail(f"Chromium is needed for the browser tests ({CHROMIUM} is missing): run {INSTALL_CHROMIUM}")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """A skipped test is a failed one: a missing tool must not let a promise go untested unnoticed."""
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped tests count as failures here: {_skip_reason(report.longrepr)}"


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> Iterator[None]:
    """The same for a whole module skipped while it is collected (pytest.importorskip)."""
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if report.outcome == "skipped":
        report.outcome = "failed"
        report.longrepr = f"skipped tests count as failures here: {_skip_reason(report.longrepr)}"


def _skip_reason(longrepr: object) -> str:
    reason = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
    return f"{reason} (scripts/test installs everything the tests need)"


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file below a folder with its content hash, to prove a folder was left unchanged."""
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*")) if path.is_file()
    }


def copy_site(source: Path, target: Path) -> Path:
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("_site", ".samizdat-cache"))
    return target


def replace_publish_table(site: Path, table: str) -> None:
    """Put `table` (TOML text starting with [publish]) in place of the site's own [publish] table, the last."""
    config = site / "samizdat.toml"
    text = config.read_text(encoding="utf-8")
    head = text[: text.index("\n[publish]")] if "\n[publish]" in text else text
    config.write_text(head.rstrip("\n") + "\n" + table, encoding="utf-8")


# The hostile-site sandbox, for every test module (defined beside its helpers; imported last because
# tests.hostile reads MINIMAL_CONFIG from here).
from tests.hostile import sandbox  # noqa: E402, F401
