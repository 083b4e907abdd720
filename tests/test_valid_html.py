"""The Nu HTML Checker (npm vnu-jar, run with the machine's Java) finds no error in any built page."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.tools import npm_file


def test_every_built_page_is_valid_html(bundled_build: Path) -> None:
    jar = npm_file("vnu-jar/build/dist/vnu.jar", "the Nu HTML Checker (vnu-jar)")
    java = shutil.which("java")
    if java is None:
        pytest.fail("java is needed for the Nu HTML Checker: apt-get install default-jre-headless")
    pages = sorted(str(p) for p in bundled_build.rglob("*.html"))
    assert len(pages) >= 6  # three home pages and three 404 pages at least
    run = subprocess.run([java, "-jar", str(jar), "--errors-only", "--format", "json", *pages],
                         capture_output=True, text=True, timeout=300)
    messages = json.loads(run.stderr)["messages"]
    problems = [f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['message']}" for m in messages]
    assert problems == []
    assert run.returncode == 0
